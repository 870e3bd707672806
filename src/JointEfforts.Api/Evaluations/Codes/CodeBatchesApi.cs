using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace JointEfforts.Api.Evaluations.Codes;

/// <summary>
/// A course's evaluation codes, issued in batches for printed slips. Codes belong to a course and a batch, never to a
/// participant; who holds which, and which were used, no route says (API.md, "Anonymity of evaluations").
/// </summary>
public static class CodeBatchesApi
{
    public static IEndpointRouteBuilder MapEvaluationCodes(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api")
            .WithTags("Evaluation (courses)")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();
        staff.MapPost("/courses/{id:int}/evaluation-codes", IssueCodes).WithName("IssueEvaluationCodes")
            .WithSummary("Issue a batch of single-use codes for printed slips (coordinator, or the course's expert: courses.countryExpertUserId, " +
                         "or any expert of the course's country when the course names none). Body optional: { count } (5..500); default " +
                         "enrolled minus codes already issued, raised to 5, so no code can be told apart as the one of a late enrolment. " +
                         "201 { batchId, issuedOn, codes: [{ code }] } in random order. The course must be open, closed or delivered and " +
                         "have a reaction form (409). Codes are stored per course and batch, never with a participant.")
            .RequireAuthorization(Policies.CourseStaff)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapGet("/courses/{id:int}/evaluation-codes", ListCodeBatches).WithName("ListEvaluationCodeBatches")
            .WithSummary("The course's batches of codes, each with its codes in code order, to print the slips again (coordinator, or the " +
                         "course's expert). Paged by batch, oldest first. Never who holds which, nor which were used.")
            .RequireAuthorization(Policies.CourseStaff)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapGet("/courses/{id:int}/evaluation-codes/{batchId:int}", GetCodeBatch).WithName("GetEvaluationCodeBatch")
            .WithSummary("One batch of codes, in code order (coordinator, or the course's expert). Unknown batch or one of another course: 404.")
            .RequireAuthorization(Policies.CourseStaff)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<CodeBatchDto>, ValidationProblem, ProblemHttpResult>> IssueCodes(
        int id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] IssueCodesRequest? request, Caller caller, TimeProvider time, DbConnection db) =>
        await IssueAsync(db, caller, id, request?.Count, time) switch
        {
            CodeIssue.Issued issued => TypedResults.Created($"/api/courses/{id}/evaluation-codes/{issued.Batch.BatchId}", issued.Batch),
            CodeIssue.NotFound => Problems.NotFound("Course", id),
            CodeIssue.Forbidden forbidden => Problems.Forbidden(forbidden.Detail),
            CodeIssue.Conflict conflict => Problems.Conflict(conflict.Detail),
            var other => throw new InvalidOperationException($"Unknown outcome {other.GetType().Name}."),
        };

    /// <summary>
    /// Issues a batch for the caller, under the rules of <c>POST /api/courses/{id}/evaluation-codes</c>, in one write
    /// (<see cref="DbConnection"/>'s write queue): the JSON route and the workspace's course documents page both call it.
    /// <paramref name="count"/> is already checked (5..500) by the caller's validation.
    /// </summary>
    public static async Task<CodeIssue> IssueAsync(DbConnection db, Caller caller, int id, int? count, TimeProvider time)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await EvaluationCourse.ReadAsync(db, id, caller, transaction);
        if (course is null)
        {
            return new CodeIssue.NotFound();
        }

        if (!course.MayRunEvaluation(caller))
        {
            return new CodeIssue.Forbidden("Only a coordinator or the course's country expert issues evaluation codes.");
        }

        if (!course.AcceptsAnswers)
        {
            return new CodeIssue.Conflict($"Course {id} is {course.Status}; codes are issued for open, closed or delivered courses.");
        }

        if (course.EvaluationFormId is null)
        {
            return new CodeIssue.Conflict($"Course {id} has no reaction form (evaluationFormId): give it one before issuing codes.");
        }

        var batch = await IssueBatchAsync(
            db, transaction, id, count, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
            EvaluationCodes.Create, max => RandomNumberGenerator.GetInt32(max));
        write.Commit();
        return new CodeIssue.Issued(batch);
    }

    private static async Task<Results<Ok<Paged<CodeBatchDto>>, ProblemHttpResult>> ListCodeBatches(
        int id, [AsParameters] PageRequest paging, Caller caller, DbConnection db)
    {
        var course = await EvaluationCourse.ReadAsync(db, id, caller);
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        if (!course.MayRunEvaluation(caller))
        {
            return Problems.Forbidden("Only a coordinator or the course's country expert reads the evaluation codes.");
        }

        using var results = await db.QueryMultipleAsync(
            """
            SELECT COUNT(*) FROM evaluation_code_batches WHERE course_id = @id;
            SELECT b.id AS BatchId, b.issued_on AS IssuedOn, c.code AS Code
            FROM (SELECT id, issued_on FROM evaluation_code_batches WHERE course_id = @id ORDER BY id LIMIT @Size OFFSET @Offset) b
            JOIN evaluation_codes c ON c.batch_id = b.id
            ORDER BY b.id, c.code;
            """,
            new { id, paging.Size, paging.Offset });
        var total = await results.ReadSingleAsync<int>();
        var batches = Batches(await results.ReadAsync<BatchCodeRow>());
        return TypedResults.Ok(Paged<CodeBatchDto>.Of(batches, paging, total));
    }

    private static async Task<Results<Ok<CodeBatchDto>, ProblemHttpResult>> GetCodeBatch(int id, int batchId, Caller caller, DbConnection db)
    {
        var course = await EvaluationCourse.ReadAsync(db, id, caller);
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        if (!course.MayRunEvaluation(caller))
        {
            return Problems.Forbidden("Only a coordinator or the course's country expert reads the evaluation codes.");
        }

        var rows = await db.QueryAsync<BatchCodeRow>(
            """
            SELECT b.id AS BatchId, b.issued_on AS IssuedOn, c.code AS Code
            FROM evaluation_code_batches b JOIN evaluation_codes c ON c.batch_id = b.id
            WHERE b.id = @batchId AND b.course_id = @id
            ORDER BY c.code
            """,
            new { id, batchId });
        return Batches(rows) is [var batch] ? TypedResults.Ok(batch) : Problems.NotFound("Code batch", batchId);
    }

    private static List<CodeBatchDto> Batches(IEnumerable<BatchCodeRow> rows) =>
        rows.GroupBy(r => (r.BatchId, r.IssuedOn))
            .Select(g => new CodeBatchDto(g.Key.BatchId, g.Key.IssuedOn, g.Select(r => new EvaluationCodeDto(EvaluationCodes.Display(r.Code))).ToList()))
            .ToList();

    /// <summary>
    /// Issues one batch: <paramref name="count"/> codes, or by default one per enrolled participant without a code yet,
    /// at least <see cref="IssueCodesRequest.MinCount"/>. Answers them shuffled with <paramref name="next"/> (the API passes
    /// the cryptographic random source), so neither the printed order nor the stored order tells which code went to whom.
    /// </summary>
    public static async Task<CodeBatchDto> IssueBatchAsync(
        DbConnection db, DbTransaction transaction, int courseId, int? count, DateOnly issuedOn, Func<string> newCode, Func<int, int> next)
    {
        var missing = await db.ExecuteScalarAsync<int>(
            """
            SELECT (SELECT COUNT(*) FROM enrolments WHERE course_id = @courseId AND status = 'enrolled')
                 - (SELECT COUNT(*) FROM evaluation_codes WHERE course_id = @courseId)
            """,
            new { courseId }, transaction);
        var size = count ?? Math.Clamp(missing, IssueCodesRequest.MinCount, IssueCodesRequest.MaxCount);
        var batchId = await db.ExecuteScalarAsync<int>(
            "INSERT INTO evaluation_code_batches (course_id, issued_on, code_count) VALUES (@courseId, @issuedOn, @size) RETURNING id",
            new { courseId, issuedOn, size }, transaction);

        var drawn = new List<string>(size);
        while (drawn.Count < size)
        {
            var code = newCode();
            if (!drawn.Contains(code, StringComparer.Ordinal))
            {
                drawn.Add(code);
            }
        }

        // Stored in code order (ids say nothing of the order handed out), answered in a shuffled order.
        drawn.Sort(StringComparer.Ordinal);
        var issued = new List<string>(size);
        foreach (var code in drawn)
        {
            // A clash of two 59-bit codes is next to impossible; should it happen, that code is drawn again below.
            var inserted = await db.ExecuteAsync(
                """
                INSERT INTO evaluation_codes (course_id, batch_id, code, created_at) VALUES (@courseId, @batchId, @code, @issuedOn)
                ON CONFLICT (code) DO NOTHING
                """,
                new { courseId, batchId, code, issuedOn }, transaction);
            if (inserted == 1)
            {
                issued.Add(code);
            }
        }

        while (issued.Count < size)
        {
            var code = newCode();
            var inserted = await db.ExecuteAsync(
                """
                INSERT INTO evaluation_codes (course_id, batch_id, code, created_at) VALUES (@courseId, @batchId, @code, @issuedOn)
                ON CONFLICT (code) DO NOTHING
                """,
                new { courseId, batchId, code, issuedOn }, transaction);
            if (inserted == 1)
            {
                issued.Add(code);
            }
        }

        // Fisher-Yates with the given source: the API's is RandomNumberGenerator.
        for (var i = issued.Count - 1; i > 0; i--)
        {
            var j = next(i + 1);
            (issued[i], issued[j]) = (issued[j], issued[i]);
        }

        return new CodeBatchDto(batchId, issuedOn, issued.Select(c => new EvaluationCodeDto(EvaluationCodes.Display(c))).ToList());
    }

    private sealed record BatchCodeRow
    {
        public int BatchId { get; init; }

        public DateOnly IssuedOn { get; init; }

        public required string Code { get; init; }
    }
}

/// <summary>What issuing a batch of codes came to, for the JSON route and the workspace page alike.</summary>
public abstract record CodeIssue
{
    private CodeIssue()
    {
    }

    public sealed record Issued(CodeBatchDto Batch) : CodeIssue;

    public sealed record NotFound : CodeIssue;

    public sealed record Forbidden(string Detail) : CodeIssue;

    public sealed record Conflict(string Detail) : CodeIssue;
}
