using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using JointEfforts.Tests.Programmes;

namespace JointEfforts.Tests.Meetings;

public sealed class MeetingsTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task ACoordinatorPlansATwoDayExpertGroupMeeting()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 2);

        var response = await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/meetings", Plan.MeetingBody(phaseId));

        var meeting = await response.Expect(HttpStatusCode.Created);
        var id = meeting.GetProperty("id").GetInt32();
        Assert.Equal($"/api/meetings/{id}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal("expertGroup", meeting.GetProperty("kind").GetString());
        Assert.Equal("Victims Identification", meeting.GetProperty("topic").GetString());
        Assert.Equal(projectId, meeting.GetProperty("projectId").GetInt32());
        Assert.Equal(phaseId, meeting.GetProperty("phaseId").GetInt32());
        Assert.Equal("BE", meeting.GetProperty("countryCode").GetString());
        Assert.Equal("2012-04-22", meeting.GetProperty("startDate").GetString());
        Assert.Equal("2012-04-23", meeting.GetProperty("endDate").GetString());
        Assert.Equal(2, meeting.GetProperty("days").GetInt32());
        Assert.Equal(12, meeting.GetProperty("capacity").GetInt32());
        Assert.Equal(0, meeting.GetProperty("attendeeCount").GetInt32());
        var (read, _) = await Plan.ReadAsync(coordinator, $"/api/meetings/{id}");
        Assert.Equal("First Expert Group Meeting", read.GetProperty("title").GetString());
    }

    [Fact]
    public async Task EveryKindOfMeetingCanBePlannedAndCapacityIsOptional()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 1);

        foreach (var kind in new[] { "steeringGroup", "expertGroup", "conference", "studyVisit", "kickOff" })
        {
            var meeting = await Plan.MeetingAsync(coordinator, projectId, Plan.MeetingBody(phaseId, kind, $"A {kind}", "2012-01-10", "2012-01-10", capacity: null));
            Assert.Equal(kind, meeting.GetProperty("kind").GetString());
            Assert.Equal(JsonValueKind.Null, meeting.GetProperty("capacity").ValueKind);
            Assert.Equal(1, meeting.GetProperty("days").GetInt32());
        }
    }

    [Theory]
    [InlineData("endBeforeStart", "endDate")]
    [InlineData("tooLong", "endDate")]
    [InlineData("startBeforeProgramme", "startDate")]
    [InlineData("endAfterProgramme", "endDate")]
    [InlineData("countryNotIso", "countryCode")]
    [InlineData("countryUnknown", "countryCode")]
    [InlineData("unknownKind", "kind")]
    [InlineData("missingTitle", "title")]
    [InlineData("missingCity", "city")]
    [InlineData("zeroCapacity", "capacity")]
    [InlineData("capacityText", "capacity")]
    [InlineData("missingPhase", "phaseId")]
    [InlineData("unknownPhase", "phaseId")]
    [InlineData("phaseOfAnotherProgramme", "phaseId")]
    [InlineData("badDate", "startDate")]
    [InlineData("notAnObject", "body")]
    public async Task BadMeetingsNameTheFieldAndAreNotCreated(string problem, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 2);
        var otherPhase = await Plan.PhaseIdAsync(coordinator, await Given.ProjectAsync(coordinator, "PL15-0032"), 2);
        var json = problem switch
        {
            "endBeforeStart" => Body(phaseId, start: "2012-04-23", end: "2012-04-22"),
            "tooLong" => Body(phaseId, start: "2012-04-01", end: "2012-04-15"),
            "startBeforeProgramme" => Body(phaseId, start: "2011-10-19", end: "2011-10-20"),
            "endAfterProgramme" => Body(phaseId, start: "2014-03-20", end: "2014-03-21"),
            "countryNotIso" => Body(phaseId, country: "UK"),
            "countryUnknown" => Body(phaseId, country: "ZZ"),
            "unknownKind" => Body(phaseId, kind: "workshop"),
            "missingTitle" => Body(phaseId).Replace("\"title\":\"Second Expert Group Meeting\",", ""),
            "missingCity" => Body(phaseId).Replace("\"city\":\"Krems\",", ""),
            "zeroCapacity" => Body(phaseId, capacity: "0"),
            "capacityText" => Body(phaseId, capacity: "\"twelve\""),
            "missingPhase" => Body(phaseId).Replace($"\"phaseId\":{phaseId},", ""),
            "unknownPhase" => Body(99999),
            "phaseOfAnotherProgramme" => Body(otherPhase),
            "badDate" => Body(phaseId, start: "14/06/2012"),
            "notAnObject" => "\"a meeting\"",
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };

        var response = await coordinator.PostAsync($"/api/projects/{projectId}/meetings", Http.RawJson(json));

        await response.ExpectProblem(HttpStatusCode.BadRequest, field);
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM meetings"));
    }

    [Fact]
    public async Task MeetingsAreListedByDateAndFilteredByKindWithinTheirProgramme()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var planning = await Plan.PhaseIdAsync(coordinator, projectId, 1);
        var preparation = await Plan.PhaseIdAsync(coordinator, projectId, 2);
        await Plan.MeetingAsync(coordinator, projectId, Plan.MeetingBody(preparation, "expertGroup", "Third Expert Group Meeting", "2012-09-20", "2012-09-21"));
        await Plan.MeetingAsync(coordinator, projectId, Plan.MeetingBody(preparation, "conference", "Budapest European Conference on THB", "2012-02-27", "2012-02-27", city: "Budapest", countryCode: "HU"));
        await Plan.MeetingAsync(coordinator, projectId, Plan.MeetingBody(planning, "steeringGroup", "Project Steering Group meeting", "2011-12-13", "2011-12-13"));
        await Plan.MeetingAsync(coordinator, projectId, Plan.MeetingBody(preparation, "expertGroup", "First Expert Group Meeting", "2012-04-22", "2012-04-23"));
        var otherProject = await Given.ProjectAsync(coordinator, "OTHER");
        await Plan.MeetingAsync(coordinator, otherProject, Plan.MeetingBody(await Plan.PhaseIdAsync(coordinator, otherProject, 2)));

        var all = await (await coordinator.GetAsync($"/api/projects/{projectId}/meetings")).Expect(HttpStatusCode.OK);
        var experts = await (await coordinator.GetAsync($"/api/projects/{projectId}/meetings?kind=expertGroup")).Expect(HttpStatusCode.OK);
        var hungary = await (await coordinator.GetAsync($"/api/projects/{projectId}/meetings?countryCode=HU")).Expect(HttpStatusCode.OK);
        var planningPhase = await (await coordinator.GetAsync($"/api/projects/{projectId}/meetings?phaseId={planning}&page=1&pageSize=1")).Expect(HttpStatusCode.OK);

        Assert.Equal(4, all.GetProperty("total").GetInt32());
        Assert.Equal(["2011-12-13", "2012-02-27", "2012-04-22", "2012-09-20"], all.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("startDate").GetString()!).ToArray());
        Assert.Equal(["First Expert Group Meeting", "Third Expert Group Meeting"], experts.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("title").GetString()!).ToArray());
        Assert.Equal("Budapest European Conference on THB", Assert.Single(hungary.GetProperty("items").EnumerateArray()).GetProperty("title").GetString());
        Assert.Equal(1, planningPhase.GetProperty("total").GetInt32());
        await (await coordinator.GetAsync($"/api/projects/{projectId}/meetings?kind=workshop")).ExpectProblem(HttpStatusCode.BadRequest, "kind");
        await (await coordinator.GetAsync($"/api/projects/{projectId}/meetings?countryCode=UK")).ExpectProblem(HttpStatusCode.BadRequest, "countryCode");
        await (await coordinator.GetAsync($"/api/projects/{projectId}/meetings?phaseId=two")).ExpectProblem(HttpStatusCode.BadRequest, "phaseId");
    }

    [Fact]
    public async Task UpdatingAMeetingHonoursIfMatchAndTheProgrammesRules()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (projectId, id) = await Plan.ExpertMeetingAsync(coordinator, capacity: 3);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 2);
        var otherPhase = await Plan.PhaseIdAsync(coordinator, await Given.ProjectAsync(coordinator, "OTHER"), 2);
        await (await coordinator.PostAsJsonAsync($"/api/meetings/{id}/attendees", Plan.AttendeeBody("Anna Verbeke"))).Expect(HttpStatusCode.Created);
        await (await coordinator.PostAsJsonAsync($"/api/meetings/{id}/attendees", Plan.AttendeeBody("Jan Peeters"))).Expect(HttpStatusCode.Created);
        var (_, etag) = await Plan.ReadAsync(coordinator, $"/api/meetings/{id}");

        var response = await coordinator.PutAsJsonAsync($"/api/meetings/{id}",
            Plan.MeetingBody(phaseId, "expertGroup", "First Expert Group Meeting, Antwerp", "2012-04-23", "2012-04-24", capacity: 15), etag);

        var updated = await response.Expect(HttpStatusCode.OK);
        Assert.Equal("First Expert Group Meeting, Antwerp", updated.GetProperty("title").GetString());
        Assert.Equal("2012-04-24", updated.GetProperty("endDate").GetString());
        Assert.Equal(15, updated.GetProperty("capacity").GetInt32());
        Assert.Equal(2, updated.GetProperty("attendeeCount").GetInt32());
        await (await coordinator.PutAsJsonAsync($"/api/meetings/{id}", Plan.MeetingBody(phaseId, title: "Stale"), etag))
            .ExpectProblem(HttpStatusCode.PreconditionFailed);
        await (await coordinator.PutAsJsonAsync($"/api/meetings/{id}", Plan.MeetingBody(phaseId, title: "Too small", capacity: 1)))
            .ExpectProblem(HttpStatusCode.Conflict);
        await (await coordinator.PutAsJsonAsync($"/api/meetings/{id}", Plan.MeetingBody(otherPhase, title: "Elsewhere")))
            .ExpectProblem(HttpStatusCode.BadRequest, "phaseId");
        await (await coordinator.PutAsJsonAsync($"/api/meetings/{id}", Plan.MeetingBody(phaseId, title: "Backwards", startDate: "2012-04-24", endDate: "2012-04-23")))
            .ExpectProblem(HttpStatusCode.BadRequest, "endDate");
        var (now, _) = await Plan.ReadAsync(coordinator, $"/api/meetings/{id}");
        Assert.Equal("First Expert Group Meeting, Antwerp", now.GetProperty("title").GetString());
        Assert.Equal(15, now.GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task ConclusionsAreRecordedOnTheMeeting()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (_, id) = await Plan.ExpertMeetingAsync(coordinator);
        const string text = "Payoke's \"coffee and cookies\" approach was explained as a model of victims' identification.";

        var response = await coordinator.PutAsJsonAsync($"/api/meetings/{id}/conclusions", new { text }, "\"1\"");

        var meeting = await response.Expect(HttpStatusCode.OK);
        Assert.Equal(text, meeting.GetProperty("conclusions").GetString());
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        await (await coordinator.PutAsJsonAsync($"/api/meetings/{id}/conclusions", new { text = "stale" }, "\"1\"")).ExpectProblem(HttpStatusCode.PreconditionFailed);
        await (await coordinator.PutAsync($"/api/meetings/{id}/conclusions", Http.RawJson("{}"))).ExpectProblem(HttpStatusCode.BadRequest, "text");
        await (await coordinator.PutAsync($"/api/meetings/{id}/conclusions", Http.RawJson("""{"text":""}"""))).ExpectProblem(HttpStatusCode.BadRequest, "text");
        await (await coordinator.PutAsJsonAsync($"/api/meetings/{id}/conclusions", new { text = new string('x', 50_001) })).ExpectProblem(HttpStatusCode.BadRequest, "text");
        var (read, _) = await Plan.ReadAsync(coordinator, $"/api/meetings/{id}");
        Assert.Equal(text, read.GetProperty("conclusions").GetString());
    }

    [Fact]
    public async Task AMeetingWithoutRecommendationsIsDeletedWithItsAttendees()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (_, id) = await Plan.ExpertMeetingAsync(coordinator);
        await (await coordinator.PostAsJsonAsync($"/api/meetings/{id}/attendees", Plan.AttendeeBody())).Expect(HttpStatusCode.Created);

        await (await coordinator.DeleteAsync($"/api/meetings/{id}", "\"9\"")).ExpectProblem(HttpStatusCode.PreconditionFailed);
        await (await coordinator.DeleteAsync($"/api/meetings/{id}", "\"1\"")).Expect(HttpStatusCode.NoContent);

        await (await coordinator.GetAsync($"/api/meetings/{id}")).ExpectProblem(HttpStatusCode.NotFound);
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM meeting_attendees"));
    }

    [Fact]
    public async Task AMeetingWithRecommendationsCannotBeDeleted()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (_, id) = await Plan.ExpertMeetingAsync(coordinator);
        await Plan.RecommendationAsync(coordinator, id);

        var problem = await (await coordinator.DeleteAsync($"/api/meetings/{id}")).ExpectProblem(HttpStatusCode.Conflict);

        Assert.Contains("recommendations", problem.GetProperty("detail").GetString());
        var (meeting, _) = await Plan.ReadAsync(coordinator, $"/api/meetings/{id}");
        Assert.Equal(1, meeting.GetProperty("recommendationCount").GetInt32());
    }

    [Theory]
    [InlineData(Role.SteeringGroup)]
    [InlineData(Role.CountryExpert)]
    public async Task OnlyCoordinatorsChangeMeetingsButEveryoneReadsThem(Role role)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (projectId, id) = await Plan.ExpertMeetingAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 2);
        var attendee = (await (await coordinator.PostAsJsonAsync($"/api/meetings/{id}/attendees", Plan.AttendeeBody())).Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        var recommendation = await Plan.RecommendationAsync(coordinator, id);
        using var reader = await _app.CreateClientAsync(role, role == Role.CountryExpert ? "NL" : null);

        await (await reader.PostAsJsonAsync($"/api/projects/{projectId}/meetings", Plan.MeetingBody(phaseId))).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.PutAsJsonAsync($"/api/meetings/{id}", Plan.MeetingBody(phaseId, title: "Mine"))).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.DeleteAsync($"/api/meetings/{id}")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.PostAsJsonAsync($"/api/meetings/{id}/attendees", Plan.AttendeeBody("Someone Else"))).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.DeleteAsync($"/api/meetings/{id}/attendees/{attendee}")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.PutAsJsonAsync($"/api/meetings/{id}/conclusions", new { text = "Mine" })).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.PostAsJsonAsync($"/api/meetings/{id}/recommendations", new { text = "Mine" })).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.PutAsJsonAsync($"/api/recommendations/{recommendation}", new { text = "Mine", status = "dropped" })).ExpectProblem(HttpStatusCode.Forbidden);

        var (meeting, _) = await Plan.ReadAsync(reader, $"/api/meetings/{id}");
        Assert.Equal("First Expert Group Meeting", meeting.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, meeting.GetProperty("conclusions").ValueKind);
        Assert.Equal(1, meeting.GetProperty("attendeeCount").GetInt32());
        Assert.Equal(1, (await (await reader.GetAsync($"/api/projects/{projectId}/meetings")).Expect(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        if (role == Role.CountryExpert)
        {
            // Attendees are names of people: a country expert sees how many came, not who.
            await (await reader.GetAsync($"/api/meetings/{id}/attendees")).ExpectProblem(HttpStatusCode.Forbidden);
            await (await reader.GetAsync($"/api/meetings/{id}/attendees/{attendee}")).ExpectProblem(HttpStatusCode.Forbidden);
        }
        else
        {
            Assert.Equal(1, (await (await reader.GetAsync($"/api/meetings/{id}/attendees")).Expect(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        }

        var recommendations = await (await reader.GetAsync($"/api/projects/{projectId}/recommendations")).Expect(HttpStatusCode.OK);
        Assert.Equal("open", Assert.Single(recommendations.GetProperty("items").EnumerateArray()).GetProperty("status").GetString());
        await (await reader.GetAsync($"/api/recommendations/{recommendation}")).Expect(HttpStatusCode.OK);
        await (await reader.GetAsync($"/api/meetings/{id}/recommendations")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnknownMeetingsAndProgrammesAreNotFound()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var phaseId = await Plan.PhaseIdAsync(coordinator, projectId, 2);

        await (await coordinator.PostAsJsonAsync("/api/projects/404/meetings", Plan.MeetingBody(phaseId))).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/projects/404/meetings")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/projects/404/recommendations")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/meetings/404")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PutAsJsonAsync("/api/meetings/404", Plan.MeetingBody(phaseId))).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.DeleteAsync("/api/meetings/404")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PutAsJsonAsync("/api/meetings/404/conclusions", new { text = "x" })).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PostAsJsonAsync("/api/meetings/404/attendees", Plan.AttendeeBody())).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/meetings/404/attendees")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/meetings/404/attendees/1")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.DeleteAsync("/api/meetings/404/attendees/1")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PostAsJsonAsync("/api/meetings/404/recommendations", new { text = "x" })).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/meetings/404/recommendations")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/recommendations/404")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PutAsJsonAsync("/api/recommendations/404", new { text = "x", owner = (string?)null, dueDate = (string?)null, status = "open" })).ExpectProblem(HttpStatusCode.NotFound);
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM meetings"));
    }

    private static string Body(int phaseId, string kind = "expertGroup", string start = "2012-06-14", string end = "2012-06-15",
        string country = "AT", string capacity = "12") =>
        $$"""{"kind":"{{kind}}","title":"Second Expert Group Meeting","topic":"Health care for victims","phaseId":{{phaseId}},"city":"Krems","countryCode":"{{country}}","startDate":"{{start}}","endDate":"{{end}}","capacity":{{capacity}}}""";

    public void Dispose() => _app.Dispose();
}
