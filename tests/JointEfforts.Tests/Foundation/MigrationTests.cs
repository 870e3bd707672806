using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace JointEfforts.Tests.Foundation;

public sealed class MigrationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jointefforts-tests", Guid.NewGuid().ToString("N"));

    public MigrationTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task RestartingAppliesNothingAgainAndKeepsTheData()
    {
        var path = Path.Combine(_folder, "restart.db");
        using (var first = new JointEffortsApp(databasePath: path))
        {
            using var admin = first.CreateAdminClient();
            await Given.ProjectAsync(admin, "KEEP-ME");
        }

        using var second = new JointEffortsApp(databasePath: path);
        using var client = second.CreateAdminClient();
        var projects = await (await client.GetAsync("/api/projects")).Expect(HttpStatusCode.OK);
        Assert.Equal("KEEP-ME", projects.GetProperty("items")[0].GetProperty("code").GetString());

        using var db = second.OpenDatabase();
        var applied = db.Query<string>("SELECT name FROM schema_migrations").ToList();
        Assert.Equal(Directory.GetFiles(MigrationRunner.DefaultDirectory, "*.sql").Length, applied.Count);
        Assert.Contains("0001_initial.sql", applied);
        Assert.Equal("wal", db.ExecuteScalar<string>("PRAGMA journal_mode"));
        Assert.Equal(1, db.ExecuteScalar<long>("PRAGMA foreign_keys"));
    }

    [Fact]
    public void ASecondRunOfTheRunnerAppliesNothing()
    {
        var database = new Database($"Data Source={Path.Combine(_folder, "twice.db")}");
        var runner = new MigrationRunner(database, NullLogger<MigrationRunner>.Instance);

        Assert.NotEmpty(runner.Apply());
        Assert.Empty(runner.Apply());
    }

    [Fact]
    public void ABrokenMigrationStopsWithItsNameAndLeavesNoHalfOfIt()
    {
        var scripts = Path.Combine(_folder, "sql");
        Directory.CreateDirectory(scripts);
        File.WriteAllText(Path.Combine(scripts, "0001_good.sql"), "CREATE TABLE good (id INTEGER PRIMARY KEY);");
        File.WriteAllText(Path.Combine(scripts, "0002_broken.sql"), "CREATE TABLE half (id INTEGER); THIS IS NOT SQL;");
        var database = new Database($"Data Source={Path.Combine(_folder, "broken.db")}");
        var runner = new MigrationRunner(database, NullLogger<MigrationRunner>.Instance);

        var error = Assert.Throws<InvalidOperationException>(() => runner.Apply(scripts));

        Assert.Contains("0002_broken.sql", error.Message);
        using var db = database.Open();
        Assert.Equal(["0001_good.sql"], db.Query<string>("SELECT name FROM schema_migrations").ToList());
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'"));
    }

    [Fact]
    public async Task HealthAnswersOkOnceTheDatabaseAnswers()
    {
        using var app = new JointEffortsApp();
        using var client = app.CreateAnonymousClient();

        var health = await (await client.GetAsync("/health")).Expect(HttpStatusCode.OK);

        Assert.Equal("ok", health.GetProperty("status").GetString());
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
