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

/// <summary>The steering workbook's Reports sheet: each country expert's report.</summary>
public static partial class SteeringWorkbook
{
    private static SheetTable WriteReports(XLWorkbook workbook, IReadOnlyList<ReportRow> reports, string programme, DateOnly asOf)
    {
        var sheet = SheetTable.Add(workbook, "Reports",
        [
            new("Course", 22, Wrap: true),
            new("State", 11),
            new($"Rating {Workbooks.OneToFive}", 8, Workbooks.IntegerFormat),
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
}
