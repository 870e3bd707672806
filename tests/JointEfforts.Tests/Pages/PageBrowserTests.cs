using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Pages;

/// <summary>
/// The journeys of issue 13 in a real browser: a participant answers in Romanian, is corrected, thanked and counted, and
/// finds the code used the second time; the steering group signs in, picks Joint Efforts, sees the target and the six
/// countries, and downloads the workbook. Screenshots of both pages at 390 px and 1280 px are written on the way.
/// </summary>
public sealed class PageBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly JointEffortsApp _app = PageGiven.DemoApp(kestrel: true);
    private readonly string _downloads = Directory.CreateTempSubdirectory("jointefforts-downloads-").FullName;

    [Fact]
    public async Task AParticipantAnswersInRomanianIsCorrectedThankedCountedAndTheCodeIsThenUsed()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed: test.sh installs them (apt-get install chromium chromium-driver).");
        var course = PageGiven.RomanianCourse(_app);
        var code = PageGiven.NewCode(_app, course);
        using var browser = new PageBrowser(_app);
        using var admin = _app.CreateAdminClient();
        var before = await ReactionCount(admin, course);

        browser.Open($"/e/{code}");
        Assert.Equal("ro", browser.Find("html").GetAttribute("lang"));
        Assert.Equal("Evaluarea cursului", browser.Find("h1").Text);
        Assert.Equal("true", browser.Find(".languages a[lang=ro]").GetAttribute("aria-current"));
        browser.Screenshot("participant-form", 390);
        browser.Screenshot("participant-form", 1280);

        // Every required answer but "overall"; labels are what a participant taps.
        browser.Find("label[for=q-relevance-4]").Click();
        browser.Find("label[for=q-trainers-3]").Click();
        browser.Find("label[for=q-materials-3]").Click();
        browser.Find("label[for=q-organisation-2]").Click();
        browser.Find("label[for=q-apply-0]").Click();
        browser.Find("label[for=q-topics-0]").Click();
        browser.Find("#q-comments-0").SendKeys("Mai mult timp pentru studii de caz.");
        browser.Find("form.evaluation button[type=submit]").Click();

        var summary = browser.Wait(d => d.FindElements(By.CssSelector(".error-summary")).FirstOrDefault());
        Assert.Contains("Vă rugăm să verificați răspunsurile", summary!.Text, StringComparison.Ordinal);
        Assert.Equal("Vă rugăm să răspundeți la această întrebare.", browser.Find("#q-overall-error").Text.Replace("Eroare:", "", StringComparison.Ordinal).Trim());
        Assert.Equal("q-overall-0", browser.Driver.SwitchTo().ActiveElement().GetAttribute("id")!); // focus on the first error
        Assert.True(browser.Find("#q-trainers-3").Selected); // what was answered is still there
        Assert.Equal("Mai mult timp pentru studii de caz.", browser.Find("#q-comments-0").GetAttribute("value"));
        browser.Screenshot("participant-error", 390);
        browser.Screenshot("participant-error", 1280);

        browser.Find("label[for=q-overall-4]").Click();
        browser.Find("form.evaluation button[type=submit]").Click();

        browser.Wait(d => d.Url.Contains("/e/thanks", StringComparison.Ordinal));
        Assert.DoesNotContain(code, browser.Driver.Url, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(code.Replace("-", "", StringComparison.Ordinal), browser.Driver.Url, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Vă mulțumim!", browser.Find("h1").Text);
        browser.Screenshot("participant-thanks", 390);
        Assert.Equal(before + 1, await ReactionCount(admin, course));

        // Back on the slip's page, the form shows as for any code (no probe tells used slips, issue 23); answered again,
        // the participant is told kindly that the code was used, and nothing more is counted.
        browser.Open($"/e/{code}");
        Assert.Equal("Evaluarea cursului", browser.Find("h1").Text);
        foreach (var choice in new[] { "relevance-4", "trainers-3", "materials-3", "organisation-2", "overall-4", "apply-0" })
        {
            browser.Find($"label[for=q-{choice}]").Click();
        }

        browser.Find("form.evaluation button[type=submit]").Click();
        browser.Wait(d => d.FindElements(By.CssSelector("h1")).FirstOrDefault(h => h.Text == "Acest cod a fost deja folosit"));
        Assert.Empty(browser.FindAll("form.evaluation"));
        browser.Screenshot("participant-used", 390);
        Assert.Equal(before + 1, await ReactionCount(admin, course));
    }

    [Fact]
    public async Task TheSteeringGroupSignsInPicksJointEffortsSeesTheTargetAndSixCountriesAndDownloadsTheWorkbook()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed: test.sh installs them (apt-get install chromium chromium-driver).");
        var (_, token) = await _app.CreateUserAsync(Role.SteeringGroup);
        using var browser = new PageBrowser(_app, _downloads);

        browser.Open("/dashboard");
        browser.Find("#token").SendKeys("je_not_a_token_at_all");
        browser.Find("#signInForm button").Click();
        browser.Wait(d => d.FindElement(By.Id("signInError")).Text.Length > 0);
        Assert.Contains("not accepted", browser.Find("#signInError").Text, StringComparison.Ordinal);
        browser.Screenshot("dashboard-sign-in", 390);

        browser.Find("#token").Clear();
        browser.Find("#token").SendKeys(token);
        browser.Find("#signInForm button").Click();
        var picker = browser.Wait(d => d.FindElement(By.Id("programme")).Displayed ? d.FindElement(By.Id("programme")) : null);
        var jointEfforts = picker!.FindElements(By.TagName("option")).Single(o => o.Text.StartsWith("ISEC-JOINT-EFFORTS", StringComparison.Ordinal));
        jointEfforts.Click();

        browser.Wait(d => d.FindElement(By.Id("programmeTitle")).Text.StartsWith("Joint efforts", StringComparison.Ordinal));
        Assert.Contains("of 160 target", browser.Find("#trained").Text, StringComparison.Ordinal);
        var countries = browser.Wait(d => d.FindElements(By.CssSelector("#countries tbody tr")) is { Count: > 0 } rows ? rows : null);
        Assert.Equal(
            ["Albania", "Austria", "Moldova", "Netherlands", "Sweden", "United Kingdom"],
            countries!.Select(r => r.FindElement(By.TagName("th")).Text).ToArray());
        browser.Wait(d => d.FindElements(By.CssSelector("#courses tbody tr")).Count == 6);
        browser.Wait(d => d.FindElement(By.Id("reports")).Text.Length > 0);

        // The token is in this tab's sessionStorage only: never in a URL or localStorage.
        Assert.Equal(token, browser.Script("return sessionStorage.getItem('jointefforts.token');"));
        Assert.Equal(0L, browser.Script("return localStorage.length;"));
        Assert.DoesNotContain(token, browser.Driver.Url, StringComparison.Ordinal);
        Assert.Empty(((IJavaScriptExecutor)browser.Driver).ExecuteScript("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes(arguments[0]));", token) as IEnumerable<object> ?? []);

        browser.Screenshot("dashboard", 1280);
        browser.Screenshot("dashboard", 390);

        browser.Find("#steeringWorkbook").Click();
        var workbook = browser.Wait(_ => Directory.GetFiles(_downloads, "*.xlsx").FirstOrDefault(), seconds: 30);
        output.WriteLine($"downloaded {Path.GetFileName(workbook)}; screenshots in {PageBrowser.ScreenshotFolder}");
        using (var book = new XLWorkbook(workbook))
        {
            Assert.Contains(book.Worksheets, sheet => sheet.Name == "Phases");
            Assert.Contains(book.Worksheets, sheet => sheet.Name == "Courses");
        }

        browser.Find("#signOut").Click();
        Assert.True(browser.Find("#signIn").Displayed);
        Assert.Null(browser.Script("return sessionStorage.getItem('jointefforts.token');"));
    }

    private static async Task<int> ReactionCount(HttpClient admin, int course)
    {
        var summary = await (await admin.GetAsync($"/api/courses/{course}/evaluation-summary")).Content.ReadFromJsonAsync<JsonElement>();
        return summary.GetProperty("responses").GetProperty("reaction").GetInt32();
    }

    public void Dispose()
    {
        _app.Dispose();
        try
        {
            Directory.Delete(_downloads, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a partial file; the temp folder is cleaned by the system.
        }
    }
}
