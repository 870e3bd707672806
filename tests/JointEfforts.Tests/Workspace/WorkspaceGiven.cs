using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JointEfforts.Tests.Workspace;

/// <summary>People of the workspace: users with a password set through their sign-in link, and browsers (cookie clients) signed in.</summary>
internal static partial class WorkspaceGiven
{
    public const string Password = "correct horse battery staple";

    /// <summary>An HTTP client that keeps cookies and does not follow redirects, as a test of a form page wants.</summary>
    public static HttpClient Browser(JointEffortsApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A new user (through the API) and their sign-in link's URL (path and query).</summary>
    public static async Task<(int Id, string UserName, string Link)> UserWithLinkAsync(JointEffortsApp app, Role role, string? countryCode = null, string? userName = null)
    {
        using var admin = app.CreateAdminClient();
        userName ??= $"{role.ToWire()}.{Guid.NewGuid():N}"[..30];
        var created = await admin.PostAsJsonAsync("/api/users", new
        {
            userName,
            displayName = $"{role} {userName[^4..]}",
            role = role.ToWire(),
            countryCode = role == Role.CountryExpert ? countryCode ?? "AT" : null,
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var link = await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { });
        Assert.Equal(HttpStatusCode.Created, link.StatusCode);
        var url = new Uri((await link.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        return (id, userName, url.PathAndQuery);
    }

    /// <summary>A user who has set <see cref="Password"/> through their link, and the browser that did it (signed in).</summary>
    public static async Task<(int Id, string UserName, HttpClient Browser)> SignedInAsync(JointEffortsApp app, Role role, string? countryCode = null)
    {
        var (id, userName, link) = await UserWithLinkAsync(app, role, countryCode);
        var browser = Browser(app);
        var form = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var token = new Uri("http://x" + link).Query.Split("token=")[1];
        var set = await browser.PostAsync("/set-password", Form(await form.Content.ReadAsStringAsync(),
            ("token", Uri.UnescapeDataString(token)), ("password", Password), ("confirm", Password)));
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal("/workspace", set.Headers.Location?.OriginalString);
        return (id, userName, browser);
    }

    /// <summary>A form post as a browser sends it: the page's antiforgery token and the fields.</summary>
    public static FormUrlEncodedContent Form(string? html, params (string Name, string Value)[] fields)
    {
        var values = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        if (html is not null)
        {
            values.Add(new("__RequestVerificationToken", Token(html)));
        }

        return new FormUrlEncodedContent(values);
    }

    public static string Token(string html) => AntiforgeryField().Match(html) is { Success: true } match
        ? WebUtility.HtmlDecode(match.Groups[1].Value)
        : throw new Xunit.Sdk.XunitException("The page has no form with an anti-forgery field.");

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string userName, string password, string? returnUrl = null)
    {
        var page = await (await browser.GetAsync("/signin")).Content.ReadAsStringAsync();
        return await browser.PostAsync("/signin", Form(page, ("userName", userName), ("password", password), ("returnUrl", returnUrl ?? "")));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
