using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations.Figures;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Programmes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Meetings;

/// <summary>The recommendations of meetings, followed by the steering group until implemented or dropped.</summary>
public static class RecommendationsApi
{
    /// <summary><see cref="SelectRecommendation"/> with the status as of <c>@asOf</c> when <c>@snapshot</c>.</summary>
    private static readonly string SnapshotSelect = RecommendationService.SelectRecommendation
        .Replace("r.status AS Status", $"{Snapshot.RecommendationStatusSql} AS Status", StringComparison.Ordinal)
        .Replace("(r.status IN", $"({Snapshot.RecommendationStatusSql} IN", StringComparison.Ordinal);

    /// <summary>GET /api/projects/{id}/recommendations, on the programme's meetings group.</summary>
    internal static RouteGroupBuilder MapProgrammeRecommendations(this RouteGroupBuilder programme)
    {
        programme.MapGet("/recommendations", ListProgrammeRecommendations).WithName("ListProgrammeRecommendations")
            .WithSummary("Recommendations of all the programme's meetings, by id, each with the derived overdue flag. Filters: status, meetingId; asOf (default today) reads them as they stood then.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return programme;
    }

    /// <summary>Routes under /api/meetings/{id}/recommendations, on the meetings group.</summary>
    internal static RouteGroupBuilder MapMeetingRecommendations(this RouteGroupBuilder meetings)
    {
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
        return meetings;
    }

    /// <summary>Routes under /api/recommendations.</summary>
    internal static IEndpointRouteBuilder MapRecommendations(this IEndpointRouteBuilder app)
    {
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

    private static async Task<Results<Created<RecommendationDto>, ValidationProblem, ProblemHttpResult>> CreateRecommendation(
        int id, RecommendationRequest request, DbConnection db, TimeProvider time) =>
        await RecommendationService.CreateAsync(db, id, request, PhasesApi.Today(time)) switch
        {
            Outcome<RecommendationDto>.Stored stored => TypedResults.Created($"/api/recommendations/{stored.Value.Id}", stored.Value),
            Outcome<RecommendationDto>.Invalid invalid => invalid.ValidationProblem(),
            var refused => refused.Problem(),
        };

    private static Task<Results<Ok<Paged<RecommendationDto>>, ProblemHttpResult>> ListProgrammeRecommendations(
        int id, [AsParameters] PageRequest paging, [AsParameters] RecommendationQuery query, DbConnection db, TimeProvider time) =>
        ListRecommendationsAsync(
            db, "SELECT EXISTS (SELECT 1 FROM projects WHERE id = @id);", "m.project_id = @id", "Programme",
            id, paging, query.Status.ToWire(), query.MeetingId, time, query.AsOf);

    private static Task<Results<Ok<Paged<RecommendationDto>>, ProblemHttpResult>> ListMeetingRecommendations(
        int id, [AsParameters] PageRequest paging, [AsParameters] RecommendationStatusQuery query, DbConnection db, TimeProvider time) =>
        ListRecommendationsAsync(
            db, "SELECT EXISTS (SELECT 1 FROM meetings WHERE id = @id);", "r.meeting_id = @id", "Meeting",
            id, paging, query.Status.ToWire(), null, time);

    private static async Task<Results<Ok<Paged<RecommendationDto>>, ProblemHttpResult>> ListRecommendationsAsync(
        DbConnection db, string existsSql, string scope, string what, int id, PageRequest paging, string? status, int? meetingId,
        TimeProvider time, AsOf? asOf = null)
    {
        // As of a past day: made by then, in the status the audit log had for it then (Evaluations/Figures/Snapshot.cs).
        var where = $" WHERE {scope} AND (@status IS NULL OR {Snapshot.RecommendationStatusSql} = @status) AND (@meetingId IS NULL OR r.meeting_id = @meetingId)"
            + $" AND {Snapshot.RecommendationExistsSql}";
        var today = PhasesApi.Today(time);
        var day = AsOf.Or(asOf, time);
        using var results = await db.QueryMultipleAsync(
            db.Sql(existsSql +
            SnapshotSelect + where + " ORDER BY r.id LIMIT @limit OFFSET @offset;" +
            "SELECT COUNT(*) FROM recommendations r JOIN meetings m ON m.id = r.meeting_id" + where),
            new
            {
                id, status, meetingId, today = day, asOf = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                snapshot = Snapshot.IsPast(day, today), limit = paging.Size, offset = paging.Offset,
            });
        var exists = await results.ReadSingleAsync<bool>();
        var items = await results.ReadAsync<RecommendationDto>();
        var total = await results.ReadSingleAsync<int>();
        return exists ? TypedResults.Ok(Paged<RecommendationDto>.Of(items, paging, total)) : Problems.NotFound(what, id);
    }

    private static async Task<Results<Ok<RecommendationDto>, ProblemHttpResult>> GetRecommendation(int id, DbConnection db, TimeProvider time) =>
        await RecommendationService.ReadAsync(db, id, PhasesApi.Today(time)) is { } recommendation
            ? TypedResults.Ok(recommendation)
            : Problems.NotFound("Recommendation", id);

    private static async Task<Results<Ok<RecommendationDto>, ValidationProblem, ProblemHttpResult>> UpdateRecommendation(
        int id, RecommendationUpdate request, IfMatch ifMatch, DbConnection db, TimeProvider time) =>
        await RecommendationService.UpdateAsync(db, id, request, ifMatch, PhasesApi.Today(time)) switch
        {
            Outcome<RecommendationDto>.Stored stored => TypedResults.Ok(stored.Value),
            Outcome<RecommendationDto>.Invalid invalid => invalid.ValidationProblem(),
            var refused => refused.Problem(),
        };
}
