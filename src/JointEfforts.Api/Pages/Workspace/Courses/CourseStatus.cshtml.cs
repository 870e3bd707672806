using System.Data.Common;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Courses;

/// <summary>
/// <c>/workspace/courses/{id}/status</c>: a coordinator moves a course through its workflow (the course page's buttons post
/// here) with <see cref="CourseService.MoveAsync"/>, as <c>POST /api/courses/{id}/status</c> does. A refused move (not
/// allowed from the status, delivered under the minimum, evaluated without an accepted report) is shown here in the API's
/// own words, with the moves that are possible, and changes nothing. Cancelling, which is final, is asked to be confirmed.
/// </summary>
[Authorize(Policy = Policies.Pages.Coordinator)]
public sealed class CourseStatusModel(DbConnection db, TimeProvider time) : WorkspacePageModel
{
    public CourseDto Course { get; private set; } = null!;

    /// <summary>The move to confirm (only cancelling asks).</summary>
    public CourseStatus? Confirm { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, string? confirm)
    {
        if (await CoursesApi.ReadAsync(db, id, Me.CountryScope) is not { } course)
        {
            return NotFoundPage("course");
        }

        Course = course;
        Confirm = confirm == "cancelled" && CoursesApi.Moves[course.Status].Contains(CourseStatus.Cancelled) ? CourseStatus.Cancelled : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, [FromForm] string? status)
    {
        if (await CoursesApi.ReadAsync(db, id, Me.CountryScope) is not { } course)
        {
            return NotFoundPage("course");
        }

        Course = course;
        if (!TryParse(status, out var target))
        {
            Errors[""] = $"status must be one of: {string.Join(", ", Enum.GetValues<CourseStatus>().Select(s => s.ToWire()))}.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        switch (await CourseService.MoveAsync(db, id, target, time))
        {
            case Outcome<CourseDto>.Stored stored:
                return LocalRedirect($"/workspace/courses/{id}?done={stored.Value.Status.ToWire()}");
            case Outcome<CourseDto>.Conflict conflict:
                Errors[""] = conflict.Detail;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                return NotFoundPage("course");
        }
    }

    private static bool TryParse(string? text, out CourseStatus status)
    {
        status = default;
        return text is { Length: > 0 } && char.IsAsciiLetterLower(text[0])
            && Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status) && status.ToWire() == text;
    }
}
