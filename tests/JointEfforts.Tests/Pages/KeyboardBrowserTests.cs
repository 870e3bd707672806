using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Pages;

/// <summary>
/// Issue 24, keyboard alone: each workspace page reached and its main action done with Tab, Shift+Tab, Enter, Space (and the
/// arrows inside a radio group, as a keyboard user moves in one), never a click; at every Tab stop the focus is visible (the
/// :focus-visible ring of site.css). Set-password, sign-in, home, programme, course (add a session), session (change it),
/// attendance, documents (issue codes) and report (submit) here; paper forms in <see cref="PaperFormBrowserTests"/> and the
/// steering group's review (accept, return) in <see cref="SteeringReviewBrowserTests"/>, both by keyboard too.
/// </summary>
public sealed class KeyboardBrowserTests(ITestOutputHelper output) : IDisposable
{
    private const string Password = "a quiet morning in Riga";
    private readonly JointEffortsApp _app = PageGiven.DemoApp(kestrel: true);

    [Fact]
    public async Task ACoordinatorGoesFromTheirLinkToIssuedCodesThroughEveryPageWithTheKeyboardAlone()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed: test.sh installs them (apt-get install chromium chromium-driver).");
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = DemoProgramme();
        var courseId = await CourseGiven.OpenCourseAsync(api, min: 2, projectId: projectId);
        var participants = await CourseGiven.EnrolAsync(api, courseId, 3);
        using (var db = Connection())
        {
            // The demo's reaction form (it has German), so that codes can be issued for the course.
            db.Execute("UPDATE courses SET evaluation_form_id = (SELECT evaluation_form_id FROM courses WHERE country_code = 'AT' AND evaluation_form_id IS NOT NULL ORDER BY id LIMIT 1) WHERE id = @courseId", new { courseId });
        }

        using var admin = _app.CreateAdminClient();
        var created = await (await admin.PostAsJsonAsync("/api/users", new { userName = "ilze.berzina", displayName = "Ilze Bērziņa", role = "coordinator" }))
            .Expect(HttpStatusCode.Created);

        using var browser = new PageBrowser(_app);

        // Set-password: the link from the e-mail, then Tab, type, Tab, type, Enter.
        await Keyboard.SignInAsync(_app, browser, created.GetProperty("id").GetInt32(), Password);
        Assert.Equal("Welcome, Ilze Bērziņa", browser.Find("h1").Text);

        // Sign out and in again: Enter on the button, then the sign-in form.
        Keyboard.TabTo(browser, ".ws-user button[type=submit]");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.Contains("/signin", StringComparison.Ordinal));
        Keyboard.TabTo(browser, "#userName");
        Keyboard.Type(browser, "ilze.berzina");
        Keyboard.TabTo(browser, "#password");
        Keyboard.Type(browser, Password + Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/workspace", StringComparison.Ordinal));

        // Home → the programme → the course.
        Keyboard.TabTo(browser, $"a[href='/workspace/programmes/{projectId}']");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.EndsWith($"/workspace/programmes/{projectId}", StringComparison.Ordinal));
        Keyboard.TabTo(browser, $"a[href='/workspace/courses/{courseId}']", max: 300);
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.EndsWith($"/workspace/courses/{courseId}", StringComparison.Ordinal));

        // The course: add a session (date, hours, title), Enter on the button.
        Keyboard.TabTo(browser, "#date");
        Keyboard.TypeDate(browser, new DateOnly(2013, 5, 13));
        Keyboard.TabTo(browser, "#hours");
        Keyboard.Type(browser, "6");
        Keyboard.TabTo(browser, "#title");
        Keyboard.Type(browser, "Indicators of trafficking");
        Keyboard.TabTo(browser, "form[action*='handler=AddSession'] button[type=submit]");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal("The session was added.", browser.Find(".notice-thanks").Text);
        var sessionId = Single<int>("SELECT id FROM course_sessions WHERE course_id = @courseId AND title = 'Indicators of trafficking'", new { courseId });

        // The session: change its title (Shift+Tab back from the save button to the trainer, then the title), Enter to save.
        Keyboard.TabTo(browser, $"a[href='/workspace/courses/{courseId}/sessions/{sessionId}']");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.EndsWith($"/sessions/{sessionId}", StringComparison.Ordinal));
        Keyboard.TabTo(browser, "form:not([action*='handler=Remove']) button[type=submit]");
        Keyboard.TabTo(browser, "#title", backwards: true);
        Keyboard.Press(browser, Keys.End);
        Keyboard.Type(browser, " and first contact");
        Keyboard.TabTo(browser, "form:not([action*='handler=Remove']) button[type=submit]");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal("The session was changed.", browser.Find(".notice-thanks").Text);
        Assert.Equal("Indicators of trafficking and first contact", Single<string>("SELECT title FROM course_sessions WHERE id = @sessionId", new { sessionId }));

        // Attendance: everyone present; the second participant absent (arrows in their group), Enter on save.
        Keyboard.TabTo(browser, $"a[href='/workspace/courses/{courseId}/sessions/{sessionId}/attendance']");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/attendance", StringComparison.Ordinal));
        Keyboard.TabTo(browser, $"input[name='status-{participants[1]}']");
        Keyboard.Press(browser, Keys.ArrowRight + Keys.ArrowRight + Keys.ArrowRight);
        Assert.Equal("absent", Keyboard.Focused(browser).GetAttribute("value"));
        Keyboard.TabTo(browser, ".ws-sticky button[type=submit]");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        List<(int ParticipantId, string Status)> register;
        using (var db = Connection())
        {
            register = (await db.QueryAsync<(int ParticipantId, string Status)>(
                "SELECT participant_id, status FROM attendance WHERE session_id = @sessionId ORDER BY participant_id", new { sessionId })).ToList();
        }

        Assert.Equal([(participants[0], "present"), (participants[1], "absent"), (participants[2], "present")], register);

        // Documents: Shift+Tab back to the breadcrumbs' course, then to the documents, and issue five codes (Enter in the field).
        Keyboard.TabTo(browser, $"a[href='/workspace/courses/{courseId}']", backwards: true, max: 60);
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.EndsWith($"/workspace/courses/{courseId}", StringComparison.Ordinal));
        Keyboard.TabTo(browser, $"a[href='/workspace/courses/{courseId}/documents']");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/documents", StringComparison.Ordinal));
        Keyboard.TabTo(browser, "#count");
        Keyboard.Type(browser, "5" + Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".ws-new")).Count > 0);
        Assert.Equal(5, Single<int>("SELECT COUNT(*) FROM evaluation_codes WHERE course_id = @courseId", new { courseId }));
        Assert.Equal(2, browser.FindAll(".ws-holders a").Count); // a certificate each for the two who attended
        Axe.AssertClean(browser, "documents with a certificate each");
        Shoot(browser, "ws-documents-certificates");

        // The report, which a coordinator reads (GET evaluation-report is every role's) but does not write.
        Keyboard.TabTo(browser, $"a[href='/workspace/courses/{courseId}']", backwards: true, max: 60);
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.EndsWith($"/workspace/courses/{courseId}", StringComparison.Ordinal));
        Keyboard.TabTo(browser, $"a[href='/workspace/courses/{courseId}/report']");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/report", StringComparison.Ordinal));
        Assert.Contains("only the expert writes it", browser.Find(".notice-used").Text, StringComparison.Ordinal);
        Assert.Empty(browser.FindAll("form.ws-report"));
        Axe.AssertClean(browser, "report, read by a coordinator");
        Shoot(browser, "ws-report-read-only");
        output.WriteLine($"screenshots in {PageBrowser.ScreenshotFolder}");
    }

    [Fact]
    public async Task ACountryExpertOpensTheirReportFromHomeAndSubmitsItWithTheKeyboardAlone()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed.");
        var courseId = Single<int>(
            "SELECT c.id FROM courses c JOIN evaluation_reports r ON r.course_id = c.id WHERE c.country_code = 'MD' AND r.state = 'draft' ORDER BY c.id LIMIT 1");
        using var browser = new PageBrowser(_app);
        await Keyboard.SignInAsync(_app, browser, "demo.expert.md");

        Keyboard.TabTo(browser, $"a[href='/workspace/courses/{courseId}/report']");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/report", StringComparison.Ordinal));
        Keyboard.TabTo(browser, "#summary");
        Keyboard.Chord(browser, Keys.Control, Keys.End);
        Keyboard.Type(browser, " Typed in without a mouse.");
        Keyboard.TabTo(browser, "input[name=overallRating]"); // the checked rating, or the first when none is
        Keyboard.Press(browser, Keys.Space);
        Keyboard.TabTo(browser, ".ws-actions button:not(.secondary)");
        Keyboard.AssertFocusVisible(browser, "Save and submit");
        browser.Screenshot("ws-keyboard-report-focus", 390);
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal("The report was submitted to the steering group.", browser.Find(".notice-thanks").Text);
        var report = Single<(string State, string Summary, int Rating)>(
            "SELECT state, summary, overall_rating FROM evaluation_reports WHERE course_id = @courseId", new { courseId });
        Assert.Equal("submitted", report.State);
        Assert.EndsWith("Typed in without a mouse.", report.Summary, StringComparison.Ordinal);
        Assert.True(report.Rating is >= 1 and <= 5);
    }

    private static void Shoot(PageBrowser browser, string name)
    {
        foreach (var width in new[] { 390, 768, 1280 })
        {
            browser.Screenshot(name, width);
        }
    }

    private int DemoProgramme() => Single<int>("SELECT id FROM projects ORDER BY id LIMIT 1");

    private System.Data.Common.DbConnection Connection() => _app.Services.GetRequiredService<Database>().Open();

    private T Single<T>(string sql, object? args = null)
    {
        using var db = Connection();
        return db.QuerySingle<T>(sql, args);
    }

    public void Dispose() => _app.Dispose();
}
