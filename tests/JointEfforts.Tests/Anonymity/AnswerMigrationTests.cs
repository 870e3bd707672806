using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Anonymity;

/// <summary>sql/0010: answers stored before it lose what could trace them, and keep what the figures need.</summary>
public sealed class AnswerMigrationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jointefforts-tests", Guid.NewGuid().ToString("N"));

    public AnswerMigrationTests() => Directory.CreateDirectory(_folder);

    [SqliteOnly("migrates an older SQLite file through the sql/ scripts; PostgreSQL starts from the sql/postgres baseline")]
    public void ExistingAnswersAreUnlinkedRenumberedAndDatedAndTheirAuditRowsGo()
    {
        // The schema before 0010, with answers written the old way (audit triggers firing).
        var before = Path.Combine(_folder, "sql");
        Directory.CreateDirectory(before);
        foreach (var script in Directory.GetFiles(MigrationRunner.DefaultDirectory, "*.sql").Where(f => string.CompareOrdinal(Path.GetFileName(f), "0010") < 0))
        {
            File.Copy(script, Path.Combine(before, Path.GetFileName(script)));
        }

        var database = new Database($"Data Source={Path.Combine(_folder, "old.db")}");
        var runner = new MigrationRunner(database, NullLogger<MigrationRunner>.Instance);
        runner.Apply(before);
        using (var db = database.Open())
        {
            db.Execute(
                """
                INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained) VALUES ('OLD', 'Old', 'ISEC', '2012-01-01', '2014-12-31', 10);
                INSERT INTO evaluation_forms (title, languages, purpose) VALUES ('Reaction', '["en"]', 'reaction');
                INSERT INTO evaluation_forms (title, languages, purpose) VALUES ('Pre', '["en"]', 'preTest');
                INSERT INTO courses (project_id, title, country_code, city, venue, language, start_date, end_date, min_participants, max_participants, status)
                VALUES (1, 'Old course', 'AT', 'Vienna', 'Hall', 'en', '2013-05-06', '2013-05-08', 1, 40, 'delivered');
                INSERT INTO evaluation_codes (course_id, code, created_at) VALUES (1, 'ABCDEFGHJK22', '2013-05-08T15:01:02.345Z'), (1, 'ABCDEFGHJK23', '2013-05-08T15:01:02.346Z');
                INSERT INTO evaluation_responses (course_id, form_id, purpose, code_id, source, language, score, submitted_at) VALUES
                    (1, 2, 'preTest', 1, 'online', 'en', 0.5, '2013-05-06T09:00:01.000Z'),
                    (1, 1, 'reaction', 1, 'online', 'en', NULL, '2013-05-08T15:30:07.123Z'),
                    (1, 1, 'reaction', 2, 'online', 'en', NULL, '2013-05-08T15:31:09.456Z');
                INSERT INTO evaluation_answers (response_id, question_key, number_value) VALUES (2, 'overall', 5), (3, 'overall', 3);
                INSERT INTO evaluation_answers (response_id, question_key, option_value) VALUES (1, 'q1', 'a');
                """);
            Assert.True(db.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE entity = 'evaluationResponse'") > 0);
        }

        runner.Apply();

        using var after = database.Open();
        var responses = after.Query<(long Id, string Purpose, long? CodeId, string SubmittedAt)>(
            "SELECT id, purpose, code_id, submitted_at FROM evaluation_responses ORDER BY purpose, submitted_at").ToList();
        Assert.Equal(
            [("preTest", (long?)1, "2013-05-06"), ("reaction", null, "2013-05-08"), ("reaction", null, "2013-05-08")],
            responses.Select(r => (r.Purpose, r.CodeId, r.SubmittedAt)).ToList());
        Assert.All(responses, r => Assert.True(r.Id > 3, "renumbered at random"));
        Assert.Equal(
            ["1:preTest", "1:reaction", "2:reaction"],
            after.Query<string>("SELECT code_id || ':' || purpose FROM evaluation_code_uses ORDER BY code_id, purpose").ToArray());
        Assert.Equal([3.0, 5.0], after.Query<double>(
            "SELECT a.number_value FROM evaluation_answers a JOIN evaluation_responses r ON r.id = a.response_id WHERE a.question_key = 'overall' ORDER BY 1").ToArray());
        Assert.Equal(0, after.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_answers WHERE id <= 3"));
        Assert.Equal(["2013-05-08", "2013-05-08"], after.Query<string>("SELECT created_at FROM evaluation_codes ORDER BY id").ToArray());
        Assert.Equal(0, after.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE entity IN ('evaluationResponse', 'evaluationCode')"));
        Assert.Empty(after.Query("PRAGMA foreign_key_check"));

        // A writer that gives a time (a sqlite3 shell, an old tool) still stores the date only.
        after.Execute("INSERT INTO evaluation_responses (id, course_id, form_id, purpose, source, language) VALUES (42, 1, 1, 'reaction', 'paper', 'en')");
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", after.ExecuteScalar<string>("SELECT submitted_at FROM evaluation_responses WHERE id = 42"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
