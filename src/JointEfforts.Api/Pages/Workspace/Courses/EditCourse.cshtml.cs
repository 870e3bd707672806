using System.Data.Common;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Courses;

/// <summary>
/// <c>/workspace/courses/{id}/edit</c>: a coordinator changes a course through <see cref="CourseService.UpdateAsync"/>, as
/// <c>PUT /api/courses/{id}</c> does. The form carries the version it was shown with (the ETag of the JSON route): if someone
/// changed the course meanwhile, nothing is saved and the page says so, showing what is stored now. An evaluated or
/// cancelled course is final: the page says so and offers no form (a POST is the API's 409).
/// </summary>
[Authorize(Policy = Policies.Pages.Coordinator)]
public sealed class EditCourseModel(DbConnection db, TimeProvider time) : WorkspacePageModel
{
    public CourseDto Course { get; private set; } = null!;

    public CourseForm Form { get; private set; } = new();

    public CourseFormChoices Choices { get; private set; } = null!;

    /// <summary>The version the form was shown with: what it is saved against.</summary>
    public long Version { get; private set; }

    public bool Final => Course.Status is CourseStatus.Evaluated or CourseStatus.Cancelled;

    public async Task<IActionResult> OnGetAsync(int id)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        Form = CourseForm.Of(Course);
        Version = Course.Version;
        Choices = await CourseFormChoices.ReadAsync(db, Course.ProjectId, Form);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, [FromForm] CourseForm form, [FromForm] string? version)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        Form = form;
        Version = long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var shown) ? shown : -1;
        var status = StatusCodes.Status400BadRequest;
        var (request, errors) = form.ToRequest();
        if (request is not null)
        {
            switch (await CourseService.UpdateAsync(db, id, request, new IfMatch(true, false, Version), time))
            {
                case Outcome<CourseDto>.Stored:
                    return LocalRedirect($"/workspace/courses/{id}?done=saved");
                case Outcome<CourseDto>.Invalid invalid:
                    errors = PageValidation.From(invalid.Errors);
                    break;
                case Outcome<CourseDto>.Conflict conflict:
                    errors[""] = conflict.Detail;
                    status = StatusCodes.Status409Conflict;
                    break;
                case Outcome<CourseDto>.PreconditionFailed:
                    errors[""] = "Someone changed this course while you had it open: nothing was saved. What you see now is what is stored; make your change again.";
                    await LoadAsync(id);
                    Form = CourseForm.Of(Course);
                    Version = Course.Version;
                    status = StatusCodes.Status409Conflict;
                    break;
                default:
                    return NotFoundPage("course");
            }
        }

        foreach (var (field, message) in errors)
        {
            Errors[field] = message;
        }

        Choices = await CourseFormChoices.ReadAsync(db, Course.ProjectId, Form);
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(int id)
    {
        if (await CoursesApi.ReadAsync(db, id, Me.CountryScope) is not { } course)
        {
            return false;
        }

        Course = course;
        return true;
    }
}
