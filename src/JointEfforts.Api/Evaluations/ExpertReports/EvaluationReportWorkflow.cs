using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Evaluations.Figures;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Evaluations;

/// <summary>The report's workflow: submit, accept, return, each one step in one BEGIN IMMEDIATE transaction.</summary>
public static partial class EvaluationReportsApi
{
    // A report is on a course that took place: submitted once the course is delivered and its attendance recorded
    // (participantsAttended and the figures mean nothing before), accepted while the course is delivered.
    private static async Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> SubmitReport(int id, IfMatch ifMatch, Caller caller, DbConnection db) =>
        Answer(await SubmitAsync(db, caller, id, ifMatch));

    private static async Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> AcceptReport(int id, IfMatch ifMatch, Caller caller, DbConnection db) =>
        Answer(await AcceptAsync(db, caller, id, ifMatch));

    private static async Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> ReturnReport(
        int id, ReturnReportRequest request, IfMatch ifMatch, Caller caller, DbConnection db) =>
        Answer(await ReturnAsync(db, caller, id, request.Comment!, ifMatch));

    private static Results<Ok<EvaluationReportDto>, ProblemHttpResult> Answer(Outcome<EvaluationReportDto> outcome) =>
        outcome is Outcome<EvaluationReportDto>.Stored stored ? TypedResults.Ok(stored.Value) : outcome.Problem();

    /// <summary>Submits the draft (the JSON route and the workspace's report page): the course's country expert, the course delivered with attendance.</summary>
    public static Task<Outcome<EvaluationReportDto>> SubmitAsync(DbConnection db, Caller caller, int id, IfMatch ifMatch) =>
        MoveAsync(id, ifMatch, caller, db, ReportState.Draft,
            course => course.IsExpert(caller) ? null : "Only the course's country expert submits its evaluation report.",
            async (course, transaction) =>
                course.Status != "delivered"
                    ? $"Course {id} is {course.Status}: a report is submitted once the course is delivered."
                    : !await db.ExecuteScalarAsync<bool>(
                        "SELECT EXISTS (SELECT 1 FROM attendance a JOIN course_sessions s ON s.id = a.session_id WHERE s.course_id = @id)",
                        new { id }, transaction)
                        ? $"Course {id} has no attendance recorded: record it (PUT /api/courses/{id}/sessions/{{sessionId}}/attendance) before submitting."
                        : null,
            """
            UPDATE evaluation_reports SET state = 'submitted', submitted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), submitted_by = @userId,
                return_comment = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE course_id = @id
            """,
            null);

    /// <summary>Accepts a submitted report (the JSON route and the workspace's review page); the course becomes evaluated.</summary>
    public static Task<Outcome<EvaluationReportDto>> AcceptAsync(DbConnection db, Caller caller, int id, IfMatch ifMatch) =>
        MoveAsync(id, ifMatch, caller, db, ReportState.Submitted, _ => null,
            (course, _) => Task.FromResult(course.Status != "delivered"
                ? $"Course {id} is {course.Status}: a report is accepted while its course is delivered, which acceptance makes evaluated."
                : null),
            """
            UPDATE evaluation_reports SET state = 'accepted', accepted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), accepted_by = @userId,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE course_id = @id;
            UPDATE courses SET status = 'evaluated', version = version + 1 WHERE id = @id;
            """,
            null);

    /// <summary>
    /// Returns a submitted report to its expert with a comment (the JSON route and the workspace's review page); the comment's
    /// rules are <see cref="ReturnReportRequest"/>'s, checked before this by the route's validation or the page's.
    /// </summary>
    public static Task<Outcome<EvaluationReportDto>> ReturnAsync(DbConnection db, Caller caller, int id, string comment, IfMatch ifMatch) =>
        MoveAsync(id, ifMatch, caller, db, ReportState.Submitted, _ => null, null,
            """
            UPDATE evaluation_reports SET state = 'draft', return_comment = @comment,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE course_id = @id
            """,
            comment);

    /// <summary>One workflow step: the course in the caller's scope, the caller allowed, the report in the expected state, then the update.</summary>
    private static async Task<Outcome<EvaluationReportDto>> MoveAsync(
        int id, IfMatch ifMatch, Caller caller, DbConnection db, ReportState from, Func<EvaluationCourse, string?> forbidden,
        Func<EvaluationCourse, DbTransaction, Task<string?>>? conflict, string update, string? comment)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await EvaluationCourse.ReadAsync(db, id, caller, transaction);
        if (course is null)
        {
            return new Outcome<EvaluationReportDto>.NotFound("Course", id);
        }

        if (forbidden(course) is { } reason)
        {
            return new Outcome<EvaluationReportDto>.Forbidden(reason);
        }

        var current = await ReadStateAsync(db, id, transaction);
        if (current is null)
        {
            return new Outcome<EvaluationReportDto>.NotFound("Evaluation report of course", id);
        }

        if (!ifMatch.Matches(current.Version))
        {
            return new Outcome<EvaluationReportDto>.PreconditionFailed();
        }

        if (current.State != from)
        {
            return new Outcome<EvaluationReportDto>.Conflict($"The report is {current.State.ToWire()}; this step needs it {from.ToWire()}.");
        }

        if (conflict is not null && await conflict(course, transaction) is { } why)
        {
            return new Outcome<EvaluationReportDto>.Conflict(why);
        }

        await db.ExecuteAsync(db.Sql(update), new { id, userId = caller.UserId, comment }, transaction);
        await Mail.ReportMail.MovedAsync(db, transaction, id); // submitted: the steering group; returned: the expert
        var report = await ReadAsync(db, id, caller, transaction);
        write.Commit();
        return new Outcome<EvaluationReportDto>.Stored(report!);
    }

    private static Task<StateRow?> ReadStateAsync(DbConnection db, int id, DbTransaction transaction) =>
        db.QuerySingleOrDefaultAsync<StateRow>(
            "SELECT state AS State, version AS Version FROM evaluation_reports WHERE course_id = @id", new { id }, transaction);

    private static async Task<EvaluationReportDto?> ReadAsync(
        DbConnection db, int id, Caller caller, DbTransaction? transaction, FiguresAsOf asOf = default)
    {
        var row = await db.QuerySingleOrDefaultAsync<ReportRow>(SelectReport + " WHERE r.course_id = @id", new { id }, transaction);
        return row is null ? null : row.ToDto(await ReadFiguresAsync(db, id, caller, transaction, asOf));
    }
}
