using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace JointEfforts.Tests.Infrastructure;

/// <summary>
/// What the suite's speed-ups (docs/benchmarks.md, "The test suite") must not change: a test sees a fresh API on a
/// fresh database whether its host is borrowed or not, and a user made for a test is the user the API would make.
/// Each test names its own PublicBaseUrl, so that the hosts it borrows are lent to no other test running beside it.
/// </summary>
public sealed class SuiteInfrastructureTests
{
    private static Dictionary<string, string?> Own(string name, bool demo = false)
    {
        var settings = new Dictionary<string, string?> { ["JointEfforts:PublicBaseUrl"] = $"https://{name}.suite.invalid" };
        if (demo)
        {
            settings[Startup.SeedDemoSetting] = "true";
        }

        return settings;
    }

    [Fact]
    public async Task TheNextTestOnABorrowedHostFindsAFreshDatabaseAndTheLastTestsTokensRefused()
    {
        var settings = Own("fresh");
        Database firstDatabase;
        int firstProject;
        string coordinatorToken;
        using (var first = new JointEffortsApp(settings: settings))
        {
            (_, coordinatorToken) = await first.CreateUserAsync(Role.Coordinator);
            using var coordinator = first.ClientWithToken(coordinatorToken);
            firstProject = await Given.ProjectAsync(coordinator, "FIRST");
            firstDatabase = first.Services.GetRequiredService<Database>();
        }

        using var second = new JointEffortsApp(settings: settings);
        using var admin = second.CreateAdminClient();

        Assert.Same(firstDatabase, second.Services.GetRequiredService<Database>()); // the same host, lent again
        var projects = await (await admin.GetAsync("/api/projects")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, projects.GetProperty("total").GetInt32());
        var users = await (await admin.GetAsync("/api/users")).Expect(HttpStatusCode.OK);
        Assert.Equal(["admin"], users.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("userName").GetString()));
        using var stale = second.ClientWithToken(coordinatorToken);
        await (await stale.GetAsync("/api/projects")).ExpectProblem(HttpStatusCode.Unauthorized);
        using var next = await second.CreateClientAsync(Role.Coordinator);
        Assert.Equal(firstProject, await Given.ProjectAsync(next, "SECOND")); // ids start again
    }

    [Fact]
    public async Task ADemoUserChangedByOneTestHasItsOwnRoleAgainInTheNext()
    {
        var settings = Own("demo-role", demo: true);
        const string demoCoordinator = "je_demo_coordinator_8b1e5d3f9a2c7064e2d8b1a5c9f3e7b2";
        using (var first = new JointEffortsApp(settings: settings))
        {
            using var admin = first.CreateAdminClient();
            var user = (await (await admin.GetAsync("/api/users?pageSize=100")).Expect(HttpStatusCode.OK)).GetProperty("items")
                .EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "demo.coordinator");
            var id = user.GetProperty("id").GetInt32();
            var read = await admin.GetAsync($"/api/users/{id}");
            var etag = read.Headers.ETag!.Tag;
            var body = new { userName = "demo.coordinator", displayName = "Now steering", role = "steeringGroup", countryCode = (string?)null, email = (string?)null };
            await (await admin.PutAsJsonAsync($"/api/users/{id}", body, etag)).Expect(HttpStatusCode.OK);
            using var demoted = first.ClientWithToken(demoCoordinator);
            await (await demoted.PostAsJsonAsync("/api/projects", Given.ProjectBody("REFUSED"))).ExpectProblem(HttpStatusCode.Forbidden);
        }

        using var second = new JointEffortsApp(settings: settings);
        using var coordinator = second.ClientWithToken(demoCoordinator);

        await (await coordinator.PostAsJsonAsync("/api/projects", Given.ProjectBody("ALLOWED"))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AClockCapturedByOneTestIsNotLentToTheNext()
    {
        var settings = Own("clock");
        foreach (var day in new[] { new DateTimeOffset(2012, 3, 4, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2013, 5, 6, 8, 0, 0, TimeSpan.Zero) })
        {
            using var app = new JointEffortsApp(settings: settings);
            using var server = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
                services.AddSingleton<TimeProvider>(new JointEfforts.Tests.Programmes.StoppedClock(day))));
            var (id, _) = await app.CreateUserAsync(Role.SteeringGroup);
            using var admin = server.CreateClient();
            admin.DefaultRequestHeaders.Authorization = new("Bearer", JointEffortsApp.AdminToken);

            var token = await (await admin.PostAsJsonAsync($"/api/users/{id}/tokens", new { })).Expect(HttpStatusCode.Created);

            Assert.Equal(day.UtcDateTime, token.GetProperty("createdAt").GetDateTime().ToUniversalTime());
        }
    }

    [Fact]
    public async Task AUserMadeForATestHasTheRowsAndAuditRowsOfTheAdminsTwoRequests()
    {
        using var app = new JointEffortsApp(settings: Own("mint"));
        using var admin = app.CreateAdminClient();
        var asked = (await (await admin.PostAsJsonAsync("/api/users", new { userName = "asked", displayName = "Asked", role = "countryExpert", countryCode = "NL" }))
            .Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        await (await admin.PostAsJsonAsync($"/api/users/{asked}/tokens", new { })).Expect(HttpStatusCode.Created);

        var (made, token) = await app.CreateUserAsync(Role.CountryExpert, "NL");

        var user = await (await admin.GetAsync($"/api/users/{made}")).Expect(HttpStatusCode.OK);
        Assert.Equal("countryExpert", user.GetProperty("role").GetString());
        Assert.Equal("NL", user.GetProperty("countryCode").GetString());
        var tokens = await (await admin.GetAsync($"/api/users/{made}/tokens")).Expect(HttpStatusCode.OK);
        var only = Assert.Single(tokens.EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, JsonValueKind(only, "expiresAt"));
        using var expert = app.ClientWithToken(token);
        await (await expert.GetAsync("/api/projects")).Expect(HttpStatusCode.OK);

        using var db = app.OpenDatabase();
        // Portable SQL (either engine): the token rows' userId is read from their JSON here.
        var rows = db.Query<(string Action, long? UserId, string Request, string Details, string Entity, long EntityId)>(
            "SELECT action, user_id AS UserId, request, details, entity, entity_id FROM audit_log WHERE entity IN ('user', 'token') ORDER BY id").ToList();
        List<(string Action, long? UserId, string Request, string Details)> Of(long user) => rows
            .Where(r => r.Entity == "user" ? r.EntityId == user
                : System.Text.Json.JsonDocument.Parse(r.Details).RootElement.TryGetProperty("userId", out var id) && id.GetInt64() == user)
            .Select(r => (r.Action, r.UserId, r.Request, r.Details)).ToList();
        var byRequests = Of(asked);
        var byTest = Of(made);
        Assert.Equal(["user.insert", "token.insert"], byTest.Select(a => a.Action));
        Assert.Equal(byRequests.Select(a => (a.Action, a.UserId, a.Request.Replace($"/{asked}/", "/{id}/"), a.Details.Replace($":{asked}", ":{id}"))),
            byTest.Select(a => (a.Action, a.UserId, a.Request.Replace($"/{made}/", "/{id}/"), a.Details.Replace($":{made}", ":{id}"))));
        Assert.Equal(1, byTest[0].UserId); // the admin
    }

    [Fact]
    public async Task AUserTheRequestsWouldRefuseIsStillRefused()
    {
        using var app = new JointEffortsApp(settings: Own("refused"));

        await Assert.ThrowsAsync<HttpRequestException>(() => app.CreateUserAsync(Role.Coordinator, "AT"));
        await Assert.ThrowsAsync<HttpRequestException>(() => app.CreateUserAsync(Role.CountryExpert, "XX"));
    }

    [Fact]
    public void ATemplateIsNamedByTheMigrationsSoAMigrationAddedOrEditedLaterMakesANewOne()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jointefforts-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var file in Directory.GetFiles(MigrationRunner.DefaultDirectory, "*.sql"))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            var today = TestDatabases.Key(JointEffortsApp.AdminToken, seedDemo: false, folder);
            Assert.Equal(today, TestDatabases.Key(JointEffortsApp.AdminToken, seedDemo: false, folder));
            Assert.NotEqual(today, TestDatabases.Key(JointEffortsApp.AdminToken, seedDemo: true, folder));

            File.WriteAllText(Path.Combine(folder, "0040_later.sql"), "CREATE TABLE later (id INTEGER PRIMARY KEY);");
            var added = TestDatabases.Key(JointEffortsApp.AdminToken, seedDemo: false, folder);
            Assert.NotEqual(today, added);

            File.AppendAllText(Path.Combine(folder, "0040_later.sql"), "\nCREATE INDEX ix_later ON later (id);");
            Assert.NotEqual(added, TestDatabases.Key(JointEffortsApp.AdminToken, seedDemo: false, folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task EveryMigrationIsAppliedOnTheCopyATestStartsOn()
    {
        using var app = new JointEffortsApp(settings: Own("migrated"));
        using var db = app.OpenDatabase();

        var applied = db.Query<string>("SELECT name FROM schema_migrations ORDER BY name").ToList();

        var scripts = TestEngine.IsPostgres ? Path.Combine(MigrationRunner.DefaultDirectory, "postgres") : MigrationRunner.DefaultDirectory;
        Assert.Equal(Directory.GetFiles(scripts, "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal), applied);
        if (!TestEngine.IsPostgres)
        {
            Assert.Equal("wal", db.ExecuteScalar<string>("PRAGMA journal_mode"));
        }
        await (await app.CreateAdminClient().GetAsync("/health")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public void ATestOfOneEngineIsSkippedOnTheOtherSayingWhy()
    {
        var sqliteOnly = new SqliteOnlyAttribute("reads the WAL");
        var postgresOnly = new PostgresOnlyAttribute("two processes on one server");

        Assert.Equal(TestEngine.IsPostgres ? "SQLite only: reads the WAL" : null, sqliteOnly.Skip);
        Assert.Equal(TestEngine.IsPostgres ? null : "PostgreSQL only (JE_TEST_DATABASE=postgres): two processes on one server", postgresOnly.Skip);
        Assert.Equal(Environment.GetEnvironmentVariable(TestEngine.Variable) is "postgres" ? "postgres" : "sqlite", TestEngine.Name);
    }

    private static System.Text.Json.JsonValueKind JsonValueKind(System.Text.Json.JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.ValueKind : System.Text.Json.JsonValueKind.Null;
}
