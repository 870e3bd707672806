using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace JointEfforts.Tests.Programmes;

public sealed class MilestonesTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task ACoordinatorAddsAMilestoneToAPhase()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 5);

        var response = await coordinator.PostAsJsonAsync($"/api/phases/{phaseId}/milestones",
            Plan.MilestoneBody("Information pocket cards for practitioners on indicators", "deliverable", "2014-02-28"));

        var milestone = await response.Expect(HttpStatusCode.Created);
        var id = milestone.GetProperty("id").GetInt32();
        Assert.Equal($"/api/milestones/{id}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(phaseId, milestone.GetProperty("phaseId").GetInt32());
        Assert.Equal(projectId, milestone.GetProperty("projectId").GetInt32());
        Assert.Equal("Information pocket cards for practitioners on indicators", milestone.GetProperty("title").GetString());
        Assert.Equal("deliverable", milestone.GetProperty("kind").GetString());
        Assert.Equal("2014-02-28", milestone.GetProperty("dueDate").GetString());
        Assert.False(milestone.GetProperty("completed").GetBoolean());
        var (read, etag) = await Plan.ReadAsync(coordinator, $"/api/milestones/{id}");
        Assert.Equal("\"1\"", etag);
        Assert.Equal("deliverable", read.GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("""{"kind":"meeting","dueDate":"2012-01-10"}""", "title")]
    [InlineData("""{"title":"","kind":"meeting","dueDate":"2012-01-10"}""", "title")]
    [InlineData("""{"title":"Kick-off","kind":"party","dueDate":"2012-01-10"}""", "kind")]
    [InlineData("""{"title":"Kick-off","dueDate":"2012-01-10"}""", "kind")]
    [InlineData("""{"title":"Kick-off","kind":"meeting"}""", "dueDate")]
    [InlineData("""{"title":"Kick-off","kind":"meeting","dueDate":"2012-13-01"}""", "dueDate")]
    [InlineData("""{"title":"Kick-off","kind":"meeting","dueDate":"2015-01-10"}""", "dueDate")]
    [InlineData("""{"title":"Kick-off","kind":"meeting","dueDate":"2011-10-19"}""", "dueDate")]
    [InlineData("""{"title":["Kick-off"],"kind":"meeting","dueDate":"2012-01-10"}""", "title")]
    [InlineData("""{ "title": "Kick-off", """, "body")]
    public async Task BadMilestonesNameTheFieldAndAreNotCreated(string json, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 2);

        await (await coordinator.PostAsync($"/api/phases/{phaseId}/milestones", Http.RawJson(json))).ExpectProblem(HttpStatusCode.BadRequest, field);

        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM milestones"));
    }

    [Fact]
    public async Task AMilestoneBodyThatIsNotJsonIs415()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 2);

        var response = await coordinator.PostAsync($"/api/phases/{phaseId}/milestones", new StringContent("title=x", null, "text/plain"));

        await response.ExpectProblem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task UpdatingAMilestoneKeepsItsCompletionAndHonoursIfMatch()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 3);
        var id = await Plan.MilestoneAsync(coordinator, phaseId, "Draft curriculum", "deliverable", "2013-02-28");
        await (await coordinator.PostAsJsonAsync($"/api/milestones/{id}/complete", new { completedOn = "2013-02-27" })).Expect(HttpStatusCode.OK);
        var (_, etag) = await Plan.ReadAsync(coordinator, $"/api/milestones/{id}");

        var response = await coordinator.PutAsJsonAsync($"/api/milestones/{id}", Plan.MilestoneBody("Draft training curriculum", "deliverable", "2013-03-15"), etag);

        var updated = await response.Expect(HttpStatusCode.OK);
        Assert.Equal("Draft training curriculum", updated.GetProperty("title").GetString());
        Assert.Equal("2013-03-15", updated.GetProperty("dueDate").GetString());
        Assert.Equal("2013-02-27", updated.GetProperty("completedOn").GetString());
        var stale = await coordinator.PutAsJsonAsync($"/api/milestones/{id}", Plan.MilestoneBody("Stale", "activity", "2013-03-15"), etag);
        await stale.ExpectProblem(HttpStatusCode.PreconditionFailed);
        var outside = await coordinator.PutAsJsonAsync($"/api/milestones/{id}", Plan.MilestoneBody("Late", "activity", "2014-03-21"));
        await outside.ExpectProblem(HttpStatusCode.BadRequest, "dueDate");
        var (now, _) = await Plan.ReadAsync(coordinator, $"/api/milestones/{id}");
        Assert.Equal("Draft training curriculum", now.GetProperty("title").GetString());
        Assert.Equal("2013-03-15", now.GetProperty("dueDate").GetString());
    }

    [Fact]
    public async Task CompletingAMilestoneRecordsTheDateOnce()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 2);
        var id = await Plan.MilestoneAsync(coordinator, phaseId, "Kick-off conference", "meeting", "2012-02-27");

        var completed = await (await coordinator.PostAsJsonAsync($"/api/milestones/{id}/complete", new { completedOn = "2012-02-27" })).Expect(HttpStatusCode.OK);

        Assert.Equal("2012-02-27", completed.GetProperty("completedOn").GetString());
        Assert.True(completed.GetProperty("completed").GetBoolean());
        Assert.False(completed.GetProperty("overdue").GetBoolean());
        var again = await coordinator.PostAsJsonAsync($"/api/milestones/{id}/complete", new { completedOn = "2012-03-01" });
        await again.ExpectProblem(HttpStatusCode.Conflict);
        var (read, _) = await Plan.ReadAsync(coordinator, $"/api/milestones/{id}");
        Assert.Equal("2012-02-27", read.GetProperty("completedOn").GetString());
    }

    [Theory]
    [InlineData("{}", "completedOn")]
    [InlineData("""{"completedOn":"yesterday"}""", "completedOn")]
    [InlineData("""{"completedOn":"2011-10-19"}""", "completedOn")]
    [InlineData("""{"completedOn":"2999-01-01"}""", "completedOn")]
    public async Task BadCompletionsNameTheFieldAndLeaveTheMilestoneOpen(string json, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 2);
        var id = await Plan.MilestoneAsync(coordinator, phaseId, "Kick-off conference", "meeting", "2012-02-27");

        await (await coordinator.PostAsync($"/api/milestones/{id}/complete", Http.RawJson(json))).ExpectProblem(HttpStatusCode.BadRequest, field);

        using var db = _app.OpenDatabase();
        Assert.Null(db.ExecuteScalar<string?>("SELECT completed_on FROM milestones WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task DeletingAMilestoneHonoursIfMatch()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 1);
        var id = await Plan.MilestoneAsync(coordinator, phaseId);

        await (await coordinator.DeleteAsync($"/api/milestones/{id}", "\"7\"")).ExpectProblem(HttpStatusCode.PreconditionFailed);
        await (await coordinator.GetAsync($"/api/milestones/{id}")).Expect(HttpStatusCode.OK);

        await (await coordinator.DeleteAsync($"/api/milestones/{id}", "\"1\"")).Expect(HttpStatusCode.NoContent);

        await (await coordinator.GetAsync($"/api/milestones/{id}")).ExpectProblem(HttpStatusCode.NotFound);
        var list = await (await coordinator.GetAsync($"/api/phases/{phaseId}/milestones")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task MilestonesAreListedByDueDateAndFiltered()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 5);
        var otherPhase = await Plan.PhaseIdAsync(coordinator, projectId, 4);
        await Plan.MilestoneAsync(coordinator, phaseId, "Handbook for project developers", "deliverable", "2014-03-10");
        var conference = await Plan.MilestoneAsync(coordinator, phaseId, "Project Conclusion Conference, Brussels", "meeting", "2014-03-06");
        await Plan.MilestoneAsync(coordinator, phaseId, "Directory of hotlines", "deliverable", "2014-02-15");
        await Plan.MilestoneAsync(coordinator, otherPhase, "Pilot course Vienna", "activity", "2013-05-15");
        await (await coordinator.PostAsJsonAsync($"/api/milestones/{conference}/complete", new { completedOn = "2014-03-06" })).Expect(HttpStatusCode.OK);

        var all = await (await coordinator.GetAsync($"/api/phases/{phaseId}/milestones")).Expect(HttpStatusCode.OK);
        var deliverables = await (await coordinator.GetAsync($"/api/phases/{phaseId}/milestones?kind=deliverable")).Expect(HttpStatusCode.OK);
        var open = await (await coordinator.GetAsync($"/api/phases/{phaseId}/milestones?completed=false&pageSize=1")).Expect(HttpStatusCode.OK);

        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(["2014-02-15", "2014-03-06", "2014-03-10"], all.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("dueDate").GetString()!).ToArray());
        Assert.Equal(["Directory of hotlines", "Handbook for project developers"], deliverables.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("title").GetString()!).ToArray());
        Assert.Equal(2, open.GetProperty("total").GetInt32());
        Assert.Equal("Directory of hotlines", Assert.Single(open.GetProperty("items").EnumerateArray()).GetProperty("title").GetString());
        await (await coordinator.GetAsync($"/api/phases/{phaseId}/milestones?kind=party")).ExpectProblem(HttpStatusCode.BadRequest, "kind");
        await (await coordinator.GetAsync($"/api/phases/{phaseId}/milestones?completed=maybe")).ExpectProblem(HttpStatusCode.BadRequest, "completed");
        await (await coordinator.GetAsync($"/api/phases/{phaseId}/milestones?pageSize=500")).ExpectProblem(HttpStatusCode.BadRequest, "pageSize");
    }

    [Fact]
    public async Task OverdueFollowsTheServersClockAndIsNotStored()
    {
        var (_, token) = await _app.CreateUserAsync(Role.Coordinator);
        using var clockApp = _app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<TimeProvider>(new StoppedClock(new DateTimeOffset(2012, 6, 1, 12, 0, 0, TimeSpan.Zero)))));
        using var coordinator = clockApp.CreateClient();
        coordinator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 2);

        var past = await Plan.MilestoneAsync(coordinator, phaseId, "First Expert Group Meeting", "meeting", "2012-04-23");
        var today = await Plan.MilestoneAsync(coordinator, phaseId, "Expert meeting minutes", "deliverable", "2012-06-01");
        var future = await Plan.MilestoneAsync(coordinator, phaseId, "Third Expert Group Meeting", "meeting", "2012-09-21");

        var (pastRead, _) = await Plan.ReadAsync(coordinator, $"/api/milestones/{past}");
        var (todayRead, _) = await Plan.ReadAsync(coordinator, $"/api/milestones/{today}");
        var (futureRead, _) = await Plan.ReadAsync(coordinator, $"/api/milestones/{future}");
        Assert.True(pastRead.GetProperty("overdue").GetBoolean());
        Assert.False(todayRead.GetProperty("overdue").GetBoolean());
        Assert.False(futureRead.GetProperty("overdue").GetBoolean());
        await (await coordinator.PostAsJsonAsync($"/api/milestones/{future}/complete", new { completedOn = "2012-09-21" }))
            .ExpectProblem(HttpStatusCode.BadRequest, "completedOn"); // in the future by this clock

        var done = await (await coordinator.PostAsJsonAsync($"/api/milestones/{past}/complete", new { completedOn = "2012-05-02" })).Expect(HttpStatusCode.OK);
        Assert.False(done.GetProperty("overdue").GetBoolean());

        // By the real clock (years later) the still-open milestone of 2012-09-21 is overdue: nothing was stored.
        using var realCoordinator = _app.ClientWithToken(token);
        var (later, _) = await Plan.ReadAsync(realCoordinator, $"/api/milestones/{future}");
        Assert.True(later.GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task UnknownMilestonesAreNotFound()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        await (await coordinator.GetAsync("/api/milestones/404")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PutAsJsonAsync("/api/milestones/404", Plan.MilestoneBody())).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.DeleteAsync("/api/milestones/404")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PostAsJsonAsync("/api/milestones/404/complete", new { completedOn = "2012-01-01" })).ExpectProblem(HttpStatusCode.NotFound);
    }

    public void Dispose() => _app.Dispose();
}
