using System.Data.Common;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Meetings;
using JointEfforts.Api.Programmes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Meetings;

/// <summary>
/// <c>/workspace/meetings/{id}/edit</c>: change a meeting's facts (coordinators and admin, as <c>PUT /api/meetings/{id}</c>)
/// through <see cref="MeetingService.UpdateAsync"/>. The form carries the version it was shown with, so a change made
/// meanwhile by someone else is said, not overwritten.
/// </summary>
[Authorize(Policy = Policies.Pages.Coordinator)]
public sealed class EditMeetingModel(DbConnection db, TimeProvider time) : WorkspacePageModel
{
    public MeetingDto Meeting { get; private set; } = null!;

    public MeetingProgramme Programme { get; private set; } = null!;

    public MeetingForm Form { get; private set; } = new();

    public async Task<IActionResult> OnGetAsync(int id)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("meeting");
        }

        Form = MeetingForm.Of(Meeting);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, [FromForm] MeetingForm form, [FromForm] string? version)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("meeting");
        }

        Form = form;
        var (request, errors) = form.ToRequest();
        if (request is not null)
        {
            switch (await MeetingService.UpdateAsync(db, id, request, FormReader.Shown(version), PhasesApi.Today(time)))
            {
                case Outcome<MeetingDto>.Stored:
                    return LocalRedirect($"/workspace/meetings/{id}?done=changed");
                case Outcome<MeetingDto>.Invalid invalid:
                    errors = PageValidation.From(invalid.Errors);
                    break;
                case Outcome<MeetingDto>.Conflict conflict:
                    errors[""] = conflict.Detail;
                    return Show(errors, StatusCodes.Status409Conflict);
                case Outcome<MeetingDto>.PreconditionFailed:
                    errors[""] = "Someone changed this meeting while you had it open: what you see now is what is stored. Make your change again.";
                    Form = MeetingForm.Of(Meeting);
                    return Show(errors, StatusCodes.Status409Conflict);
                default:
                    return NotFoundPage("meeting");
            }
        }

        return Show(errors, StatusCodes.Status400BadRequest);
    }

    private async Task<bool> LoadAsync(int id)
    {
        if (await MeetingService.ReadAsync(db, id) is not { } meeting
            || await MeetingProgramme.ReadAsync(db, meeting.ProjectId) is not { } programme)
        {
            return false;
        }

        (Meeting, Programme) = (meeting, programme);
        return true;
    }
}
