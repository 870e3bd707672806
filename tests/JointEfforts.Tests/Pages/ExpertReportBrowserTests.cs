using System.Net.Http.Json;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Pages;

/// <summary>
/// Issue 24 in a real browser (Debian's chromium): a country expert takes a delivered course's register, writes the evaluation
/// report from its prefilled form and submits it; the steering group opens it from their home page and accepts it. Each page is
/// checked with axe-core and photographed at 390, 768 and 1280 px (screenshots/ in the test output).
/// </summary>
public sealed class ExpertReportBrowserTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int[] Widths = [390, 768, 1280];
    private readonly JointEffortsApp _app = PageGiven.DemoApp(kestrel: true);

    [Fact]
    public async Task ACountryExpertGoesFromTheRegisterToASubmittedReportAndTheSteeringGroupAcceptsIt()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed: test.sh installs them (apt-get install chromium chromium-driver).");
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, _) = await CourseGiven.RunningCourseAsync(coordinator, countryCode: "AT", participants: 4, sessions: 1);
        var sessionId = sessions[0];
        var endDate = (await (await coordinator.GetAsync($"/api/courses/{courseId}")).Expect(System.Net.HttpStatusCode.OK)).GetProperty("endDate").GetString();

        using var browser = new PageBrowser(_app);
        await SignInThroughLinkAsync(browser, "anna.expert", "Anna Gruber", "countryExpert", "AT", "Vienna by the Danube");

        // The register of the course's one day: everyone present, saved as it stands.
        browser.Open($"/workspace/courses/{courseId}/sessions/{sessionId}/attendance");
        Assert.All(browser.FindAll(".ws-line input[value=present]"), radio => Assert.True(radio.Selected));
        browser.Find(".ws-sticky button").Click();
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);

        // The course took place: the coordinator closes and delivers it (through the API).
        await CourseGiven.MoveAsync(coordinator, courseId, "closed");
        await CourseGiven.MoveAsync(coordinator, courseId, "delivered");

        // From the course to its report: prefilled with the course's last day and the number trained.
        browser.Open($"/workspace/courses/{courseId}");
        browser.Find("a[href$='/paper-forms']").Click();
        browser.Wait(d => d.Url.EndsWith("/paper-forms", StringComparison.Ordinal));
        Assert.Equal("Type in paper forms", browser.Find("h1").Text);
        Axe.AssertClean(browser, "paper forms");
        Shoot(browser, "ws-paper-forms");
        browser.Open($"/workspace/courses/{courseId}");
        browser.Find("a[href$='/report']").Click();
        browser.Wait(d => d.Url.EndsWith("/report", StringComparison.Ordinal));
        Assert.Equal(endDate, browser.Find("#deliveredOn").GetAttribute("value"));
        Assert.Equal("4", browser.Find("#participantsAttended").GetAttribute("value"));
        Axe.AssertClean(browser, "evaluation report (prefilled)");
        Shoot(browser, "ws-report-prefilled");

        // Saved without a summary: the API's message beside the field.
        browser.Find(".ws-actions button.secondary").Click();
        browser.Wait(d => d.FindElements(By.Id("summary-error")).Count > 0);
        Assert.Contains("summary is required", browser.Find("#summary-error").Text, StringComparison.Ordinal);
        Axe.AssertClean(browser, "evaluation report with an error");
        Shoot(browser, "ws-report-error");

        browser.Find("#summary").SendKeys("Police, labour inspectors and social workers met for the first time and agreed a referral path.");
        browser.Find("#recommendations").SendKeys("Add a day of case studies" + Keys.Enter + "Invite the prosecutors");
        browser.Find("label[for=overallRating-4]").Click();
        browser.FindAll(".ws-actions button").Last().Click();
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal("The report was submitted to the steering group.", browser.Find(".notice-thanks").Text);
        Assert.Contains("Invite the prosecutors", browser.Find(".ws-report-text").Text, StringComparison.Ordinal);
        Axe.AssertClean(browser, "evaluation report submitted");
        Shoot(browser, "ws-report-submitted");

        browser.Find(".ws-user button[type=submit]").Click();
        browser.Wait(d => d.Url.Contains("/signin", StringComparison.Ordinal));

        // The steering group: from their home page to the report, accepted.
        await SignInThroughLinkAsync(browser, "jan.steering", "Jan de Vries", "steeringGroup", null, "Antwerp in the autumn");
        browser.Find($"a[href='/workspace/reports/{courseId}']").Click();
        browser.Wait(d => d.Url.EndsWith($"/workspace/reports/{courseId}", StringComparison.Ordinal));
        Assert.Contains("agreed a referral path", browser.Find(".ws-report-text").Text, StringComparison.Ordinal);
        Axe.AssertClean(browser, "steering group's decision");
        Shoot(browser, "ws-review");
        browser.Find("form[action*='handler=Accept'] button").Click();
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal("The report was accepted and the course is now evaluated.", browser.Find(".notice-thanks").Text);
        var state = await (await coordinator.GetAsync($"/api/courses/{courseId}")).Expect(System.Net.HttpStatusCode.OK);
        Assert.Equal("evaluated", state.GetProperty("status").GetString());
        Axe.AssertClean(browser, "steering group's decision taken");
        Shoot(browser, "ws-review-accepted");
        output.WriteLine($"screenshots in {PageBrowser.ScreenshotFolder}");
    }

    private async Task SignInThroughLinkAsync(PageBrowser browser, string userName, string displayName, string role, string? countryCode, string password)
    {
        using var admin = _app.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/api/users", new { userName, displayName, role, countryCode });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var link = new Uri((await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("url").GetString()!);
        browser.Open(link.PathAndQuery);
        browser.Find("#password").SendKeys(password);
        browser.Find("#confirm").SendKeys(password + Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/workspace", StringComparison.Ordinal));
    }

    private static void Shoot(PageBrowser browser, string name)
    {
        foreach (var width in Widths)
        {
            browser.Screenshot(name, width);
        }
    }

    public void Dispose() => _app.Dispose();
}
