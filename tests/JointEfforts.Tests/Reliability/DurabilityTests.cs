using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Dapper;
using JointEfforts.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Reliability;

/// <summary>Kills the real API process (SIGKILL) under write load, restarts it, and looks for every acknowledged write.</summary>
public sealed class DurabilityTests(ITestOutputHelper output) : IDisposable
{
    private const string AdminToken = "je_durability_admin_token_6f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jointefforts-tests", Guid.NewGuid().ToString("N"));

    [Fact]
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

    private sealed class ApiProcess : IDisposable
    {
        private readonly Process _process;

        private ApiProcess(Process process, string baseUrl)
        {
            _process = process;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public static async Task<ApiProcess> StartAsync(string database, string adminToken)
        {
            var port = FreePort();
            var baseUrl = $"http://127.0.0.1:{port}";
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "JointEfforts.Api.dll")])
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
            start.Environment["ASPNETCORE_URLS"] = baseUrl;
            start.Environment["ConnectionStrings__JointEfforts"] = $"Data Source={database}";
            start.Environment["JointEfforts__AdminToken"] = adminToken;
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var probe = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(2) };
            for (var attempt = 0; attempt < 120; attempt++)
            {
                try
                {
                    if ((await probe.GetAsync("/health")).IsSuccessStatusCode)
                    {
                        return new ApiProcess(process, baseUrl);
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                await Task.Delay(250);
            }

            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The API process did not answer /health within 30 seconds.");
        }

        public HttpClient Client(string token)
        {
            var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
