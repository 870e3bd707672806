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

/// <summary>The steering workbook's Meetings sheet.</summary>
public static partial class SteeringWorkbook
{
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
            var held = m.EndDate <= asOf;
            sheet.Add(m.StartDate, m.EndDate, Labels.For<MeetingKind>(m.Kind), m.Title, $"{m.City}, {Labels.Country(m.CountryCode)}",
                // No list of attendees: "not recorded" for a meeting held, nothing yet for one to come as of the day (never "0 attendees").
                !held ? null : m.Attendees > 0 ? m.Attendees : CourseWorkbook.NotRecorded,
                held && m.Attendees > 0 ? m.Organisations : null, held && m.Attendees > 0 ? m.Countries : null, m.Recommendations,
                m.Conclusions ?? (m.EndDate <= asOf ? "(no conclusions recorded)" : "(not held yet)"));
        }

        sheet.Filter();
        Workbooks.PrintSetup(sheet.Sheet, programme, asOf);
    }
}
