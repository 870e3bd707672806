using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Programmes;

/// <summary>Arrangements for the programme-structure tests: phases, milestones, meetings, made through the API.</summary>
public static class Plan
{
    /// <summary>The id of phase 1..5 of a programme.</summary>
    public static async Task<int> PhaseIdAsync(HttpClient client, int projectId, int number)
    {
        var phases = await (await client.GetAsync($"/api/projects/{projectId}/phases")).Expect(HttpStatusCode.OK);
        return phases.EnumerateArray().Single(p => p.GetProperty("number").GetInt32() == number).GetProperty("id").GetInt32();
    }

    public static object MilestoneBody(string title = "Project Steering Group meeting", string kind = "meeting", string dueDate = "2011-12-15") =>
        new { title, kind, dueDate, courseId = (int?)null, meetingId = (int?)null };

    public static async Task<int> MilestoneAsync(HttpClient coordinator, int phaseId, string title = "Project Steering Group meeting",
        string kind = "meeting", string dueDate = "2011-12-15")
    {
        var response = await coordinator.PostAsJsonAsync($"/api/phases/{phaseId}/milestones", MilestoneBody(title, kind, dueDate));
        return (await response.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
    }

    public static object MeetingBody(int phaseId, string kind = "expertGroup", string title = "First Expert Group Meeting",
        string startDate = "2012-04-22", string endDate = "2012-04-23", int? capacity = 12, string city = "Antwerp", string countryCode = "BE") =>
        new { kind, title, topic = "Victims Identification", phaseId, city, countryCode, startDate, endDate, capacity };

    public static async Task<JsonElement> MeetingAsync(HttpClient coordinator, int projectId, object body)
    {
        var response = await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/meetings", body);
        return await response.Expect(HttpStatusCode.Created);
    }

    /// <summary>A programme (2011-10-20..2014-03-20) with a two-day expert group meeting in its preparation phase; returns both ids.</summary>
    public static async Task<(int ProjectId, int MeetingId)> ExpertMeetingAsync(HttpClient coordinator, int? capacity = 12, string code = "JE-TEST")
    {
        var projectId = await Given.ProjectAsync(coordinator, code);
        var phaseId = await PhaseIdAsync(coordinator, projectId, 2);
        var meeting = await MeetingAsync(coordinator, projectId, MeetingBody(phaseId, capacity: capacity));
        return (projectId, meeting.GetProperty("id").GetInt32());
    }

    public static object AttendeeBody(string fullName = "Anna Verbeke", string organisation = "Federal Police Belgium",
        string organisationType = "lawEnforcement", string countryCode = "BE") =>
        new { fullName, organisation, organisationType, countryCode };

    public static async Task<int> RecommendationAsync(HttpClient coordinator, int meetingId, string text = "Devise a common training manual",
        string? owner = "Payoke", string? dueDate = "2012-10-01")
    {
        var response = await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/recommendations", new { text, owner, dueDate });
        return (await response.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
    }

    /// <summary>Reads an object and returns its body and ETag.</summary>
    public static async Task<(JsonElement Body, string ETag)> ReadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Expect(HttpStatusCode.OK);
        return (body, response.Headers.ETag!.Tag);
    }
}

/// <summary>A clock stopped at one instant, to show that derived flags (overdue) follow the server's TimeProvider.</summary>
public sealed class StoppedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
