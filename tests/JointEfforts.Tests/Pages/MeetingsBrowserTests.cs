using System.Net.Http.Json;
using System.Text.Json;
using JointEfforts.Tests.Infrastructure;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Pages;

/// <summary>
/// Issue 24 in a real browser (Debian's chromium): a coordinator runs an expert meeting from the programme's page by
/// keyboard — plans it (a refused first try, then a good one), registers two attendees and removes one, records the
/// conclusions, adds a recommendation and records its follow-up. Each page is checked with axe-core and photographed at
/// 390, 768 and 1280 px (screenshots/ in the test output).
/// </summary>
public sealed class MeetingsBrowserTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int[] Widths = [390, 768, 1280];
    private readonly JointEffortsApp _app = PageGiven.DemoApp(kestrel: true);

    [Fact]
    public async Task ACoordinatorPlansAMeetingRegistersAttendeesRecordsConclusionsAndFollowsUpARecommendationByKeyboard()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed: test.sh installs them (apt-get install chromium chromium-driver).");
        using var browser = new PageBrowser(_app);
        using var admin = _app.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/api/users", new { userName = "marta.ozola", displayName = "Marta Ozola", role = "coordinator" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var link = new Uri((await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("url").GetString()!);
        browser.Open(link.PathAndQuery);
        browser.Find("#password").SendKeys("Riga by the Daugava 2013");
        browser.Find("#confirm").SendKeys("Riga by the Daugava 2013" + Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/workspace", StringComparison.Ordinal));

        // From the programme's page, its meetings section: "Plan a meeting", followed by Enter.
        browser.FindAll(".ws-item h3 a").First().SendKeys(Keys.Enter);
        browser.Wait(d => d.Url.Contains("/workspace/programmes/", StringComparison.Ordinal));
        Assert.NotEmpty(browser.FindAll(".ws-meetings a")); // the demo's meetings, each a link to its page
        Shoot(browser, "ws-programme-meetings");
        browser.FindAll("#meetings ~ p a, section a").First(a => a.Text == "Plan a meeting").SendKeys(Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/meetings/new", StringComparison.Ordinal));
        Assert.Equal("Plan a meeting", browser.Find("h1").Text);
        Axe.AssertClean(browser, "new meeting");
        Shoot(browser, "ws-meeting-new");

        // Enter on an empty title: the API's messages beside the fields, nothing planned.
        browser.Find("#title").SendKeys(Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".error-summary")).Count > 0);
        Assert.Contains("title is required.", browser.Find("#title-error").Text, StringComparison.Ordinal);
        Assert.Contains("city is required.", browser.Find("#city-error").Text, StringComparison.Ordinal);
        Axe.AssertClean(browser, "new meeting with errors");
        Shoot(browser, "ws-meeting-new-error");

        // The form by keyboard: typing in a select chooses the option that starts so. A date field's keys depend on the
        // browser's locale; its value does not, so the dates are set as values (the programme's first days).
        var first = DateOnly.Parse(browser.Find("#startDate").GetAttribute("min")!, System.Globalization.CultureInfo.InvariantCulture);
        browser.Script("document.getElementById('startDate').value = arguments[0]; document.getElementById('endDate').value = arguments[1];",
            first.AddDays(30).ToString("yyyy-MM-dd"), first.AddDays(31).ToString("yyyy-MM-dd"));
        Type(browser, "#title", "Second Expert Group Meeting", Keys.Tab);
        Type(browser, null, "Expert group", Keys.Tab); // kind
        Type(browser, null, "Victim referral across borders", Keys.Tab); // topic
        Type(browser, null, "2", Keys.Tab); // phase 2
        Type(browser, null, "Riga", Keys.Tab); // city
        Type(browser, null, "Latvia"); // country
        browser.Find("#capacity").SendKeys("2" + Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal("The meeting was planned.", browser.Find(".notice-thanks").Text);
        Assert.Equal("Second Expert Group Meeting", browser.Find("h1").Text);
        Assert.Contains("Expert group meeting · Riga, Latvia", browser.Find(".lead").Text, StringComparison.Ordinal);
        var meetingUrl = new Uri(browser.Driver.Url).AbsolutePath;

        // Two attendees: the fields, Tab to the button, Enter.
        foreach (var (name, organisation, type) in new[] { ("Līga Bērziņa", "State Police of Latvia", "Law"), ("Ilze Kalniņa", "Shelter Safe House", "NGO") })
        {
            Type(browser, "#attendee-fullName", name, Keys.Tab);
            Type(browser, null, organisation, Keys.Tab);
            Type(browser, null, type, Keys.Tab);
            Type(browser, null, "Latvia", Keys.Tab);
            Assert.Equal("Add the attendee", browser.Driver.SwitchTo().ActiveElement().Text);
            browser.Driver.SwitchTo().ActiveElement().SendKeys(Keys.Enter);
            browser.Wait(d => d.FindElements(By.CssSelector(".ws-attendees")).Count > 0 && d.PageSource.Contains(name, StringComparison.Ordinal));
        }

        Assert.Equal(2, browser.FindAll(".ws-attendees tbody tr").Count);
        Assert.Contains("All 2 places are taken", browser.Find(".notice-used").Text, StringComparison.Ordinal);

        // The conclusions: type, Tab to the button, Enter.
        Type(browser, "#conclusions-text", "1. A common referral form for the Baltic states." + Keys.Shift + Keys.Enter + Keys.Shift + "2. Joint training of police and NGOs.", Keys.Tab);
        browser.Driver.SwitchTo().ActiveElement().SendKeys(Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0 && d.FindElement(By.CssSelector(".notice-thanks")).Text.Contains("conclusions", StringComparison.Ordinal));

        // A recommendation with an owner and a due date; Enter in the owner's field sends it.
        browser.Script("document.getElementById('recommendation-dueDate').value = arguments[0];", first.AddDays(120).ToString("yyyy-MM-dd"));
        Type(browser, "#recommendation-text", "Draft a common referral form and test it in one course per country", Keys.Tab);
        Type(browser, null, "La Strada Latvia", Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".ws-recommendations li")).Count == 1);
        Assert.Contains("owner: La Strada Latvia", browser.Find(".ws-follow-up").Text, StringComparison.Ordinal);
        Assert.Equal("Open", browser.Find(".ws-status").Text);

        // Its follow-up: the link by Enter; the status moved with an arrow key, as a radio group moves; Enter sends it.
        browser.FindAll(".ws-recommendations a").Single().SendKeys(Keys.Enter);
        browser.Wait(d => d.Url.Contains("/workspace/recommendations/", StringComparison.Ordinal));
        Axe.AssertClean(browser, "recommendation follow-up");
        Shoot(browser, "ws-recommendation");
        browser.Find("#status-open").SendKeys(Keys.ArrowRight);
        Assert.True(browser.Find("#status-inProgress").Selected);
        var owner = browser.Find("#owner");
        owner.SendKeys(" with the State Police" + Keys.Enter);
        browser.Wait(d => d.Url.Contains(meetingUrl, StringComparison.Ordinal) && d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal("The recommendation's follow-up was saved.", browser.Find(".notice-thanks").Text);
        Assert.Equal("In progress", browser.Find(".ws-status").Text);
        Assert.Contains("owner: La Strada Latvia with the State Police", browser.Find(".ws-follow-up").Text, StringComparison.Ordinal);

        // One attendee removed: its button, by Enter.
        browser.FindAll(".ws-attendees button").First().SendKeys(Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".ws-attendees tbody tr")).Count == 1);
        Assert.Equal("The attendee was removed.", browser.Find(".notice-thanks").Text);
        Assert.Contains("1. A common referral form for the Baltic states.", browser.Find("#conclusions-text").GetAttribute("value"), StringComparison.Ordinal);
        Axe.AssertClean(browser, "meeting");
        Shoot(browser, "ws-meeting");

        // The meeting's facts changed on their page: the places raised.
        browser.FindAll("a").First(a => a.Text.StartsWith("Change the meeting", StringComparison.Ordinal)).SendKeys(Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/edit", StringComparison.Ordinal));
        Axe.AssertClean(browser, "edit meeting");
        Shoot(browser, "ws-meeting-edit");
        browser.Find("#capacity").Clear();
        browser.Find("#capacity").SendKeys("25" + Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal("The meeting was changed.", browser.Find(".notice-thanks").Text);
        Assert.Contains("1 of 25 places", browser.Find(".ws-facts").Text, StringComparison.Ordinal);
        output.WriteLine($"screenshots in {PageBrowser.ScreenshotFolder}");
    }

    [Fact]
    public async Task ACountryExpertReadsAMeetingWithoutItsAttendeesNamesAndThePagePassesAxe()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed.");
        using var browser = new PageBrowser(_app);
        using var coordinator = await _app.CreateClientAsync(JointEfforts.Api.Infrastructure.Role.Coordinator);
        var programmes = await (await coordinator.GetAsync("/api/projects")).Content.ReadFromJsonAsync<JsonElement>();
        var projectId = programmes.GetProperty("items")[0].GetProperty("id").GetInt32();
        var meetings = await (await coordinator.GetAsync($"/api/projects/{projectId}/meetings")).Content.ReadFromJsonAsync<JsonElement>();
        var meeting = meetings.GetProperty("items").EnumerateArray().OrderByDescending(m => m.GetProperty("recommendationCount").GetInt32()).First();

        using var admin = _app.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/api/users", new { userName = "expert.lv", displayName = "Jānis Ozols", role = "countryExpert", countryCode = "LV" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var link = new Uri((await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("url").GetString()!);
        browser.Open(link.PathAndQuery);
        browser.Find("#password").SendKeys("Jurmala in the summer");
        browser.Find("#confirm").SendKeys("Jurmala in the summer" + Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/workspace", StringComparison.Ordinal));

        browser.Open($"/workspace/meetings/{meeting.GetProperty("id").GetInt32()}");
        Assert.Equal(meeting.GetProperty("title").GetString(), browser.Find("h1").Text);
        Assert.Contains("Their names are kept for the coordinators and the steering group.", browser.Find("#attendees").FindElement(By.XPath("..")).Text, StringComparison.Ordinal);
        Assert.Empty(browser.FindAll("main form"));
        Axe.AssertClean(browser, "meeting as a country expert");
        Shoot(browser, "ws-meeting-expert");
    }

    /// <summary>Types into the field <paramref name="css"/> names (or the one that has the focus), then the keys after.</summary>
    private static void Type(PageBrowser browser, string? css, string text, string? then = null)
    {
        var field = css is null ? browser.Driver.SwitchTo().ActiveElement() : browser.Find(css);
        field.SendKeys(text + (then ?? ""));
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
