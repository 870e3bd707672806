using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using JointEfforts.Tests.Programmes;

namespace JointEfforts.Tests.Meetings;

public sealed class RecommendationsTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task AMeetingsRecommendationStartsOpenWithItsOwnerAndDueDate()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (projectId, meetingId) = await Plan.ExpertMeetingAsync(coordinator);

        var response = await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/recommendations",
            new { text = "Devise a common training manual that can be adapted to national circumstances", owner = "Danube University Krems", dueDate = "2013-02-28" });

        var recommendation = await response.Expect(HttpStatusCode.Created);
        var id = recommendation.GetProperty("id").GetInt32();
        Assert.Equal($"/api/recommendations/{id}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal("open", recommendation.GetProperty("status").GetString());
        Assert.Equal("Danube University Krems", recommendation.GetProperty("owner").GetString());
        Assert.Equal("2013-02-28", recommendation.GetProperty("dueDate").GetString());
        Assert.Equal(meetingId, recommendation.GetProperty("meetingId").GetInt32());
        Assert.Equal(projectId, recommendation.GetProperty("projectId").GetInt32());
        Assert.Equal("First Expert Group Meeting", recommendation.GetProperty("meetingTitle").GetString());
        Assert.True(recommendation.GetProperty("overdue").GetBoolean()); // due in 2013, still open by today's clock
        var withoutOwner = await (await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/recommendations", new { text = "Support the curricula with case studies" }))
            .Expect(HttpStatusCode.Created);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, withoutOwner.GetProperty("owner").ValueKind);
        Assert.False(withoutOwner.GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task TheSteeringGroupFollowsARecommendationThroughItsLifecycle()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(coordinator);
        var id = await Plan.RecommendationAsync(coordinator, meetingId, "Develop pocket cards on THB indicators", "Payoke", "2014-02-28");
        var (_, etag) = await Plan.ReadAsync(steering, $"/api/recommendations/{id}");

        var started = await coordinator.PutAsJsonAsync($"/api/recommendations/{id}",
            new { text = "Develop pocket cards on THB indicators", owner = "Payoke", dueDate = "2014-02-28", status = "inProgress" }, etag);
        var (inProgress, _) = await Plan.ReadAsync(steering, $"/api/recommendations/{id}");
        await (await coordinator.PutAsJsonAsync($"/api/recommendations/{id}",
            new { text = "Develop pocket cards on THB indicators", owner = "Payoke", dueDate = "2014-02-28", status = "open" }, etag)).ExpectProblem(HttpStatusCode.PreconditionFailed);
        var implemented = await (await coordinator.PutAsJsonAsync($"/api/recommendations/{id}",
            new { text = "Develop pocket cards on THB indicators, per country", owner = "Payoke", dueDate = "2014-02-28", status = "implemented" })).Expect(HttpStatusCode.OK);

        await started.Expect(HttpStatusCode.OK);
        Assert.Equal("\"2\"", started.Headers.ETag?.Tag);
        Assert.Equal("inProgress", inProgress.GetProperty("status").GetString());
        Assert.Equal("implemented", implemented.GetProperty("status").GetString());
        Assert.False(implemented.GetProperty("overdue").GetBoolean());
        Assert.Equal("Develop pocket cards on THB indicators, per country", implemented.GetProperty("text").GetString());
        var reopen = await coordinator.PutAsJsonAsync($"/api/recommendations/{id}",
            new { text = "Develop pocket cards on THB indicators", owner = "Payoke", dueDate = "2014-02-28", status = "open" });
        await reopen.ExpectProblem(HttpStatusCode.Conflict);
        var corrected = await (await coordinator.PutAsJsonAsync($"/api/recommendations/{id}",
            new { text = "Develop pocket cards on THB indicators, adapted to each country", owner = "Payoke vzw", dueDate = "2014-02-28", status = "implemented" })).Expect(HttpStatusCode.OK);
        Assert.Equal("Payoke vzw", corrected.GetProperty("owner").GetString());
        Assert.Equal("implemented", corrected.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ADroppedRecommendationStaysDropped()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(coordinator);
        var id = await Plan.RecommendationAsync(coordinator, meetingId);
        await (await coordinator.PutAsJsonAsync($"/api/recommendations/{id}", new { text = "Devise a common training manual", owner = (string?)null, dueDate = (string?)null, status = "dropped" })).Expect(HttpStatusCode.OK);

        await (await coordinator.PutAsJsonAsync($"/api/recommendations/{id}", new { text = "Devise a common training manual", owner = (string?)null, dueDate = (string?)null, status = "inProgress" }))
            .ExpectProblem(HttpStatusCode.Conflict);

        using var db = _app.OpenDatabase();
        Assert.Equal("dropped", db.ExecuteScalar<string>("SELECT status FROM recommendations WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task TheProgrammesRecommendationsAreListedAcrossItsMeetingsByStatus()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (projectId, first) = await Plan.ExpertMeetingAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 2);
        var second = (await Plan.MeetingAsync(coordinator, projectId, Plan.MeetingBody(phaseId, title: "Second Expert Group Meeting", startDate: "2012-06-14", endDate: "2012-06-15"))).GetProperty("id").GetInt32();
        var (_, elsewhere) = await Plan.ExpertMeetingAsync(coordinator, code: "OTHER");
        var manual = await Plan.RecommendationAsync(coordinator, first, "Devise a common training manual");
        await Plan.RecommendationAsync(coordinator, first, "Develop standard operating procedures");
        var cases = await Plan.RecommendationAsync(coordinator, second, "Support the curricula by case studies");
        await Plan.RecommendationAsync(coordinator, elsewhere, "Not of this programme");
        await (await coordinator.PutAsJsonAsync($"/api/recommendations/{manual}", new { text = "Devise a common training manual", owner = (string?)null, dueDate = (string?)null, status = "inProgress" })).Expect(HttpStatusCode.OK);
        await (await coordinator.PutAsJsonAsync($"/api/recommendations/{cases}", new { text = "Support the curricula by case studies", owner = (string?)null, dueDate = (string?)null, status = "inProgress" })).Expect(HttpStatusCode.OK);

        var all = await (await coordinator.GetAsync($"/api/projects/{projectId}/recommendations")).Expect(HttpStatusCode.OK);
        var inProgress = await (await coordinator.GetAsync($"/api/projects/{projectId}/recommendations?status=inProgress")).Expect(HttpStatusCode.OK);
        var open = await (await coordinator.GetAsync($"/api/projects/{projectId}/recommendations?status=open")).Expect(HttpStatusCode.OK);
        var ofSecond = await (await coordinator.GetAsync($"/api/projects/{projectId}/recommendations?meetingId={second}")).Expect(HttpStatusCode.OK);
        var ofFirstMeeting = await (await coordinator.GetAsync($"/api/meetings/{first}/recommendations?status=open")).Expect(HttpStatusCode.OK);

        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(2, inProgress.GetProperty("total").GetInt32());
        Assert.Equal([manual, cases], inProgress.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).ToArray());
        Assert.Equal(["First Expert Group Meeting", "Second Expert Group Meeting"], inProgress.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("meetingTitle").GetString()!).ToArray());
        Assert.Equal("Develop standard operating procedures", Assert.Single(open.GetProperty("items").EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal(cases, Assert.Single(ofSecond.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt32());
        Assert.Equal(1, ofFirstMeeting.GetProperty("total").GetInt32());
        await (await coordinator.GetAsync($"/api/projects/{projectId}/recommendations?status=closed")).ExpectProblem(HttpStatusCode.BadRequest, "status");
        await (await coordinator.GetAsync($"/api/meetings/{first}/recommendations?status=1")).ExpectProblem(HttpStatusCode.BadRequest, "status");
    }

    [Theory]
    [InlineData("""{"owner":"Payoke"}""", "text")]
    [InlineData("""{"text":"  "}""", "text")]
    [InlineData("""{"text":"Case studies","dueDate":"2012-04-21"}""", "dueDate")]
    [InlineData("""{"text":"Case studies","dueDate":"soon"}""", "dueDate")]
    [InlineData("""{"text":"Case studies","owner":12}""", "owner")]
    public async Task BadRecommendationsNameTheFieldAndAreNotRecorded(string json, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(coordinator);

        await (await coordinator.PostAsync($"/api/meetings/{meetingId}/recommendations", Http.RawJson(json))).ExpectProblem(HttpStatusCode.BadRequest, field);

        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM recommendations"));
    }

    [Theory]
    [InlineData("""{"text":"Devise a common training manual"}""", "status")]
    [InlineData("""{"text":"Devise a common training manual","status":"closed"}""", "status")]
    [InlineData("""{"status":"inProgress"}""", "text")]
    [InlineData("""{"text":"Devise a common training manual","owner":null,"status":"inProgress","dueDate":"2012-01-01"}""", "dueDate")]
    public async Task BadRecommendationUpdatesNameTheFieldAndChangeNothing(string json, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(coordinator);
        var id = await Plan.RecommendationAsync(coordinator, meetingId);

        await (await coordinator.PutAsync($"/api/recommendations/{id}", Http.RawJson(json))).ExpectProblem(HttpStatusCode.BadRequest, field);

        using var db = _app.OpenDatabase();
        var row = db.QuerySingle<(string Status, long Version, string DueDate)>("SELECT status, version, due_date FROM recommendations WHERE id = @id", new { id });
        Assert.Equal(("open", 1L, "2012-10-01"), row);
    }

    public void Dispose() => _app.Dispose();
}
