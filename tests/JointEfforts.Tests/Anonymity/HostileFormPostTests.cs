using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using JointEfforts.Tests.Infrastructure;
using JointEfforts.Tests.Pages;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JointEfforts.Tests.Anonymity;

/// <summary>
/// Issue 23: bodies no browser sends to the participant's form, posted by anyone (the page is anonymous). Each is a 400
/// page that stores nothing and writes no error (no stack trace) to the log, and the code can still answer afterwards.
/// </summary>
public sealed partial class HostileFormPostTests : IDisposable
{
    private readonly CapturedLogs _logs = new();
    private readonly JointEffortsApp _app;

    public HostileFormPostTests()
    {
        _app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" }, configure: _logs.Attach);
    }

    public static TheoryData<string> Bodies() => ["nul", "5000 fields", "multipart without boundary", "text/plain"];

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task ABodyNoBrowserSendsIsA400PageThatStoresNothingAndLogsNoError(string kind)
    {
        var course = PageGiven.RomanianCourse(_app);
        var code = PageGiven.NewCode(_app, course);
        var before = PageGiven.ReactionResponses(_app, course);
        using var browser = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = Token(await (await browser.GetAsync($"/e/{code}")).Content.ReadAsStringAsync());

        var posted = await browser.PostAsync($"/e/{code}", Body(kind, token));

        Assert.True(posted.StatusCode == HttpStatusCode.BadRequest,
            $"{(int)posted.StatusCode}: " + string.Join('\n', _logs.Entries.Where(e => e.Contains("[Error]", StringComparison.Ordinal))));
        Assert.Equal("text/html", posted.Content.Headers.ContentType?.MediaType);
        var page = await posted.Content.ReadAsStringAsync();
        Assert.Contains("Această pagină expirase.", page, StringComparison.Ordinal); // nothing stored, send again: in Romanian
        Assert.Contains("<form method=\"post\"", page, StringComparison.Ordinal);
        Assert.Equal(before, PageGiven.ReactionResponses(_app, course));
        Assert.DoesNotContain(_logs.Entries, e => e.Contains("[Error]", StringComparison.Ordinal) || e.Contains("[Critical]", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Contains("   at ", StringComparison.Ordinal)); // no stack trace at any level

        // The code was not spent: the participant's real form still goes through.
        var fresh = Token(await (await browser.GetAsync($"/e/{code}")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync($"/e/{code}", Form(fresh, "Bine."))).StatusCode);
        Assert.Equal(before + 1, PageGiven.ReactionResponses(_app, course));
    }

    private static HttpContent Body(string kind, string token)
    {
        switch (kind)
        {
            case "nul":
                return Form(token, "Bine.\0<script>");
            case "5000 fields":
                var fields = Enumerable.Range(0, 5000).Select(i => new KeyValuePair<string, string>($"q.f{i}", "1")).ToList();
                fields.Add(new("__RequestVerificationToken", token));
                return new FormUrlEncodedContent(fields);
            case "multipart without boundary":
                var multipart = new StringContent("--x\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nreaction\r\n--x--\r\n", Encoding.UTF8);
                multipart.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
                return multipart;
            default:
                return new StringContent("q.relevance=5&purpose=reaction", Encoding.UTF8, "text/plain");
        }
    }

    private static FormUrlEncodedContent Form(string token, string comment) => new(
    [
        new("purpose", "reaction"), new("language", "ro"),
        new("q.relevance", "5"), new("q.trainers", "4"), new("q.materials", "4"), new("q.organisation", "3"), new("q.overall", "5"),
        new("q.apply", "yes"), new("q.topics", "indicators"), new("q.comments", comment),
        new("__RequestVerificationToken", token),
    ]);

    private static string Token(string html) => AntiforgeryField().Match(html) is { Success: true } match
        ? WebUtility.HtmlDecode(match.Groups[1].Value)
        : throw new Xunit.Sdk.XunitException("The form has no anti-forgery field.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public void Dispose() => _app.Dispose();
}
