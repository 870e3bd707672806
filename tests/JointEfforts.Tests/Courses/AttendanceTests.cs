using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Courses;

public sealed class AttendanceTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task TheMatrixGivesEachParticipantsRateAndCompletion()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, people) = await CourseGiven.RunningCourseAsync(coordinator, participants: 3, sessions: 5);
        string[][] marks =
        [
            ["present", "present", "present", "present", "present"], // 5/5
            ["present", "late", "present", "late", "absent"],        // 4/5 = 0.8: completes at the 0.8 threshold
            ["present", "excused", "absent", "present", "late"],     // 3/5
        ];
        for (var s = 0; s < sessions.Count; s++)
        {
            await CourseGiven.RecordAsync(coordinator, courseId, sessions[s], people.Select((p, i) => (p, marks[i][s])));
        }

        var matrix = await (await coordinator.GetAsync($"/api/courses/{courseId}/attendance")).Expect(HttpStatusCode.OK);

        Assert.Equal(0.8, matrix.GetProperty("completionThreshold").GetDouble());
        Assert.Equal(5, matrix.GetProperty("sessions").GetArrayLength());
        var rows = matrix.GetProperty("participants").EnumerateArray().ToList();
        Assert.Equal(people, rows.Select(r => r.GetProperty("participantId").GetInt32()));
        Assert.Equal([1.0, 0.8, 0.6], rows.Select(r => r.GetProperty("rate").GetDouble()));
        Assert.Equal([true, true, false], rows.Select(r => r.GetProperty("completed").GetBoolean()));
        Assert.Equal(["present", "excused", "absent", "present", "late"], rows[2].GetProperty("sessions").EnumerateArray().Select(c => c.GetProperty("status").GetString()));
        Assert.Equal(sessions, rows[2].GetProperty("sessions").EnumerateArray().Select(c => c.GetProperty("sessionId").GetInt32()));
        Assert.Equal(3, matrix.GetProperty("enrolledCount").GetInt32());
        Assert.Equal(2, matrix.GetProperty("completedCount").GetInt32());
    }

    [Fact]
    public async Task PuttingARegisterReplacesTheSessionsPreviousOne()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, people) = await CourseGiven.RunningCourseAsync(coordinator, participants: 2, sessions: 1);
        await CourseGiven.RecordAsync(coordinator, courseId, sessions[0], [(people[0], "absent"), (people[1], "absent")]);

        var response = await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/{sessions[0]}/attendance", new[] { new { participantId = people[0], status = "late" } });

        var register = await response.Expect(HttpStatusCode.OK);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal(1, register.GetProperty("entries").GetArrayLength());
        var matrix = await (await coordinator.GetAsync($"/api/courses/{courseId}/attendance")).Expect(HttpStatusCode.OK);
        var cells = matrix.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("sessions")[0].GetProperty("status")).ToList();
        Assert.Equal("late", cells[0].GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cells[1].ValueKind);
        var stale = await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/{sessions[0]}/attendance", Array.Empty<object>(), "\"1\"");
        await stale.ExpectProblem(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task OnlyParticipantsEnrolledInTheCourseAreOnTheRegister()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, people) = await CourseGiven.RunningCourseAsync(coordinator, participants: 1, sessions: 1, max: 1);
        var waitlisted = (await CourseGiven.EnrolAsync(coordinator, courseId, 1))[0];
        var stranger = await CourseGiven.ParticipantAsync(coordinator, "Not enrolled");
        await CourseGiven.RecordAsync(coordinator, courseId, sessions[0], [(people[0], "present")]);

        var body = new object[]
        {
            new { participantId = people[0], status = "absent" },
            new { participantId = stranger, status = "present" },
            new { participantId = waitlisted, status = "present" },
        };
        var problem = await (await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/{sessions[0]}/attendance", body)).ExpectProblem(HttpStatusCode.BadRequest, "[1].participantId");

        Assert.True(problem.GetProperty("errors").TryGetProperty("[2].participantId", out _));
        using var db = _app.OpenDatabase();
        Assert.Equal("present", db.ExecuteScalar<string>("SELECT status FROM attendance WHERE participant_id = @id", new { id = people[0] }));
    }

    [Theory]
    [InlineData("""[{"participantId":1,"status":"sleeping"}]""", "[0].status")]
    [InlineData("""[{"status":"present"}]""", "[0].participantId")]
    [InlineData("""[null]""", "[0]")]
    [InlineData("""{"participantId":1,"status":"present"}""", "body")]
    [InlineData("""[{"participantId":1,"status":"present"},{"participantId":1,"status":"late"}]""", "[1].participantId")]
    public async Task BadRegistersNameTheEntry(string json, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, _) = await CourseGiven.RunningCourseAsync(coordinator, participants: 1, sessions: 1);

        var response = await coordinator.PutAsync($"/api/courses/{courseId}/sessions/{sessions[0]}/attendance", Http.RawJson(json));

        var problem = await response.ExpectProblem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.Ordinal)), problem.ToString());
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM attendance"));
    }

    [Fact]
    public async Task ASessionOfAnotherCourseIsNotFound()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (first, _, people) = await CourseGiven.RunningCourseAsync(coordinator, participants: 1, sessions: 1);
        var (_, otherSessions, _) = await CourseGiven.RunningCourseAsync(coordinator, participants: 1, sessions: 1);

        var response = await coordinator.PutAsJsonAsync($"/api/courses/{first}/sessions/{otherSessions[0]}/attendance", new[] { new { participantId = people[0], status = "present" } });

        await response.ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheCountryExpertRecordsAttendanceOnlyInTheirCountry()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var expertUser = await _app.CreateUserAsync(Role.CountryExpert, "AT");
        using var expert = _app.ClientWithToken(expertUser.Token);
        var (austria, atSessions, atPeople) = await CourseGiven.RunningCourseAsync(coordinator, "AT", participants: 2, sessions: 1, countryExpertUserId: expertUser.Id);
        var (netherlands, nlSessions, nlPeople) = await CourseGiven.RunningCourseAsync(coordinator, "NL", participants: 1, sessions: 1);

        await CourseGiven.RecordAsync(expert, austria, atSessions[0], [(atPeople[0], "present"), (atPeople[1], "late")]);
        var matrix = await (await expert.GetAsync($"/api/courses/{austria}/attendance")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, matrix.GetProperty("completedCount").GetInt32());

        var refused = await expert.PutAsJsonAsync($"/api/courses/{netherlands}/sessions/{nlSessions[0]}/attendance", new[] { new { participantId = nlPeople[0], status = "present" } });
        await refused.ExpectProblem(HttpStatusCode.NotFound);
        await (await expert.GetAsync($"/api/courses/{netherlands}/attendance")).ExpectProblem(HttpStatusCode.NotFound);
        using var db = _app.OpenDatabase();
        Assert.Equal(expertUser.Id, db.ExecuteScalar<int>("SELECT recorded_by FROM attendance WHERE participant_id = @id", new { id = atPeople[0] }));
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM attendance WHERE participant_id = @id", new { id = nlPeople[0] }));
    }

    [Fact]
    public async Task TheSteeringGroupReadsTheMatrixButRecordsNothing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, people) = await CourseGiven.RunningCourseAsync(coordinator, participants: 1, sessions: 1);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);

        await (await steering.PutAsJsonAsync($"/api/courses/{courseId}/sessions/{sessions[0]}/attendance", new[] { new { participantId = people[0], status = "present" } })).ExpectProblem(HttpStatusCode.Forbidden);
        await (await steering.GetAsync($"/api/courses/{courseId}/attendance")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ADraftCourseTakesNoAttendance()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, people) = await CourseGiven.RunningCourseAsync(coordinator, participants: 1, sessions: 1);
        await CourseGiven.MoveAsync(coordinator, courseId, "cancelled");

        var response = await coordinator.PutAsJsonAsync($"/api/courses/{courseId}/sessions/{sessions[0]}/attendance", new[] { new { participantId = people[0], status = "present" } });

        await response.ExpectProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ACourseWithoutSessionsHasNobodyCompleted()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, _, _) = await CourseGiven.RunningCourseAsync(coordinator, participants: 2, sessions: 0);

        var matrix = await (await coordinator.GetAsync($"/api/courses/{courseId}/attendance")).Expect(HttpStatusCode.OK);

        Assert.All(matrix.GetProperty("participants").EnumerateArray(), p =>
        {
            Assert.Equal(0.0, p.GetProperty("rate").GetDouble());
            Assert.False(p.GetProperty("completed").GetBoolean());
        });
    }

    public void Dispose() => _app.Dispose();
}
