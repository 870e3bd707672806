using System.Net;
using Dapper;
using JointEfforts.Api.Demo;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Documents;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Languages;

/// <summary>The Poland programme (PL15-0032) as a steering group and its trainers would see it, in Polish (issue 25).</summary>
public sealed class PolandDemoTests : IDisposable
{
    private readonly JointEffortsApp _app = new(settings: new Dictionary<string, string?> { [Startup.SeedDemoSetting] = "true" });

    [Fact]
    public async Task PolandsCourseRowsCanBeToldApartAndItsTrainersHoldPolishPapers()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var db = _app.OpenDatabase();
        var courses = db.Query<(long Id, string Title, string City)>(
            "SELECT c.id, c.title, c.city FROM courses c JOIN projects p ON p.id = c.project_id WHERE p.code = @Code ORDER BY c.id",
            new { PolandDemo.Code }).ToList();

        Assert.Equal(18, courses.Count);
        Assert.Equal(18, courses.Select(c => c.Title).Distinct().Count());
        Assert.All(courses, c => Assert.Contains($"({c.City}, ", c.Title));
        Assert.Equal("Zapobieganie handlowi ludźmi i jego zwalczanie: szkolenie dla funkcjonariuszy Straży Granicznej (Koszalin, 16–17.03.2015)", courses[0].Title);

        var koszalin = courses[0].Id;
        using (var certificates = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{koszalin}/certificates.pdf")))
        {
            var text = certificates.Text(1).Replace("\n", " ", StringComparison.Ordinal);
            Assert.Contains("Zaświadczenie o uczestnictwie", text);
            Assert.Contains("Miejsce: Koszalin · 16.03.2015 – 17.03.2015", text); // no "w Koszalin"
            Assert.DoesNotContain("w Koszalin", text);
            Assert.Contains("szkolenie dla funkcjonariuszy Straży Granicznej", text);
            // The programme in the course's language, not the English title (issue 25).
            Assert.Contains("PL15-0032: Współpraca i kompetencje kluczem do skutecznego zwalczania handlu ludźmi", text);
            Assert.DoesNotContain("Cooperation and competences", text);
        }

        var sessionId = db.ExecuteScalar<long>("SELECT id FROM course_sessions WHERE course_id = @koszalin ORDER BY date LIMIT 1", new { koszalin });
        using var sheet = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{koszalin}/sessions/{sessionId}/sign-in-sheet.pdf"));
        var sheetText = sheet.Text();
        Assert.Contains("Lista obecności · Sign-in sheet", sheetText);
        Assert.Contains("Dzień 1: formy handlu ludźmi", sheetText);
        Assert.Contains("Straż Graniczna", sheetText);
        Assert.Contains("Podpis", sheetText);
        Assert.DoesNotContain("Border guard", sheetText);
    }

    [Fact]
    public async Task PolandsSteeringGroupSeesTheResponsesAndTheMeanOverallOfItsEvaluatedPolishCourses()
    {
        using var db = _app.OpenDatabase();
        var projectId = db.ExecuteScalar<long>("SELECT id FROM projects WHERE code = @Code", new { PolandDemo.Code });
        var form = db.QuerySingle<(string Title, string Languages)>(
            """
            SELECT DISTINCT f.title, f.languages FROM evaluation_forms f JOIN courses c ON c.evaluation_form_id = f.id
            WHERE c.project_id = @projectId
            """,
            new { projectId });
        Assert.Equal("Ocena szkolenia: reakcja uczestników (PL15-0032)", form.Title);
        Assert.Contains("pl", form.Languages);
        Assert.Equal(PolandEvaluationDemo.Evaluated, db.ExecuteScalar<int>(
            "SELECT COUNT(*) FROM courses WHERE project_id = @projectId AND status = 'evaluated'", new { projectId }));
        Assert.Equal(18, db.ExecuteScalar<int>(
            "SELECT COUNT(DISTINCT course_id) FROM evaluation_codes WHERE course_id IN (SELECT id FROM courses WHERE project_id = @projectId)", new { projectId }));
        // What the answers say, straight from the anonymous storage: every reaction response and the mean of "overall" on released courses.
        var responses = db.ExecuteScalar<int>(
            """
            SELECT COUNT(*) FROM evaluation_responses r JOIN courses c ON c.id = r.course_id
            WHERE c.project_id = @projectId AND r.purpose = 'reaction' AND r.language = 'pl'
            """,
            new { projectId });
        var mean = db.ExecuteScalar<double>(
            """
            SELECT AVG(a.number_value) FROM evaluation_answers a JOIN evaluation_responses r ON r.id = a.response_id
            JOIN courses c ON c.id = r.course_id
            WHERE c.project_id = @projectId AND c.status = 'evaluated' AND r.purpose = 'reaction' AND a.question_key = 'overall'
            """,
            new { projectId });
        Assert.InRange(responses, 400, 500);
        Assert.InRange(mean, 3.5, 4.8);

        var seen = new List<(int Responses, double Mean)>();
        foreach (var role in new[] { Role.SteeringGroup, Role.Coordinator })
        {
            using var client = await _app.CreateClientAsync(role);
            var dashboard = await (await client.GetAsync($"/api/projects/{projectId}/dashboard")).Expect(HttpStatusCode.OK);
            var evaluation = dashboard.GetProperty("evaluation");
            seen.Add((evaluation.GetProperty("responses").GetInt32(), evaluation.GetProperty("meanOverall").GetDouble()));
            Assert.Equal(PolandEvaluationDemo.Evaluated, evaluation.GetProperty("reportsByState").GetProperty("accepted").GetInt32());
        }

        Assert.Equal(responses, seen[0].Responses);
        Assert.Equal(Math.Round(mean, 2), seen[0].Mean, 2);
        Assert.Equal(seen[0], seen[1]);

        // The first course's own figures: its response rate is its reaction responses over those enrolled.
        var koszalin = db.ExecuteScalar<long>("SELECT id FROM courses WHERE project_id = @projectId ORDER BY start_date LIMIT 1", new { projectId });
        var enrolled = db.ExecuteScalar<int>("SELECT COUNT(*) FROM enrolments WHERE course_id = @koszalin AND status = 'enrolled'", new { koszalin });
        var answered = db.ExecuteScalar<int>("SELECT COUNT(*) FROM evaluation_responses WHERE course_id = @koszalin AND purpose = 'reaction'", new { koszalin });
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var summary = await (await steering.GetAsync($"/api/courses/{koszalin}/evaluation-summary")).Expect(HttpStatusCode.OK);
        Assert.Equal(Math.Round(answered / (double)enrolled, 4), summary.GetProperty("responseRate").GetDouble(), 4);
        Assert.InRange(summary.GetProperty("responseRate").GetDouble(), 0.7, 1.0);
    }

    [Fact]
    public async Task PolandsBudgetIsTheOneItsRecordStates()
    {
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        using var db = _app.OpenDatabase();
        var projectId = db.ExecuteScalar<long>("SELECT id FROM projects WHERE code = @Code", new { PolandDemo.Code });

        var budget = (await (await steering.GetAsync($"/api/projects/{projectId}")).Expect(HttpStatusCode.OK)).GetProperty("budget");

        Assert.Equal("EUR", budget.GetProperty("currency").GetString());
        Assert.Equal(338262m, budget.GetProperty("initial").GetDecimal());
        Assert.Equal(306408m, budget.GetProperty("final").GetDecimal());
        Assert.Equal(255252m, budget.GetProperty("granted").GetDecimal());

        var workbook = await steering.GetAsync($"/api/projects/{projectId}/steering-report.xlsx");
        Assert.Equal(HttpStatusCode.OK, workbook.StatusCode);
        using var book = new ClosedXML.Excel.XLWorkbook(await workbook.Content.ReadAsStreamAsync());
        var overview = book.Worksheet("Overview");
        var row = overview.CellsUsed().Single(c => c.GetString() == "Budget (EUR): final cost").Address.RowNumber;
        Assert.Equal(306408, overview.Cell(row, 2).GetDouble());
        Assert.Equal(338262, overview.Cell(row, 3).GetDouble());
        Assert.Equal("out of the initial cost; 255,252 EUR from Norway Grants", overview.Cell(row, 5).GetString());
    }

    [Fact]
    public void WomenInThePolandProgrammeCarryFeminineSurnames()
    {
        using var db = _app.OpenDatabase();
        var names = db.Query<string>(
            """
            SELECT DISTINCT p.full_name FROM participants p JOIN enrolments e ON e.participant_id = p.id
            JOIN courses c ON c.id = e.course_id JOIN projects pr ON pr.id = c.project_id WHERE pr.code = @Code
            """,
            new { PolandDemo.Code }).ToList();
        var women = names.Where(n => n.Split(' ')[0].EndsWith('a')).ToList();
        var men = names.Except(women).ToList();

        Assert.NotEmpty(women);
        Assert.DoesNotContain(women, n => n.EndsWith("ski", StringComparison.Ordinal) || n.EndsWith("cki", StringComparison.Ordinal));
        Assert.Contains(women, n => n.EndsWith("ska", StringComparison.Ordinal));
        Assert.DoesNotContain(men, n => n.EndsWith("ska", StringComparison.Ordinal) || n.EndsWith("cka", StringComparison.Ordinal));
        Assert.Equal("Anna Kowalska", PolandDemo.FullName("Anna", "Kowalski"));
        Assert.Equal("Piotr Wiśniewski", PolandDemo.FullName("Piotr", "Wiśniewska"));
        Assert.Equal("Ewa Nowak", PolandDemo.FullName("Ewa", "Nowak"));
    }

    [Fact]
    public async Task JointEffortsShowsItsEightMonthInterimReportAsACompletedDeliverable()
    {
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        using var db = _app.OpenDatabase();
        var phaseId = db.ExecuteScalar<long>(
            "SELECT m.phase_id FROM milestones m WHERE m.title LIKE '8 Month Evaluation Report%'");

        var milestones = await (await steering.GetAsync($"/api/phases/{phaseId}/milestones?kind=deliverable")).Expect(HttpStatusCode.OK);

        var interim = milestones.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("title").GetString()!.StartsWith("8 Month Evaluation Report", StringComparison.Ordinal));
        Assert.Equal("2012-06-20", interim.GetProperty("dueDate").GetString());
        Assert.Equal("2012-06-20", interim.GetProperty("completedOn").GetString());
    }

    public void Dispose() => _app.Dispose();
}
