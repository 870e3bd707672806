using System.Net;
using ClosedXML.Excel;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JointEfforts.Tests.Reports;

public sealed class SteeringWorkbookTests : IDisposable
{
    private readonly JointEffortsApp _app = new();
    private readonly WebApplicationFactory<Program> _server;

    public SteeringWorkbookTests() => _server = _app.OnToday();

    [Fact]
    public async Task TheSteeringWorkbookHoldsFiveTypedSheetsWithTheProgrammesFigures()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var steering = await _app.ClientAsync(_server, Role.SteeringGroup);

        var response = await steering.GetAsync($"/api/projects/{programme.ProjectId}/steering-report.xlsx");

        using var workbook = await response.ExpectWorkbook($"jointefforts-programme-{programme.ProjectId}-steering-report-2013-06-01.xlsx");
        Assert.Equal(["Phases", "Milestones", "Courses", "Evaluation", "Recommendations"], workbook.Worksheets.Select(s => s.Name));
        Assert.All(workbook.Worksheets, sheet => sheet.AssertTableSheet());

        var phases = workbook.Worksheet("Phases");
        Assert.Equal(
            ["Phase", "Kind", "Name", "Status", "Planned start", "Planned end", "Milestones", "Completed", "Overdue", "Progress"],
            phases.Headers());
        Assert.Equal(5, phases.DataRows().Count);
        var preparation = phases.RowWhere(2, "preparation");
        Assert.Equal(2, preparation.Cell(1).Number());
        Assert.Equal(4, preparation.Cell(7).Number());
        Assert.Equal(1, preparation.Cell(8).Number());
        Assert.Equal(1, preparation.Cell(9).Number());
        Assert.Equal(0.25, preparation.Cell(10).Number(), 9);
        Assert.Equal("0.0%", preparation.Cell(10).Style.NumberFormat.Format);
        Assert.Equal(1.0, phases.RowWhere(2, "planning").Cell(10).Number(), 9);

        var milestones = workbook.Worksheet("Milestones");
        Assert.Equal(["Phase", "Phase name", "Milestone", "Kind", "Due", "Completed on", "Overdue"], milestones.Headers());
        Assert.Equal(6, milestones.DataRows().Count);
        var overdue = milestones.RowWhere(3, "Training needs analysis");
        Assert.Equal(new DateTime(2013, 1, 1), overdue.Cell(5).Date());
        Assert.Equal("yyyy-mm-dd", overdue.Cell(5).Style.NumberFormat.Format);
        Assert.True(overdue.Cell(6).IsEmpty());
        Assert.Equal(XLDataType.Boolean, overdue.Cell(7).DataType);
        Assert.True(overdue.Cell(7).GetBoolean());
        Assert.False(milestones.RowWhere(3, "Trainer briefing").Cell(7).GetBoolean()); // due today
        Assert.Equal(new DateTime(2012, 6, 15), milestones.RowWhere(3, "First expert group meeting").Cell(6).Date());

        var courses = workbook.Worksheet("Courses");
        Assert.Equal(
            ["Course id", "Title", "Country", "City", "Language", "Status", "Start", "End", "Min", "Max", "Sessions",
             "Enrolled", "Waitlisted", "Trained", "Completion rate", "Completion threshold"],
            courses.Headers());
        Assert.Equal(4, courses.DataRows().Count); // the other programme's course is not here
        var at = courses.RowWhere(1, programme.CourseAt.ToString());
        Assert.Equal(programme.CourseAt, at.Cell(1).Number());
        Assert.Equal("AT", at.Cell(3).GetString());
        Assert.Equal("delivered", at.Cell(6).GetString());
        Assert.Equal(new DateTime(2013, 4, 15), at.Cell(7).Date());
        Assert.Equal(5, at.Cell(11).Number());
        Assert.Equal(4, at.Cell(12).Number());
        Assert.Equal(1, at.Cell(13).Number());
        Assert.Equal(2, at.Cell(14).Number());
        Assert.Equal(0.5, at.Cell(15).Number(), 9);
        Assert.Equal(0.8, at.Cell(16).Number(), 9);
        Assert.Equal("0.0%", at.Cell(16).Style.NumberFormat.Format);
        var nl = courses.RowWhere(1, programme.CourseNl.ToString());
        Assert.Equal(2, nl.Cell(12).Number());
        Assert.Equal(2, nl.Cell(14).Number());
        var cancelled = courses.RowWhere(1, programme.CourseCancelled.ToString());
        Assert.Equal(0, cancelled.Cell(14).Number()); // a cancelled course trains nobody, whatever its register says
        var al = courses.RowWhere(1, programme.CourseAl.ToString());
        Assert.Equal(0, al.Cell(11).Number());
        Assert.Equal(0, al.Cell(14).Number());

        var evaluation = workbook.Worksheet("Evaluation");
        Assert.Equal(
            ["Course id", "Title", "Country", "Language", "Status", "Enrolled", "Responses", "Response rate", "Mean overall (1-5)",
             "Pre-tests", "Post-tests", "Test pairs", "Mean pre-test", "Mean post-test", "Knowledge gain", "Report state",
             "Report rating (1-5)", "Report submitted", "Report accepted"],
            evaluation.Headers());
        var atEvaluation = evaluation.RowWhere(1, programme.CourseAt.ToString());
        Assert.Equal(4, atEvaluation.Cell(6).Number());
        Assert.Equal(3, atEvaluation.Cell(7).Number());
        Assert.Equal(0.75, atEvaluation.Cell(8).Number(), 9);
        Assert.Equal(13.0 / 3, atEvaluation.Cell(9).Number(), 9);
        Assert.Equal(3, atEvaluation.Cell(10).Number());
        Assert.Equal(3, atEvaluation.Cell(11).Number());
        Assert.Equal(2, atEvaluation.Cell(12).Number());
        Assert.Equal(0.45, atEvaluation.Cell(13).Number(), 9);
        Assert.Equal(0.85, atEvaluation.Cell(14).Number(), 9);
        Assert.Equal(0.40, atEvaluation.Cell(15).Number(), 9);
        Assert.Equal("submitted", atEvaluation.Cell(16).GetString());
        Assert.Equal(4, atEvaluation.Cell(17).Number());
        Assert.Equal(new DateTime(2013, 4, 25, 10, 0, 0), atEvaluation.Cell(18).Date());
        var nlEvaluation = evaluation.RowWhere(1, programme.CourseNl.ToString());
        Assert.Equal(2.0, nlEvaluation.Cell(9).Number(), 9);
        Assert.Equal("accepted", nlEvaluation.Cell(16).GetString());
        Assert.Equal("none", evaluation.RowWhere(1, programme.CourseAl.ToString()).Cell(16).GetString());
        Assert.True(evaluation.RowWhere(1, programme.CourseAl.ToString()).Cell(9).IsEmpty());

        var recommendations = workbook.Worksheet("Recommendations");
        Assert.Equal(
            ["Id", "Meeting date", "Meeting kind", "Meeting", "Recommendation", "Owner", "Due", "Status", "Overdue"],
            recommendations.Headers());
        Assert.Equal(3, recommendations.DataRows().Count);
        var involve = recommendations.RowWhere(5, "Involve health authorities in every pilot course.");
        Assert.Equal(new DateTime(2012, 4, 22), involve.Cell(2).Date());
        Assert.Equal(new DateTime(2013, 1, 1), involve.Cell(7).Date());
        Assert.Equal("open", involve.Cell(8).GetString());
        Assert.True(involve.Cell(9).GetBoolean());
        Assert.False(recommendations.RowWhere(5, "Add a session on unaccompanied minors.").Cell(9).GetBoolean()); // implemented
    }

    [Fact]
    public async Task TheSteeringWorkbookHoldsNoNamesOrEmailsOfParticipants()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var steering = await _app.ClientAsync(_server, Role.SteeringGroup);

        using var workbook = await (await steering.GetAsync($"/api/projects/{programme.ProjectId}/steering-report.xlsx"))
            .ExpectWorkbook($"jointefforts-programme-{programme.ProjectId}-steering-report-2013-06-01.xlsx");

        var text = workbook.AllText();
        foreach (var person in ReportGiven.People)
        {
            Assert.DoesNotContain(text, t => t.Contains(person, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(text, t => t.Contains(ReportGiven.EmailOf(person), StringComparison.OrdinalIgnoreCase));
        }

        Assert.DoesNotContain(text, t => t.Contains('@'));
    }

    [Fact]
    public async Task AProgrammeWithoutCoursesStillGetsAWorkbookWithItsPhases()
    {
        using var coordinator = await _app.ClientAsync(_server, Role.Coordinator);
        var id = await Given.ProjectAsync(coordinator, "BARE");

        using var workbook = await (await coordinator.GetAsync($"/api/projects/{id}/steering-report.xlsx"))
            .ExpectWorkbook($"jointefforts-programme-{id}-steering-report-2013-06-01.xlsx");

        Assert.Equal(5, workbook.Worksheet("Phases").DataRows().Count);
        Assert.Empty(workbook.Worksheet("Courses").DataRows());
        Assert.Equal("Course id", workbook.Worksheet("Courses").Cell(1, 1).GetString());
    }

    [Fact]
    public async Task CountryExpertsMayNotDownloadTheSteeringWorkbook()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await Given.ProjectAsync(coordinator);
        using var expert = await _app.ClientAsync(_server, Role.CountryExpert, "AT");

        await (await expert.GetAsync($"/api/projects/{id}/steering-report.xlsx")).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AnUnknownProgrammeHasNoSteeringWorkbook()
    {
        using var steering = await _app.ClientAsync(_server, Role.SteeringGroup);

        await (await steering.GetAsync("/api/projects/4040/steering-report.xlsx")).ExpectProblem(HttpStatusCode.NotFound);
    }

    public void Dispose() => _app.Dispose();
}
