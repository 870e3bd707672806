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

    [SqliteOnly("the migration runner on SQLite files of its own (journal mode, checksums of sql/)")]
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

    [SqliteOnly("the migration runner on SQLite files of its own (journal mode, checksums of sql/)")]
    public void ASecondRunOfTheRunnerAppliesNothing()
    {
        var database = new Database($"Data Source={Path.Combine(_folder, "twice.db")}");
        var runner = new MigrationRunner(database, NullLogger<MigrationRunner>.Instance);

        Assert.NotEmpty(runner.Apply());
        Assert.Empty(runner.Apply());
    }

    [SqliteOnly("the migration runner on SQLite files of its own (journal mode, checksums of sql/)")]
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

    [SqliteOnly("the migration runner on SQLite files of its own (journal mode, checksums of sql/)")]
    public void AFileThatSortsBeforeTheNewestAppliedOneIsRefusedByNameAndNothingIsApplied()
    {
        var scripts = CopyOfTheMigrations("order");
        var database = new Database($"Data Source={Path.Combine(_folder, "order.db")}");
        var runner = new MigrationRunner(database, NullLogger<MigrationRunner>.Instance);
        runner.Apply(scripts);
        File.WriteAllText(Path.Combine(scripts, "0009_late_arrival.sql"), "CREATE TABLE late_arrival (id INTEGER PRIMARY KEY);");
        File.WriteAllText(Path.Combine(scripts, "9999_after.sql"), "CREATE TABLE after_all (id INTEGER PRIMARY KEY);");

        var error = Assert.Throws<InvalidOperationException>(() => runner.Apply(scripts));

        var newest = Directory.GetFiles(MigrationRunner.DefaultDirectory, "*.sql").Select(Path.GetFileName).Max(StringComparer.Ordinal);
        Assert.Equal(
            $"Migrations refused: 0009_late_arrival.sql is not applied but sorts before {newest}, the newest migration this database " +
            "has: it would run out of order. Give it a number after the newest one.",
            error.Message);
        using var db = database.Open();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('late_arrival', 'after_all')"));
        Assert.DoesNotContain("9999_after.sql", db.Query<string>("SELECT name FROM schema_migrations"));
    }

    [SqliteOnly("the migration runner on SQLite files of its own (journal mode, checksums of sql/)")]
    public void AnAppliedFileThatWasEditedIsRefusedByNameWhateverTheLineEnds()
    {
        var scripts = CopyOfTheMigrations("edited");
        var database = new Database($"Data Source={Path.Combine(_folder, "edited.db")}");
        var runner = new MigrationRunner(database, NullLogger<MigrationRunner>.Instance);
        runner.Apply(scripts);
        var completion = Path.Combine(scripts, "0007_completion.sql");
        var original = File.ReadAllText(completion);
        File.WriteAllText(completion, original.Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.Empty(runner.Apply(scripts));

        File.WriteAllText(completion, original + "\n-- a comment added later\n");
        var error = Assert.Throws<InvalidOperationException>(() => runner.Apply(scripts));

        Assert.StartsWith("Migrations refused: 0007_completion.sql was changed after it was applied (its checksum is ", error.Message);
        Assert.EndsWith("An applied migration is never edited: undo the change and add the next number instead.", error.Message);
        using var db = database.Open();
        Assert.Equal(
            MigrationRunner.Checksum(Path.Combine(MigrationRunner.DefaultDirectory, "0007_completion.sql")),
            db.ExecuteScalar<string>("SELECT checksum FROM schema_migrations WHERE name = '0007_completion.sql'"));
    }

    [SqliteOnly("the migration runner on SQLite files of its own (journal mode, checksums of sql/)")]
    public void ADatabaseFromBeforeChecksumsGetsThemOnItsFirstStartAndStartsAgain()
    {
        var before = Path.Combine(_folder, "before");
        Directory.CreateDirectory(before);
        foreach (var script in Directory.GetFiles(MigrationRunner.DefaultDirectory, "*.sql").Where(f => string.CompareOrdinal(Path.GetFileName(f), "0040") < 0))
        {
            File.Copy(script, Path.Combine(before, Path.GetFileName(script)));
        }

        var database = new Database($"Data Source={Path.Combine(_folder, "old.db")}");
        var runner = new MigrationRunner(database, NullLogger<MigrationRunner>.Instance);
        runner.Apply(before);
        using (var old = database.Open())
        {
            Assert.Equal(0, old.ExecuteScalar<long>("SELECT COUNT(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'"));
        }

        Assert.Equal(
            Directory.GetFiles(MigrationRunner.DefaultDirectory, "*.sql").Select(f => Path.GetFileName(f)!)
                .Where(name => string.CompareOrdinal(name, "0040") >= 0).Order(StringComparer.Ordinal),
            runner.Apply());
        Assert.Empty(runner.Apply());

        using var db = database.Open();
        var stored = db.Query<(string Name, string? Checksum)>("SELECT name, checksum FROM schema_migrations ORDER BY name").ToList();
        var files = Directory.GetFiles(MigrationRunner.DefaultDirectory, "*.sql").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files.Select(Path.GetFileName), stored.Select(row => row.Name));
        Assert.Equal(files.Select(MigrationRunner.Checksum), stored.Select(row => row.Checksum));
        Assert.All(stored, row => Assert.Matches("^[0-9a-f]{64}$", row.Checksum));
    }

    private string CopyOfTheMigrations(string name)
    {
        var scripts = Path.Combine(_folder, name);
        Directory.CreateDirectory(scripts);
        foreach (var script in Directory.GetFiles(MigrationRunner.DefaultDirectory, "*.sql"))
        {
            File.Copy(script, Path.Combine(scripts, Path.GetFileName(script)));
        }

        return scripts;
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
