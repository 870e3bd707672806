using System.Net.Http.Json;
using System.Text.Json;
using JointEfforts.Tests.Infrastructure;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Pages;

/// <summary>
/// Issue 24 in a real browser (Debian's chromium): a coordinator's day from signing in to printed slips — a programme's page, the demo's Moldovan
/// course, its documents page, a batch of codes issued, and the slips downloaded as a PDF. Each page is checked with axe-core
/// and photographed at 390, 768 and 1280 px (screenshots/ in the test output).
/// </summary>
public sealed class CoordinatorJourneyBrowserTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int[] Widths = [390, 768, 1280];
    private readonly JointEffortsApp _app = PageGiven.DemoApp(kestrel: true);
    private readonly string _downloads = Path.Combine(Path.GetTempPath(), "jointefforts-downloads", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ACoordinatorSignsInOpensACourseIssuesCodesAndDownloadsTheSlipsAsAPdf()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed: test.sh installs them (apt-get install chromium chromium-driver).");
        Directory.CreateDirectory(_downloads);
        using var browser = new PageBrowser(_app, _downloads);
        using var admin = _app.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/api/users", new { userName = "ana.ciobanu", displayName = "Ana Ciobanu", role = "coordinator" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var link = new Uri((await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("url").GetString()!);
        var courseId = PageGiven.RomanianCourse(_app);

        browser.Open(link.PathAndQuery);
        browser.Find("#password").SendKeys("Nistru at dawn, 2013");
        browser.Find("#confirm").SendKeys("Nistru at dawn, 2013" + Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/workspace", StringComparison.Ordinal));

        // The programme's page from the home page: phases, milestones, meetings, courses, and what needs doing.
        browser.FindAll(".ws-item h3 a").First().Click();
        browser.Wait(d => d.Url.Contains("/workspace/programmes/", StringComparison.Ordinal));
        Assert.Equal("Phases and milestones", browser.Find("#phases").Text);
        Axe.AssertClean(browser, "programme");
        Shoot(browser, "ws-programme");

        browser.Open($"/workspace/courses/{courseId}");
        browser.FindAll("a").First(a => a.Text.StartsWith("Sign-in sheets, evaluation codes", StringComparison.Ordinal)).Click();
        browser.Wait(d => d.Url.EndsWith($"/workspace/courses/{courseId}/documents", StringComparison.Ordinal));
        Assert.Equal("Documents to print", browser.Find("h1").Text);
        Axe.AssertClean(browser, "documents");
        Shoot(browser, "ws-documents");

        // A count the API refuses first: the message beside the field, then a good one.
        browser.Find("#count").SendKeys("3" + Keys.Enter);
        browser.Wait(d => d.FindElements(By.Id("count-error")).Count > 0);
        Axe.AssertClean(browser, "documents with an error");
        Shoot(browser, "ws-documents-error");
        browser.Find("#count").Clear();
        browser.Find("#count").SendKeys("12" + Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".ws-new")).Count > 0);
        var issued = browser.Find(".ws-new").FindElement(By.XPath("..")).FindElement(By.TagName("a"));
        Assert.Contains("12 codes", issued.Text, StringComparison.Ordinal);
        Axe.AssertClean(browser, "documents after issuing");
        Shoot(browser, "ws-documents-issued");

        issued.Click();
        var pdf = browser.Wait(_ => Directory.GetFiles(_downloads, "*.pdf").FirstOrDefault(), seconds: 30);
        Assert.StartsWith("JointEfforts-", Path.GetFileName(pdf), StringComparison.Ordinal);
        Assert.Contains("-evaluation-codes", Path.GetFileName(pdf), StringComparison.Ordinal);
        var bytes = await File.ReadAllBytesAsync(pdf!);
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
        output.WriteLine($"slips downloaded to {pdf} ({bytes.Length} bytes); screenshots in {PageBrowser.ScreenshotFolder}");
    }

    private static void Shoot(PageBrowser browser, string name)
    {
        foreach (var width in Widths)
        {
            browser.Screenshot(name, width);
        }
    }

    public void Dispose()
    {
        _app.Dispose();
        if (Directory.Exists(_downloads))
        {
            Directory.Delete(_downloads, recursive: true);
        }
    }
}
