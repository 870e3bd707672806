using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace JointEfforts.Tests.Foundation;

/// <summary>What the start-up does once so that no later reader pays for it again (docs/benchmarks.md, cold start).</summary>
public sealed class StartupTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task EveryReaderOfTheEndpointsGetsTheSameEndpointsBuiltAtStartUp()
    {
        using var admin = await _app.CreateClientAsync(Role.Admin);
        (await admin.GetAsync("/api/projects")).EnsureSuccessStatusCode();

        // The authorization middleware's cache reads the app's composite; the router builds a composite of its own over
        // the same sources. A route group builds its endpoints anew for each reader unless they were built once.
        var app = Assert.IsType<CompositeEndpointDataSource>(_app.Services.GetRequiredService<EndpointDataSource>());
        var fromTheApp = app.Endpoints;
        using var another = new CompositeEndpointDataSource(app.DataSources.ToList());

        Assert.True(fromTheApp.Count > 50, $"{fromTheApp.Count} endpoints");
        Assert.Equal(fromTheApp.Count, another.Endpoints.Count);
        Assert.All(fromTheApp.Zip(another.Endpoints), pair => Assert.Same(pair.First, pair.Second));
        Assert.IsType<DefaultEndpointDataSource>(Assert.Single(app.DataSources));
        Assert.Contains(fromTheApp.OfType<RouteEndpoint>(), e => e.RoutePattern.RawText == "/api/projects/{id:int}/phases");
        Assert.Contains(fromTheApp.OfType<RouteEndpoint>(), e => e.RoutePattern.RawText?.TrimStart('/') == "e/{code}");
    }

    public void Dispose() => _app.Dispose();
}
