using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Meetings;

/// <summary>
/// The rules of a meeting's attendees, for <c>/api/meetings/{id}/attendees</c> and the workspace's meeting page alike: never
/// beyond the meeting's capacity (the count and the insert are one BEGIN IMMEDIATE step), never the same full name and
/// organisation twice in one meeting. Attendees are only added and removed, never changed: their version is always 1.
/// </summary>
public static class AttendeeService
{
    private static readonly DialectSql SeatStateSql = new(
            """
            SELECT m.capacity AS Capacity,
                   (SELECT COUNT(*) FROM meeting_attendees a WHERE a.meeting_id = m.id) AS Attendees,
                   EXISTS (SELECT 1 FROM meeting_attendees a WHERE a.meeting_id = m.id
                           AND a.full_name = @FullName COLLATE NOCASE AND a.organisation = @Organisation COLLATE NOCASE) AS Duplicate
            FROM meetings m WHERE m.id = @id
            """,
            """
            SELECT m.capacity AS Capacity,
                   (SELECT COUNT(*) FROM meeting_attendees a WHERE a.meeting_id = m.id) AS Attendees,
                   EXISTS (SELECT 1 FROM meeting_attendees a WHERE a.meeting_id = m.id
                           AND lower(a.full_name) = lower(@FullName) AND lower(a.organisation) = lower(@Organisation)) AS Duplicate
            FROM meetings m WHERE m.id = @id
            """);

    internal const string SelectAttendee = """
        SELECT a.id AS Id, a.meeting_id AS MeetingId, a.full_name AS FullName, a.organisation AS Organisation,
               a.organisation_type AS OrganisationType, a.country_code AS CountryCode, a.created_at AS CreatedAt, 1 AS Version
        FROM meeting_attendees a
        """;

    /// <summary>Attendees are never updated: every attendee representation is version 1.</summary>
    public const long AttendeeVersion = 1;

    public static async Task<Outcome<AttendeeDto>> AddAsync(DbConnection db, int id, AttendeeRequest request)
    {
        // BEGIN IMMEDIATE: the count and the insert are one step, so two requests can never both take the last seat.
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var meeting = await db.QuerySingleOrDefaultAsync<SeatState>(
            db.Sql(SeatStateSql),
            new { id, request.FullName, request.Organisation }, transaction);
        if (meeting is null)
        {
            return new Outcome<AttendeeDto>.NotFound("Meeting", id);
        }

        if (meeting.Duplicate)
        {
            return new Outcome<AttendeeDto>.Conflict($"{request.FullName} of {request.Organisation} attends this meeting already.");
        }

        if (meeting.Capacity is { } capacity && meeting.Attendees >= capacity)
        {
            return new Outcome<AttendeeDto>.Conflict($"The meeting is full: {meeting.Attendees} of {capacity} places are taken.");
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
        return new Outcome<AttendeeDto>.Stored(attendee);
    }

    public static async Task<Outcome<AttendeeDto>> RemoveAsync(DbConnection db, int id, int attendeeId, IfMatch ifMatch)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var attendee = await db.QuerySingleOrDefaultAsync<AttendeeDto>(
            SelectAttendee + " WHERE a.id = @attendeeId AND a.meeting_id = @id", new { id, attendeeId }, transaction);
        if (attendee is null)
        {
            return new Outcome<AttendeeDto>.NotFound("Attendee", attendeeId);
        }

        if (!ifMatch.Matches(AttendeeVersion))
        {
            return new Outcome<AttendeeDto>.PreconditionFailed();
        }

        await db.ExecuteAsync("DELETE FROM meeting_attendees WHERE id = @attendeeId", new { attendeeId }, transaction);
        write.Commit();
        return new Outcome<AttendeeDto>.Stored(attendee);
    }

    private sealed record SeatState
    {
        public int? Capacity { get; init; }

        public int Attendees { get; init; }

        public bool Duplicate { get; init; }
    }
}
