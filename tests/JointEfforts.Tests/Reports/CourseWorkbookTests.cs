using System.Net;
using System.Text.Json;
using ClosedXML.Excel;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JointEfforts.Tests.Reports;

public sealed class CourseWorkbookTests : IDisposable
{
    private readonly JointEffortsApp _app = new();
    private readonly WebApplicationFactory<Program> _server;

    public CourseWorkbookTests() => _server = _app.OnToday();

    [Fact]
    public async Task TheCourseWorkbookHoldsFiveSheetsWithTheCoursesRealFigures()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var coordinator = await _app.ClientAsync(_server, Role.Coordinator);

        using var workbook = await (await coordinator.GetAsync($"/api/courses/{programme.CourseAt}/evaluation-report.xlsx"))
            .ExpectWorkbook($"jointefforts-course-{programme.CourseAt}-evaluation.xlsx");

        Assert.Equal(["Summary", "Attendance", "Questions", "Comments", "Participants"], workbook.Worksheets.Select(s => s.Name));
        Assert.All(workbook.Worksheets.Where(s => s.Name != "Summary"), sheet => sheet.AssertTableSheet());

        var summary = workbook.Worksheet("Summary");
        Assert.Equal(["Measure", "Value"], summary.Headers());
        Assert.Equal(1, summary.SheetView.SplitRow);
        Assert.Equal("JE-REPORTS", Value(summary, "Programme").GetString());
        Assert.Equal(new DateTime(2013, 4, 15), Value(summary, "Start").Date());
        Assert.Equal(5, Value(summary, "Sessions").Number());
        Assert.Equal(4, Value(summary, "Enrolled").Number());
        Assert.Equal(1, Value(summary, "Waitlisted").Number());
        Assert.Equal(2, Value(summary, "Trained").Number());
        Assert.Equal(0.5, Value(summary, "Completion rate").Number(), 9);
        Assert.Equal("0.0%", Value(summary, "Completion rate").Style.NumberFormat.Format);
        Assert.Equal(0.8, Value(summary, "Completion threshold").Number(), 9);
        Assert.Equal(3, Value(summary, "Evaluation responses").Number());
        Assert.Equal(0.75, Value(summary, "Response rate").Number(), 9);
        Assert.Equal(13.0 / 3, Value(summary, "Mean overall (1-5)").Number(), 9);
        Assert.Equal(2, Value(summary, "Knowledge test pairs").Number());
        Assert.Equal(0.4, Value(summary, "Knowledge gain").Number(), 9);
        Assert.Equal("submitted", Value(summary, "Expert report").GetString());
        Assert.Equal(4, Value(summary, "Expert report rating (1-5)").Number());

        var attendance = workbook.Worksheet("Attendance");
        Assert.Equal(
            ["Date", "Session", "Hours", "Enrolled", "Present", "Late", "Excused", "Absent", "Not recorded", "Attendance rate"],
            attendance.Headers());
        var sessions = attendance.DataRows();
        Assert.Equal(5, sessions.Count);
        Assert.Equal(new DateTime(2013, 4, 15), sessions[0].Cell(1).Date());
        Assert.Equal(3.5, sessions[0].Cell(3).Number());
        Assert.Equal(3, sessions[0].Cell(5).Number()); // the waitlisted participant's presence does not count
        Assert.Equal(1, sessions[0].Cell(9).Number());
        Assert.Equal(0.75, sessions[0].Cell(10).Number(), 9);
        Assert.Equal([1, 1, 1, 0, 1], Enumerable.Range(5, 5).Select(c => sessions[3].Cell(c).Number()));
        Assert.Equal(0.5, sessions[3].Cell(10).Number(), 9);
        Assert.Equal([1, 0, 1, 1, 1], Enumerable.Range(5, 5).Select(c => sessions[4].Cell(c).Number()));
        Assert.Equal(0.25, sessions[4].Cell(10).Number(), 9);

        var questions = workbook.Worksheet("Questions");
        Assert.Equal(
            ["Form", "#", "Key", "Type", "Level", "Question (en)", "Question (de)", "Answer (en)", "Answer (de)", "Respondents", "Share", "Mean"],
            questions.Headers());
        var overall = QuestionRow(questions, "overall");
        Assert.Equal("reaction", overall.Cell(1).GetString());
        Assert.Equal("Overall, how satisfied are you with the course?", overall.Cell(6).GetString());
        Assert.Equal("Wie zufrieden sind Sie insgesamt mit dem Kurs?", overall.Cell(7).GetString());
        Assert.Equal(3, overall.Cell(10).Number());
        Assert.Equal(1.0, overall.Cell(11).Number(), 9);
        Assert.Equal(13.0 / 3, overall.Cell(12).Number(), 9);
        var fours = AnswerRow(questions, "overall", "4");
        Assert.Equal(2, fours.Cell(10).Number());
        Assert.Equal(2.0 / 3, fours.Cell(11).Number(), 9);
        Assert.Equal(0, AnswerRow(questions, "overall", "1").Cell(10).Number());
        Assert.Equal(3.0, QuestionRow(questions, "useful").Cell(12).Number(), 9);
        var lectures = AnswerRow(questions, "format", "Lectures");
        Assert.Equal("Vorträge", lectures.Cell(9).GetString());
        Assert.Equal(1, lectures.Cell(10).Number());
        Assert.Equal(2, AnswerRow(questions, "format", "Workshops").Cell(10).Number());
        Assert.Equal(0, AnswerRow(questions, "format", "Case studies").Cell(10).Number());
        Assert.Equal(2, QuestionRow(questions, "topics").Cell(10).Number());
        var health = AnswerRow(questions, "topics", "Health care for victims");
        Assert.Equal(2, health.Cell(10).Number());
        Assert.Equal(1.0, health.Cell(11).Number(), 9);
        Assert.True(QuestionRow(questions, "topics").Cell(12).IsEmpty()); // no mean for a choice
        Assert.Equal(2, questions.DataRows().Count(r => r.Cell(3).GetString() == "q1" && r.Cell(8).IsEmpty())); // pre and post test

        var comments = workbook.Worksheet("Comments");
        Assert.Equal(["Form", "Key", "Question (en)", "Question (de)", "Comment"], comments.Headers());
        var texts = comments.DataRows().Select(r => r.Cell(5)).ToList();
        Assert.Equal(3, texts.Count);
        Assert.All(texts, c => Assert.Equal(XLDataType.Text, c.DataType));
        Assert.All(texts, c => Assert.False(c.HasFormula));
        Assert.Contains(texts, c => c.GetString() == "=HYPERLINK(\"http://example.org\",\"click\")");
        Assert.Contains(texts, c => c.GetString() == "42");
        Assert.Equal("Was sollten wir verbessern?", comments.DataRows()[0].Cell(4).GetString());
    }

    [Fact]
    public async Task CoordinatorsSeeParticipantsByNameButNeverTheirEmails()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var coordinator = await _app.ClientAsync(_server, Role.Coordinator);

        using var workbook = await (await coordinator.GetAsync($"/api/courses/{programme.CourseAt}/evaluation-report.xlsx"))
            .ExpectWorkbook($"jointefforts-course-{programme.CourseAt}-evaluation.xlsx");

        var participants = workbook.Worksheet("Participants");
        Assert.Equal(["Sector", "Enrolled", "Trained", "Share of enrolled"], participants.Headers(1, 4));
        Assert.Equal(
            ["Name", "Organisation", "Sector", "Country", "Seniority", "Sessions attended", "Sessions", "Attendance rate", "Trained"],
            participants.Headers(6));
        var health = participants.RowWhere(1, "health");
        Assert.Equal(2, health.Cell(2).Number());
        Assert.Equal(1, health.Cell(3).Number());
        Assert.Equal(0.5, health.Cell(4).Number(), 9);
        Assert.Equal(1, participants.RowWhere(1, "lawEnforcement").Cell(3).Number());

        var berta = participants.RowWhere(6, "Berta Gruber");
        Assert.Equal("Organisation of Berta Gruber", berta.Cell(7).GetString());
        Assert.Equal(4, berta.Cell(11).Number());
        Assert.Equal(5, berta.Cell(12).Number());
        Assert.Equal(0.8, berta.Cell(13).Number(), 9);
        Assert.True(berta.Cell(14).GetBoolean());
        Assert.False(participants.RowWhere(6, "Carl Bauer").Cell(14).GetBoolean());
        Assert.Equal(4, participants.DataRows().Count(r => !r.Cell(6).IsEmpty())); // the waitlisted are not listed
        Assert.DoesNotContain(workbook.AllText(), t => t.Contains('@'));
    }

    [Theory]
    [InlineData(Role.SteeringGroup, null)]
    [InlineData(Role.CountryExpert, "AT")]
    public async Task OthersGetTheSectorMixWithoutAnyName(Role role, string? country)
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var client = await _app.ClientAsync(_server, role, country);

        using var workbook = await (await client.GetAsync($"/api/courses/{programme.CourseAt}/evaluation-report.xlsx"))
            .ExpectWorkbook($"jointefforts-course-{programme.CourseAt}-evaluation.xlsx");

        var participants = workbook.Worksheet("Participants");
        Assert.Equal(["Sector", "Enrolled", "Trained", "Share of enrolled"], participants.Headers());
        Assert.Equal(["lawEnforcement", "health", "ngo"], participants.DataRows().Select(r => r.Cell(1).GetString()));
        var text = workbook.AllText();
        foreach (var person in ReportGiven.People)
        {
            Assert.DoesNotContain(text, t => t.Contains(person, StringComparison.OrdinalIgnoreCase));
        }

        Assert.DoesNotContain(text, t => t.Contains('@'));
    }

    [Fact]
    public async Task ACountryExpertGetsTheWorkbooksOfTheirOwnCountryOnly()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var austria = await _app.ClientAsync(_server, Role.CountryExpert, "AT");
        using var netherlands = await _app.ClientAsync(_server, Role.CountryExpert, "NL");

        (await austria.GetAsync($"/api/courses/{programme.CourseAt}/evaluation-report.xlsx")).EnsureSuccessStatusCode();
        await (await austria.GetAsync($"/api/courses/{programme.CourseNl}/evaluation-report.xlsx")).ExpectProblem(HttpStatusCode.NotFound);
        await (await netherlands.GetAsync($"/api/courses/{programme.CourseAt}/evaluation-report.xlsx")).ExpectProblem(HttpStatusCode.NotFound);
        (await netherlands.GetAsync($"/api/courses/{programme.CourseNl}/evaluation-report.xlsx")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task AnUnknownCourseHasNoWorkbook()
    {
        using var coordinator = await _app.ClientAsync(_server, Role.Coordinator);

        var problem = await (await coordinator.GetAsync("/api/courses/4040/evaluation-report.xlsx")).ExpectProblem(HttpStatusCode.NotFound);

        Assert.Contains("4040", problem.GetProperty("detail").GetString());
        using var anonymous = _server.CreateClient();
        await (await anonymous.GetAsync("/api/courses/4040/evaluation-report.xlsx")).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ACourseWithoutSessionsOrAnswersStillGetsAWorkbook()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var coordinator = await _app.ClientAsync(_server, Role.Coordinator);

        using var workbook = await (await coordinator.GetAsync($"/api/courses/{programme.CourseAl}/evaluation-report.xlsx"))
            .ExpectWorkbook($"jointefforts-course-{programme.CourseAl}-evaluation.xlsx");

        Assert.Empty(workbook.Worksheet("Attendance").DataRows());
        Assert.Empty(workbook.Worksheet("Questions").DataRows());
        Assert.Equal(1, Value(workbook.Worksheet("Summary"), "Enrolled").Number());
        Assert.True(Value(workbook.Worksheet("Summary"), "Completion rate").Number() == 0);
        Assert.Equal("Question (sq)", workbook.Worksheet("Questions").Cell(1, 7).GetString());
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheDownloadsAsXlsx()
    {
        using var anonymous = _app.CreateAnonymousClient();

        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/courses/{id}/evaluation-report.xlsx", "/api/projects/{id}/steering-report.xlsx" })
        {
            var get = paths.GetProperty(path).GetProperty("get");
            Assert.True(get.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty(Xlsx.ContentType, out _), path);
            Assert.True(get.GetProperty("responses").TryGetProperty("404", out _), path);
            Assert.True(get.TryGetProperty("security", out _), path);
        }

        var dashboard = paths.GetProperty("/api/projects/{id}/dashboard").GetProperty("get");
        Assert.Equal("GetProgrammeDashboard", dashboard.GetProperty("operationId").GetString());
        Assert.Contains("overall", dashboard.GetProperty("description").GetString());
        Assert.Equal(JsonValueKind.Object, dashboard.GetProperty("responses").GetProperty("200").ValueKind);
    }

    private static IXLCell Value(IXLWorksheet summary, string measure) => summary.RowWhere(1, measure).Cell(2);

    private static IXLRow QuestionRow(IXLWorksheet questions, string key) =>
        questions.DataRows().First(r => r.Cell(3).GetString() == key && r.Cell(8).IsEmpty());

    private static IXLRow AnswerRow(IXLWorksheet questions, string key, string answer) =>
        questions.DataRows().Single(r => r.Cell(3).GetString() == key && r.Cell(8).GetString() == answer);

    public void Dispose() => _app.Dispose();
}
