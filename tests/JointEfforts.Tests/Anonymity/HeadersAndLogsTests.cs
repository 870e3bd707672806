using System.Net;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Anonymity;

/// <summary>Issue 23's smaller holes: a code in a URL of any letter case, the pages' and Swagger UI's headers, a quiet log.</summary>
public sealed class HeadersAndLogsTests : IDisposable
{
    private readonly CapturedLogs _logs = new();
    private readonly JointEffortsApp _app;

    public HeadersAndLogsTests() => _app = new JointEffortsApp(configure: _logs.Attach);

    [Fact]
    public async Task ACodeInAnUpperCaseParticipantPathIsMaskedInTheLogs()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        var canonical = code.Replace("-", "", StringComparison.Ordinal);
        using var anonymous = _app.CreateAnonymousClient();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/E/{code}")).StatusCode); // routing ignores the case
        await anonymous.GetAsync($"/E/{canonical.ToLowerInvariant()}?lang=de");
        await anonymous.PostAsync($"/E/{canonical}", new FormUrlEncodedContent([new("q.relevance", "4")]));

        Assert.NotEmpty(_logs.Entries);
        foreach (var variant in new[] { code, canonical, code[..9] })
        {
            Assert.DoesNotContain(_logs.Entries, e => e.Contains(variant, StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal("GET http://host/E/*** - 200", LogRedaction.Redact($"GET http://host/E/{code} - 200"));
        Assert.Equal("GET /E/***?lang=de", LogRedaction.Redact($"GET /E/{canonical.ToLowerInvariant()}?lang=de"));
    }

    [Fact]
    public async Task AParticipantPageReadWithAPlainGetLogsNoAntiforgeryWarning()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var anonymous = _app.CreateAnonymousClient();

        var enter = await anonymous.GetAsync("/e");
        var form = await anonymous.GetAsync($"/e/{code}");

        Assert.Equal(HttpStatusCode.OK, enter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("__RequestVerificationToken", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(form.Headers.CacheControl is { NoCache: true, NoStore: true }, form.Headers.CacheControl?.ToString());
        Assert.DoesNotContain(_logs.Entries, e => e.Contains("Antiforgery", StringComparison.OrdinalIgnoreCase)
            && (e.Contains("[Warning]", StringComparison.Ordinal) || e.Contains("[Error]", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/index.js")]
    [InlineData("/e")]
    [InlineData("/e/ZZZZ-ZZZZ-ZZZ2")]
    [InlineData("/dashboard")]
    [InlineData("/css/site.css")]
    public async Task SwaggerUiAndThePagesAllowOnlyTheirOwnScriptsAndNoFraming(string path)
    {
        using var anonymous = _app.CreateAnonymousClient();

        var response = await anonymous.GetAsync(path);

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(HttpPipeline.PagePolicy, policy);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task SwaggerUiHasNoInlineScript()
    {
        using var anonymous = _app.CreateAnonymousClient();

        var page = await anonymous.GetStringAsync("/swagger/index.html");

        Assert.Matches("<script src=\"index.js\"", page);
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", page);
        Assert.DoesNotMatch("\\son[a-z]+\\s*=", page); // no inline event handlers
    }

    [Fact]
    public async Task AnApiAnswerMayNotBeFramedNorSniffed()
    {
        using var admin = _app.CreateAdminClient();

        var response = await admin.GetAsync("/api/projects");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpPipeline.ApiPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    public void Dispose() => _app.Dispose();
}
