using System.Net;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Foundation;

public sealed class OpenApiTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task TheDocumentDescribesEveryApiRouteWithTheBearerScheme()
    {
        using var anonymous = _app.CreateAnonymousClient();

        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/projects", out var projects));
        var create = projects.GetProperty("post");
        Assert.True(create.TryGetProperty("security", out _), "protected routes carry the security requirement");
        var responses = create.GetProperty("responses");
        foreach (var status in new[] { "201", "400", "401", "403", "409" })
        {
            Assert.True(responses.TryGetProperty(status, out _), $"POST /api/projects documents {status}");
        }

        Assert.True(paths.TryGetProperty("/api/users/{id}/tokens", out _));
        Assert.False(paths.GetProperty("/health").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task SwaggerUiIsServedWithoutAToken()
    {
        using var anonymous = _app.CreateAnonymousClient();

        var page = await anonymous.GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => _app.Dispose();
}
