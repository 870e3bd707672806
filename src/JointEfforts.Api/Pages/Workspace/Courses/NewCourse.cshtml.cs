using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Courses;

/// <summary>
/// <c>/workspace/programmes/{id}/courses/new</c>: a coordinator creates a course of a programme, in draft, through
/// <see cref="CourseService.CreateAsync"/> as <c>POST /api/projects/{id}/courses</c> does (the same roles, checks and
/// messages, beside the field). Created, it opens the new course's page.
/// </summary>
[Authorize(Policy = Policies.Pages.Coordinator)]
public sealed class NewCourseModel(DbConnection db) : WorkspacePageModel
{
    public int ProgrammeId { get; private set; }

    public string ProgrammeTitle { get; private set; } = "";

    public CourseForm Form { get; private set; } = CourseForm.New();

    public CourseFormChoices Choices { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id) =>
        await LoadAsync(id) ? Page() : NotFoundPage("programme");

    public async Task<IActionResult> OnPostAsync(int id, [FromForm] CourseForm form)
    {
        Form = form;
        if (!await LoadAsync(id))
        {
            return NotFoundPage("programme");
        }

        var (request, errors) = form.ToRequest();
        if (request is not null)
        {
            switch (await CourseService.CreateAsync(db, id, request))
            {
                case Outcome<CourseDto>.Stored stored:
                    return LocalRedirect($"/workspace/courses/{stored.Value.Id}?done=created");
                case Outcome<CourseDto>.Invalid invalid:
                    errors = PageValidation.From(invalid.Errors);
                    break;
                default:
                    return NotFoundPage("programme");
            }
        }

        return Show(errors, StatusCodes.Status400BadRequest);
    }

    private async Task<bool> LoadAsync(int id)
    {
        if (await db.QuerySingleOrDefaultAsync<string>("SELECT title FROM projects WHERE id = @id", new { id }) is not { } title)
        {
            return false;
        }

        ProgrammeId = id;
        ProgrammeTitle = title;
        Choices = await CourseFormChoices.ReadAsync(db, id, Form);
        return true;
    }
}
