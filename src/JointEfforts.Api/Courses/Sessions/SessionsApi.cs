using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Courses;

/// <summary>The sessions (days or modules) of a course.</summary>
public static class SessionsApi
{
    internal const string SelectSession = SessionService.SelectSession;

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
        courses.MapPut("/{id:int}/sessions/{sessionId:int}", UpdateSession).WithName("UpdateSession")
            .WithSummary("Change a session: its date (within the course), times, title, hours and trainer (coordinator). Honours If-Match. " +
                         "Once attendance has been taken for it, or the course is evaluated or cancelled: 409." + Json.PutReplaces)
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        courses.MapDelete("/{id:int}/sessions/{sessionId:int}", DeleteSession).WithName("DeleteSession")
            .WithSummary("Delete a session (coordinator). Honours If-Match. Once attendance has been taken for it, or the course is evaluated or cancelled: 409.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return app;
    }

    private static async Task<Results<Created<SessionDto>, ValidationProblem, ProblemHttpResult>> CreateSession(
        int id, SessionRequest request, Caller caller, DbConnection db) =>
        await SessionService.CreateAsync(db, caller, id, request) switch
        {
            Outcome<SessionDto>.Stored stored => TypedResults.Created($"/api/courses/{id}/sessions/{stored.Value.Id}", stored.Value),
            Outcome<SessionDto>.Invalid invalid => invalid.ValidationProblem(),
            var other => other.Problem(),
        };

    private static async Task<Results<Ok<SessionDto>, ValidationProblem, ProblemHttpResult>> UpdateSession(
        int id, int sessionId, SessionRequest request, IfMatch ifMatch, Caller caller, DbConnection db) =>
        await SessionService.UpdateAsync(db, caller, id, sessionId, request, ifMatch) switch
        {
            Outcome<SessionDto>.Stored stored => TypedResults.Ok(stored.Value),
            Outcome<SessionDto>.Invalid invalid => invalid.ValidationProblem(),
            var other => other.Problem(),
        };

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteSession(
        int id, int sessionId, IfMatch ifMatch, Caller caller, DbConnection db) =>
        await SessionService.DeleteAsync(db, caller, id, sessionId, ifMatch) switch
        {
            Outcome<SessionDto>.Stored => TypedResults.NoContent(),
            var other => other.Problem(),
        };

    private static async Task<Results<Ok<Paged<SessionDto>>, ProblemHttpResult>> ListSessions(
        int id, [AsParameters] PageRequest paging, Caller caller, DbConnection db)
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

    private static async Task<Results<Ok<SessionDto>, ProblemHttpResult>> GetSession(int id, int sessionId, Caller caller, DbConnection db)
    {
        var session = await db.QuerySingleOrDefaultAsync<SessionDto>(
            SelectSession + " JOIN courses c ON c.id = s.course_id WHERE s.id = @sessionId AND s.course_id = @id" + CoursesApi.Scope,
            new { id, sessionId, country = caller.CountryScope });
        return session is null ? Problems.NotFound("Session", sessionId) : TypedResults.Ok(session);
    }
}
