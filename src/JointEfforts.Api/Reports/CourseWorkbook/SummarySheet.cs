using System.Text.Json;
using ClosedXML.Excel;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Figures;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Reports;

/// <summary>The course workbook's Summary sheet: one printed page of the course and its headline figures.</summary>
public static partial class CourseWorkbook
{
    private static void WriteSummary(
        XLWorkbook workbook, CourseRow course, CourseCounts counts, CourseFigures figures, bool released, ReportRow? report, IReadOnlyList<MixRow> mix, string footer, DateOnly asOf)
    {
        var sheet = workbook.AddWorksheet("Summary");
        double[] widths = [34, 13, 13, 11, 14, 14, 14, 20];
        for (var i = 0; i < widths.Length; i++)
        {
            sheet.Column(i + 1).Width = widths[i];
        }

        Workbooks.Title(sheet, course.Title, widths.Sum());
        sheet.Cell(2, 1).SetValue($"{course.ProgrammeCode} · course evaluation · funded by {course.Funder}");
        sheet.Cell(3, 1).SetValue("As of");
        sheet.Cell(3, 1).Style.Font.Bold = true;
        Workbooks.Set(sheet.Cell(3, 2), asOf);
        sheet.Cell(3, 2).Style.NumberFormat.Format = Workbooks.DateFormat;
        sheet.Cell(3, 2).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;

        var facts = new SheetTable(sheet, [new("Course", 34), new("", 13), new("", 13)], headerRow: 5);
        facts.Add("Country, city", $"{Labels.Country(course.CountryCode)}, {course.City}");
        facts.Add("Venue", course.Venue);
        facts.Add("Language", Labels.Language(course.Language));
        facts.Add("Dates", course.StartDate, course.EndDate);
        facts.Sheet.Range(facts.LastRow, 2, facts.LastRow, 3).Style.NumberFormat.Format = Workbooks.DateFormat;
        facts.Add("Status", Labels.For<CourseStatus>(course.Status));
        facts.Add("Sessions", counts.Sessions);
        foreach (var row in Enumerable.Range(facts.HeaderRow + 1, facts.Rows))
        {
            sheet.Cell(row, 2).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
        }

        var responded = figures.Responses.Reaction;
        var paper = figures.PaperResponses.Reaction;
        var headline = new SheetTable(sheet, [new("Headline figures", 34), new("Value", 13), new("Out of", 13), new("Share", 11), new("What it counts", 14)],
            headerRow: facts.LastRow + 2);
        sheet.Range(headline.HeaderRow, 5, headline.HeaderRow, 8).Merge();
        Headline(headline, "Participants trained", counts.Trained, counts.Enrolled,
            $"of those enrolled: attended at least {course.CompletionThreshold:0%} of the sessions");
        // Enrolment is measured against the course's range and its maximum (a share of the minimum can pass 100 %).
        Headline(headline, "Participants enrolled", counts.Enrolled, course.MaxParticipants,
            $"against the maximum; the course's range is {course.MinParticipants}–{course.MaxParticipants}" +
            (counts.Enrolled < course.MinParticipants ? ", below its minimum" : "") + $"; {counts.Waitlisted} wait-listed");
        if (counts.Enrolled < course.MinParticipants && course.Status != "cancelled")
        {
            sheet.Range(headline.LastRow, 1, headline.LastRow, 4).Style.Fill.BackgroundColor = Workbooks.Attention;
        }

        // Only a delivered course could have been answered by everyone enrolled: before, no rate (the one rule, CourseFigures).
        headline.Add("Evaluation responses", responded, counts.Enrolled, figures.DeliveredResponseRate,
            figures.Delivered
                ? $"of those enrolled (course delivered); {paper} on paper, {responded - paper} online"
                : $"so far ({paper} on paper); no rate until the course is delivered");
        sheet.Cell(headline.LastRow, 4).Style.NumberFormat.Format = Workbooks.PercentFormat;
        sheet.Cell(headline.LastRow, 5).Style.Alignment.Indent = 1;
        var withheld = released ? $"fewer than {MinimumAnswersShown} answers: not shown" : "shown when the course's evaluation closes (report accepted)";
        var meanOverall = figures.MeanOverall;
        headline.Add($"Mean overall rating {Workbooks.OneToFive}", meanOverall, null, null,
            meanOverall is null && responded > 0 ? withheld : "answers to \"Overall, how satisfied…\"");
        sheet.Cell(headline.LastRow, 2).Style.NumberFormat.Format = Workbooks.DecimalFormat;
        // Knowledge gain: the mean of paired tests (the same code before and after), in percentage points, as everywhere.
        var knowledge = figures.KnowledgeGain;
        headline.Add("Knowledge gain (paired tests)", Workbooks.Points(knowledge.MeanGain), knowledge.Pairs, null,
            knowledge.Pairs == 0 ? "no paired knowledge tests yet"
                : knowledge.MeanGain is null ? (released ? $"test pairs: fewer than {MinimumAnswersShown}, not shown" : withheld)
                : $"percentage points; test pairs, from {knowledge.MeanPre:0.0%} correct before to {knowledge.MeanPost:0.0%} after");
        sheet.Cell(headline.LastRow, 2).Style.NumberFormat.Format = Workbooks.PointsFormat;
        var returned = report is { State: "draft", ReturnComment: not null };
        headline.Add("Expert report", report is null ? "None yet" : returned ? "Returned" : Labels.For<ReportState>(report.State),
            report?.OverallRating, null,
            report is null ? "the country expert has not started it"
                : returned ? $"returned: {report.ReturnComment}"
                : $"rating of {report.OverallRating?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–"} of 5; {report.ParticipantsAttended?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–"} attended, delivered {report.DeliveredOn:yyyy-MM-dd}");
        if (returned)
        {
            sheet.Range(headline.LastRow, 1, headline.LastRow, 4).Style.Fill.BackgroundColor = Workbooks.Attention;
        }

        foreach (var row in Enumerable.Range(headline.HeaderRow, headline.Rows + 1))
        {
            sheet.Range(row, 5, row, 8).Merge();
            sheet.Cell(row, 2).Style.Font.Bold = row > headline.HeaderRow;
            sheet.Cell(row, 2).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
        }

        var countries = new SheetTable(sheet,
        [
            new("Participants by country", 34), new("Enrolled", 13, Workbooks.IntegerFormat), new("Trained", 13, Workbooks.IntegerFormat),
            new("Trained share", 11, Workbooks.PercentFormat),
        ], headerRow: headline.LastRow + 2);
        foreach (var c in mix.Where(m => m.Dimension == "country").OrderByDescending(m => m.Enrolled).ThenBy(m => m.Key, StringComparer.Ordinal))
        {
            countries.Add(Labels.Country(c.Key), c.Enrolled, c.Trained, c.Enrolled > 0 ? c.Trained / (double)c.Enrolled : null);
        }

        var totals = countries.Add("All participants", counts.Enrolled, counts.Trained, counts.Enrolled > 0 ? counts.Trained / (double)counts.Enrolled : null);
        totals.Style.Font.Bold = true;
        totals.Cells(1, 4).Style.Border.TopBorder = XLBorderStyleValues.Thin;
        var note = countries.LastRow + 1;
        sheet.Cell(note, 1).SetValue("Evaluations are anonymous: responses, ratings and test results cannot be split by participant or country.");
        sheet.Cell(note, 1).Style.Font.Italic = true;
        sheet.Cell(note, 1).Style.Font.FontSize = 9;
        sheet.PageSetup.PrintAreas.Add(1, 1, note, 8);
        Workbooks.PrintSetup(sheet, footer, asOf, repeatRows: 0, onePage: true);
    }

    private static void Headline(SheetTable table, string measure, int value, int outOf, string note)
    {
        table.Add(measure, value, outOf, outOf > 0 ? Math.Min(value / (double)outOf, 1) : null, note);
        table.Sheet.Cell(table.LastRow, 4).Style.NumberFormat.Format = Workbooks.PercentFormat;
        table.Sheet.Cell(table.LastRow, 5).Style.Alignment.Indent = 1;
    }
}
