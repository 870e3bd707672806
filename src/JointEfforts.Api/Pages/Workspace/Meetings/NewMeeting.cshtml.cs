using System.Data.Common;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Meetings;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Meetings;

/// <summary>
/// <c>/workspace/programmes/{id}/meetings/new</c>: plan a meeting of the programme (coordinators and admin, as
/// <c>POST /api/projects/{id}/meetings</c>), through <see cref="MeetingService.CreateAsync"/>: the same rules and messages.
/// </summary>
[Authorize(Policy = Policies.Pages.Coordinator)]
public sealed class NewMeetingModel(DbConnection db) : WorkspacePageModel
{
    public MeetingProgramme Programme { get; private set; } = null!;

    public MeetingForm Form { get; private set; } = new();

    public async Task<IActionResult> OnGetAsync(int id)
    {
        if (await MeetingProgramme.ReadAsync(db, id) is not { } programme)
        {
            return NotFoundPage("programme");
        }

        Programme = programme;
        Form = new MeetingForm { Kind = MeetingKind.ExpertGroup.ToWire() };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, [FromForm] MeetingForm form)
    {
        if (await MeetingProgramme.ReadAsync(db, id) is not { } programme)
        {
            return NotFoundPage("programme");
        }

        Programme = programme;
        Form = form;
        var (request, errors) = form.ToRequest();
        if (request is not null)
        {
            switch (await MeetingService.CreateAsync(db, id, request))
            {
                case Outcome<MeetingDto>.Stored stored:
                    return LocalRedirect($"/workspace/meetings/{stored.Value.Id}?done=created");
                case Outcome<MeetingDto>.Invalid invalid:
                    errors = PageValidation.From(invalid.Errors);
                    break;
                default:
                    return NotFoundPage("programme");
            }
        }

        return Show(errors, StatusCodes.Status400BadRequest);
    }
}
