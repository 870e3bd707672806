using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace JointEfforts.Benchmarks;

/// <summary>
/// Issue 16's load figures in one run: the built API (Production, its own fresh SQLite file) against a bare Kestrel
/// plaintext app on the same machine, both driven by wrk (one thread, 64 connections for reads, 16 for writes, a
/// warm-up first), a classroom of 40 answering at the same moment, and the cold start. Prints every figure, its ratio
/// to bare Kestrel where one applies, its p99, and MET/MISSED against the target. Exit 0 whatever was measured;
/// 1 when the harness failed: a setup answer was wrong, or a request under load was answered with an error.
/// <para>
/// The reads are measured in rounds: bare Kestrel, the course, the phases, again and again, each ratio against the
/// same round's bare Kestrel; the table gives the median ratio and the range. On a shared machine the speed drifts
/// within minutes (bare Kestrel alone measured 56,000 to 94,000 requests a second in one afternoon), so one run of
/// each, a minute apart, compares two different machines.
/// </para>
/// </summary>
internal static class LoadBenchmark
{
    private const string AdminToken = "je_admin_load_benchmark_0123456789abcdef";
    private const int ReadConnections = 64;
    private const int WriteConnections = 16;
    private const int OpenCourses = 100;
    private const int Classrooms = 10;
    private const int ClassSize = 40;
    private const int ColdStarts = 5;
    /// <summary>
    /// Before each measured run. 10 s, not 3: with wrk and the server on the same two cores, the runtime's background
    /// tier-1 compilation of the API's many methods is still catching up after 3 s (the course read climbed from 25,000
    /// to 35,000 requests a second over 15 s of load), and a server runs for days, not seconds.
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Before the rounds of reads, for each read: 20 s, so the API has served 40 s of reads before the first round. Tier-1
    /// compilation (with its PGO step) of the whole request pipeline runs on a background thread that gets little of
    /// two busy cores: the phases read in 5 s steps from a fresh start went 16,000, 27,000, 32,000, 41,000, 41,000,
    /// 42,000, 45,000 and then stayed at 45,000 to 49,000 a second.
    /// </summary>
    private static readonly TimeSpan ReadWarmUp = TimeSpan.FromSeconds(20);

    private sealed record Row(string Figure, string Measured, string Ratio, string P99, string Target, string Result);

    /// <summary>One read's measured runs, one a round, and each one's ratio to the same round's bare Kestrel.</summary>
    private sealed record ReadSeries(string Name, Uri Url, string? Token)
    {
        public List<WrkResult> Runs { get; } = [];

        public List<double> Ratios { get; } = [];

        public double MedianRatio => Median(Ratios);

        public double MedianPerSecond => Median(Runs.Select(r => r.PerSecond).ToList());

        /// <summary>The worst p99 of the rounds.</summary>
        public double P99Ms => Runs.Max(r => r.P99Ms);

        public string RatioRange => string.Create(CultureInfo.InvariantCulture, $"{MedianRatio:F2} ({Ratios.Min():F2}–{Ratios.Max():F2})");
    }

    /// <summary>
    /// <c>load &lt;api.dll&gt; [--duration 10] [--rounds 3] [--postgres &lt;connection string&gt;]</c>: seconds of each measured
    /// wrk run (a trailing s is allowed), how many rounds of the three reads, and a PostgreSQL server (a role that may create
    /// databases) to measure the API on it too, with one and with two instances, after SQLite (or alone, <c>--no-sqlite</c>: an
    /// A/B of two builds on PostgreSQL in half the time).
    /// </summary>
    public static async Task<int> RunAsync(string apiDll, string[] options)
    {
        var duration = TimeSpan.FromSeconds(10);
        var rounds = 3;
        string? postgres = null;
        var sqlite = true;
        for (var i = 0; i < options.Length; i += 2)
        {
            if (options[i] == "--no-sqlite")
            {
                sqlite = false;
                i--; // a flag: no value follows
                continue;
            }

            if (options[i] == "--postgres" && i + 1 < options.Length)
            {
                postgres = options[i + 1];
                continue;
            }

            var value = i + 1 < options.Length && int.TryParse(options[i + 1].TrimEnd('s'), NumberStyles.None, CultureInfo.InvariantCulture, out var given) && given > 0
                ? given
                : (int?)null;
            switch (options[i], value)
            {
                case ("--duration", { } seconds):
                    duration = TimeSpan.FromSeconds(seconds);
                    break;
                case ("--rounds", { } count):
                    rounds = count;
                    break;
                default:
                    Console.Error.WriteLine(
                        "usage: JointEfforts.Benchmarks load <path/to/JointEfforts.Api.dll> [--duration 10] [--rounds 3] [--postgres <Npgsql connection string> [--no-sqlite]]");
                    return 2;
            }
        }

        return await RunAsync(apiDll, duration, rounds, postgres, sqlite || postgres is null);
    }

    private static async Task<int> RunAsync(string apiDll, TimeSpan duration, int rounds, string? postgres, bool sqlite)
    {
        var benchmarks = FindBenchmarksDirectory();
        var bareDll = Path.Combine(benchmarks, "BareKestrel", "bin", "Release", "net10.0", "BareKestrel.dll");
        var scripts = Path.Combine(benchmarks, "JointEfforts.Benchmarks");
        var missing = new List<string>();
        if (!File.Exists(apiDll))
        {
            missing.Add($"{apiDll}: not found; build the API first: dotnet build -c Release src/JointEfforts.Api");
        }

        if (!File.Exists(bareDll))
        {
            missing.Add($"{bareDll}: not found; build the reference first: dotnet build -c Release benchmarks/BareKestrel");
        }

        var wrk = Wrk.Find(scripts);
        if (wrk is null)
        {
            missing.Add("wrk: not found; install it first: sudo apt-get install wrk (Debian/Ubuntu package)");
        }

        if (missing.Count > 0)
        {
            missing.ForEach(Console.Error.WriteLine);
            return 2;
        }

        Console.WriteLine($"load average at start: {LoadAverage()}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; " +
                          $"wrk 1 thread, {ReadConnections} connections for reads, {WriteConnections} for writes, " +
                          $"{WarmUp.TotalSeconds:F0} s warm-up ({ReadWarmUp.TotalSeconds:F0} s for each read) then {duration.TotalSeconds:F0} s each; " +
                          $"{rounds} rounds of the reads");
        Console.WriteLine($"API: {apiDll}");
        Console.WriteLine($"reference: {bareDll}");
        var rows = new List<Row>();
        var failures = new List<string>();
        try
        {
            // Started first and left idle while the API is measured: an idle Kestrel takes no CPU.
            await using var bare = await StartBareKestrelAsync(bareDll);
            if (sqlite)
            {
                await using var file = TargetDatabase.Sqlite();
                var courseId = await MeasureApiAsync(wrk!, apiDll, file, duration, rounds, bare, rows, failures);
                rows.Add(await MeasureColdStartAsync(apiDll, file, courseId));
            }

            if (postgres is not null)
            {
                await using var database = await TargetDatabase.PostgresAsync(postgres);
                var courseId = await MeasureApiAsync(wrk!, apiDll, database, duration, rounds, bare, rows, failures);
                rows.Add(await MeasureColdStartAsync(apiDll, database, courseId));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException or Npgsql.NpgsqlException)
        {
            Console.Error.WriteLine($"the harness failed: {ex.Message}");
            return 1;
        }

        Console.WriteLine();
        PrintTable(rows);
        Console.WriteLine($"load average at end: {LoadAverage()}");
        if (failures.Count > 0)
        {
            Console.Error.WriteLine("errors under load (the rows above say FAIL):");
            failures.ForEach(f => Console.Error.WriteLine("  " + f));
            return 1;
        }

        return 0;
    }

    private static async Task<ServerProcess> StartBareKestrelAsync(string bareDll)
    {
        var bare = ServerProcess.Start(bareDll, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        using var client = new HttpClient { BaseAddress = bare.Address };
        await WaitForAsync(client, "/plaintext", bare, TimeSpan.FromMilliseconds(20));
        return bare;
    }

    /// <summary>The reads, the enrolment writers and the classrooms, on one API process; returns the course read.</summary>
    private static async Task<int> MeasureApiAsync(
        Wrk wrk, string apiDll, TargetDatabase database, TimeSpan duration, int rounds, ServerProcess bare, List<Row> rows, List<string> failures)
    {
        Console.WriteLine();
        Console.WriteLine($"API on {database.Engine}: Production, a fresh database, rate limits raised for the benchmark");
        await using var api = StartApi(apiDll, database);
        using var client = new HttpClient { BaseAddress = api.Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        await WaitForAsync(client, "/health", api, TimeSpan.FromMilliseconds(20));

        // Pairs for the warm-up and the measured run, at up to 20,000 enrolments a second: far above the target, so the
        // counter never runs out (the script reports it if it does). One CSV import takes at most 10,000 rows.
        var participants = (int)Math.Min(10_000, Math.Ceiling((WarmUp + duration).TotalSeconds * 20_000 / OpenCourses));
        Console.WriteLine("setting up through the API:");
        var setup = Stopwatch.StartNew();
        var data = await LoadData.CreateAsync(client, OpenCourses, participants, Classrooms + 1, ClassSize);
        Console.WriteLine($"  setup in total: {setup.Elapsed.TotalSeconds:F1} s");

        var course = data.Classrooms[0].CourseId;
        var bareRead = new ReadSeries("bare Kestrel GET /plaintext", new Uri(bare.Address, "/plaintext"), null);
        var courseRead = new ReadSeries($"authenticated GET /api/courses/{course} (admin token)", new Uri(api.Address, $"/api/courses/{course}"), AdminToken);
        var phasesRead = new ReadSeries($"GET /api/projects/{data.ProjectId}/phases", new Uri(api.Address, $"/api/projects/{data.ProjectId}/phases"), AdminToken);
        await MeasureReadsAsync(wrk, duration, rounds, [bareRead, courseRead, phasesRead]);

        Console.WriteLine($"POST /api/courses/{{id}}/enrolments over {OpenCourses} open courses, {participants:N0} participants " +
                          $"({participants * OpenCourses:N0} distinct pairs)");
        var ids = Path.Combine(Path.GetTempPath(), $"je-load-{Guid.NewGuid():N}");
        await File.WriteAllLinesAsync(ids + "-courses.txt", data.OpenCourseIds.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        await File.WriteAllLinesAsync(ids + "-participants.txt", data.EnrolmentParticipantIds.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        WrkResult enrolments;
        try
        {
            // The measured run starts its pairs after the warm-up's, with room for the requests still in flight at its end.
            enrolments = await MeasureAsync(wrk, "  ", api.Address, WriteConnections, duration, "load-enrolments.lua", AdminToken,
                warmUp => [(warmUp?.Requests + 10 * WriteConnections ?? 0).ToString(CultureInfo.InvariantCulture), ids + "-courses.txt", ids + "-participants.txt"]);
        }
        finally
        {
            File.Delete(ids + "-courses.txt");
            File.Delete(ids + "-participants.txt");
        }

        Console.WriteLine($"{ClassSize} participants posting the reaction form at the same moment (POST /api/evaluations), {Classrooms} classrooms");
        var (classroomP99, classroomMax, notCreated) = await MeasureClassroomsAsync(api.Address, data.Classrooms);

        string Check(IReadOnlyList<WrkResult> runs, string name, bool met)
        {
            var failed = runs.Where(r => r.Errors > 0 || r.Exhausted).ToList();
            failed.ForEach(r => failures.Add($"{name}: {r}{(r.Exhausted ? "; the script ran out of distinct pairs" : "")}"));
            return failed.Count > 0 ? "FAIL" : met ? "MET" : "MISSED";
        }

        string MedianOf(ReadSeries read) =>
            $"median {read.MedianPerSecond.ToString("N0", CultureInfo.InvariantCulture)}/s of {read.Runs.Count} rounds";

        rows.Add(new Row($"{database.Engine}: bare Kestrel GET /plaintext (reference)", MedianOf(bareRead), "1", Ms(bareRead.P99Ms), "", Check(bareRead.Runs, "bare Kestrel", true)));
        rows.Add(new Row($"{database.Engine}: authenticated GET /api/courses/{{id}}", MedianOf(courseRead), courseRead.RatioRange, Ms(courseRead.P99Ms),
            "≥ 0.40 × bare", Check(courseRead.Runs, "GET course", courseRead.MedianRatio >= 0.40)));
        rows.Add(new Row($"{database.Engine}: GET /api/projects/{{id}}/phases", MedianOf(phasesRead), phasesRead.RatioRange, Ms(phasesRead.P99Ms),
            "≥ 0.50 × bare", Check(phasesRead.Runs, "GET phases", phasesRead.MedianRatio >= 0.50)));
        rows.Add(new Row($"{database.Engine}: p99 of the phases read at {ReadConnections} connections (worst round)", Ms(phasesRead.P99Ms), "", Ms(phasesRead.P99Ms),
            "≤ 10 ms", Check([], "GET phases", phasesRead.P99Ms <= 10)));
        rows.Add(new Row($"{database.Engine}: POST enrolments, {WriteConnections} writers over {OpenCourses} open courses", PerSecond(enrolments), "", Ms(enrolments.P99Ms),
            "≥ 1,500/s, p99 ≤ 100 ms", Check([enrolments], "POST enrolments", enrolments.PerSecond >= 1500 && enrolments.P99Ms <= 100)));
        rows.Add(new Row($"{database.Engine}: {ClassSize} posting the reaction form at once ({Classrooms} × {ClassSize})", $"{Classrooms * ClassSize - notCreated} × 201, max {Ms(classroomMax)}", "",
            Ms(classroomP99), "p99 ≤ 150 ms, all 201", notCreated > 0 ? "FAIL" : classroomP99 <= 150 ? "MET" : "MISSED"));
        if (notCreated > 0)
        {
            failures.Add($"reaction form: {notCreated} of {Classrooms * ClassSize} answers were not 201");
        }

        if (database.Engine == "postgres")
        {
            await MeasureTwoInstancesAsync(wrk, apiDll, database, duration, api, courseRead, bareRead, data, participants, rows, Check);
        }

        return course;
    }

    /// <summary>
    /// A second API process on the same PostgreSQL database beside the first: the course read and the enrolment writers
    /// split evenly over both (two wrk processes at once, each on one instance: 32 + 32 connections, 8 + 8 writers), as a
    /// load balancer would. Requests a second are the sum of both; the p99 is the worse of the two runs' own p99s.
    /// The read's ratio is to the median of bare Kestrel's rounds. On this two-core machine both instances, PostgreSQL and
    /// wrk share the same cores, so a second instance shows what it costs, not what a second machine would bring.
    /// </summary>
    private static async Task MeasureTwoInstancesAsync(
        Wrk wrk, string apiDll, TargetDatabase database, TimeSpan duration, ServerProcess first, ReadSeries courseRead, ReadSeries bareRead,
        LoadData data, int participants, List<Row> rows, Func<IReadOnlyList<WrkResult>, string, bool, string> check)
    {
        Console.WriteLine();
        Console.WriteLine("two instances on one PostgreSQL database: the second started beside the first");
        await using var second = StartApi(apiDll, database);
        using (var client = new HttpClient { BaseAddress = second.Address })
        {
            await WaitForAsync(client, "/health", second, TimeSpan.FromMilliseconds(20));
        }

        ServerProcess[] instances = [first, second];
        var coursePath = courseRead.Url.PathAndQuery;
        Uri On(ServerProcess api, string path) => new(api.Address, path);
        Console.WriteLine($"  warm-up of the second instance: {await wrk.RunAsync(On(second, coursePath), ReadConnections, ReadWarmUp, "load-read.lua", AdminToken, [])}");
        var read = Combine(await Task.WhenAll(instances.Select(api =>
            wrk.RunAsync(On(api, coursePath), ReadConnections / 2, duration, "load-read.lua", AdminToken, []))));
        var ratio = read.PerSecond / bareRead.MedianPerSecond;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  GET {coursePath} on both: {read}; ÷ bare (median) {ratio:F2}"));

        // Pairs far beyond those of the one-instance runs (which use fewer than 100,000 at the targets' rates), a block each.
        var ids = Path.Combine(Path.GetTempPath(), $"je-load-{Guid.NewGuid():N}");
        await File.WriteAllLinesAsync(ids + "-courses.txt", data.OpenCourseIds.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        await File.WriteAllLinesAsync(ids + "-participants.txt", data.EnrolmentParticipantIds.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        WrkResult writes;
        try
        {
            var pairs = participants * OpenCourses;
            var block = (pairs / 2 - 1) / 4;
            Task<WrkResult[]> Writers(TimeSpan length, int offsetBlock) => Task.WhenAll(instances.Select((api, i) =>
                wrk.RunAsync(new Uri(api.Address, "/"), WriteConnections / 2, length, "load-enrolments.lua", AdminToken,
                    [(pairs / 2 + (offsetBlock + 2 * i) * block).ToString(CultureInfo.InvariantCulture), ids + "-courses.txt", ids + "-participants.txt"])));
            Console.WriteLine($"  enrolments warm-up on both: {Combine(await Writers(WarmUp, 0))}");
            writes = Combine(await Writers(duration, 1));
            Console.WriteLine($"  enrolments measured on both: {writes}");
        }
        finally
        {
            File.Delete(ids + "-courses.txt");
            File.Delete(ids + "-participants.txt");
        }

        rows.Add(new Row($"{database.Engine}, 2 instances: authenticated GET /api/courses/{{id}}, {ReadConnections / 2} connections each", PerSecond(read),
            ratio.ToString("F2", CultureInfo.InvariantCulture), Ms(read.P99Ms), "≥ 0.40 × bare", check([read], "GET course, 2 instances", ratio >= 0.40)));
        rows.Add(new Row($"{database.Engine}, 2 instances: POST enrolments, {WriteConnections / 2} writers each", PerSecond(writes), "", Ms(writes.P99Ms),
            "p99 ≤ 100 ms", check([writes], "POST enrolments, 2 instances", writes.P99Ms <= 100)));
    }

    /// <summary>Runs made at the same moment on different instances, as one: requests and errors summed, the worse latencies.</summary>
    private static WrkResult Combine(IReadOnlyList<WrkResult> runs) => new(
        runs.Sum(r => r.Requests), runs.Max(r => r.Seconds), runs.Max(r => r.P50Ms), runs.Max(r => r.P99Ms), runs.Max(r => r.MaxMs),
        runs.Sum(r => r.StatusErrors), runs.Sum(r => r.SocketErrors), runs.Sum(r => r.Unexpected), runs.Any(r => r.Exhausted));

    /// <summary>
    /// A warm-up of each read (not counted), then <paramref name="rounds"/> rounds of every read in turn; the first read is
    /// the reference, and each other read's ratio is to the reference of its own round.
    /// </summary>
    private static async Task MeasureReadsAsync(Wrk wrk, TimeSpan duration, int rounds, IReadOnlyList<ReadSeries> reads)
    {
        Console.WriteLine($"reads: a warm-up of each, then {rounds} rounds of each in turn; a ratio is to the same round's {reads[0].Name}");
        foreach (var read in reads)
        {
            Console.WriteLine($"  warm-up {read.Name}: {await wrk.RunAsync(read.Url, ReadConnections, ReadWarmUp, "load-read.lua", read.Token, [])}");
        }

        for (var round = 1; round <= rounds; round++)
        {
            foreach (var read in reads)
            {
                var run = await wrk.RunAsync(read.Url, ReadConnections, duration, "load-read.lua", read.Token, []);
                read.Runs.Add(run);
                read.Ratios.Add(run.PerSecond / reads[0].Runs[^1].PerSecond);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  round {round}, {read.Name}: {run}{(read == reads[0] ? "" : $"; ÷ bare {read.Ratios[^1]:F2}")}"));
            }
        }
    }

    /// <summary>A warm-up run (not counted), then the measured run; the script's arguments may depend on the warm-up.</summary>
    private static async Task<WrkResult> MeasureAsync(
        Wrk wrk, string indent, Uri url, int connections, TimeSpan duration, string script, string? token, Func<WrkResult?, string[]> arguments)
    {
        var warmUp = await wrk.RunAsync(url, connections, WarmUp, script, token, arguments(null));
        Console.WriteLine($"{indent}warm-up:  {warmUp}");
        var measured = await wrk.RunAsync(url, connections, duration, script, token, arguments(warmUp));
        Console.WriteLine($"{indent}measured: {measured}");
        return measured;
    }

    /// <summary>
    /// Each classroom: 40 tasks, each with its own code and a full valid form, held at one gate and released together;
    /// the first classroom warms up and is not counted. Every answer must be a 201.
    /// </summary>
    private static async Task<(double P99, double Max, int NotCreated)> MeasureClassroomsAsync(
        Uri address, IReadOnlyList<(int CourseId, IReadOnlyList<string> Codes)> classrooms)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = ClassSize }) { BaseAddress = address };
        var latencies = new List<double>();
        var notCreated = 0;
        for (var room = 0; room < classrooms.Count; room++)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var participants = classrooms[room].Codes.Select(async code =>
            {
                using var content = JsonContent.Create(new { code, purpose = "reaction", language = "en", answers = LoadData.Answers });
                await content.LoadIntoBufferAsync();
                await gate.Task;
                var clock = Stopwatch.StartNew();
                using var response = await client.PostAsync("/api/evaluations", content);
                var elapsed = clock.Elapsed.TotalMilliseconds;
                return (elapsed, response.StatusCode, Body: response.StatusCode == HttpStatusCode.Created ? "" : await response.Content.ReadAsStringAsync());
            }).ToList();
            await Task.Delay(50);
            gate.SetResult();
            var answers = await Task.WhenAll(participants);
            var failed = answers.Where(a => a.StatusCode != HttpStatusCode.Created).ToList();
            var sorted = answers.Select(a => a.elapsed).Order().ToList();
            Console.WriteLine($"  {(room == 0 ? "warm-up " : "")}course {classrooms[room].CourseId}: slowest {sorted[^1]:F1} ms, median {sorted[sorted.Count / 2]:F1} ms" +
                              (failed.Count > 0 ? $"; {failed.Count} not 201, e.g. {(int)failed[0].StatusCode} {failed[0].Body}" : ""));
            if (room > 0)
            {
                latencies.AddRange(sorted);
                notCreated += failed.Count;
            }
        }

        latencies.Sort();
        return (Percentile(latencies, 0.99), latencies[^1], notCreated);
    }

    /// <summary>
    /// The API started again on the database it has just served (migrated, with the data): process start to the first
    /// 200 from /health, polled every 5 ms; then the latency of the first authenticated GET. The median of five starts.
    /// </summary>
    private static async Task<Row> MeasureColdStartAsync(string apiDll, TargetDatabase database, int courseId)
    {
        Console.WriteLine();
        Console.WriteLine($"cold start on {database.Engine}: {ColdStarts} starts on the migrated database, /health polled every 5 ms");
        var starts = new List<double>();
        var firstReads = new List<double>();
        for (var i = 0; i < ColdStarts; i++)
        {
            var clock = Stopwatch.StartNew();
            await using var api = StartApi(apiDll, database);
            using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { BaseAddress = api.Address };
            await WaitForAsync(client, "/health", api, TimeSpan.FromMilliseconds(5));
            starts.Add(clock.Elapsed.TotalMilliseconds);
            using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/courses/{courseId}");
            read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
            clock.Restart();
            using var response = await client.SendAsync(read);
            firstReads.Add(clock.Elapsed.TotalMilliseconds);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"first GET /api/courses/{courseId} after start {i + 1}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            Console.WriteLine($"  start {i + 1}: first 200 from /health after {starts[^1]:F0} ms; first authenticated GET /api/courses/{courseId} {firstReads[^1]:F1} ms");
        }

        var median = Median(starts);
        return new Row($"{database.Engine}: cold start: process start to first 200 from /health (median of {ColdStarts})",
            $"{median:F0} ms; then first authenticated GET {Median(firstReads):F0} ms", "", "", "≤ 1.5 s", median <= 1500 ? "MET" : "MISSED");
    }

    private static ServerProcess StartApi(string apiDll, TargetDatabase database) =>
        ServerProcess.Start(apiDll, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["JointEfforts__Database"] = database.Engine,
            ["ConnectionStrings__JointEfforts"] = database.ConnectionString,
            ["JointEfforts__AdminToken"] = AdminToken,
            // The defaults (6,000 a minute per token, 600 per IP on the anonymous routes) would answer 429 within a second.
            ["JointEfforts__RateLimits__PerTokenPerMinute"] = "1000000000",
            ["JointEfforts__RateLimits__AnonymousPerMinute"] = "1000000",
        });

    private static async Task WaitForAsync(HttpClient client, string path, ServerProcess server, TimeSpan every)
    {
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (server.Process.HasExited)
            {
                throw new InvalidOperationException($"{server.Process.StartInfo.Arguments} exited with {server.Process.ExitCode}:\n{server.LastOutput}");
            }

            try
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(every);
        }

        throw new InvalidOperationException($"{server.Address}{path} did not answer 200 within 30 s:\n{server.LastOutput}");
    }

    private static void PrintTable(List<Row> rows)
    {
        string[] header = ["figure", "measured", "÷ bare", "p99", "target", "result"];
        var cells = rows.Select(r => new[] { r.Figure, r.Measured, r.Ratio, r.P99, r.Target, r.Result }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => cells.Max(row => row[c].Length)).ToArray();
        foreach (var (row, index) in cells.Select((row, index) => (row, index)))
        {
            Console.WriteLine("| " + string.Join(" | ", row.Select((cell, c) => cell.PadRight(widths[c]))) + " |");
            if (index == 0)
            {
                Console.WriteLine("| " + string.Join(" | ", widths.Select(w => new string('-', w))) + " |");
            }
        }
    }

    private static string PerSecond(WrkResult r) => r.PerSecond.ToString("N0", CultureInfo.InvariantCulture) + "/s";

    private static string Ms(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture) + " ms";

    /// <summary>The middle value; of an even count, the mean of the two middle ones.</summary>
    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double Percentile(List<double> sorted, double share) =>
        sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(share * sorted.Count) - 1)];

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    /// <summary>benchmarks/: the folder holding this project and BareKestrel, found above the running binary.</summary>
    private static string FindBenchmarksDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BareKestrel", "BareKestrel.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("benchmarks/BareKestrel/BareKestrel.csproj not found above " + AppContext.BaseDirectory);
    }
}
