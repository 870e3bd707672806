using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Reports;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Reports;

/// <summary>sql/0030 backfills its aggregates from the data already there: the figures are the same before and after it.</summary>
public sealed class ReportAggregatesMigrationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jointefforts-tests", Guid.NewGuid().ToString("N"));

    public ReportAggregatesMigrationTests() => Directory.CreateDirectory(_folder);

    [SqliteOnly("migrates an older SQLite file through the sql/ scripts; PostgreSQL starts from the sql/postgres baseline")]
    public async Task TheBackfillGivesTheFiguresTheDashboardComputedBeforeIt()
    {
        var before = Path.Combine(_folder, "sql");
        Directory.CreateDirectory(before);
        foreach (var script in Directory.GetFiles(MigrationRunner.DefaultDirectory, "*.sql").Where(f => string.CompareOrdinal(Path.GetFileName(f), "0030") < 0))
        {
            File.Copy(script, Path.Combine(before, Path.GetFileName(script)));
        }

        var database = new Database($"Data Source={Path.Combine(_folder, "old.db")}");
        var runner = new MigrationRunner(database, NullLogger<MigrationRunner>.Instance);
        runner.Apply(before);
        ReportGiven.Programme programme;
        string[] figuresBefore;
        using (var db = (SqliteConnection)database.Open())
        {
            var projectIds = new[] { "JE-REPORTS", "OTHER-PROGRAMME" }.Select(code => db.ExecuteScalar<int>(
                """
                INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained)
                VALUES (@code, 'Programme ' || @code, 'ISEC', '2011-10-20', '2014-03-20', 160) RETURNING id
                """,
                new { code })).ToArray();
            foreach (var projectId in projectIds)
            {
                db.Execute(
                    """
                    INSERT INTO phases (project_id, number, kind, name)
                    SELECT @projectId, n, kind, kind FROM (SELECT 1 AS n, 'planning' AS kind UNION ALL SELECT 2, 'preparation'
                        UNION ALL SELECT 3, 'development' UNION ALL SELECT 4, 'testingAndImplementation' UNION ALL SELECT 5, 'evaluationAndConclusions')
                    """,
                    new { projectId });
            }

            programme = ReportGiven.StandardRows(db, projectIds[0], projectIds[1]);
            Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'report_%'"));
            figuresBefore = [.. await Task.WhenAll(projectIds.Select(id => FiguresAsync(db, id, ReportRecount.Sql)))];
        }

        runner.Apply();

        using var after = (SqliteConnection)database.Open();
        Assert.Equal(0, ReportRecount.CountMismatches(after));
        Assert.Equal(figuresBefore[0], await FiguresAsync(after, programme.ProjectId, sql: null));
        Assert.Equal(figuresBefore[1], await FiguresAsync(after, programme.OtherProjectId, sql: null));
        Assert.Contains("\"ParticipantsTrained\":3", figuresBefore[0], StringComparison.Ordinal); // the figures compared are real ones
    }

    private static async Task<string> FiguresAsync(Microsoft.Data.Sqlite.SqliteConnection db, int projectId, string? sql)
    {
        var figures = sql is null
            ? await DashboardQuery.ReadFiguresAsync(db, projectId, ReportGiven.Today)
            : await DashboardQuery.ReadFiguresAsync(db, projectId, ReportGiven.Today, sql);
        Assert.NotNull(figures);
        return System.Text.Json.JsonSerializer.Serialize(new { figures.Dashboard, figures.Countries, figures.PaperResponses });
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
            // A file still held open does not fail the test.
        }
    }
}
