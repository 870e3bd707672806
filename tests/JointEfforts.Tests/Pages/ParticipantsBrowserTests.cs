using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Pages;

/// <summary>
/// Issue 24 in a real browser (Debian's chromium), by keyboard alone: a coordinator opens a Latvian course's participants,
/// searches and enrols someone (waitlisted: the course is full), registers a new participant, withdraws one after the
/// confirmation (the first waiting moves up), promotes into a seat freed otherwise, and imports a list after its preview.
/// Each page is checked with axe-core and photographed at 390, 768 and 1280 px (screenshots/ in the test output).
/// </summary>
public sealed class ParticipantsBrowserTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int[] Widths = [390, 768, 1280];
    private readonly JointEffortsApp _app = NewApp();
    private readonly string _folder = Directory.CreateTempSubdirectory("jointefforts-import-").FullName;

    [Fact]
    public async Task ACoordinatorSearchesEnrolsWithdrawsPromotesAndImportsByKeyboard()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed: test.sh installs them (apt-get install chromium chromium-driver).");
        using var browser = new PageBrowser(_app);
        using var admin = _app.CreateAdminClient();
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, "LV", min: 2, max: 2);
        foreach (var (name, organisation, sector) in new[] { ("Ilze Bērziņa", "Rīgas sociālais dienests", "socialServices"), ("Jānis Ozols", "Valsts policija", "lawEnforcement") })
        {
            var id = await ParticipantAsync(coordinator, name, organisation, sector);
            await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = id })).Expect(HttpStatusCode.Created);
        }

        await ParticipantAsync(coordinator, "Andris Kalniņš", "Valsts robežsardze", "borderGuard");
        await SignInAsync(browser, admin, "laura.coordinator");

        // The course page → its participants, by Tab and Enter.
        browser.Open($"/workspace/courses/{courseId}");
        Press(browser, e => e.TagName == "a" && e.Text.StartsWith("Participants:", StringComparison.Ordinal));
        browser.Wait(d => d.Url.EndsWith($"/workspace/courses/{courseId}/participants", StringComparison.Ordinal));
        Assert.Equal("2 of 2 (minimum 2)", browser.Find(".ws-facts dd").Text);
        Check(browser, "ws-participants");

        // Search and enrol: full, so the API's rule waitlists him.
        Press(browser, e => e.Text == "Find and enrol a participant");
        browser.Wait(d => d.Url.EndsWith("/participants/add", StringComparison.Ordinal));
        TabTo(browser, e => e.GetAttribute("id") == "search-q");
        Active(browser).SendKeys("robežsardze" + Keys.Enter);
        browser.Wait(d => d.FindElements(By.Id("results")).Count > 0);
        Assert.Equal("1 participant found", browser.Find("#results").Text);
        Check(browser, "ws-participants-search");
        Press(browser, e => e.TagName == "button" && e.Text.StartsWith("Enrol", StringComparison.Ordinal));
        browser.Wait(d => d.FindElements(By.Id("done")).Count > 0);
        Assert.Equal("Andris Kalniņš is on the waiting list, number 1: the course is full.", browser.Find("#done").Text);

        // A new participant, with a mistake first: the API's message beside the field.
        browser.Open($"/workspace/courses/{courseId}/participants/add");
        TabTo(browser, e => e.GetAttribute("id") == "fullName");
        Active(browser).SendKeys("Marta Liepiņa");
        TabTo(browser, e => e.GetAttribute("id") == "email");
        Active(browser).SendKeys("marta@");
        TabTo(browser, e => e.GetAttribute("id") == "organisation");
        Active(browser).SendKeys("Valsts darba inspekcija");
        TabTo(browser, e => e.GetAttribute("id") == "sector");
        Active(browser).SendKeys("Labour");
        TabTo(browser, e => e.GetAttribute("id") == "seniority");
        Active(browser).SendKeys("Field");
        TabTo(browser, e => e.TagName == "button" && e.Text == "Add and enrol");
        Active(browser).SendKeys(Keys.Enter);
        browser.Wait(d => d.FindElements(By.Id("email-error")).Count > 0);
        Check(browser, "ws-participants-new-error");
        browser.Find("#email").Clear();
        browser.Find("#email").SendKeys("marta.liepina@example.lv" + Keys.Enter);
        browser.Wait(d => d.FindElements(By.Id("done")).Count > 0);
        Assert.Equal("Marta Liepiņa is on the waiting list, number 2: the course is full.", browser.Find("#done").Text);

        // Withdraw asks first; the first on the waiting list gets the seat.
        Press(browser, e => e.TagName == "a" && e.GetAttribute("href")?.Contains("?withdraw=", StringComparison.Ordinal) == true && e.Text.StartsWith("Withdraw", StringComparison.Ordinal));
        browser.Wait(d => d.FindElements(By.CssSelector(".ws-confirm")).Count > 0);
        Assert.Equal("Withdraw Ilze Bērziņa?", browser.Find("#confirm-title").Text);
        Check(browser, "ws-participants-confirm");
        Press(browser, e => e.TagName == "button" && e.Text == "Withdraw Ilze Bērziņa");
        browser.Wait(d => d.FindElements(By.Id("done")).Count > 0);
        Assert.Equal("Ilze Bērziņa was withdrawn. 1 participant moved up from the waiting list into the free seat.", browser.Find("#done").Text);

        // A seat freed outside the enrolment routes (a maximum corrected in the database): promoted from the page.
        using (var db = _app.Services.GetRequiredService<Database>().Open())
        {
            db.Execute("UPDATE courses SET max_participants = 3 WHERE id = @courseId", new { courseId });
        }

        browser.Open($"/workspace/courses/{courseId}/participants");
        Press(browser, e => e.TagName == "button" && e.Text == "Promote from the waiting list");
        browser.Wait(d => d.FindElements(By.Id("done")).Count > 0);
        Assert.Equal("1 participant moved up from the waiting list into the free seat.", browser.Find("#done").Text);
        var course = await (await coordinator.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(3, course.GetProperty("enrolledCount").GetInt32());
        Assert.Equal(0, course.GetProperty("waitlistedCount").GetInt32());
        Check(browser, "ws-participants-after");

        // Import: the preview of every row first, then the import (the course is full again: they wait).
        Press(browser, e => e.Text == "Import a spreadsheet");
        browser.Wait(d => d.Url.EndsWith("/participants/import", StringComparison.Ordinal));
        var list = Path.Combine(_folder, "dalibnieki.csv");
        await File.WriteAllTextAsync(list, """
            Vārds;Uzvārds;E-pasts;Iestāde;Nozare;Valsts
            Dace;Kalna;dace@example.lv;Veselības inspekcija;Veselība;Latvija
            Pēteris;Zariņš;;Valsts robežsardze;borderGuard;LV
            """, new UTF8Encoding(false));
        Check(browser, "ws-import");
        TabTo(browser, e => e.GetAttribute("id") == "file");
        Active(browser).SendKeys(list); // a file chooser takes the path typed, as a person picks the file by keyboard
        Press(browser, e => e.TagName == "button" && e.Text == "Check the list");
        browser.Wait(d => d.FindElements(By.Id("preview-title")).Count > 0);
        Assert.Equal(2, browser.FindAll(".ws-preview tbody tr").Count);
        Check(browser, "ws-import-preview");
        Press(browser, e => e.TagName == "button" && e.Text == "Import 2 participants");
        browser.Wait(d => d.FindElements(By.Id("done")).Count > 0);
        Assert.Equal("2 rows imported: 2 new, 0 already known; 0 enrolled, 2 on the waiting list.", browser.Find("#done").Text);
        Check(browser, "ws-participants-imported");
        course = await (await coordinator.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(3, course.GetProperty("enrolledCount").GetInt32());
        Assert.Equal(2, course.GetProperty("waitlistedCount").GetInt32());

        // A list with errors: shown beside each row, no way to import it.
        browser.Open($"/workspace/courses/{courseId}/participants/import");
        var wrong = Path.Combine(_folder, "wrong.csv");
        await File.WriteAllTextAsync(wrong, "fullName,email,organisation,sector,countryCode\nAnna Liepa,anna@,Policija,pirates,LV\nValdis Krūmiņš,,,health,Atlantis\n", new UTF8Encoding(false));
        browser.Find("#file").SendKeys(wrong);
        Press(browser, e => e.TagName == "button" && e.Text == "Check the list");
        browser.Wait(d => d.FindElements(By.Id("preview-title")).Count > 0);
        Assert.Equal(2, browser.FindAll(".ws-preview tr.ws-row-error").Count);
        Assert.DoesNotContain(browser.FindAll("button"), b => b.Text.StartsWith("Import", StringComparison.Ordinal));
        Check(browser, "ws-import-errors");
        output.WriteLine($"screenshots in {PageBrowser.ScreenshotFolder}");
    }

    private static JointEffortsApp NewApp()
    {
        var app = new JointEffortsApp();
        app.UseKestrel(0);
        return app;
    }

    private static async Task<int> ParticipantAsync(HttpClient coordinator, string fullName, string organisation, string sector)
    {
        var response = await coordinator.PostAsJsonAsync("/api/participants", new { fullName, email = (string?)null, organisation, sector, countryCode = "LV", seniority = "field" });
        return (await response.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
    }

    private static async Task SignInAsync(PageBrowser browser, HttpClient admin, string userName)
    {
        var created = await admin.PostAsJsonAsync("/api/users", new { userName, displayName = "Laura Coordinator", role = "coordinator" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var link = new Uri((await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("url").GetString()!);
        browser.Open(link.PathAndQuery);
        browser.Find("#password").SendKeys("Daugava in the spring");
        browser.Find("#confirm").SendKeys("Daugava in the spring" + Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/workspace", StringComparison.Ordinal));
    }

    private static IWebElement Active(PageBrowser browser) => browser.Driver.SwitchTo().ActiveElement();

    /// <summary>Moves the focus with Tab alone until it is on the element wanted (or fails: it is not reachable by keyboard).</summary>
    private static void TabTo(PageBrowser browser, Func<IWebElement, bool> wanted, int most = 120)
    {
        for (var i = 0; i < most; i++)
        {
            if (wanted(Active(browser)))
            {
                return;
            }

            new Actions(browser.Driver).SendKeys(Keys.Tab).Perform();
        }

        throw new Xunit.Sdk.XunitException($"Not reached by {most} presses of Tab on {browser.Driver.Url}.");
    }

    /// <summary>Tab to the element, then Enter on it.</summary>
    private static void Press(PageBrowser browser, Func<IWebElement, bool> wanted)
    {
        TabTo(browser, wanted);
        new Actions(browser.Driver).SendKeys(Keys.Enter).Perform();
    }

    private static void Check(PageBrowser browser, string name)
    {
        Axe.AssertClean(browser, name);
        foreach (var width in Widths)
        {
            browser.Screenshot(name, width);
        }
    }

    public void Dispose()
    {
        _app.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
