using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using JointEfforts.Tests.Participants;

namespace JointEfforts.Benchmarks;

/// <summary>
/// Peak memory and time of <c>POST /api/participants/import</c> in the real server process: for each file a fresh API
/// (the built JointEfforts.Api.dll, its own temp database), one small import to warm it up, its resident memory at idle,
/// then the file sent <see cref="Runs"/> times, the peak read from /proc/PID/status (VmHWM, reset through clear_refs first).
/// </summary>
internal static class ImportMemory
{
    private const int Runs = 3;
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const string AdminToken = "je_admin_import_benchmark_0123456789abcdef";

    public static async Task<int> RunAsync(string apiDll)
    {
        if (!File.Exists(apiDll))
        {
            Console.Error.WriteLine($"{apiDll}: not found; build the API first (dotnet build -c Release src/JointEfforts.Api).");
            return 2;
        }

        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; API: {apiDll}");
        var legal = RawWorkbook.Participants(10_000);
        var cases = new (string Name, string Query, byte[] Body, string ContentType, HttpStatusCode Expected)[]
        {
            ("largest legal .xlsx: 10,000 rows, shared strings (dry run)", "?dryRun=true", legal, Xlsx, HttpStatusCode.OK),
            ("largest legal .xlsx: 10,000 rows, stored (first run creates, the others match)", "", legal, Xlsx, HttpStatusCode.OK),
            ("largest legal CSV: 10,000 rows (dry run)", "?dryRun=true", LegalCsv(), "text/csv", HttpStatusCode.OK),
            ("million rows, honest zip headers", "", RawWorkbook.MillionRows(), Xlsx, HttpStatusCode.BadRequest),
            ("million rows, sheet declared as 19 MB (lying headers)", "",
                RawWorkbook.WithDeclaredSize(RawWorkbook.MillionRows(), RawWorkbook.SheetEntry, 19_000_000), Xlsx, HttpStatusCode.BadRequest),
            ("one 400 MB text cell", "", RawWorkbook.HugeCell(400L * 1024 * 1024), Xlsx, HttpStatusCode.BadRequest),
            ("one 60 MB text cell, sheet declared as 19 MB (lying headers)", "",
                RawWorkbook.WithDeclaredSize(RawWorkbook.HugeCell(60L * 1024 * 1024), RawWorkbook.SheetEntry, 19_000_000), Xlsx, HttpStatusCode.BadRequest),
            ("one 19 MB shared string (honest headers, under the 20 MB part limit)", "",
                RawWorkbook.Create(w => w.Write(RawWorkbook.SharedRow(1, 0)), ["Full name", new string('z', 19_000_000)]), Xlsx, HttpStatusCode.BadRequest),
            ("19 MB of empty cells <c/>, 5 million of them (stops at the cell-element limit)", "",
                RawWorkbook.Create(w =>
                {
                    w.Write(RawWorkbook.InlineRow(1, "Full name"));
                    var empty = "<row>" + string.Concat(Enumerable.Repeat("<c/>", 16_000)) + "</row>";
                    for (var i = 0; i < 19 * 1024 * 1024 / empty.Length; i++)
                    {
                        w.Write(empty);
                    }
                }), Xlsx, HttpStatusCode.BadRequest),
            ("1 GB of zeros in xl/styles.xml (a part never read)", "", StylesBomb(legal), Xlsx, HttpStatusCode.BadRequest),
            ("not a zip (a PDF sent as .xlsx)", "", Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"), Xlsx, HttpStatusCode.BadRequest),
        };

        foreach (var (name, query, body, contentType, expected) in cases)
        {
            await MeasureAsync(apiDll, name, query, body, contentType, expected);
        }

        return 0;
    }

    private static async Task MeasureAsync(string apiDll, string name, string query, byte[] body, string contentType, HttpStatusCode expected)
    {
        var database = Path.Combine(Path.GetTempPath(), $"je-import-bench-{Guid.NewGuid():N}.db");
        var server = ServerProcess.Start(apiDll, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ConnectionStrings__JointEfforts"] = $"Data Source={database}",
            ["JointEfforts__AdminToken"] = AdminToken,
        });
        var api = server.Process;
        try
        {
            using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
            await WaitUntilUpAsync(client);
            var warmUp = await PostAsync(client, "?dryRun=true", RawWorkbook.Participants(3), Xlsx);
            if (warmUp.Status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"warm-up import answered {warmUp.Status}: {warmUp.Body}");
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            var idle = Status(api.Id, "VmRSS");
            var reset = ResetPeak(api.Id);
            var times = new List<double>();
            var cpu = new List<double>();
            string? answer = null;
            for (var i = 0; i < Runs; i++)
            {
                var cpuBefore = CpuMilliseconds(api.Id);
                var clock = Stopwatch.StartNew();
                var (status, text) = await PostAsync(client, query, body, contentType);
                times.Add(clock.Elapsed.TotalMilliseconds);
                cpu.Add(CpuMilliseconds(api.Id) - cpuBefore);
                if (status != expected)
                {
                    throw new InvalidOperationException($"{name}: expected {expected}, got {status}: {text}");
                }

                answer ??= status == HttpStatusCode.OK ? text : FirstError(text);
            }

            var peak = Status(api.Id, "VmHWM");
            Console.WriteLine($"{name} ({body.Length / 1024.0:N0} KB sent): {expected}; " +
                              $"wall first {times[0]:F0} ms, then {string.Join(" / ", times.Skip(1).Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms; " +
                              $"server CPU first {cpu[0]:F0} ms, then {string.Join(" / ", cpu.Skip(1).Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms; " +
                              $"idle RSS {idle / 1024.0:F0} MB, peak {peak / 1024.0:F0} MB{(reset ? "" : " (peak since start: clear_refs refused)")}, " +
                              $"peak over idle {(peak - idle) / 1024.0:F0} MB");
            Console.WriteLine($"    answer: {answer}");
        }
        finally
        {
            await server.DisposeAsync();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(database + suffix);
            }
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string query, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await client.PostAsync("/api/participants/import" + query, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string FirstError(string problem)
    {
        using var json = System.Text.Json.JsonDocument.Parse(problem);
        return json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == System.Text.Json.JsonValueKind.Array
            ? $"row {errors[0].GetProperty("row")}: {errors[0].GetProperty("message").GetString()}"
            : problem;
    }

    private static async Task WaitUntilUpAsync(HttpClient client)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var response = await client.GetAsync("/api/users/me");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("The API did not start within 30 s.");
    }

    /// <summary>A field of /proc/PID/status in kB (VmRSS: resident now; VmHWM: the peak since start or the last reset).</summary>
    private static long Status(int pid, string field) =>
        File.ReadLines($"/proc/{pid}/status")
            .Where(line => line.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(line => long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
            .Single();

    /// <summary>User + system CPU time of the server so far (/proc/PID/stat fields 14 and 15, in clock ticks of 10 ms).</summary>
    private static double CpuMilliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>Writing 5 to clear_refs resets VmHWM to the current resident size (Linux 4.0+), so the peak is this case's own.</summary>
    private static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static byte[] LegalCsv()
    {
        var csv = new StringBuilder("fullName,email,organisation,sector,countryCode,seniority\n");
        for (var i = 0; i < 10_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"Participant Number {i:D5},participant.{i:D5}@example.org,Agency {i % 250:D3} of the Border Guard and Police,health,Poland,field\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static byte[] StylesBomb(byte[] workbook)
    {
        using var buffer = new MemoryStream();
        buffer.Write(workbook);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var styles = zip.CreateEntry("xl/styles.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 1024; i++)
            {
                styles.Write(zeros);
            }
        }

        return buffer.ToArray();
    }
}
