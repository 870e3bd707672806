using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Anonymity;

/// <summary>
/// Issue 10, item 5: appsettings.json is read beside the binary, so an operator who starts the API from another
/// directory still gets its settings (among them, the framework's quiet request logging).
/// </summary>
public sealed class StartupDirectoryTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jointefforts-tests", Guid.NewGuid().ToString("N"));

    public StartupDirectoryTests() => Directory.CreateDirectory(_folder);

    [SqliteOnly("starts the API process on a SQLite file in a folder of its own")]
    public async Task StartedFromAnotherDirectoryTheApiStillAppliesItsAppSettings()
    {
        var port = FreePort();
        var output = new StringBuilder();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder, // no appsettings.json here
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "JointEfforts.Api.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__JointEfforts"] = $"Data Source={Path.Combine(_folder, "je.db")}";
        start.Environment.Remove("ASPNETCORE_CONTENTROOT");
        start.Environment.Remove("DOTNET_CONTENTROOT");
        start.Environment.Remove("Logging__LogLevel__Default");

        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = DateTime.UtcNow.AddSeconds(90);
            HttpStatusCode? health = null;
            while (health is null && DateTime.UtcNow < deadline && !process.HasExited)
            {
                try
                {
                    health = (await client.GetAsync("/health")).StatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(300);
                }
            }

            Assert.True(health == HttpStatusCode.OK, "the API did not start: " + Text(output));
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/evaluations/form?code=ABCD-EFGH-JK22")).StatusCode);
            await Task.Delay(500); // let the console logger flush
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var log = Text(output);
        Assert.Contains("Application started", log, StringComparison.Ordinal); // the console log is there...
        // ...but "Microsoft.AspNetCore": "Warning" from appsettings.json keeps the per-request lines out of it.
        Assert.DoesNotContain("Executing endpoint", log, StringComparison.Ordinal);
        Assert.DoesNotContain("JK22", log, StringComparison.Ordinal);
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
