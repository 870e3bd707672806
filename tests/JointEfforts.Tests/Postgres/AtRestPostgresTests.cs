using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using JointEfforts.Tests.Infrastructure;
using Npgsql;

namespace JointEfforts.Tests.Postgres;

/// <summary>
/// Issue 27, anonymity on PostgreSQL: rows written in one transaction share <c>xmin</c>, and a heap keeps rows in arrival
/// order (<c>ctid</c>), so a reaction response could be joined to its code's use by system columns. 20 codes are answered
/// one by one in a random order, each in a transaction that writes what the API's anonymous submission writes (the code's
/// use, the response with a random id and a date, its answers, an anonymous Idempotency-Key receipt). The attacker knows
/// the order and pairs code uses with responses by xmin, by ctid order, by raw heap pages and by every time column. Before
/// <c>je_scrub_anonymous()</c> each channel links all 20 (the attack is real); after it, none links more than chance.
/// </summary>
public sealed class AtRestPostgresTests
{
    private const int Classroom = 20;

    [PostgresOnly("system columns, heap pages and the server log of PostgreSQL")]
    public void AfterTheScrubNeitherXminNorCtidNorTheRawPagesNorAnyTimeLinkACodeToItsAnswers()
    {
        using var pg = SchemaDatabases.Postgres();
        using var db = pg.Open();
        db.Execute("""
            INSERT INTO projects (id, code, title, funding_programme, start_date, end_date, target_participants_trained) VALUES (1, 'P', 'T', 'F', '2026-01-01', '2026-12-31', 1);
            INSERT INTO evaluation_forms (id, title, purpose, languages) VALUES (1, 'Reaction', 'reaction', '["en"]');
            INSERT INTO form_questions (form_id, position, question_key, type, level, texts) VALUES (1, 1, 'overall', 'likert5', 'reaction', '{}'), (1, 2, 'comments', 'text', 'reaction', '{}');
            INSERT INTO courses (id, project_id, title, country_code, city, language, start_date, end_date, evaluation_form_id) VALUES (1, 1, 'C', 'PL', 'W', 'en', '2026-02-01', '2026-02-02', 1);
            INSERT INTO evaluation_code_batches (id, course_id, issued_on, code_count) VALUES (1, 1, '2026-02-01', 20);
            INSERT INTO evaluation_codes (id, course_id, code, batch_id) SELECT g, 1, 'CODE' || lpad(g::text, 8, '0'), 1 FROM generate_series(1, 20) g;
            SELECT je_sync_identities();
            """);

        // The classroom answers one after the other, in an order the attacker noted: arrival rank of each code.
        var order = Enumerable.Range(1, Classroom).OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).ToArray();
        var arrivalOfCode = new Dictionary<long, int>();
        for (var rank = 0; rank < Classroom; rank++)
        {
            var codeId = order[rank];
            arrivalOfCode[codeId] = rank;
            using var transaction = db.BeginTransaction();
            db.Execute("INSERT INTO evaluation_code_uses (code_id, purpose) VALUES (@codeId, 'reaction')", new { codeId }, transaction);
            var responseId = RandomId();
            db.Execute(
                "INSERT INTO evaluation_responses (id, course_id, form_id, purpose, code_id, source, language, score, submitted_at) VALUES (@responseId, 1, 1, 'reaction', NULL, 'online', 'en', NULL, '2026-02-02')",
                new { responseId }, transaction);
            db.Execute(
                """
                INSERT INTO evaluation_answers (id, response_id, question_key, number_value, text_value)
                VALUES (@a, @responseId, 'overall', @overall, NULL), (@b, @responseId, 'comments', NULL, @marker)
                """,
                new { a = RandomId(), b = RandomId(), responseId, overall = (double)((codeId % 5) + 1), marker = Marker(codeId) }, transaction);
            db.Execute(
                "INSERT INTO idempotency_keys (scope, key, method, path, request_hash, status_code, created_at) VALUES ('anonymous', @key, 'POST', '/api/evaluations', 'hmac', 201, '2026-02-03T00:00:00.000Z')",
                new { key = $"answer-{codeId}" }, transaction);
            transaction.Commit();
        }

        var before = Attack(db, arrivalOfCode);
        Assert.Equal(Classroom, before.ByXmin, 3);
        Assert.Equal(Classroom, before.ByCtidRank);
        Assert.Equal(Classroom, before.DistinctCodeXmax);
        Assert.All(before.InArrivalOrder.Values, share => Assert.Equal(1.0, share));

        using (var transaction = db.BeginTransaction())
        {
            // As the API calls it: in a write transaction of its own, after the write lock. It rewrote 20 code uses, 20
            // responses, 40 answers, 20 receipts, the 20 codes and the course's figures.
            db.Execute("SELECT pg_advisory_xact_lock(27)", transaction: transaction);
            Assert.Equal((Classroom * 6) + 1, db.ExecuteScalar<long>("SELECT je_scrub_anonymous()", transaction: transaction));
            transaction.Commit();
        }

        var after = Attack(db, arrivalOfCode);
        // One xmin for every row: the join offers every marker to every code, 1 in 20 right (chance: 1 code in all).
        Assert.Equal(1.0, after.ByXmin, 3);
        // n-th code used paired with the n-th response stored: a random order matches about 1 (6 or more: p < 0.001).
        Assert.True(after.ByCtidRank <= 5, $"ctid order pairs {after.ByCtidRank} of {Classroom} codes with their answers");
        // Pairs of rows lying in arrival order: about half in a random layout (sd 8 % for 20 rows; above 80 %: p < 0.0002
        // per table); all of them before.
        foreach (var (table, share) in after.InArrivalOrder)
        {
            Assert.True(share <= 0.80, $"{table}: {share:P0} of the pairs of rows lie in arrival order");
        }

        Assert.Equal(1, after.DistinctXmin);
        Assert.True(after.DistinctCodeXmax <= 1, "the codes' xmax still tells the order in which they were used");
        Assert.Equal(1, after.DistinctTimes);

        // The figures are what they were, and no trigger fired during the rewrite (no audit row, no recount).
        Assert.Equal((20, 20), db.QuerySingle<(int, int)>("SELECT reactions, overall_answers FROM report_course_evaluations WHERE course_id = 1"));
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE entity IN ('evaluationResponse', 'evaluationCode')"));
        Assert.True(db.ExecuteScalar<bool>("SELECT tgenabled = 'O' FROM pg_trigger WHERE tgname = 'report_course_evaluations_response_insert'"));

        // The raw heap pages (pageinspect, as someone with the files would read them): no dead version of a row, and one
        // t_xmin for all, in each table the anonymous transaction wrote.
        if (db.ExecuteScalar<bool>("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        {
            db.Execute("CREATE EXTENSION IF NOT EXISTS pageinspect");
            foreach (var table in new[] { "evaluation_codes", "evaluation_code_uses", "evaluation_responses", "evaluation_answers", "idempotency_keys", "report_course_evaluations" })
            {
                var items = db.Query<(long? Xmin, long? Xmax)>(
                    $"""
                    SELECT t_xmin::text::bigint, t_xmax::text::bigint
                    FROM generate_series(0, pg_relation_size('{table}') / current_setting('block_size')::int - 1) AS page,
                         heap_page_items(get_raw_page('{table}', page::int))
                    WHERE lp_len > 0
                    """).ToList();
                Assert.Equal(db.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table}"), items.Count);
                var xmin = Assert.Single(items.Select(i => i.Xmin).Distinct());
                // xmax: 0, or the same transaction (a foreign key check of the rewrite locking the row it references).
                Assert.All(items, i => Assert.Contains(i.Xmax, new long?[] { 0, xmin }));
            }
        }
    }

    [PostgresOnly("the scrub's locks on PostgreSQL")]
    public async Task TheScrubWaitsForAReaderOfSeveralTablesWithoutHoldingAnyOfThemSoNeitherDeadlocks()
    {
        using var pg = SchemaDatabases.Postgres();
        using var reader = pg.Open();
        using var scrubber = pg.Open();

        // A reader's transaction reads responses, the scrub starts, then the reader reads codes: had the scrub taken
        // evaluation_codes while waiting for evaluation_responses, the two would wait for each other.
        using var reading = reader.BeginTransaction();
        reader.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_responses", transaction: reading);
        var scrub = Task.Run(() => scrubber.ExecuteScalar<long>("SELECT je_scrub_anonymous()"));
        await Task.Delay(500);
        Assert.False(scrub.IsCompleted);
        var readCodes = Task.Run(() => reader.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_codes", transaction: reading));
        Assert.Same(readCodes, await Task.WhenAny(readCodes, Task.Delay(TimeSpan.FromSeconds(5))));
        Assert.Equal(0, await readCodes); // not chosen as a deadlock victim
        reading.Commit();
        Assert.Same(scrub, await Task.WhenAny(scrub, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(0, await scrub);
    }

    [PostgresOnly("system columns, heap pages and the server log of PostgreSQL")]
    public void WithTheDocumentedLogSettingsTheServerLogKeepsNoCodeWhereLoggingEveryStatementWould()
    {
        using var pg = SchemaDatabases.Postgres();
        using var db = pg.Open();

        // Settings only a server start changes: commit timestamps off, no auto_explain (docs/reliability.md).
        var server = db.Query<(string Name, string Setting)>(
                "SELECT name, setting FROM pg_settings WHERE name IN ('track_commit_timestamp', 'shared_preload_libraries', 'session_preload_libraries')")
            .ToDictionary(s => s.Name, s => s.Setting, StringComparer.Ordinal);
        Assert.Equal("off", server["track_commit_timestamp"]);
        Assert.DoesNotContain("auto_explain", server["shared_preload_libraries"] + server["session_preload_libraries"], StringComparison.Ordinal);

        // The log settings are the server's; a superuser may set them per session, which is how this test tries both the
        // documented ones and settings that log everything, on whatever server the tests run on.
        var log = ServerLog(db);
        if (log is null)
        {
            // An existing server (JE_POSTGRES) whose log this role cannot read; the throwaway one's always can be.
            Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JE_TEST_POSTGRES_DIR")), "The throwaway server's log could not be read.");
            return;
        }

        db.Execute("""
            INSERT INTO projects (id, code, title, funding_programme, start_date, end_date, target_participants_trained) VALUES (1, 'P', 'T', 'F', '2026-01-01', '2026-12-31', 1);
            INSERT INTO courses (id, project_id, title, country_code, city, language, start_date, end_date) VALUES (1, 1, 'C', 'PL', 'W', 'en', '2026-02-01', '2026-02-02');
            """);

        var leaky = $"LEAKPROBE{RandomNumberGenerator.GetHexString(12)}";
        db.Execute("SET log_statement = 'all'; SET log_parameter_max_length = -1; SET log_parameter_max_length_on_error = -1; SET log_error_verbosity = 'default'");
        Probe(db, leaky, 1);

        var code = $"CODEPROBE{RandomNumberGenerator.GetHexString(12)}";
        db.Execute("""
            SET log_statement = 'none'; SET log_min_duration_statement = -1; SET log_min_duration_sample = -1;
            SET log_transaction_sample_rate = 0; SET log_parameter_max_length = 0; SET log_parameter_max_length_on_error = 0;
            SET log_error_verbosity = 'terse'
            """);
        Probe(db, code, 2);

        var written = WaitForLog(db, leaky);
        Assert.Contains(leaky, written, StringComparison.Ordinal); // logging every statement would have kept the code
        Assert.DoesNotContain(code, written, StringComparison.Ordinal);
        Assert.Contains("duplicate key value violates unique constraint", written, StringComparison.Ordinal);
    }

    /// <summary>A code stored, looked up, used in a slow statement, and refused twice (a duplicate code, a used code).</summary>
    private static void Probe(NpgsqlConnection db, string code, long id)
    {
        db.Execute("INSERT INTO evaluation_codes (id, course_id, code) VALUES (@id, 1, @code)", new { id, code });
        db.ExecuteScalar<long?>("SELECT id FROM evaluation_codes WHERE code = @code", new { code });
        db.Execute("SELECT pg_sleep(0.05), @code::text", new { code });
        Assert.Throws<PostgresException>(() => db.Execute("INSERT INTO evaluation_codes (id, course_id, code) VALUES (@id, 1, @code)", new { id = id + 100, code }));
        db.Execute("INSERT INTO evaluation_code_uses (code_id, purpose) SELECT id, 'reaction' FROM evaluation_codes WHERE code = @code", new { code });
        Assert.Throws<PostgresException>(() => db.Execute(
            "INSERT INTO evaluation_code_uses (code_id, purpose) SELECT id, 'reaction' FROM evaluation_codes WHERE code = @code", new { code }));
    }

    /// <summary>
    /// The server's log as far as written: its current file (logging_collector on), or the file tests/postgres.sh starts the
    /// throwaway server with (JE_TEST_POSTGRES_DIR/server.log); null when neither can be read.
    /// </summary>
    private static string? ServerLog(NpgsqlConnection db)
    {
        if (!db.ExecuteScalar<bool>("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        {
            return null;
        }

        if (db.ExecuteScalar<string?>("SELECT pg_current_logfile()") is { } current)
        {
            return db.ExecuteScalar<string>("SELECT pg_read_file(@current)", new { current });
        }

        var file = Environment.GetEnvironmentVariable("JE_TEST_POSTGRES_DIR") is { Length: > 0 } dir ? Path.Combine(dir, "server.log") : null;
        return file is not null && File.Exists(file) ? File.ReadAllText(file) : null;
    }

    /// <summary>The log once <paramref name="marker"/> is in it (the logging collector writes asynchronously), or after 5 s.</summary>
    private static string WaitForLog(NpgsqlConnection db, string marker)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var log = ServerLog(db) ?? "";
            if (log.Contains(marker, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return log;
            }

            Thread.Sleep(100);
        }
    }

    private static string Marker(long codeId) => $"answer-marker-{codeId:D2}";

    private static long RandomId() => (long)(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) % 9007199254740990UL) + 1;

    /// <summary>
    /// What the attacker gets. ByXmin: for each code use, the answers sharing its xmin, scored 1/candidates when the right
    /// one is among them (20 = every code linked, 1 = chance). ByCtidRank: codes whose n-th place among the code uses is the
    /// n-th place of their response. InArrivalOrder: per table, the share of pairs of rows whose physical order is their
    /// arrival order. DistinctXmin / DistinctTimes: over all rows and every time column of the tables written.
    /// DistinctCodeXmax: the transactions whose id the codes' rows keep as xmax (one per code used, in order of use).
    /// </summary>
    private static AttackResult Attack(NpgsqlConnection db, Dictionary<long, int> arrivalOfCode)
    {
        var byXmin = db.Query<(long CodeId, string Marker, long Candidates)>(
                """
                SELECT u.code_id, a.text_value, COUNT(*) OVER (PARTITION BY u.code_id)
                FROM evaluation_code_uses u
                JOIN evaluation_responses r ON r.xmin = u.xmin
                JOIN evaluation_answers a ON a.response_id = r.id AND a.question_key = 'comments'
                """)
            .Where(l => l.Marker == Marker(l.CodeId))
            .Sum(l => 1.0 / l.Candidates);

        var codesInPlace = db.Query<long>("SELECT code_id FROM evaluation_code_uses ORDER BY ctid").ToList();
        var markersInPlace = db.Query<string>(
            "SELECT a.text_value FROM evaluation_responses r JOIN evaluation_answers a ON a.response_id = r.id AND a.question_key = 'comments' ORDER BY r.ctid").ToList();
        var byCtidRank = codesInPlace.Zip(markersInPlace).Count(p => Marker(p.First) == p.Second);

        var arrivalOfMarker = arrivalOfCode.ToDictionary(kv => Marker(kv.Key), kv => kv.Value, StringComparer.Ordinal);
        var inArrivalOrder = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["evaluation_code_uses"] = ShareInOrder(codesInPlace.Select(c => arrivalOfCode[c])),
            ["evaluation_responses"] = ShareInOrder(markersInPlace.Select(m => arrivalOfMarker[m])),
            ["evaluation_answers"] = ShareInOrder(db.Query<string>(
                    "SELECT a.text_value FROM evaluation_answers a WHERE a.question_key = 'comments' ORDER BY a.ctid")
                .Select(m => arrivalOfMarker[m])),
            ["idempotency_keys"] = ShareInOrder(db.Query<string>("SELECT key FROM idempotency_keys ORDER BY ctid")
                .Select(k => arrivalOfCode[long.Parse(k["answer-".Length..], CultureInfo.InvariantCulture)])),
        };

        var distinctXmin = db.ExecuteScalar<int>(
            """
            SELECT COUNT(DISTINCT x) FROM (
                SELECT xmin::text AS x FROM evaluation_code_uses UNION ALL SELECT xmin::text FROM evaluation_responses
                UNION ALL SELECT xmin::text FROM evaluation_answers UNION ALL SELECT xmin::text FROM idempotency_keys
                UNION ALL SELECT xmin::text FROM evaluation_codes) rows
            """);
        // The foreign key check of a code's use locks the code's row: its xmax is the using transaction, in order of use.
        var distinctCodeXmax = db.ExecuteScalar<int>("SELECT COUNT(DISTINCT xmax::text) FROM evaluation_codes WHERE xmax::text <> '0'");
        var distinctTimes = db.ExecuteScalar<int>(
            """
            SELECT GREATEST((SELECT COUNT(DISTINCT submitted_at) FROM evaluation_responses),
                            (SELECT COUNT(DISTINCT created_at) FROM idempotency_keys WHERE scope = 'anonymous'))
            """);
        return new AttackResult(byXmin, byCtidRank, inArrivalOrder, distinctXmin, distinctTimes, distinctCodeXmax);
    }

    /// <summary>The share of pairs (i &lt; j) of a physical order whose arrival ranks are in order too.</summary>
    private static double ShareInOrder(IEnumerable<int> arrivalRanks)
    {
        var ranks = arrivalRanks.ToArray();
        var (inOrder, pairs) = (0, 0);
        for (var i = 0; i < ranks.Length; i++)
        {
            for (var j = i + 1; j < ranks.Length; j++)
            {
                pairs++;
                inOrder += ranks[i] < ranks[j] ? 1 : 0;
            }
        }

        return (double)inOrder / pairs;
    }

    private sealed record AttackResult(double ByXmin, int ByCtidRank, Dictionary<string, double> InArrivalOrder, int DistinctXmin, int DistinctTimes, int DistinctCodeXmax);
}
