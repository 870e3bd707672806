using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Programmes;
using Microsoft.AspNetCore.Http.HttpResults;

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
        programme.MapProgrammeRecommendations();

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

        meetings.MapAttendees();

        meetings.MapPut("/{id:int}/conclusions", SetConclusions).WithName("SetMeetingConclusions")
            .WithSummary("Record the conclusions of the meeting's minutes (coordinator). Honours If-Match; answers the meeting. A milestone " +
                         "linked to the meeting is completed on its end date once it has ended, in the same transaction.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        meetings.MapMeetingRecommendations();
        app.MapRecommendations();
        return app;
    }

    private static async Task<Results<Created<MeetingDto>, ValidationProblem, ProblemHttpResult>> CreateMeeting(
        int id, MeetingRequest request, DbConnection db)
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
        int id, [AsParameters] PageRequest paging, [AsParameters] MeetingQuery query, DbConnection db)
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

    private static async Task<Results<Ok<MeetingDto>, ProblemHttpResult>> GetMeeting(int id, DbConnection db) =>
        await ReadMeetingAsync(db, id) is { } meeting ? TypedResults.Ok(meeting) : Problems.NotFound("Meeting", id);

    private static async Task<Results<Ok<MeetingDto>, ValidationProblem, ProblemHttpResult>> UpdateMeeting(
        int id, MeetingRequest request, IfMatch ifMatch, DbConnection db, TimeProvider time)
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

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteMeeting(int id, IfMatch ifMatch, DbConnection db)
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
        int id, ConclusionsRequest request, IfMatch ifMatch, DbConnection db, TimeProvider time)
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

    private static async Task<ValidationProblem?> CheckAgainstProgrammeAsync(
        DbConnection db, long projectId, ProgrammeState programme, MeetingRequest request, DbTransaction transaction)
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

    private static Task<MeetingDto?> ReadMeetingAsync(DbConnection db, long id, DbTransaction? transaction = null) =>
        db.QuerySingleOrDefaultAsync<MeetingDto>(SelectMeeting + " WHERE m.id = @id", new { id }, transaction);

    private static Task<MeetingState?> ReadMeetingStateAsync(DbConnection db, long id, DbTransaction transaction) =>
        db.QuerySingleOrDefaultAsync<MeetingState>(
            """
            SELECT m.version AS Version, m.project_id AS ProjectId, p.start_date AS ProgrammeStart, p.end_date AS ProgrammeEnd,
                   (SELECT COUNT(*) FROM meeting_attendees a WHERE a.meeting_id = m.id) AS AttendeeCount,
                   (SELECT COUNT(*) FROM recommendations r WHERE r.meeting_id = m.id) AS RecommendationCount
            FROM meetings m JOIN projects p ON p.id = m.project_id WHERE m.id = @id
            """,
            new { id }, transaction);

    private sealed record MeetingState
    {
        public long Version { get; init; }

        public long ProjectId { get; init; }

        public DateOnly ProgrammeStart { get; init; }

        public DateOnly ProgrammeEnd { get; init; }

        public int AttendeeCount { get; init; }

        public int RecommendationCount { get; init; }
    }
}
