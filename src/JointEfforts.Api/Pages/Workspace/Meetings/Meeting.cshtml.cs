using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Meetings;
using JointEfforts.Api.Programmes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Meetings;

/// <summary>
/// <c>/workspace/meetings/{id}</c>: a meeting with its facts, attendees, conclusions and recommendations. Everyone signed in
/// reads it, as everyone may <c>GET /api/meetings/{id}</c> and its recommendations (meetings are not scoped to a country);
/// the attendees' names only the roles that may list them (<see cref="Policies.Reader"/>: not a country expert); the writes
/// (attendees, conclusions, recommendations) only the roles of the JSON routes' <see cref="Policies.Coordinator"/>, through
/// <see cref="AttendeeService"/>, <see cref="MeetingService"/> and <see cref="RecommendationService"/>: one set of rules.
/// Each form's fields have ids of their own (<c>attendee-fullName</c>) and the API's field names (<c>fullName</c>).
/// </summary>
[Authorize(Policy = Policies.Pages.AnyUser)]
public sealed class MeetingModel(DbConnection db, TimeProvider time) : WorkspacePageModel
{
    public MeetingDto Meeting { get; private set; } = null!;

    public string ProgrammeTitle { get; private set; } = "";

    public string? PhaseName { get; private set; }

    public IReadOnlyList<AttendeeDto> Attendees { get; private set; } = [];

    public IReadOnlyList<RecommendationDto> Recommendations { get; private set; } = [];

    public AttendeeForm NewAttendee { get; private set; } = new();

    public string? Conclusions { get; private set; }

    public RecommendationForm NewRecommendation { get; private set; } = new();

    public string? Done { get; private set; }

    /// <summary>The roles that may write meetings in the API (POST/PUT/DELETE under /api/meetings).</summary>
    public bool MayWrite => Policies.RolesOf[Policies.Coordinator].Contains(Me.Role);

    /// <summary>The roles that may list a meeting's attendees in the API (names of people).</summary>
    public bool MaySeeAttendees => Policies.RolesOf[Policies.Reader].Contains(Me.Role);

    public async Task<IActionResult> OnGetAsync(int id, string? done)
    {
        Done = done switch
        {
            "created" => "The meeting was planned.",
            "changed" => "The meeting was changed.",
            "attendee-added" => "The attendee was added.",
            "attendee-removed" => "The attendee was removed.",
            "conclusions" => "The conclusions were saved.",
            "recommendation-added" => "The recommendation was added.",
            "recommendation-changed" => "The recommendation's follow-up was saved.",
            _ => null,
        };
        return await LoadAsync(id) ? Page() : NotFoundPage("meeting");
    }

    /// <summary>A POST that names no handler of this page (or one it does not have): nothing to do, and never the page half-loaded.</summary>
    public IActionResult OnPost() => NotFoundPage("form on this page");

    public async Task<IActionResult> OnPostAddAttendeeAsync(int id, [FromForm] AttendeeForm form)
    {
        if (!MayWrite)
        {
            return Forbid(WorkspaceSessions.Scheme);
        }

        if (!await LoadAsync(id))
        {
            return NotFoundPage("meeting");
        }

        NewAttendee = form;
        var (request, errors) = form.ToRequest();
        if (request is null)
        {
            return Show("attendee", errors);
        }

        var outcome = await AttendeeService.AddAsync(db, id, request);
        return outcome is Outcome<AttendeeDto>.Stored ? Redirect(id, "attendee-added", "attendees") : Refused("attendee", outcome);
    }

    public async Task<IActionResult> OnPostRemoveAttendeeAsync(int id, [FromForm] string? attendeeId)
    {
        if (!MayWrite)
        {
            return Forbid(WorkspaceSessions.Scheme);
        }

        if (!await LoadAsync(id))
        {
            return NotFoundPage("meeting");
        }

        if (!int.TryParse(attendeeId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var attendee))
        {
            return NotFoundPage("attendee");
        }

        // The page shows attendees as they are; an attendee is never changed, so the version is theirs (always 1).
        var outcome = await AttendeeService.RemoveAsync(db, id, attendee, new IfMatch(true, false, AttendeeService.AttendeeVersion));
        return outcome switch
        {
            Outcome<AttendeeDto>.Stored => Redirect(id, "attendee-removed", "attendees"),
            Outcome<AttendeeDto>.NotFound => NotFoundPage("attendee"),
            _ => Refused("attendee", outcome),
        };
    }

    public async Task<IActionResult> OnPostConclusionsAsync(int id, [FromForm] string? text, [FromForm] string? version)
    {
        if (!MayWrite)
        {
            return Forbid(WorkspaceSessions.Scheme);
        }

        if (!await LoadAsync(id))
        {
            return NotFoundPage("meeting");
        }

        Conclusions = text;
        var read = new FormReader();
        var request = new ConclusionsRequest(read.Text("text", text, multiLine: true));
        read.Check(request);
        if (read.Errors.Count > 0)
        {
            return Show("conclusions", read.Errors);
        }

        var outcome = await MeetingService.SetConclusionsAsync(db, id, request, FormReader.Shown(version), PhasesApi.Today(time));
        switch (outcome)
        {
            case Outcome<MeetingDto>.Stored:
                return Redirect(id, "conclusions", "conclusions");
            case Outcome<MeetingDto>.PreconditionFailed:
                Conclusions = Meeting.Conclusions;
                return Show("conclusions", new Dictionary<string, string>
                {
                    [""] = "Someone changed this meeting while you had it open: the conclusions you see now are those stored. Make your change again.",
                }, StatusCodes.Status409Conflict);
            default:
                return Refused("conclusions", outcome);
        }
    }

    public async Task<IActionResult> OnPostAddRecommendationAsync(int id, [FromForm] RecommendationForm form)
    {
        if (!MayWrite)
        {
            return Forbid(WorkspaceSessions.Scheme);
        }

        if (!await LoadAsync(id))
        {
            return NotFoundPage("meeting");
        }

        NewRecommendation = form;
        var (request, errors) = form.ToNewRequest();
        if (request is null)
        {
            return Show("recommendation", errors);
        }

        var outcome = await RecommendationService.CreateAsync(db, id, request, PhasesApi.Today(time));
        return outcome is Outcome<RecommendationDto>.Stored
            ? Redirect(id, "recommendation-added", "recommendations")
            : Refused("recommendation", outcome);
    }

    private IActionResult Redirect(int id, string done, string section) => LocalRedirect($"/workspace/meetings/{id}?done={done}#{section}");

    /// <summary>A service's refusal: its field messages beside the fields, a conflict above the form, an unknown meeting a 404 page.</summary>
    private IActionResult Refused<T>(string form, Outcome<T> outcome) => outcome switch
    {
        Outcome<T>.Invalid invalid => Show(form, PageValidation.From(invalid.Errors)),
        Outcome<T>.Conflict conflict => Show(form, new Dictionary<string, string> { [""] = conflict.Detail }, StatusCodes.Status409Conflict),
        Outcome<T>.PreconditionFailed => Show(form, new Dictionary<string, string>
        {
            [""] = "Someone changed this meeting while you had it open: what you see now is what is stored. Make your change again.",
        }, StatusCodes.Status409Conflict),
        _ => NotFoundPage("meeting"),
    };

    /// <summary>The page again with the form's messages (keys prefixed with the form, as its fields' ids are).</summary>
    private IActionResult Show(string form, Dictionary<string, string> errors, int status = StatusCodes.Status400BadRequest)
    {
        foreach (var (field, message) in errors)
        {
            Errors[field.Length == 0 ? "" : $"{form}-{field}"] = message;
        }

        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(int id)
    {
        if (await MeetingService.ReadAsync(db, id) is not { } meeting)
        {
            return false;
        }

        Meeting = meeting;
        Conclusions = meeting.Conclusions;
        using var results = await db.QueryMultipleAsync(
            """
            SELECT title FROM projects WHERE id = @projectId;
            SELECT name FROM phases WHERE id = @phaseId;
            """ + (MaySeeAttendees ? AttendeeService.SelectAttendee + " WHERE a.meeting_id = @id ORDER BY a.id;" : ""),
            new { id, projectId = meeting.ProjectId, phaseId = meeting.PhaseId });
        ProgrammeTitle = await results.ReadSingleAsync<string>();
        PhaseName = await results.ReadSingleOrDefaultAsync<string>();
        Attendees = MaySeeAttendees ? (await results.ReadAsync<AttendeeDto>()).ToList() : [];
        Recommendations = await RecommendationService.OfMeetingAsync(db, id, PhasesApi.Today(time));
        return true;
    }
}
