using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Programmes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Meetings;

public static class MeetingsApi
{
    private const string SelectMeeting = """
        SELECT m.id AS Id, m.project_id AS ProjectId, m.phase_id AS PhaseId, m.kind AS Kind, m.title AS Title, m.topic AS Topic,
               m.city AS City, m.country_code AS CountryCode, m.start_date AS StartDate, m.end_date AS EndDate, m.capacity AS Capacity,
               (SELECT COUNT(*) FROM meeting_attendees a WHERE a.meeting_id = m.id) AS AttendeeCount,
               (SELECT COUNT(*) FROM recommendations r WHERE r.meeting_id = m.id) AS RecommendationCount,
               m.conclusions AS Conclusions, m.created_at AS CreatedAt, m.version AS Version
        FROM meetings m
        """;

    private const string SelectAttendee = """
        SELECT a.id AS Id, a.meeting_id AS MeetingId, a.full_name AS FullName, a.organisation AS Organisation,
               a.organisation_type AS OrganisationType, a.country_code AS CountryCode, a.created_at AS CreatedAt, 1 AS Version
        FROM meeting_attendees a
        """;

    private const string SelectRecommendation = """
        SELECT r.id AS Id, r.meeting_id AS MeetingId, m.title AS MeetingTitle, m.project_id AS ProjectId, r.text AS Text,
               r.owner AS Owner, r.due_date AS DueDate, r.status AS Status,
               (r.status IN ('open', 'inProgress') AND r.due_date IS NOT NULL AND r.due_date < @today) AS Overdue,
               r.created_at AS CreatedAt, r.updated_at AS UpdatedAt, r.version AS Version
        FROM recommendations r JOIN meetings m ON m.id = r.meeting_id
        """;

    /// <summary>Attendees are never updated: every attendee representation is version 1.</summary>
    private const long AttendeeVersion = 1;

    /// <summary>Routes of meetings, attendees, conclusions, recommendations.</summary>
    public static IEndpointRouteBuilder MapMeetings(this IEndpointRouteBuilder app)
    {
        // Reads are open to every role, country experts included (meetings are not scoped to a country); writes are the coordinator's.
        var programme = app.MapGroup("/api/projects/{id:int}")
            .WithTags("Meetings")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();

        programme.MapPost("/meetings", CreateMeeting).WithName("CreateMeeting")
            .WithSummary("Plan a meeting of the programme: steering group, expert group, conference, study visit or kick-off (coordinator).")
            .WithDescription(
                "phaseId must be a phase of this programme (400 naming phaseId). startDate..endDate lies inside the programme's dates " +
                "(400 naming startDate or endDate), endDate is not before startDate, and a meeting lasts at most 14 days (two-day " +
                "expert group meetings: startDate and the next day). topic is optional; capacity (1..10000) is optional and, when " +
                "set, caps the attendees (409 beyond it).")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        programme.MapGet("/meetings", ListMeetings).WithName("ListMeetings")
            .WithSummary("The programme's meetings, ordered by startDate then id. Filters: kind, phaseId, countryCode.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        programme.MapGet("/recommendations", ListProgrammeRecommendations).WithName("ListProgrammeRecommendations")
            .WithSummary("Recommendations of all the programme's meetings, by id, each with the derived overdue flag. Filters: status, meetingId.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var meetings = app.MapGroup("/api/meetings")
            .WithTags("Meetings")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();

        meetings.MapGet("/{id:int}", GetMeeting).WithName("GetMeeting")
            .WithSummary("Read a meeting with its conclusions, attendee count and recommendation count.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        meetings.MapPut("/{id:int}", UpdateMeeting).WithName("UpdateMeeting")
            .WithSummary("Replace a meeting's fields (coordinator). Honours If-Match; conclusions are changed by PUT .../conclusions." + Json.PutReplaces)
            .WithDescription("The same rules as on creation; a capacity below the attendees already registered → 409.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        meetings.MapDelete("/{id:int}", DeleteMeeting).WithName("DeleteMeeting")
            .WithSummary("Delete a meeting with its attendees (coordinator). Honours If-Match.")
            .WithDescription("A meeting that has recommendations is kept (409): the steering group follows them to the end. Drop them instead.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        meetings.MapPost("/{id:int}/attendees", AddAttendee).WithName("AddAttendee")
            .WithSummary("Register an attendee of a meeting (coordinator). Beyond the meeting's capacity → 409, whatever the concurrency.")
            .WithDescription("The same fullName and organisation twice in one meeting → 409.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        // Attendees are names of people: coordinators, admin and the steering group only (country experts: 403).
        meetings.MapGet("/{id:int}/attendees", ListAttendees).WithName("ListAttendees")
            .WithSummary("A meeting's attendees, by id (coordinator, steering group, admin: names of people). Filters: organisationType, countryCode.")
            .RequireAuthorization(Policies.Reader)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        meetings.MapGet("/{id:int}/attendees/{attendeeId:int}", GetAttendee).WithName("GetAttendee")
            .WithSummary("Read one attendee of a meeting (coordinator, steering group, admin).")
            .RequireAuthorization(Policies.Reader)
            .ProducesProblem(StatusCodes.Status404NotFound);
        meetings.MapDelete("/{id:int}/attendees/{attendeeId:int}", RemoveAttendee).WithName("RemoveAttendee")
            .WithSummary("Remove an attendee from a meeting (coordinator). Honours If-Match (an attendee's ETag is always \"1\").")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        meetings.MapPut("/{id:int}/conclusions", SetConclusions).WithName("SetMeetingConclusions")
            .WithSummary("Record the conclusions of the meeting's minutes (coordinator). Honours If-Match; answers the meeting. A milestone " +
                         "linked to the meeting is completed on its end date once it has ended, in the same transaction.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        meetings.MapPost("/{id:int}/recommendations", CreateRecommendation).WithName("CreateRecommendation")
            .WithSummary("Record a recommendation of the meeting, with an optional owner and due date (coordinator). It starts open.")
            .WithDescription("dueDate may not be before the meeting's startDate (400 naming dueDate).")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        meetings.MapGet("/{id:int}/recommendations", ListMeetingRecommendations).WithName("ListMeetingRecommendations")
            .WithSummary("A meeting's recommendations, by id. Filter: status.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var recommendations = app.MapGroup("/api/recommendations")
            .WithTags("Meetings")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();

        recommendations.MapGet("/{id:int}", GetRecommendation).WithName("GetRecommendation")
            .WithSummary("Read a recommendation with its meeting, status and the derived overdue flag.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        recommendations.MapPut("/{id:int}", UpdateRecommendation).WithName("UpdateRecommendation")
            .WithSummary("Change a recommendation's text, owner, dueDate and status (coordinator). Honours If-Match." + Json.PutReplaces)
            .WithDescription(
                "Status lifecycle: open ⇄ inProgress, and either → implemented or dropped. implemented and dropped are final: " +
                "moving a closed recommendation to another status → 409 (its text, owner and dueDate may still be corrected). " +
                "dueDate may not be before the meeting's startDate (400 naming dueDate).")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return app;
    }

    // Meetings ---------------------------------------------------------------------------------

    private static async Task<Results<Created<MeetingDto>, ValidationProblem, ProblemHttpResult>> CreateMeeting(
        int id, MeetingRequest request, SqliteConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var programme = await db.QuerySingleOrDefaultAsync<ProgrammeState>(
            "SELECT version AS Version, start_date AS ProgrammeStart, end_date AS ProgrammeEnd FROM projects WHERE id = @id",
            new { id }, transaction);
        if (programme is null)
        {
            return Problems.NotFound("Programme", id);
        }

        if (await CheckAgainstProgrammeAsync(db, id, programme, request, transaction) is { } invalid)
        {
            return invalid;
        }

        var meetingId = await db.ExecuteScalarAsync<long>(
            """
            INSERT INTO meetings (project_id, phase_id, kind, title, topic, city, country_code, start_date, end_date, capacity)
            VALUES (@id, @PhaseId, @kind, @Title, @Topic, @City, @CountryCode, @StartDate, @EndDate, @Capacity)
            RETURNING id
            """,
            MeetingParameters(id, request), transaction);
        var meeting = await ReadMeetingAsync(db, meetingId, transaction);
        write.Commit();
        return TypedResults.Created($"/api/meetings/{meetingId}", meeting!);
    }

    private static async Task<Results<Ok<Paged<MeetingDto>>, ProblemHttpResult>> ListMeetings(
        int id, [AsParameters] PageRequest paging, [AsParameters] MeetingQuery query, SqliteConnection db)
    {
        const string where = """
             WHERE m.project_id = @id AND (@kind IS NULL OR m.kind = @kind) AND (@phaseId IS NULL OR m.phase_id = @phaseId)
               AND (@countryCode IS NULL OR m.country_code = @countryCode)
            """;
        using var results = await db.QueryMultipleAsync(
            "SELECT EXISTS (SELECT 1 FROM projects WHERE id = @id);" +
            SelectMeeting + where + " ORDER BY m.start_date, m.id LIMIT @limit OFFSET @offset;" +
            "SELECT COUNT(*) FROM meetings m" + where,
            new { id, kind = query.Kind.ToWire(), phaseId = query.PhaseId, countryCode = query.CountryCode, limit = paging.Size, offset = paging.Offset });
        var exists = await results.ReadSingleAsync<bool>();
        var items = await results.ReadAsync<MeetingDto>();
        var total = await results.ReadSingleAsync<int>();
        return exists ? TypedResults.Ok(Paged<MeetingDto>.Of(items, paging, total)) : Problems.NotFound("Programme", id);
    }

    private static async Task<Results<Ok<MeetingDto>, ProblemHttpResult>> GetMeeting(int id, SqliteConnection db) =>
        await ReadMeetingAsync(db, id) is { } meeting ? TypedResults.Ok(meeting) : Problems.NotFound("Meeting", id);

    private static async Task<Results<Ok<MeetingDto>, ValidationProblem, ProblemHttpResult>> UpdateMeeting(
        int id, MeetingRequest request, IfMatch ifMatch, SqliteConnection db, TimeProvider time)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var meeting = await ReadMeetingStateAsync(db, id, transaction);
        if (meeting is null)
        {
            return Problems.NotFound("Meeting", id);
        }

        if (!ifMatch.Matches(meeting.Version))
        {
            return Problems.PreconditionFailed();
        }

        var programme = new ProgrammeState { ProgrammeStart = meeting.ProgrammeStart, ProgrammeEnd = meeting.ProgrammeEnd };
        if (await CheckAgainstProgrammeAsync(db, meeting.ProjectId, programme, request, transaction) is { } invalid)
        {
            return invalid;
        }

        if (request.Capacity is { } capacity && capacity < meeting.AttendeeCount)
        {
            return Problems.Conflict($"The meeting has {meeting.AttendeeCount} attendees already; its capacity cannot be {capacity}.");
        }

        await db.ExecuteAsync(
            """
            UPDATE meetings SET phase_id = @PhaseId, kind = @kind, title = @Title, topic = @Topic, city = @City,
                country_code = @CountryCode, start_date = @StartDate, end_date = @EndDate, capacity = @Capacity, version = version + 1
            WHERE id = @id
            """,
            MeetingParameters(id, request), transaction);
        await MilestoneLinks.SyncMeetingAsync(db, transaction, id, PhasesApi.Today(time));
        var updated = await ReadMeetingAsync(db, id, transaction);
        write.Commit();
        return TypedResults.Ok(updated!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteMeeting(int id, IfMatch ifMatch, SqliteConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var meeting = await ReadMeetingStateAsync(db, id, transaction);
        if (meeting is null)
        {
            return Problems.NotFound("Meeting", id);
        }

        if (!ifMatch.Matches(meeting.Version))
        {
            return Problems.PreconditionFailed();
        }

        if (meeting.RecommendationCount > 0)
        {
            return Problems.Conflict(
                $"The meeting has {meeting.RecommendationCount} recommendations the steering group follows; it cannot be deleted. Drop them instead.");
        }

        await db.ExecuteAsync("DELETE FROM meetings WHERE id = @id", new { id }, transaction);
        write.Commit();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<MeetingDto>, ValidationProblem, ProblemHttpResult>> SetConclusions(
        int id, ConclusionsRequest request, IfMatch ifMatch, SqliteConnection db, TimeProvider time)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var version = await db.QuerySingleOrDefaultAsync<long?>("SELECT version FROM meetings WHERE id = @id", new { id }, transaction);
        if (version is null)
        {
            return Problems.NotFound("Meeting", id);
        }

        if (!ifMatch.Matches(version.Value))
        {
            return Problems.PreconditionFailed();
        }

        await db.ExecuteAsync(
            "UPDATE meetings SET conclusions = @Text, version = version + 1 WHERE id = @id", new { id, request.Text }, transaction);
        await MilestoneLinks.SyncMeetingAsync(db, transaction, id, PhasesApi.Today(time));
        var meeting = await ReadMeetingAsync(db, id, transaction);
        write.Commit();
        return TypedResults.Ok(meeting!);
    }

    // Attendees --------------------------------------------------------------------------------

    private static async Task<Results<Created<AttendeeDto>, ValidationProblem, ProblemHttpResult>> AddAttendee(
        int id, AttendeeRequest request, SqliteConnection db)
    {
        // BEGIN IMMEDIATE: the count and the insert are one step, so two requests can never both take the last seat.
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var meeting = await db.QuerySingleOrDefaultAsync<SeatState>(
            """
            SELECT m.capacity AS Capacity,
                   (SELECT COUNT(*) FROM meeting_attendees a WHERE a.meeting_id = m.id) AS Attendees,
                   EXISTS (SELECT 1 FROM meeting_attendees a WHERE a.meeting_id = m.id
                           AND a.full_name = @FullName COLLATE NOCASE AND a.organisation = @Organisation COLLATE NOCASE) AS Duplicate
            FROM meetings m WHERE m.id = @id
            """,
            new { id, request.FullName, request.Organisation }, transaction);
        if (meeting is null)
        {
            return Problems.NotFound("Meeting", id);
        }

        if (meeting.Duplicate)
        {
            return Problems.Conflict($"{request.FullName} of {request.Organisation} attends this meeting already.");
        }

        if (meeting.Capacity is { } capacity && meeting.Attendees >= capacity)
        {
            return Problems.Conflict($"The meeting is full: {meeting.Attendees} of {capacity} places are taken.");
        }

        var attendeeId = await db.ExecuteScalarAsync<long>(
            """
            INSERT INTO meeting_attendees (meeting_id, full_name, organisation, organisation_type, country_code)
            VALUES (@id, @FullName, @Organisation, @type, @CountryCode) RETURNING id
            """,
            new { id, request.FullName, request.Organisation, type = request.OrganisationType!.Value.ToWire(), request.CountryCode },
            transaction);
        var attendee = await db.QuerySingleAsync<AttendeeDto>(SelectAttendee + " WHERE a.id = @attendeeId", new { attendeeId }, transaction);
        write.Commit();
        return TypedResults.Created($"/api/meetings/{id}/attendees/{attendeeId}", attendee);
    }

    private static async Task<Results<Ok<Paged<AttendeeDto>>, ProblemHttpResult>> ListAttendees(
        int id, [AsParameters] PageRequest paging, [AsParameters] AttendeeQuery query, SqliteConnection db)
    {
        const string where = """
             WHERE a.meeting_id = @id AND (@type IS NULL OR a.organisation_type = @type)
               AND (@countryCode IS NULL OR a.country_code = @countryCode)
            """;
        using var results = await db.QueryMultipleAsync(
            "SELECT EXISTS (SELECT 1 FROM meetings WHERE id = @id);" +
            SelectAttendee + where + " ORDER BY a.id LIMIT @limit OFFSET @offset;" +
            "SELECT COUNT(*) FROM meeting_attendees a" + where,
            new { id, type = query.OrganisationType.ToWire(), countryCode = query.CountryCode, limit = paging.Size, offset = paging.Offset });
        var exists = await results.ReadSingleAsync<bool>();
        var items = await results.ReadAsync<AttendeeDto>();
        var total = await results.ReadSingleAsync<int>();
        return exists ? TypedResults.Ok(Paged<AttendeeDto>.Of(items, paging, total)) : Problems.NotFound("Meeting", id);
    }

    private static async Task<Results<Ok<AttendeeDto>, ProblemHttpResult>> GetAttendee(int id, int attendeeId, SqliteConnection db)
    {
        var attendee = await db.QuerySingleOrDefaultAsync<AttendeeDto>(
            SelectAttendee + " WHERE a.id = @attendeeId AND a.meeting_id = @id", new { id, attendeeId });
        return attendee is null ? Problems.NotFound("Attendee", attendeeId) : TypedResults.Ok(attendee);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAttendee(int id, int attendeeId, IfMatch ifMatch, SqliteConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var exists = await db.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM meeting_attendees WHERE id = @attendeeId AND meeting_id = @id)", new { id, attendeeId }, transaction);
        if (!exists)
        {
            return Problems.NotFound("Attendee", attendeeId);
        }

        if (!ifMatch.Matches(AttendeeVersion))
        {
            return Problems.PreconditionFailed();
        }

        await db.ExecuteAsync("DELETE FROM meeting_attendees WHERE id = @attendeeId", new { attendeeId }, transaction);
        write.Commit();
        return TypedResults.NoContent();
    }

    // Recommendations --------------------------------------------------------------------------

    private static async Task<Results<Created<RecommendationDto>, ValidationProblem, ProblemHttpResult>> CreateRecommendation(
        int id, RecommendationRequest request, SqliteConnection db, TimeProvider time)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var meetingStart = await db.QuerySingleOrDefaultAsync<DateOnly?>(
            "SELECT start_date FROM meetings WHERE id = @id", new { id }, transaction);
        if (meetingStart is not { } start)
        {
            return Problems.NotFound("Meeting", id);
        }

        if (request.DueDate is { } due && due < start)
        {
            return Problems.Validation("dueDate", $"dueDate may not be before the meeting that made the recommendation ({start:yyyy-MM-dd}).");
        }

        var recommendationId = await db.ExecuteScalarAsync<long>(
            "INSERT INTO recommendations (meeting_id, text, owner, due_date) VALUES (@id, @Text, @Owner, @DueDate) RETURNING id",
            new { id, request.Text, request.Owner, request.DueDate }, transaction);
        var recommendation = await ReadRecommendationAsync(db, recommendationId, time, transaction);
        write.Commit();
        return TypedResults.Created($"/api/recommendations/{recommendationId}", recommendation!);
    }

    private static Task<Results<Ok<Paged<RecommendationDto>>, ProblemHttpResult>> ListProgrammeRecommendations(
        int id, [AsParameters] PageRequest paging, [AsParameters] RecommendationQuery query, SqliteConnection db, TimeProvider time) =>
        ListRecommendationsAsync(
            db, "SELECT EXISTS (SELECT 1 FROM projects WHERE id = @id);", "m.project_id = @id", "Programme",
            id, paging, query.Status.ToWire(), query.MeetingId, time);

    private static Task<Results<Ok<Paged<RecommendationDto>>, ProblemHttpResult>> ListMeetingRecommendations(
        int id, [AsParameters] PageRequest paging, [AsParameters] RecommendationStatusQuery query, SqliteConnection db, TimeProvider time) =>
        ListRecommendationsAsync(
            db, "SELECT EXISTS (SELECT 1 FROM meetings WHERE id = @id);", "r.meeting_id = @id", "Meeting",
            id, paging, query.Status.ToWire(), null, time);

    private static async Task<Results<Ok<Paged<RecommendationDto>>, ProblemHttpResult>> ListRecommendationsAsync(
        SqliteConnection db, string existsSql, string scope, string what, int id, PageRequest paging, string? status, int? meetingId,
        TimeProvider time)
    {
        var where = $" WHERE {scope} AND (@status IS NULL OR r.status = @status) AND (@meetingId IS NULL OR r.meeting_id = @meetingId)";
        using var results = await db.QueryMultipleAsync(
            existsSql +
            SelectRecommendation + where + " ORDER BY r.id LIMIT @limit OFFSET @offset;" +
            "SELECT COUNT(*) FROM recommendations r JOIN meetings m ON m.id = r.meeting_id" + where,
            new { id, status, meetingId, today = PhasesApi.Today(time), limit = paging.Size, offset = paging.Offset });
        var exists = await results.ReadSingleAsync<bool>();
        var items = await results.ReadAsync<RecommendationDto>();
        var total = await results.ReadSingleAsync<int>();
        return exists ? TypedResults.Ok(Paged<RecommendationDto>.Of(items, paging, total)) : Problems.NotFound(what, id);
    }

    private static async Task<Results<Ok<RecommendationDto>, ProblemHttpResult>> GetRecommendation(int id, SqliteConnection db, TimeProvider time) =>
        await ReadRecommendationAsync(db, id, time) is { } recommendation
            ? TypedResults.Ok(recommendation)
            : Problems.NotFound("Recommendation", id);

    private static async Task<Results<Ok<RecommendationDto>, ValidationProblem, ProblemHttpResult>> UpdateRecommendation(
        int id, RecommendationUpdate request, IfMatch ifMatch, SqliteConnection db, TimeProvider time)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var current = await db.QuerySingleOrDefaultAsync<RecommendationState>(
            """
            SELECT r.version AS Version, r.status AS Status, m.start_date AS MeetingStart
            FROM recommendations r JOIN meetings m ON m.id = r.meeting_id WHERE r.id = @id
            """,
            new { id }, transaction);
        if (current is null)
        {
            return Problems.NotFound("Recommendation", id);
        }

        if (!ifMatch.Matches(current.Version))
        {
            return Problems.PreconditionFailed();
        }

        var status = request.Status!.Value;
        if (!MayMove(current.Status, status))
        {
            return Problems.Conflict(
                $"The recommendation is {current.Status.ToWire()}, which is final; it cannot become {status.ToWire()}.");
        }

        if (request.DueDate is { } due && due < current.MeetingStart)
        {
            return Problems.Validation("dueDate", $"dueDate may not be before the meeting that made the recommendation ({current.MeetingStart:yyyy-MM-dd}).");
        }

        await db.ExecuteAsync(
            """
            UPDATE recommendations SET text = @Text, owner = @Owner, due_date = @DueDate, status = @status,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE id = @id
            """,
            new { id, request.Text, request.Owner, request.DueDate, status = status.ToWire() }, transaction);
        var updated = await ReadRecommendationAsync(db, id, time, transaction);
        write.Commit();
        return TypedResults.Ok(updated!);
    }

    /// <summary>open ⇄ inProgress, either → implemented | dropped; implemented and dropped are final.</summary>
    internal static bool MayMove(RecommendationStatus from, RecommendationStatus to) =>
        from == to || from is RecommendationStatus.Open or RecommendationStatus.InProgress;

    // Shared reads and checks ------------------------------------------------------------------

    private static async Task<ValidationProblem?> CheckAgainstProgrammeAsync(
        SqliteConnection db, long projectId, ProgrammeState programme, MeetingRequest request, SqliteTransaction transaction)
    {
        var phaseProject = await db.QuerySingleOrDefaultAsync<long?>(
            "SELECT project_id FROM phases WHERE id = @PhaseId", new { request.PhaseId }, transaction);
        if (phaseProject != projectId)
        {
            return Problems.Validation("phaseId", $"Phase {request.PhaseId} is not a phase of programme {projectId}.");
        }

        if (programme.Outside(request.StartDate) is { } startError)
        {
            return Problems.Validation("startDate", startError);
        }

        return programme.Outside(request.EndDate) is { } endError ? Problems.Validation("endDate", endError) : null;
    }

    private static object MeetingParameters(long id, MeetingRequest request) => new
    {
        id,
        request.PhaseId,
        kind = request.Kind!.Value.ToWire(),
        request.Title,
        request.Topic,
        request.City,
        request.CountryCode,
        request.StartDate,
        request.EndDate,
        request.Capacity,
    };

    private static Task<MeetingDto?> ReadMeetingAsync(SqliteConnection db, long id, SqliteTransaction? transaction = null) =>
        db.QuerySingleOrDefaultAsync<MeetingDto>(SelectMeeting + " WHERE m.id = @id", new { id }, transaction);

    private static Task<MeetingState?> ReadMeetingStateAsync(SqliteConnection db, long id, SqliteTransaction transaction) =>
        db.QuerySingleOrDefaultAsync<MeetingState>(
            """
            SELECT m.version AS Version, m.project_id AS ProjectId, p.start_date AS ProgrammeStart, p.end_date AS ProgrammeEnd,
                   (SELECT COUNT(*) FROM meeting_attendees a WHERE a.meeting_id = m.id) AS AttendeeCount,
                   (SELECT COUNT(*) FROM recommendations r WHERE r.meeting_id = m.id) AS RecommendationCount
            FROM meetings m JOIN projects p ON p.id = m.project_id WHERE m.id = @id
            """,
            new { id }, transaction);

    private static Task<RecommendationDto?> ReadRecommendationAsync(
        SqliteConnection db, long id, TimeProvider time, SqliteTransaction? transaction = null) =>
        db.QuerySingleOrDefaultAsync<RecommendationDto>(
            SelectRecommendation + " WHERE r.id = @id", new { id, today = PhasesApi.Today(time) }, transaction);

    private sealed record MeetingState
    {
        public long Version { get; init; }

        public long ProjectId { get; init; }

        public DateOnly ProgrammeStart { get; init; }

        public DateOnly ProgrammeEnd { get; init; }

        public int AttendeeCount { get; init; }

        public int RecommendationCount { get; init; }
    }

    private sealed record SeatState
    {
        public int? Capacity { get; init; }

        public int Attendees { get; init; }

        public bool Duplicate { get; init; }
    }

    private sealed record RecommendationState
    {
        public long Version { get; init; }

        public RecommendationStatus Status { get; init; }

        public DateOnly MeetingStart { get; init; }
    }
}
