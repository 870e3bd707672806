using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Programmes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Meetings;

public static class MeetingsApi
{
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
        int id, MeetingRequest request, DbConnection db) =>
        await MeetingService.CreateAsync(db, id, request) switch
        {
            Outcome<MeetingDto>.Stored stored => TypedResults.Created($"/api/meetings/{stored.Value.Id}", stored.Value),
            Outcome<MeetingDto>.Invalid invalid => invalid.ValidationProblem(),
            var refused => refused.Problem(),
        };

    private static async Task<Results<Ok<Paged<MeetingDto>>, ProblemHttpResult>> ListMeetings(
        int id, [AsParameters] PageRequest paging, [AsParameters] MeetingQuery query, DbConnection db)
    {
        const string where = """
             WHERE m.project_id = @id AND (@kind IS NULL OR m.kind = @kind) AND (@phaseId IS NULL OR m.phase_id = @phaseId)
               AND (@countryCode IS NULL OR m.country_code = @countryCode)
            """;
        using var results = await db.QueryMultipleAsync(
            "SELECT EXISTS (SELECT 1 FROM projects WHERE id = @id);" +
            MeetingService.SelectMeeting + where + " ORDER BY m.start_date, m.id LIMIT @limit OFFSET @offset;" +
            "SELECT COUNT(*) FROM meetings m" + where,
            new { id, kind = query.Kind.ToWire(), phaseId = query.PhaseId, countryCode = query.CountryCode, limit = paging.Size, offset = paging.Offset });
        var exists = await results.ReadSingleAsync<bool>();
        var items = await results.ReadAsync<MeetingDto>();
        var total = await results.ReadSingleAsync<int>();
        return exists ? TypedResults.Ok(Paged<MeetingDto>.Of(items, paging, total)) : Problems.NotFound("Programme", id);
    }

    private static async Task<Results<Ok<MeetingDto>, ProblemHttpResult>> GetMeeting(int id, DbConnection db) =>
        await MeetingService.ReadAsync(db, id) is { } meeting ? TypedResults.Ok(meeting) : Problems.NotFound("Meeting", id);

    private static async Task<Results<Ok<MeetingDto>, ValidationProblem, ProblemHttpResult>> UpdateMeeting(
        int id, MeetingRequest request, IfMatch ifMatch, DbConnection db, TimeProvider time) =>
        Answer(await MeetingService.UpdateAsync(db, id, request, ifMatch, PhasesApi.Today(time)));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteMeeting(int id, IfMatch ifMatch, DbConnection db) =>
        await MeetingService.DeleteAsync(db, id, ifMatch) switch
        {
            Outcome<MeetingDto>.Stored => TypedResults.NoContent(),
            var refused => refused.Problem(),
        };

    private static async Task<Results<Ok<MeetingDto>, ValidationProblem, ProblemHttpResult>> SetConclusions(
        int id, ConclusionsRequest request, IfMatch ifMatch, DbConnection db, TimeProvider time) =>
        Answer(await MeetingService.SetConclusionsAsync(db, id, request, ifMatch, PhasesApi.Today(time)));

    private static Results<Ok<MeetingDto>, ValidationProblem, ProblemHttpResult> Answer(Outcome<MeetingDto> outcome) => outcome switch
    {
        Outcome<MeetingDto>.Stored stored => TypedResults.Ok(stored.Value),
        Outcome<MeetingDto>.Invalid invalid => invalid.ValidationProblem(),
        _ => outcome.Problem(),
    };
}
