using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Reliability;

public sealed class AuditTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task EveryWriteIsLoggedWithWhoAndThroughWhichRequest()
    {
        var (coordinatorId, token) = await _app.CreateUserAsync(Role.Coordinator);
        using var coordinator = _app.ClientWithToken(token);
        var projectId = await Given.ProjectAsync(coordinator, "AUDITED");
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);

        var log = await (await steering.GetAsync($"/api/audit?entity=project&entityId={projectId}")).Expect(HttpStatusCode.OK);

        var entry = Assert.Single(log.GetProperty("items").EnumerateArray());
        Assert.Equal("project.insert", entry.GetProperty("action").GetString());
        Assert.Equal(coordinatorId, entry.GetProperty("userId").GetInt32());
        Assert.Equal("POST /api/projects", entry.GetProperty("request").GetString());
        Assert.Equal("AUDITED", entry.GetProperty("details").GetProperty("code").GetString());
        var phases = await (await steering.GetAsync($"/api/audit?entity=phase&userId={coordinatorId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(5, phases.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task UpdatesAndDeletesAreLoggedNewestFirst()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await Given.ProjectAsync(coordinator, "CHANGE-ME");
        await (await coordinator.PutAsJsonAsync($"/api/projects/{id}", Given.ProjectBody("CHANGED"))).Expect(HttpStatusCode.OK);
        await (await coordinator.DeleteAsync($"/api/projects/{id}")).Expect(HttpStatusCode.NoContent);
        using var admin = _app.CreateAdminClient();

        var log = await (await admin.GetAsync($"/api/audit?entity=project&entityId={id}")).Expect(HttpStatusCode.OK);

        Assert.Equal(
            ["project.delete", "project.update", "project.insert"],
            log.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray());
    }

    [Fact]
    public async Task ARejectedRequestLeavesNoAuditRow()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        await Given.ProjectAsync(coordinator, "ONLY");
        long before;
        using (var db = _app.OpenDatabase())
        {
            before = db.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log");
        }

        await (await coordinator.PostAsJsonAsync("/api/projects", Given.ProjectBody("ONLY"))).ExpectProblem(HttpStatusCode.Conflict);
        await (await coordinator.PostAsync("/api/projects", Http.RawJson("{\"code\": 5}"))).ExpectProblem(HttpStatusCode.BadRequest, "code");

        using var after = _app.OpenDatabase();
        Assert.Equal(before, after.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log"));
    }

    [Fact]
    public void TheAuditRowIsPartOfTheChangesTransaction()
    {
        using var db = _app.OpenDatabase();
        var before = db.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log");
        using (var transaction = db.BeginTransaction())
        {
            db.Execute(
                "INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained) VALUES ('RB', 'T', 'F', '2020-01-01', '2020-02-01', 1)",
                transaction: transaction);
            Assert.Equal(before + 1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log", transaction: transaction));
            transaction.Rollback();
        }

        Assert.Equal(before, db.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log"));
    }

    [Theory]
    [InlineData(Role.Coordinator)]
    [InlineData(Role.CountryExpert)]
    public async Task OnlyAdminsAndTheSteeringGroupReadTheAuditLog(Role role)
    {
        using var client = await _app.CreateClientAsync(role);

        await (await client.GetAsync("/api/audit")).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task BadAuditFiltersAreProblems()
    {
        using var admin = _app.CreateAdminClient();

        await (await admin.GetAsync("/api/audit?from=yesterday")).ExpectProblem(HttpStatusCode.BadRequest, "from");
        await (await admin.GetAsync("/api/audit?pageSize=1000")).ExpectProblem(HttpStatusCode.BadRequest, "pageSize");
    }

    public void Dispose() => _app.Dispose();
}
