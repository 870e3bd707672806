using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Programmes;

namespace JointEfforts.Api.Meetings;

/// <summary>
/// The rules of a programme's meetings, for <c>/api/projects/{id}/meetings</c>, <c>/api/meetings/{id}</c> and the workspace's
/// meeting pages alike: the phase is one of the programme's, the dates lie inside the programme's, a capacity is never
/// below the attendees already registered, and a meeting with recommendations is kept. Each write is one write-queue
/// transaction; meetings are not scoped to a country, so the caller's role (the route's or page's policy) is all there is.
/// </summary>
public static class MeetingService
{
    internal const string SelectMeeting = """
        SELECT m.id AS Id, m.project_id AS ProjectId, m.phase_id AS PhaseId, m.kind AS Kind, m.title AS Title, m.topic AS Topic,
               m.city AS City, m.country_code AS CountryCode, m.start_date AS StartDate, m.end_date AS EndDate, m.capacity AS Capacity,
               (SELECT COUNT(*) FROM meeting_attendees a WHERE a.meeting_id = m.id) AS AttendeeCount,
               (SELECT COUNT(*) FROM recommendations r WHERE r.meeting_id = m.id) AS RecommendationCount,
               m.conclusions AS Conclusions, m.created_at AS CreatedAt, m.version AS Version
        FROM meetings m
        """;

    public static async Task<Outcome<MeetingDto>> CreateAsync(DbConnection db, int projectId, MeetingRequest request)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var programme = await db.QuerySingleOrDefaultAsync<ProgrammeState>(
            "SELECT version AS Version, start_date AS ProgrammeStart, end_date AS ProgrammeEnd FROM projects WHERE id = @projectId",
            new { projectId }, transaction);
        if (programme is null)
        {
            return new Outcome<MeetingDto>.NotFound("Programme", projectId);
        }

        if (await CheckAgainstProgrammeAsync(db, projectId, programme, request, transaction) is { } invalid)
        {
            return invalid;
        }

        var meetingId = await db.ExecuteScalarAsync<long>(
            """
            INSERT INTO meetings (project_id, phase_id, kind, title, topic, city, country_code, start_date, end_date, capacity)
            VALUES (@id, @PhaseId, @kind, @Title, @Topic, @City, @CountryCode, @StartDate, @EndDate, @Capacity)
            RETURNING id
            """,
            MeetingParameters(projectId, request), transaction);
        var meeting = await ReadAsync(db, meetingId, transaction);
        write.Commit();
        return new Outcome<MeetingDto>.Stored(meeting!);
    }

    public static async Task<Outcome<MeetingDto>> UpdateAsync(DbConnection db, int id, MeetingRequest request, IfMatch ifMatch, DateOnly today)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var meeting = await ReadStateAsync(db, id, transaction);
        if (meeting is null)
        {
            return new Outcome<MeetingDto>.NotFound("Meeting", id);
        }

        if (!ifMatch.Matches(meeting.Version))
        {
            return new Outcome<MeetingDto>.PreconditionFailed();
        }

        var programme = new ProgrammeState { ProgrammeStart = meeting.ProgrammeStart, ProgrammeEnd = meeting.ProgrammeEnd };
        if (await CheckAgainstProgrammeAsync(db, meeting.ProjectId, programme, request, transaction) is { } invalid)
        {
            return invalid;
        }

        if (request.Capacity is { } capacity && capacity < meeting.AttendeeCount)
        {
            return new Outcome<MeetingDto>.Conflict($"The meeting has {meeting.AttendeeCount} attendees already; its capacity cannot be {capacity}.");
        }

        await db.ExecuteAsync(
            """
            UPDATE meetings SET phase_id = @PhaseId, kind = @kind, title = @Title, topic = @Topic, city = @City,
                country_code = @CountryCode, start_date = @StartDate, end_date = @EndDate, capacity = @Capacity, version = version + 1
            WHERE id = @id
            """,
            MeetingParameters(id, request), transaction);
        await MilestoneLinks.SyncMeetingAsync(db, transaction, id, today);
        var updated = await ReadAsync(db, id, transaction);
        write.Commit();
        return new Outcome<MeetingDto>.Stored(updated!);
    }

    public static async Task<Outcome<MeetingDto>> DeleteAsync(DbConnection db, int id, IfMatch ifMatch)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var meeting = await ReadStateAsync(db, id, transaction);
        if (meeting is null)
        {
            return new Outcome<MeetingDto>.NotFound("Meeting", id);
        }

        if (!ifMatch.Matches(meeting.Version))
        {
            return new Outcome<MeetingDto>.PreconditionFailed();
        }

        if (meeting.RecommendationCount > 0)
        {
            return new Outcome<MeetingDto>.Conflict(
                $"The meeting has {meeting.RecommendationCount} recommendations the steering group follows; it cannot be deleted. Drop them instead.");
        }

        var deleted = await ReadAsync(db, id, transaction);
        await db.ExecuteAsync("DELETE FROM meetings WHERE id = @id", new { id }, transaction);
        write.Commit();
        return new Outcome<MeetingDto>.Stored(deleted!);
    }

    /// <summary>The conclusions of the minutes; a milestone linked to an ended meeting is completed in the same transaction.</summary>
    public static async Task<Outcome<MeetingDto>> SetConclusionsAsync(
        DbConnection db, int id, ConclusionsRequest request, IfMatch ifMatch, DateOnly today)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var version = await db.QuerySingleOrDefaultAsync<long?>("SELECT version FROM meetings WHERE id = @id", new { id }, transaction);
        if (version is null)
        {
            return new Outcome<MeetingDto>.NotFound("Meeting", id);
        }

        if (!ifMatch.Matches(version.Value))
        {
            return new Outcome<MeetingDto>.PreconditionFailed();
        }

        await db.ExecuteAsync(
            "UPDATE meetings SET conclusions = @Text, version = version + 1 WHERE id = @id", new { id, request.Text }, transaction);
        await MilestoneLinks.SyncMeetingAsync(db, transaction, id, today);
        var meeting = await ReadAsync(db, id, transaction);
        write.Commit();
        return new Outcome<MeetingDto>.Stored(meeting!);
    }

    public static Task<MeetingDto?> ReadAsync(DbConnection db, long id, DbTransaction? transaction = null) =>
        db.QuerySingleOrDefaultAsync<MeetingDto>(SelectMeeting + " WHERE m.id = @id", new { id }, transaction);

    private static async Task<Outcome<MeetingDto>?> CheckAgainstProgrammeAsync(
        DbConnection db, long projectId, ProgrammeState programme, MeetingRequest request, DbTransaction transaction)
    {
        var phaseProject = await db.QuerySingleOrDefaultAsync<long?>(
            "SELECT project_id FROM phases WHERE id = @PhaseId", new { request.PhaseId }, transaction);
        if (phaseProject != projectId)
        {
            return Outcome<MeetingDto>.Field("phaseId", $"Phase {request.PhaseId} is not a phase of programme {projectId}.");
        }

        if (programme.Outside(request.StartDate) is { } startError)
        {
            return Outcome<MeetingDto>.Field("startDate", startError);
        }

        return programme.Outside(request.EndDate) is { } endError ? Outcome<MeetingDto>.Field("endDate", endError) : null;
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

    private static Task<MeetingState?> ReadStateAsync(DbConnection db, long id, DbTransaction transaction) =>
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
