using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Courses;

/// <summary>
/// The counts behind "completed" (courses.session_count, enrolments.sessions_attended) are kept by triggers
/// (sql/0007): whatever changes attendance, they must equal a recount from the attendance rows.
/// </summary>
public sealed class CompletionCountsTests : IDisposable
{
    private const string Recount = """
        SELECT COUNT(*) FROM enrolments e JOIN courses c ON c.id = e.course_id
        WHERE e.sessions_attended <> (
                SELECT COUNT(*) FROM attendance a JOIN course_sessions s ON s.id = a.session_id
                WHERE s.course_id = e.course_id AND a.participant_id = e.participant_id AND a.status IN ('present', 'late'))
           OR c.session_count <> (SELECT COUNT(*) FROM course_sessions s WHERE s.course_id = c.id)
        """;

    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task ReplacingRegistersWithdrawingAndEnrollingAgainKeepTheCountsRight()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, people) = await CourseGiven.RunningCourseAsync(coordinator, participants: 3, sessions: 3);
        foreach (var session in sessions)
        {
            await CourseGiven.RecordAsync(coordinator, courseId, session, people.Select(p => (p, "present")));
        }

        // The second register is replaced: two of three become absent or excused.
        await CourseGiven.RecordAsync(coordinator, courseId, sessions[1], [(people[0], "late"), (people[1], "absent"), (people[2], "excused")]);
        var matrix = await (await coordinator.GetAsync($"/api/courses/{courseId}/attendance")).Expect(HttpStatusCode.OK);
        var completed = matrix.GetProperty("participants").EnumerateArray()
            .ToDictionary(p => p.GetProperty("participantId").GetInt32(), p => p.GetProperty("completed").GetBoolean());
        Assert.True(completed[people[0]]);  // 3 of 3
        Assert.False(completed[people[1]]); // 2 of 3 < 0.8

        var enrolments = await (await coordinator.GetAsync($"/api/courses/{courseId}/enrolments")).Expect(HttpStatusCode.OK);
        var first = enrolments.GetProperty("items").EnumerateArray().First(e => e.GetProperty("participantId").GetInt32() == people[0]);
        await (await coordinator.DeleteAsync($"/api/courses/{courseId}/enrolments/{first.GetProperty("id").GetInt32()}")).Expect(HttpStatusCode.NoContent);
        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = people[0] })).Expect(HttpStatusCode.Created);

        matrix = await (await coordinator.GetAsync($"/api/courses/{courseId}/attendance")).Expect(HttpStatusCode.OK);
        var again = matrix.GetProperty("participants").EnumerateArray().Single(p => p.GetProperty("participantId").GetInt32() == people[0]);
        Assert.True(again.GetProperty("completed").GetBoolean(), "someone enrolled again keeps the sessions they attended");
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>(Recount));
    }

    [Fact]
    public async Task DeletingASessionTakesItsAttendanceOutOfTheCounts()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, people) = await CourseGiven.RunningCourseAsync(coordinator, participants: 2, sessions: 2);
        await CourseGiven.RecordAsync(coordinator, courseId, sessions[0], people.Select(p => (p, "present")));
        await CourseGiven.RecordAsync(coordinator, courseId, sessions[1], [(people[0], "present"), (people[1], "absent")]);

        using (var db = _app.OpenDatabase())
        {
            db.Execute("DELETE FROM course_sessions WHERE id = @id", new { id = sessions[1] });
            Assert.Equal(0, db.ExecuteScalar<long>(Recount));
        }

        var matrix = await (await coordinator.GetAsync($"/api/courses/{courseId}/attendance")).Expect(HttpStatusCode.OK);
        Assert.All(matrix.GetProperty("participants").EnumerateArray(), p => Assert.True(p.GetProperty("completed").GetBoolean()));
    }

    [Fact]
    public async Task ACancelledCourseTrainsNobodyInTheMatrixAsInTheReports()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, people) = await CourseGiven.RunningCourseAsync(coordinator, participants: 2, sessions: 1);
        await CourseGiven.RecordAsync(coordinator, courseId, sessions[0], people.Select(p => (p, "present")));

        await CourseGiven.MoveAsync(coordinator, courseId, "cancelled");

        var matrix = await (await coordinator.GetAsync($"/api/courses/{courseId}/attendance")).Expect(HttpStatusCode.OK);
        Assert.All(matrix.GetProperty("participants").EnumerateArray(), p => Assert.False(p.GetProperty("completed").GetBoolean()));
    }

    [Fact]
    public async Task CounterUpkeepIsNotLoggedAsAUsersChange()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, people) = await CourseGiven.RunningCourseAsync(coordinator, participants: 2, sessions: 1);
        const string updates = "SELECT COUNT(*) FROM audit_log WHERE action IN ('enrolment.update', 'course.update')";
        long before;
        using (var db = _app.OpenDatabase())
        {
            before = db.ExecuteScalar<long>(updates);
        }

        await CourseGiven.RecordAsync(coordinator, courseId, sessions[0], people.Select(p => (p, "present")));

        using var after = _app.OpenDatabase();
        Assert.Equal(before, after.ExecuteScalar<long>(updates));
        Assert.Equal(2, after.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.insert'"));
        Assert.Equal(2, after.ExecuteScalar<long>("SELECT SUM(sessions_attended) FROM enrolments WHERE course_id = @courseId", new { courseId }));
    }

    public void Dispose() => _app.Dispose();
}
