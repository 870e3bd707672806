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

/// <summary>The steering workbook's Courses sheet: one row per course.</summary>
public static partial class SteeringWorkbook
{
    private static SheetTable WriteCourses(XLWorkbook workbook, IReadOnlyList<CourseRow> courses, string programme, DateOnly asOf)
    {
        var sheet = SheetTable.Add(workbook, "Courses",
        [
            new("Course", 40, Wrap: true),
            new("Country", 13),
            new("City", 13),
            new("Language", 11),
            new("Status", 17),
            new("Start", 11, Workbooks.DateFormat),
            new("End", 11, Workbooks.DateFormat),
            new("Minimum", 9, Workbooks.IntegerFormat),
            new("Maximum", 9, Workbooks.IntegerFormat),
            new("Sessions", 9, Workbooks.IntegerFormat),
            new("Enrolled", 9, Workbooks.IntegerFormat),
            new("Wait-listed", 9, Workbooks.IntegerFormat),
            new("Trained", 9, Workbooks.IntegerFormat),
            new("Completion rate", 11, Workbooks.PercentFormat),
            new("Completion threshold", 11, Workbooks.PercentFormat),
        ]);
        foreach (var c in courses)
        {
            sheet.Append(c.Title, Labels.Country(c.CountryCode), c.City, Labels.Language(c.Language), Labels.For<CourseStatus>(c.Status),
                c.StartDate, c.EndDate, c.MinParticipants, c.MaxParticipants, c.Sessions, c.Enrolled, c.Waitlisted, c.Trained,
                c.Enrolled > 0 ? c.Trained / (double)c.Enrolled : null, c.CompletionThreshold);
        }

        sheet.Filter();
        // Under minimum: fewer enrolled than the course needs to run (cancelled courses no longer need anyone).
        sheet.Highlight($"AND($K2<$H2,$E2<>\"{Labels.For(CourseStatus.Cancelled)}\")");
        Workbooks.PrintSetup(sheet.Sheet, programme, asOf);
        return sheet;
    }
}
