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

/// <summary>The steering workbook's Milestones sheet.</summary>
public static partial class SteeringWorkbook
{
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
}
