using System.Net.Http.Json;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Pages;

/// <summary>
/// Issue 24 in a real browser (Debian's chromium): a new coordinator opens the admin's link, sets a password (corrected once),
/// lands on their home page, signs out and signs in again by keyboard alone. Each page is checked with axe-core and
/// photographed at 390, 768 and 1280 px (screenshots/ in the test output).
/// </summary>
public sealed class WorkspaceBrowserTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int[] Widths = [390, 768, 1280];
    private readonly JointEffortsApp _app = PageGiven.DemoApp(kestrel: true);

    [Fact]
    public async Task ANewCoordinatorSetsAPasswordThroughTheLinkLandsOnTheirHomeAndSignsInAgainByKeyboard()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed: test.sh installs them (apt-get install chromium chromium-driver).");
        using var browser = new PageBrowser(_app);
        using var admin = _app.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/api/users", new { userName = "liga.kalnina", displayName = "Līga Kalniņa", role = "coordinator" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var link = new Uri((await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("url").GetString()!);

        browser.Open(link.PathAndQuery);
        Assert.Equal("Set your password", browser.Find("h1").Text);
        Axe.AssertClean(browser, "set-password");
        Shoot(browser, "ws-set-password");

        browser.Find("#password").SendKeys("too short");
        browser.Find("#confirm").SendKeys("too short");
        browser.Find("form button[type=submit]").Click();
        browser.Wait(d => d.FindElements(By.Id("password-error")).Count > 0);
        Assert.Contains("Choose a password of at least 10 characters", browser.Find("#password-error").Text, StringComparison.Ordinal);
        Axe.AssertClean(browser, "set-password with an error");
        Shoot(browser, "ws-set-password-error");

        browser.Find("#password").SendKeys("a long walk by the Daugava");
        browser.Find("#confirm").SendKeys("a long walk by the Daugava");
        browser.Find("form button[type=submit]").Click();
        browser.Wait(d => d.Url.EndsWith("/workspace", StringComparison.Ordinal));
        Assert.Equal("Welcome, Līga Kalniņa", browser.Find("h1").Text);
        Assert.Contains("Joint efforts", browser.Find("#programmes-title").FindElement(By.XPath("..")).Text, StringComparison.Ordinal);
        Assert.Null(browser.Script("return document.cookie.includes('je-session') ? 'visible' : null;")); // HttpOnly
        Axe.AssertClean(browser, "home");
        Shoot(browser, "ws-home-coordinator");

        browser.Find(".ws-user button[type=submit]").Click();
        browser.Wait(d => d.Url.Contains("/signin", StringComparison.Ordinal));
        Assert.Contains("You have signed out.", browser.Find(".notice").Text, StringComparison.Ordinal);
        browser.Open("/workspace");
        browser.Wait(d => d.Url.Contains("/signin?returnUrl=%2Fworkspace", StringComparison.Ordinal));

        // Keyboard alone: the user name has the focus; type, Tab, type, Enter.
        var focused = browser.Driver.SwitchTo().ActiveElement();
        Assert.Equal("userName", focused.GetAttribute("id"));
        focused.SendKeys("liga.kalnina");
        focused.SendKeys(Keys.Tab);
        var password = browser.Driver.SwitchTo().ActiveElement();
        Assert.Equal("password", password.GetAttribute("id"));
        password.SendKeys("not it" + Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".error-summary")).Count > 0);
        Assert.Contains("The user name or the password is not right.", browser.Find(".error-summary").Text, StringComparison.Ordinal);
        Axe.AssertClean(browser, "sign-in with an error");
        Shoot(browser, "ws-signin-error");

        browser.Find("#password").SendKeys("a long walk by the Daugava" + Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/workspace", StringComparison.Ordinal));
        Assert.Equal("Welcome, Līga Kalniņa", browser.Find("h1").Text);

        // From the programme to an open course (the demo's, with no attendance yet): add a session, then open it.
        browser.FindAll(".ws-courses summary").Last().Click();
        var courseLink = browser.FindAll(".ws-courses a").First(a => a.Text.Contains("Open", StringComparison.Ordinal) || a.FindElement(By.XPath("..")).Text.Contains("Open", StringComparison.Ordinal));
        courseLink.Click();
        browser.Wait(d => d.Url.Contains("/workspace/courses/", StringComparison.Ordinal));
        var min = browser.Find("#date").GetAttribute("min")!;
        browser.Script("document.getElementById('date').value = arguments[0];", min);
        // A time field's keys depend on the browser's locale (12- or 24-hour); its value does not.
        browser.Script("document.getElementById('startTime').value = '09:30'; document.getElementById('endTime').value = '12:30';");
        browser.Find("#hours").SendKeys("3");
        browser.Find("#title").SendKeys("Extra: referral mechanisms in practice");
        browser.Find("#trainer").SendKeys("Dr. Ilse Maes" + Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal("The session was added.", browser.Find(".notice-thanks").Text);
        var table = browser.Find(".ws-sessions").Text;
        Assert.True(table.Contains("09:30–12:30", StringComparison.Ordinal), table);
        Axe.AssertClean(browser, "course");
        Shoot(browser, "ws-course");

        // The register of the first day on a tablet: everyone present, one tap for the one absent, saved at once.
        browser.FindAll(".ws-sessions a").First(a => a.Text.StartsWith("Attendance", StringComparison.Ordinal)).Click();
        browser.Wait(d => d.Url.EndsWith("/attendance", StringComparison.Ordinal));
        Assert.All(browser.FindAll(".ws-line input[value=present]"), radio => Assert.True(radio.Selected));
        var absentee = browser.FindAll(".ws-line label.ws-chip-absent").First();
        absentee.Click();
        Axe.AssertClean(browser, "attendance");
        Shoot(browser, "ws-attendance");
        browser.Find(".ws-sticky button").Click();
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Single(browser.FindAll(".ws-line input[value=absent]"), radio => radio.Selected);
        browser.Find(".ws-breadcrumbs a:last-child").Click();
        browser.Wait(d => d.FindElements(By.CssSelector(".ws-sessions")).Count > 0);

        browser.FindAll(".ws-sessions a").Last().Click();
        browser.Wait(d => d.Url.Contains("/sessions/", StringComparison.Ordinal));
        Assert.StartsWith("Session of", browser.Find("h1").Text, StringComparison.Ordinal);
        Axe.AssertClean(browser, "session");
        Shoot(browser, "ws-session");
        output.WriteLine($"screenshots in {PageBrowser.ScreenshotFolder}");
    }

    [Fact]
    public async Task TheSignInPageAndACountryExpertsHomePassAxeAtEveryWidth()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed.");
        using var browser = new PageBrowser(_app);
        browser.Open("/signin");
        Axe.AssertClean(browser, "sign-in");
        Shoot(browser, "ws-signin");

        using var admin = _app.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/api/users", new { userName = "expert.md", displayName = "Ion Rusu", role = "countryExpert", countryCode = "MD" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var link = new Uri((await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("url").GetString()!);
        browser.Open(link.PathAndQuery);
        browser.Find("#password").SendKeys("Chisinau in the spring");
        browser.Find("#confirm").SendKeys("Chisinau in the spring" + Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/workspace", StringComparison.Ordinal));
        Assert.Equal("Courses in Moldova", browser.Find("#courses-title").Text);
        Assert.NotEmpty(browser.FindAll(".ws-list .ws-item"));
        Axe.AssertClean(browser, "country expert's home");
        Shoot(browser, "ws-home-expert");
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
