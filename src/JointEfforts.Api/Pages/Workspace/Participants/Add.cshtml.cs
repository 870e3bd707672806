using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Participants;

/// <summary>
/// <c>/workspace/courses/{id}/participants/add</c> (coordinators): search the programme's participants as
/// <c>GET /api/participants</c> does (name, organisation, e-mail; sector; country) and enrol one through
/// <see cref="EnrolmentService"/>; or register someone new with the fields and messages of <c>POST /api/participants</c>
/// and enrol them in the same transaction.
/// </summary>
[Authorize(Policy = Policies.Pages.Coordinator)]
public sealed class AddModel(DbConnection db) : WorkspacePageModel
{
    public const int PageSize = 20;

    public CourseDto Course { get; private set; } = null!;

    public SearchForm Search { get; private set; } = new();

    /// <summary>Null until a search was made.</summary>
    public Paged<ParticipantDto>? Found { get; private set; }

    /// <summary>Participant → their live enrolment's status in this course (enrolled or waitlisted, as stored).</summary>
    public Dictionary<int, string> InCourse { get; private set; } = [];

    public ParticipantForm New { get; private set; } = new();

    /// <summary>Which form the <see cref="WorkspacePageModel.Errors"/> belong to: "search", "enrol" or "new".</summary>
    public string? ErrorsOf { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, [FromQuery] SearchForm search)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        New = new ParticipantForm { CountryCode = Course.CountryCode };
        if (await SearchAsync(search) is { } errors)
        {
            Show("search", errors, StatusCodes.Status400BadRequest);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostEnrolAsync(int id, [FromForm] int participantId, [FromForm] SearchForm search)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        New = new ParticipantForm { CountryCode = Course.CountryCode };
        var outcome = await EnrolmentService.EnrolAsync(db, id, participantId);
        if (outcome is Outcome<EnrolmentDto>.Stored stored)
        {
            return LocalRedirect($"/workspace/courses/{id}/participants?enrolled={stored.Value.Id}#done");
        }

        await SearchAsync(search);
        return Refused("enrol", outcome);
    }

    public async Task<IActionResult> OnPostCreateAsync(int id, [FromForm] ParticipantForm form)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        New = form;
        var (request, errors) = form.ToRequest();
        if (request is null)
        {
            return Show("new", errors, StatusCodes.Status400BadRequest);
        }

        var outcome = await EnrolmentService.RegisterAndEnrolAsync(db, id, request);
        return outcome is Outcome<EnrolmentDto>.Stored stored
            ? LocalRedirect($"/workspace/courses/{id}/participants?enrolled={stored.Value.Id}#done")
            : Refused("new", outcome);
    }

    private IActionResult Refused(string form, Outcome<EnrolmentDto> outcome) => outcome switch
    {
        Outcome<EnrolmentDto>.Invalid invalid => Show(form, PageValidation.From(invalid.Errors), StatusCodes.Status400BadRequest),
        Outcome<EnrolmentDto>.Conflict conflict => Show(form, new() { [""] = conflict.Detail }, StatusCodes.Status409Conflict),
        _ => NotFoundPage("course"),
    };

    private IActionResult Show(string form, Dictionary<string, string> errors, int status)
    {
        ErrorsOf = form;
        foreach (var (field, message) in errors)
        {
            Errors[field] = message;
        }

        Response.StatusCode = status;
        return Page();
    }

    /// <summary>Runs the search when one was asked for; the query's faults in the API's words, or null.</summary>
    private async Task<Dictionary<string, string>?> SearchAsync(SearchForm search)
    {
        Search = search;
        if (!search.Asked)
        {
            return null;
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var sector = ParticipantForm.Choice<Sector>("sector", search.Sector, errors);
        var country = string.IsNullOrWhiteSpace(search.CountryCode) ? null : search.CountryCode.Trim().ToUpperInvariant();
        var query = new ParticipantQuery(search.Q, country, sector is { } s ? new EnumQuery<Sector>(s) : null);
        var paging = new PageRequest { Page = search.Page, PageSize = PageSize };
        foreach (var (field, message) in PageValidation.Check(query).Concat(PageValidation.Check(paging)))
        {
            errors.TryAdd(field, message);
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        Found = await ParticipantsApi.SearchAsync(db, Me, query, paging);
        var ids = Found.Items.Select(p => p.Id).ToList();
        InCourse = (await db.QueryAsync<(long ParticipantId, string Status)>(
                db.IsPostgres() // Dapper expands IN @ids on SQLite; Npgsql takes the list as an array
                    ? "SELECT participant_id, status FROM enrolments WHERE course_id = @id AND status IN ('enrolled', 'waitlisted') AND participant_id = ANY(@ids)"
                    : "SELECT participant_id, status FROM enrolments WHERE course_id = @id AND status IN ('enrolled', 'waitlisted') AND participant_id IN @ids",
                new { id = Course.Id, ids }))
            .ToDictionary(e => (int)e.ParticipantId, e => e.Status);
        return null;
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

    /// <summary>The search as the browser sends it (a GET form; the enrol buttons post it back so the list stays).</summary>
    public sealed class SearchForm
    {
        public string? Q { get; set; }

        public string? Sector { get; set; }

        public string? CountryCode { get; set; }

        public int? Page { get; set; }

        /// <summary>"1" when the search form was sent (an empty search lists everyone).</summary>
        public string? Searched { get; set; }

        public bool Asked => Searched is not null || Q is not null || Sector is not null || CountryCode is not null;
    }
}
