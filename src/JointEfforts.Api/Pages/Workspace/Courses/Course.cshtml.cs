using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Courses;

/// <summary>
/// <c>/workspace/courses/{id}</c>: a course and its sessions, for coordinators (who add, change and remove sessions) and
/// the country expert of its country. The course is read as <c>GET /api/courses/{id}</c> reads it (scoped to the caller's
/// country: another country's course is a 404 page); sessions are written by <see cref="SessionService"/>, as the JSON
/// routes write them.
/// </summary>
[Authorize(Policy = Policies.Pages.CourseStaff)]
public sealed class CourseModel(DbConnection db) : WorkspacePageModel
{
    public CourseDto Course { get; private set; } = null!;

    public IReadOnlyList<SessionDto> Sessions { get; private set; } = [];

    public SessionForm NewSession { get; private set; } = new();

    public bool MayEdit => Me.Is(Role.Admin, Role.Coordinator);

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, string? done)
    {
        Done = done switch
        {
            "added" => "The session was added.",
            "changed" => "The session was changed.",
            "removed" => "The session was removed.",
            _ => null,
        };
        return await LoadAsync(id) ? Page() : NotFoundPage("course");
    }

    public async Task<IActionResult> OnPostAddSessionAsync(int id, [FromForm] SessionForm form)
    {
        if (!MayEdit)
        {
            return Forbid(WorkspaceSessions.Scheme);
        }

        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        NewSession = form;
        var (request, errors) = form.ToRequest();
        if (request is not null)
        {
            switch (await SessionService.CreateAsync(db, Me, id, request))
            {
                case Outcome<SessionDto>.Stored:
                    return LocalRedirect($"/workspace/courses/{id}?done=added#sessions");
                case Outcome<SessionDto>.Invalid invalid:
                    errors = PageValidation.From(invalid.Errors);
                    break;
                case Outcome<SessionDto>.Conflict conflict:
                    errors[""] = conflict.Detail;
                    Response.StatusCode = StatusCodes.Status409Conflict;
                    break;
                default:
                    return NotFoundPage("course");
            }
        }

        foreach (var (field, message) in errors)
        {
            Errors[field] = message;
        }

        if (Response.StatusCode == StatusCodes.Status200OK)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    private async Task<bool> LoadAsync(int id)
    {
        if (await CoursesApi.ReadAsync(db, id, Me.CountryScope) is not { } course)
        {
            return false;
        }

        Course = course;
        Sessions = (await db.QueryAsync<SessionDto>(
            SessionService.SelectSession + " WHERE s.course_id = @id ORDER BY s.date, s.start_time, s.id", new { id })).ToList();
        return true;
    }
}
