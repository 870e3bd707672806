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
        projects.MapGet("/", ListCourses).WithName("ListCourses")
            .WithSummary("List a programme's courses by id, filtered by countryCode and status. A country expert sees only courses of their country.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var courses = app.MapGroup("/api/courses")
            .WithTags("Courses")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();
        courses.MapGet("/{id:int}", GetCourse).WithName("GetCourse")
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
        int id, CourseRequest request, DbConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        if (!await db.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM projects WHERE id = @id)", new { id }, transaction))
        {
            return Problems.NotFound("Programme", id);
        }

        if (await CourseReferences.CheckAsync(db, transaction, id, null, request) is { Count: > 0 } errors)
        {
            return Problems.Validation(errors);
        }

        var parameters = Parameters(request);
        parameters.Add("projectId", id);
        var courseId = await db.ExecuteScalarAsync<long>(
            """
            INSERT INTO courses (project_id, title, country_code, city, venue, language, start_date, end_date, min_participants,
                                 max_participants, country_expert_user_id, evaluation_form_id, pre_test_form_id, post_test_form_id,
                                 completion_threshold)
            VALUES (@projectId, @Title, @CountryCode, @City, @Venue, @Language, @StartDate, @EndDate, @Min, @Max, @CountryExpertUserId,
                    @EvaluationFormId, @PreTestFormId, @PostTestFormId, @Threshold)
            RETURNING id
            """,
            parameters, transaction);
        var course = await ReadAsync(db, courseId, null, transaction);
        write.Commit();
        return TypedResults.Created($"/api/courses/{courseId}", course!);
    }

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
        int id, CourseRequest request, IfMatch ifMatch, DbConnection db, TimeProvider time)
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

        if (await CourseReferences.CheckAsync(db, transaction, current.ProjectId, id, request) is { Count: > 0 } errors)
        {
            return Problems.Validation(errors);
        }

        if (current.Status is CourseStatus.Evaluated or CourseStatus.Cancelled)
        {
            return Problems.Conflict($"The course is {current.Status.ToWire()}: it can no longer be changed.");
        }

        if (request.Max < current.Enrolled)
        {
            return Problems.Conflict(
                $"{current.Enrolled} participants are enrolled: maxParticipants cannot be lowered to {request.Max}. Withdraw enrolments first.");
        }

        var parameters = Parameters(request);
        parameters.Add("id", id);
        await db.ExecuteAsync(
            """
            UPDATE courses SET title = @Title, country_code = @CountryCode, city = @City, venue = @Venue, language = @Language,
                start_date = @StartDate, end_date = @EndDate, min_participants = @Min, max_participants = @Max,
                country_expert_user_id = @CountryExpertUserId, evaluation_form_id = @EvaluationFormId, pre_test_form_id = @PreTestFormId,
                post_test_form_id = @PostTestFormId, completion_threshold = @Threshold, version = version + 1
            WHERE id = @id
            """,
            parameters, transaction);
        await Enrolments.PromoteAsync(db, transaction, id);
        await MilestoneLinks.SyncCourseAsync(db, transaction, id, PhasesApi.Today(time));
        var course = await ReadAsync(db, id, null, transaction);
        write.Commit();
        return TypedResults.Ok(course!);
    }

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
        int id, CourseStatusRequest request, DbConnection db, TimeProvider time)
    {
        var target = request.Status!.Value;
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var current = await db.QuerySingleOrDefaultAsync<CourseState>(StateOf, new { id }, transaction);
        if (current is null)
        {
            return Problems.NotFound("Course", id);
        }

        if (!Moves[current.Status].Contains(target))
        {
            var allowed = Moves[current.Status].Select(s => s.ToWire()).ToList();
            return Problems.Conflict(
                $"{Wording.A(current.Status.ToWire())} course cannot move to {target.ToWire()}; " +
                (allowed.Count == 0 ? "it is final." : $"it can move to {string.Join(" or ", allowed)}."));
        }

        if (target == CourseStatus.Delivered && current.Enrolled < current.MinParticipants)
        {
            return Problems.Conflict(
                $"Only {Wording.Count(current.Enrolled, "participant")} {Wording.Is(current.Enrolled)} enrolled; a course is delivered with at least {current.MinParticipants}.");
        }

        if (target == CourseStatus.Evaluated
            && !await db.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM evaluation_reports WHERE course_id = @id AND state = 'accepted')", new { id }, transaction))
        {
            return Problems.Conflict(
                "A course is evaluated when the steering group accepts its country expert's evaluation report; this course has no accepted report.");
        }

        await db.ExecuteAsync(
            "UPDATE courses SET status = @status, version = version + 1 WHERE id = @id",
            new { id, status = target.ToWire() }, transaction);
        if (target == CourseStatus.Delivered)
        {
            await CloseWaitlistAsync(db, transaction, id);
        }

        await MilestoneLinks.SyncCourseAsync(db, transaction, id, PhasesApi.Today(time));
        var course = await ReadAsync(db, id, null, transaction);
        write.Commit();
        return TypedResults.Ok(course!);
    }

    private const string SelectCourseById = SelectCourse + " WHERE c.id = @id" + Scope;

    /// <summary>The most read row of the API: its statement stays prepared on the connection.</summary>
    internal static Task<CourseDto?> ReadAsync(DbConnection db, long id, string? country, DbTransaction? transaction = null) =>
        db.QueryPreparedFirstOrDefaultAsync<CourseDto>(SelectCourseById, transaction, ("@id", id), ("@country", country));

    /// <summary>
    /// Delivering a course closes its waitlist: whoever is still waiting was not admitted (status notAdmitted), in the
    /// transaction of the delivery, so no one stays "waitlisted" for a course that has taken place.
    /// </summary>
    private static Task CloseWaitlistAsync(DbConnection db, DbTransaction transaction, int id) =>
        db.ExecuteAsync(
            "UPDATE enrolments SET status = 'notAdmitted', version = version + 1 WHERE course_id = @id AND status = 'waitlisted'",
            new { id }, transaction);
    private static DynamicParameters Parameters(CourseRequest request)
    {
        var parameters = new DynamicParameters();
        parameters.Add("Title", request.Title);
        parameters.Add("CountryCode", request.CountryCode);
        parameters.Add("City", request.City);
        parameters.Add("Venue", request.Venue);
        parameters.Add("Language", request.Language);
        parameters.Add("StartDate", request.StartDate);
        parameters.Add("EndDate", request.EndDate);
        parameters.Add("Min", request.Min);
        parameters.Add("Max", request.Max);
        parameters.Add("CountryExpertUserId", request.CountryExpertUserId);
        parameters.Add("EvaluationFormId", request.EvaluationFormId);
        parameters.Add("PreTestFormId", request.PreTestFormId);
        parameters.Add("PostTestFormId", request.PostTestFormId);
        parameters.Add("Threshold", request.Threshold);
        return parameters;
    }

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
