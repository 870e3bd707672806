using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace JointEfforts.Tests.Infrastructure;

/// <summary>
/// The built API as a real child process (<c>dotnet JointEfforts.Api.dll</c>) on a loopback port and a database file
/// of the test's choosing (on PostgreSQL: a database of the tests' server, <see cref="TestDatabases.NewPath"/>): for what a
/// test host cannot show, a process killed without shutting down (a crash), or two processes on one database.
/// </summary>
public sealed class ApiProcess : IDisposable
{
    private readonly Process _process;

    private ApiProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    private System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    /// <summary>What the process wrote (warnings and errors: its log level is Warning), the first 2000 lines.</summary>
    public IReadOnlyList<string> Output => _output.ToList();

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the API and waits (60 s at most: a loaded machine, a migration) for its first 200 from /health.</summary>
    /// <param name="settings">Configuration keys (<c>JointEfforts:Smtp:Host</c>) given to the process as environment variables.</param>
    public static async Task<ApiProcess> StartAsync(string database, string adminToken, IDictionary<string, string?>? settings = null)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "JointEfforts.Api.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = baseUrl;
        foreach (var (key, value) in TestDatabases.Settings(database))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["JointEfforts__AdminToken"] = adminToken;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) => { if (line.Data is { } text && output.Count < 2000) output.Enqueue(text); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { } text && output.Count < 2000) output.Enqueue(text); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 240; attempt++)
        {
            try
            {
                if ((await probe.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return new ApiProcess(process, baseUrl) { _output = output };
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
        throw new InvalidOperationException(
            "The API process did not answer /health within 60 seconds:\n" + string.Join("\n", output.TakeLast(40)));
    }

    public HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>SIGKILL: no shutdown, no flushing, as a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
