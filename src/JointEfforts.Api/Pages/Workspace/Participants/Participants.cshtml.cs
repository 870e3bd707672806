using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Participants;

/// <summary>
/// <c>/workspace/courses/{id}/participants</c>: a course's enrolled, waitlisted and withdrawn participants against its
/// minimum and maximum. Coordinators withdraw (after a confirmation step) and promote from the waiting list through
/// <see cref="EnrolmentService"/>, as <c>DELETE /api/courses/{id}/enrolments/{enrolmentId}</c> does; a country expert of the
/// course's country reads the lists (as <c>GET /api/courses/{id}/enrolments</c> lets them), another country's is a 404 page.
/// </summary>
[Authorize(Policy = Policies.Pages.CourseStaff)]
public sealed class ParticipantsModel(DbConnection db) : WorkspacePageModel
{
    public CourseDto Course { get; private set; } = null!;

    public IReadOnlyList<Row> Enrolled { get; private set; } = [];

    public IReadOnlyList<Row> Waitlisted { get; private set; } = [];

    public IReadOnlyList<Row> Withdrawn { get; private set; } = [];

    public IReadOnlyList<Row> NotAdmitted { get; private set; } = [];

    /// <summary>The enrolment whose withdrawal is to be confirmed (<c>?withdraw=</c>).</summary>
    public Row? Confirm { get; private set; }

    public string? Done { get; private set; }

    public bool MayEdit => Me.Is(Role.Admin, Role.Coordinator);

    /// <summary>Whether the course's enrolments may still change (withdrawals, promotions), as the service's rule says.</summary>
    public bool Live => Course.Status is not (CourseStatus.Delivered or CourseStatus.Evaluated or CourseStatus.Cancelled);

    public int FreeSeats => Math.Max(0, Course.MaxParticipants - Enrolled.Count);

    public async Task<IActionResult> OnGetAsync(int id, int? withdraw, int? withdrawn, int? promoted, int? enrolled, int? imported,
        int? created, int? matched, int? seated, int? waiting, int? already)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        if (withdraw is { } confirm && MayEdit && Live)
        {
            Confirm = Enrolled.Concat(Waitlisted).FirstOrDefault(r => r.Id == confirm);
        }

        Done = Said(withdrawn, promoted, enrolled, imported, created, matched, seated, waiting, already);
        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawAsync(int id, [FromForm] int enrolmentId, [FromForm] long version)
    {
        if (!MayEdit)
        {
            return Forbid(WorkspaceSessions.Scheme);
        }

        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        switch (await EnrolmentService.WithdrawAsync(db, id, enrolmentId, new IfMatch(true, false, version)))
        {
            case Outcome<EnrolmentService.Withdrawal>.Stored stored:
                return LocalRedirect($"/workspace/courses/{id}/participants?withdrawn={enrolmentId}&promoted={stored.Value.Promoted}#done");
            case Outcome<EnrolmentService.Withdrawal>.NotFound:
                return Refuse("There is no such enrolment in this course.", StatusCodes.Status404NotFound);
            case Outcome<EnrolmentService.Withdrawal>.PreconditionFailed:
                return Refuse("Someone changed this enrolment while you had the page open: what you see now is what is stored. Withdraw again if you still mean to.",
                    StatusCodes.Status409Conflict);
            case Outcome<EnrolmentService.Withdrawal>.Conflict conflict:
                return Refuse(conflict.Detail, StatusCodes.Status409Conflict);
            default:
                return NotFoundPage("course");
        }
    }

    public async Task<IActionResult> OnPostPromoteAsync(int id)
    {
        if (!MayEdit)
        {
            return Forbid(WorkspaceSessions.Scheme);
        }

        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        return await EnrolmentService.PromoteAsync(db, id) switch
        {
            Outcome<int>.Stored stored => LocalRedirect($"/workspace/courses/{id}/participants?promoted={stored.Value}#done"),
            Outcome<int>.Conflict conflict => Refuse(conflict.Detail, StatusCodes.Status409Conflict),
            _ => NotFoundPage("course"),
        };
    }

    private IActionResult Refuse(string message, int status)
    {
        Errors[""] = message;
        Response.StatusCode = status;
        return Page();
    }

    private string? Said(int? withdrawn, int? promoted, int? enrolled, int? imported, int? created, int? matched, int? seated, int? waiting, int? already)
    {
        var all = Enrolled.Concat(Waitlisted).Concat(Withdrawn).ToList();
        var moved = promoted is > 0 ? $" {Count(promoted.Value, "participant")} moved up from the waiting list into the free {(promoted == 1 ? "seat" : "seats")}." : "";
        if (withdrawn is { } w && all.FirstOrDefault(r => r.Id == w) is { } gone)
        {
            return $"{gone.Shown} was withdrawn.{moved}";
        }

        if (enrolled is { } e && all.FirstOrDefault(r => r.Id == e) is { } added)
        {
            return added.Status == EnrolmentStatus.Waitlisted
                ? $"{added.Shown} is on the waiting list, number {added.Position}: the course is full."
                : $"{added.Shown} was enrolled.";
        }

        if (imported is { } rows)
        {
            return $"{Count(rows, "row")} imported: {created ?? 0} new, {matched ?? 0} already known; {seated ?? 0} enrolled, {waiting ?? 0} on the waiting list"
                + (already is > 0 ? $", {already} were enrolled already." : ".");
        }

        return promoted is > 0 ? moved.Trim() : null;
    }

    private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";

    private async Task<bool> LoadAsync(int id)
    {
        if (await CoursesApi.ReadAsync(db, id, Me.CountryScope) is not { } course)
        {
            return false;
        }

        Course = course;

        // The lists as GET /api/courses/{id}/enrolments gives them (arrival order, waitlist positions), with whom they are.
        var rows = (await db.QueryAsync<Row>(
            """
            SELECT e.id AS Id, e.participant_id AS ParticipantId, p.full_name AS Name, p.organisation AS Organisation, p.sector AS Sector,
                   e.status AS Status, e.version AS Version, e.created_at AS CreatedAt, e.withdrawn_at AS WithdrawnAt,
                   ROW_NUMBER() OVER (PARTITION BY e.status ORDER BY e.id) AS Position
            FROM enrolments e JOIN participants p ON p.id = e.participant_id
            WHERE e.course_id = @id
            ORDER BY e.id
            """,
            new { id })).ToList();
        Enrolled = rows.Where(r => r.Status == EnrolmentStatus.Enrolled).ToList();
        Waitlisted = rows.Where(r => r.Status == EnrolmentStatus.Waitlisted).ToList();
        Withdrawn = rows.Where(r => r.Status == EnrolmentStatus.Withdrawn).ToList();
        NotAdmitted = rows.Where(r => r.Status == EnrolmentStatus.NotAdmitted).ToList();
        return true;
    }

    public sealed record Row
    {
        public int Id { get; init; }

        public int ParticipantId { get; init; }

        /// <summary>Null once the participant was erased.</summary>
        public string? Name { get; init; }

        public string Organisation { get; init; } = "";

        public string Sector { get; init; } = "";

        public EnrolmentStatus Status { get; init; }

        public long Version { get; init; }

        public DateTime CreatedAt { get; init; }

        public DateTime? WithdrawnAt { get; init; }

        public int Position { get; init; }

        public string Shown => Name ?? $"Participant {ParticipantId} (erased)";
    }
}
