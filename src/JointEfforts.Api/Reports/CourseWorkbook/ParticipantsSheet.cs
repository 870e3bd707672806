using System.Text.Json;
using ClosedXML.Excel;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Reports;

/// <summary>The course workbook's Participants sheet: the mix, and names for coordinators.</summary>
public static partial class CourseWorkbook
{
    /// <summary>The sector and seniority mix for everyone; beside it, for coordinators, the participants by name (never e-mails).</summary>
    private static void WriteParticipants(
        XLWorkbook workbook, IReadOnlyList<MixRow> mixRows, int enrolled, IReadOnlyList<ParticipantRow>? participants, string footer, DateOnly asOf)
    {
        var mix = SheetTable.Add(workbook, "Participants",
        [
            new("Sector or seniority", 20),
            new("Enrolled", 9, Workbooks.IntegerFormat),
            new("Trained", 9, Workbooks.IntegerFormat),
            new("Share of enrolled", 10, Workbooks.PercentFormat),
        ]);
        var bySector = mixRows.Where(m => m.Dimension == "sector").ToDictionary(s => s.Key, StringComparer.Ordinal);
        foreach (var sector in Training.Sectors.Where(bySector.ContainsKey).Concat(bySector.Keys.Except(Training.Sectors)))
        {
            var row = bySector[sector];
            mix.Add(Labels.For<Sector>(sector), row.Enrolled, row.Trained, enrolled > 0 ? row.Enrolled / (double)enrolled : null);
        }

        foreach (var row in mixRows.Where(m => m.Dimension == "seniority").OrderBy(m => Training.Seniorities.ToList().IndexOf(m.Key)))
        {
            mix.Add(Labels.For<Seniority>(row.Key), row.Enrolled, row.Trained, enrolled > 0 ? row.Enrolled / (double)enrolled : null);
        }

        Workbooks.PrintSetup(mix.Sheet, footer, asOf);
        if (participants is null)
        {
            mix.Filter();
            return;
        }

        var list = new SheetTable(workbook.Worksheet("Participants"),
        [
            new("Name", 24, Wrap: true),
            new("Organisation", 30, Wrap: true),
            new("Sector", 16),
            new("Country", 12),
            new("Seniority", 11),
            new("Sessions attended", 10, Workbooks.IntegerFormat),
            new("Sessions", 9, Workbooks.IntegerFormat),
            new("Attendance rate", 10, Workbooks.PercentFormat),
            new("Trained", 8),
        ], firstColumn: 6);
        workbook.Worksheet("Participants").Column(5).Width = 3;
        foreach (var p in participants)
        {
            list.Add(p.FullName ?? "(erased)", p.Organisation, Labels.For<Sector>(p.Sector), Labels.Country(p.CountryCode), Labels.For<Seniority>(p.Seniority),
                p.Attended, p.Sessions, p.Sessions > 0 ? p.Attended / (double)p.Sessions : null, p.Trained ? "Yes" : "No");
        }

        list.Filter();
    }
}
