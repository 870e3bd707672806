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
    public async Task EveryOperationIsNamedSummarisedAndDocumentsItsErrors()
    {
        using var anonymous = _app.CreateAnonymousClient();
        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);

        var gaps = new List<string>();
        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations++;
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var op = operation.Value;
                if (!op.TryGetProperty("operationId", out _))
                {
                    gaps.Add($"{name}: no name (WithName)");
                }

                if (!op.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
                {
                    gaps.Add($"{name}: no summary (WithSummary)");
                }

                var responses = op.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
                if (!responses.Any(r => r.StartsWith('2')))
                {
                    gaps.Add($"{name}: no success response");
                }

                if (!responses.Any(r => r.StartsWith('4')))
                {
                    gaps.Add($"{name}: no error response");
                }

                var anonymousRoute = !op.TryGetProperty("security", out _);
                if (!anonymousRoute && !responses.Contains("401"))
                {
                    gaps.Add($"{name}: protected but 401 not documented");
                }

                if (path.Name.Contains('{', StringComparison.Ordinal) && !responses.Contains("404"))
                {
                    gaps.Add($"{name}: addresses an object but 404 not documented");
                }
            }
        }

        Assert.True(operations > 50, $"only {operations} operations documented");
        Assert.True(gaps.Count == 0, string.Join(Environment.NewLine, gaps));
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
