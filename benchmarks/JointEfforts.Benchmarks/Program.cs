// Steering group reports at scale: 500 courses x 40 participants x 30 answers (600,000 answers), or N times that.
//   generate <db> [--scale N]  builds the programme (N x 500 courses, default 1) in a SQLite file migrated by the
//                              real sql/ scripts (one transaction)
//   measure <db>    times the dashboard and the steering workbook (and one course workbook) several times
//   import <api.dll> peak memory and time of the participant import in the real server: legal lists and bombs
//   load <api.dll> [--duration 10]  reads, writes, a classroom answering and cold start of the real server against bare Kestrel (wrk)
// See docs/benchmarks.md for the command, the machine and the figures.
using System.Diagnostics;
using System.Globalization;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Reports;
using JointEfforts.Benchmarks;
using Microsoft.Extensions.Logging.Abstractions;

if (args is ["import", var apiDll])
{
    return await ImportMemory.RunAsync(Path.GetFullPath(apiDll));
}

if (args is ["load", var loadApiDll, .. var loadOptions])
{
    return await LoadBenchmark.RunAsync(Path.GetFullPath(loadApiDll), loadOptions);
}

var scale = 1;
if (args is ["generate", _, "--scale", var n] && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out scale) && scale >= 1)
{
    args = args[..2];
}
else if (args.Length != 2 || args[0] is not ("generate" or "measure") || scale < 1)
{
    Console.Error.WriteLine(
        "usage: JointEfforts.Benchmarks generate <path/to/file.db> [--scale N] | measure <path/to/file.db> | import <path/to/JointEfforts.Api.dll> | load <path/to/JointEfforts.Api.dll> [--duration 10]");
    return 2;
}

var path = Path.GetFullPath(args[1]);
var database = new Database($"Data Source={path}");
if (args[0] == "generate")
{
    foreach (var suffix in new[] { "", "-wal", "-shm" })
    {
        File.Delete(path + suffix);
    }

    var clock = Stopwatch.StartNew();
    new MigrationRunner(database, NullLogger<MigrationRunner>.Instance).Apply(Programme.FindSqlDirectory());
    var counts = Programme.Generate(database, scale);
    Console.WriteLine($"generated {path} in {clock.Elapsed.TotalSeconds:F1} s: {counts}");
    return 0;
}

// As the API does at start-up: a file generated before a new migration gets it now.
new MigrationRunner(database, NullLogger<MigrationRunner>.Instance).Apply(Programme.FindSqlDirectory());
return await Measure.RunAsync(database, path);

internal static class Measure
{
    private const int Runs = 7;
    private static readonly DateOnly Today = new(2013, 6, 1);

    public static async Task<int> RunAsync(Database database, string path)
    {
        int projectId, courseId;
        await using (var db = database.Open())
        {
            using var command = db.CreateCommand();
            command.CommandText = "SELECT id FROM projects WHERE code = 'BENCH'";
            projectId = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            command.CommandText = "SELECT MIN(id) FROM courses WHERE project_id = " + projectId;
            courseId = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        Console.WriteLine($"load average at start: {load}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");

        var dashboard = await TimeAsync("dashboard (GET /api/projects/{id}/dashboard)", Runs * 3, async () =>
        {
            await using var db = database.Open();
            var result = await DashboardQuery.ReadAsync(db, projectId, Today);
            return $"enrolled {result!.Training.ParticipantsEnrolled}, trained {result.Training.ParticipantsTrained}, " +
                   $"responses {result.Evaluation.Responses}, meanOverall {result.Evaluation.MeanOverall:F3}, pairs {result.Evaluation.KnowledgeGain.Pairs}";
        });

        byte[] lastWorkbook = [];
        var steering = await TimeAsync("steering workbook (GET /api/projects/{id}/steering-report.xlsx)", Runs, async () =>
        {
            await using var db = database.Open();
            var workbook = await SteeringWorkbook.CreateAsync(db, projectId, Today);
            lastWorkbook = workbook!.Content;
            return $"{workbook.Content.Length / 1024.0:F0} KB, {workbook.FileName}";
        });

        var course = await TimeAsync("course workbook (GET /api/courses/{id}/evaluation-report.xlsx, with names)", Runs, async () =>
        {
            await using var db = database.Open();
            var workbook = await CourseWorkbook.CreateAsync(db, courseId, countryScope: null, CourseWorkbook.Audience.Coordinator, Today);
            return $"{workbook!.Content.Length / 1024.0:F0} KB, {workbook.FileName}";
        });

        // For a person to open (STYLE.md: someone looks at the rendering), after the timings so it costs them nothing.
        var saved = Path.ChangeExtension(path, ".steering.xlsx");
        await File.WriteAllBytesAsync(saved, lastWorkbook);
        Console.WriteLine($"steering workbook written to {saved}");

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"peak working set of this process: {process.PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB; " +
                          $"allocated in total: {GC.GetTotalAllocatedBytes() / 1024.0 / 1024.0:F0} MB");
        Console.WriteLine($"targets: dashboard median {dashboard:F1} ms (<= 50 ms) {(dashboard <= 50 ? "MET" : "MISSED")}; " +
                          $"steering workbook median {steering:F0} ms (<= 3000 ms) {(steering <= 3000 ? "MET" : "MISSED")}; " +
                          $"peak {process.PeakWorkingSet64 / 1024 / 1024} MB (<= 400 MB) {(process.PeakWorkingSet64 <= 400L * 1024 * 1024 ? "MET" : "MISSED")}");
        _ = course;
        return 0;
    }

    /// <summary>One untimed warm-up (JIT, SQLite page cache), then <paramref name="runs"/> timed runs; returns the median in ms.</summary>
    private static async Task<double> TimeAsync(string name, int runs, Func<Task<string>> run)
    {
        var first = Stopwatch.StartNew();
        var outcome = await run();
        first.Stop();
        var times = new List<double>();
        var cpu = new List<double>();
        long allocated = 0;
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await run();
            times.Add(clock.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            allocated = Math.Max(allocated, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        times.Sort();
        cpu.Sort();
        var median = times[times.Count / 2];
        // CPU time is what the work costs; wall time also holds the waits for a core on a shared machine.
        Console.WriteLine($"{name}: first (cold) {first.Elapsed.TotalMilliseconds:F1} ms, then {runs} runs: " +
                          $"wall min {times[0]:F1} / median {median:F1} / max {times[^1]:F1} ms; " +
                          $"CPU min {cpu[0]:F1} / median {cpu[cpu.Count / 2]:F1} ms; " +
                          $"allocated per run ~{allocated / 1024.0:F0} KB; {outcome}");
        return median;
    }
}
