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
