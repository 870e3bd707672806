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

/// <summary>The steering workbook's Phases sheet.</summary>
public static partial class SteeringWorkbook
{
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
}
