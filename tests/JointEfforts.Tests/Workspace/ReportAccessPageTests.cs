using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>
/// Issue 24: who may do what with the report page is what the routes let them do. <c>GET /api/courses/{id}/evaluation-report</c>
/// is every role's (a country expert's in their country): the page shows the report to all of them. <c>PUT</c> and
/// <c>submit</c> are the course's country expert's (and admin's): only they get the form; to coordinators, the steering group
/// and another expert of the country the page is read-only, and a post they forge is refused as the routes refuse it.
/// </summary>
public sealed class ReportAccessPageTests : IDisposable
{
    private const string Summary = "Police and labour inspectors agreed a referral path.";
    private readonly JointEffortsApp _app = new();

    private static (string, string)[] Fields(string version) =>
    [
        ("version", version), ("deliveredOn", "2013-05-08"), ("participantsAttended", "2"), ("summary", "Overwritten by someone else."),
        ("strengths", ""), ("weaknesses", ""), ("recommendations", ""), ("overallRating", "1"),
    ];

    [Fact]
    public async Task ACoordinatorAndTheSteeringGroupReadTheDraftReportAsTheApiLetsThemButGetNoFormAndTheirForgedPostsChangeNothing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await DraftWrittenAsync(coordinator);
        var before = await (await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-report")).Expect(HttpStatusCode.OK);
        var (_, _, coordinatorBrowser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        var (_, _, steering) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        using (coordinatorBrowser)
        using (steering)
        {
            var url = $"/workspace/courses/{course.Id}/report";
            foreach (var reader in new[] { coordinatorBrowser, steering })
            {
                var response = await reader.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
                Assert.Contains(Summary, html, StringComparison.Ordinal);
                Assert.Contains("A draft: the course's country expert is still writing it.", html, StringComparison.Ordinal);
                Assert.DoesNotContain("<textarea", html, StringComparison.Ordinal);
                Assert.DoesNotContain("Save the draft", html, StringComparison.Ordinal);

                // The layout's sign-out form carries the reader's own antiforgery token: a forged save or submit is refused (403).
                var saved = await reader.PostAsync(url, WorkspaceGiven.Form(html, Fields("1")));
                Assert.Equal(HttpStatusCode.Forbidden, saved.StatusCode);
                var refused = WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync());
                Assert.Contains("Only the course's country expert writes its evaluation report: you may read it here.", refused, StringComparison.Ordinal);
                Assert.DoesNotContain("<textarea", refused, StringComparison.Ordinal);
                var submitted = await reader.PostAsync($"{url}?handler=Submit", WorkspaceGiven.Form(html, Fields("1")));
                Assert.Equal(HttpStatusCode.Forbidden, submitted.StatusCode);
            }

            var after = await (await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-report")).Expect(HttpStatusCode.OK);
            Assert.Equal("draft", after.GetProperty("state").GetString());
            Assert.Equal(Summary, after.GetProperty("summary").GetString());
            Assert.Equal(before.GetProperty("updatedAt").GetString(), after.GetProperty("updatedAt").GetString());
            Assert.Equal(4, after.GetProperty("overallRating").GetInt32());
        }
    }

    [Fact]
    public async Task TheCoursePageLinksACoordinatorToTheReportAndToPaperFormsAsTheRoutesAllowThem()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await DraftWrittenAsync(coordinator);
        var (_, _, coordinatorBrowser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (coordinatorBrowser)
        {
            var html = await (await coordinatorBrowser.GetAsync($"/workspace/courses/{course.Id}")).Content.ReadAsStringAsync();
            Assert.Contains($"href=\"/workspace/courses/{course.Id}/report\"", html, StringComparison.Ordinal);
            Assert.Contains($"href=\"/workspace/courses/{course.Id}/paper-forms\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnotherExpertOfTheCountryReadsTheReportWithoutAFormAsThePutRefusesThemAndAnotherCountrysExpertGetsA404()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await DraftWrittenAsync(coordinator, assignExpert: true);
        var (_, _, otherAustrian) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        var (_, _, latvian) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "LV");
        using (otherAustrian)
        using (latvian)
        {
            var url = $"/workspace/courses/{course.Id}/report";
            var html = WebUtility.HtmlDecode(await (await otherAustrian.GetAsync(url)).Content.ReadAsStringAsync());
            Assert.Contains(Summary, html, StringComparison.Ordinal);
            Assert.DoesNotContain("<textarea", html, StringComparison.Ordinal);
            var forged = await otherAustrian.PostAsync(url, WorkspaceGiven.Form(html, Fields("1")));
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            Assert.Contains("Only the course's country expert writes its evaluation report", WebUtility.HtmlDecode(await forged.Content.ReadAsStringAsync()), StringComparison.Ordinal);
            using var otherAustrianApi = await _app.CreateClientAsync(Role.CountryExpert, "AT");
            var apiRefusal = await (await otherAustrianApi.PutAsJsonAsync($"/api/courses/{course.Id}/evaluation-report", new
            {
                deliveredOn = "2013-05-08", participantsAttended = 1, summary = "x", strengths = (string?)null, weaknesses = (string?)null,
                recommendations = (string[]?)null, overallRating = 1,
            })).Expect(HttpStatusCode.Forbidden);
            Assert.Equal("Only the course's country expert writes its evaluation report.", apiRefusal.GetProperty("detail").GetString());

            var missing = await latvian.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("There is no such course", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // The course's own expert (the named one) still gets the form.
            var (_, _, owner) = await SignedInAsAsync(course.ExpertId);
            using (owner)
            {
                var own = await (await owner.GetAsync(url)).Content.ReadAsStringAsync();
                Assert.Contains("<textarea id=\"summary\"", own, StringComparison.Ordinal);
            }

            var report = await (await course.Expert.GetAsync($"/api/courses/{course.Id}/evaluation-report")).Expect(HttpStatusCode.OK);
            Assert.Equal(Summary, report.GetProperty("summary").GetString());
        }
    }

    /// <summary>A delivered Austrian course of 4, all present at its one session, with a draft report written by its expert.</summary>
    private async Task<TestCourse> DraftWrittenAsync(HttpClient coordinator, bool assignExpert = false)
    {
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, assignExpert: assignExpert);
        using (var db = _app.OpenDatabase())
        {
            var sessionId = db.ExecuteScalar<int>(
                "INSERT INTO course_sessions (course_id, date, title, hours) VALUES (@id, '2013-05-06', 'Identification', 6) RETURNING id",
                new { id = course.Id });
            db.Execute(
                "INSERT INTO attendance (session_id, participant_id, status) VALUES (@sessionId, @participantId, 'present')",
                course.ParticipantIds.Select(participantId => new { sessionId, participantId }));
        }

        await (await course.Expert.PutAsJsonAsync($"/api/courses/{course.Id}/evaluation-report", new
        {
            deliveredOn = "2013-05-08", participantsAttended = 4, summary = Summary, strengths = (string?)null,
            weaknesses = (string?)null, recommendations = (string[]?)null, overallRating = 4,
        })).Expect(HttpStatusCode.Created);
        return course;
    }

    /// <summary>An existing user (the course's named expert) signed in through a sign-in link an admin made.</summary>
    private async Task<(int Id, string Link, HttpClient Browser)> SignedInAsAsync(int userId)
    {
        using var admin = _app.CreateAdminClient();
        var link = await (await admin.PostAsJsonAsync($"/api/users/{userId}/sign-in-link", new { })).Expect(HttpStatusCode.Created);
        var path = new Uri(link.GetProperty("url").GetString()!).PathAndQuery;
        var browser = WorkspaceGiven.Browser(_app);
        var form = await (await browser.GetAsync(path)).Content.ReadAsStringAsync();
        var token = Uri.UnescapeDataString(path.Split("token=")[1]);
        var set = await browser.PostAsync("/set-password", WorkspaceGiven.Form(form,
            ("token", token), ("password", WorkspaceGiven.Password), ("confirm", WorkspaceGiven.Password)));
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        return (userId, path, browser);
    }

    public void Dispose() => _app.Dispose();
}
