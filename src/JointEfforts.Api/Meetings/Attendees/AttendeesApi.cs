using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Meetings;

/// <summary>The attendees of a meeting: names of people, so reads are for coordinators, the steering group and admin.</summary>
public static class AttendeesApi
{
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
        int id, AttendeeRequest request, DbConnection db) =>
        await AttendeeService.AddAsync(db, id, request) switch
        {
            Outcome<AttendeeDto>.Stored stored => TypedResults.Created($"/api/meetings/{id}/attendees/{stored.Value.Id}", stored.Value),
            Outcome<AttendeeDto>.Invalid invalid => invalid.ValidationProblem(),
            var refused => refused.Problem(),
        };

    private static async Task<Results<Ok<Paged<AttendeeDto>>, ProblemHttpResult>> ListAttendees(
        int id, [AsParameters] PageRequest paging, [AsParameters] AttendeeQuery query, DbConnection db)
    {
        const string where = """
             WHERE a.meeting_id = @id AND (@type IS NULL OR a.organisation_type = @type)
               AND (@countryCode IS NULL OR a.country_code = @countryCode)
            """;
        using var results = await db.QueryMultipleAsync(
            "SELECT EXISTS (SELECT 1 FROM meetings WHERE id = @id);" +
            AttendeeService.SelectAttendee + where + " ORDER BY a.id LIMIT @limit OFFSET @offset;" +
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
            AttendeeService.SelectAttendee + " WHERE a.id = @attendeeId AND a.meeting_id = @id", new { id, attendeeId });
        return attendee is null ? Problems.NotFound("Attendee", attendeeId) : TypedResults.Ok(attendee);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAttendee(int id, int attendeeId, IfMatch ifMatch, DbConnection db) =>
        await AttendeeService.RemoveAsync(db, id, attendeeId, ifMatch) switch
        {
            Outcome<AttendeeDto>.Stored => TypedResults.NoContent(),
            var refused => refused.Problem(),
        };
}
