using System.Net;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Reliability;

/// <summary>
/// A NUL character (%00) in a query parameter: PostgreSQL refuses one in any text, which was a 500 on the participant search
/// and the audit log there (FuzzTests on PostgreSQL found it). It is refused before any handler, by name, on both engines.
/// </summary>
public sealed class NulCharacterTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Theory]
    [InlineData("/api/participants?q=An%00na", "q")]
    [InlineData("/api/audit?entity=%00%27%3B%20DROP%20TABLE%20users%3B--", "entity")]
    [InlineData("/api/courses?country=A%00T&page=1", "country")]
    public async Task AQueryParameterHoldingANulIsA400NamingIt(string url, string parameter)
    {
        using var admin = _app.CreateAdminClient();
        var problem = await (await admin.GetAsync(url)).ExpectProblem(HttpStatusCode.BadRequest, parameter);
        Assert.Contains("NUL", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    // A NUL in the path never reaches the app: Kestrel answers 400 itself (the in-memory test server refuses to send one).
    [Theory]
    [InlineData("/workspace/participants?q=%00")]
    [InlineData("/dashboard?asOf=2013%0011-30")]
    public async Task NoPageOrRouteAnswersANulWithA500(string url)
    {
        using var admin = _app.CreateAdminClient();
        var response = await admin.GetAsync(url);
        Assert.True((int)response.StatusCode < 500, $"{url}: {(int)response.StatusCode}");
    }

    public void Dispose() => _app.Dispose();
}
