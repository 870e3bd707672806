using System.Diagnostics;
using System.Globalization;

namespace JointEfforts.Benchmarks;

/// <summary>What one wrk run measured, from the line load-report.lua's done() prints.</summary>
internal sealed record WrkResult(
    long Requests, double Seconds, double P50Ms, double P99Ms, double MaxMs,
    long StatusErrors, long SocketErrors, long Unexpected, bool Exhausted)
{
    public double PerSecond => Requests / Seconds;

    /// <summary>Responses that were not what the route answers when all is well, and requests that got no answer.</summary>
    public long Errors => Math.Max(StatusErrors, Unexpected) + SocketErrors;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Requests:N0} requests in {Seconds:F1} s = {PerSecond:N0}/s, p50 {P50Ms:F2} ms, p99 {P99Ms:F2} ms, max {MaxMs:F1} ms, " +
            $"errors: {StatusErrors} status >= 400, {Unexpected} unexpected status, {SocketErrors} socket/timeout");
}

/// <summary>wrk (the Debian package), one thread, a fixed duration, a Lua script from this folder for the report.</summary>
internal sealed class Wrk(string executable, string scriptDirectory)
{
    public static Wrk? Find(string scriptDirectory)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "wrk"))
            .FirstOrDefault(File.Exists);
        return path is null ? null : new Wrk(path, scriptDirectory);
    }

    public async Task<WrkResult> RunAsync(
        Uri url, int connections, TimeSpan duration, string script, string? token = null, params string[] scriptArguments)
    {
        var arguments = new List<string>
        {
            "-t1", $"-c{connections}", $"-d{(int)Math.Ceiling(duration.TotalSeconds)}s", "--timeout", "5s",
            "-s", Path.Combine(scriptDirectory, script),
        };
        if (token is not null)
        {
            arguments.AddRange(["-H", $"Authorization: Bearer {token}"]);
        }

        arguments.Add(url.ToString());
        if (scriptArguments.Length > 0)
        {
            arguments.Add("--");
            arguments.AddRange(scriptArguments);
        }

        var start = new ProcessStartInfo(executable, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var output = wrk.StandardOutput.ReadToEndAsync();
        var errors = wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var report = (await output).Split('\n').FirstOrDefault(line => line.StartsWith("JE-LOAD ", StringComparison.Ordinal));
        if (wrk.ExitCode != 0 || report is null)
        {
            throw new InvalidOperationException($"wrk {string.Join(' ', arguments)} exited {wrk.ExitCode}:\n{await output}{await errors}");
        }

        var fields = report["JE-LOAD ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(pair => pair[0], pair => long.Parse(pair[1], CultureInfo.InvariantCulture));
        return new WrkResult(
            fields["requests"], fields["duration_us"] / 1e6, fields["p50_us"] / 1e3, fields["p99_us"] / 1e3, fields["max_us"] / 1e3,
            fields["status_errors"],
            fields["connect_errors"] + fields["read_errors"] + fields["write_errors"] + fields["timeouts"],
            fields["unexpected"], fields["exhausted"] != 0);
    }
}
