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

/// <summary>The steering workbook's Recommendations sheet.</summary>
public static partial class SteeringWorkbook
{
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
}
