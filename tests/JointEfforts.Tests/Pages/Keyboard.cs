using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using JointEfforts.Tests.Infrastructure;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace JointEfforts.Tests.Pages;

/// <summary>
/// A person at a keyboard, in the page tests: keys sent to whatever has the focus (no element is clicked or found to be typed
/// into), the focused element read back, and whether its focus is visible (an outline of at least 2 px on it, or on the chip
/// a visually hidden radio or checkbox stands for).
/// </summary>
internal static class Keyboard
{
    public static void Press(PageBrowser browser, string keys) => new Actions(browser.Driver).SendKeys(keys).Perform();

    /// <summary>A key pressed while a modifier is held (Shift+Tab, Ctrl+End).</summary>
    public static void Chord(PageBrowser browser, string modifier, string key) =>
        new Actions(browser.Driver).KeyDown(modifier).SendKeys(key).KeyUp(modifier).Perform();

    public static void Type(PageBrowser browser, string text) => Press(browser, text);

    public static IWebElement Focused(PageBrowser browser) => browser.Driver.SwitchTo().ActiveElement();

    /// <summary>
    /// Tab (or Shift+Tab) until the focused element is what <paramref name="wanted"/> says, at most <paramref name="max"/> times;
    /// at every stop on the way the focus must be visible.
    /// </summary>
    public static IWebElement TabTo(PageBrowser browser, Func<IWebElement, bool> wanted, string what, int max = 120, bool backwards = false)
    {
        if (Focused(browser) is var already && !Is(browser, already, "body") && wanted(already))
        {
            return already; // there already (a field with autofocus)
        }

        for (var i = 0; i < max; i++)
        {
            if (backwards)
            {
                Chord(browser, Keys.Shift, Keys.Tab);
            }
            else
            {
                Press(browser, Keys.Tab);
            }

            var focused = Focused(browser);
            AssertFocusVisible(browser, $"the way to {what} ({Describe(browser)})");
            if (wanted(focused))
            {
                return focused;
            }
        }

        throw new Xunit.Sdk.XunitException($"{what} was not reached with {max} presses of {(backwards ? "Shift+Tab" : "Tab")}.");
    }

    /// <summary>Tab to the first element matching the CSS selector (compared in the page: the same node).</summary>
    public static IWebElement TabTo(PageBrowser browser, string css, int max = 120, bool backwards = false) =>
        TabTo(browser, focused => Is(browser, focused, css), css, max, backwards);

    /// <summary>The focused element as a person would name it: its tag, id or name, and its text.</summary>
    public static string Describe(PageBrowser browser) => Convert.ToString(browser.Script(
        """
        const el = document.activeElement;
        return el ? `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.name ? '[name=' + el.name + ']' : ''} "${(el.innerText || el.value || '').trim().slice(0, 40)}"` : 'nothing';
        """), CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// Types a date into the focused date input in the browser's own field order (day, month, year as its locale orders them),
    /// then checks the value the input holds.
    /// </summary>
    public static void TypeDate(PageBrowser browser, DateOnly date)
    {
        var order = (IEnumerable<object>)browser.Script(
            "return new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(2013, 4, 13))" +
            ".filter(p => p.type !== 'literal').map(p => p.type);")!;
        foreach (var part in order.Select(p => (string)p))
        {
            Type(browser, part switch
            {
                "day" => date.Day.ToString("00", CultureInfo.InvariantCulture),
                "month" => date.Month.ToString("00", CultureInfo.InvariantCulture),
                _ => date.Year.ToString("0000", CultureInfo.InvariantCulture),
            });
        }

        Assert.Equal(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Focused(browser).GetAttribute("value"));
    }

    public static bool Is(PageBrowser browser, IWebElement element, string css) =>
        browser.Script("return arguments[0].matches(arguments[1]);", element, css) is true;

    /// <summary>The focused element (or the visible chip of a hidden input) has an outline of at least 2 px: :focus-visible is styled.</summary>
    public static void AssertFocusVisible(PageBrowser browser, string what)
    {
        var width = Convert.ToDouble(browser.Script(
            """
            let el = document.activeElement;
            // The focus left the page for the browser's own controls (Tab past the last element): nothing of ours to see.
            if (!el || el === document.body) return 99;
            // A date or time field's calendar button (inside the field, not the field itself): the browser rings it itself.
            if (el.matches('input[type=date], input[type=time]') && !el.matches(':focus')) return 99;
            const hidden = el.matches('input') && parseFloat(getComputedStyle(el).opacity) === 0;
            if (hidden && el.nextElementSibling) el = el.nextElementSibling;
            const style = getComputedStyle(el);
            return style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth);
            """), CultureInfo.InvariantCulture);
        Assert.True(width >= 2, $"The focus on {what} is not visible (outline {width} px).");
    }

    /// <summary>
    /// Signs an existing user in as a new person would: an admin makes their sign-in link, the password is typed and sent
    /// with Enter. Lands on /workspace.
    /// </summary>
    public static async Task SignInAsync(JointEffortsApp app, PageBrowser browser, string userName, string password = "a walk along the river bank")
    {
        using var admin = app.CreateAdminClient();
        var users = await (await admin.GetAsync("/api/users?size=100")).Content.ReadFromJsonAsync<JsonElement>();
        var id = users.GetProperty("items").EnumerateArray().Single(u => u.GetProperty("userName").GetString() == userName).GetProperty("id").GetInt32();
        await SignInAsync(app, browser, id, password);
    }

    /// <summary>The same for a user known by id (one made by <c>CreateUserAsync</c>, which also holds an API token).</summary>
    public static async Task SignInAsync(JointEffortsApp app, PageBrowser browser, int id, string password = "a walk along the river bank")
    {
        using var admin = app.CreateAdminClient();
        var link = new Uri((await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("url").GetString()!);
        browser.Open(link.PathAndQuery);
        TabTo(browser, "#password");
        Type(browser, password);
        TabTo(browser, "#confirm");
        Type(browser, password + Keys.Enter);
        browser.Wait(d => d.Url.EndsWith("/workspace", StringComparison.Ordinal));
    }
}
