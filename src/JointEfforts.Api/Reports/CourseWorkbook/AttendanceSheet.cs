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
    /// <summary>What a sheet says where attendance was never recorded, instead of a count of 0.</summary>
    internal const string NotRecorded = "not recorded";

    /// <summary>What the Attendance sheet says of a session after the as-of day.</summary>
    internal const string NotHeld = "not held yet";

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
            if (!s.Held)
            {
                // A session after the as-of day had no register yet to take.
                var row = sheet.Add(s.Date, s.Title, s.Hours, enrolled, null, null, null, null, null, NotHeld);
                row.Cell(10).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
                row.Cell(10).Style.Alignment.Indent = 1;
                continue;
            }

            var recorded = s.Present + s.Late + s.Excused + s.Absent;
            if (recorded == 0)
            {
                // A register never taken is not a session nobody came to (issue 25): say so rather than print zeros.
                var row = sheet.Add(s.Date, s.Title, s.Hours, enrolled, null, null, null, null, enrolled, enrolled > 0 ? NotRecorded : null);
                row.Cell(10).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right; // never "27not recorded"
                row.Cell(10).Style.Alignment.Indent = 1;
                continue;
            }

            sheet.Add(s.Date, s.Title, s.Hours, enrolled, s.Present, s.Late, s.Excused, s.Absent,
                Math.Max(enrolled - recorded, 0), enrolled > 0 ? (s.Present + s.Late) / (double)enrolled : null);
        }

        sheet.Filter();
        Workbooks.PrintSetup(sheet.Sheet, footer, asOf);
    }
}
