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

/// <summary>The steering workbook's Overview: one printed page of headline figures, countries and charts.</summary>
public static partial class SteeringWorkbook
{
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
        // A response rate counts delivered courses only: those enrolled in a course not yet given could not answer.
        var deliveredResponses = figures.Countries.Sum(c => c.DeliveredResponses);
        var deliveredEnrolments = figures.Countries.Sum(c => c.DeliveredEnrolments);
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
        Headline(headline, "Courses delivered", delivered, planned, "of the courses planned (cancelled ones left out)");
        Headline(headline, "Evaluation responses", deliveredResponses, deliveredEnrolments,
            $"of those enrolled in delivered courses; {figures.PaperResponses} on paper, {evaluation.Responses} in all");
        headline.Add($"Mean overall rating {Workbooks.OneToFive}", evaluation.MeanOverall);
        sheet.Cell(headline.LastRow, 2).Style.NumberFormat.Format = Workbooks.DecimalFormat;
        sheet.Cell(headline.LastRow, 5).SetValue("answers to \"Overall, how satisfied…\"");
        headline.Add("Knowledge gain (paired tests)", Workbooks.Points(gain.MeanGain), gain.Pairs);
        sheet.Cell(headline.LastRow, 2).Style.NumberFormat.Format = Workbooks.PointsFormat;
        sheet.Cell(headline.LastRow, 5).SetValue(gain.Pairs == 0
            ? "no paired knowledge tests yet"
            : gain.MeanGain is null ? $"test pairs: fewer than {CourseWorkbook.MinimumAnswersShown}, not shown"
            : $"percentage points; test pairs, from {gain.MeanPre:0.0%} correct before to {gain.MeanPost:0.0%} after");
        Headline(headline, "Expert reports accepted", reportStates.GetValueOrDefault("accepted"), planned,
            $"{reportStates.GetValueOrDefault("submitted")} submitted (awaiting the steering group), {reportStates.GetValueOrDefault("draft")} draft ({returned} returned)");
        Headline(headline, "Milestones overdue", overdue, milestonesTotal, "not completed and due before the as-of date");
        var overdueRow = headline.LastRow;
        if (programme.BudgetCurrency is { } currency)
        {
            // The budget as the programme's documents state it (issue 25): the final cost against the initial one, and the grant.
            headline.Add($"Budget ({currency}): final cost", programme.BudgetFinal ?? programme.BudgetInitial, programme.BudgetInitial);
            sheet.Cell(headline.LastRow, 2).Style.NumberFormat.Format = "#,##0";
            sheet.Cell(headline.LastRow, 3).Style.NumberFormat.Format = "#,##0";
            sheet.Cell(headline.LastRow, 5).SetValue(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"out of the initial cost; {programme.BudgetGranted:#,0} {currency} from {programme.Funder}"));
        }

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
            new($"Mean overall {Workbooks.OneToFive}", 12, Workbooks.DecimalFormat), new("Knowledge gain (points)", 13, Workbooks.PointsFormat),
            new("Expert reports", 34, Wrap: true),
        ], headerRow: headline.LastRow + 2);
        // Countries by their name, as a reader looks them up (not by ISO code).
        var byName = figures.Countries.OrderBy(c => Labels.Country(c.CountryCode), StringComparer.InvariantCulture).ToList();
        foreach (var c in byName)
        {
            countries.Add(Labels.Country(c.CountryCode), c.Courses, c.Enrolled, c.Trained, c.ResponseRate, c.MeanOverall,
                Workbooks.Points(c.KnowledgeGain), ReportStates(c.ReportsAccepted, c.ReportsSubmitted, c.ReportsDraft, c.Planned));
        }

        var totals = countries.Add("All countries", figures.Countries.Sum(c => c.Courses), training.ParticipantsEnrolled,
            training.ParticipantsTrained, deliveredEnrolments > 0 ? Math.Min(1, deliveredResponses / (double)deliveredEnrolments) : null, evaluation.MeanOverall,
            Workbooks.Points(gain.MeanGain), ReportStates(reportStates.GetValueOrDefault("accepted"), reportStates.GetValueOrDefault("submitted"),
                reportStates.GetValueOrDefault("draft"), planned));
        totals.Style.Font.Bold = true;
        totals.Cells(1, 8).Style.Border.TopBorder = XLBorderStyleValues.Thin;
        sheet.Range(countries.HeaderRow, 8, countries.LastRow, 8).Style.Alignment.Indent = 1; // "+23.7 points" never runs into "1 accepted"
        var note = countries.LastRow + 1;
        sheet.Cell(note, 1).SetValue(
            "By the course's country. A person enrolled in several courses counts once in a country and once in the totals; response rate = reaction forms / enrolments, of delivered courses only.");
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
        foreach (var c in byName)
        {
            trainedTable.Add(Labels.Country(c.CountryCode), c.Trained, null);
        }

        trainedTable.Add("Programme", training.ParticipantsTrained, training.TargetParticipantsTrained);
        var categories = byName.Select(c => Labels.Country(c.CountryCode)).Append("Programme").ToList();
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
}
