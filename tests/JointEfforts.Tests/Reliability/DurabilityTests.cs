using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Reliability;

/// <summary>Kills the real API process (SIGKILL) under write load, restarts it, and looks for every acknowledged write.</summary>
public sealed class DurabilityTests(ITestOutputHelper output) : IDisposable
{
    private const string AdminToken = "je_durability_admin_token_6f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jointefforts-tests", Guid.NewGuid().ToString("N"));

    [SqliteOnly("kills an API process on a SQLite file; on PostgreSQL TwoInstancesTests kills one of two")]
    public async Task EveryAcknowledgedWriteSurvivesAKilledProcess()
    {
        Directory.CreateDirectory(_folder);
        var database = Path.Combine(_folder, "durable.db");
        var acknowledged = new ConcurrentBag<string>();

        using (var server = await ApiProcess.StartAsync(database, AdminToken))
        {
            using var client = server.Client(AdminToken);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested && i < 2000; i++)
                {
                    var code = $"W{w}-{i}";
                    try
                    {
                        var response = await client.PostAsJsonAsync("/api/projects", Given.ProjectBody(code));
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add(code);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToList();

            await Task.Delay(TimeSpan.FromSeconds(1.5));
            server.Kill(); // SIGKILL: no shutdown, no flush, mid-write
            await Task.WhenAll(writers);
        }

        Assert.True(acknowledged.Count > 10, $"the writers got only {acknowledged.Count} writes acknowledged before the kill");

        using (var restarted = await ApiProcess.StartAsync(database, AdminToken))
        {
            using var client = restarted.Client(AdminToken);
            var stored = new HashSet<string>();
            for (var page = 1; ; page++)
            {
                var body = await (await client.GetAsync($"/api/projects?page={page}&pageSize=200")).Expect(HttpStatusCode.OK);
                var items = body.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("code").GetString()!).ToList();
                stored.UnionWith(items);
                if (items.Count < 200)
                {
                    break;
                }
            }

            var lost = acknowledged.Where(code => !stored.Contains(code)).ToList();
            output.WriteLine($"acknowledged before SIGKILL: {acknowledged.Count}; stored after restart: {stored.Count}; lost: {lost.Count}");
            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes were lost: {string.Join(", ", lost.Take(20))}");
        }

        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        db.Open();
        Assert.Equal("ok", db.ExecuteScalar<string>("PRAGMA integrity_check"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
