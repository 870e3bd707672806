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

/// <summary>The steering workbook's Evaluation sheet: each course's evaluation and the knowledge tests per question.</summary>
public static partial class SteeringWorkbook
{
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
            new($"Mean overall {Workbooks.OneToFive}", 10, Workbooks.DecimalFormat),
            new("Tests before", 9, Workbooks.IntegerFormat),
            new("Tests after", 9, Workbooks.IntegerFormat),
            new("Test pairs", 9, Workbooks.IntegerFormat),
            new("Correct before", 10, Workbooks.PercentFormat),
            new("Correct after", 10, Workbooks.PercentFormat),
            new("Knowledge gain (points)", 13, Workbooks.PointsFormat),
            new("Expert report", 14),
            new($"Report rating {Workbooks.OneToFive}", 9, Workbooks.IntegerFormat),
        ]);
        foreach (var c in courses)
        {
            sheet.Append(c.Title, Labels.Country(c.CountryCode), c.Enrolled, c.Responses, c.PaperResponses, c.Enrolled > 0 ? c.Responses / (double)c.Enrolled : null,
                c.MeanOverall, c.PreTests, c.PostTests, c.Pairs, c.MeanPre, c.MeanPost, Workbooks.Points(c.MeanGain),
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
        string[] headers = ["Question", "", "Answers before", "Correct before", "Answers after", "Correct after", "Change (points)"];
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
            Workbooks.Set(sheet.Cell(row, 7), Workbooks.Points(q.ShareAfter - q.ShareBefore));
            sheet.Cell(row, 3).Style.NumberFormat.Format = Workbooks.IntegerFormat;
            sheet.Cell(row, 5).Style.NumberFormat.Format = Workbooks.IntegerFormat;
            sheet.Cell(row, 4).Style.NumberFormat.Format = Workbooks.PercentFormat;
            sheet.Cell(row, 6).Style.NumberFormat.Format = Workbooks.PercentFormat;
            sheet.Cell(row, 7).Style.NumberFormat.Format = Workbooks.PointsFormat;
        }
    }

    private static string ReportLabel(string? state, string? returnComment) =>
        state is null ? "None yet" : state == "draft" && returnComment is not null ? "Returned" : Labels.For<ReportState>(state);
}
