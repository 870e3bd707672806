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

    public static void Type(PageBrowser browser, string text) => Press(browser, text);

    public static IWebElement Focused(PageBrowser browser) => browser.Driver.SwitchTo().ActiveElement();

    /// <summary>Tab (or Shift+Tab) until the focused element is what <paramref name="wanted"/> says, at most <paramref name="max"/> times.</summary>
    public static IWebElement TabTo(PageBrowser browser, Func<IWebElement, bool> wanted, string what, int max = 120, bool backwards = false)
    {
        for (var i = 0; i < max; i++)
        {
            Press(browser, backwards ? Keys.Shift + Keys.Tab + Keys.Shift : Keys.Tab);
            var focused = Focused(browser);
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

    public static bool Is(PageBrowser browser, IWebElement element, string css) =>
        browser.Script("return arguments[0].matches(arguments[1]);", element, css) is true;

    /// <summary>The focused element (or the visible chip of a hidden input) has an outline of at least 2 px: :focus-visible is styled.</summary>
    public static void AssertFocusVisible(PageBrowser browser, string what)
    {
        var width = Convert.ToDouble(browser.Script(
            """
            let el = document.activeElement;
            if (!el || el === document.body) return 0;
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
