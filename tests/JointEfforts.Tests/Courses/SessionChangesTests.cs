using System.Net;
using System.Net.Http.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Courses;

/// <summary>Issue 24: sessions gain start and end times and a trainer, and may be changed or deleted until attendance is taken.</summary>
public sealed class SessionChangesTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    private static object Body(string date = "2013-05-14", string? start = "09:00", string? end = "12:30", string title = "Day 2: victim interviews",
        double hours = 3.5, string? trainer = "Dr. Ilse Maes") =>
        new { date, startTime = start, endTime = end, title, hours, trainer };

    [Fact]
    public async Task ASessionKeepsItsTimesAndTrainerAndIsChangedByAFullPut()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, _) = await CourseGiven.RunningCourseAsync(coordinator, sessions: 1);

        var created = await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/sessions", Body())).Expect(HttpStatusCode.Created);
        Assert.Equal("09:00", created.GetProperty("startTime").GetString());
        Assert.Equal("12:30", created.GetProperty("endTime").GetString());
        Assert.Equal("Dr. Ilse Maes", created.GetProperty("trainer").GetString());
        Assert.False(created.GetProperty("hasAttendance").GetBoolean());
        var id = created.GetProperty("id").GetInt32();

        var put = await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/{id}",
            Body(date: "2013-05-15", start: "13:30", end: "17:00", title: "Day 3: case studies", trainer: null));
        var changed = await put.Expect(HttpStatusCode.OK);
        Assert.Equal("2013-05-15", changed.GetProperty("date").GetString());
        Assert.Equal("13:30", changed.GetProperty("startTime").GetString());
        Assert.Equal(JsonValueKindNull, changed.GetProperty("trainer").ValueKind);
        var read = await (await coordinator.GetAsync($"/api/courses/{courseId}/sessions/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Day 3: case studies", read.GetProperty("title").GetString());
        Assert.NotNull(put.Headers.ETag);

        // A PUT replaces the whole session: a field left out is named, not reset.
        var partial = await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/{id}", new { date = "2013-05-15", title = "x", hours = 2 });
        await partial.ExpectProblem(HttpStatusCode.BadRequest, "startTime");
        Assert.Single(sessions);
    }

    [Fact]
    public async Task BadTimesAndADateOutsideTheCourseAreRefusedByNameAndChangeNothing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, _) = await CourseGiven.RunningCourseAsync(coordinator, sessions: 1);
        var url = $"/api/courses/{courseId}/sessions/{sessions[0]}";

        var badTime = await (await coordinator.PutAsJsonAsync(url, Body(start: "9h"))).ExpectProblem(HttpStatusCode.BadRequest, "startTime");
        Assert.Equal("startTime must be a time written HH:MM on a 24-hour clock (e.g. 09:30).", badTime.GetProperty("errors").GetProperty("startTime")[0].GetString());
        var backwards = await (await coordinator.PutAsJsonAsync(url, Body(start: "14:00", end: "10:00"))).ExpectProblem(HttpStatusCode.BadRequest, "endTime");
        Assert.Equal("A session ends after it starts (it starts at 14:00).", backwards.GetProperty("errors").GetProperty("endTime")[0].GetString());
        var outside = await (await coordinator.PutAsJsonAsync(url, Body(date: "2014-01-01"))).ExpectProblem(HttpStatusCode.BadRequest, "date");
        Assert.StartsWith("A session is dated within its course", outside.GetProperty("errors").GetProperty("date")[0].GetString(), StringComparison.Ordinal);

        var unchanged = await (await coordinator.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal("Day 1", unchanged.GetProperty("title").GetString());
        Assert.Equal(JsonValueKindNull, unchanged.GetProperty("startTime").ValueKind);
    }

    [Fact]
    public async Task OnceAttendanceIsTakenASessionCanBeNeitherChangedNorDeleted()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, participants) = await CourseGiven.RunningCourseAsync(coordinator, sessions: 2, participants: 2);
        await CourseGiven.RecordAsync(coordinator, courseId, sessions[0], participants.Select(p => (p, "present")));

        var change = await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/{sessions[0]}", Body(date: "2013-05-13"));
        var problem = await change.ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal("Attendance has been taken for the session of 2013-05-13: it can no longer be changed.", problem.GetProperty("detail").GetString());
        await (await coordinator.DeleteAsync($"/api/courses/{courseId}/sessions/{sessions[0]}")).ExpectProblem(HttpStatusCode.Conflict);
        Assert.True((await (await coordinator.GetAsync($"/api/courses/{courseId}/sessions/{sessions[0]}")).Expect(HttpStatusCode.OK)).GetProperty("hasAttendance").GetBoolean());

        // The other session has no register yet: it goes.
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.DeleteAsync($"/api/courses/{courseId}/sessions/{sessions[1]}")).StatusCode);
        await (await coordinator.GetAsync($"/api/courses/{courseId}/sessions/{sessions[1]}")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.DeleteAsync($"/api/courses/{courseId}/sessions/{sessions[1]}")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OnlyCoordinatorsChangeSessionsAndAnotherCoursesSessionIsNotFound()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, _) = await CourseGiven.RunningCourseAsync(coordinator, sessions: 1);
        var (otherCourse, _, _) = await CourseGiven.RunningCourseAsync(coordinator, sessions: 1);
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);

        await (await expert.PutAsJsonAsync($"/api/courses/{courseId}/sessions/{sessions[0]}", Body(date: "2013-05-13"))).ExpectProblem(HttpStatusCode.Forbidden);
        await (await steering.DeleteAsync($"/api/courses/{courseId}/sessions/{sessions[0]}")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await coordinator.PutAsJsonAsync($"/api/courses/{otherCourse}/sessions/{sessions[0]}", Body(date: "2013-05-13"))).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal("Day 1", (await (await coordinator.GetAsync($"/api/courses/{courseId}/sessions/{sessions[0]}")).Expect(HttpStatusCode.OK)).GetProperty("title").GetString());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    public void Dispose() => _app.Dispose();
}
