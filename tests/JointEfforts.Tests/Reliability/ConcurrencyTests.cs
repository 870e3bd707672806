using System.Net;
using System.Net.Http.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Reliability;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task SixteenParallelWritersOnMixedRoutesNeverSeeALockedDatabase()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var admin = _app.CreateAdminClient();
        var projectId = await Given.ProjectAsync(coordinator, "SHARED");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async writer =>
        {
            var seen = new List<HttpStatusCode>();
            for (var i = 0; i < 15; i++)
            {
                var response = (writer % 4) switch
                {
                    0 => await coordinator.PostAsJsonAsync("/api/projects", Given.ProjectBody($"P-{writer}-{i}")),
                    1 => await coordinator.PutAsJsonAsync($"/api/projects/{projectId}", Given.ProjectBody("SHARED"), "*"),
                    2 => await admin.PostAsJsonAsync("/api/users", new { userName = $"u{writer}.{i}", displayName = "U", role = "steeringGroup" }),
                    _ => await coordinator.GetAsync($"/api/projects/{projectId}/phases"),
                };
                var body = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain("locked", body, StringComparison.OrdinalIgnoreCase);
                seen.Add(response.StatusCode);
            }

            return seen;
        }));

        var all = statuses.SelectMany(s => s).ToList();
        Assert.Equal(16 * 15, all.Count);
        Assert.All(all, status => Assert.True((int)status is >= 200 and < 300, $"unexpected {status}"));
    }

    public void Dispose() => _app.Dispose();
}
