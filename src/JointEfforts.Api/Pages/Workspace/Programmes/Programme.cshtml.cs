using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Programmes;

/// <summary>
/// <c>/workspace/programmes/{id}</c>: a programme as its coordinator runs it — the phases with their milestones (overdue ones
/// marked), its meetings and its courses with what needs doing (under their minimum, report returned). One round trip of
/// SQL reads; the counts are aggregates in SQL, with the same definitions as the home page's.
/// </summary>
[Authorize(Policy = Policies.Pages.Coordinator)]
public sealed class ProgrammeModel(DbConnection db, TimeProvider time) : WorkspacePageModel
{
    public ProgrammeRow Programme { get; private set; } = null!;

    public IReadOnlyList<PhaseRow> Phases { get; private set; } = [];

    public ILookup<int, MilestoneRow> MilestonesOf { get; private set; } = Array.Empty<MilestoneRow>().ToLookup(m => m.PhaseId);

    public IReadOnlyList<MeetingRow> Meetings { get; private set; } = [];

    public IReadOnlyList<CourseRow> Courses { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id)
    {
        var today = DateOnly.FromDateTime(Database.Now(time)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var results = await db.QueryMultipleAsync(
            $"""
            SELECT id AS Id, code AS Code, title AS Title, start_date AS StartDate, end_date AS EndDate FROM projects WHERE id = @id;
            SELECT id AS Id, number AS Number, name AS Name, status AS Status FROM phases WHERE project_id = @id ORDER BY number;
            SELECT m.id AS Id, m.phase_id AS PhaseId, m.title AS Title, m.due_date AS DueDate, m.completed_on AS CompletedOn,
                   {JointEfforts.Api.Reports.DashboardQuery.OverdueAsOf} AS Overdue
            FROM milestones m JOIN phases ph ON ph.id = m.phase_id WHERE ph.project_id = @id ORDER BY m.due_date, m.id;
            SELECT id AS Id, title AS Title, city AS City, country_code AS CountryCode, start_date AS StartDate, end_date AS EndDate
            FROM meetings WHERE project_id = @id ORDER BY start_date, id;
            SELECT c.id AS Id, c.title AS Title, c.city AS City, c.country_code AS CountryCode, c.start_date AS StartDate, c.status AS Status,
                   c.min_participants AS MinParticipants,
                   (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled') AS Enrolled,
                   EXISTS (SELECT 1 FROM evaluation_reports r WHERE r.course_id = c.id AND r.state = 'draft' AND r.return_comment IS NOT NULL) AS ReportReturned
            FROM courses c WHERE c.project_id = @id ORDER BY c.start_date, c.id;
            """,
            new { id, asOf = today });
        if (await results.ReadSingleOrDefaultAsync<ProgrammeRow>() is not { } programme)
        {
            return NotFoundPage("programme");
        }

        Programme = programme;
        Phases = (await results.ReadAsync<PhaseRow>()).ToList();
        MilestonesOf = (await results.ReadAsync<MilestoneRow>()).ToLookup(m => m.PhaseId);
        Meetings = (await results.ReadAsync<MeetingRow>()).ToList();
        Courses = (await results.ReadAsync<CourseRow>()).ToList();
        return Page();
    }

    public sealed record ProgrammeRow
    {
        public int Id { get; init; }

        public required string Code { get; init; }

        public required string Title { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }
    }

    public sealed record PhaseRow
    {
        public int Id { get; init; }

        public int Number { get; init; }

        public required string Name { get; init; }

        public required string Status { get; init; }
    }

    public sealed record MilestoneRow
    {
        public int Id { get; init; }

        public int PhaseId { get; init; }

        public required string Title { get; init; }

        public DateOnly DueDate { get; init; }

        public DateOnly? CompletedOn { get; init; }

        public bool Overdue { get; init; }
    }

    public sealed record MeetingRow
    {
        public int Id { get; init; }

        public required string Title { get; init; }

        public required string City { get; init; }

        public required string CountryCode { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }
    }

    public sealed record CourseRow
    {
        public int Id { get; init; }

        public required string Title { get; init; }

        public required string City { get; init; }

        public required string CountryCode { get; init; }

        public DateOnly StartDate { get; init; }

        public CourseStatus Status { get; init; }

        public int MinParticipants { get; init; }

        public int Enrolled { get; init; }

        public bool ReportReturned { get; init; }

        /// <summary>The home page's definition: a course not yet under way with fewer enrolled than its minimum.</summary>
        public bool UnderMinimum => Status is CourseStatus.Draft or CourseStatus.Open or CourseStatus.Closed && Enrolled < MinParticipants;
    }
}
