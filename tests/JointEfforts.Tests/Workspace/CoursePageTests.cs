using System.Net;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>Issue 24: the course page and its sessions, through the pages as a browser without JavaScript uses them.</summary>
public sealed class CoursePageTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task ACoordinatorAddsASessionWithTimesAndTrainerAndTheApiShowsIt()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, _, _) = await CourseGiven.RunningCourseAsync(api, sessions: 1);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var page = await browser.GetAsync($"/workspace/courses/{courseId}");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("Add a session", html, StringComparison.Ordinal);

            var posted = await browser.PostAsync($"/workspace/courses/{courseId}?handler=AddSession", WorkspaceGiven.Form(html,
                ("date", "2013-05-14"), ("startTime", "09:00"), ("endTime", "12:30"), ("hours", "3.5"), ("title", "Day 2: victim interviews"), ("trainer", "Dr. Ilse Maes")));

            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            Assert.Equal($"/workspace/courses/{courseId}?done=added#sessions", posted.Headers.Location?.OriginalString);
            var sessions = await (await api.GetAsync($"/api/courses/{courseId}/sessions")).Expect(HttpStatusCode.OK);
            var added = sessions.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("title").GetString() == "Day 2: victim interviews");
            Assert.Equal("09:00", added.GetProperty("startTime").GetString());
            Assert.Equal("12:30", added.GetProperty("endTime").GetString());
            Assert.Equal(3.5, added.GetProperty("hours").GetDouble());
            Assert.Equal("Dr. Ilse Maes", added.GetProperty("trainer").GetString());
            var after = await (await browser.GetAsync($"/workspace/courses/{courseId}?done=added")).Content.ReadAsStringAsync();
            Assert.Contains("The session was added.", after, StringComparison.Ordinal);
            Assert.Contains("09:00–12:30", after, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BadSessionInputIsShownBesideEachFieldInTheApisWordsAndNothingIsStored()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, _, _) = await CourseGiven.RunningCourseAsync(api, sessions: 1);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var html = await (await browser.GetAsync($"/workspace/courses/{courseId}")).Content.ReadAsStringAsync();

            var posted = await browser.PostAsync($"/workspace/courses/{courseId}?handler=AddSession", WorkspaceGiven.Form(html,
                ("date", "2014-02-30"), ("startTime", "14:00"), ("endTime", "10:00"), ("hours", "many"), ("title", ""), ("trainer", "")));

            Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
            var page = await posted.Content.ReadAsStringAsync();
            Assert.Contains("id=\"date-error\"", page, StringComparison.Ordinal);
            Assert.Contains("date must be a date written YYYY-MM-DD (e.g. 2026-03-15), not &quot;2014-02-30&quot;.", page, StringComparison.Ordinal);
            Assert.Contains("hours must be a number, not &quot;many&quot;.", page, StringComparison.Ordinal);
            Assert.Contains("title is required.", page, StringComparison.Ordinal); // the API's own message for the field
            Assert.Contains("value=\"14:00\"", page, StringComparison.Ordinal); // what was typed is kept

            // The rule that needs the database (a date within the course) comes from the same service as the API's.
            var outside = await browser.PostAsync($"/workspace/courses/{courseId}?handler=AddSession", WorkspaceGiven.Form(page,
                ("date", "2014-01-01"), ("hours", "2"), ("title", "Too late")));
            Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
            Assert.Contains("A session is dated within its course, 2013-05-13 to 2013-05-17.", await outside.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var sessions = await (await api.GetAsync($"/api/courses/{courseId}/sessions")).Expect(HttpStatusCode.OK);
            Assert.Equal(1, sessions.GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task ASessionIsChangedAndRemovedOnItsPageButNotOnceAttendanceIsTaken()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessionIds, participants) = await CourseGiven.RunningCourseAsync(api, sessions: 2, participants: 1);
        await CourseGiven.RecordAsync(api, courseId, sessionIds[0], participants.Select(p => (p, "present")));
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var editUrl = $"/workspace/courses/{courseId}/sessions/{sessionIds[1]}";
            var form = await (await browser.GetAsync(editUrl)).Content.ReadAsStringAsync();
            Assert.Contains("value=\"Day 2\"", form, StringComparison.Ordinal);
            var version = System.Text.RegularExpressions.Regex.Match(form, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;

            var saved = await browser.PostAsync(editUrl, WorkspaceGiven.Form(form,
                ("version", version), ("date", "2013-05-15"), ("startTime", "13:00"), ("endTime", "16:00"), ("hours", "3"), ("title", "Day 2: moved"), ("trainer", "")));
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            var changed = await (await api.GetAsync($"/api/courses/{courseId}/sessions/{sessionIds[1]}")).Expect(HttpStatusCode.OK);
            Assert.Equal("2013-05-15", changed.GetProperty("date").GetString());
            Assert.Equal("Day 2: moved", changed.GetProperty("title").GetString());

            // The old version is stale now: said, not overwritten.
            var stale = await browser.PostAsync(editUrl, WorkspaceGiven.Form(form,
                ("version", version), ("date", "2013-05-16"), ("hours", "3"), ("title", "Overwritten?")));
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            Assert.Contains("Someone changed this session while you had it open", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var fresh = await (await browser.GetAsync(editUrl)).Content.ReadAsStringAsync();
            var newVersion = System.Text.RegularExpressions.Regex.Match(fresh, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
            var removed = await browser.PostAsync(editUrl + "?handler=Remove", WorkspaceGiven.Form(fresh, ("version", newVersion)));
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/courses/{courseId}/sessions/{sessionIds[1]}")).StatusCode);

            var attended = await browser.GetAsync($"/workspace/courses/{courseId}/sessions/{sessionIds[0]}");
            var attendedPage = await attended.Content.ReadAsStringAsync();
            Assert.Contains("Attendance has been taken for this session", attendedPage, StringComparison.Ordinal);
            var refused = await browser.PostAsync($"/workspace/courses/{courseId}/sessions/{sessionIds[0]}?handler=Remove", WorkspaceGiven.Form(attendedPage, ("version", "1")));
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("it can no longer be deleted.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/courses/{courseId}/sessions/{sessionIds[0]}")).StatusCode);
        }
    }

    [Fact]
    public async Task ACountryExpertSeesTheirCountrysCourseWithoutEditingAndAnotherCountrysIsANotFoundPage()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (austrian, sessions, _) = await CourseGiven.RunningCourseAsync(api, countryCode: "AT", sessions: 1);
        var (latvian, _, _) = await CourseGiven.RunningCourseAsync(api, countryCode: "LV", sessions: 1);
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        using (expert)
        {
            var own = await expert.GetAsync($"/workspace/courses/{austrian}");
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            var html = await own.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Add a session", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Change or remove", html, StringComparison.Ordinal);

            var other = await expert.GetAsync($"/workspace/courses/{latvian}");
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            Assert.Equal("text/html", other.Content.Headers.ContentType?.MediaType);
            Assert.Contains("There is no such course, or it is not one you may see.", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await expert.GetAsync("/workspace/courses/99999")).StatusCode);

            // Adding a session is a coordinator's: the expert's POST is a 403 page and stores nothing.
            var post = await expert.PostAsync($"/workspace/courses/{austrian}?handler=AddSession", WorkspaceGiven.Form(html, ("date", "2013-05-14"), ("hours", "2"), ("title", "By the expert")));
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await expert.GetAsync($"/workspace/courses/{austrian}/sessions/{sessions[0]}")).StatusCode);
            var list = await (await api.GetAsync($"/api/courses/{austrian}/sessions")).Expect(HttpStatusCode.OK);
            Assert.Equal(1, list.GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task TheSteeringGroupMayNotOpenACoursePageAndAPostWithoutItsTokenIsRefused()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, _, _) = await CourseGiven.RunningCourseAsync(api, sessions: 1);
        var (_, _, steering) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        using (steering)
        {
            var page = await steering.GetAsync($"/workspace/courses/{courseId}");
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.Contains("This page is not for the role steering group.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var (_, _, coordinator) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (coordinator)
        {
            var forged = await coordinator.PostAsync($"/workspace/courses/{courseId}?handler=AddSession",
                WorkspaceGiven.Form(null, ("date", "2013-05-14"), ("hours", "2"), ("title", "Forged")));
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            var list = await (await api.GetAsync($"/api/courses/{courseId}/sessions")).Expect(HttpStatusCode.OK);
            Assert.Equal(1, list.GetProperty("total").GetInt32());
        }
    }

    public void Dispose() => _app.Dispose();
}
