using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Programmes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Courses;

public static class CoursesApi
{
    internal const string SelectCourse = """
        SELECT c.id AS Id, c.project_id AS ProjectId, c.title AS Title, c.country_code AS CountryCode, c.city AS City,
               c.venue AS Venue, c.language AS Language, c.start_date AS StartDate, c.end_date AS EndDate,
               c.min_participants AS MinParticipants, c.max_participants AS MaxParticipants,
               c.country_expert_user_id AS CountryExpertUserId, c.evaluation_form_id AS EvaluationFormId,
               c.pre_test_form_id AS PreTestFormId, c.post_test_form_id AS PostTestFormId,
               c.completion_threshold AS CompletionThreshold, c.status AS Status,
               (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled') AS EnrolledCount,
               (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'waitlisted') AS WaitlistedCount,
               (SELECT COUNT(*) FROM course_sessions s WHERE s.course_id = c.id) AS SessionCount,
               c.created_at AS CreatedAt, c.version AS Version
        FROM courses c
        """;

    internal const string Scope = " AND (@country IS NULL OR c.country_code = @country)";

    /// <summary>The legal moves of the course workflow. Reopening (closed → open) lets late registrations in;
    /// a course that took place (delivered, evaluated) can no longer be cancelled.</summary>
    internal static readonly IReadOnlyDictionary<CourseStatus, CourseStatus[]> Moves = new Dictionary<CourseStatus, CourseStatus[]>
    {
        [CourseStatus.Draft] = [CourseStatus.Open, CourseStatus.Cancelled],
        [CourseStatus.Open] = [CourseStatus.Closed, CourseStatus.Cancelled],
        [CourseStatus.Closed] = [CourseStatus.Open, CourseStatus.Delivered, CourseStatus.Cancelled],
        [CourseStatus.Delivered] = [CourseStatus.Evaluated],
        [CourseStatus.Evaluated] = [],
        [CourseStatus.Cancelled] = [],
    };

    /// <summary>Routes of courses; then those of their sessions, enrolments and attendance, each in its own folder.</summary>
    public static IEndpointRouteBuilder MapCourses(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/projects/{id:int}/courses")
            .WithTags("Courses")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();
        projects.MapPost("/", CreateCourse).WithName("CreateCourse")
            .WithSummary("Create a pilot course of a programme, in draft (coordinator).")
            .WithDescription("""
                Defaults: minParticipants 25, maxParticipants 40 (1 ≤ min ≤ max), completionThreshold 0.8 (0 < t ≤ 1).
                countryExpertUserId must be an active countryExpert of the course's country; evaluationFormId, preTestFormId and
                postTestFormId must name evaluation forms of purpose reaction, preTest and postTest, each available in the course's
                language; startDate..endDate lies within the programme's dates. Each violation is a 400 naming the field.
                """)
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        projects.MapGet("/", ListCourses).WithName("ListCourses").CachedRead()
            .WithSummary("List a programme's courses by id, filtered by countryCode and status. A country expert sees only courses of their country.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var courses = app.MapGroup("/api/courses")
            .WithTags("Courses")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();
        courses.MapGet("/{id:int}", GetCourse).WithName("GetCourse").CachedRead()
            .WithSummary("Read a course with its enrolled and waitlisted counts. Courses of another country are 404 to a country expert.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        courses.MapPut("/{id:int}", UpdateCourse).WithName("UpdateCourse")
            .WithSummary("Replace a course's fields (coordinator); status moves go through POST /status. Honours If-Match." + Json.PutReplaces)
            .WithDescription("""
                maxParticipants cannot go below the number enrolled (409). Raising it promotes waitlisted participants into the new
                seats in arrival order, in the same transaction. An evaluated or cancelled course is final: changing it is a 409.
                The same checks as on create (forms in the course's language, dates within the programme: 400 naming the field), and
                the course's sessions must stay within its dates (400 naming startDate or endDate). A milestone linked to a
                delivered course follows a change of its end date.
                """)
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        courses.MapDelete("/{id:int}", DeleteCourse).WithName("DeleteCourse")
            .WithSummary("Delete a course that has never had an enrolment, with its sessions (coordinator); otherwise cancel it (409). Honours If-Match.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        courses.MapPost("/{id:int}/status", MoveCourse).WithName("MoveCourse")
            .WithSummary("Move a course through its workflow (coordinator).")
            .WithDescription("""
                Legal moves: draft → open | cancelled; open → closed | cancelled; closed → open (reopen) | delivered | cancelled;
                delivered → evaluated. evaluated and cancelled are final. Any other move, delivered with fewer than
                minParticipants enrolled, or evaluated without an accepted evaluation report, is a 409 that leaves the course
                unchanged. In the same transaction, delivering closes the waitlist (waitlisted enrolments become notAdmitted) and
                completes the milestones linked to the course on its end date.
                """)
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapSessions();
        app.MapEnrolments();
        app.MapAttendance();
        return app;
    }

    private static async Task<Results<Created<CourseDto>, ValidationProblem, ProblemHttpResult>> CreateCourse(
        int id, CourseRequest request, DbConnection db) =>
        await CourseService.CreateAsync(db, id, request) switch
        {
            Outcome<CourseDto>.Stored stored => TypedResults.Created($"/api/courses/{stored.Value.Id}", stored.Value),
            Outcome<CourseDto>.Invalid invalid => invalid.ValidationProblem(),
            var other => other.Problem(),
        };

    private static async Task<Results<Ok<Paged<CourseDto>>, ProblemHttpResult>> ListCourses(
        int id, [AsParameters] PageRequest paging, [AsParameters] CourseQuery query, Caller caller, DbConnection db)
    {
        if (!await db.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM projects WHERE id = @id)", new { id }))
        {
            return Problems.NotFound("Programme", id);
        }

        const string where = " WHERE c.project_id = @id AND (@countryCode IS NULL OR c.country_code = @countryCode) AND (@status IS NULL OR c.status = @status)" + Scope;
        using var results = await db.QueryMultipleAsync(
            SelectCourse + where + " ORDER BY c.id LIMIT @limit OFFSET @offset; SELECT COUNT(*) FROM courses c" + where,
            new
            {
                id,
                countryCode = query.CountryCode,
                status = query.Status.ToWire(),
                country = caller.CountryScope,
                limit = paging.Size,
                offset = paging.Offset,
            });
        var items = await results.ReadAsync<CourseDto>();
        var total = await results.ReadSingleAsync<int>();
        return TypedResults.Ok(Paged<CourseDto>.Of(items, paging, total));
    }

    private static async Task<Results<Ok<CourseDto>, ProblemHttpResult>> GetCourse(int id, Caller caller, DbConnection db) =>
        await ReadAsync(db, id, caller.CountryScope) is { } course ? TypedResults.Ok(course) : Problems.NotFound("Course", id);

    private static async Task<Results<Ok<CourseDto>, ValidationProblem, ProblemHttpResult>> UpdateCourse(
        int id, CourseRequest request, IfMatch ifMatch, DbConnection db, TimeProvider time) =>
        await CourseService.UpdateAsync(db, id, request, ifMatch, time) switch
        {
            Outcome<CourseDto>.Stored stored => TypedResults.Ok(stored.Value),
            Outcome<CourseDto>.Invalid invalid => invalid.ValidationProblem(),
            var other => other.Problem(),
        };

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteCourse(int id, IfMatch ifMatch, DbConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var current = await db.QuerySingleOrDefaultAsync<CourseState>(StateOf, new { id }, transaction);
        if (current is null)
        {
            return Problems.NotFound("Course", id);
        }

        if (!ifMatch.Matches(current.Version))
        {
            return Problems.PreconditionFailed();
        }

        var inUse = await db.ExecuteScalarAsync<bool>(
            """
            SELECT EXISTS (SELECT 1 FROM enrolments WHERE course_id = @id)
                OR EXISTS (SELECT 1 FROM evaluation_responses WHERE course_id = @id)
            """,
            new { id }, transaction);
        if (inUse)
        {
            return Problems.Conflict(current.Status switch
            {
                CourseStatus.Cancelled => "The course is cancelled already; it keeps its enrolments and evaluations for the programme's records, so it cannot be deleted.",
                CourseStatus.Delivered or CourseStatus.Evaluated =>
                    $"{Wording.A(current.Status.ToWire())} course is part of the programme's results (enrolments, attendance, evaluations): it cannot be deleted or cancelled.",
                _ => $"The course has enrolments or evaluations: cancel it instead (POST /api/courses/{id}/status with status cancelled).",
            });
        }

        await db.ExecuteAsync("DELETE FROM courses WHERE id = @id", new { id }, transaction);
        write.Commit();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<CourseDto>, ValidationProblem, ProblemHttpResult>> MoveCourse(
        int id, CourseStatusRequest request, DbConnection db, TimeProvider time) =>
        await CourseService.MoveAsync(db, id, request.Status!.Value, time) switch
        {
            Outcome<CourseDto>.Stored stored => TypedResults.Ok(stored.Value),
            Outcome<CourseDto>.Invalid invalid => invalid.ValidationProblem(),
            var other => other.Problem(),
        };

    private const string SelectCourseById = SelectCourse + " WHERE c.id = @id" + Scope;

    /// <summary>The most read row of the API: its statement stays prepared on the connection.</summary>
    internal static Task<CourseDto?> ReadAsync(DbConnection db, long id, string? country, DbTransaction? transaction = null) =>
        db.QueryPreparedFirstOrDefaultAsync<CourseDto>(SelectCourseById, transaction, ("@id", id), ("@country", country));

    internal const string StateOf = """
        SELECT c.status AS Status, c.version AS Version, c.project_id AS ProjectId, c.min_participants AS MinParticipants, c.max_participants AS MaxParticipants,
               c.start_date AS StartDate, c.end_date AS EndDate,
               (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled') AS Enrolled
        FROM courses c WHERE c.id = @id
        """;

    internal sealed record CourseState
    {
        public CourseStatus Status { get; init; }

        public int ProjectId { get; init; }

        public long Version { get; init; }

        public int MinParticipants { get; init; }

        public int MaxParticipants { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }

        public int Enrolled { get; init; }
    }
}
