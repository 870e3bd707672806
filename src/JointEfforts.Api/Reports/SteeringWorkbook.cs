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
public static class SteeringWorkbook
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
               COALESCE(w.n, 0) AS Waitlisted, COALESCE(pc.trained, 0) AS Trained,
               COALESCE(ev.reactions, 0) AS Responses, COALESCE(ev.paper, 0) AS PaperResponses,
               ev.overall_sum / ev.overall_answers AS MeanOverall,
               COALESCE(ev.pre_tests, 0) AS PreTests, COALESCE(ev.post_tests, 0) AS PostTests, COALESCE(ev.pairs, 0) AS Pairs,
               ev.pre_sum / ev.pairs AS MeanPre, ev.post_sum / ev.pairs AS MeanPost, ev.gain_sum / ev.pairs AS MeanGain,
               er.state AS ReportState, er.return_comment AS ReturnComment, er.overall_rating AS ReportRating,
               (@everyFigure OR {Release.ReleasedCourseSql}) AS Released,
               CASE WHEN COALESCE(ev.paper, 0) > 0 THEN {Release.ViewerPaperSql("c.id", "'reaction'")} ELSE 0 END AS EnteredByViewer
        FROM courses c
        LEFT JOIN per_course pc ON pc.course_id = c.id
        LEFT JOIN waitlists w ON w.course_id = c.id
        LEFT JOIN report_course_evaluations ev ON ev.course_id = c.id
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
               (SELECT COUNT(*) FROM recommendations r WHERE r.meeting_id = m.id) AS Recommendations
        FROM meetings m WHERE m.project_id = @id
        ORDER BY m.start_date, m.id;

        SELECT c.title AS Course, c.country_code AS CountryCode, c.city AS City, er.state AS State,
               er.return_comment AS ReturnComment, er.overall_rating AS Rating, er.delivered_on AS DeliveredOn,
               er.participants_attended AS ParticipantsAttended, er.summary AS Summary, er.strengths AS Strengths,
               er.weaknesses AS Weaknesses, er.recommendations AS Recommendations
        FROM courses c JOIN evaluation_reports er ON er.course_id = c.id
        WHERE c.project_id = @id
        ORDER BY c.start_date, c.id;

        SELECT m.start_date AS MeetingDate, m.title AS MeetingTitle,
               r.text AS Text, r.owner AS Owner, r.due_date AS DueDate, r.status AS Status,
               (r.due_date IS NOT NULL AND r.due_date < @asOf AND r.status IN ('open', 'inProgress')) AS Overdue
        FROM meetings m JOIN recommendations r ON r.meeting_id = m.id
        WHERE m.project_id = @id
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
        DbConnection db, int projectId, DateOnly asOf, bool everyFigure = false, CancellationToken cancellationToken = default, int? viewerId = null)
    {
        var viewer = new Viewer(viewerId, everyFigure);
        var figures = await DashboardQuery.ReadFiguresAsync(db, projectId, asOf, viewer, cancellationToken);
        if (figures is null)
        {
            return null;
        }

        if (!everyFigure)
        {
            figures = figures.WithoutSmallGroups();
        }

        using var results = await db.QueryMultipleAsync(new CommandDefinition(
            Sql,
            new { id = projectId, asOf = asOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), everyFigure, viewerId = viewerId ?? -1 },
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

    /// <summary>One printed page: title, headline figures, the country table with its totals, two charts.</summary>
    private static IEnumerable<ChartSpec> WriteOverview(XLWorkbook workbook, ProgrammeFigures figures, IReadOnlyList<CourseRow> courses, DateOnly asOf)
    {
        const string name = "Overview";
        var programme = figures.Programme;
        var dashboard = figures.Dashboard;
        var training = dashboard.Training;
        var evaluation = dashboard.Evaluation;
        var sheet = workbook.AddWorksheet(name);
        double[] widths = [34, 11, 11, 11, 12, 12, 13, 34];
        for (var i = 0; i < widths.Length; i++)
        {
            sheet.Column(i + 1).Width = widths[i];
        }

        Workbooks.Title(sheet, programme.Title, widths.Sum());
        sheet.Cell(2, 1).SetValue(
            $"{programme.Code} · steering group report · funded by {programme.Funder} · programme {programme.StartDate:yyyy-MM-dd} to {programme.EndDate:yyyy-MM-dd}");
        sheet.Cell(3, 1).SetValue("As of");
        sheet.Cell(3, 1).Style.Font.Bold = true;
        Workbooks.Set(sheet.Cell(3, 2), asOf);
        sheet.Cell(3, 2).Style.NumberFormat.Format = Workbooks.DateFormat;
        sheet.Cell(3, 2).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;

        var planned = courses.Count(c => c.Status != "cancelled");
        var delivered = courses.Count(c => c.Status is "delivered" or "evaluated");
        var enrolments = figures.Countries.Sum(c => c.Enrolments);
        var milestonesTotal = dashboard.Phases.Sum(p => p.MilestonesTotal);
        var overdue = dashboard.Phases.Sum(p => p.MilestonesOverdue);
        var recommendationsByStatus = dashboard.Recommendations.ByStatus;
        var open = recommendationsByStatus.GetValueOrDefault("open") + recommendationsByStatus.GetValueOrDefault("inProgress");
        var reportStates = evaluation.ReportsByState;
        var returned = courses.Count(c => c.ReportState == "draft" && c.ReturnComment is not null);
        var gain = evaluation.KnowledgeGain;

        var headline = new SheetTable(sheet, [new("Headline figures", 34), new("Value", 11), new("Out of", 11), new("Share", 11), new("", 12)], headerRow: 5);
        sheet.Range(5, 5, 5, 8).Merge();
        sheet.Cell(5, 5).SetValue("What it counts");
        Headline(headline, "Participants trained", training.ParticipantsTrained, training.TargetParticipantsTrained,
            "against the programme's target; people counted once");
        Headline(headline, "Pilot courses delivered", delivered, planned, "of the courses planned (cancelled ones left out)");
        Headline(headline, "Evaluation responses", evaluation.Responses, enrolments,
            $"reaction forms against enrolments; {figures.PaperResponses} on paper");
        headline.Add("Mean overall rating (1-5)", evaluation.MeanOverall);
        sheet.Cell(headline.LastRow, 2).Style.NumberFormat.Format = Workbooks.DecimalFormat;
        sheet.Cell(headline.LastRow, 5).SetValue("answers to \"Overall, how satisfied…\"");
        headline.Add("Knowledge gain (share correct)", gain.MeanGain, gain.Pairs);
        sheet.Cell(headline.LastRow, 2).Style.NumberFormat.Format = "+0.0%;-0.0%;0.0%";
        sheet.Cell(headline.LastRow, 5).SetValue(gain.Pairs == 0
            ? "no paired knowledge tests yet"
            : gain.MeanGain is null ? $"test pairs: fewer than {CourseWorkbook.MinimumAnswersShown}, not shown"
            : $"test pairs; from {gain.MeanPre:0%} correct before to {gain.MeanPost:0%} after");
        Headline(headline, "Expert reports accepted", reportStates.GetValueOrDefault("accepted"), planned,
            $"{reportStates.GetValueOrDefault("submitted")} submitted (awaiting the steering group), {reportStates.GetValueOrDefault("draft")} draft ({returned} returned)");
        Headline(headline, "Milestones overdue", overdue, milestonesTotal, "not completed and due before the as-of date");
        var overdueRow = headline.LastRow;
        Headline(headline, "Recommendations open", open, recommendationsByStatus.Values.Sum(),
            $"{recommendationsByStatus.GetValueOrDefault("inProgress")} of them in progress");
        foreach (var row in Enumerable.Range(6, headline.Rows))
        {
            sheet.Range(row, 5, row, 8).Merge();
            sheet.Cell(row, 2).Style.Font.Bold = true;
        }

        if (overdue > 0)
        {
            sheet.Range(overdueRow, 1, overdueRow, 4).Style.Fill.BackgroundColor = Workbooks.Attention;
        }

        var countries = new SheetTable(sheet,
        [
            new("Country", 34), new("Courses", 11, Workbooks.IntegerFormat), new("Enrolled", 11, Workbooks.IntegerFormat),
            new("Trained", 11, Workbooks.IntegerFormat), new("Response rate", 12, Workbooks.PercentFormat),
            new("Mean overall (1-5)", 12, Workbooks.DecimalFormat), new("Knowledge gain", 13, "+0.0%;-0.0%;0.0%"),
            new("Expert reports", 34, Wrap: true),
        ], headerRow: headline.LastRow + 2);
        foreach (var c in figures.Countries)
        {
            countries.Add(Labels.Country(c.CountryCode), c.Courses, c.Enrolled, c.Trained, c.ResponseRate, c.MeanOverall,
                c.KnowledgeGain, ReportStates(c.ReportsAccepted, c.ReportsSubmitted, c.ReportsDraft, c.Planned));
        }

        var totals = countries.Add("All countries", figures.Countries.Sum(c => c.Courses), training.ParticipantsEnrolled,
            training.ParticipantsTrained, enrolments > 0 ? evaluation.Responses / (double)enrolments : null, evaluation.MeanOverall,
            gain.MeanGain, ReportStates(reportStates.GetValueOrDefault("accepted"), reportStates.GetValueOrDefault("submitted"),
                reportStates.GetValueOrDefault("draft"), planned));
        totals.Style.Font.Bold = true;
        totals.Cells(1, 8).Style.Border.TopBorder = XLBorderStyleValues.Thin;
        var note = countries.LastRow + 1;
        sheet.Cell(note, 1).SetValue(
            "By the course's country. A person enrolled in several courses counts once in a country and once in the totals; response rate = reaction forms / enrolments.");
        sheet.Cell(note, 1).Style.Font.Italic = true;
        sheet.Cell(note, 1).Style.Font.FontSize = 9;

        // Chart data beside the printed area: trained against target per country, and the sector mix.
        const int dataColumn = 11;
        sheet.Column(dataColumn).Width = 18;
        var chartTop = note + 2;
        sheet.Cell(chartTop, dataColumn).SetValue("Chart data");
        sheet.Cell(chartTop, dataColumn).Style.Font.Bold = true;
        var trainedTable = new SheetTable(sheet,
            [new("Country", 18), new("Trained", 10, Workbooks.IntegerFormat), new("Target", 10, Workbooks.IntegerFormat)],
            firstColumn: dataColumn, headerRow: chartTop + 1);
        foreach (var c in figures.Countries)
        {
            trainedTable.Add(Labels.Country(c.CountryCode), c.Trained, null);
        }

        trainedTable.Add("Programme", training.ParticipantsTrained, training.TargetParticipantsTrained);
        var categories = figures.Countries.Select(c => Labels.Country(c.CountryCode)).Append("Programme").ToList();
        var first = trainedTable.HeaderRow + 1;
        var last = trainedTable.LastRow;

        var sectors = new SheetTable(sheet, [new("Sector", 18), new("Enrolled", 10, Workbooks.IntegerFormat)],
            firstColumn: dataColumn, headerRow: last + 2);
        var mix = training.SectorMix.Where(s => s.Value > 0).ToList();
        foreach (var (sector, count) in mix)
        {
            sectors.Add(Labels.For<Sector>(sector), count);
        }

        var chartRows = Math.Max(16, 2 * categories.Count + 6);
        yield return new ChartSpec(name, "Trained against target, by country", ChartKind.Bar,
        [
            new("Trained", ExcelCharts.Range(name, dataColumn, first, last), ExcelCharts.Range(name, dataColumn + 1, first, last),
                categories, trainedTable.Values(1), ExcelCharts.Palette[0]),
            new("Target", ExcelCharts.Range(name, dataColumn, first, last), ExcelCharts.Range(name, dataColumn + 2, first, last),
                categories, trainedTable.Values(2), ExcelCharts.Palette[1]),
        ], 1, chartTop, 4, chartTop + chartRows, Workbooks.IntegerFormat);
        if (mix.Count > 0)
        {
            var sectorLabels = mix.Select(m => Labels.For<Sector>(m.Key)).ToList();
            yield return new ChartSpec(name, "Participants by sector", ChartKind.Pie,
            [
                new("Enrolled", ExcelCharts.Range(name, dataColumn, sectors.HeaderRow + 1, sectors.LastRow),
                    ExcelCharts.Range(name, dataColumn + 1, sectors.HeaderRow + 1, sectors.LastRow),
                    sectorLabels, sectors.Values(1), ExcelCharts.Palette[0]),
            ], 5, chartTop, 9, chartTop + chartRows);
        }

        sheet.PageSetup.PrintAreas.Add(1, 1, chartTop + chartRows, 8);
        Workbooks.PrintSetup(sheet, programme.Code, asOf, repeatRows: 0, onePage: true);
    }

    private static void Headline(SheetTable table, string measure, int value, int outOf, string note)
    {
        table.Add(measure, value, outOf, outOf > 0 ? value / (double)outOf : null, note);
        table.Sheet.Cell(table.LastRow, 4).Style.NumberFormat.Format = Workbooks.PercentFormat;
        table.Sheet.Cell(table.LastRow, 5).Style.Alignment.Indent = 1;
    }

    /// <summary>"2 accepted, 1 submitted, 1 draft, 1 without"; a country's courses counted by their report's state.</summary>
    private static string ReportStates(int accepted, int submitted, int draft, int planned)
    {
        var without = Math.Max(planned - accepted - submitted - draft, 0);
        var parts = new List<string>();
        if (accepted > 0) parts.Add($"{accepted} accepted");
        if (submitted > 0) parts.Add($"{submitted} submitted");
        if (draft > 0) parts.Add($"{draft} draft");
        if (without > 0) parts.Add($"{without} not started");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static ChartSpec WritePhases(
        XLWorkbook workbook, IReadOnlyList<PhaseProgressDto> progress, IReadOnlyDictionary<int, PhaseRow> phases, string programme, DateOnly asOf)
    {
        var sheet = SheetTable.Add(workbook, "Phases",
        [
            new("Phase", 7, Workbooks.IntegerFormat),
            new("Kind", 26),
            new("Name", 40, Wrap: true),
            new("Status", 13),
            new("Planned start", 12, Workbooks.DateFormat),
            new("Planned end", 12, Workbooks.DateFormat),
            new("Milestones", 11, Workbooks.IntegerFormat),
            new("Completed", 11, Workbooks.IntegerFormat),
            new("Overdue", 9, Workbooks.IntegerFormat),
            new("Progress", 10, Workbooks.PercentFormat),
        ]);
        foreach (var p in progress)
        {
            var phase = phases.GetValueOrDefault(p.Number);
            sheet.Add(p.Number, Labels.For(p.Kind), phase?.Name, Labels.For(p.Status), phase?.PlannedStart, phase?.PlannedEnd,
                p.MilestonesTotal, p.MilestonesCompleted, p.MilestonesOverdue, p.Progress);
        }

        sheet.Filter();
        sheet.Highlight("$I2>0");
        Workbooks.PrintSetup(sheet.Sheet, programme, asOf);
        var first = sheet.HeaderRow + 1;
        return new ChartSpec("Phases", "Phase progress: milestones completed", ChartKind.Bar,
        [
            new("Progress", ExcelCharts.Range("Phases", 2, first, sheet.LastRow), ExcelCharts.Range("Phases", 10, first, sheet.LastRow),
                progress.Select(p => Labels.For(p.Kind)).ToList(), progress.Select(p => (double?)p.Progress).ToList(), ExcelCharts.Palette[5]),
        ], 2, sheet.LastRow + 2, 7, sheet.LastRow + 16, "0%", MaxValue: 1);
    }

    private static void WriteMilestones(XLWorkbook workbook, IReadOnlyList<MilestoneRow> milestones, string programme, DateOnly asOf)
    {
        var sheet = SheetTable.Add(workbook, "Milestones",
        [
            new("Due", 12, Workbooks.DateFormat),
            new("Milestone", 60, Wrap: true),
            new("Phase", 28),
            new("Kind", 12),
            new("Completed on", 13, Workbooks.DateFormat),
            new("Overdue", 9),
        ]);
        foreach (var m in milestones)
        {
            sheet.Add(m.DueDate, m.Title, $"{m.PhaseNumber} {Labels.For<PhaseKind>(m.PhaseKind)}", Labels.For<MilestoneKind>(m.Kind),
                m.CompletedOn, m.Overdue ? "Yes" : "");
        }

        sheet.Filter();
        sheet.Highlight("$F2=\"Yes\"");
        Workbooks.PrintSetup(sheet.Sheet, programme, asOf);
    }

    private static SheetTable WriteCourses(XLWorkbook workbook, IReadOnlyList<CourseRow> courses, string programme, DateOnly asOf)
    {
        var sheet = SheetTable.Add(workbook, "Courses",
        [
            new("Course", 40, Wrap: true),
            new("Country", 13),
            new("City", 13),
            new("Language", 11),
            new("Status", 17),
            new("Start", 11, Workbooks.DateFormat),
            new("End", 11, Workbooks.DateFormat),
            new("Minimum", 9, Workbooks.IntegerFormat),
            new("Maximum", 9, Workbooks.IntegerFormat),
            new("Sessions", 9, Workbooks.IntegerFormat),
            new("Enrolled", 9, Workbooks.IntegerFormat),
            new("Wait-listed", 9, Workbooks.IntegerFormat),
            new("Trained", 9, Workbooks.IntegerFormat),
            new("Completion rate", 11, Workbooks.PercentFormat),
            new("Completion threshold", 11, Workbooks.PercentFormat),
        ]);
        foreach (var c in courses)
        {
            sheet.Append(c.Title, Labels.Country(c.CountryCode), c.City, Labels.Language(c.Language), Labels.For<CourseStatus>(c.Status),
                c.StartDate, c.EndDate, c.MinParticipants, c.MaxParticipants, c.Sessions, c.Enrolled, c.Waitlisted, c.Trained,
                c.Enrolled > 0 ? c.Trained / (double)c.Enrolled : null, c.CompletionThreshold);
        }

        sheet.Filter();
        // Under minimum: fewer enrolled than the course needs to run (cancelled courses no longer need anyone).
        sheet.Highlight($"AND($K2<$H2,$E2<>\"{Labels.For(CourseStatus.Cancelled)}\")");
        Workbooks.PrintSetup(sheet.Sheet, programme, asOf);
        return sheet;
    }

    private static SheetTable WriteEvaluation(
        XLWorkbook workbook, IReadOnlyList<CourseRow> courses, IReadOnlyList<KnowledgeQuestion> knowledge, string programme, DateOnly asOf)
    {
        var sheet = SheetTable.Add(workbook, "Evaluation",
        [
            new("Course", 40, Wrap: true),
            new("Country", 13),
            new("Enrolled", 9, Workbooks.IntegerFormat),
            new("Responses", 10, Workbooks.IntegerFormat),
            new("On paper", 9, Workbooks.IntegerFormat),
            new("Response rate", 10, Workbooks.PercentFormat),
            new("Mean overall (1-5)", 10, Workbooks.DecimalFormat),
            new("Tests before", 9, Workbooks.IntegerFormat),
            new("Tests after", 9, Workbooks.IntegerFormat),
            new("Test pairs", 9, Workbooks.IntegerFormat),
            new("Correct before", 10, Workbooks.PercentFormat),
            new("Correct after", 10, Workbooks.PercentFormat),
            new("Knowledge gain", 10, "+0.0%;-0.0%;0.0%"),
            new("Expert report", 14),
            new("Report rating (1-5)", 9, Workbooks.IntegerFormat),
        ]);
        foreach (var c in courses)
        {
            sheet.Append(c.Title, Labels.Country(c.CountryCode), c.Enrolled, c.Responses, c.PaperResponses, c.Enrolled > 0 ? c.Responses / (double)c.Enrolled : null,
                c.MeanOverall, c.PreTests, c.PostTests, c.Pairs, c.MeanPre, c.MeanPost, c.MeanGain,
                ReportLabel(c.ReportState, c.ReturnComment), c.ReportRating);
        }

        sheet.Filter();
        sheet.Highlight("$N2=\"Returned\"");
        WriteKnowledge(sheet.Sheet, sheet.LastRow + 2, knowledge);
        Workbooks.PrintSetup(sheet.Sheet, programme, asOf);
        return sheet;
    }

    /// <summary>Per knowledge-test question: the share of answers that were correct before and after the course.</summary>
    internal static void WriteKnowledge(IXLWorksheet sheet, int headerRow, IReadOnlyList<KnowledgeQuestion> knowledge)
    {
        sheet.Cell(headerRow, 1).SetValue("Knowledge tests: share of answers correct, per question");
        sheet.Cell(headerRow, 1).Style.Font.Bold = true;
        if (knowledge.Count == 0)
        {
            sheet.Cell(headerRow + 1, 1).SetValue("No knowledge test answered yet.");
            return;
        }

        var header = headerRow + 1;
        string[] headers = ["Question", "", "Answers before", "Correct before", "Answers after", "Correct after", "Change"];
        for (var i = 0; i < headers.Length; i++)
        {
            sheet.Cell(header, 1 + i).SetValue(headers[i]);
        }

        var range = sheet.Range(header, 1, header, headers.Length);
        range.Style.Font.Bold = true;
        range.Style.Fill.BackgroundColor = Workbooks.HeaderFill;
        range.Style.Alignment.WrapText = true;
        sheet.Row(header).Height = 30;
        var row = header;
        var questionWidth = sheet.Column(1).Width + sheet.Column(2).Width;
        foreach (var q in knowledge)
        {
            row++;
            sheet.Range(row, 1, row, 2).Merge();
            sheet.Cell(row, 1).SetValue(q.Question);
            sheet.Cell(row, 1).Style.Alignment.WrapText = true;
            sheet.Row(row).Height = Workbooks.RowHeight([(q.Question, questionWidth)]);
            Workbooks.Set(sheet.Cell(row, 3), q.AnswersBefore);
            Workbooks.Set(sheet.Cell(row, 4), q.ShareBefore);
            Workbooks.Set(sheet.Cell(row, 5), q.AnswersAfter);
            Workbooks.Set(sheet.Cell(row, 6), q.ShareAfter);
            Workbooks.Set(sheet.Cell(row, 7), q.ShareAfter - q.ShareBefore);
            sheet.Cell(row, 3).Style.NumberFormat.Format = Workbooks.IntegerFormat;
            sheet.Cell(row, 5).Style.NumberFormat.Format = Workbooks.IntegerFormat;
            sheet.Cell(row, 4).Style.NumberFormat.Format = Workbooks.PercentFormat;
            sheet.Cell(row, 6).Style.NumberFormat.Format = Workbooks.PercentFormat;
            sheet.Cell(row, 7).Style.NumberFormat.Format = "+0.0%;-0.0%;0.0%";
        }
    }

    private static string ReportLabel(string? state, string? returnComment) =>
        state is null ? "None yet" : state == "draft" && returnComment is not null ? "Returned" : Labels.For<ReportState>(state);

    private static void WriteMeetings(XLWorkbook workbook, IReadOnlyList<MeetingRow> meetings, string programme, DateOnly asOf)
    {
        var sheet = SheetTable.Add(workbook, "Meetings",
        [
            new("Start", 11, Workbooks.DateFormat),
            new("End", 11, Workbooks.DateFormat),
            new("Kind", 16, Wrap: true),
            new("Meeting", 30, Wrap: true),
            new("City", 16, Wrap: true),
            new("Attendees", 10, Workbooks.IntegerFormat),
            new("Organisations", 13, Workbooks.IntegerFormat),
            new("Countries", 10, Workbooks.IntegerFormat),
            new("Recommendations", 17, Workbooks.IntegerFormat),
            new("Conclusions", 80, Wrap: true),
        ]);
        foreach (var m in meetings)
        {
            sheet.Add(m.StartDate, m.EndDate, Labels.For<MeetingKind>(m.Kind), m.Title, $"{m.City}, {Labels.Country(m.CountryCode)}",
                m.Attendees, m.Organisations, m.Countries, m.Recommendations,
                m.Conclusions ?? (m.EndDate <= asOf ? "(no conclusions recorded)" : "(not held yet)"));
        }

        sheet.Filter();
        Workbooks.PrintSetup(sheet.Sheet, programme, asOf);
    }

    private static SheetTable WriteReports(XLWorkbook workbook, IReadOnlyList<ReportRow> reports, string programme, DateOnly asOf)
    {
        var sheet = SheetTable.Add(workbook, "Reports",
        [
            new("Course", 22, Wrap: true),
            new("State", 11),
            new("Rating (1-5)", 8, Workbooks.IntegerFormat),
            new("Attended", 9, Workbooks.IntegerFormat),
            new("Summary", 36, Wrap: true),
            new("Strengths", 32, Wrap: true),
            new("Weaknesses", 32, Wrap: true),
            new("Recommendations", 36, Wrap: true),
            new("Return comment", 24, Wrap: true),
        ]);
        foreach (var r in reports)
        {
            sheet.Append($"{r.Course} ({Labels.Country(r.CountryCode)})", ReportLabel(r.State, r.ReturnComment), r.Rating, r.ParticipantsAttended,
                r.Summary, r.Strengths, r.Weaknesses, Workbooks.Lines(ReadList(r.Recommendations)), r.ReturnComment);
        }

        sheet.Filter();
        sheet.Highlight("$B2=\"Returned\"");
        Workbooks.PrintSetup(sheet.Sheet, programme, asOf);
        return sheet;
    }

    private static IEnumerable<string> ReadList(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [json]; // shown as written rather than lost
        }
    }

    private static void WriteRecommendations(XLWorkbook workbook, IReadOnlyList<RecommendationRow> recommendations, string programme, DateOnly asOf)
    {
        var sheet = SheetTable.Add(workbook, "Recommendations",
        [
            new("Meeting date", 11, Workbooks.DateFormat),
            new("Meeting", 30, Wrap: true),
            new("Recommendation", 70, Wrap: true),
            new("Owner", 20, Wrap: true),
            new("Due", 11, Workbooks.DateFormat),
            new("Status", 12),
            new("Overdue", 9),
        ]);
        foreach (var r in recommendations)
        {
            sheet.Add(r.MeetingDate, r.MeetingTitle, r.Text, r.Owner, r.DueDate, Labels.For<RecommendationStatus>(r.Status), r.Overdue ? "Yes" : "");
        }

        sheet.Filter();
        sheet.Highlight("$G2=\"Yes\"");
        Workbooks.PrintSetup(sheet.Sheet, programme, asOf);
    }

    private sealed record PhaseRow
    {
        public int Number { get; init; }

        public required string Name { get; init; }

        public DateOnly? PlannedStart { get; init; }

        public DateOnly? PlannedEnd { get; init; }
    }

    private sealed record MilestoneRow
    {
        public int PhaseNumber { get; init; }

        public required string PhaseKind { get; init; }

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

        public int Responses { get; init; }

        public int PaperResponses { get; init; }

        public double? MeanOverall { get; init; }

        public int PreTests { get; init; }

        public int PostTests { get; init; }

        public bool Released { get; init; }

        public int EnteredByViewer { get; init; }

        public int Pairs { get; init; }

        public double? MeanPre { get; init; }

        public double? MeanPost { get; init; }

        public double? MeanGain { get; init; }

        public string? ReportState { get; init; }

        public string? ReturnComment { get; init; }

        public int? ReportRating { get; init; }
    }

    private sealed record MeetingRow
    {
        public int Id { get; init; }

        public required string Kind { get; init; }

        public required string Title { get; init; }

        public required string City { get; init; }

        public required string CountryCode { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }

        public string? Conclusions { get; init; }

        public int Attendees { get; init; }

        public int Organisations { get; init; }

        public int Countries { get; init; }

        public int Recommendations { get; init; }
    }

    private sealed record ReportRow
    {
        public required string Course { get; init; }

        public required string CountryCode { get; init; }

        public required string City { get; init; }

        public required string State { get; init; }

        public string? ReturnComment { get; init; }

        public int? Rating { get; init; }

        public DateOnly? DeliveredOn { get; init; }

        public int? ParticipantsAttended { get; init; }

        public string? Summary { get; init; }

        public string? Strengths { get; init; }

        public string? Weaknesses { get; init; }

        public string? Recommendations { get; init; }
    }

    private sealed record RecommendationRow
    {
        public DateOnly MeetingDate { get; init; }

        public required string MeetingTitle { get; init; }

        public required string Text { get; init; }

        public string? Owner { get; init; }

        public DateOnly? DueDate { get; init; }

        public required string Status { get; init; }

        public bool Overdue { get; init; }
    }
}

/// <summary>A knowledge-test question and the share of its answers that were correct before and after the course.</summary>
internal sealed record KnowledgeQuestion
{
    public required string QuestionKey { get; init; }

    public required string Texts { get; init; }

    public int AnswersBefore { get; init; }

    public int CorrectBefore { get; init; }

    public int AnswersAfter { get; init; }

    public int CorrectAfter { get; init; }

    public double? ShareBefore => AnswersBefore > 0 ? CorrectBefore / (double)AnswersBefore : null;

    public double? ShareAfter => AnswersAfter > 0 ? CorrectAfter / (double)AnswersAfter : null;

    /// <summary>The question in English (or the first language the form has).</summary>
    public string Question
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(Texts);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return QuestionKey;
                }

                if (root.TryGetProperty("en", out var en) && en.ValueKind == JsonValueKind.String)
                {
                    return en.GetString()!;
                }

                return root.EnumerateObject().Select(p => p.Value).FirstOrDefault(v => v.ValueKind == JsonValueKind.String).GetString() ?? QuestionKey;
            }
            catch (JsonException)
            {
                return QuestionKey;
            }
        }
    }
}
