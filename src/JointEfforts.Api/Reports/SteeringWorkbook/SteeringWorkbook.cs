using System.Data.Common;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Figures;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Meetings;
using JointEfforts.Api.Participants;
using JointEfforts.Api.Programmes;

namespace JointEfforts.Api.Reports;

/// <summary>
/// The programme workbook a steering group meeting works from, printable: Overview (one page: headline figures,
/// countries, charts), Phases, Milestones, Courses, Evaluation, Meetings, Reports, Recommendations. The Overview's
/// figures are the dashboard's own query; the rest is one more batch of SQL aggregates (a course's evaluation figures
/// from those the triggers of sql/0030 keep). One row per phase, milestone, course, meeting, report and
/// recommendation, never per participant or answer, and no names or e-mails of participants.
/// </summary>
public static partial class SteeringWorkbook
{
    private static readonly string Sql = $"""
        SELECT p.number AS Number, p.name AS Name, p.planned_start AS PlannedStart, p.planned_end AS PlannedEnd
        FROM phases p WHERE p.project_id = @id ORDER BY p.number;

        SELECT p.number AS PhaseNumber, p.kind AS PhaseKind, m.title AS Title, m.kind AS Kind,
               m.due_date AS DueDate, CASE WHEN {DashboardQuery.CompletedAsOf} THEN m.completed_on END AS CompletedOn,
               {DashboardQuery.OverdueAsOf} AS Overdue
        FROM phases p JOIN milestones m ON m.phase_id = p.id
        WHERE p.project_id = @id
        ORDER BY m.due_date, p.number, m.id;

        WITH scoped AS MATERIALIZED (SELECT id, completion_threshold, status FROM courses WHERE project_id = @id),
        {Training.CompletionsCte},
        per_course AS MATERIALIZED (
            SELECT course_id, COUNT(*) AS enrolled, SUM(trained) AS trained FROM completions WHERE NOT @snapshot GROUP BY course_id
            UNION ALL
            SELECT course_id, COUNT(*), SUM(trained) FROM ({Snapshot.EnrolmentsSql}) s WHERE @snapshot GROUP BY course_id),
        waitlists AS MATERIALIZED (
            -- As of a past day: the wait-list as it stood, by the rule of Snapshot.EnrolmentsSql (recorded by then, or the course started).
            SELECT e.course_id, COUNT(*) AS n FROM enrolments e JOIN courses wc ON wc.id = e.course_id
            WHERE e.course_id IN (SELECT id FROM scoped) AND e.status = 'waitlisted'
              AND (NOT @snapshot OR min(substr(e.created_at, 1, 10), wc.start_date) <= @asOf)
            GROUP BY e.course_id)
        SELECT c.id AS Id, c.title AS Title, c.country_code AS CountryCode, c.city AS City, c.language AS Language,
               {Snapshot.CourseStatusSql} AS Status, c.start_date AS StartDate, c.end_date AS EndDate,
               c.min_participants AS MinParticipants, c.max_participants AS MaxParticipants,
               c.completion_threshold AS CompletionThreshold,
               c.session_count AS Sessions, COALESCE(pc.enrolled, 0) AS Enrolled,
               COALESCE(w.n, 0) AS Waitlisted, COALESCE(pc.trained, 0) AS Trained,
               COALESCE(ev.reactions, 0) AS Responses, COALESCE(ev.paper, 0) AS PaperResponses,
               ev.overall_sum / NULLIF(ev.overall_answers, 0) AS MeanOverall,
               COALESCE(ev.pre_tests, 0) AS PreTests, COALESCE(ev.post_tests, 0) AS PostTests, COALESCE(ev.pairs, 0) AS Pairs,
               ev.pre_sum / NULLIF(ev.pairs, 0) AS MeanPre, ev.post_sum / NULLIF(ev.pairs, 0) AS MeanPost, ev.gain_sum / NULLIF(ev.pairs, 0) AS MeanGain,
               {Snapshot.ReportStateSql} AS ReportState, er.return_comment AS ReturnComment, er.overall_rating AS ReportRating,
               (@everyFigure OR {Release.ReleasedCourseSql}) AS Released,
               CASE WHEN COALESCE(ev.paper, 0) > 0 THEN {Release.ViewerPaperSql("c.id", "'reaction'")} ELSE 0 END AS EnteredByViewer
        FROM courses c
        LEFT JOIN per_course pc ON pc.course_id = c.id
        LEFT JOIN waitlists w ON w.course_id = c.id
        LEFT JOIN {Snapshot.CourseEvaluationsSql} ev ON ev.course_id = c.id
        LEFT JOIN evaluation_reports er ON er.course_id = c.id
        WHERE c.project_id = @id
        ORDER BY c.start_date, c.id;

        WITH scoped AS MATERIALIZED (SELECT c.id FROM courses c WHERE c.project_id = @id AND (@everyFigure OR {Release.ReleasedCourseSql})),
        {Training.KnowledgeByQuestionSql};

        SELECT m.id AS Id, m.kind AS Kind, m.title AS Title, m.city AS City, m.country_code AS CountryCode,
               m.start_date AS StartDate, m.end_date AS EndDate, m.conclusions AS Conclusions,
               (SELECT COUNT(*) FROM meeting_attendees a WHERE a.meeting_id = m.id) AS Attendees,
               (SELECT COUNT(DISTINCT a.organisation) FROM meeting_attendees a WHERE a.meeting_id = m.id) AS Organisations,
               (SELECT COUNT(DISTINCT a.country_code) FROM meeting_attendees a WHERE a.meeting_id = m.id) AS Countries,
               (SELECT COUNT(*) FROM recommendations r WHERE r.meeting_id = m.id AND {Snapshot.RecommendationExistsSql}) AS Recommendations
        FROM meetings m WHERE m.project_id = @id
        ORDER BY m.start_date, m.id;

        SELECT c.title AS Course, c.country_code AS CountryCode, c.city AS City, {Snapshot.ReportStateSql} AS State,
               er.return_comment AS ReturnComment, er.overall_rating AS Rating, er.delivered_on AS DeliveredOn,
               er.participants_attended AS ParticipantsAttended, er.summary AS Summary, er.strengths AS Strengths,
               er.weaknesses AS Weaknesses, er.recommendations AS Recommendations
        FROM courses c JOIN evaluation_reports er ON er.course_id = c.id
        WHERE c.project_id = @id AND {Snapshot.ReportStateSql} IS NOT NULL
        ORDER BY c.start_date, c.id;

        SELECT m.start_date AS MeetingDate, m.title AS MeetingTitle,
               r.text AS Text, r.owner AS Owner, r.due_date AS DueDate, {Snapshot.RecommendationStatusSql} AS Status,
               (r.due_date IS NOT NULL AND r.due_date < @asOf AND {Snapshot.RecommendationStatusSql} IN ('open', 'inProgress')) AS Overdue
        FROM meetings m JOIN recommendations r ON r.meeting_id = m.id
        WHERE m.project_id = @id AND {Snapshot.RecommendationExistsSql}
        ORDER BY m.start_date, m.id, r.id;
        """;

    /// <summary><c>JointEfforts-2013-11-30-steering.xlsx</c>: the programme's code (or short title) and the as-of date.</summary>
    public static string FileName(string code, DateOnly asOf) => $"{ShortName(code)}-{asOf:yyyy-MM-dd}-steering.xlsx";

    /// <summary>
    /// The programme's short name for file names: a code of words reads as words without its funder's prefix
    /// (ISEC-JOINT-EFFORTS → JointEfforts); a code with numbers (PL15-0032) is kept as it is.
    /// </summary>
    internal static string ShortName(string code)
    {
        var parts = code.Split('-', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && parts.All(p => p.All(char.IsAsciiLetter))
            ? string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant()))
            : FileNamePart(code);
    }

    /// <summary>Letters, digits and hyphens only, so the name survives every file system and mail client.</summary>
    internal static string FileNamePart(string text)
    {
        var cleaned = new string(text.Select(ch => char.IsLetterOrDigit(ch) && ch < 128 ? ch : '-').ToArray());
        while (cleaned.Contains("--", StringComparison.Ordinal))
        {
            cleaned = cleaned.Replace("--", "-", StringComparison.Ordinal);
        }

        cleaned = cleaned.Trim('-');
        return cleaned.Length == 0 ? "JointEfforts" : cleaned;
    }

    /// <summary>
    /// The workbook, or null when there is no such programme. Unless <paramref name="everyFigure"/> (admins), a mean
    /// resting on fewer than <see cref="CourseWorkbook.MinimumAnswersShown"/> responses or test pairs is left out,
    /// its count kept: one or two answers could point at a person.
    /// </summary>
    public static async Task<Workbook?> CreateAsync(
        DbConnection db, int projectId, DateOnly asOf, bool everyFigure = false, CancellationToken cancellationToken = default, int? viewerId = null,
        DateOnly? today = null)
    {
        var viewer = new Viewer(viewerId, everyFigure);
        var figures = await DashboardQuery.ReadFiguresAsync(db, projectId, asOf, viewer, cancellationToken, today);
        if (figures is null)
        {
            return null;
        }

        if (!everyFigure)
        {
            figures = figures.WithoutSmallGroups();
        }

        using var results = await db.QueryMultipleAsync(new CommandDefinition(
            db.Sql(Sql),
            new { id = projectId, asOf = asOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), snapshot = Snapshot.IsPast(asOf, today), programme = projectId, everyFigure, viewerId = viewerId ?? -1 },
            cancellationToken: cancellationToken));
        var phases = (await results.ReadAsync<PhaseRow>()).ToDictionary(p => p.Number);
        var milestones = (await results.ReadAsync<MilestoneRow>()).ToList();
        var courses = (await results.ReadAsync<CourseRow>())
            .Select(c => everyFigure ? c : c with
            {
                // The release rule and the small-group threshold of Evaluations/Figures/Release.cs, as for every reader.
                MeanOverall = Release.Shows(viewer, c.Released, c.Responses, c.EnteredByViewer) ? c.MeanOverall : null,
                MeanPre = Release.Shows(viewer, c.Released, c.Pairs, 0) ? c.MeanPre : null,
                MeanPost = Release.Shows(viewer, c.Released, c.Pairs, 0) ? c.MeanPost : null,
                MeanGain = Release.Shows(viewer, c.Released, c.Pairs, 0) ? c.MeanGain : null,
            })
            .ToList();
        var knowledge = (await results.ReadAsync<KnowledgeQuestion>())
            .Where(q => everyFigure || Math.Min(q.AnswersBefore, q.AnswersAfter) >= CourseWorkbook.MinimumAnswersShown)
            .ToList();
        var meetings = (await results.ReadAsync<MeetingRow>()).ToList();
        var reports = (await results.ReadAsync<ReportRow>()).ToList();
        var recommendations = (await results.ReadAsync<RecommendationRow>()).ToList();

        var programme = figures.Programme;
        var footer = programme.Code;
        using var workbook = Workbooks.Create($"{programme.Code}: steering group report as of {asOf:yyyy-MM-dd}");
        var charts = new List<ChartSpec>();
        charts.AddRange(WriteOverview(workbook, figures, courses, asOf));
        charts.Add(WritePhases(workbook, figures.Dashboard.Phases, phases, footer, asOf));
        WriteMilestones(workbook, milestones, footer, asOf);
        List<SheetTable> longTables = [];
        longTables.Add(WriteCourses(workbook, courses, footer, asOf));
        longTables.Add(WriteEvaluation(workbook, courses, knowledge, footer, asOf));
        WriteMeetings(workbook, meetings, footer, asOf);
        longTables.Add(WriteReports(workbook, reports, footer, asOf));
        WriteRecommendations(workbook, recommendations, footer, asOf);
        return new Workbook(ExcelCharts.Add(SheetTable.WriteAppended(Workbooks.ToBytes(workbook), longTables), charts), FileName(programme.Code, asOf));
    }
}
