using System.Text.Json;
using ClosedXML.Excel;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Reports;

/// <summary>The course workbook's Charts sheet: the Likert answers and the knowledge tests drawn.</summary>
public static partial class CourseWorkbook
{
    /// <summary>
    /// The charts, drawn from small tables beside them: how each Likert question was answered (share of answers per
    /// anchor) and, per knowledge question, the share correct before and after.
    /// </summary>
    private static IEnumerable<ChartSpec> WriteCharts(
        XLWorkbook workbook, IReadOnlyList<LikertRow> likert, IReadOnlyList<KnowledgeQuestion> knowledge, string footer, DateOnly asOf)
    {
        const string name = "Charts";
        var sheet = workbook.AddWorksheet(name);
        sheet.Cell(1, 1).SetValue("Charts: answers to the reaction questions, knowledge tests before and after");
        sheet.Cell(1, 1).Style.Font.Bold = true;
        const int dataColumn = 14;
        var charts = new List<ChartSpec>();
        var likertHeight = Math.Max(14, 2 * likert.Count + 6);
        if (likert.Count > 0)
        {
            var table = new SheetTable(sheet,
                new Column[] { new("Question", 40) }.Concat(Labels.LikertAnchors.Select(a => new Column(a, 10, Workbooks.IntegerFormat))).ToList(),
                firstColumn: dataColumn, headerRow: 2);
            foreach (var q in likert)
            {
                table.Add([Shorten(q.Question), .. q.Counts.Select(c => (object?)c)]);
            }

            var categories = likert.Select(q => Shorten(q.Question)).ToList();
            var first = table.HeaderRow + 1;
            charts.Add(new ChartSpec(name, "Reaction questions: how the answers spread (share of answers)", ChartKind.Bar,
                Labels.LikertAnchors.Select((anchor, i) => new ChartSeries(anchor,
                    ExcelCharts.Range(name, dataColumn, first, table.LastRow), ExcelCharts.Range(name, dataColumn + 1 + i, first, table.LastRow),
                    categories, table.Values(1 + i), LikertColours[i])).ToList(),
                1, 3, 12, 3 + likertHeight, "0%", PercentStacked: true));
        }

        var top = 3 + likertHeight + 1;
        if (knowledge.Count > 0)
        {
            var table = new SheetTable(sheet,
                [new("Knowledge question", 40), new("Correct before", 10, Workbooks.PercentFormat), new("Correct after", 10, Workbooks.PercentFormat)],
                firstColumn: dataColumn, headerRow: top);
            foreach (var q in knowledge)
            {
                table.Add(Shorten(q.Question), q.ShareBefore, q.ShareAfter);
            }

            var categories = knowledge.Select(q => Shorten(q.Question)).ToList();
            var first = table.HeaderRow + 1;
            charts.Add(new ChartSpec(name, "Knowledge tests: share of answers correct, before and after the course", ChartKind.Bar,
            [
                new("Before", ExcelCharts.Range(name, dataColumn, first, table.LastRow), ExcelCharts.Range(name, dataColumn + 1, first, table.LastRow),
                    categories, table.Values(1), ExcelCharts.Palette[2]),
                new("After", ExcelCharts.Range(name, dataColumn, first, table.LastRow), ExcelCharts.Range(name, dataColumn + 2, first, table.LastRow),
                    categories, table.Values(2), ExcelCharts.Palette[0]),
            ], 1, top, 12, top + Math.Max(14, 3 * knowledge.Count + 5), "0%", MaxValue: 1));
            top += Math.Max(14, 3 * knowledge.Count + 5);
        }

        if (charts.Count == 0)
        {
            sheet.Cell(3, 1).SetValue("No answers to chart yet.");
        }

        sheet.PageSetup.PrintAreas.Add(1, 1, Math.Max(top, 4), 12);
        Workbooks.PrintSetup(sheet, footer, asOf, repeatRows: 1, onePage: true);
        return charts;
    }

    private static readonly string[] LikertColours = ["C00000", "F4B183", "D9D9D9", "9DC3E6", "2E75B6"];

    /// <summary>Chart categories read best short: the question cut at a word near 60 characters.</summary>
    private static string Shorten(string text)
    {
        if (text.Length <= 60)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', 57);
        return string.Concat(text.AsSpan(0, cut > 30 ? cut : 57), "…");
    }
}
