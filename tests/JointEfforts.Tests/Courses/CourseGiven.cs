using System.Net;
using System.Net.Http.Json;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Courses;

/// <summary>
/// Course arrangements made through the API, for every feature that needs a course: a course of a country,
/// opened, with sessions and N enrolled participants. All take a coordinator (or admin) client.
/// </summary>
public static class CourseGiven
{
    public static readonly IReadOnlyDictionary<string, string> Languages = new Dictionary<string, string>
    {
        ["AT"] = "de", ["NL"] = "nl", ["AL"] = "sq", ["MD"] = "ro", ["GB"] = "en", ["SE"] = "sv",
    };

    public static Dictionary<string, object?> CourseBody(
        string countryCode = "AT", int? min = 25, int? max = 40, int? countryExpertUserId = null, double? completionThreshold = null) => new()
    {
        ["title"] = $"Pilot training {countryCode}: identifying and assisting victims of trafficking",
        ["countryCode"] = countryCode,
        ["city"] = countryCode == "AT" ? "Vienna" : "Capital",
        ["venue"] = "Training centre",
        ["language"] = Languages.TryGetValue(countryCode, out var language) ? language : "en",
        ["startDate"] = "2013-05-13",
        ["endDate"] = "2013-05-17",
        ["minParticipants"] = min,
        ["maxParticipants"] = max,
        ["countryExpertUserId"] = countryExpertUserId,
        ["completionThreshold"] = completionThreshold,
        ["evaluationFormId"] = null,
        ["preTestFormId"] = null,
        ["postTestFormId"] = null,
    };

    public static object ParticipantBody(string fullName, string countryCode = "AT", string? email = null, string sector = "lawEnforcement", string seniority = "field") => new
    {
        fullName,
        email,
        organisation = "Federal Criminal Police Office",
        sector,
        countryCode,
        seniority,
    };

    /// <summary>A draft course in a new programme; returns the course id.</summary>
    public static async Task<int> CourseAsync(
        HttpClient coordinator, string countryCode = "AT", int min = 25, int max = 40, int? countryExpertUserId = null, int? projectId = null)
    {
        projectId ??= await Given.ProjectAsync(coordinator, "JE-" + Guid.NewGuid().ToString("N")[..8]);
        var response = await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", CourseBody(countryCode, min, max, countryExpertUserId));
        return (await response.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
    }

    public static async Task MoveAsync(HttpClient coordinator, int courseId, string status) =>
        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/status", new { status })).Expect(HttpStatusCode.OK);

    /// <summary>An open course (taking enrolments); returns its id.</summary>
    public static async Task<int> OpenCourseAsync(
        HttpClient coordinator, string countryCode = "AT", int min = 25, int max = 40, int? countryExpertUserId = null, int? projectId = null)
    {
        var id = await CourseAsync(coordinator, countryCode, min, max, countryExpertUserId, projectId);
        await MoveAsync(coordinator, id, "open");
        return id;
    }

    public static async Task<int> ParticipantAsync(HttpClient coordinator, string fullName, string countryCode = "AT", string? email = null, string sector = "lawEnforcement")
    {
        var response = await coordinator.PostAsJsonAsync("/api/participants", ParticipantBody(fullName, countryCode, email, sector));
        return (await response.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
    }

    public static async Task<int> SessionAsync(HttpClient coordinator, int courseId, string date = "2013-05-13", string title = "Day 1: indicators", double hours = 7)
    {
        var response = await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/sessions", new { date, title, hours });
        return (await response.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
    }

    /// <summary>Creates N participants and enrols them one after the other; returns the participant ids in order.</summary>
    public static async Task<List<int>> EnrolAsync(HttpClient coordinator, int courseId, int count, string countryCode = "AT")
    {
        var ids = new List<int>();
        for (var i = 1; i <= count; i++)
        {
            var participantId = await ParticipantAsync(coordinator, $"Participant {courseId}-{i}", countryCode);
            await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId })).Expect(HttpStatusCode.Created);
            ids.Add(participantId);
        }

        return ids;
    }

    /// <summary>An open course with the given sessions and N enrolled participants.</summary>
    public static async Task<(int CourseId, List<int> SessionIds, List<int> ParticipantIds)> RunningCourseAsync(
        HttpClient coordinator, string countryCode = "AT", int participants = 3, int sessions = 2, int min = 1, int max = 40, int? countryExpertUserId = null)
    {
        var courseId = await OpenCourseAsync(coordinator, countryCode, min, max, countryExpertUserId);
        var sessionIds = new List<int>();
        for (var i = 0; i < sessions; i++)
        {
            sessionIds.Add(await SessionAsync(coordinator, courseId, $"2013-05-{13 + (i % 5):00}", $"Day {i + 1}"));
        }

        return (courseId, sessionIds, await EnrolAsync(coordinator, courseId, participants, countryCode));
    }

    /// <summary>Replaces a session's register: every participant with the same status.</summary>
    public static async Task RecordAsync(HttpClient client, int courseId, int sessionId, IEnumerable<(int ParticipantId, string Status)> register)
    {
        var body = register.Select(r => new { participantId = r.ParticipantId, status = r.Status }).ToList();
        await (await client.PutAsJsonAsync($"/api/courses/{courseId}/sessions/{sessionId}/attendance", body)).Expect(HttpStatusCode.OK);
    }
}
