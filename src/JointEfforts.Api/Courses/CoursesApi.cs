using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Programmes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

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

    private const string SelectSession = """
        SELECT s.id AS Id, s.course_id AS CourseId, s.date AS Date, s.title AS Title, s.hours AS Hours, s.version AS Version
        FROM course_sessions s
        """;

    /// <summary>
    /// Completion per enrolled participant, from the view enrolment_completion (sql/0007, the one definition the
    /// reports share): attended = sessions marked present or late; rate = attended / sessions of the course;
    /// completed = rate ≥ the course's completionThreshold (no sessions, or a cancelled course: not completed).
    /// A participant who completed a course counts as trained. Append <c>AND ec....</c> filters.
    /// </summary>
    public const string CompletionSelect = """
        SELECT ec.course_id AS CourseId, ec.participant_id AS ParticipantId, p.full_name AS FullName,
               ec.sessions AS Sessions, ec.attended AS Attended, ec.rate AS Rate, ec.completed AS Completed
        FROM enrolment_completion ec
        JOIN participants p ON p.id = ec.participant_id
        WHERE 1 = 1
        """;

    private const string Scope = " AND (@country IS NULL OR c.country_code = @country)";

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

    /// <summary>Routes of courses, sessions, enrolments, attendance.</summary>
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

        courses.MapPost("/{id:int}/enrolments", Enrol).WithName("Enrol")
            .WithSummary("Enrol a participant in an open course (coordinator): enrolled while seats are free, else waitlisted in arrival order.")
            .WithDescription("""
                Only an open course takes enrolments (409 otherwise, also when closed: reopen it first). The count and the insert run in
                one BEGIN IMMEDIATE transaction, so no concurrency ever puts more than maxParticipants enrolled. A participant with a live
                (enrolled or waitlisted) enrolment in the course is a 409; after a withdrawal they may enrol again, at the back.
                An unknown or erased participant is a 400 naming participantId.
                """)
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        courses.MapGet("/{id:int}/enrolments", ListEnrolments).WithName("ListEnrolments")
            .WithSummary("List a course's enrolments in arrival order, with waitlist positions; filter by status. Country experts: their country only.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        courses.MapGet("/{id:int}/enrolments/{enrolmentId:int}", GetEnrolment).WithName("GetEnrolment")
            .WithSummary("Read an enrolment.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        courses.MapDelete("/{id:int}/enrolments/{enrolmentId:int}", Withdraw).WithName("WithdrawEnrolment")
            .WithSummary("Withdraw an enrolment (coordinator); a freed seat goes to the first waitlisted in the same transaction. Honours If-Match.")
            .WithDescription("The enrolment is kept as withdrawn (history and counts); withdrawing it again is a 409. Not once the course is delivered, evaluated or cancelled (409).")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        courses.MapPut("/{id:int}/sessions/{sessionId:int}/attendance", RecordAttendance).WithName("RecordAttendance")
            .WithSummary("Replace a session's attendance register (coordinator, or a country expert of the course's country). Honours If-Match with the session's ETag.")
            .WithDescription("""
                The body is the whole register: [{ participantId, status: present|late|excused|absent }]; participants left out have no
                line. Every participant must be enrolled (status enrolled) in the course, once: otherwise a 400 naming the entry.
                Only for open, closed or delivered courses (409 otherwise).
                """)
            .RequireAuthorization(Policies.CourseStaff)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        courses.MapGet("/{id:int}/attendance", GetAttendance).WithName("GetAttendance")
            .WithSummary("The attendance matrix: sessions × enrolled participants, each with attended sessions, rate and completed (rate of present + late ≥ completionThreshold). Completed means trained.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<CourseDto>, ValidationProblem, ProblemHttpResult>> CreateCourse(
        int id, CourseRequest request, SqliteConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        if (!await db.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM projects WHERE id = @id)", new { id }, transaction))
        {
            return Problems.NotFound("Programme", id);
        }

        if (await CheckReferencesAsync(db, transaction, id, null, request) is { Count: > 0 } errors)
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
        int id, [AsParameters] PageRequest paging, [AsParameters] CourseQuery query, Caller caller, SqliteConnection db)
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

    private static async Task<Results<Ok<CourseDto>, ProblemHttpResult>> GetCourse(int id, Caller caller, SqliteConnection db) =>
        await ReadAsync(db, id, caller.CountryScope) is { } course ? TypedResults.Ok(course) : Problems.NotFound("Course", id);

    private static async Task<Results<Ok<CourseDto>, ValidationProblem, ProblemHttpResult>> UpdateCourse(
        int id, CourseRequest request, IfMatch ifMatch, SqliteConnection db, TimeProvider time)
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

        if (await CheckReferencesAsync(db, transaction, current.ProjectId, id, request) is { Count: > 0 } errors)
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

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteCourse(int id, IfMatch ifMatch, SqliteConnection db)
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
        int id, CourseStatusRequest request, SqliteConnection db, TimeProvider time)
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

    private static async Task<Results<Created<SessionDto>, ValidationProblem, ProblemHttpResult>> CreateSession(
        int id, SessionRequest request, SqliteConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await db.QuerySingleOrDefaultAsync<CourseState>(StateOf, new { id }, transaction);
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
            SelectSession + " JOIN courses c ON c.id = s.course_id WHERE s.id = @sessionId AND s.course_id = @id" + Scope,
            new { id, sessionId, country = caller.CountryScope });
        return session is null ? Problems.NotFound("Session", sessionId) : TypedResults.Ok(session);
    }

    private static async Task<Results<Created<EnrolmentDto>, ValidationProblem, ProblemHttpResult>> Enrol(
        int id, EnrolmentRequest request, SqliteConnection db)
    {
        var participantId = request.ParticipantId!.Value;
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await db.QueryPreparedFirstOrDefaultAsync<CourseState>(StateOf, transaction, ("@id", id));
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        var participant = await db.QueryPreparedFirstOrDefaultAsync<bool?>(
            "SELECT erased_at IS NOT NULL FROM participants WHERE id = @participantId", transaction, ("@participantId", participantId));
        if (participant is null or true)
        {
            return Problems.Validation("participantId", participant is null
                ? $"Participant {participantId} does not exist."
                : $"Participant {participantId} was erased and can no longer be enrolled.");
        }

        if (course.Status != CourseStatus.Open)
        {
            return Problems.Conflict($"The course is {course.Status.ToWire()}: only an open course takes enrolments.");
        }

        var (outcome, enrolmentId) = await Enrolments.EnrolAsync(db, transaction, id, participantId, course.MaxParticipants);
        if (outcome == Enrolments.Outcome.AlreadyEnrolled)
        {
            return Problems.Conflict($"Participant {participantId} is already enrolled or waitlisted in this course (enrolment {enrolmentId}).");
        }

        var enrolment = await db.QueryPreparedFirstOrDefaultAsync<EnrolmentDto>(SelectEnrolmentById, transaction, ("@enrolmentId", enrolmentId));
        write.Commit();
        return TypedResults.Created($"/api/courses/{id}/enrolments/{enrolmentId}", enrolment!);
    }

    private static async Task<Results<Ok<Paged<EnrolmentDto>>, ProblemHttpResult>> ListEnrolments(
        int id, [AsParameters] PageRequest paging, [AsParameters] EnrolmentQuery query, Caller caller, SqliteConnection db)
    {
        const string where = " WHERE e.course_id = @id AND (@status IS NULL OR e.status = @status)";
        using var results = await db.QueryMultipleAsync(
            "SELECT EXISTS (SELECT 1 FROM courses c WHERE c.id = @id" + Scope + ");"
            + Enrolments.SelectEnrolment + where + " ORDER BY e.id LIMIT @limit OFFSET @offset;"
            + "SELECT COUNT(*) FROM enrolments e" + where,
            new { id, status = query.Status.ToWire(), country = caller.CountryScope, limit = paging.Size, offset = paging.Offset });
        if (!await results.ReadSingleAsync<bool>())
        {
            return Problems.NotFound("Course", id);
        }

        var items = await results.ReadAsync<EnrolmentDto>();
        var total = await results.ReadSingleAsync<int>();
        return TypedResults.Ok(Paged<EnrolmentDto>.Of(items, paging, total));
    }

    private static async Task<Results<Ok<EnrolmentDto>, ProblemHttpResult>> GetEnrolment(int id, int enrolmentId, Caller caller, SqliteConnection db)
    {
        var enrolment = await db.QuerySingleOrDefaultAsync<EnrolmentDto>(
            Enrolments.SelectEnrolment + " JOIN courses c ON c.id = e.course_id WHERE e.id = @enrolmentId AND e.course_id = @id" + Scope,
            new { id, enrolmentId, country = caller.CountryScope });
        return enrolment is null ? Problems.NotFound("Enrolment", enrolmentId) : TypedResults.Ok(enrolment);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Withdraw(int id, int enrolmentId, IfMatch ifMatch, SqliteConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var enrolment = await db.QuerySingleOrDefaultAsync<WithdrawState>(
            """
            SELECT e.status AS Status, e.version AS Version, c.status AS CourseStatus
            FROM enrolments e JOIN courses c ON c.id = e.course_id
            WHERE e.id = @enrolmentId AND e.course_id = @id
            """,
            new { id, enrolmentId }, transaction);
        if (enrolment is null)
        {
            return Problems.NotFound("Enrolment", enrolmentId);
        }

        if (!ifMatch.Matches(enrolment.Version))
        {
            return Problems.PreconditionFailed();
        }

        if (enrolment.Status == EnrolmentStatus.Withdrawn)
        {
            return Problems.Conflict($"Enrolment {enrolmentId} is already withdrawn.");
        }

        if (enrolment.CourseStatus is CourseStatus.Delivered or CourseStatus.Evaluated or CourseStatus.Cancelled)
        {
            return Problems.Conflict($"The course is {enrolment.CourseStatus.ToWire()}: its enrolments are history now.");
        }

        await db.ExecuteAsync(
            "UPDATE enrolments SET status = 'withdrawn', withdrawn_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1 WHERE id = @enrolmentId",
            new { enrolmentId }, transaction);
        await Enrolments.PromoteAsync(db, transaction, id);
        write.Commit();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<AttendanceRegister>, ValidationProblem, ProblemHttpResult>> RecordAttendance(
        int id, int sessionId, List<AttendanceEntry?> register, IfMatch ifMatch, Caller caller, SqliteConnection db)
    {
        var errors = new Dictionary<string, string[]>();
        var seen = new HashSet<int>();
        for (var i = 0; i < register.Count; i++)
        {
            if (register[i] is not { } entry)
            {
                errors[$"[{i}]"] = ["Each line is { participantId, status: present|late|excused|absent }."];
                continue;
            }

            if (entry.Status is null)
            {
                errors[$"[{i}].status"] = ["status is required: present, late, excused or absent."];
            }

            if (entry.ParticipantId is not { } participantId)
            {
                errors[$"[{i}].participantId"] = ["participantId is required."];
            }
            else if (!seen.Add(participantId))
            {
                errors[$"[{i}].participantId"] = [$"Participant {participantId} appears twice in the register."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var entries = register.Select(e => new AttendanceRecord { ParticipantId = e!.ParticipantId!.Value, Status = e.Status!.Value }).ToList();
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var session = await db.QuerySingleOrDefaultAsync<SessionState>(
            """
            SELECT s.version AS Version, c.status AS CourseStatus
            FROM course_sessions s JOIN courses c ON c.id = s.course_id
            WHERE s.id = @sessionId AND s.course_id = @id
            """ + Scope,
            new { id, sessionId, country = caller.CountryScope }, transaction);
        if (session is null)
        {
            return Problems.NotFound("Session", sessionId);
        }

        if (!ifMatch.Matches(session.Version))
        {
            return Problems.PreconditionFailed();
        }

        var ids = entries.Select(e => e.ParticipantId).ToList();
        var enrolled = (await db.QueryAsync<int>(
            "SELECT participant_id FROM enrolments WHERE course_id = @id AND status = 'enrolled' AND participant_id IN (SELECT value FROM json_each(@ids))",
            new { id, ids = System.Text.Json.JsonSerializer.Serialize(ids) }, transaction)).ToHashSet();
        for (var i = 0; i < entries.Count; i++)
        {
            if (!enrolled.Contains(entries[i].ParticipantId))
            {
                errors[$"[{i}].participantId"] = [$"Participant {entries[i].ParticipantId} is not enrolled in course {id}."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (session.CourseStatus is not (CourseStatus.Open or CourseStatus.Closed or CourseStatus.Delivered))
        {
            return Problems.Conflict($"The course is {session.CourseStatus.ToWire()}: attendance is recorded for open, closed or delivered courses.");
        }

        await db.ExecuteAsync("DELETE FROM attendance WHERE session_id = @sessionId", new { sessionId }, transaction);
        await db.ExecuteAsync(
            "INSERT INTO attendance (session_id, participant_id, status, recorded_by) VALUES (@sessionId, @ParticipantId, @Status, @recordedBy)",
            entries.Select(e => new { sessionId, e.ParticipantId, Status = e.Status.ToWire(), recordedBy = caller.UserId }), transaction);
        var version = await db.ExecuteScalarAsync<long>(
            "UPDATE course_sessions SET version = version + 1 WHERE id = @sessionId RETURNING version", new { sessionId }, transaction);
        write.Commit();
        return TypedResults.Ok(new AttendanceRegister(id, sessionId, entries.OrderBy(e => e.ParticipantId).ToList()) { Version = version });
    }

    private static async Task<Results<Ok<AttendanceMatrix>, ProblemHttpResult>> GetAttendance(int id, Caller caller, SqliteConnection db)
    {
        using var results = await db.QueryMultipleAsync(
            "SELECT c.completion_threshold FROM courses c WHERE c.id = @id" + Scope + ";"
            + SelectSession + " WHERE s.course_id = @id ORDER BY s.date, s.id;"
            + CompletionSelect + " AND ec.course_id = @id ORDER BY ec.enrolment_id;"
            + """
              SELECT a.session_id AS SessionId, a.participant_id AS ParticipantId, a.status AS Status
              FROM attendance a JOIN course_sessions s ON s.id = a.session_id WHERE s.course_id = @id
              """,
            new { id, country = caller.CountryScope });
        var threshold = await results.ReadSingleOrDefaultAsync<double?>();
        if (threshold is null)
        {
            return Problems.NotFound("Course", id);
        }

        var sessions = (await results.ReadAsync<SessionDto>()).ToList();
        var completions = (await results.ReadAsync<Completion>()).ToList();
        var marks = (await results.ReadAsync<Mark>()).ToDictionary(m => (m.SessionId, m.ParticipantId), m => m.Status);
        var participants = completions.Select(p => new ParticipantAttendance(
            p.ParticipantId,
            p.FullName,
            sessions.Select(s => new SessionAttendance(s.Id, marks.TryGetValue((s.Id, p.ParticipantId), out var status) ? status : null)).ToList(),
            p.Attended,
            p.Rate,
            p.Completed)).ToList();
        return TypedResults.Ok(new AttendanceMatrix(id, threshold.Value, sessions, participants, participants.Count, participants.Count(p => p.Completed)));
    }

    private const string SelectCourseById = SelectCourse + " WHERE c.id = @id" + Scope;

    /// <summary>The most read row of the API: its statement stays prepared on the connection.</summary>
    internal static Task<CourseDto?> ReadAsync(SqliteConnection db, long id, string? country, SqliteTransaction? transaction = null) =>
        db.QueryPreparedFirstOrDefaultAsync<CourseDto>(SelectCourseById, transaction, ("@id", id), ("@country", country));

    /// <summary>
    /// Delivering a course closes its waitlist: whoever is still waiting was not admitted (status notAdmitted), in the
    /// transaction of the delivery, so no one stays "waitlisted" for a course that has taken place.
    /// </summary>
    private static Task CloseWaitlistAsync(SqliteConnection db, SqliteTransaction transaction, int id) =>
        db.ExecuteAsync(
            "UPDATE enrolments SET status = 'notAdmitted', version = version + 1 WHERE course_id = @id AND status = 'waitlisted'",
            new { id }, transaction);

    /// <summary>
    /// The references a course makes and its dates, checked against the database: each failure names its field. Forms
    /// must exist with the right purpose and be available in the course's language (a Polish course cannot take an
    /// English-only form: its participants would get questions they cannot read); the course lies within its programme;
    /// an existing course keeps its sessions within its dates.
    /// </summary>
    private static async Task<Dictionary<string, string[]>> CheckReferencesAsync(
        SqliteConnection db, SqliteTransaction transaction, int projectId, int? courseId, CourseRequest request)
    {
        var found = await db.QuerySingleAsync<References>(
            """
            SELECT
              @expert IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = @expert AND role = 'countryExpert' AND country_code = @country AND deleted_at IS NULL) AS Expert,
              @evaluation IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms WHERE id = @evaluation AND purpose = 'reaction') AS Evaluation,
              @preTest IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms WHERE id = @preTest AND purpose = 'preTest') AS PreTest,
              @postTest IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms WHERE id = @postTest AND purpose = 'postTest') AS PostTest,
              @evaluation IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms f, json_each(f.languages) l
                                             WHERE f.id = @evaluation AND lower(l.value) = lower(@language)) AS EvaluationInLanguage,
              @preTest IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms f, json_each(f.languages) l
                                          WHERE f.id = @preTest AND lower(l.value) = lower(@language)) AS PreTestInLanguage,
              @postTest IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms f, json_each(f.languages) l
                                           WHERE f.id = @postTest AND lower(l.value) = lower(@language)) AS PostTestInLanguage,
              (SELECT start_date FROM projects WHERE id = @projectId) AS ProgrammeStart,
              (SELECT end_date FROM projects WHERE id = @projectId) AS ProgrammeEnd,
              (SELECT MIN(date) FROM course_sessions WHERE course_id = @courseId) AS FirstSession,
              (SELECT MAX(date) FROM course_sessions WHERE course_id = @courseId) AS LastSession
            """,
            new
            {
                expert = request.CountryExpertUserId,
                country = request.CountryCode,
                evaluation = request.EvaluationFormId,
                preTest = request.PreTestFormId,
                postTest = request.PostTestFormId,
                language = request.Language,
                projectId,
                courseId,
            },
            transaction);
        var errors = new Dictionary<string, string[]>();
        bool OutsideProgramme(DateOnly? date) => date < found.ProgrammeStart || date > found.ProgrammeEnd;
        var programme = $"the programme runs from {found.ProgrammeStart:yyyy-MM-dd} to {found.ProgrammeEnd:yyyy-MM-dd}";
        if (OutsideProgramme(request.StartDate))
        {
            errors["startDate"] = [$"A course lies within its programme: {programme}."];
        }
        else if (found.FirstSession is { } first && request.StartDate > first)
        {
            errors["startDate"] = [$"The course has a session on {first:yyyy-MM-dd}: it cannot start after it. Move or delete that session first."];
        }

        if (OutsideProgramme(request.EndDate))
        {
            errors["endDate"] = [$"A course lies within its programme: {programme}."];
        }
        else if (found.LastSession is { } last && request.EndDate < last)
        {
            errors["endDate"] = [$"The course has a session on {last:yyyy-MM-dd}: it cannot end before it. Move or delete that session first."];
        }

        if (found.Evaluation && !found.EvaluationInLanguage)
        {
            errors["evaluationFormId"] = [$"Evaluation form {request.EvaluationFormId} is not available in the course's language '{request.Language}': add that language to the form or choose another."];
        }

        if (found.PreTest && !found.PreTestInLanguage)
        {
            errors["preTestFormId"] = [$"Evaluation form {request.PreTestFormId} is not available in the course's language '{request.Language}': add that language to the form or choose another."];
        }

        if (found.PostTest && !found.PostTestInLanguage)
        {
            errors["postTestFormId"] = [$"Evaluation form {request.PostTestFormId} is not available in the course's language '{request.Language}': add that language to the form or choose another."];
        }

        if (!found.Expert)
        {
            errors["countryExpertUserId"] = [$"User {request.CountryExpertUserId} is not an active country expert of {request.CountryCode}."];
        }

        if (!found.Evaluation)
        {
            errors["evaluationFormId"] = [$"Evaluation form {request.EvaluationFormId} does not exist or is not a reaction form."];
        }

        if (!found.PreTest)
        {
            errors["preTestFormId"] = [$"Evaluation form {request.PreTestFormId} does not exist or is not a preTest form."];
        }

        if (!found.PostTest)
        {
            errors["postTestFormId"] = [$"Evaluation form {request.PostTestFormId} does not exist or is not a postTest form."];
        }

        return errors;
    }

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

    private const string SelectEnrolmentById = Enrolments.SelectEnrolment + " WHERE e.id = @enrolmentId";

    private const string StateOf = """
        SELECT c.status AS Status, c.version AS Version, c.project_id AS ProjectId, c.min_participants AS MinParticipants, c.max_participants AS MaxParticipants,
               c.start_date AS StartDate, c.end_date AS EndDate,
               (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled') AS Enrolled
        FROM courses c WHERE c.id = @id
        """;

    private sealed record CourseState
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

    private sealed record WithdrawState
    {
        public EnrolmentStatus Status { get; init; }

        public long Version { get; init; }

        public CourseStatus CourseStatus { get; init; }
    }

    private sealed record SessionState
    {
        public long Version { get; init; }

        public CourseStatus CourseStatus { get; init; }
    }

    private sealed record References
    {
        public bool Expert { get; init; }

        public bool Evaluation { get; init; }

        public bool PreTest { get; init; }

        public bool PostTest { get; init; }

        public bool EvaluationInLanguage { get; init; }

        public bool PreTestInLanguage { get; init; }

        public bool PostTestInLanguage { get; init; }

        public DateOnly? ProgrammeStart { get; init; }

        public DateOnly? ProgrammeEnd { get; init; }

        public DateOnly? FirstSession { get; init; }

        public DateOnly? LastSession { get; init; }
    }

    private sealed record Completion
    {
        public int ParticipantId { get; init; }

        public string? FullName { get; init; }

        public int Attended { get; init; }

        public double Rate { get; init; }

        public bool Completed { get; init; }
    }

    private sealed record Mark
    {
        public int SessionId { get; init; }

        public int ParticipantId { get; init; }

        public AttendanceStatus Status { get; init; }
    }
}
