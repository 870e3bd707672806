using System.Data.Common;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Reports;

/// <summary>
/// <c>/workspace/reports/{id}</c>: a submitted evaluation report before the steering group, who accept it
/// (<see cref="EvaluationReportsApi.AcceptAsync"/>) or return it with a comment (<see cref="EvaluationReportsApi.ReturnAsync"/>,
/// the comment checked by <see cref="ReturnReportRequest"/>'s rules, as the JSON route checks it). Steering group and admins.
/// </summary>
[Authorize(Policy = Policies.Pages.SteeringGroup)]
public sealed class ReviewModel(DbConnection db) : WorkspacePageModel
{
    public CourseDto Course { get; private set; } = null!;

    public EvaluationReportDto Report { get; private set; } = null!;

    public string? Comment { get; private set; }

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, string? done)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("report");
        }

        Done = done switch
        {
            "accepted" => "The report was accepted and the course is now evaluated.",
            "returned" => "The report was returned to its country expert with your comment.",
            _ => null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAcceptAsync(int id, [FromForm] long version)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("report");
        }

        var outcome = await EvaluationReportsApi.AcceptAsync(db, Me, id, new IfMatch(true, false, version));
        return outcome is Outcome<EvaluationReportDto>.Stored
            ? LocalRedirect($"/workspace/reports/{id}?done=accepted")
            : await RefusedAsync(id, outcome);
    }

    public async Task<IActionResult> OnPostReturnAsync(int id, [FromForm] string? comment, [FromForm] long version)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("report");
        }

        Comment = comment;
        var request = new ReturnReportRequest(string.IsNullOrWhiteSpace(comment) ? null : comment.Trim());
        foreach (var (field, message) in PageValidation.Check(request))
        {
            Errors[field] = message;
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var outcome = await EvaluationReportsApi.ReturnAsync(db, Me, id, request.Comment!, new IfMatch(true, false, version));
        return outcome is Outcome<EvaluationReportDto>.Stored
            ? LocalRedirect($"/workspace/reports/{id}?done=returned")
            : await RefusedAsync(id, outcome);
    }

    private async Task<IActionResult> RefusedAsync(int id, Outcome<EvaluationReportDto> outcome)
    {
        switch (outcome)
        {
            case Outcome<EvaluationReportDto>.Conflict conflict:
                Errors[""] = conflict.Detail;
                break;
            case Outcome<EvaluationReportDto>.PreconditionFailed:
                Errors[""] = "The report changed while you had it open: read it again before deciding.";
                break;
            default:
                return NotFoundPage("report");
        }

        await LoadAsync(id);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task<bool> LoadAsync(int id)
    {
        if (await CoursesApi.ReadAsync(db, id, Me.CountryScope) is not { } course
            || await EvaluationReportsApi.ReportAsync(db, Me, id) is not { } report || report.Version == 0)
        {
            return false;
        }

        (Course, Report) = (course, report);
        return true;
    }
}
