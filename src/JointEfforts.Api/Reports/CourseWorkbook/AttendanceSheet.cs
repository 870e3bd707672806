using System.Text.Json;
using ClosedXML.Excel;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Reports;

/// <summary>The course workbook's Attendance sheet: each session's register counted.</summary>
public static partial class CourseWorkbook
{
    private static void WriteAttendance(XLWorkbook workbook, IReadOnlyList<SessionRow> sessions, int enrolled, string footer, DateOnly asOf)
    {
        var sheet = SheetTable.Add(workbook, "Attendance",
        [
            new("Date", 12, Workbooks.DateFormat),
            new("Session", 44, Wrap: true),
            new("Hours", 8, Workbooks.DecimalFormat),
            new("Enrolled", 10, Workbooks.IntegerFormat),
            new("Present", 10, Workbooks.IntegerFormat),
            new("Late", 8, Workbooks.IntegerFormat),
            new("Excused", 10, Workbooks.IntegerFormat),
            new("Absent", 9, Workbooks.IntegerFormat),
            new("Not recorded", 10, Workbooks.IntegerFormat),
            new("Attendance rate", 11, Workbooks.PercentFormat),
        ]);
        foreach (var s in sessions)
        {
            var recorded = s.Present + s.Late + s.Excused + s.Absent;
            sheet.Add(s.Date, s.Title, s.Hours, enrolled, s.Present, s.Late, s.Excused, s.Absent,
                Math.Max(enrolled - recorded, 0), enrolled > 0 ? (s.Present + s.Late) / (double)enrolled : null);
        }

        sheet.Filter();
        Workbooks.PrintSetup(sheet.Sheet, footer, asOf);
    }
}
