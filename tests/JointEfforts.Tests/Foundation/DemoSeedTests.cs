using System.Net;
using Dapper;
using JointEfforts.Api.Demo;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Foundation;

public sealed class DemoSeedTests
{
    [Fact]
    public async Task DevelopmentSeedsTheJointEffortsProgrammeAndADemoTokenPerRole()
    {
        using var app = new JointEffortsApp(environment: "Development");
        var tokens = DemoTokens();

        foreach (var role in new[] { "admin", "coordinator", "steeringGroup", "countryExpert" })
        {
            Assert.Contains(tokens, t => t.Role == role);
        }

        using var steering = app.ClientWithToken(tokens.First(t => t.Role == "steeringGroup").Token);
        var projects = await (await steering.GetAsync("/api/projects")).Expect(HttpStatusCode.OK);
        var codes = projects.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("code").GetString()).ToList();
        Assert.Contains(DemoSeed.ProjectCode, codes);
        Assert.Contains("PL15-0032", codes);
        var joint = projects.GetProperty("items").EnumerateArray().First(p => p.GetProperty("code").GetString() == DemoSeed.ProjectCode);
        Assert.Equal("2011-10-20", joint.GetProperty("startDate").GetString());
        Assert.Equal(160, joint.GetProperty("targetParticipantsTrained").GetInt32());
    }

    [SqliteOnly("restarts on a SQLite file, or an in-memory SQLite database, of its own")]
    public void ASecondStartDoesNotSeedTwice()
    {
        var path = Path.Combine(Path.GetTempPath(), "jointefforts-tests", $"{Guid.NewGuid():N}.db");
        using (var first = new JointEffortsApp(environment: "Development", databasePath: path))
        {
            _ = first.Server;
        }

        using var second = new JointEffortsApp(environment: "Development", databasePath: path);
        using var db = second.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM projects WHERE code = @code", new { code = DemoSeed.ProjectCode }));
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM users WHERE user_name = 'demo.coordinator'"));
    }

    [Fact]
    public void ProductionNeverSeedsDemoDataEvenWhenAskedTo()
    {
        using var app = new JointEffortsApp(environment: "Production", settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });

        using var db = app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM projects"));
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM users WHERE user_name LIKE 'demo.%'"));
    }

    [SqliteOnly("restarts on a SQLite file, or an in-memory SQLite database, of its own")]
    public void TheTestingEnvironmentSeedsOnlyWhenAsked()
    {
        using var plain = new JointEffortsApp();
        using (var db = plain.OpenDatabase())
        {
            Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM projects"));
        }

        using var asked = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        using var seeded = asked.OpenDatabase();
        Assert.Equal(1, seeded.ExecuteScalar<long>("SELECT COUNT(*) FROM projects WHERE code = @code", new { code = DemoSeed.ProjectCode }));
    }

    private static IReadOnlyList<DemoToken> DemoTokens()
    {
        // A shared in-memory database lives only while a connection to it is open: this one holds it from the
        // migrations to the seed (the pool alone does not guarantee that, and the test failed when it let go).
        var connectionString = $"Data Source=file:demo-tokens-{Guid.NewGuid():N}?mode=memory&cache=shared";
        using var keepAlive = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        keepAlive.Open();
        var runner = new JointEfforts.Api.Infrastructure.MigrationRunner(
            new JointEfforts.Api.Infrastructure.Database(connectionString),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<JointEfforts.Api.Infrastructure.MigrationRunner>.Instance);
        runner.Apply();
        using var shared = new JointEfforts.Api.Infrastructure.Database(connectionString).Open();
        return DemoSeed.Seed(shared);
    }
}
