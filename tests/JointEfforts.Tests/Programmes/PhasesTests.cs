using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Programmes;

public sealed class PhasesTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task ACoordinatorSetsAPhasesDatesNameAndStatus()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 2);
        var (_, etag) = await Plan.ReadAsync(coordinator, $"/api/phases/{phaseId}");

        var response = await coordinator.PutAsJsonAsync($"/api/phases/{phaseId}",
            new { name = "Preparation: kick-off and expert groups", plannedStart = "2012-02-01", plannedEnd = "2012-09-30", status = "inProgress" }, etag);

        var phase = await response.Expect(HttpStatusCode.OK);
        Assert.NotEqual(etag, response.Headers.ETag!.Tag);
        Assert.Equal("Preparation: kick-off and expert groups", phase.GetProperty("name").GetString());
        Assert.Equal("2012-02-01", phase.GetProperty("plannedStart").GetString());
        Assert.Equal("2012-09-30", phase.GetProperty("plannedEnd").GetString());
        Assert.Equal("inProgress", phase.GetProperty("status").GetString());
        Assert.Equal("preparation", phase.GetProperty("kind").GetString());
        Assert.Equal(2, phase.GetProperty("number").GetInt32());
        var listed = await (await coordinator.GetAsync($"/api/projects/{projectId}/phases")).Expect(HttpStatusCode.OK);
        var second = listed.EnumerateArray().Single(p => p.GetProperty("id").GetInt32() == phaseId);
        Assert.Equal("inProgress", second.GetProperty("status").GetString());
        Assert.Equal("2012-09-30", second.GetProperty("plannedEnd").GetString());
    }

    [Fact]
    public async Task ProgressIsTheShareOfCompletedMilestones()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 1);
        var (empty, _) = await Plan.ReadAsync(coordinator, $"/api/phases/{phaseId}");
        Assert.Equal(0.0, empty.GetProperty("progress").GetDouble());

        var meeting = await Plan.MilestoneAsync(coordinator, phaseId, "Project Steering Group meeting", "meeting", "2011-12-15");
        await Plan.MilestoneAsync(coordinator, phaseId, "Stocktaking and data collection", "activity", "2012-02-15");
        var (none, _) = await Plan.ReadAsync(coordinator, $"/api/phases/{phaseId}");
        Assert.Equal(0.0, none.GetProperty("progress").GetDouble());

        await (await coordinator.PostAsJsonAsync($"/api/milestones/{meeting}/complete", new { completedOn = "2011-12-13" })).Expect(HttpStatusCode.OK);

        var (half, _) = await Plan.ReadAsync(coordinator, $"/api/phases/{phaseId}");
        Assert.Equal(0.5, half.GetProperty("progress").GetDouble());
        var listed = await (await coordinator.GetAsync($"/api/projects/{projectId}/phases")).Expect(HttpStatusCode.OK);
        Assert.Equal([0.5, 0, 0, 0, 0], listed.EnumerateArray().Select(p => p.GetProperty("progress").GetDouble()).ToArray());
    }

    [Fact]
    public async Task TheListOfPhasesSqliteWritesIsTheJsonOfEachPhaseRead()
    {
        // The list is written by SQLite (SqlJson); one phase is serialized from PhaseDto. They must not drift apart.
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var ids = new int[6];
        for (var number = 1; number <= 5; number++)
        {
            ids[number] = await Plan.PhaseIdAsync(coordinator, projectId, number);
        }

        var (_, etag) = await Plan.ReadAsync(coordinator, $"/api/phases/{ids[1]}");
        await (await coordinator.PutAsJsonAsync($"/api/phases/{ids[1]}",
            new { name = "Planowanie \"wstępne\" <łódź> & 'ISEC' \\ – ✓", plannedStart = "2011-10-20", plannedEnd = "2012-01-31", status = "completed" },
            etag)).Expect(HttpStatusCode.OK);
        // Phase 1: 1 of 3 completed; phase 2: 2 of 3; phase 3: 2 of 2; phase 4: none; phase 5: 0 of 1.
        foreach (var (number, total, completed) in new[] { (1, 3, 1), (2, 3, 2), (3, 2, 2), (5, 1, 0) })
        {
            for (var i = 0; i < total; i++)
            {
                var milestone = await Plan.MilestoneAsync(coordinator, ids[number], $"Milestone {i}", "activity", "2012-01-15");
                if (i < completed)
                {
                    await (await coordinator.PostAsJsonAsync($"/api/milestones/{milestone}/complete", new { completedOn = "2012-01-10" })).Expect(HttpStatusCode.OK);
                }
            }
        }

        var response = await coordinator.GetAsync($"/api/projects/{projectId}/phases");
        var listed = await response.Expect(HttpStatusCode.OK);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal((await response.Content.ReadAsByteArrayAsync()).Length, response.Content.Headers.ContentLength);
        Assert.Equal([1, 2, 3, 4, 5], listed.EnumerateArray().Select(p => p.GetProperty("number").GetInt32()).ToArray());
        foreach (var phase in listed.EnumerateArray())
        {
            var (read, _) = await Plan.ReadAsync(coordinator, $"/api/phases/{phase.GetProperty("id").GetInt32()}");
            Assert.True(JsonElement.DeepEquals(read, phase), $"listed {phase} but read {read}");
            Assert.Equal(read.EnumerateObject().Select(p => p.Name), phase.EnumerateObject().Select(p => p.Name));
        }

        Assert.Equal("Planowanie \"wstępne\" <łódź> & 'ISEC' \\ – ✓", listed[0].GetProperty("name").GetString());
        // Numbers as System.Text.Json writes them: rounded to 4 decimals, 0 and 1 without a decimal point.
        Assert.Equal(["0.3333", "0.6667", "1", "0", "0"], listed.EnumerateArray().Select(p => p.GetProperty("progress").GetRawText()).ToArray());
    }

    [Fact]
    public void SqliteRoundsAndWritesAShareAsTheWireDoesForEveryShareOfUpTo1000Milestones()
    {
        // The phases list rounds progress in SQL and SQLite prints it; every other double is rounded by Json.Round and
        // printed by System.Text.Json. Both must give the same text.
        using var db = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        db.Open();
        var shares = db.Query<(long Completed, long Total, string Json)>(
            $"""
            WITH RECURSIVE total(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM total WHERE n < 1000),
                 completed(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM completed WHERE k < 1000)
            SELECT k, n, json_array({SqlJson.Share("k", "n")}) FROM total JOIN completed ON k <= n
            """).ToList();

        Assert.Equal(1001 * 1002 / 2, shares.Count);
        var different = shares
            .Where(s => s.Json != $"[{JsonSerializer.Serialize(s.Total == 0 ? 0 : Json.Round((double)s.Completed / s.Total))}]")
            .Select(s => $"{s.Completed}/{s.Total}: SQLite {s.Json}")
            .Take(5)
            .ToList();
        Assert.Empty(different);
    }

    [Theory]
    [InlineData("""{"name":"Planning","plannedStart":"2012-03-01","plannedEnd":"2012-02-01","status":"inProgress"}""", "plannedEnd")]
    [InlineData("""{"name":"Planning","plannedStart":"2011-01-01","plannedEnd":"2012-02-01","status":"inProgress"}""", "plannedStart")]
    [InlineData("""{"name":"Planning","plannedStart":"2014-01-01","plannedEnd":"2014-12-31","status":"inProgress"}""", "plannedEnd")]
    [InlineData("""{"plannedStart":"2011-10-20","plannedEnd":"2012-02-01","status":"inProgress"}""", "name")]
    [InlineData("""{"name":"   ","status":"inProgress"}""", "name")]
    [InlineData("""{"name":"Planning","status":"done"}""", "status")]
    [InlineData("""{"name":"Planning"}""", "status")]
    [InlineData("""{"name":42,"status":"completed"}""", "name")]
    [InlineData("""{"name":"Planning","plannedStart":"2012-02-30","status":"completed"}""", "plannedStart")]
    [InlineData("""{"name":"Planning","status":2}""", "status")]
    public async Task BadPhaseUpdatesNameTheFieldAndChangeNothing(string json, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 1);

        await (await coordinator.PutAsync($"/api/phases/{phaseId}", Http.RawJson(json))).ExpectProblem(HttpStatusCode.BadRequest, field);

        using var db = _app.OpenDatabase();
        var row = db.QuerySingle<(string Name, string Status, long Version, string? Start)>(
            "SELECT name, status, version, planned_start FROM phases WHERE id = @phaseId", new { phaseId });
        Assert.Equal(("Planning", "notStarted", 1L, (string?)null), row);
    }

    [Fact]
    public async Task AStaleIfMatchOnAPhaseIs412AndChangesNothing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 3);
        var (_, etag) = await Plan.ReadAsync(coordinator, $"/api/phases/{phaseId}");
        await (await coordinator.PutAsJsonAsync($"/api/phases/{phaseId}", new { name = "Development", plannedStart = (string?)null, plannedEnd = (string?)null, status = "inProgress" }, etag)).Expect(HttpStatusCode.OK);

        var stale = await coordinator.PutAsJsonAsync($"/api/phases/{phaseId}", new { name = "Development", plannedStart = (string?)null, plannedEnd = (string?)null, status = "completed" }, etag);

        await stale.ExpectProblem(HttpStatusCode.PreconditionFailed);
        var (phase, _) = await Plan.ReadAsync(coordinator, $"/api/phases/{phaseId}");
        Assert.Equal("inProgress", phase.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(Role.SteeringGroup)]
    [InlineData(Role.CountryExpert)]
    public async Task OnlyCoordinatorsChangePhasesAndMilestonesButEveryoneReadsThem(Role role)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 1);
        var milestoneId = await Plan.MilestoneAsync(coordinator, phaseId);
        using var reader = await _app.CreateClientAsync(role);

        await (await reader.PutAsJsonAsync($"/api/phases/{phaseId}", new { name = "Mine", plannedStart = (string?)null, plannedEnd = (string?)null, status = "completed" })).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.PostAsJsonAsync($"/api/phases/{phaseId}/milestones", Plan.MilestoneBody())).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.PutAsJsonAsync($"/api/milestones/{milestoneId}", Plan.MilestoneBody("Mine"))).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.PostAsJsonAsync($"/api/milestones/{milestoneId}/complete", new { completedOn = "2011-12-13" })).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.DeleteAsync($"/api/milestones/{milestoneId}")).ExpectProblem(HttpStatusCode.Forbidden);

        var (phase, _) = await Plan.ReadAsync(reader, $"/api/phases/{phaseId}");
        Assert.Equal("Planning", phase.GetProperty("name").GetString());
        var milestones = await (await reader.GetAsync($"/api/phases/{phaseId}/milestones")).Expect(HttpStatusCode.OK);
        var only = Assert.Single(milestones.GetProperty("items").EnumerateArray());
        Assert.Equal("Project Steering Group meeting", only.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, only.GetProperty("completedOn").ValueKind);
        await (await reader.GetAsync($"/api/milestones/{milestoneId}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnknownPhasesAreNotFound()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        await (await coordinator.GetAsync("/api/phases/404")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PutAsJsonAsync("/api/phases/404", new { name = "X", plannedStart = (string?)null, plannedEnd = (string?)null, status = "completed" })).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PostAsJsonAsync("/api/phases/404/milestones", Plan.MilestoneBody())).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/phases/404/milestones")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/phases/abc")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnonymousCallersAreRefused()
    {
        using var anonymous = _app.CreateAnonymousClient();

        await (await anonymous.GetAsync("/api/phases/1")).ExpectProblem(HttpStatusCode.Unauthorized);
        await (await anonymous.GetAsync("/api/milestones/1")).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    public void Dispose() => _app.Dispose();
}
