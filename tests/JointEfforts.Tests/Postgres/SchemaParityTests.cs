using System.Data.Common;
using System.Globalization;
using Dapper;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JointEfforts.Tests.Postgres;

/// <summary>
/// Issue 27: sql/postgres/0071_baseline.sql is the schema that sql/0001..0071 build on SQLite. These compare a PostgreSQL
/// database made from sql/postgres/ with a SQLite file migrated from sql/: the same tables and columns, the same refusals,
/// the same audit rows and report figures after the same writes, and figures that stay exact with concurrent writers.
/// </summary>
public sealed class SchemaParityTests : IDisposable
{
    private const long Actor = 7;
    private const string Request = "POST /api/parity";

    /// <summary>SQLite tables with no PostgreSQL counterpart: SQLite's own bookkeeping.</summary>
    private static readonly string[] SqliteInternal = ["sqlite_sequence"];

    /// <summary>
    /// Triggers of SQLite that have no trigger of the same name on PostgreSQL, and why (the baseline's header says it too):
    /// the *_refresh drains (the recount is a function called directly) and report_people's row triggers (done inside
    /// je_report_people_refresh: PostgreSQL fires AFTER ROW triggers after the statement, not after each row).
    /// </summary>
    private static readonly string[] TriggersReplaced = ["report_course_refresh", "report_people_refresh", "report_people_insert", "report_people_delete"];

    private readonly string _sqlitePath = TestDatabases.NewPath();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        TestDatabases.Delete(_sqlitePath);
    }

    [PostgresOnly]
    public void EveryTableAndViewHasTheSameColumnsInTheSameOrderWithTheSameNullabilityAndKindOfType()
    {
        using var pg = SchemaDatabases.Postgres();
        using var sqlite = SchemaDatabases.Sqlite(_sqlitePath);
        using var postgres = pg.Open();

        var sqliteColumns = sqlite.Query<(string Table, long Cid, string Column, string Type, long NotNull, long Pk)>(
                """
                SELECT m.name, c.cid, c.name, c.type, c."notnull", c.pk
                FROM sqlite_schema m JOIN pragma_table_info(m.name) c
                WHERE m.type IN ('table', 'view') ORDER BY m.name, c.cid
                """)
            .Where(c => !SqliteInternal.Contains(c.Table))
            // A primary key column is never NULL (SQLite's pragma reports notnull 0 for INTEGER PRIMARY KEY).
            .Select(c => $"{c.Table}.{c.Column} {Kind(c.Type, c.Table)} {(c.NotNull == 1 || c.Pk > 0 ? "not null" : "null")}")
            .ToList();
        var postgresColumns = postgres.Query<(string Table, int Position, string Column, string Type, string Nullable)>(
                """
                SELECT c.table_name, c.ordinal_position, c.column_name, c.data_type, c.is_nullable
                FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = current_schema()
                ORDER BY c.table_name, c.ordinal_position
                """)
            .Select(c => $"{c.Table}.{c.Column} {Kind(c.Type, c.Table)} {(c.Nullable == "NO" ? "not null" : "null")}")
            .ToList();

        // A view's columns are compared by name and nullability only (SQLite's pragma gives no type for an expression).
        Assert.Equal(sqliteColumns, postgresColumns);
        Assert.Equal(
            "integer",
            postgres.ExecuteScalar<string>("SELECT data_type FROM information_schema.columns WHERE table_name = 'enrolment_completion' AND column_name = 'completed'"));
    }

    [PostgresOnly]
    public void EveryNamedIndexAndTriggerOfSqliteIsThereWithTheSameUniquenessAndPartiality()
    {
        using var pg = SchemaDatabases.Postgres();
        using var sqlite = SchemaDatabases.Sqlite(_sqlitePath);
        using var postgres = pg.Open();

        var sqliteIndexes = sqlite.Query<(string Name, long Unique, long Partial)>(
            """
            SELECT i.name, i."unique", i.partial FROM sqlite_schema m JOIN pragma_index_list(m.name) i
            WHERE m.type = 'table' AND i.origin = 'c'
            """).ToList();
        var postgresIndexes = postgres.Query<(string Name, bool Unique, bool Partial)>(
            """
            SELECT c.relname, i.indisunique, i.indpred IS NOT NULL
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema()
            """).ToDictionary(i => i.Name, StringComparer.Ordinal);
        Assert.NotEmpty(sqliteIndexes);
        foreach (var index in sqliteIndexes)
        {
            Assert.True(postgresIndexes.TryGetValue(index.Name, out var twin), $"index {index.Name} is missing on PostgreSQL");
            Assert.Equal((index.Unique == 1, index.Partial == 1), (twin.Unique, twin.Partial));
        }

        // UNIQUE COLLATE NOCASE on projects.code: a unique index on lower(code).
        Assert.True(postgresIndexes["ux_projects_code"].Unique);

        var sqliteTriggers = sqlite.Query<string>("SELECT name FROM sqlite_schema WHERE type = 'trigger'").ToList();
        var postgresTriggers = postgres.Query<string>(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal").ToHashSet(StringComparer.Ordinal);
        Assert.Equal(
            [],
            sqliteTriggers.Where(t => !TriggersReplaced.Contains(t) && !postgresTriggers.Contains(t)).Order(StringComparer.Ordinal));
        Assert.Equal(
            sqlite.Query<string>("SELECT code FROM languages ORDER BY code"),
            postgres.Query<string>("SELECT code FROM languages ORDER BY code"));
    }

    [PostgresOnly]
    public void BadRowsAreRefusedAndGoodOnesStoredAlikeOnBothEngines()
    {
        using var pg = SchemaDatabases.Postgres();
        using var sqlite = SchemaDatabases.Sqlite(_sqlitePath, Actor, Request);
        using var postgres = pg.Open();
        foreach (var statement in BaseRows)
        {
            sqlite.Execute(statement);
            postgres.Execute(statement);
        }

        string[] refused =
        [
            "INSERT INTO users (user_name, display_name, role) VALUES ('x', 'X', 'boss')",
            "INSERT INTO users (user_name, display_name, role) VALUES ('x', 'X', 'countryExpert')",
            "INSERT INTO users (user_name, display_name, role) VALUES ('COORDINATOR', 'Same name, other case', 'admin')",
            "INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained) VALUES ('X1', 'T', 'F', '2026-02-01', '2026-01-01', 1)",
            "INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained) VALUES ('pl15-0032', 'T', 'F', '2026-01-01', '2026-02-01', 1)",
            "INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained, local_titles) VALUES ('X2', 'T', 'F', '2026-01-01', '2026-02-01', 1, '[\"pl\"]')",
            "INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained, budget_currency) VALUES ('X3', 'T', 'F', '2026-01-01', '2026-02-01', 1, 'eur')",
            "UPDATE courses SET completion_threshold = 0 WHERE id = 1",
            "UPDATE courses SET min_participants = 50 WHERE id = 1",
            "UPDATE courses SET status = 'finished' WHERE id = 1",
            "INSERT INTO course_sessions (course_id, date, title, hours) VALUES (1, '2026-02-03', 'Too long', 25)",
            "INSERT INTO participants (full_name, organisation, sector, country_code, seniority) VALUES ('P', 'O', 'army', 'PL', 'senior')",
            "INSERT INTO enrolments (course_id, participant_id, status) VALUES (1, 1, 'enrolled')",
            "INSERT INTO enrolments (course_id, participant_id, status) VALUES (1, 2, 'maybe')",
            "INSERT INTO enrolments (course_id, participant_id, status) VALUES (1, 999, 'enrolled')",
            "INSERT INTO evaluation_code_uses (code_id, purpose) VALUES (1, 'reaction')",
            "INSERT INTO evaluation_code_uses (code_id, purpose) VALUES (2, 'followUp')",
            "INSERT INTO milestones (phase_id, title, kind, due_date, course_id, meeting_id) VALUES (1, 'M', 'activity', '2026-03-01', 1, 1)",
            "INSERT INTO languages (code) VALUES ('EN')",
            "INSERT INTO language_texts (language, key, text) VALUES ('pl', 'k', '   ')",
            "INSERT INTO outbox (kind, recipient, language, subject, body, message_id) VALUES ('postcard', 'a@b', 'en', 's', 'b', 'm1')",
            "UPDATE evaluation_reports SET overall_rating = 6 WHERE course_id = 1",
        ];
        foreach (var statement in refused)
        {
            Assert.True(Refused(sqlite, statement), $"SQLite stored: {statement}");
            Assert.True(Refused(postgres, statement), $"PostgreSQL stored: {statement}");
        }

        string[] stored =
        [
            "INSERT INTO participants (id, full_name, organisation, sector, country_code, seniority) VALUES (3, 'P', 'O', 'ngo', 'PL', 'unknown')",
            "INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained, local_titles, budget_currency) VALUES ('X4', 'T', 'F', '2026-01-01', '2026-02-01', 1, '{\"pl\":\"Tytuł\"}', 'EUR')",
            "UPDATE users SET deleted_at = '2026-01-05T10:00:00.000Z' WHERE id = 7",
            "INSERT INTO users (user_name, display_name, role) VALUES ('coordinator', 'A new one once the old one is deleted', 'coordinator')",
            "INSERT INTO enrolments (course_id, participant_id, status) VALUES (1, 3, 'waitlisted')",
            "INSERT INTO evaluation_code_uses (code_id, purpose) VALUES (1, 'preTest')",
        ];
        foreach (var statement in stored)
        {
            sqlite.Execute(statement);
            postgres.Execute(statement);
        }

        // PostgreSQL guards the text formats of dates and timestamps, which SQLite stores as given.
        Assert.True(Refused(postgres, "UPDATE courses SET start_date = '1 Feb 2026' WHERE id = 1"));
        Assert.True(Refused(postgres, "UPDATE enrolments SET withdrawn_at = '2026-02-01 10:00' WHERE id = 1"));
    }

    [PostgresOnly]
    public void TheSameWritesLeaveTheSameAuditRowsCountsAndReportFiguresOnBothEngines()
    {
        using var pg = SchemaDatabases.Postgres();
        using var sqlite = SchemaDatabases.Sqlite(_sqlitePath, Actor, Request);
        using var postgres = pg.Open();
        using (var transaction = sqlite.BeginTransaction())
        {
            foreach (var statement in BaseRows.Concat(Writes))
            {
                sqlite.Execute(statement, transaction: transaction);
            }

            transaction.Commit();
        }

        using (var transaction = postgres.BeginTransaction())
        {
            postgres.Execute(
                "SELECT set_config('je.actor', @actor, true), set_config('je.request', @request, true)",
                new { actor = Actor.ToString(CultureInfo.InvariantCulture), request = Request }, transaction);
            foreach (var statement in BaseRows.Concat(Writes))
            {
                postgres.Execute(statement, transaction: transaction);
            }

            transaction.Commit();
        }

        string[] compared =
        [
            "SELECT user_id, action, entity, entity_id, details, request FROM audit_log ORDER BY id",
            "SELECT substr(at, 11) FROM audit_log WHERE action = 'evaluationPaperForm.insert'",
            "SELECT * FROM report_course_evaluations ORDER BY course_id",
            "SELECT * FROM report_people ORDER BY project_id, participant_id, country_code",
            "SELECT * FROM report_countries ORDER BY project_id, country_code",
            "SELECT * FROM report_mix ORDER BY project_id, sector, seniority",
            "SELECT * FROM enrolment_completion ORDER BY enrolment_id",
            "SELECT id, session_count FROM courses ORDER BY id",
            "SELECT id, status, sessions_attended FROM enrolments ORDER BY id",
            "SELECT id, submitted_at FROM evaluation_responses ORDER BY id",
            "SELECT id, created_at FROM evaluation_codes ORDER BY id",
            "SELECT id, recipient, subject, status FROM outbox ORDER BY id",
            "SELECT (SELECT COUNT(*) FROM report_course_refresh) + (SELECT COUNT(*) FROM report_people_refresh)",
        ];
        foreach (var query in compared)
        {
            var expected = Rows(sqlite, query);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Rows(postgres, query));
        }

        Assert.Contains("7|user.insert|user|7|{\"role\":\"coordinator\",\"countryCode\":null,\"deleted\":0}|POST /api/parity", Rows(postgres, compared[0]));
    }

    [PostgresOnly]
    public async Task FourHundredResponsesFromEightConnectionsAtOnceAreAllCounted()
    {
        using var pg = SchemaDatabases.Postgres();
        using (var postgres = pg.Open())
        {
            foreach (var statement in BaseRows)
            {
                postgres.Execute(statement);
            }

            postgres.Execute("INSERT INTO evaluation_codes (id, course_id, code) SELECT 1000 + g, 1, 'CODE' || g FROM generate_series(1, 200) g");
        }

        const int Connections = 8;
        const int PerConnection = 50;
        // Reaction responses with their overall answer, and pre- and post-tests of 200 codes, the two halves of each pair
        // sent on different connections at the same time.
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(c => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(pg.ConnectionString);
            await connection.OpenAsync();
            for (var i = 0; i < PerConnection; i++)
            {
                var n = (c * PerConnection) + i;
                await using var transaction = await connection.BeginTransactionAsync();
                var id = 1_000_000 + n;
                await connection.ExecuteAsync(
                    "INSERT INTO evaluation_responses (id, course_id, form_id, purpose, source, language) VALUES (@id, 1, 1, 'reaction', @source, 'en')",
                    new { id, source = n % 4 == 0 ? "paper" : "online" }, transaction);
                await connection.ExecuteAsync(
                    "INSERT INTO evaluation_answers (id, response_id, question_key, number_value) VALUES (@id, @id, 'overall', @value)",
                    new { id, value = (double)((n % 5) + 1) }, transaction);
                var code = 1001 + (n % 200);
                var purpose = (c % 2 == 0) == (n < 200) ? "preTest" : "postTest";
                await connection.ExecuteAsync(
                    "INSERT INTO evaluation_responses (id, course_id, form_id, purpose, code_id, source, language, score) VALUES (@id, 1, @form, @purpose, @code, 'online', 'en', @score)",
                    new { id = 2_000_000 + n, form = purpose == "preTest" ? 2 : 3, purpose, code, score = purpose == "preTest" ? 0.25 : 0.75 }, transaction);
                await transaction.CommitAsync();
            }
        })));

        using var check = pg.Open();
        var figures = check.QuerySingle<(int Reactions, int Paper, int OverallAnswers, double OverallSum, int PreTests, int PostTests, int Pairs, double GainSum)>(
            "SELECT reactions, paper, overall_answers, overall_sum, pre_tests, post_tests, pairs, gain_sum FROM report_course_evaluations WHERE course_id = 1");
        var expectedSum = Enumerable.Range(0, 400).Sum(n => (n % 5) + 1);
        Assert.Equal((400, 100, 400, (double)expectedSum, 200, 200, 200, 100.0), figures);
    }

    [PostgresOnly]
    public async Task FourHundredEnrolmentsFromEightConnectionsAtOnceAreAllCountedPerCountryAndMix()
    {
        using var pg = SchemaDatabases.Postgres();
        using (var postgres = pg.Open())
        {
            foreach (var statement in BaseRows)
            {
                postgres.Execute(statement);
            }

            postgres.Execute("UPDATE courses SET max_participants = 1000 WHERE id = 1");
            postgres.Execute("""
                INSERT INTO participants (id, full_name, organisation, sector, country_code, seniority)
                SELECT 1000 + g, 'P' || g, 'O', 'health', 'PL', 'field' FROM generate_series(1, 400) g
                """);
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(c => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(pg.ConnectionString);
            await connection.OpenAsync();
            for (var i = 0; i < 50; i++)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO enrolments (course_id, participant_id, status) VALUES (1, @participant, 'enrolled')",
                    new { participant = 1001 + (c * 50) + i });
            }
        })));

        using var check = pg.Open();
        Assert.Equal(
            (402L, 402L),
            check.QuerySingle<(long, long)>("SELECT people, enrolments FROM report_countries WHERE project_id = 1 AND country_code = 'PL'"));
        Assert.Equal(400, check.ExecuteScalar<int>("SELECT people FROM report_mix WHERE project_id = 1 AND sector = 'health' AND seniority = 'field'"));
    }

    /// <summary>A programme, its phase, a meeting, three forms, a course with two sessions, two participants enrolled, a code, a report.</summary>
    private static readonly string[] BaseRows =
    [
        "INSERT INTO users (id, user_name, display_name, role) VALUES (7, 'Coordinator', 'C', 'coordinator')",
        "INSERT INTO projects (id, code, title, funding_programme, start_date, end_date, target_participants_trained) VALUES (1, 'PL15-0032', 'T', 'Norway Grants', '2026-01-01', '2026-12-31', 100)",
        "INSERT INTO phases (id, project_id, number, kind, name) VALUES (1, 1, 1, 'planning', 'Planning')",
        "INSERT INTO meetings (id, project_id, kind, title, city, country_code, start_date, end_date) VALUES (1, 1, 'kickOff', 'K', 'Warsaw', 'PL', '2026-01-10', '2026-01-10')",
        "INSERT INTO evaluation_forms (id, title, purpose, languages) VALUES (1, 'Reaction', 'reaction', '[\"en\"]'), (2, 'Pre', 'preTest', '[\"en\"]'), (3, 'Post', 'postTest', '[\"en\"]')",
        "INSERT INTO form_questions (form_id, position, question_key, type, level, texts) VALUES (1, 1, 'overall', 'likert5', 'reaction', '{\"en\":\"Overall\"}')",
        "INSERT INTO courses (id, project_id, title, country_code, city, language, start_date, end_date, evaluation_form_id) VALUES (1, 1, 'Course', 'PL', 'Warsaw', 'en', '2026-02-01', '2026-02-02', 1)",
        "INSERT INTO course_sessions (id, course_id, date, title, hours) VALUES (1, 1, '2026-02-01', 'One', 4), (2, 1, '2026-02-02', 'Two', 4)",
        "INSERT INTO participants (id, full_name, email, organisation, sector, country_code, seniority) VALUES (1, 'Anna', 'anna@example.org', 'NGO', 'ngo', 'PL', 'senior'), (2, 'Jan', NULL, 'Police', 'lawEnforcement', 'PL', 'field')",
        "INSERT INTO enrolments (id, course_id, participant_id, status) VALUES (1, 1, 1, 'enrolled'), (2, 1, 2, 'enrolled')",
        "INSERT INTO evaluation_code_batches (id, course_id, issued_on, code_count) VALUES (1, 1, '2026-02-01', 2)",
        "INSERT INTO evaluation_codes (id, course_id, code, created_at, batch_id) VALUES (1, 1, 'ABCDEFGHJKLM', '2026-02-01T09:15:00.000Z', 1), (2, 1, 'NPQRSTUVWXYZ', '2026-02-01', 1)",
        "INSERT INTO evaluation_code_uses (code_id, purpose) VALUES (1, 'reaction')",
        "INSERT INTO evaluation_reports (course_id) VALUES (1)",
        "SELECT je_sync_identities()",
    ];

    /// <summary>Writes of every audited kind and every aggregate path, in portable SQL.</summary>
    private static readonly string[] Writes =
    [
        "UPDATE users SET display_name = 'Coordinator of PL' WHERE id = 7",
        "INSERT INTO api_tokens (id, user_id, token_hash) VALUES (1, 7, 'hash')",
        "UPDATE api_tokens SET revoked_at = '2026-01-02T00:00:00.000Z' WHERE id = 1",
        "UPDATE projects SET status = 'running' WHERE id = 1",
        "UPDATE phases SET status = 'inProgress' WHERE id = 1",
        "INSERT INTO milestones (id, phase_id, title, kind, due_date, course_id) VALUES (1, 1, 'Course held', 'activity', '2026-02-02', 1)",
        "UPDATE milestones SET completed_on = '2026-02-02' WHERE id = 1",
        "INSERT INTO meeting_attendees (id, meeting_id, full_name, organisation, organisation_type, country_code) VALUES (1, 1, 'Ola', 'Ministry', 'government', 'PL')",
        "INSERT INTO recommendations (id, meeting_id, text) VALUES (1, 1, 'More courses')",
        "UPDATE recommendations SET status = 'implemented' WHERE id = 1",
        "UPDATE evaluation_forms SET title = 'Reaction form' WHERE id = 1",
        "UPDATE courses SET status = 'open' WHERE id = 1",
        "UPDATE courses SET session_count = session_count WHERE id = 1",
        "INSERT INTO course_sessions (id, course_id, date, title, hours) VALUES (3, 1, '2026-02-02', 'Three', 2)",
        "INSERT INTO participants (id, full_name, organisation, sector, country_code, seniority) VALUES (3, 'Eva', 'Court', 'judiciary', 'PL', 'unknown')",
        "INSERT INTO enrolments (id, course_id, participant_id, status) VALUES (3, 1, 3, 'waitlisted')",
        "INSERT INTO attendance (session_id, participant_id, status) VALUES (1, 1, 'present'), (2, 1, 'late'), (3, 1, 'present'), (1, 2, 'present'), (2, 2, 'absent')",
        "UPDATE attendance SET status = 'present' WHERE session_id = 2 AND participant_id = 2",
        "INSERT INTO evaluation_responses (id, course_id, form_id, purpose, code_id, source, language, score, submitted_at) VALUES (900001, 1, 1, 'reaction', NULL, 'online', 'en', NULL, '2026-02-02T10:42:00.000Z'), (900002, 1, 1, 'reaction', NULL, 'paper', 'en', NULL, '2026-02-02'), (900003, 1, 2, 'preTest', 1, 'online', 'en', 0.5, '2026-02-01'), (900004, 1, 3, 'postTest', 1, 'online', 'en', 0.75, '2026-02-02'), (900005, 1, 2, 'preTest', 2, 'online', 'en', 0.25, '2026-02-01')",
        "INSERT INTO evaluation_answers (id, response_id, question_key, option_value, number_value, text_value) VALUES (11, 900001, 'overall', NULL, 4, NULL), (12, 900002, 'overall', NULL, 5, NULL), (13, 900001, 'comments', NULL, NULL, 'Good')",
        "INSERT INTO evaluation_responses (id, course_id, form_id, purpose, code_id, source, language, score, submitted_at) VALUES (900006, 1, 3, 'postTest', 2, 'paper', 'en', 1.0, '2026-02-02')",
        "DELETE FROM evaluation_answers WHERE id = 12",
        "UPDATE evaluation_reports SET state = 'submitted', submitted_at = '2026-02-03T12:00:00.000Z', submitted_by = 7 WHERE course_id = 1",
        "DELETE FROM course_sessions WHERE id = 3",
        "UPDATE enrolments SET status = 'withdrawn', withdrawn_at = '2026-02-02T12:00:00.000Z' WHERE id = 2",
        "UPDATE enrolments SET status = 'enrolled' WHERE id = 3",
        "UPDATE participants SET sector = 'health' WHERE id = 1",
        "INSERT INTO outbox (id, kind, recipient, participant_id, course_id, enrolment_id, language, subject, body, message_id) VALUES (1, 'invitation', 'anna@example.org', 1, 1, 1, 'en', 'Welcome', 'Dear Anna', '<m1@je>')",
        "UPDATE participants SET full_name = NULL, email = NULL, erased_at = '2026-02-04T00:00:00.000Z' WHERE id = 1",
        "DELETE FROM attendance WHERE session_id = 1 AND participant_id = 2",
        "UPDATE courses SET status = 'delivered' WHERE id = 1",
    ];

    private static bool Refused(DbConnection connection, string statement)
    {
        try
        {
            connection.Execute(statement);
            return false;
        }
        catch (SqliteException)
        {
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState.StartsWith("23", StringComparison.Ordinal))
        {
            return true;
        }
    }

    /// <summary>Each row as 'v1|v2|...': numbers in one notation whatever their storage type, NULL as 'null'.</summary>
    private static List<string> Rows(DbConnection connection, string query)
    {
        var rows = new List<string>();
        using var command = connection.CreateCommand();
        command.CommandText = query;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                values[i] = reader.GetValue(i) switch
                {
                    DBNull => "null",
                    string s => s,
                    bool b => b ? "1" : "0",
                    var number => Convert.ToDouble(number, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
                };
            }

            rows.Add(string.Join('|', values));
        }

        return rows;
    }

    /// <summary>The kind of a declared type on either engine: integer, real, text or bytes (a view's columns: not compared).</summary>
    private static string Kind(string type, string table) => table == "enrolment_completion" ? "(view)" : type.ToLowerInvariant() switch
    {
        "integer" or "bigint" => "integer",
        "real" or "double precision" => "real",
        "text" => "text",
        "blob" or "bytea" => "bytes",
        var other => other,
    };
}
