using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Programmes;

public static class PhasesApi
{
    /// <summary>Routes of phases; then those of milestones (Milestones/).</summary>
    public static IEndpointRouteBuilder MapPhases(this IEndpointRouteBuilder app)
    {
        var phases = app.MapGroup("/api/phases")
            .WithTags("Programmes")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();

        phases.MapGet("/{id:int}", GetPhase).WithName("GetPhase")
            .WithSummary("Read a phase with its status and progress (share of its milestones completed, 0 when it has none).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        phases.MapPut("/{id:int}", UpdatePhase).WithName("UpdatePhase")
            .WithSummary("Change a phase's name, planned dates and status (coordinator). Honours If-Match." + Json.PutReplaces)
            .WithDescription(
                "Replaces name, plannedStart, plannedEnd and status; a date left out is cleared. plannedEnd may not be before " +
                "plannedStart, and both must lie inside the programme's startDate..endDate (400 naming the field). The phase's " +
                "number and kind never change. Progress is not set here: it follows the phase's milestones.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        app.MapMilestones();
        return app;
    }

    private static async Task<Results<Ok<PhaseDto>, ProblemHttpResult>> GetPhase(int id, DbConnection db) =>
        await ReadPhaseAsync(db, id) is { } phase ? TypedResults.Ok(phase) : Problems.NotFound("Phase", id);

    private static async Task<Results<Ok<PhaseDto>, ValidationProblem, ProblemHttpResult>> UpdatePhase(
        int id, PhaseRequest request, IfMatch ifMatch, DbConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var phase = await db.QuerySingleOrDefaultAsync<ProgrammeState>(
            """
            SELECT p.version AS Version, pr.start_date AS ProgrammeStart, pr.end_date AS ProgrammeEnd
            FROM phases p JOIN projects pr ON pr.id = p.project_id WHERE p.id = @id
            """,
            new { id }, transaction);
        if (phase is null)
        {
            return Problems.NotFound("Phase", id);
        }

        if (!ifMatch.Matches(phase.Version))
        {
            return Problems.PreconditionFailed();
        }

        if (phase.Outside(request.PlannedStart) is { } startError)
        {
            return Problems.Validation("plannedStart", startError);
        }

        if (phase.Outside(request.PlannedEnd) is { } endError)
        {
            return Problems.Validation("plannedEnd", endError);
        }

        await db.ExecuteAsync(
            """
            UPDATE phases SET name = @Name, planned_start = @PlannedStart, planned_end = @PlannedEnd, status = @status,
                              version = version + 1
            WHERE id = @id
            """,
            new { id, request.Name, request.PlannedStart, request.PlannedEnd, status = request.Status!.Value.ToWire() }, transaction);
        var updated = await ReadPhaseAsync(db, id, transaction);
        write.Commit();
        return TypedResults.Ok(updated!);
    }

    /// <summary>Today's date by the injected clock, so tests can move it.</summary>
    internal static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    internal static Task<PhaseDto?> ReadPhaseAsync(DbConnection db, long id, DbTransaction? transaction = null) =>
        db.QuerySingleOrDefaultAsync<PhaseDto>(db.Sql(ProjectsApi.SelectPhase + " WHERE p.id = @id"), new { id }, transaction);
}
