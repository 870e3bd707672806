using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Courses;

/// <summary>
/// <c>/workspace/courses/{id}/sessions/{sessionId}/attendance</c>: one session's register on a tablet. Everyone enrolled is
/// present unless tapped otherwise (a register already taken shows what was stored); the whole register is saved in one
/// request through <see cref="AttendanceApi.RecordAsync"/>, as <c>PUT .../attendance</c> saves it. Coordinators and the
/// country expert of the course's country; another country's course is a 404 page.
/// </summary>
[Authorize(Policy = Policies.Pages.CourseStaff)]
public sealed class AttendanceModel(DbConnection db) : WorkspacePageModel
{
    public sealed record Line
    {
        public int ParticipantId { get; init; }

        public required string FullName { get; init; }

        public string? Organisation { get; init; }

        public AttendanceStatus? Stored { get; init; }
    }

    public CourseDto Course { get; private set; } = null!;

    public SessionDto Session { get; private set; } = null!;

    public IReadOnlyList<Line> Lines { get; private set; } = [];

    /// <summary>What each line shows checked: what was posted, else what is stored, else present.</summary>
    public Dictionary<int, AttendanceStatus> Shown { get; } = [];

    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, int sessionId, bool saved = false)
    {
        if (!await LoadAsync(id, sessionId))
        {
            return NotFoundPage("session");
        }

        Saved = saved;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, int sessionId, [FromForm] long version)
    {
        if (!await LoadAsync(id, sessionId))
        {
            return NotFoundPage("session");
        }

        var entries = new List<AttendanceRecord>();
        foreach (var line in Lines)
        {
            var posted = Request.Form[$"status-{line.ParticipantId}"].ToString();
            var status = Enum.TryParse<AttendanceStatus>(posted, ignoreCase: true, out var parsed) ? parsed : AttendanceStatus.Present;
            Shown[line.ParticipantId] = status;
            entries.Add(new AttendanceRecord { ParticipantId = line.ParticipantId, Status = status });
        }

        switch (await AttendanceApi.RecordAsync(db, Me, id, sessionId, entries, new IfMatch(true, false, version)))
        {
            case Outcome<AttendanceRegister>.Stored:
                return LocalRedirect($"/workspace/courses/{id}/sessions/{sessionId}/attendance?saved=true");
            case Outcome<AttendanceRegister>.Conflict conflict:
                Errors[""] = conflict.Detail;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case Outcome<AttendanceRegister>.PreconditionFailed:
                Errors[""] = "Someone saved this register while you had it open: check the lines again and save.";
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case Outcome<AttendanceRegister>.Invalid invalid:
                Errors[""] = string.Join(" ", invalid.Errors.SelectMany(e => e.Value));
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
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

        var session = await db.QuerySingleOrDefaultAsync<SessionDto>(
            SessionService.SelectSession + " WHERE s.id = @sessionId AND s.course_id = @id", new { id, sessionId });
        if (session is null)
        {
            return false;
        }

        (Course, Session) = (course, session);
        Lines = (await db.QueryAsync<Line>(
            """
            SELECT p.id AS ParticipantId, p.full_name AS FullName, p.organisation AS Organisation, a.status AS Stored
            FROM enrolments e
            JOIN participants p ON p.id = e.participant_id
            LEFT JOIN attendance a ON a.session_id = @sessionId AND a.participant_id = p.id
            WHERE e.course_id = @id AND e.status = 'enrolled'
            ORDER BY p.full_name, p.id
            """,
            new { id, sessionId })).ToList();
        foreach (var line in Lines)
        {
            Shown[line.ParticipantId] = line.Stored ?? AttendanceStatus.Present;
        }

        return true;
    }
}
