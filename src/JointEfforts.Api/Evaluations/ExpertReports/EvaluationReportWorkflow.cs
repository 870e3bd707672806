using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Evaluations.Figures;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Evaluations;

/// <summary>The report's workflow: submit, accept, return, each one step in one BEGIN IMMEDIATE transaction.</summary>
public static partial class EvaluationReportsApi
{
    // A report is on a course that took place: submitted once the course is delivered and its attendance recorded
    // (participantsAttended and the figures mean nothing before), accepted while the course is delivered.
    private static Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> SubmitReport(int id, IfMatch ifMatch, Caller caller, SqliteConnection db) =>
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

    private static Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> AcceptReport(int id, IfMatch ifMatch, Caller caller, SqliteConnection db) =>
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

    private static Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> ReturnReport(
        int id, ReturnReportRequest request, IfMatch ifMatch, Caller caller, SqliteConnection db) =>
        MoveAsync(id, ifMatch, caller, db, ReportState.Submitted, _ => null, null,
            """
            UPDATE evaluation_reports SET state = 'draft', return_comment = @comment,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE course_id = @id
            """,
            request.Comment);

    /// <summary>One workflow step: the course in the caller's scope, the caller allowed, the report in the expected state, then the update.</summary>
    private static async Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> MoveAsync(
        int id, IfMatch ifMatch, Caller caller, SqliteConnection db, ReportState from, Func<EvaluationCourse, string?> forbidden,
        Func<EvaluationCourse, SqliteTransaction, Task<string?>>? conflict, string update, string? comment)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await EvaluationCourse.ReadAsync(db, id, caller, transaction);
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        if (forbidden(course) is { } reason)
        {
            return Problems.Forbidden(reason);
        }

        var current = await ReadStateAsync(db, id, transaction);
        if (current is null)
        {
            return Problems.NotFound("Evaluation report of course", id);
        }

        if (!ifMatch.Matches(current.Version))
        {
            return Problems.PreconditionFailed();
        }

        if (current.State != from)
        {
            return Problems.Conflict($"The report is {current.State.ToWire()}; this step needs it {from.ToWire()}.");
        }

        if (conflict is not null && await conflict(course, transaction) is { } why)
        {
            return Problems.Conflict(why);
        }

        await db.ExecuteAsync(update, new { id, userId = caller.UserId, comment }, transaction);
        await Mail.ReportMail.MovedAsync(db, transaction, id); // submitted: the steering group; returned: the expert
        var report = await ReadAsync(db, id, caller, transaction);
        write.Commit();
        return TypedResults.Ok(report!);
    }

    private static Task<StateRow?> ReadStateAsync(SqliteConnection db, int id, SqliteTransaction transaction) =>
        db.QuerySingleOrDefaultAsync<StateRow>(
            "SELECT state AS State, version AS Version FROM evaluation_reports WHERE course_id = @id", new { id }, transaction);

    private static async Task<EvaluationReportDto?> ReadAsync(SqliteConnection db, int id, Caller caller, SqliteTransaction? transaction)
    {
        var row = await db.QuerySingleOrDefaultAsync<ReportRow>(SelectReport + " WHERE r.course_id = @id", new { id }, transaction);
        return row is null ? null : row.ToDto(await ReadFiguresAsync(db, id, caller, transaction));
    }
}
