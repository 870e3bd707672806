using System.Data.Common;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Reports;

/// <summary>
/// <c>/workspace/courses/{id}/report</c>: the country expert's evaluation report, prefilled with its figures as
/// <c>GET /api/courses/{id}/evaluation-report</c> answers it, saved as a draft through
/// <see cref="EvaluationReportsApi.WriteAsync"/> (the PUT's rules) and submitted through
/// <see cref="EvaluationReportsApi.SubmitAsync"/> (only once the course is delivered: the 409's reason is shown). A returned
/// report shows the steering group's comment. The roles are the routes': every role reads it (as <c>GET</c>, a country expert
/// only in their country: another's is a 404 page), and only those the <c>PUT</c>/<c>submit</c> routes let write
/// (<see cref="Policies.CountryExpert"/>, then <see cref="EvaluationCourse.IsExpert"/>) get the form; to the others
/// (coordinators, the steering group) it is a read-only page, and a forged post is a 403 page.
/// </summary>
[Authorize(Policy = Policies.Pages.AnyUser)]
public sealed class ReportModel(DbConnection db, IAuthorizationService authorization) : WorkspacePageModel
{
    public CourseDto Course { get; private set; } = null!;

    public EvaluationReportDto Report { get; private set; } = null!;

    public ReportForm Form { get; private set; } = new();

    public string? Done { get; private set; }

    /// <summary>Whether the caller may write this report: the write routes' policy and the course's expert (admin stands in).</summary>
    public bool MayWrite { get; private set; }

    private const string ReadOnly = "Only the course's country expert writes its evaluation report: you may read it here.";

    public async Task<IActionResult> OnGetAsync(int id, string? done)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        Form = ReportForm.Of(Report);
        Done = done switch
        {
            "saved" => "The draft was saved.",
            "submitted" => "The report was submitted to the steering group.",
            _ => null,
        };
        return Page();
    }

    public Task<IActionResult> OnPostAsync(int id, [FromForm] ReportForm form, [FromForm] long version) => SaveAsync(id, form, version, submit: false);

    public Task<IActionResult> OnPostSubmitAsync(int id, [FromForm] ReportForm form, [FromForm] long version) => SaveAsync(id, form, version, submit: true);

    /// <summary>Saves the draft and, for the submit button, submits what was just saved: the expert never submits unsaved words.</summary>
    private async Task<IActionResult> SaveAsync(int id, ReportForm form, long version, bool submit)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        if (!MayWrite)
        {
            // A reader's forged post (a coordinator, the steering group, another expert of the country): the write routes' 403.
            Form = ReportForm.Of(Report);
            return Show(new() { [""] = ReadOnly }, StatusCodes.Status403Forbidden);
        }

        Form = form;
        var (request, errors) = form.ToRequest();
        if (request is null)
        {
            return Show(errors, StatusCodes.Status400BadRequest);
        }

        var written = await EvaluationReportsApi.WriteAsync(db, Me, id, request, new IfMatch(true, false, version));
        if (written is not Outcome<WrittenReport>.Stored stored)
        {
            return Refused(written, errors);
        }

        if (!submit)
        {
            return LocalRedirect($"/workspace/courses/{id}/report?done=saved");
        }

        var submitted = await EvaluationReportsApi.SubmitAsync(db, Me, id, new IfMatch(true, false, stored.Value.Report.Version));
        if (submitted is Outcome<EvaluationReportDto>.Stored)
        {
            return LocalRedirect($"/workspace/courses/{id}/report?done=submitted");
        }

        Report = stored.Value.Report;
        if (submitted is Outcome<EvaluationReportDto>.Conflict conflict)
        {
            errors[""] = $"Your draft was saved, but it cannot be submitted yet. {conflict.Detail}";
            return Show(errors, StatusCodes.Status409Conflict);
        }

        return Refused(submitted, errors);
    }

    private IActionResult Refused<T>(Outcome<T> outcome, Dictionary<string, string> errors)
    {
        switch (outcome)
        {
            case Outcome<T>.Invalid invalid:
                foreach (var (field, message) in PageValidation.From(invalid.Errors))
                {
                    errors[field] = message;
                }

                return Show(errors, StatusCodes.Status400BadRequest);
            case Outcome<T>.Conflict conflict:
                errors[""] = conflict.Detail;
                return Show(errors, StatusCodes.Status409Conflict);
            case Outcome<T>.PreconditionFailed:
                errors[""] = "Someone changed this report while you had it open: check it again and save.";
                return Show(errors, StatusCodes.Status409Conflict);
            case Outcome<T>.Forbidden forbidden:
                errors[""] = forbidden.Detail;
                return Show(errors, StatusCodes.Status403Forbidden);
            default:
                return NotFoundPage("course");
        }
    }

    private async Task<bool> LoadAsync(int id)
    {
        if (await CoursesApi.ReadAsync(db, id, Me.CountryScope) is not { } course
            || await EvaluationCourse.ReadAsync(db, id, Me) is not { } evaluationCourse
            || await EvaluationReportsApi.ReportAsync(db, Me, id) is not { } report)
        {
            return false;
        }

        (Course, Report) = (course, report);
        MayWrite = evaluationCourse.IsExpert(Me) && (await authorization.AuthorizeAsync(User, Policies.Pages.CountryExpert)).Succeeded;
        return true;
    }
}
