using System.Net;
using System.Text.RegularExpressions;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JointEfforts.Tests.Pages;

/// <summary>The participant's form through plain HTTP: what a browser without JavaScript (or a script) meets.</summary>
public sealed partial class ParticipantPageTests : IDisposable
{
    private readonly JointEffortsApp _app = PageGiven.DemoApp();

    [Fact]
    public async Task TheFormPostsWithoutJavaScriptAndRedirectsToAThankYouPageWithoutTheCode()
    {
        var course = PageGiven.RomanianCourse(_app);
        var code = PageGiven.NewCode(_app, course);
        var before = PageGiven.ReactionResponses(_app, course);
        using var browser = Browser();

        var form = await browser.GetAsync($"/e/{code}");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal("text/html", form.Content.Headers.ContentType?.MediaType);
        var html = await form.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"ro\">", html, StringComparison.Ordinal);
        Assert.Contains("Evaluarea cursului", html, StringComparison.Ordinal);
        Assert.Contains("Foarte bine", html, StringComparison.Ordinal); // the likert anchors, in Romanian

        var posted = await browser.PostAsync($"/e/{code}", Answers(Token(html)));

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/e/thanks?lang=ro", posted.Headers.Location?.OriginalString);
        Assert.Equal(before + 1, PageGiven.ReactionResponses(_app, course));
        var thanks = await (await browser.GetAsync(posted.Headers.Location)).Content.ReadAsStringAsync();
        Assert.Contains("Vă mulțumim!", thanks, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingRequiredAnswerReShowsTheFormWithTheErrorBesideItAndStoresNothing()
    {
        var course = PageGiven.RomanianCourse(_app);
        var code = PageGiven.NewCode(_app, course);
        var before = PageGiven.ReactionResponses(_app, course);
        using var browser = Browser();
        var html = await (await browser.GetAsync($"/e/{code}")).Content.ReadAsStringAsync();

        var posted = await browser.PostAsync($"/e/{code}", Answers(Token(html), without: "overall"));

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        var page = await posted.Content.ReadAsStringAsync();
        Assert.Contains("class=\"error-summary\" role=\"alert\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"q-overall-error\"", page, StringComparison.Ordinal);
        Assert.Contains("Vă rugăm să răspundeți la această întrebare.", page, StringComparison.Ordinal);
        Assert.Matches("<fieldset aria-describedby=\"q-overall-error\">", page);
        Assert.Matches("id=\"q-overall-0\"[^>]*autofocus", page);
        Assert.Matches("id=\"q-trainers-3\"[^>]*value=\"4\"[^>]*checked", page); // the other answers are kept
        Assert.Contains("Mai mult timp", page, StringComparison.Ordinal);
        Assert.Equal(before, PageGiven.ReactionResponses(_app, course));
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryTokenIsRejectedAndStoresNothing()
    {
        var course = PageGiven.RomanianCourse(_app);
        var code = PageGiven.NewCode(_app, course);
        var before = PageGiven.ReactionResponses(_app, course);
        using var browser = Browser();

        var forged = await browser.PostAsync($"/e/{code}", Answers(token: null));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(before, PageGiven.ReactionResponses(_app, course));
        var page = await forged.Content.ReadAsStringAsync();
        Assert.Contains("Această pagină expirase.", page, StringComparison.Ordinal); // said kindly, answers given back
        Assert.Matches("id=\"q-trainers-3\"[^>]*value=\"4\"[^>]*checked", page);
        Assert.Matches("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"", page); // with a fresh token

        // A token of another form (another browser) is no better than none.
        using var other = Browser();
        var otherToken = Token(await (await other.GetAsync($"/e/{code}")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync($"/e/{code}", Answers(otherToken))).StatusCode);
        Assert.Equal(before, PageGiven.ReactionResponses(_app, course));
        // The code is still unused: the participant can answer.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/e/{code}")).StatusCode);
    }

    [Fact]
    public async Task AnUnknownCodeGetsAPageInTheBrowsersLanguage()
    {
        using var browser = Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/e/ZZZZ-ZZZZ-ZZZZ");
        request.Headers.AcceptLanguage.ParseAdd("de-AT,de;q=0.9,en;q=0.5");

        var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Code nicht gefunden</h1>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/e?lang=de\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUsedCodeAnsweredAgainGetsAKindPageInTheCourseLanguage()
    {
        var course = PageGiven.RomanianCourse(_app);
        var code = PageGiven.NewCode(_app, course);
        using var browser = Browser();
        var html = await (await browser.GetAsync($"/e/{code}")).Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync($"/e/{code}", Answers(Token(html)))).StatusCode);
        var before = PageGiven.ReactionResponses(_app, course);

        // The form shows again, as for an unused code (reading it tells no prober which slips were used, issue 23)...
        var form = await browser.GetAsync($"/e/{code}");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        // ...and the participant who answers with their slip again is told kindly, in the course's language.
        var again = await browser.PostAsync($"/e/{code}", Answers(Token(await form.Content.ReadAsStringAsync())));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(before, PageGiven.ReactionResponses(_app, course));
        var page = await again.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Acest cod a fost deja folosit</h1>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<form method=\"post\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATypedCodeLeadsToItsFormAndAMalformedOneIsExplained()
    {
        using var browser = Browser();

        var entered = await browser.GetAsync("/e?code=abcd efgh jk23&lang=sv");
        Assert.Equal(HttpStatusCode.Redirect, entered.StatusCode);
        Assert.Equal("/e/ABCD-EFGH-JK23?lang=sv", entered.Headers.Location?.OriginalString);

        var malformed = await browser.GetAsync("/e?code=0000&lang=pl");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var page = await malformed.Content.ReadAsStringAsync();
        Assert.Contains("Sprawdź swoje odpowiedzi", page, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", page, StringComparison.Ordinal);

        var empty = await browser.GetAsync("/e");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("<label class=\"question-label\" for=\"code\">", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PagesAreLeftOutOfTheOpenApiDocumentAndSendASecurityPolicy()
    {
        using var browser = Browser();
        var document = await (await browser.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"/e/", document, StringComparison.Ordinal);
        Assert.DoesNotContain("\"/dashboard\"", document, StringComparison.Ordinal);

        var dashboard = await browser.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("default-src 'self'", dashboard.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var chartJs = await browser.GetAsync("/lib/chartjs/chart.umd.js");
        Assert.Equal(HttpStatusCode.OK, chartJs.StatusCode); // copied from node_modules by the build
    }

    [Fact]
    public async Task TheParticipantPagesShareTheAnonymousLimitPerClient()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:RateLimits:AnonymousPerMinute"] = "3" });
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/e/ZZZZ-ZZZZ-ZZZ2", "/e/ZZZZ-ZZZZ-ZZZ3", "/e", "/e/ZZZZ-ZZZZ-ZZZ4" })
        {
            statuses.Add((await browser.GetAsync(path)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/e/thanks")).StatusCode); // nothing to guess there
    }

    private HttpClient Browser() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static string Token(string html) => AntiforgeryField().Match(html) is { Success: true } match
        ? WebUtility.HtmlDecode(match.Groups[1].Value)
        : throw new Xunit.Sdk.XunitException("The form has no anti-forgery field.");

    /// <summary>The demo reaction form answered as a browser posts it (form fields, strings), optionally leaving one out.</summary>
    private static FormUrlEncodedContent Answers(string? token, string? without = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("purpose", "reaction"), new("language", "ro"),
            new("q.relevance", "5"), new("q.trainers", "4"), new("q.materials", "4"), new("q.organisation", "3"), new("q.overall", "5"),
            new("q.apply", "yes"), new("q.topics", "indicators"), new("q.topics", "referral"),
            new("q.comments", "Mai mult timp pentru studii de caz."),
        };
        fields.RemoveAll(f => f.Key == "q." + without);
        if (token is not null)
        {
            fields.Add(new("__RequestVerificationToken", token));
        }

        return new FormUrlEncodedContent(fields);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public void Dispose() => _app.Dispose();
}
