using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>
/// Issue 24, signing in: the admin's one-time link, the password set through it, the sign-in page with its lockout, the page
/// session (a cookie the API does not accept, as the pages do not accept a bearer token), and sign-out.
/// </summary>
public sealed class SignInTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task AnAdminCreatesASevenDayLinkWhoseTokenIsStoredOnlyAsAHash()
    {
        var (id, _) = await _app.CreateUserAsync(Role.Coordinator);
        using var admin = _app.CreateAdminClient();

        var response = await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var url = body.GetProperty("url").GetString()!;
        Assert.StartsWith("http://localhost/set-password?token=je_", url, StringComparison.Ordinal);
        Assert.Equal(url, response.Headers.Location?.OriginalString);
        var expiresAt = body.GetProperty("expiresAt").GetDateTime();
        Assert.InRange(expiresAt, DateTime.UtcNow.AddDays(7).AddMinutes(-1), DateTime.UtcNow.AddDays(7).AddMinutes(1));
        var token = url.Split("token=")[1];
        using var db = _app.OpenDatabase();
        var stored = db.QuerySingle<string>("SELECT token_hash FROM sign_in_links WHERE user_id = @id", new { id });
        Assert.Equal(BearerTokens.Hash(token), stored);
        Assert.Equal(0, db.ExecuteScalar<int>("SELECT COUNT(*) FROM sign_in_links WHERE token_hash LIKE '%' || @token || '%'", new { token }));

        var shorter = await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { expiresInDays = 2 });
        var shorterExpiry = (await shorter.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expiresAt").GetDateTime();
        Assert.InRange(shorterExpiry, DateTime.UtcNow.AddDays(2).AddMinutes(-1), DateTime.UtcNow.AddDays(2).AddMinutes(1));
    }

    [Fact]
    public async Task ASignInLinkIsForAdminsOnlyAndRefusesAnUnknownUserAndABadLifetime()
    {
        var (id, _) = await _app.CreateUserAsync(Role.CountryExpert, "AT");
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var admin = _app.CreateAdminClient();

        var forbidden = await coordinator.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { });
        var denied = await forbidden.ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Equal("This needs the role admin. Your role is coordinator.", denied.GetProperty("detail").GetString());
        var unknown = await admin.PostAsJsonAsync("/api/users/99999/sign-in-link", new { });
        await unknown.ExpectProblem(HttpStatusCode.NotFound);
        var tooLong = await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { expiresInDays = 31 });
        await tooLong.ExpectProblem(HttpStatusCode.BadRequest, "expiresInDays");

        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<int>("SELECT COUNT(*) FROM sign_in_links WHERE user_id = @id", new { id }));
    }

    [Fact]
    public async Task TheLinkSetsAPasswordOnceSignsTheBrowserInAndANewLinkReplacesTheOld()
    {
        var (id, userName, link) = await WorkspaceGiven.UserWithLinkAsync(_app, Role.Coordinator);
        using var browser = WorkspaceGiven.Browser(_app);
        var form = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        Assert.Contains($"value=\"{userName}\"", html, StringComparison.Ordinal);
        var token = Uri.UnescapeDataString(link.Split("token=")[1]);

        // Too short, and the two differ: the messages beside the fields, nothing stored.
        var bad = await browser.PostAsync("/set-password", WorkspaceGiven.Form(html, ("token", token), ("password", "short"), ("confirm", "shorter")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badPage = await bad.Content.ReadAsStringAsync();
        Assert.Contains("id=\"password-error\"", badPage, StringComparison.Ordinal);
        Assert.Contains("Choose a password of at least 10 characters (and at most 200).", badPage, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", badPage, StringComparison.Ordinal);
        Assert.Null(PasswordHash(id));

        var set = await browser.PostAsync("/set-password",
            WorkspaceGiven.Form(badPage, ("token", token), ("password", WorkspaceGiven.Password), ("confirm", WorkspaceGiven.Password)));
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal("/workspace", set.Headers.Location?.OriginalString);
        var cookie = set.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("je-session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("AQAAAA", PasswordHash(id)); // Identity's PasswordHasher, format v3
        var home = await browser.GetAsync("/workspace");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Welcome, Coordinator", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Used once: the same link is now a 404 page, for the form and the post alike.
        using var other = WorkspaceGiven.Browser(_app);
        var again = await other.GetAsync(link);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("ask an admin for a new one", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A new link makes an unused earlier one useless.
        using var admin = _app.CreateAdminClient();
        var first = new Uri((await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        var second = new Uri((await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(first.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(second.PathAndQuery)).StatusCode);
    }

    [Fact]
    public async Task SettingANewPasswordEndsTheUsersOtherSessions()
    {
        var (id, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        using (browser)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/workspace")).StatusCode);
            using var admin = _app.CreateAdminClient();
            var url = new Uri((await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
            using var reset = WorkspaceGiven.Browser(_app);
            var form = await (await reset.GetAsync(url.PathAndQuery)).Content.ReadAsStringAsync();
            var done = await reset.PostAsync("/set-password", WorkspaceGiven.Form(form,
                ("token", Uri.UnescapeDataString(url.Query.Split("token=")[1])), ("password", "another long passphrase"), ("confirm", "another long passphrase")));
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);

            var old = await browser.GetAsync("/workspace");
            Assert.Equal(HttpStatusCode.Redirect, old.StatusCode);
            Assert.StartsWith("http://localhost/signin?returnUrl=%2Fworkspace", old.Headers.Location?.OriginalString, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await reset.GetAsync("/workspace")).StatusCode);
        }
    }

    [Fact]
    public async Task SignInWithTheRightPasswordLandsOnTheAskedPageAndAWrongOneSaysSoBesideTheForm()
    {
        var (_, userName, first) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        first.Dispose();
        using var browser = WorkspaceGiven.Browser(_app);

        var empty = await WorkspaceGiven.SignInAsync(browser, "", "");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var emptyPage = await empty.Content.ReadAsStringAsync();
        Assert.Contains("id=\"userName-error\"", emptyPage, StringComparison.Ordinal);
        Assert.Contains("Enter your user name.", emptyPage, StringComparison.Ordinal);
        Assert.Contains("Enter your password.", emptyPage, StringComparison.Ordinal);

        var wrong = await WorkspaceGiven.SignInAsync(browser, userName, "not the password");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var wrongPage = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("The user name or the password is not right.", wrongPage, StringComparison.Ordinal);
        Assert.Contains($"value=\"{userName}\"", wrongPage, StringComparison.Ordinal); // the name is kept, the password not
        var unknown = await WorkspaceGiven.SignInAsync(browser, "nobody.here", "not the password");
        Assert.Contains("The user name or the password is not right.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/workspace")).StatusCode);

        var right = await WorkspaceGiven.SignInAsync(browser, userName.ToUpperInvariant(), WorkspaceGiven.Password, returnUrl: "/workspace?from=test");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/workspace?from=test", right.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/workspace")).StatusCode);

        // Another site's address is never a place to go after signing in.
        using var second = WorkspaceGiven.Browser(_app);
        var offsite = await WorkspaceGiven.SignInAsync(second, userName, WorkspaceGiven.Password, returnUrl: "//evil.example/x");
        Assert.Equal("/workspace", offsite.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheUserOutEvenForTheRightOneUntilANewLinkIsUsed()
    {
        var (id, userName, first) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        first.Dispose();
        using var browser = WorkspaceGiven.Browser(_app);

        for (var i = 1; i <= 4; i++)
        {
            var wrong = await WorkspaceGiven.SignInAsync(browser, userName, $"wrong password {i}");
            Assert.Contains("The user name or the password is not right.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var fifth = await WorkspaceGiven.SignInAsync(browser, userName, "wrong password 5");
        Assert.Contains("Too many wrong passwords: signing in is locked until", await fifth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var right = await WorkspaceGiven.SignInAsync(browser, userName, WorkspaceGiven.Password);
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("Too many wrong passwords", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using (var db = _app.OpenDatabase())
        {
            Assert.NotNull(db.ExecuteScalar<string?>("SELECT locked_until FROM users WHERE id = @id", new { id }));
        }

        // An admin's new link lifts the lockout at once.
        using var admin = _app.CreateAdminClient();
        var url = new Uri((await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        var form = await (await browser.GetAsync(url.PathAndQuery)).Content.ReadAsStringAsync();
        var set = await browser.PostAsync("/set-password", WorkspaceGiven.Form(form,
            ("token", Uri.UnescapeDataString(url.Query.Split("token=")[1])), ("password", "a new and long password"), ("confirm", "a new and long password")));
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        using var later = WorkspaceGiven.Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await WorkspaceGiven.SignInAsync(later, userName, "a new and long password")).StatusCode);
    }

    [Fact]
    public async Task APostWithoutItsAntiforgeryTokenIsRefusedAndSignsNobodyIn()
    {
        var (_, userName, first) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using var browser = WorkspaceGiven.Browser(_app);
        await browser.GetAsync("/signin");

        var forged = await browser.PostAsync("/signin", WorkspaceGiven.Form(null, ("userName", userName), ("password", WorkspaceGiven.Password)));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain(forged.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("je-session=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/workspace")).StatusCode);

        // Sign-out is a POST too: without its token the session stays.
        var signOut = await first.PostAsync("/signout", WorkspaceGiven.Form(null));
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/workspace")).StatusCode);
        first.Dispose();
    }

    [Fact]
    public async Task SignOutEndsThePageSession()
    {
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "LV");
        using (browser)
        {
            var home = await (await browser.GetAsync("/workspace")).Content.ReadAsStringAsync();
            Assert.Contains("Courses in Latvia", home, StringComparison.Ordinal);

            var signedOut = await browser.PostAsync("/signout", WorkspaceGiven.Form(home));

            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
            Assert.Equal("/signin?signedOut=true", signedOut.Headers.Location?.OriginalString);
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/workspace")).StatusCode);
            Assert.Contains("You have signed out.", await (await browser.GetAsync("/signin?signedOut=true")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ThePageSessionIsNoKeyToTheApiAndABearerTokenIsNoKeyToThePages()
    {
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/workspace")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/projects")).StatusCode);
        }

        var (_, token) = await _app.CreateUserAsync(Role.Coordinator);
        using var withToken = WorkspaceGiven.Browser(_app);
        withToken.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await withToken.GetAsync("/api/projects")).StatusCode);
        var page = await withToken.GetAsync("/workspace");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/signin", page.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeletedUsersSessionEndsAndAChangedRoleTakesEffectOnTheNextPage()
    {
        var (id, userName, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            using var admin = _app.CreateAdminClient();
            var changed = await admin.PutAsJsonAsync($"/api/users/{id}", new
            {
                userName, displayName = "Now steering", role = "steeringGroup", countryCode = (string?)null, email = (string?)null,
            });
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            var home = await (await browser.GetAsync("/workspace")).Content.ReadAsStringAsync();
            Assert.Contains("Welcome, Now steering", home, StringComparison.Ordinal);
            Assert.Contains("Reports awaiting the steering group", home, StringComparison.Ordinal);
            Assert.DoesNotContain("programmes-title", home, StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/workspace")).StatusCode);
        }
    }

    [Fact]
    public async Task UsersGainAnOptionalEmailThatIsCheckedAndShownWithWhetherAPasswordIsSet()
    {
        using var admin = _app.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/api/users", new { userName = "anna.ozola", displayName = "Anna Ozola", role = "coordinator", email = "anna.ozola@example.org" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("anna.ozola@example.org", user.GetProperty("email").GetString());
        Assert.False(user.GetProperty("hasPassword").GetBoolean());

        var bad = await admin.PostAsJsonAsync("/api/users", new { userName = "janis.berzins", displayName = "Jānis Bērziņš", role = "coordinator", email = "not an address" });
        var problem = await bad.ExpectProblem(HttpStatusCode.BadRequest, "email");
        Assert.Equal("email must be an e-mail address such as name@example.org.", problem.GetProperty("errors").GetProperty("email")[0].GetString());
    }

    private string? PasswordHash(int id)
    {
        using var db = _app.OpenDatabase();
        return db.ExecuteScalar<string?>("SELECT password_hash FROM users WHERE id = @id", new { id });
    }

    public void Dispose() => _app.Dispose();
}
