using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>
/// Issue 24: the country expert's evaluation report page (prefilled, saved as a draft, submitted, a returned report's comment)
/// and the steering group's decision page (accept, or return with the comment the API requires).
/// </summary>
public sealed partial class ReportPageTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    private static (string, string)[] Fields(string version, string attended = "3", string summary = "Well received by police and health staff.") =>
    [
        ("version", version), ("deliveredOn", "2013-05-08"), ("participantsAttended", attended), ("summary", summary),
        ("strengths", "Joint sessions of police and doctors."), ("weaknesses", ""),
        ("recommendations", "Add a day of case studies\r\n\r\nPrint the pocket cards in German"), ("overallRating", "4"),
    ];

    [Fact]
    public async Task TheExpertSavesThePrefilledReportAsADraftAndThenSubmitsIt()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await CourseWithAttendanceAsync(coordinator);
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        using (expert)
        {
            var url = $"/workspace/courses/{course.Id}/report";
            var html = await (await expert.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Matches("id=\"deliveredOn\"[^>]*value=\"2013-05-08\"", html); // the course's last day
            Assert.Matches("id=\"participantsAttended\"[^>]*value=\"4\"", html); // the number trained
            Assert.Contains("(not saved yet)", html, StringComparison.Ordinal);

            var saved = await expert.PostAsync(url, WorkspaceGiven.Form(html, Fields(Version(html))));
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            Assert.Equal($"{url}?done=saved", saved.Headers.Location?.OriginalString);
            var draft = await (await course.Expert.GetAsync($"/api/courses/{course.Id}/evaluation-report")).Expect(HttpStatusCode.OK);
            Assert.Equal("draft", draft.GetProperty("state").GetString());
            Assert.Equal(3, draft.GetProperty("participantsAttended").GetInt32());
            Assert.Equal(4, draft.GetProperty("overallRating").GetInt32());
            Assert.Equal(["Add a day of case studies", "Print the pocket cards in German"],
                draft.GetProperty("recommendations").EnumerateArray().Select(r => r.GetString()!).ToArray());

            html = await (await expert.GetAsync($"{url}?done=saved")).Content.ReadAsStringAsync();
            Assert.Contains("The draft was saved.", html, StringComparison.Ordinal);
            var submitted = await expert.PostAsync($"{url}?handler=Submit", WorkspaceGiven.Form(html, Fields(Version(html), attended: "4")));
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
            var report = await (await course.Expert.GetAsync($"/api/courses/{course.Id}/evaluation-report")).Expect(HttpStatusCode.OK);
            Assert.Equal("submitted", report.GetProperty("state").GetString());
            Assert.Equal(4, report.GetProperty("participantsAttended").GetInt32()); // what was on screen is what was submitted

            html = WebUtility.HtmlDecode(await (await expert.GetAsync($"{url}?done=submitted")).Content.ReadAsStringAsync());
            Assert.Contains("it awaits the steering group's decision", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<textarea", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MoreAttendedThanEnrolledAndAMissingSummaryAreSaidBesideTheirFieldsAndNothingIsSaved()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await CourseWithAttendanceAsync(coordinator);
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        using (expert)
        {
            var url = $"/workspace/courses/{course.Id}/report";
            var html = await (await expert.GetAsync(url)).Content.ReadAsStringAsync();
            var blank = await expert.PostAsync(url, WorkspaceGiven.Form(html, Fields(Version(html), summary: " ")));
            Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
            var page = await blank.Content.ReadAsStringAsync();
            Assert.Matches("id=\"summary-error\"[^>]*>.*summary is required", page);

            var tooMany = await expert.PostAsync(url, WorkspaceGiven.Form(html, Fields(Version(html), attended: "9")));
            Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
            page = WebUtility.HtmlDecode(await tooMany.Content.ReadAsStringAsync());
            // The PUT's own message, beside the field.
            Assert.Matches("id=\"participantsAttended-error\"[^>]*>.*9 attended, but 4 are enrolled: participantsAttended is at most the number enrolled.", page);
            Assert.Matches("id=\"participantsAttended\"[^>]*value=\"9\"", page); // what was typed stays
            Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_reports"));
        }
    }

    [Fact]
    public async Task SubmittingBeforeTheCourseIsDeliveredKeepsTheDraftAndSaysWhyKindly()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await CourseWithAttendanceAsync(coordinator, status: "closed");
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        using (expert)
        {
            var url = $"/workspace/courses/{course.Id}/report";
            var html = await (await expert.GetAsync(url)).Content.ReadAsStringAsync();
            var submitted = await expert.PostAsync($"{url}?handler=Submit", WorkspaceGiven.Form(html, Fields(Version(html))));

            Assert.Equal(HttpStatusCode.Conflict, submitted.StatusCode);
            var page = await submitted.Content.ReadAsStringAsync();
            Assert.Contains("Your draft was saved, but it cannot be submitted yet.", page, StringComparison.Ordinal);
            Assert.Contains($"Course {course.Id} is closed: a report is submitted once the course is delivered.", page, StringComparison.Ordinal);
            var draft = await (await course.Expert.GetAsync($"/api/courses/{course.Id}/evaluation-report")).Expect(HttpStatusCode.OK);
            Assert.Equal("draft", draft.GetProperty("state").GetString());
            Assert.Equal(3, draft.GetProperty("participantsAttended").GetInt32()); // what was typed was saved

            // The page shown with the 409 carries the saved version: saving again works.
            var again = await expert.PostAsync(url, WorkspaceGiven.Form(page, Fields(Version(page))));
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }
    }

    [Fact]
    public async Task TheReportPageIsTheCountryExpertsOwnCountrysOnlyAndNeedsTheAntiforgeryToken()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var austrian = await CourseWithAttendanceAsync(coordinator);
        var latvian = await CourseWithAttendanceAsync(coordinator, country: "LV");
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        var (_, _, coordinatorBrowser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        var (_, _, steering) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        using (expert)
        using (coordinatorBrowser)
        using (steering)
        {
            var url = $"/workspace/courses/{austrian.Id}/report";
            var html = await (await expert.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, (await expert.GetAsync($"/workspace/courses/{latvian.Id}/report")).StatusCode);
            var forged = await expert.PostAsync($"/workspace/courses/{latvian.Id}/report", WorkspaceGiven.Form(html, Fields("0")));
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
            // Coordinators and the steering group read it, as GET evaluation-report lets them, without a form (ReportAccessPageTests).
            Assert.DoesNotContain("<textarea", await (await coordinatorBrowser.GetAsync(url)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain("<textarea", await (await steering.GetAsync(url)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var without = await expert.PostAsync(url, WorkspaceGiven.Form(null, Fields("0")));
            Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
            Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_reports"));
        }
    }

    [Fact]
    public async Task TheSteeringGroupReturnsAReportOnlyWithACommentWhichTheExpertThenSees()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await SubmittedAsync(coordinator);
        var (_, _, steering) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        using (steering)
        using (expert)
        {
            var home = await (await steering.GetAsync("/workspace")).Content.ReadAsStringAsync();
            Assert.Contains($"href=\"/workspace/reports/{course.Id}\"", home, StringComparison.Ordinal);
            var url = $"/workspace/reports/{course.Id}";
            var html = await (await steering.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Contains("Well received by police and health staff.", html, StringComparison.Ordinal);

            var blank = await steering.PostAsync($"{url}?handler=Return", WorkspaceGiven.Form(html, ("version", Version(html)), ("comment", "  ")));
            Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
            Assert.Matches("id=\"comment-error\"[^>]*>.*comment is required", await blank.Content.ReadAsStringAsync());
            var still = await (await course.Expert.GetAsync($"/api/courses/{course.Id}/evaluation-report")).Expect(HttpStatusCode.OK);
            Assert.Equal("submitted", still.GetProperty("state").GetString());

            var returned = await steering.PostAsync($"{url}?handler=Return",
                WorkspaceGiven.Form(html, ("version", Version(html)), ("comment", "Say how many of the trained were senior staff.")));
            Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
            var report = await (await course.Expert.GetAsync($"/api/courses/{course.Id}/evaluation-report")).Expect(HttpStatusCode.OK);
            Assert.Equal("draft", report.GetProperty("state").GetString());
            Assert.Equal("Say how many of the trained were senior staff.", report.GetProperty("returnComment").GetString());

            var expertHome = await (await expert.GetAsync("/workspace")).Content.ReadAsStringAsync();
            Assert.Contains("The evaluation report was returned", expertHome, StringComparison.Ordinal);
            var page = await (await expert.GetAsync($"/workspace/courses/{course.Id}/report")).Content.ReadAsStringAsync();
            Assert.Contains("Returned by the steering group", page, StringComparison.Ordinal);
            Assert.Contains("Say how many of the trained were senior staff.", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheSteeringGroupAcceptsASubmittedReportAndTheCourseIsEvaluated()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await SubmittedAsync(coordinator);
        var (_, _, steering) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        using (steering)
        using (expert)
        {
            var url = $"/workspace/reports/{course.Id}";
            var html = await (await steering.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Forbidden, (await expert.GetAsync(url)).StatusCode);
            var without = await steering.PostAsync($"{url}?handler=Accept", WorkspaceGiven.Form(null, ("version", Version(html))));
            Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);

            var accepted = await steering.PostAsync($"{url}?handler=Accept", WorkspaceGiven.Form(html, ("version", Version(html))));
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
            var report = await (await course.Expert.GetAsync($"/api/courses/{course.Id}/evaluation-report")).Expect(HttpStatusCode.OK);
            Assert.Equal("accepted", report.GetProperty("state").GetString());
            var state = await (await coordinator.GetAsync($"/api/courses/{course.Id}")).Expect(HttpStatusCode.OK);
            Assert.Equal("evaluated", state.GetProperty("status").GetString());

            // A second accept from the page it was shown on: the API's 409, said on the page.
            var twice = await steering.PostAsync($"{url}?handler=Accept", WorkspaceGiven.Form(html, ("version", Version(html))));
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
            Assert.Contains("The report changed while you had it open", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private async Task<TestCourse> SubmittedAsync(HttpClient coordinator)
    {
        var course = await CourseWithAttendanceAsync(coordinator);
        var url = $"/api/courses/{course.Id}/evaluation-report";
        await (await course.Expert.PutAsJsonAsync(url, new
        {
            deliveredOn = "2013-05-08", participantsAttended = 4, summary = "Well received by police and health staff.", strengths = (string?)null,
            weaknesses = (string?)null, recommendations = (string[]?)null, overallRating = 4,
        })).Expect(HttpStatusCode.Created);
        await (await course.Expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);
        return course;
    }

    /// <summary>A delivered (or other) course of 4 enrolled with no named expert (any expert of its country writes), all present once.</summary>
    private async Task<TestCourse> CourseWithAttendanceAsync(HttpClient coordinator, string status = "delivered", string country = "AT")
    {
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, status: status, country: country, assignExpert: false);
        using var db = _app.OpenDatabase();
        var sessionId = db.ExecuteScalar<int>(
            "INSERT INTO course_sessions (course_id, date, title, hours) VALUES (@id, '2013-05-06', 'Identification', 6) RETURNING id",
            new { id = course.Id });
        db.Execute(
            "INSERT INTO attendance (session_id, participant_id, status) VALUES (@sessionId, @participantId, 'present')",
            course.ParticipantIds.Select(participantId => new { sessionId, participantId }));
        return course;
    }

    private static string Version(string html) => VersionField().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex VersionField();

    public void Dispose() => _app.Dispose();
}
