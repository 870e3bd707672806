using System.Data.Common;
using Dapper;
using JointEfforts.Api.Programmes;

namespace JointEfforts.Api.Reports;

/// <summary>
/// The programme workbook a steering group meeting works from: Phases, Milestones, Courses, Evaluation,
/// Recommendations. Every figure is a SQL aggregate read in one batch; the workbook holds one row per phase,
/// milestone, course and recommendation, never per participant or answer, and no names or e-mails of participants.
/// </summary>
public static class SteeringWorkbook
{
    private const string Sql = $"""
        SELECT id AS Id, code AS Code, title AS Title FROM projects WHERE id = @id;

        SELECT p.number AS Number, p.kind AS Kind, p.name AS Name, p.status AS Status,
               p.planned_start AS PlannedStart, p.planned_end AS PlannedEnd,
               CASE WHEN COUNT(m.id) = 0 THEN 0.0 ELSE COUNT(m.completed_on) * 1.0 / COUNT(m.id) END AS Progress,
               COUNT(m.id) AS MilestonesTotal,
               COUNT(m.completed_on) AS MilestonesCompleted,
               COALESCE(SUM(m.completed_on IS NULL AND m.due_date < @today), 0) AS MilestonesOverdue
        FROM phases p LEFT JOIN milestones m ON m.phase_id = p.id
        WHERE p.project_id = @id
        GROUP BY p.id
        ORDER BY p.number;

        SELECT p.number AS PhaseNumber, p.name AS PhaseName, m.title AS Title, m.kind AS Kind,
               m.due_date AS DueDate, m.completed_on AS CompletedOn,
               (m.completed_on IS NULL AND m.due_date < @today) AS Overdue
        FROM phases p JOIN milestones m ON m.phase_id = p.id
        WHERE p.project_id = @id
        ORDER BY p.number, m.due_date, m.id;

        WITH scoped AS MATERIALIZED (SELECT id, completion_threshold, status FROM courses WHERE project_id = @id),
        {Training.CompletionsCte},
        per_course AS MATERIALIZED (
            SELECT course_id, COUNT(*) AS enrolled, SUM(trained) AS trained FROM completions GROUP BY course_id),
        waitlists AS MATERIALIZED (
            SELECT course_id, COUNT(*) AS n FROM enrolments
            WHERE course_id IN (SELECT id FROM scoped) AND status = 'waitlisted'
            GROUP BY course_id)
        SELECT c.id AS Id, c.title AS Title, c.country_code AS CountryCode, c.city AS City, c.language AS Language,
               c.status AS Status, c.start_date AS StartDate, c.end_date AS EndDate,
               c.min_participants AS MinParticipants, c.max_participants AS MaxParticipants,
               c.completion_threshold AS CompletionThreshold,
               c.session_count AS Sessions, COALESCE(pc.enrolled, 0) AS Enrolled,
               COALESCE(w.n, 0) AS Waitlisted, COALESCE(pc.trained, 0) AS Trained
        FROM courses c
        LEFT JOIN per_course pc ON pc.course_id = c.id
        LEFT JOIN waitlists w ON w.course_id = c.id
        WHERE c.project_id = @id
        ORDER BY c.start_date, c.id;

        WITH scoped AS MATERIALIZED (SELECT id FROM courses WHERE project_id = @id),
        responses AS MATERIALIZED (
            SELECT course_id,
                   SUM(purpose = 'reaction') AS reactions, SUM(purpose = 'preTest') AS pre, SUM(purpose = 'postTest') AS post
            FROM evaluation_responses
            WHERE course_id IN (SELECT id FROM scoped)
            GROUP BY course_id),
        overall AS MATERIALIZED (
            SELECT r.course_id, AVG(a.number_value) AS mean
            FROM evaluation_responses r
            JOIN evaluation_answers a INDEXED BY ix_evaluation_answers_overall ON a.response_id = r.id AND a.question_key = '{Training.OverallQuestionKey}'
            WHERE r.course_id IN (SELECT id FROM scoped) AND r.purpose = 'reaction' AND r.form_id IN ({Training.OverallFormsSql})
            GROUP BY r.course_id),
        pairs AS MATERIALIZED (
            SELECT pre.course_id, COUNT(*) AS n, AVG(pre.score) AS mean_pre, AVG(post.score) AS mean_post,
                   AVG(post.score - pre.score) AS mean_gain
            FROM evaluation_responses pre
            JOIN evaluation_responses post ON post.code_id = pre.code_id AND post.purpose = 'postTest' AND post.course_id = pre.course_id
            WHERE pre.course_id IN (SELECT id FROM scoped) AND pre.purpose = 'preTest'
              AND pre.code_id IS NOT NULL AND pre.score IS NOT NULL AND post.score IS NOT NULL
            GROUP BY pre.course_id),
        enrolled AS MATERIALIZED (
            SELECT course_id, COUNT(*) AS n FROM enrolments
            WHERE course_id IN (SELECT id FROM scoped) AND status = 'enrolled'
            GROUP BY course_id)
        SELECT c.id AS Id, c.title AS Title, c.country_code AS CountryCode, c.language AS Language, c.status AS Status,
               COALESCE(en.n, 0) AS Enrolled,
               COALESCE(rs.reactions, 0) AS Responses,
               CASE WHEN en.n > 0 THEN COALESCE(rs.reactions, 0) * 1.0 / en.n END AS ResponseRate,
               ov.mean AS MeanOverall,
               COALESCE(rs.pre, 0) AS PreTests, COALESCE(rs.post, 0) AS PostTests,
               COALESCE(pr.n, 0) AS Pairs, pr.mean_pre AS MeanPre, pr.mean_post AS MeanPost, pr.mean_gain AS MeanGain,
               er.state AS ReportState, er.overall_rating AS ReportRating,
               er.submitted_at AS ReportSubmittedAt, er.accepted_at AS ReportAcceptedAt
        FROM courses c
        LEFT JOIN enrolled en ON en.course_id = c.id
        LEFT JOIN responses rs ON rs.course_id = c.id
        LEFT JOIN overall ov ON ov.course_id = c.id
        LEFT JOIN pairs pr ON pr.course_id = c.id
        LEFT JOIN evaluation_reports er ON er.course_id = c.id
        WHERE c.project_id = @id
        ORDER BY c.start_date, c.id;

        SELECT m.start_date AS MeetingDate, m.kind AS MeetingKind, m.title AS MeetingTitle,
               r.id AS Id, r.text AS Text, r.owner AS Owner, r.due_date AS DueDate, r.status AS Status,
               (r.due_date IS NOT NULL AND r.due_date < @today AND r.status IN ('open', 'inProgress')) AS Overdue
        FROM meetings m JOIN recommendations r ON r.meeting_id = m.id
        WHERE m.project_id = @id
        ORDER BY m.start_date, m.id, r.id;
        """;

    public static string FileName(int projectId, DateOnly today) =>
        $"jointefforts-programme-{projectId}-steering-report-{today:yyyy-MM-dd}.xlsx";

    /// <summary>The workbook's bytes, or null when there is no such programme.</summary>
    public static async Task<byte[]?> CreateAsync(DbConnection db, int projectId, DateOnly today, CancellationToken cancellationToken = default)
    {
        using var results = await db.QueryMultipleAsync(new CommandDefinition(
            Sql, new { id = projectId, today }, cancellationToken: cancellationToken));
        var project = await results.ReadSingleOrDefaultAsync<ProgrammeRow>();
        var phases = await results.ReadAsync<PhaseRow>();
        var milestones = await results.ReadAsync<MilestoneRow>();
        var courses = await results.ReadAsync<CourseRow>();
        var evaluation = await results.ReadAsync<EvaluationRow>();
        var recommendations = await results.ReadAsync<RecommendationRow>();
        if (project is null)
        {
            return null;
        }

        using var workbook = Workbooks.Create($"{project.Code}: steering group report {today:yyyy-MM-dd}");
        WritePhases(workbook, phases);
        WriteMilestones(workbook, milestones);
        WriteCourses(workbook, courses);
        WriteEvaluation(workbook, evaluation);
        WriteRecommendations(workbook, recommendations);
        return Workbooks.ToBytes(workbook);
    }

    private static void WritePhases(ClosedXML.Excel.XLWorkbook workbook, IEnumerable<PhaseRow> phases)
    {
        var sheet = SheetTable.Add(workbook, "Phases",
        [
            new("Phase", 8, Workbooks.IntegerFormat),
            new("Kind", 26),
            new("Name", 30),
            new("Status", 14),
            new("Planned start", 14, Workbooks.DateFormat),
            new("Planned end", 14, Workbooks.DateFormat),
            new("Milestones", 12, Workbooks.IntegerFormat),
            new("Completed", 12, Workbooks.IntegerFormat),
            new("Overdue", 10, Workbooks.IntegerFormat),
            new("Progress", 11, Workbooks.PercentFormat),
        ]);
        foreach (var p in phases)
        {
            sheet.Add(p.Number, p.Kind, p.Name, p.Status, p.PlannedStart, p.PlannedEnd,
                p.MilestonesTotal, p.MilestonesCompleted, p.MilestonesOverdue, p.Progress);
        }

        sheet.Filter();
    }

    private static void WriteMilestones(ClosedXML.Excel.XLWorkbook workbook, IEnumerable<MilestoneRow> milestones)
    {
        var sheet = SheetTable.Add(workbook, "Milestones",
        [
            new("Phase", 8, Workbooks.IntegerFormat),
            new("Phase name", 26),
            new("Milestone", 50),
            new("Kind", 12),
            new("Due", 12, Workbooks.DateFormat),
            new("Completed on", 14, Workbooks.DateFormat),
            new("Overdue", 10),
        ]);
        foreach (var m in milestones)
        {
            sheet.Add(m.PhaseNumber, m.PhaseName, m.Title, m.Kind, m.DueDate, m.CompletedOn, m.Overdue);
        }

        sheet.Filter();
    }

    private static void WriteCourses(ClosedXML.Excel.XLWorkbook workbook, IEnumerable<CourseRow> courses)
    {
        var sheet = SheetTable.Add(workbook, "Courses",
        [
            new("Course id", 10, Workbooks.IntegerFormat),
            new("Title", 40),
            new("Country", 9),
            new("City", 16),
            new("Language", 10),
            new("Status", 12),
            new("Start", 12, Workbooks.DateFormat),
            new("End", 12, Workbooks.DateFormat),
            new("Min", 7, Workbooks.IntegerFormat),
            new("Max", 7, Workbooks.IntegerFormat),
            new("Sessions", 10, Workbooks.IntegerFormat),
            new("Enrolled", 10, Workbooks.IntegerFormat),
            new("Waitlisted", 11, Workbooks.IntegerFormat),
            new("Trained", 10, Workbooks.IntegerFormat),
            new("Completion rate", 12, Workbooks.PercentFormat),
            new("Completion threshold", 12, Workbooks.PercentFormat),
        ]);
        foreach (var c in courses)
        {
            sheet.Add(c.Id, c.Title, c.CountryCode, c.City, c.Language, c.Status, c.StartDate, c.EndDate,
                c.MinParticipants, c.MaxParticipants, c.Sessions, c.Enrolled, c.Waitlisted, c.Trained,
                c.Enrolled > 0 ? c.Trained / (double)c.Enrolled : null, c.CompletionThreshold);
        }

        sheet.Filter();
    }

    private static void WriteEvaluation(ClosedXML.Excel.XLWorkbook workbook, IEnumerable<EvaluationRow> courses)
    {
        var sheet = SheetTable.Add(workbook, "Evaluation",
        [
            new("Course id", 10, Workbooks.IntegerFormat),
            new("Title", 40),
            new("Country", 9),
            new("Language", 10),
            new("Status", 12),
            new("Enrolled", 10, Workbooks.IntegerFormat),
            new("Responses", 11, Workbooks.IntegerFormat),
            new("Response rate", 11, Workbooks.PercentFormat),
            new("Mean overall (1-5)", 12, Workbooks.DecimalFormat),
            new("Pre-tests", 10, Workbooks.IntegerFormat),
            new("Post-tests", 10, Workbooks.IntegerFormat),
            new("Test pairs", 10, Workbooks.IntegerFormat),
            new("Mean pre-test", 11, Workbooks.PercentFormat),
            new("Mean post-test", 11, Workbooks.PercentFormat),
            new("Knowledge gain", 11, Workbooks.PercentFormat),
            new("Report state", 12),
            new("Report rating (1-5)", 12, Workbooks.IntegerFormat),
            new("Report submitted", 17, Workbooks.TimestampFormat),
            new("Report accepted", 17, Workbooks.TimestampFormat),
        ]);
        foreach (var c in courses)
        {
            sheet.Add(c.Id, c.Title, c.CountryCode, c.Language, c.Status, c.Enrolled, c.Responses, c.ResponseRate,
                c.MeanOverall, c.PreTests, c.PostTests, c.Pairs, c.MeanPre, c.MeanPost, c.MeanGain,
                c.ReportState ?? "none", c.ReportRating, c.ReportSubmittedAt, c.ReportAcceptedAt);
        }

        sheet.Filter();
    }

    private static void WriteRecommendations(ClosedXML.Excel.XLWorkbook workbook, IEnumerable<RecommendationRow> recommendations)
    {
        var sheet = SheetTable.Add(workbook, "Recommendations",
        [
            new("Id", 7, Workbooks.IntegerFormat),
            new("Meeting date", 12, Workbooks.DateFormat),
            new("Meeting kind", 14),
            new("Meeting", 36),
            new("Recommendation", 70),
            new("Owner", 24),
            new("Due", 12, Workbooks.DateFormat),
            new("Status", 13),
            new("Overdue", 10),
        ]);
        foreach (var r in recommendations)
        {
            sheet.Add(r.Id, r.MeetingDate, r.MeetingKind, r.MeetingTitle, r.Text, r.Owner, r.DueDate, r.Status, r.Overdue);
        }

        sheet.Filter();
    }

    private sealed record ProgrammeRow
    {
        public int Id { get; init; }

        public required string Code { get; init; }

        public required string Title { get; init; }
    }

    private sealed record PhaseRow
    {
        public int Number { get; init; }

        public required string Kind { get; init; }

        public required string Name { get; init; }

        public required string Status { get; init; }

        public DateOnly? PlannedStart { get; init; }

        public DateOnly? PlannedEnd { get; init; }

        public double Progress { get; init; }

        public int MilestonesTotal { get; init; }

        public int MilestonesCompleted { get; init; }

        public int MilestonesOverdue { get; init; }
    }

    private sealed record MilestoneRow
    {
        public int PhaseNumber { get; init; }

        public required string PhaseName { get; init; }

        public required string Title { get; init; }

        public required string Kind { get; init; }

        public DateOnly DueDate { get; init; }

        public DateOnly? CompletedOn { get; init; }

        public bool Overdue { get; init; }
    }

    private sealed record CourseRow
    {
        public int Id { get; init; }

        public required string Title { get; init; }

        public required string CountryCode { get; init; }

        public required string City { get; init; }

        public required string Language { get; init; }

        public required string Status { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }

        public int MinParticipants { get; init; }

        public int MaxParticipants { get; init; }

        public double CompletionThreshold { get; init; }

        public int Sessions { get; init; }

        public int Enrolled { get; init; }

        public int Waitlisted { get; init; }

        public int Trained { get; init; }
    }

    private sealed record EvaluationRow
    {
        public int Id { get; init; }

        public required string Title { get; init; }

        public required string CountryCode { get; init; }

        public required string Language { get; init; }

        public required string Status { get; init; }

        public int Enrolled { get; init; }

        public int Responses { get; init; }

        public double? ResponseRate { get; init; }

        public double? MeanOverall { get; init; }

        public int PreTests { get; init; }

        public int PostTests { get; init; }

        public int Pairs { get; init; }

        public double? MeanPre { get; init; }

        public double? MeanPost { get; init; }

        public double? MeanGain { get; init; }

        public string? ReportState { get; init; }

        public int? ReportRating { get; init; }

        public DateTime? ReportSubmittedAt { get; init; }

        public DateTime? ReportAcceptedAt { get; init; }
    }

    private sealed record RecommendationRow
    {
        public DateOnly MeetingDate { get; init; }

        public required string MeetingKind { get; init; }

        public required string MeetingTitle { get; init; }

        public int Id { get; init; }

        public required string Text { get; init; }

        public string? Owner { get; init; }

        public DateOnly? DueDate { get; init; }

        public required string Status { get; init; }

        public bool Overdue { get; init; }
    }
}
