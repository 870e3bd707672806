using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Programmes;

/// <summary>The milestones of a programme's phases; overdue is judged on asOf.</summary>
public static class MilestonesApi
{
    private const string SelectMilestone = """
        SELECT m.id AS Id, m.phase_id AS PhaseId, p.project_id AS ProjectId, m.title AS Title, m.kind AS Kind,
               m.due_date AS DueDate, m.completed_on AS CompletedOn, m.course_id AS CourseId, m.meeting_id AS MeetingId,
               (m.completed_on IS NULL AND m.due_date < @today) AS Overdue,
               m.created_at AS CreatedAt, m.version AS Version
        FROM milestones m JOIN phases p ON p.id = m.phase_id
        """;

    public static IEndpointRouteBuilder MapMilestones(this IEndpointRouteBuilder app)
    {
        var phases = app.MapGroup("/api/phases")
            .WithTags("Programmes")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();
        phases.MapPost("/{id:int}/milestones", CreateMilestone).WithName("CreateMilestone")
            .WithSummary("Add a milestone (meeting, deliverable or activity) to a phase (coordinator).")
            .WithDescription(
                "dueDate must lie inside the programme's startDate..endDate (400 naming dueDate). courseId or meetingId (not both) " +
                "links the milestone to a course or meeting of the same programme (else 400 naming the field): it is then completed " +
                "by that course's delivery (on its end date) or that meeting's conclusions once it has ended (on its end date), " +
                "at once if that has happened already, and cannot be completed by hand.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        phases.MapGet("/{id:int}/milestones", ListMilestones).WithName("ListMilestones")
            .WithSummary("A phase's milestones, ordered by dueDate then id, each with the derived overdue flag judged on asOf (default today). Filters: kind, completed.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var milestones = app.MapGroup("/api/milestones")
            .WithTags("Programmes")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();

        milestones.MapGet("/{id:int}", GetMilestone).WithName("GetMilestone")
            .WithSummary("Read a milestone. overdue = not completed and dueDate before asOf (?asOf=YYYY-MM-DD, default today; derived when read, never stored).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        milestones.MapPut("/{id:int}", UpdateMilestone).WithName("UpdateMilestone")
            .WithSummary("Change a milestone's title, kind, dueDate and link (coordinator). Honours If-Match; completion is kept." + Json.PutReplaces)
            .WithDescription(
                "dueDate must lie inside the programme's startDate..endDate (400 naming dueDate). courseId or meetingId (not both, " +
                "same programme, else 400) links it: its completion then follows the course or meeting at once. Unlinking keeps " +
                "the completion it had.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        milestones.MapDelete("/{id:int}", DeleteMilestone).WithName("DeleteMilestone")
            .WithSummary("Delete a milestone (coordinator). Honours If-Match.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        milestones.MapPost("/{id:int}/complete", CompleteMilestone).WithName("CompleteMilestone")
            .WithSummary("Mark a milestone completed on a date (coordinator). Honours If-Match when sent.")
            .WithDescription(
                "completedOn may not be in the future nor before the programme's startDate (400 naming completedOn). " +
                "A milestone already completed, or one linked to a course or meeting (completed by it) → 409.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return app;
    }
    private static async Task<Results<Created<MilestoneDto>, ValidationProblem, ProblemHttpResult>> CreateMilestone(
        int id, MilestoneRequest request, DbConnection db, TimeProvider time)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var phase = await db.QuerySingleOrDefaultAsync<ProgrammeState>(
            """
            SELECT p.version AS Version, pr.id AS ProjectId, pr.start_date AS ProgrammeStart, pr.end_date AS ProgrammeEnd
            FROM phases p JOIN projects pr ON pr.id = p.project_id WHERE p.id = @id
            """,
            new { id }, transaction);
        if (phase is null)
        {
            return Problems.NotFound("Phase", id);
        }

        if (phase.Outside(request.DueDate) is { } error)
        {
            return Problems.Validation("dueDate", error);
        }

        if (await CheckLinkAsync(db, transaction, phase.ProjectId, request) is { } linkError)
        {
            return linkError;
        }

        var milestoneId = await db.ExecuteScalarAsync<long>(
            """
            INSERT INTO milestones (phase_id, title, kind, due_date, course_id, meeting_id)
            VALUES (@id, @Title, @kind, @DueDate, @CourseId, @MeetingId) RETURNING id
            """,
            new { id, request.Title, kind = request.Kind!.Value.ToWire(), request.DueDate, request.CourseId, request.MeetingId }, transaction);
        await MilestoneLinks.SyncMilestoneAsync(db, transaction, milestoneId, PhasesApi.Today(time));
        var milestone = await ReadMilestoneAsync(db, milestoneId, time, transaction);
        write.Commit();
        return TypedResults.Created($"/api/milestones/{milestoneId}", milestone!);
    }

    private static async Task<Results<Ok<Paged<MilestoneDto>>, ProblemHttpResult>> ListMilestones(
        int id, [AsParameters] PageRequest paging, [AsParameters] MilestoneQuery query, DbConnection db, TimeProvider time)
    {
        const string where = """
             WHERE m.phase_id = @id AND (@kind IS NULL OR m.kind = @kind)
               AND (@completed IS NULL OR (m.completed_on IS NOT NULL) = @completed)
            """;
        using var results = await db.QueryMultipleAsync(
            "SELECT EXISTS (SELECT 1 FROM phases WHERE id = @id);" +
            SelectMilestone + where + " ORDER BY m.due_date, m.id LIMIT @limit OFFSET @offset;" +
            "SELECT COUNT(*) FROM milestones m" + where,
            new
            {
                id,
                kind = query.Kind.ToWire(),
                completed = query.Completed,
                today = AsOf.Or(query.AsOf, time),
                limit = paging.Size,
                offset = paging.Offset,
            });
        var exists = await results.ReadSingleAsync<bool>();
        var items = await results.ReadAsync<MilestoneDto>();
        var total = await results.ReadSingleAsync<int>();
        return exists ? TypedResults.Ok(Paged<MilestoneDto>.Of(items, paging, total)) : Problems.NotFound("Phase", id);
    }

    private static async Task<Results<Ok<MilestoneDto>, ProblemHttpResult>> GetMilestone(int id, AsOf? asOf, DbConnection db, TimeProvider time) =>
        await db.QuerySingleOrDefaultAsync<MilestoneDto>(SelectMilestone + " WHERE m.id = @id", new { id, today = AsOf.Or(asOf, time) }) is { } milestone
            ? TypedResults.Ok(milestone)
            : Problems.NotFound("Milestone", id);

    private static async Task<Results<Ok<MilestoneDto>, ValidationProblem, ProblemHttpResult>> UpdateMilestone(
        int id, MilestoneRequest request, IfMatch ifMatch, DbConnection db, TimeProvider time)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var milestone = await ReadMilestoneStateAsync(db, id, transaction);
        if (milestone is null)
        {
            return Problems.NotFound("Milestone", id);
        }

        if (!ifMatch.Matches(milestone.Version))
        {
            return Problems.PreconditionFailed();
        }

        if (milestone.Outside(request.DueDate) is { } error)
        {
            return Problems.Validation("dueDate", error);
        }

        if (await CheckLinkAsync(db, transaction, milestone.ProjectId, request) is { } linkError)
        {
            return linkError;
        }

        await db.ExecuteAsync(
            """
            UPDATE milestones SET title = @Title, kind = @kind, due_date = @DueDate, course_id = @CourseId, meeting_id = @MeetingId,
                                  version = version + 1
            WHERE id = @id
            """,
            new { id, request.Title, kind = request.Kind!.Value.ToWire(), request.DueDate, request.CourseId, request.MeetingId }, transaction);
        await MilestoneLinks.SyncMilestoneAsync(db, transaction, id, PhasesApi.Today(time));
        var updated = await ReadMilestoneAsync(db, id, time, transaction);
        write.Commit();
        return TypedResults.Ok(updated!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteMilestone(int id, IfMatch ifMatch, DbConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var version = await db.QuerySingleOrDefaultAsync<long?>("SELECT version FROM milestones WHERE id = @id", new { id }, transaction);
        if (version is null)
        {
            return Problems.NotFound("Milestone", id);
        }

        if (!ifMatch.Matches(version.Value))
        {
            return Problems.PreconditionFailed();
        }

        await db.ExecuteAsync("DELETE FROM milestones WHERE id = @id", new { id }, transaction);
        write.Commit();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<MilestoneDto>, ValidationProblem, ProblemHttpResult>> CompleteMilestone(
        int id, CompleteMilestoneRequest request, IfMatch ifMatch, DbConnection db, TimeProvider time)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var milestone = await ReadMilestoneStateAsync(db, id, transaction);
        if (milestone is null)
        {
            return Problems.NotFound("Milestone", id);
        }

        if (!ifMatch.Matches(milestone.Version))
        {
            return Problems.PreconditionFailed();
        }

        if (milestone.CompletedOn is { } done)
        {
            return Problems.Conflict($"Milestone {id} was completed on {done:yyyy-MM-dd} already.");
        }

        if (milestone.CourseId is { } courseId)
        {
            return Problems.Conflict($"Milestone {id} stands for course {courseId}: it is completed when that course is delivered.");
        }

        if (milestone.MeetingId is { } meetingId)
        {
            return Problems.Conflict($"Milestone {id} stands for meeting {meetingId}: it is completed when that meeting has ended with conclusions recorded.");
        }

        var completedOn = request.CompletedOn!.Value;
        if (completedOn > PhasesApi.Today(time))
        {
            return Problems.Validation("completedOn", "completedOn may not be in the future.");
        }

        if (completedOn < milestone.ProgrammeStart)
        {
            return Problems.Validation("completedOn", $"completedOn may not be before the programme's start ({milestone.ProgrammeStart:yyyy-MM-dd}).");
        }

        await db.ExecuteAsync(
            "UPDATE milestones SET completed_on = @completedOn, version = version + 1 WHERE id = @id",
            new { id, completedOn }, transaction);
        var completed = await ReadMilestoneAsync(db, id, time, transaction);
        write.Commit();
        return TypedResults.Ok(completed!);
    }

    /// <summary>A linked course or meeting must exist in the milestone's programme: 400 naming the field otherwise.</summary>
    private static async Task<ValidationProblem?> CheckLinkAsync(DbConnection db, DbTransaction transaction, int projectId, MilestoneRequest request)
    {
        if (request.CourseId is { } courseId
            && !await db.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM courses WHERE id = @courseId AND project_id = @projectId)", new { courseId, projectId }, transaction))
        {
            return Problems.Validation("courseId", $"Course {courseId} is not a course of this programme.");
        }

        if (request.MeetingId is { } meetingId
            && !await db.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM meetings WHERE id = @meetingId AND project_id = @projectId)", new { meetingId, projectId }, transaction))
        {
            return Problems.Validation("meetingId", $"Meeting {meetingId} is not a meeting of this programme.");
        }

        return null;
    }

    private static Task<MilestoneDto?> ReadMilestoneAsync(DbConnection db, long id, TimeProvider time, DbTransaction? transaction = null) =>
        db.QuerySingleOrDefaultAsync<MilestoneDto>(SelectMilestone + " WHERE m.id = @id", new { id, today = PhasesApi.Today(time) }, transaction);

    private static Task<ProgrammeState?> ReadMilestoneStateAsync(DbConnection db, long id, DbTransaction transaction) =>
        db.QuerySingleOrDefaultAsync<ProgrammeState>(
            """
            SELECT m.version AS Version, m.completed_on AS CompletedOn, m.course_id AS CourseId, m.meeting_id AS MeetingId,
                   pr.id AS ProjectId, pr.start_date AS ProgrammeStart, pr.end_date AS ProgrammeEnd
            FROM milestones m JOIN phases p ON p.id = m.phase_id JOIN projects pr ON pr.id = p.project_id
            WHERE m.id = @id
            """,
            new { id }, transaction);
}
