using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Pages;

/// <summary>
/// Issue 24 in a real browser, the steering group's whole journey on the demo programme: on the dashboard (/dashboard, signed
/// in with their token) the reports awaiting them link to the review page; they sign in to the workspace on the way, accept
/// the Dutch report, come back, and return the Albanian one with a comment; the Albanian expert then reads that comment on
/// their report page. Keys only where a person would type; axe-core and screenshots at 390, 768 and 1280 px.
/// </summary>
public sealed class SteeringReviewBrowserTests(ITestOutputHelper output) : IDisposable
{
    private const string Password = "the steering group meets in Brussels";
    private const string Comment = "Please add how many of the trained were prosecutors, and the dates of the follow-up visits.";
    private static readonly int[] Widths = [390, 768, 1280];
    private readonly JointEffortsApp _app = PageGiven.DemoApp(kestrel: true);

    [Fact]
    public async Task FromTheDashboardTheSteeringGroupAcceptsOneReportAndReturnsAnotherWhoseExpertThenSeesTheComment()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed: test.sh installs them (apt-get install chromium chromium-driver).");
        var (dutch, albanian) = Courses();
        using var admin = _app.CreateAdminClient();
        await SubmitAsync(admin, albanian); // the demo's Albanian draft, submitted: two reports now await the steering group
        var (steeringId, token) = await _app.CreateUserAsync(Role.SteeringGroup);

        using var browser = new PageBrowser(_app);
        // The steering member has a workspace password (set through their link), and is signed out of it.
        await Keyboard.SignInAsync(_app, browser, steeringId, Password);
        Keyboard.TabTo(browser, ".ws-user button[type=submit]");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.Contains("/signin", StringComparison.Ordinal));

        // The dashboard, signed in with the API token.
        browser.Open("/dashboard");
        browser.Wait(d => d.FindElement(By.Id("signIn")).Displayed);
        Keyboard.TabTo(browser, "#token");
        Keyboard.Type(browser, token + Keys.Enter);
        var toDutch = $"a[href='/workspace/reports/{dutch}']";
        browser.Wait(d => d.FindElements(By.CssSelector(toDutch)).Count > 0, 30);
        Assert.NotEmpty(browser.FindAll($"a[href='/workspace/reports/{albanian}']"));

        // Accept or return it → the workspace asks for the password first, then opens the report.
        Keyboard.TabTo(browser, toDutch, max: 400);
        Keyboard.AssertFocusVisible(browser, "the dashboard's link to the Dutch report");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.Contains("/signin?returnUrl=%2Fworkspace%2Freports%2F" + dutch, StringComparison.Ordinal));
        Keyboard.TabTo(browser, "#userName");
        Keyboard.Type(browser, UserName(steeringId));
        Keyboard.TabTo(browser, "#password");
        Keyboard.Type(browser, Password + Keys.Enter);
        browser.Wait(d => d.Url.EndsWith($"/workspace/reports/{dutch}", StringComparison.Ordinal));
        Assert.StartsWith("Evaluation report: ", browser.Find("h1").Text, StringComparison.Ordinal);
        Axe.AssertClean(browser, "review (Dutch report)");
        Shoot(browser, "ws-steering-review");

        Keyboard.TabTo(browser, "form[action*='handler=Accept'] button");
        Keyboard.AssertFocusVisible(browser, "Accept the report");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal("The report was accepted and the course is now evaluated.", browser.Find(".notice-thanks").Text);
        Assert.Equal("evaluated", (await Read(admin, $"/api/courses/{dutch}")).GetProperty("status").GetString());
        Assert.Equal("accepted", (await Read(admin, $"/api/courses/{dutch}/evaluation-report")).GetProperty("state").GetString());
        Shoot(browser, "ws-steering-accepted");

        // Back to the dashboard (the token is still this tab's): the Dutch report no longer waits, the Albanian one does.
        Keyboard.TabTo(browser, "a[href='/dashboard']");
        Keyboard.Press(browser, Keys.Enter);
        var toAlbanian = $"a[href='/workspace/reports/{albanian}']";
        browser.Wait(d => d.FindElements(By.CssSelector(toAlbanian)).Count > 0, 30);
        Assert.Empty(browser.FindAll(toDutch));
        Keyboard.TabTo(browser, toAlbanian, max: 400);
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.EndsWith($"/workspace/reports/{albanian}", StringComparison.Ordinal));

        // Returned without a comment: the API's message beside the field; then with one.
        Keyboard.TabTo(browser, "form[action*='handler=Return'] button");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.FindElements(By.Id("comment-error")).Count > 0);
        Assert.Contains("comment is required", browser.Find("#comment-error").Text, StringComparison.Ordinal);
        Assert.Equal("submitted", (await Read(admin, $"/api/courses/{albanian}/evaluation-report")).GetProperty("state").GetString());
        Axe.AssertClean(browser, "review with an error");
        Shoot(browser, "ws-steering-return-error");
        Keyboard.TabTo(browser, "#comment");
        Keyboard.AssertFocusVisible(browser, "the comment");
        Keyboard.Type(browser, Comment);
        Keyboard.TabTo(browser, "form[action*='handler=Return'] button");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal("The report was returned to its country expert with your comment.", browser.Find(".notice-thanks").Text);
        var returned = await Read(admin, $"/api/courses/{albanian}/evaluation-report");
        Assert.Equal(("draft", Comment), (returned.GetProperty("state").GetString(), returned.GetProperty("returnComment").GetString()));
        Shoot(browser, "ws-steering-returned");

        // The Albanian expert: their home says it was returned, and their report page shows the comment.
        Keyboard.TabTo(browser, ".ws-user button[type=submit]");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.Contains("/signin", StringComparison.Ordinal));
        await Keyboard.SignInAsync(_app, browser, "demo.expert.al");
        Keyboard.TabTo(browser, $"a[href='/workspace/courses/{albanian}/report']");
        Assert.Contains("returned", Keyboard.Focused(browser).Text, StringComparison.Ordinal);
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.Url.EndsWith($"/workspace/courses/{albanian}/report", StringComparison.Ordinal));
        Assert.Equal(Comment, browser.Find(".ws-returned .ws-comment").Text);
        Assert.NotEmpty(browser.FindAll("textarea#summary")); // a draft again: theirs to change
        Axe.AssertClean(browser, "the expert's returned report");
        Shoot(browser, "ws-expert-returned");
        output.WriteLine($"screenshots in {PageBrowser.ScreenshotFolder}");
    }

    /// <summary>The demo's Dutch course (its report submitted) and Albanian course (its report a draft).</summary>
    private (int Dutch, int Albanian) Courses()
    {
        using var db = _app.Services.GetRequiredService<Database>().Open();
        int Of(string country, string state) => db.QuerySingle<int>(
            "SELECT c.id FROM courses c JOIN evaluation_reports r ON r.course_id = c.id WHERE c.country_code = @country AND r.state = @state ORDER BY c.id LIMIT 1",
            new { country, state });
        return (Of("NL", "submitted"), Of("AL", "draft"));
    }

    private string UserName(int id)
    {
        using var db = _app.Services.GetRequiredService<Database>().Open();
        return db.QuerySingle<string>("SELECT user_name FROM users WHERE id = @id", new { id });
    }

    /// <summary>The draft as it stands, submitted (an admin stands in for the course's expert, as the routes let them).</summary>
    private static async Task SubmitAsync(HttpClient admin, int courseId)
    {
        var url = $"/api/courses/{courseId}/evaluation-report";
        var draft = await Read(admin, url);
        string? Text(string name) => draft.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var written = await admin.PutAsJsonAsync(url, new
        {
            deliveredOn = Text("deliveredOn"),
            participantsAttended = draft.GetProperty("participantsAttended").GetInt32(),
            summary = Text("summary") ?? "Prosecutors and labour inspectors met for the first time.",
            strengths = Text("strengths"),
            weaknesses = Text("weaknesses"),
            recommendations = draft.GetProperty("recommendations").EnumerateArray().Select(r => r.GetString()).ToArray(),
            overallRating = draft.TryGetProperty("overallRating", out var rating) && rating.ValueKind == JsonValueKind.Number ? rating.GetInt32() : 4,
        });
        Assert.True(written.IsSuccessStatusCode, await written.Content.ReadAsStringAsync());
        var submitted = await admin.PostAsync($"{url}/submit", null);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
    }

    private static async Task<JsonElement> Read(HttpClient client, string url) =>
        await (await client.GetAsync(url)).Expect(HttpStatusCode.OK);

    private static void Shoot(PageBrowser browser, string name)
    {
        foreach (var width in Widths)
        {
            browser.Screenshot(name, width);
        }
    }

    public void Dispose() => _app.Dispose();
}
