using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Courses;

/// <summary>
/// <c>/workspace/courses/{id}/sessions/{sessionId}</c>: change or remove a session (coordinators), through
/// <see cref="SessionService"/> as <c>PUT</c>/<c>DELETE /api/courses/{id}/sessions/{sessionId}</c> do. The form carries the
/// version it was shown with, so a change made meanwhile by someone else is said, not overwritten. Once attendance has
/// been taken the page says so and offers nothing to change (409 on a POST).
/// </summary>
[Authorize(Policy = Policies.Pages.Coordinator)]
public sealed class SessionModel(DbConnection db) : WorkspacePageModel
{
    public CourseDto Course { get; private set; } = null!;

    public SessionDto Session { get; private set; } = null!;

    public SessionForm Form { get; private set; } = new();

    public async Task<IActionResult> OnGetAsync(int id, int sessionId)
    {
        if (!await LoadAsync(id, sessionId))
        {
            return NotFoundPage("session");
        }

        Form = SessionForm.Of(Session);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, int sessionId, [FromForm] SessionForm form, [FromForm] long version)
    {
        if (!await LoadAsync(id, sessionId))
        {
            return NotFoundPage("session");
        }

        Form = form;
        var (request, errors) = form.ToRequest();
        if (request is not null)
        {
            var outcome = await SessionService.UpdateAsync(db, Me, id, sessionId, request, new IfMatch(true, false, version));
            if (outcome is Outcome<SessionDto>.Stored)
            {
                return LocalRedirect($"/workspace/courses/{id}?done=changed#sessions");
            }

            if (Refused(outcome, errors) is { } result)
            {
                return result;
            }
        }

        return Show(errors, StatusCodes.Status400BadRequest);
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, int sessionId, [FromForm] long version)
    {
        if (!await LoadAsync(id, sessionId))
        {
            return NotFoundPage("session");
        }

        Form = SessionForm.Of(Session);
        var outcome = await SessionService.DeleteAsync(db, Me, id, sessionId, new IfMatch(true, false, version));
        if (outcome is Outcome<SessionDto>.Stored)
        {
            return LocalRedirect($"/workspace/courses/{id}?done=removed#sessions");
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        return Refused(outcome, errors) ?? Show(errors, StatusCodes.Status400BadRequest);
    }

    private IActionResult? Refused(Outcome<SessionDto> outcome, Dictionary<string, string> errors)
    {
        switch (outcome)
        {
            case Outcome<SessionDto>.Invalid invalid:
                foreach (var (field, message) in PageValidation.From(invalid.Errors))
                {
                    errors[field] = message;
                }

                return null;
            case Outcome<SessionDto>.Conflict conflict:
                errors[""] = conflict.Detail;
                return Show(errors, StatusCodes.Status409Conflict);
            case Outcome<SessionDto>.PreconditionFailed:
                errors[""] = "Someone changed this session while you had it open: what you see now is what is stored. Make your change again.";
                Form = SessionForm.Of(Session);
                return Show(errors, StatusCodes.Status409Conflict);
            default:
                return NotFoundPage("session");
        }
    }

    private async Task<bool> LoadAsync(int id, int sessionId)
    {
        if (await CoursesApi.ReadAsync(db, id, Me.CountryScope) is not { } course)
        {
            return false;
        }

        Course = course;
        var session = await db.QuerySingleOrDefaultAsync<SessionDto>(
            SessionService.SelectSession + " WHERE s.id = @sessionId AND s.course_id = @id", new { id, sessionId });
        Session = session!;
        return session is not null;
    }
}
