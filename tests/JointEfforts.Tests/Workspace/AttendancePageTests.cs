using System.Net;
using System.Text.RegularExpressions;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>Issue 24: a session's register on a tablet: everyone present by default, the exceptions tapped, saved in one request.</summary>
public sealed partial class AttendancePageTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task EveryoneIsPresentByDefaultAndOnlyTheTappedExceptionsDiffer()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, participants) = await CourseGiven.RunningCourseAsync(api, sessions: 1, participants: 3);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/courses/{courseId}/sessions/{sessions[0]}/attendance";
            var html = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Equal(3, Checked().Matches(html).Count(m => m.Groups[1].Value == "present"));

            // A browser posts every checked radio: present for two, absent for the one tapped.
            var version = Version().Match(html).Groups[1].Value;
            var saved = await browser.PostAsync(url, WorkspaceGiven.Form(html, ("version", version),
                ($"status-{participants[0]}", "present"), ($"status-{participants[1]}", "absent"), ($"status-{participants[2]}", "present")));

            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            var matrix = await (await api.GetAsync($"/api/courses/{courseId}/attendance")).Expect(HttpStatusCode.OK);
            var text = matrix.ToString();
            Assert.Contains("\"absent\"", text, StringComparison.Ordinal);
            Assert.Equal(2, Regex.Matches(text, "\"present\"").Count);
            var again = await (await browser.GetAsync(url + "?saved=true")).Content.ReadAsStringAsync();
            Assert.Contains("The register was saved.", again, StringComparison.Ordinal);
            Assert.Matches($"id=\"p{participants[1]}-absent\"[^>]*checked", again); // the stored register is shown
        }
    }

    [Fact]
    public async Task TheCountryExpertTakesTheirCountrysRegisterButNotAnotherCountrysAndTheSteeringGroupNone()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (austrian, atSessions, _) = await CourseGiven.RunningCourseAsync(api, countryCode: "AT", sessions: 1, participants: 2);
        var (latvian, lvSessions, _) = await CourseGiven.RunningCourseAsync(api, countryCode: "LV", sessions: 1, participants: 2);
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        var (_, _, steering) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        using (expert)
        using (steering)
        {
            var url = $"/workspace/courses/{austrian}/sessions/{atSessions[0]}/attendance";
            var html = await (await expert.GetAsync(url)).Content.ReadAsStringAsync();
            var saved = await expert.PostAsync(url, WorkspaceGiven.Form(html, ("version", Version().Match(html).Groups[1].Value)));
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode); // nothing tapped: everyone present

            Assert.Equal(HttpStatusCode.NotFound, (await expert.GetAsync($"/workspace/courses/{latvian}/sessions/{lvSessions[0]}/attendance")).StatusCode);
            var forged = await expert.PostAsync($"/workspace/courses/{latvian}/sessions/{lvSessions[0]}/attendance", WorkspaceGiven.Form(html, ("version", "1")));
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await steering.GetAsync(url)).StatusCode);

            var latvianMatrix = await (await api.GetAsync($"/api/courses/{latvian}/attendance")).Expect(HttpStatusCode.OK);
            Assert.DoesNotContain("\"present\"", latvianMatrix.ToString(), StringComparison.Ordinal);
            var without = await expert.PostAsync(url, WorkspaceGiven.Form(null, ("version", "1")));
            Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        }
    }

    [Fact]
    public async Task ADraftCourseTakesNoRegisterAndThePageSaysWhy()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.CourseAsync(api, min: 1);
        var sessionId = await CourseGiven.SessionAsync(api, courseId);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/courses/{courseId}/sessions/{sessionId}/attendance";
            var html = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Contains("Nobody is enrolled in this course yet.", html, StringComparison.Ordinal);
            var token = WorkspaceGiven.Token(await (await browser.GetAsync($"/workspace/courses/{courseId}")).Content.ReadAsStringAsync());
            var posted = await browser.PostAsync(url, new FormUrlEncodedContent([new("version", "1"), new("__RequestVerificationToken", token)]));
            Assert.Equal(HttpStatusCode.Conflict, posted.StatusCode);
            Assert.Contains("The course is draft: attendance is recorded for open, closed or delivered courses.", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("value=\"(present|late|excused|absent)\" checked")]
    private static partial Regex Checked();

    [GeneratedRegex("name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex Version();

    public void Dispose() => _app.Dispose();
}
