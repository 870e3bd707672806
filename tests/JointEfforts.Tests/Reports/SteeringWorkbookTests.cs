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
    public async Task TheSteeringWorkbookHoldsTheProgrammesFiguresInWordsWithTypedCells()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var steering = await _app.ClientAsync(_server, Role.Admin); // every figure, however few answers behind it

        var bytes = await (await steering.GetAsync($"/api/projects/{programme.ProjectId}/steering-report.xlsx")).ExpectXlsx("Reports-2013-06-01-steering.xlsx");

        using var workbook = XlsxParts.Open(bytes);
        Assert.Equal(["Overview", "Phases", "Milestones", "Courses", "Evaluation", "Meetings", "Reports", "Recommendations"],
            workbook.Worksheets.Select(s => s.Name));
        Assert.All(workbook.Worksheets.Where(s => s.Name != "Overview"), sheet => sheet.AssertTableSheet());

        var phases = workbook.Worksheet("Phases");
        Assert.Equal(
            ["Phase", "Kind", "Name", "Status", "Planned start", "Planned end", "Milestones", "Completed", "Overdue", "Progress"],
            phases.Headers());
        Assert.Equal(5, phases.DataRows().Count);
        var preparation = phases.RowWhere(2, "Preparation");
        Assert.Equal(2, preparation.Cell(1).Number());
        Assert.Equal("Not started", preparation.Cell(4).GetString());
        Assert.Equal(4, preparation.Cell(7).Number());
        Assert.Equal(1, preparation.Cell(8).Number());
        Assert.Equal(1, preparation.Cell(9).Number());
        Assert.Equal(0.25, preparation.Cell(10).Number(), 9);
        Assert.Equal("0.0%", preparation.Cell(10).Style.NumberFormat.Format);
        Assert.Equal("Testing and implementation", phases.Cell(5, 2).GetString());
        Assert.Equal(1.0, phases.RowWhere(2, "Planning").Cell(10).Number(), 9);

        var milestones = workbook.Worksheet("Milestones");
        Assert.Equal(["Due", "Milestone", "Phase", "Kind", "Completed on", "Overdue"], milestones.Headers());
        Assert.Equal(6, milestones.DataRows().Count);
        var overdue = milestones.RowWhere(2, "Training needs analysis");
        Assert.Equal(new DateTime(2013, 1, 1), overdue.Cell(1).Date());
        Assert.Equal("yyyy-mm-dd", overdue.Cell(1).Style.NumberFormat.Format);
        Assert.Equal("2 Preparation", overdue.Cell(3).GetString());
        Assert.Equal("Deliverable", overdue.Cell(4).GetString());
        Assert.True(overdue.Cell(5).IsEmpty());
        Assert.Equal("Yes", overdue.Cell(6).GetString());
        Assert.Equal("", milestones.RowWhere(2, "Trainer briefing").Cell(6).GetString()); // due today
        Assert.Equal(new DateTime(2012, 6, 15), milestones.RowWhere(2, "First expert group meeting").Cell(5).Date());
        AssertHighlights(milestones, "$F2=\"Yes\"");

        var courses = workbook.Worksheet("Courses");
        Assert.Equal(
            ["Course", "Country", "City", "Language", "Status", "Start", "End", "Minimum", "Maximum", "Sessions",
             "Enrolled", "Wait-listed", "Trained", "Completion rate", "Completion threshold"],
            courses.Headers());
        Assert.Equal(4, courses.DataRows().Count); // the other programme's course is not here
        var at = courses.RowWhere(1, "Identifying victims: police and health (Vienna)");
        Assert.Equal("Austria", at.Cell(2).GetString());
        Assert.Equal("Deutsch", at.Cell(4).GetString());
        Assert.Equal("Delivered", at.Cell(5).GetString());
        Assert.Equal(new DateTime(2013, 4, 15), at.Cell(6).Date());
        Assert.Equal(5, at.Cell(10).Number());
        Assert.Equal(4, at.Cell(11).Number());
        Assert.Equal(1, at.Cell(12).Number());
        Assert.Equal(2, at.Cell(13).Number());
        Assert.Equal(0.5, at.Cell(14).Number(), 9);
        Assert.Equal(0.8, at.Cell(15).Number(), 9);
        Assert.Equal(0, courses.RowWhere(1, "Cancelled pilot (Rotterdam)").Cell(13).Number()); // a cancelled course trains nobody
        Assert.Equal("Open for enrolment", courses.RowWhere(1, "Pilot course (Tirana)").Cell(5).GetString());
        AssertHighlights(courses, "AND($K2<$H2,$E2<>\"Cancelled\")"); // under minimum (25 by default)

        var evaluation = workbook.Worksheet("Evaluation");
        Assert.Equal(
            ["Course", "Country", "Enrolled", "Responses", "On paper", "Response rate", "Mean overall (1\u20115)", "Tests before", "Tests after",
             "Test pairs", "Correct before", "Correct after", "Knowledge gain (points)", "Expert report", "Report rating (1\u20115)"],
            evaluation.Headers(1, 15));
        var atEvaluation = evaluation.RowWhere(1, "Identifying victims: police and health (Vienna)");
        Assert.Equal(4, atEvaluation.Cell(3).Number());
        Assert.Equal(3, atEvaluation.Cell(4).Number());
        Assert.Equal(2, atEvaluation.Cell(5).Number()); // two of the three reaction forms were on paper
        Assert.Equal(0.75, atEvaluation.Cell(6).Number(), 9);
        Assert.Equal(13.0 / 3, atEvaluation.Cell(7).Number(), 9);
        Assert.Equal(2, atEvaluation.Cell(10).Number());
        Assert.Equal(0.45, atEvaluation.Cell(11).Number(), 9);
        Assert.Equal(0.85, atEvaluation.Cell(12).Number(), 9);
        Assert.Equal(40.0, atEvaluation.Cell(13).Number(), 9); // percentage points, as on the page and in the course workbook
        Assert.Equal("Submitted", atEvaluation.Cell(14).GetString());
        Assert.Equal(4, atEvaluation.Cell(15).Number());
        Assert.Equal("Accepted", evaluation.RowWhere(1, "Identifying victims (Amsterdam)").Cell(14).GetString());
        Assert.Equal("None yet", evaluation.RowWhere(1, "Pilot course (Tirana)").Cell(14).GetString());
        // Knowledge tests per question: q1 answered a by the first two before (a is wrong), b by all after.
        var knowledge = evaluation.RowsUsed().Single(r => r.Cell(1).GetString() == "Who may identify a victim?");
        Assert.Equal(3, knowledge.Cell(3).Number());
        Assert.Equal(1.0 / 3, knowledge.Cell(4).Number(), 9);
        Assert.Equal(3, knowledge.Cell(5).Number());
        Assert.Equal(1.0, knowledge.Cell(6).Number(), 9);
        Assert.Equal(66.7, knowledge.Cell(7).Number(), 9); // the change in percentage points

        var recommendations = workbook.Worksheet("Recommendations");
        Assert.Equal(["Meeting date", "Meeting", "Recommendation", "Owner", "Due", "Status", "Overdue"], recommendations.Headers());
        Assert.Equal(3, recommendations.DataRows().Count);
        var involve = recommendations.RowWhere(3, "Involve health authorities in every pilot course.");
        Assert.Equal(new DateTime(2012, 4, 22), involve.Cell(1).Date());
        Assert.Equal(new DateTime(2013, 1, 1), involve.Cell(5).Date());
        Assert.Equal("Open", involve.Cell(6).GetString());
        Assert.Equal("Yes", involve.Cell(7).GetString());
        Assert.Equal("", recommendations.RowWhere(3, "Add a session on unaccompanied minors.").Cell(7).GetString()); // implemented

        var meetings = workbook.Worksheet("Meetings");
        Assert.Equal(["Start", "End", "Kind", "Meeting", "City", "Attendees", "Organisations", "Countries", "Recommendations", "Conclusions"],
            meetings.Headers());
        var meeting = Assert.Single(meetings.DataRows());
        Assert.Equal("Steering group meeting", meeting.Cell(3).GetString());
        Assert.Equal("Antwerp, Belgium", meeting.Cell(5).GetString());
        Assert.Equal(2, meeting.Cell(6).Number());
        Assert.Equal(2, meeting.Cell(7).Number());
        Assert.Equal(3, meeting.Cell(9).Number());
        Assert.Equal("Target senior staff.", meeting.Cell(10).GetString());

        var reports = workbook.Worksheet("Reports");
        Assert.Equal(["Course", "State", "Rating (1\u20115)", "Attended", "Summary", "Strengths", "Weaknesses", "Recommendations", "Return comment"],
            reports.Headers());
        Assert.Equal(2, reports.DataRows().Count);
        var amsterdam = reports.RowWhere(1, "Identifying victims (Amsterdam) (Netherlands)");
        Assert.Equal("Accepted", amsterdam.Cell(2).GetString());
        Assert.Equal("Delivered as planned.", amsterdam.Cell(5).GetString());
        Assert.Equal("• More case studies\n• A session on minors", amsterdam.Cell(8).GetString());
        Assert.True(amsterdam.Cell(8).Style.Alignment.WrapText);
        Assert.True(amsterdam.Height >= 30, "two recommendations need two lines");
        AssertHighlights(reports, "$B2=\"Returned\"");

        var text = workbook.AllText();
        foreach (var wire in new[] { "testingAndImplementation", "inProgress", "lawEnforcement", "notStarted", "delivered", "likert5" })
        {
            Assert.DoesNotContain(wire, text);
        }
    }

    [Fact]
    public async Task TheOverviewPrintsTheHeadlineFiguresAndTheCountriesWithTotalsFromTheDashboardsQuery()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var steering = await _app.ClientAsync(_server, Role.SteeringGroup);

        // Today (2013-06-01): the courses of April were delivered by then (an earlier asOf is a snapshot before them, AsOfSnapshotTests).
        var bytes = await (await steering.GetAsync($"/api/projects/{programme.ProjectId}/steering-report.xlsx"))
            .ExpectXlsx("Reports-2013-06-01-steering.xlsx");

        using var workbook = XlsxParts.Open(bytes);
        var overview = workbook.Worksheet("Overview");
        Assert.Equal(new DateTime(2013, 6, 1), overview.Cell(3, 2).Date());
        Assert.Contains("JE-REPORTS", overview.Cell(2, 1).GetString());
        var trained = Headline(overview, "Participants trained");
        Assert.Equal([3.0, 160.0], [trained.Cell(2).Number(), trained.Cell(3).Number()]);
        Assert.Equal(3.0 / 160, trained.Cell(4).Number(), 9);
        var delivered = Headline(overview, "Courses delivered");
        Assert.Equal([2.0, 3.0], [delivered.Cell(2).Number(), delivered.Cell(3).Number()]);
        var responses = Headline(overview, "Evaluation responses");
        // Against the 6 enrolled in the delivered courses (Vienna 4, Amsterdam 2), not the 7 with Tirana's, which is not given yet.
        Assert.Equal([4.0, 6.0], [responses.Cell(2).Number(), responses.Cell(3).Number()]);
        Assert.Contains("3 on paper", responses.Cell(5).GetString());
        // Only the Amsterdam course's evaluation has closed, and its one reaction form is one person's: no mean is released.
        Assert.NotEqual(XLDataType.Number, Headline(overview, "Mean overall rating (1\u20115)").Cell(2).DataType);
        // Two test pairs only: the count, not the gain, for anyone but an admin.
        var gain = Headline(overview, "Knowledge gain (paired tests)");
        Assert.True(gain.Cell(2).IsEmpty());
        Assert.Equal(2, gain.Cell(3).Number());
        Assert.Contains("fewer than 3", gain.Cell(5).GetString());
        Assert.Equal(1, Headline(overview, "Expert reports accepted").Cell(2).Number());
        // On 2013-06-01 the needs analysis (due 2013-01-01) is overdue, the briefing (due 2013-06-01) not yet.
        Assert.Equal([1.0, 6.0], [Headline(overview, "Milestones overdue").Cell(2).Number(), Headline(overview, "Milestones overdue").Cell(3).Number()]);
        Assert.Equal(2, Headline(overview, "Recommendations open").Cell(2).Number());

        var header = overview.RowsUsed().Single(r => r.Cell(1).GetString() == "Country");
        Assert.Equal(["Country", "Courses", "Enrolled", "Trained", "Response rate", "Mean overall (1\u20115)", "Knowledge gain (points)", "Expert reports"],
            Enumerable.Range(1, 8).Select(c => header.Cell(c).GetString()));
        var austria = overview.RowsUsed().Single(r => r.Cell(1).GetString() == "Austria");
        Assert.Equal([1.0, 4.0, 2.0], [austria.Cell(2).Number(), austria.Cell(3).Number(), austria.Cell(4).Number()]);
        Assert.Equal(0.75, austria.Cell(5).Number(), 9);
        Assert.True(austria.Cell(6).IsEmpty()); // Vienna's evaluation is still open: no results yet
        Assert.True(austria.Cell(7).IsEmpty()); // two pairs
        Assert.Equal("1 submitted", austria.Cell(8).GetString());
        var netherlands = overview.RowsUsed().Single(r => r.Cell(1).GetString() == "Netherlands");
        Assert.Equal([2.0, 2.0, 2.0], [netherlands.Cell(2).Number(), netherlands.Cell(3).Number(), netherlands.Cell(4).Number()]);
        Assert.Equal("1 accepted", netherlands.Cell(8).GetString());
        Assert.True(netherlands.Cell(6).IsEmpty()); // one reaction form: its rating would be that person's
        Assert.Equal(0.5, netherlands.Cell(5).Number(), 9); // one of the two enrolled in the delivered Amsterdam course
        var albania = overview.RowsUsed().Single(r => r.Cell(1).GetString() == "Albania");
        Assert.True(albania.Cell(5).IsEmpty()); // no course delivered yet: no response rate rather than 0 %
        var totals = overview.RowsUsed().Single(r => r.Cell(1).GetString() == "All countries");
        Assert.True(totals.Cell(1).Style.Font.Bold);
        Assert.Equal([4.0, 6.0, 3.0], [totals.Cell(2).Number(), totals.Cell(3).Number(), totals.Cell(4).Number()]); // people once
        Assert.Equal(4.0 / 6, totals.Cell(5).Number(), 9);
        Assert.True(totals.Cell(6).IsEmpty());
        Assert.Equal("1 accepted, 1 submitted, 1 not started", totals.Cell(8).GetString());

        // The same figures as the dashboard on that day.
        var dashboard = await (await steering.GetAsync($"/api/projects/{programme.ProjectId}/dashboard")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, dashboard.GetProperty("phases")[1].GetProperty("milestonesOverdue").GetInt32());
        Assert.Equal(3, dashboard.GetProperty("training").GetProperty("participantsTrained").GetInt32());
    }

    [Fact]
    public async Task EverySheetPrintsOnA4LandscapeAndTheChartsAreDrawnFromTheSheets()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var steering = await _app.ClientAsync(_server, Role.SteeringGroup);

        var bytes = await (await steering.GetAsync($"/api/projects/{programme.ProjectId}/steering-report.xlsx"))
            .ExpectXlsx("Reports-2013-06-01-steering.xlsx");

        XlsxParts.AssertPrintable(bytes, "JE-REPORTS", "2013-06-01", "Overview");
        var charts = XlsxParts.Charts(bytes);
        Assert.Equal(["Trained against target, by country", "Participants by sector", "Phase progress: milestones completed"],
            charts.Select(c => c.Title));
        var trained = charts[0];
        Assert.Equal("Overview", trained.Sheet);
        Assert.Equal("bar", trained.Kind);
        Assert.Equal(["Trained", "Target"], trained.Series.Select(s => s.Name));
        Assert.Equal(["Albania", "Austria", "Netherlands", "Programme"], trained.Series[0].CachedCategories);
        Assert.Equal([0.0, 2.0, 2.0, 3.0], trained.Series[0].CachedValues);
        Assert.Equal([160.0], trained.Series[1].CachedValues);
        Assert.StartsWith("'Overview'!$L$", trained.Series[0].Values);
        var sectors = charts[1];
        Assert.Equal("pie", sectors.Kind);
        Assert.Equal(["Law enforcement", "Judiciary", "Health", "NGO", "Prison service"], sectors.Series[0].CachedCategories);
        Assert.Equal([1.0, 1.0, 2.0, 1.0, 1.0], sectors.Series[0].CachedValues);
        var phases = charts[2];
        Assert.Equal("Phases", phases.Sheet);
        Assert.Equal("'Phases'!$B$2:$B$6", phases.Series[0].Categories);
        Assert.Equal("'Phases'!$J$2:$J$6", phases.Series[0].Values);
        Assert.Equal([1.0, 0.25, 0, 0, 0], phases.Series[0].CachedValues);

        using var workbook = XlsxParts.Open(bytes);
        Assert.True(workbook.Worksheet("Milestones").Row(1).Height >= 15);
        Assert.True(workbook.Worksheet("Courses").Row(1).Height >= 30, "\"Completion threshold\" wraps onto two lines");
    }

    [Fact]
    public async Task AnAsOfThatIsNoDateOrLiesOutside1900To2100IsAProblemNamingItOnBothWorkbooks()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var steering = await _app.ClientAsync(_server, Role.SteeringGroup);

        // Outside 1900-01-01..2100-12-31 too (1899-12-29 was a 500): one parser, one range, one message on every route.
        foreach (var bad in new[] { "2013-13-01", "yesterday", "01.06.2013", "1899-12-29", "1899-12-31", "2101-01-01", "0001-01-01" })
        {
            var expected = $"'{bad}' is not a date: asOf is YYYY-MM-DD, between 1900-01-01 and 2100-12-31.";
            foreach (var url in new[]
            {
                $"/api/projects/{programme.ProjectId}/steering-report.xlsx?asOf={bad}",
                $"/api/courses/{programme.CourseAt}/evaluation-report.xlsx?asOf={bad}",
                $"/api/projects/{programme.ProjectId}/dashboard?asOf={bad}",
            })
            {
                var problem = await (await steering.GetAsync(url)).ExpectProblem(HttpStatusCode.BadRequest, "asOf");
                Assert.Equal(expected, problem.GetProperty("errors").GetProperty("asOf")[0].GetString());
            }
        }

        foreach (var edge in new[] { "1900-01-01", "2100-12-31" })
        {
            Assert.Equal(HttpStatusCode.OK, (await steering.GetAsync($"/api/projects/{programme.ProjectId}/steering-report.xlsx?asOf={edge}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await steering.GetAsync($"/api/courses/{programme.CourseAt}/evaluation-report.xlsx?asOf={edge}")).StatusCode);
        }
    }

    private static IXLRow Headline(IXLWorksheet overview, string measure) =>
        overview.RowsUsed().Single(r => r.Cell(1).GetString() == measure);

    private static void AssertHighlights(IXLWorksheet sheet, string formula) =>
        Assert.Contains(sheet.ConditionalFormats, f => f.Values.Values.Any(v => v.Value.Contains(formula.TrimStart('='), StringComparison.Ordinal)));

    [Fact]
    public async Task TheSteeringWorkbookHoldsNoNamesOrEmailsOfParticipants()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var steering = await _app.ClientAsync(_server, Role.SteeringGroup);

        using var workbook = await (await steering.GetAsync($"/api/projects/{programme.ProjectId}/steering-report.xlsx"))
            .ExpectWorkbook("Reports-2013-06-01-steering.xlsx");

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
            .ExpectWorkbook("BARE-2013-06-01-steering.xlsx");

        Assert.Equal(5, workbook.Worksheet("Phases").DataRows().Count);
        Assert.Empty(workbook.Worksheet("Courses").DataRows());
        Assert.Equal("Course", workbook.Worksheet("Courses").Cell(1, 1).GetString());
        Assert.Equal("All countries", workbook.Worksheet("Overview").RowsUsed().Single(r => r.Cell(1).GetString() == "All countries").Cell(1).GetString());
    }

    [Fact]
    public async Task RowsPastTheFirstOfTheCourseSheetsKeepTheirTypesStylesAndTexts()
    {
        // Rows after a long table's first are written past ClosedXML (SheetTable.Append): they must read back as the first does.
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using (var db = _app.OpenDatabase())
        {
            Dapper.SqlMapper.Execute(
                db, "UPDATE courses SET title = @title WHERE id = @id", new { title = "=HYPERLINK(\"http://example.org\") \u0001 🇦🇱 Tirana ", id = programme.CourseAl });
        }

        using var admin = await _app.ClientAsync(_server, Role.Admin);
        using var workbook = await (await admin.GetAsync($"/api/projects/{programme.ProjectId}/steering-report.xlsx"))
            .ExpectWorkbook("Reports-2013-06-01-steering.xlsx");

        foreach (var name in new[] { "Courses", "Evaluation", "Reports" })
        {
            var sheet = workbook.Worksheet(name);
            var rows = sheet.DataRows().Where(r => r.RowNumber() <= (name == "Evaluation" ? 5 : sheet.LastRowUsed().RowNumber())).ToList();
            Assert.True(rows.Count >= 2, name);
            foreach (var row in rows.Skip(1))
            {
                foreach (var cell in row.Cells(1, sheet.Row(1).LastCellUsed().Address.ColumnNumber))
                {
                    var first = sheet.Cell(2, cell.Address.ColumnNumber);
                    Assert.Equal(first.Style.NumberFormat.Format, cell.Style.NumberFormat.Format);
                    Assert.Equal(first.Style.Alignment.WrapText, cell.Style.Alignment.WrapText);
                    Assert.Equal(XLBorderStyleValues.Hair, cell.Style.Border.BottomBorder);
                }
            }
        }

        var courses = workbook.Worksheet("Courses");
        var tirana = courses.Row(5);
        Assert.Equal(XLDataType.Text, tirana.Cell(1).DataType);
        Assert.False(tirana.Cell(1).HasFormula);
        Assert.StartsWith("=HYPERLINK(\"http://example.org\") ", tirana.Cell(1).GetString());
        Assert.EndsWith(" 🇦🇱 Tirana ", tirana.Cell(1).GetString());
        Assert.Equal(new DateTime(2013, 4, 19), tirana.Cell(7).Date());
        Assert.Equal(25, tirana.Cell(8).Number());
        Assert.Equal("A1:O5", courses.RangeUsed().RangeAddress.ToString());
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
