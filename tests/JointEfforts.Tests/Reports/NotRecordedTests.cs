using System.Net;
using ClosedXML.Excel;
using Dapper;
using JointEfforts.Api.Demo;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Reports;

/// <summary>Issue 25: where attendance was never recorded the workbooks say "not recorded", never "0 attendees" or 0 %.</summary>
public sealed class NotRecordedTests
{
    private const string SteeringToken = "je_demo_steering_2c7a9e4b6d1f8350a3b9e7c1d5f2a8e4";

    [Fact]
    public async Task AMeetingHeldWithoutAListOfAttendeesReadsNotRecordedAndOneToComeReadsNothing()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        int projectId;
        using (var db = app.OpenDatabase())
        {
            projectId = db.ExecuteScalar<int>("SELECT id FROM projects WHERE code = @code", new { code = DemoSeed.ProjectCode });
        }

        using var steering = app.ClientWithToken(SteeringToken);
        var response = await steering.GetAsync($"/api/projects/{projectId}/steering-report.xlsx?asOf=2013-11-30");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var book = XlsxParts.Open(await response.Content.ReadAsByteArrayAsync());
        var rows = book.Worksheet("Meetings").RowsUsed().Skip(1).Where(r => r.Cell(1).DataType == XLDataType.DateTime).ToList();
        // The demo lists the attendees of the Antwerp meeting (2012-04-23) only.
        var antwerp = rows.Single(r => r.Cell(2).GetDateTime() == new DateTime(2012, 4, 23));
        Assert.Equal(12, antwerp.Cell(6).GetDouble());
        var kickOff = rows.Single(r => r.Cell(2).GetDateTime() == new DateTime(2011, 12, 13));
        Assert.Equal("not recorded", kickOff.Cell(6).GetString());
        Assert.True(kickOff.Cell(7).IsEmpty());
        var toCome = rows.Single(r => r.Cell(2).GetDateTime() == new DateTime(2014, 3, 6));
        Assert.True(toCome.Cell(6).IsEmpty());
        Assert.DoesNotContain(rows, r => r.Cell(6).DataType == XLDataType.Number && r.Cell(6).GetDouble() == 0);
    }

    [Fact]
    public async Task ASessionWhoseRegisterWasNeverTakenReadsNotRecordedInsteadOfNobodyPresent()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        int courseId, recordedId;
        using (var db = app.OpenDatabase())
        {
            var projectId = db.ExecuteScalar<int>("SELECT id FROM projects WHERE code = @code", new { code = DemoSeed.ProjectCode });
            const string Sessions = """
                SELECT c.id FROM courses c WHERE c.project_id = @projectId AND c.session_count > 0
                  AND (SELECT COUNT(*) FROM attendance a JOIN course_sessions s ON s.id = a.session_id WHERE s.course_id = c.id) {0} 0
                  AND (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled') > 0
                ORDER BY c.id LIMIT 1
                """;
            courseId = db.ExecuteScalar<int>(string.Format(Sessions, "="), new { projectId });
            recordedId = db.ExecuteScalar<int>(string.Format(Sessions, ">"), new { projectId });
        }

        using var steering = app.ClientWithToken(SteeringToken);
        var unrecorded = await AttendanceAsync(steering, courseId);
        Assert.NotEmpty(unrecorded);
        Assert.All(unrecorded, r =>
        {
            Assert.True(r.Cell(5).IsEmpty(), "no count of present");
            Assert.Equal(r.Cell(4).GetDouble(), r.Cell(9).GetDouble()); // every enrolled one not recorded
            Assert.Equal("not recorded", r.Cell(10).GetString());
        });
        var recorded = await AttendanceAsync(steering, recordedId);
        Assert.All(recorded, r => Assert.Equal(XLDataType.Number, r.Cell(10).DataType));
    }

    private static async Task<List<IXLRow>> AttendanceAsync(HttpClient client, int courseId)
    {
        var response = await client.GetAsync($"/api/courses/{courseId}/evaluation-report.xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var book = XlsxParts.Open(await response.Content.ReadAsByteArrayAsync());
        return book.Worksheet("Attendance").RowsUsed().Skip(1).Where(r => r.Cell(1).DataType == XLDataType.DateTime).ToList();
    }
}
