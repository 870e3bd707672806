using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Courses;

/// <summary>
/// The rules of a course's sessions, for <c>/api/courses/{id}/sessions</c> and the workspace's course page: a session lies
/// within its course's dates; an evaluated or cancelled course takes no new session and changes none; once attendance has
/// been taken for a session it can be neither changed nor deleted (409). Each write is one write-queue transaction and
/// bumps the course's version too (its ETag covers its sessions).
/// </summary>
public static class SessionService
{
    internal const string SelectSession = """
        SELECT s.id AS Id, s.course_id AS CourseId, s.date AS Date, s.start_time AS StartTime, s.end_time AS EndTime,
               s.title AS Title, s.hours AS Hours, s.trainer AS Trainer,
               EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id) AS HasAttendance, s.version AS Version
        FROM course_sessions s
        """;

    public static async Task<Outcome<SessionDto>> CreateAsync(DbConnection db, Caller caller, int id, SessionRequest request)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await CourseAsync(db, transaction, caller, id);
        if (course is null)
        {
            return new Outcome<SessionDto>.NotFound("Course", id);
        }

        if (Check(course, request) is { } refused)
        {
            return refused;
        }

        var sessionId = await db.ExecuteScalarAsync<long>(
            """
            INSERT INTO course_sessions (course_id, date, title, hours, start_time, end_time, trainer)
            VALUES (@id, @Date, @Title, @Hours, @StartTime, @EndTime, @Trainer) RETURNING id
            """,
            new { id, request.Date, request.Title, request.Hours, request.StartTime, request.EndTime, Trainer = Trim(request.Trainer) }, transaction);
        await db.ExecuteAsync("UPDATE courses SET version = version + 1 WHERE id = @id", new { id }, transaction);
        var session = await db.QuerySingleAsync<SessionDto>(SelectSession + " WHERE s.id = @sessionId", new { sessionId }, transaction);
        write.Commit();
        return new Outcome<SessionDto>.Stored(session);
    }

    public static async Task<Outcome<SessionDto>> UpdateAsync(
        DbConnection db, Caller caller, int id, int sessionId, SessionRequest request, IfMatch ifMatch)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var (course, session) = await FindAsync(db, transaction, caller, id, sessionId);
        if (course is null || session is null)
        {
            return course is null ? new Outcome<SessionDto>.NotFound("Course", id) : new Outcome<SessionDto>.NotFound("Session", sessionId);
        }

        if (session.HasAttendance)
        {
            return new Outcome<SessionDto>.Conflict(
                $"Attendance has been taken for the session of {session.Date:yyyy-MM-dd}: it can no longer be changed.");
        }

        if (!ifMatch.Matches(session.Version))
        {
            return new Outcome<SessionDto>.PreconditionFailed();
        }

        if (Check(course, request) is { } refused)
        {
            return refused;
        }

        await db.ExecuteAsync(
            """
            UPDATE course_sessions SET date = @Date, title = @Title, hours = @Hours, start_time = @StartTime, end_time = @EndTime,
                                       trainer = @Trainer, version = version + 1
            WHERE id = @sessionId;
            UPDATE courses SET version = version + 1 WHERE id = @id;
            """,
            new { id, sessionId, request.Date, request.Title, request.Hours, request.StartTime, request.EndTime, Trainer = Trim(request.Trainer) },
            transaction);
        var updated = await db.QuerySingleAsync<SessionDto>(SelectSession + " WHERE s.id = @sessionId", new { sessionId }, transaction);
        write.Commit();
        return new Outcome<SessionDto>.Stored(updated);
    }

    public static async Task<Outcome<SessionDto>> DeleteAsync(DbConnection db, Caller caller, int id, int sessionId, IfMatch ifMatch)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var (course, session) = await FindAsync(db, transaction, caller, id, sessionId);
        if (course is null || session is null)
        {
            return course is null ? new Outcome<SessionDto>.NotFound("Course", id) : new Outcome<SessionDto>.NotFound("Session", sessionId);
        }

        if (session.HasAttendance)
        {
            return new Outcome<SessionDto>.Conflict(
                $"Attendance has been taken for the session of {session.Date:yyyy-MM-dd}: it can no longer be deleted.");
        }

        if (!ifMatch.Matches(session.Version))
        {
            return new Outcome<SessionDto>.PreconditionFailed();
        }

        if (course.Status is CourseStatus.Evaluated or CourseStatus.Cancelled)
        {
            return new Outcome<SessionDto>.Conflict($"The course is {course.Status.ToWire()}: its sessions can no longer change.");
        }

        await db.ExecuteAsync(
            "DELETE FROM course_sessions WHERE id = @sessionId; UPDATE courses SET version = version + 1 WHERE id = @id;",
            new { id, sessionId }, transaction);
        write.Commit();
        return new Outcome<SessionDto>.Stored(session);
    }

    private static Outcome<SessionDto>? Check(CoursesApi.CourseState course, SessionRequest request)
    {
        if (request.Date < course.StartDate || request.Date > course.EndDate)
        {
            return Outcome<SessionDto>.Field("date", $"A session is dated within its course, {course.StartDate:yyyy-MM-dd} to {course.EndDate:yyyy-MM-dd}.");
        }

        if (course.Status is CourseStatus.Evaluated or CourseStatus.Cancelled)
        {
            return new Outcome<SessionDto>.Conflict($"The course is {course.Status.ToWire()}: its sessions can no longer change.");
        }

        return null;
    }

    private static Task<CoursesApi.CourseState?> CourseAsync(DbConnection db, DbTransaction transaction, Caller caller, int id) =>
        db.QuerySingleOrDefaultAsync<CoursesApi.CourseState?>(CoursesApi.StateOf + CoursesApi.Scope, new { id, country = caller.CountryScope }, transaction);

    private static async Task<(CoursesApi.CourseState? Course, SessionDto? Session)> FindAsync(
        DbConnection db, DbTransaction transaction, Caller caller, int id, int sessionId)
    {
        var course = await CourseAsync(db, transaction, caller, id);
        var session = course is null
            ? null
            : await db.QuerySingleOrDefaultAsync<SessionDto>(SelectSession + " WHERE s.id = @sessionId AND s.course_id = @id", new { id, sessionId }, transaction);
        return (course, session);
    }

    private static string? Trim(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
