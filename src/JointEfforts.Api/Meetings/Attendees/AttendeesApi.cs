using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Meetings;

/// <summary>The attendees of a meeting: names of people, so reads are for coordinators, the steering group and admin.</summary>
public static class AttendeesApi
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

    private const string SelectAttendee = """
        SELECT a.id AS Id, a.meeting_id AS MeetingId, a.full_name AS FullName, a.organisation AS Organisation,
               a.organisation_type AS OrganisationType, a.country_code AS CountryCode, a.created_at AS CreatedAt, 1 AS Version
        FROM meeting_attendees a
        """;

    /// <summary>Attendees are never updated: every attendee representation is version 1.</summary>
    private const long AttendeeVersion = 1;

    /// <summary>Routes under /api/meetings/{id}/attendees, on the meetings group (its policy and problems).</summary>
    internal static RouteGroupBuilder MapAttendees(this RouteGroupBuilder meetings)
    {
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
        return meetings;
    }

    private static async Task<Results<Created<AttendeeDto>, ValidationProblem, ProblemHttpResult>> AddAttendee(
        int id, AttendeeRequest request, DbConnection db)
    {
        // BEGIN IMMEDIATE: the count and the insert are one step, so two requests can never both take the last seat.
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var meeting = await db.QuerySingleOrDefaultAsync<SeatState>(
            db.Sql(SeatStateSql),
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
        int id, [AsParameters] PageRequest paging, [AsParameters] AttendeeQuery query, DbConnection db)
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

    private static async Task<Results<Ok<AttendeeDto>, ProblemHttpResult>> GetAttendee(int id, int attendeeId, DbConnection db)
    {
        var attendee = await db.QuerySingleOrDefaultAsync<AttendeeDto>(
            SelectAttendee + " WHERE a.id = @attendeeId AND a.meeting_id = @id", new { id, attendeeId });
        return attendee is null ? Problems.NotFound("Attendee", attendeeId) : TypedResults.Ok(attendee);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAttendee(int id, int attendeeId, IfMatch ifMatch, DbConnection db)
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

    private sealed record SeatState
    {
        public int? Capacity { get; init; }

        public int Attendees { get; init; }

        public bool Duplicate { get; init; }
    }
}
