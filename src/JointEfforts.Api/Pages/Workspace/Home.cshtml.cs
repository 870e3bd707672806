using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;

namespace JointEfforts.Api.Pages.Workspace;

/// <summary>
/// <c>/workspace</c>: where each role lands after signing in, listing its work. Coordinators (and admins): the programmes with
/// what needs doing in each (overdue milestones, courses under their minimum, reports returned). Country experts: the
/// courses of their country (scoped in SQL, as the API scopes them) with their report's state. The steering group: the
/// reports awaiting its decision. Every figure is one SQL aggregate query.
/// </summary>
[Authorize(Policy = Policies.Pages.AnyUser)]
public sealed class HomeModel(DbConnection db, TimeProvider time) : WorkspacePageModel
{
    public sealed record ProgrammeRow
    {
        public int Id { get; init; }

        public required string Code { get; init; }

        public required string Title { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }

        public int Courses { get; init; }

        public int OverdueMilestones { get; init; }

        public int CoursesUnderMinimum { get; init; }

        public int ReportsReturned { get; init; }
    }

    public sealed record CourseRow
    {
        public int Id { get; init; }

        public int ProjectId { get; init; }

        public required string Title { get; init; }

        public required string City { get; init; }

        public required string CountryCode { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }

        public CourseStatus Status { get; init; }

        public int Enrolled { get; init; }

        public int MinParticipants { get; init; }

        public ReportState? ReportState { get; init; }

        public bool ReportReturned { get; init; }

        public DateTime? SubmittedAt { get; init; }
    }

    public IReadOnlyList<ProgrammeRow> Programmes { get; private set; } = [];

    public IReadOnlyList<CourseRow> Courses { get; private set; } = [];

    public IReadOnlyList<CourseRow> ReportsAwaiting { get; private set; } = [];

    /// <summary>A coordinator's courses by programme (not the cancelled ones), each a link to its page.</summary>
    public ILookup<int, CourseRow> CoursesOf { get; private set; } = Array.Empty<CourseRow>().ToLookup(c => c.ProjectId);

    public async Task OnGetAsync()
    {
        var today = DateOnly.FromDateTime(Database.Now(time)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (Me.Is(Role.Admin, Role.Coordinator))
        {
            Programmes = (await db.QueryAsync<ProgrammeRow>(
                """
                SELECT p.id AS Id, p.code AS Code, p.title AS Title, p.start_date AS StartDate, p.end_date AS EndDate,
                       (SELECT COUNT(*) FROM courses c WHERE c.project_id = p.id AND c.status <> 'cancelled') AS Courses,
                       (SELECT COUNT(*) FROM milestones m JOIN phases ph ON ph.id = m.phase_id
                        WHERE ph.project_id = p.id AND m.completed_on IS NULL AND m.due_date < @today) AS OverdueMilestones,
                       (SELECT COUNT(*) FROM courses c
                        WHERE c.project_id = p.id AND c.status IN ('draft','open','closed')
                          AND (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled') < c.min_participants) AS CoursesUnderMinimum,
                       (SELECT COUNT(*) FROM evaluation_reports r JOIN courses c ON c.id = r.course_id
                        WHERE c.project_id = p.id AND r.state = 'draft' AND r.return_comment IS NOT NULL) AS ReportsReturned
                FROM projects p
                ORDER BY p.start_date DESC, p.id
                """,
                new { today })).ToList();
            CoursesOf = (await db.QueryAsync<CourseRow>(SelectCourses + " WHERE c.status <> 'cancelled' ORDER BY c.start_date, c.id"))
                .ToLookup(c => c.ProjectId);
        }

        if (Me.Is(Role.CountryExpert))
        {
            Courses = (await db.QueryAsync<CourseRow>(
                SelectCourses + " WHERE c.country_code = @country ORDER BY c.start_date DESC, c.id",
                new { country = Me.CountryScope })).ToList();
        }

        if (Me.Is(Role.Admin, Role.SteeringGroup))
        {
            ReportsAwaiting = (await db.QueryAsync<CourseRow>(
                SelectCourses + " WHERE r.state = 'submitted' ORDER BY r.submitted_at, c.id")).ToList();
        }
    }

    private const string SelectCourses = """
        SELECT c.id AS Id, c.project_id AS ProjectId, c.title AS Title, c.city AS City, c.country_code AS CountryCode, c.start_date AS StartDate,
               c.end_date AS EndDate, c.status AS Status, c.min_participants AS MinParticipants,
               (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled') AS Enrolled,
               r.state AS ReportState, (r.state = 'draft' AND r.return_comment IS NOT NULL) AS ReportReturned,
               r.submitted_at AS SubmittedAt
        FROM courses c LEFT JOIN evaluation_reports r ON r.course_id = c.id
        """;
}
