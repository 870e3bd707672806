using System.Net;
using System.Text.Json;
using ClosedXML.Excel;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Reports;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JointEfforts.Tests.Reports;

public sealed class CourseWorkbookTests : IDisposable
{
    private readonly JointEffortsApp _app = new();
    private readonly WebApplicationFactory<Program> _server;

    public CourseWorkbookTests() => _server = _app.OnToday();

    private const string AtFile = "Reports-City-of-AT-2013-04-15-evaluation.xlsx";

    [Fact]
    public async Task TheCourseWorkbookHoldsTheCoursesRealFiguresInWords()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        ReleaseAt(programme);
        using var coordinator = await _app.ClientAsync(_server, Role.Coordinator);

        var bytes = await (await coordinator.GetAsync($"/api/courses/{programme.CourseAt}/evaluation-report.xlsx")).ExpectXlsx(AtFile);

        using var workbook = XlsxParts.Open(bytes);
        Assert.Equal(["Summary", "Attendance", "Questions", "Charts", "Comments", "Participants"], workbook.Worksheets.Select(s => s.Name));
        Assert.All(workbook.Worksheets.Where(s => s.Name is not ("Summary" or "Charts")), sheet => sheet.AssertTableSheet());

        var summary = workbook.Worksheet("Summary");
        Assert.Equal("Identifying victims: police and health (Vienna)", summary.Cell(1, 1).GetString());
        Assert.Equal(new DateTime(2013, 6, 1), summary.Cell(3, 2).Date());
        Assert.Equal("Austria, City of AT", Row(summary, "Country, city").Cell(2).GetString());
        Assert.Equal("Deutsch", Row(summary, "Language").Cell(2).GetString());
        Assert.Equal(new DateTime(2013, 4, 15), Row(summary, "Dates").Cell(2).Date());
        Assert.Equal("Evaluated", Row(summary, "Status").Cell(2).GetString());
        Assert.Equal(5, Row(summary, "Sessions").Cell(2).Number());
        var trained = Row(summary, "Participants trained");
        Assert.Equal([2.0, 4.0, 0.5], [trained.Cell(2).Number(), trained.Cell(3).Number(), trained.Cell(4).Number()]);
        var enrolled = Row(summary, "Participants enrolled");
        Assert.Equal([4.0, 40.0, 0.1], [enrolled.Cell(2).Number(), enrolled.Cell(3).Number(), enrolled.Cell(4).Number()]); // against the maximum
        Assert.Contains("range is 25–40, below its minimum", enrolled.Cell(5).GetString());
        Assert.Contains("1 wait-listed", enrolled.Cell(5).GetString());
        Assert.Equal(Workbooks.Attention.Color.ToArgb(), enrolled.Cell(1).Style.Fill.BackgroundColor.Color.ToArgb()); // under the minimum
        var responses = Row(summary, "Evaluation responses");
        Assert.Equal([3.0, 4.0, 0.75], [responses.Cell(2).Number(), responses.Cell(3).Number(), responses.Cell(4).Number()]);
        Assert.Contains("2 on paper, 1 online", responses.Cell(5).GetString());
        Assert.Equal(13.0 / 3, Row(summary, "Mean overall rating (1\u20115)").Cell(2).Number(), 9);
        var gain = Row(summary, "Knowledge gain (paired tests)");
        Assert.True(gain.Cell(2).IsEmpty()); // two test pairs: the count only, for anyone but an admin
        Assert.Equal(2, gain.Cell(3).Number());
        Assert.Equal("Accepted", Row(summary, "Expert report").Cell(2).GetString());
        Assert.Equal(4, Row(summary, "Expert report").Cell(3).Number());
        var austria = Row(summary, "Austria");
        Assert.Equal([4.0, 2.0], [austria.Cell(2).Number(), austria.Cell(3).Number()]);
        var totals = Row(summary, "All participants");
        Assert.True(totals.Cell(1).Style.Font.Bold);
        Assert.Equal([4.0, 2.0, 0.5], [totals.Cell(2).Number(), totals.Cell(3).Number(), totals.Cell(4).Number()]);

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
        Assert.Equal([1, 0, 1, 1, 1], Enumerable.Range(5, 5).Select(c => sessions[4].Cell(c).Number()));
        Assert.Equal(0.25, sessions[4].Cell(10).Number(), 9);

        var questions = workbook.Worksheet("Questions");
        Assert.Equal(
            ["Form", "#", "Question (en)", "Question (de)", "Type", "Answers", "Share of forms", "Mean",
             "1 - Very poor", "2 - Poor", "3 - Satisfactory", "4 - Good", "5 - Very good", "Choices (answers)", "Share correct"],
            questions.Headers());
        Assert.Equal(7, questions.DataRows().Count); // one row per question: 1 before, 5 reaction, 1 after
        var overall = Question(questions, "Overall, how satisfied are you with the course?");
        Assert.Equal("Reaction form", overall.Cell(1).GetString());
        Assert.Equal("Wie zufrieden sind Sie insgesamt mit dem Kurs?", overall.Cell(4).GetString());
        Assert.Equal("Scale 1-5", overall.Cell(5).GetString());
        Assert.Equal(3, overall.Cell(6).Number());
        Assert.Equal(1.0, overall.Cell(7).Number(), 9);
        Assert.Equal(13.0 / 3, overall.Cell(8).Number(), 9);
        Assert.Equal([0.0, 0, 0, 2, 1], Enumerable.Range(9, 5).Select(c => overall.Cell(c).Number()));
        Assert.Equal([0.0, 1, 1, 1, 0], Enumerable.Range(9, 5).Select(c => Question(questions, "How useful is the course for your work?").Cell(c).Number()));
        var format = Question(questions, "Which format helped you most?");
        Assert.Equal("Single choice", format.Cell(5).GetString());
        Assert.Equal("Lectures: 1\nWorkshops: 2\nCase studies: 0", format.Cell(14).GetString());
        Assert.True(format.Cell(8).IsEmpty()); // no mean for a choice
        // Two answers only: the count, nothing that could point at a person (the coordinator is not an admin).
        var topics = Question(questions, "Which topics were new to you?");
        Assert.Equal(2, topics.Cell(6).Number());
        Assert.Equal("not shown: fewer than 3 answers", topics.Cell(14).GetString());
        var before = questions.DataRows().Single(r => r.Cell(1).GetString() == "Knowledge test before");
        Assert.Equal("Police only: 2\nAny trained professional (correct): 1", before.Cell(14).GetString());
        Assert.Equal(1.0 / 3, before.Cell(15).Number(), 9);
        Assert.Equal(1.0, questions.DataRows().Single(r => r.Cell(1).GetString() == "Knowledge test after").Cell(15).Number(), 9);

        var comments = workbook.Worksheet("Comments");
        Assert.Equal(["Form", "Question (en)", "Question (de)", "Comment (in random order, not the order given)"], comments.Headers());
        var texts = comments.DataRows().Select(r => r.Cell(4)).ToList();
        Assert.Equal(3, texts.Count);
        Assert.All(texts, c => Assert.Equal(XLDataType.Text, c.DataType));
        Assert.All(texts, c => Assert.False(c.HasFormula));
        Assert.Contains(texts, c => c.GetString() == "=HYPERLINK(\"http://example.org\",\"click\")");
        Assert.Contains(texts, c => c.GetString() == "42");
        Assert.Equal("Was sollten wir verbessern?", comments.DataRows()[0].Cell(3).GetString());

        var text = workbook.AllText();
        foreach (var wire in new[] { "likert5", "singleChoice", "reaction", "preTest", "delivered", "lawEnforcement" })
        {
            Assert.DoesNotContain(wire, text);
        }
    }

    [Fact]
    public async Task TheCourseWorkbookPrintsOnA4AndChartsTheLikertAnswersAndTheKnowledgeTests()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        ReleaseAt(programme);
        using var steering = await _app.ClientAsync(_server, Role.SteeringGroup);

        var bytes = await (await steering.GetAsync($"/api/courses/{programme.CourseAt}/evaluation-report.xlsx?asOf=2013-11-30")).ExpectXlsx(AtFile);

        XlsxParts.AssertPrintable(bytes, "JE-REPORTS", "2013-11-30", "Summary", "Charts");
        var charts = XlsxParts.Charts(bytes);
        Assert.All(charts, c => Assert.Equal("Charts", c.Sheet));
        var likert = charts[0];
        Assert.Equal("bar", likert.Kind);
        Assert.Equal(["1 - Very poor", "2 - Poor", "3 - Satisfactory", "4 - Good", "5 - Very good"], likert.Series.Select(s => s.Name));
        Assert.Equal(["Overall, how satisfied are you with the course?", "How useful is the course for your work?"], likert.Series[0].CachedCategories);
        Assert.Equal([2.0, 1.0], likert.Series[3].CachedValues);
        Assert.Equal("'Charts'!$O$3:$O$4", likert.Series[0].Values);
        var knowledge = charts[1];
        Assert.Equal(["Before", "After"], knowledge.Series.Select(s => s.Name));
        Assert.Equal(["Who may identify a victim?"], knowledge.Series[0].CachedCategories);
        Assert.Equal(1.0 / 3, Assert.Single(knowledge.Series[0].CachedValues), 9);
        Assert.Equal(1.0, Assert.Single(knowledge.Series[1].CachedValues), 9);
    }

    [Fact]
    public async Task CommentsComeInRandomOrderAndAQuestionWithFewerThanThreeAnswersShowsItsCountOnlyExceptToAdmins()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        ReleaseAt(programme);
        using var coordinator = await _app.ClientAsync(_server, Role.Coordinator);
        using var steering = await _app.ClientAsync(_server, Role.SteeringGroup);
        using var admin = await _app.ClientAsync(_server, Role.Admin);

        var orders = new HashSet<string>();
        for (var i = 0; i < 8; i++)
        {
            using var workbook = XlsxParts.Open(await (await coordinator.GetAsync($"/api/courses/{programme.CourseAt}/evaluation-report.xlsx")).ExpectXlsx(AtFile));
            orders.Add(string.Join("|", workbook.Worksheet("Comments").DataRows().Select(r => r.Cell(4).GetString())));
        }

        Assert.True(orders.Count > 1, "eight downloads, one order: the comments are not shuffled");

        // The Amsterdam course has one reaction form: its overall rating of 2 is hidden from the steering group.
        const string nlFile = "Reports-City-of-NL-2013-04-15-evaluation.xlsx";
        using (var hidden = XlsxParts.Open(await (await steering.GetAsync($"/api/courses/{programme.CourseNl}/evaluation-report.xlsx")).ExpectXlsx(nlFile)))
        {
            var overall = Question(hidden.Worksheet("Questions"), "Overall, how satisfied are you with the course?");
            Assert.Equal(1, overall.Cell(6).Number());
            Assert.True(overall.Cell(8).IsEmpty());
            Assert.All(Enumerable.Range(9, 5), c => Assert.True(overall.Cell(c).IsEmpty()));
            Assert.Equal("not shown: fewer than 3 answers", overall.Cell(14).GetString());
            Assert.Empty(XlsxParts.Charts(await (await steering.GetAsync($"/api/courses/{programme.CourseNl}/evaluation-report.xlsx")).ExpectXlsx(nlFile)));
        }

        using (var hidden = XlsxParts.Open(await (await steering.GetAsync($"/api/courses/{programme.CourseNl}/evaluation-report.xlsx")).ExpectXlsx(nlFile)))
        {
            Assert.True(Row(hidden.Worksheet("Summary"), "Mean overall rating (1\u20115)").Cell(2).IsEmpty());
        }

        using (var atForAdmin = XlsxParts.Open(await (await admin.GetAsync($"/api/courses/{programme.CourseAt}/evaluation-report.xlsx")).ExpectXlsx(AtFile)))
        {
            Assert.Equal(40.0, Row(atForAdmin.Worksheet("Summary"), "Knowledge gain (paired tests)").Cell(2).Number(), 9); // percentage points
        }

        using var full = XlsxParts.Open(await (await admin.GetAsync($"/api/courses/{programme.CourseNl}/evaluation-report.xlsx")).ExpectXlsx(nlFile));
        Assert.Equal(2.0, Row(full.Worksheet("Summary"), "Mean overall rating (1\u20115)").Cell(2).Number(), 9);
        var shown = Question(full.Worksheet("Questions"), "Overall, how satisfied are you with the course?");
        Assert.Equal(2.0, shown.Cell(8).Number(), 9);
        Assert.Equal(1, shown.Cell(10).Number());
    }

    [Fact]
    public async Task CoordinatorsSeeParticipantsByNameButNeverTheirEmails()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var coordinator = await _app.ClientAsync(_server, Role.Coordinator);

        using var workbook = await (await coordinator.GetAsync($"/api/courses/{programme.CourseAt}/evaluation-report.xlsx"))
            .ExpectWorkbook(AtFile);

        var participants = workbook.Worksheet("Participants");
        Assert.Equal(["Sector or seniority", "Enrolled", "Trained", "Share of enrolled"], participants.Headers(1, 4));
        Assert.Equal(
            ["Name", "Organisation", "Sector", "Country", "Seniority", "Sessions attended", "Sessions", "Attendance rate", "Trained"],
            participants.Headers(6));
        var health = participants.RowWhere(1, "Health");
        Assert.Equal(2, health.Cell(2).Number());
        Assert.Equal(1, health.Cell(3).Number());
        Assert.Equal(0.5, health.Cell(4).Number(), 9);
        Assert.Equal(1, participants.RowWhere(1, "Law enforcement").Cell(3).Number());
        Assert.Equal(1, participants.RowWhere(1, "Senior staff").Cell(2).Number());

        var berta = participants.RowWhere(6, "Berta Gruber");
        Assert.Equal("Organisation of Berta Gruber", berta.Cell(7).GetString());
        Assert.Equal(4, berta.Cell(11).Number());
        Assert.Equal(5, berta.Cell(12).Number());
        Assert.Equal(0.8, berta.Cell(13).Number(), 9);
        Assert.Equal("Health", berta.Cell(8).GetString());
        Assert.Equal("Yes", berta.Cell(14).GetString());
        Assert.Equal("No", participants.RowWhere(6, "Carl Bauer").Cell(14).GetString());
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
            .ExpectWorkbook(AtFile);

        var participants = workbook.Worksheet("Participants");
        Assert.Equal(["Sector or seniority", "Enrolled", "Trained", "Share of enrolled"], participants.Headers());
        Assert.Equal(["Law enforcement", "Health", "NGO", "Senior staff", "Field staff"], participants.DataRows().Select(r => r.Cell(1).GetString()));
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
            .ExpectWorkbook("Reports-City-of-AL-2013-04-15-evaluation.xlsx");

        Assert.Empty(workbook.Worksheet("Attendance").DataRows());
        Assert.Empty(workbook.Worksheet("Questions").DataRows());
        Assert.Equal(1, Row(workbook.Worksheet("Summary"), "Participants trained").Cell(3).Number());
        Assert.Equal(0, Row(workbook.Worksheet("Summary"), "Participants trained").Cell(4).Number());
        Assert.Equal("Question (sq)", workbook.Worksheet("Questions").Cell(1, 4).GetString());
        Assert.Equal("No answers to chart yet.", workbook.Worksheet("Charts").Cell(3, 1).GetString());
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

    private static IXLRow Row(IXLWorksheet summary, string first) =>
        summary.RowsUsed().Single(r => r.Cell(1).GetString() == first);

    private static IXLRow Question(IXLWorksheet questions, string english) =>
        questions.DataRows().Single(r => r.Cell(3).GetString() == english);

    /// <summary>The Vienna course's evaluation closed (report accepted, course evaluated): its results are released.</summary>
    private void ReleaseAt(ReportGiven.Programme programme)
    {
        using var db = _app.OpenDatabase();
        ReportGiven.Release(db, programme.CourseAt);
    }

    public void Dispose() => _app.Dispose();
}
