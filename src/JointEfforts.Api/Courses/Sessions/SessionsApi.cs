using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Courses;

/// <summary>The sessions (days or modules) of a course.</summary>
public static class SessionsApi
{
    internal const string SelectSession = """
        SELECT s.id AS Id, s.course_id AS CourseId, s.date AS Date, s.title AS Title, s.hours AS Hours, s.version AS Version
        FROM course_sessions s
        """;

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        var courses = app.MapGroup("/api/courses")
            .WithTags("Courses")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();
        courses.MapPost("/{id:int}/sessions", CreateSession).WithName("CreateSession")
            .WithSummary("Add a session (a day or module) to a course, dated within the course and of 0 < hours ≤ 24 (coordinator). Not on an evaluated or cancelled course (409).")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        courses.MapGet("/{id:int}/sessions", ListSessions).WithName("ListSessions")
            .WithSummary("List a course's sessions by date, then id.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        courses.MapGet("/{id:int}/sessions/{sessionId:int}", GetSession).WithName("GetSession")
            .WithSummary("Read a session of a course.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<SessionDto>, ValidationProblem, ProblemHttpResult>> CreateSession(
        int id, SessionRequest request, SqliteConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await db.QuerySingleOrDefaultAsync<CoursesApi.CourseState>(CoursesApi.StateOf, new { id }, transaction);
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        if (request.Date < course.StartDate || request.Date > course.EndDate)
        {
            return Problems.Validation("date", $"A session is dated within its course, {course.StartDate:yyyy-MM-dd} to {course.EndDate:yyyy-MM-dd}.");
        }

        if (course.Status is CourseStatus.Evaluated or CourseStatus.Cancelled)
        {
            return Problems.Conflict($"The course is {course.Status.ToWire()}: it takes no more sessions.");
        }

        var sessionId = await db.ExecuteScalarAsync<long>(
            "INSERT INTO course_sessions (course_id, date, title, hours) VALUES (@id, @Date, @Title, @Hours) RETURNING id",
            new { id, request.Date, request.Title, request.Hours }, transaction);
        await db.ExecuteAsync("UPDATE courses SET version = version + 1 WHERE id = @id", new { id }, transaction);
        var session = await db.QuerySingleAsync<SessionDto>(SelectSession + " WHERE s.id = @sessionId", new { sessionId }, transaction);
        write.Commit();
        return TypedResults.Created($"/api/courses/{id}/sessions/{sessionId}", session);
    }

    private static async Task<Results<Ok<Paged<SessionDto>>, ProblemHttpResult>> ListSessions(
        int id, [AsParameters] PageRequest paging, Caller caller, SqliteConnection db)
    {
        using var results = await db.QueryMultipleAsync(
            """
            SELECT EXISTS (SELECT 1 FROM courses c WHERE c.id = @id AND (@country IS NULL OR c.country_code = @country));
            """ + SelectSession + """
             WHERE s.course_id = @id ORDER BY s.date, s.id LIMIT @limit OFFSET @offset;
            SELECT COUNT(*) FROM course_sessions WHERE course_id = @id;
            """,
            new { id, country = caller.CountryScope, limit = paging.Size, offset = paging.Offset });
        if (!await results.ReadSingleAsync<bool>())
        {
            return Problems.NotFound("Course", id);
        }

        var items = await results.ReadAsync<SessionDto>();
        var total = await results.ReadSingleAsync<int>();
        return TypedResults.Ok(Paged<SessionDto>.Of(items, paging, total));
    }

    private static async Task<Results<Ok<SessionDto>, ProblemHttpResult>> GetSession(int id, int sessionId, Caller caller, SqliteConnection db)
    {
        var session = await db.QuerySingleOrDefaultAsync<SessionDto>(
            SelectSession + " JOIN courses c ON c.id = s.course_id WHERE s.id = @sessionId AND s.course_id = @id" + CoursesApi.Scope,
            new { id, sessionId, country = caller.CountryScope });
        return session is null ? Problems.NotFound("Session", sessionId) : TypedResults.Ok(session);
    }
}
