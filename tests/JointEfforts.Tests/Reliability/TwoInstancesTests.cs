using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Reliability;

/// <summary>
/// Issue 27: two real API processes (<see cref="ApiProcess"/>) on one PostgreSQL database, as behind a load balancer. Every
/// guarantee the API gives on one process holds across both: capacity, one use per code, paper plus coded answers within the
/// enrolled, revoked tokens, the failed-code limit, start-up, and a crash of one of them.
/// </summary>
public sealed class TwoInstancesTests(TwoInstancesTests.Pair pair, ITestOutputHelper output) : IClassFixture<TwoInstancesTests.Pair>
{
    private const string Reason = "two API processes on one database server";

    [PostgresOnly(Reason)]
    public async Task SixtyEnrolmentsSpreadAcrossBothOnFortySeatsEnrolFortyAndWaitlistTwenty()
    {
        var courseId = await pair.OpenCourseAsync(max: 40);
        var participants = new List<int>();
        for (var i = 0; i < 60; i++)
        {
            participants.Add(await CourseGiven.ParticipantAsync(pair.Admin(i), $"Racer {courseId}-{i}"));
        }

        var answers = await Task.WhenAll(participants.Select((participantId, i) => Task.Run(async () =>
        {
            var response = await pair.Admin(i).PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId });
            return (await response.Expect(HttpStatusCode.Created)).GetProperty("status").GetString();
        })));

        Assert.Equal(40, answers.Count(s => s == "enrolled"));
        Assert.Equal(20, answers.Count(s => s == "waitlisted"));
        using var db = TestDatabases.Open(pair.Database);
        Assert.Equal(
            [("enrolled", 40L), ("waitlisted", 20L)],
            db.Query<(string, long)>("SELECT status, COUNT(*) FROM enrolments WHERE course_id = @courseId GROUP BY status ORDER BY status", new { courseId }));
    }

    [PostgresOnly(Reason)]
    public async Task OneCodeRacedFromEightClientsAcrossBothIsStoredOnce()
    {
        var (courseId, codes) = await pair.EvaluatedCourseAsync(enrolled: 5);
        var code = codes[0];

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            using var participant = pair.Anonymous(i);
            return (await EvaluationGiven.SubmitAsync(participant, code, new { relevance = 4 })).StatusCode;
        })));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
        using var db = TestDatabases.Open(pair.Database);
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_responses WHERE course_id = @courseId", new { courseId }));
    }

    [PostgresOnly(Reason)]
    public async Task PaperAndCodedAnswersAcrossBothNeverExceedTheEnrolled()
    {
        var (courseId, codes) = await pair.EvaluatedCourseAsync(enrolled: 5);

        var coded = codes.Select((code, i) => Task.Run(async () =>
        {
            using var participant = pair.Anonymous(i);
            return (await EvaluationGiven.SubmitAsync(participant, code, new { relevance = 3 })).StatusCode;
        }));
        var paper = Enumerable.Range(0, 5).Select(i => Task.Run(async () =>
            (await pair.Admin(i + 1).PostAsJsonAsync($"/api/courses/{courseId}/evaluations",
                new { purpose = "reaction", language = "en", answers = new { relevance = 5 } })).StatusCode));
        var statuses = await Task.WhenAll(coded.Concat(paper));

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
        using var db = TestDatabases.Open(pair.Database);
        Assert.Equal(5, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_responses WHERE course_id = @courseId", new { courseId }));
    }

    [PostgresOnly(Reason)]
    public async Task AnEnrolmentThroughOneIsReadFromTheOtherThoughItKeptTheCourse()
    {
        var courseId = await pair.OpenCourseAsync(max: 40);
        var participantId = await CourseGiven.ParticipantAsync(pair.Admin(0), $"Kept {courseId}");
        for (var i = 0; i < 3; i++)
        {
            // B keeps the course in memory (ReadCache): 0 enrolled.
            Assert.Equal(0, (await (await pair.Admin(1).GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK)).GetProperty("enrolledCount").GetInt32());
        }

        await (await pair.Admin(0).PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId })).Expect(HttpStatusCode.Created);
        var acknowledged = Stopwatch.StartNew();
        var lastStaleSentAt = (TimeSpan?)null;
        while (true)
        {
            var sentAt = acknowledged.Elapsed;
            var enrolled = (await (await pair.Admin(1).GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK)).GetProperty("enrolledCount").GetInt32();
            if (enrolled == 1)
            {
                break;
            }

            Assert.True(acknowledged.Elapsed < TimeSpan.FromSeconds(5), "B never read the enrolment");
            lastStaleSentAt = sentAt;
            await Task.Delay(5);
        }

        // The promise: a second at most (ReadCache.MaxAge); the je_changed notification makes it milliseconds.
        output.WriteLine(lastStaleSentAt is { } lag ? $"B last answered 0 to a read sent {lag.TotalMilliseconds:0.0} ms after A's 201" : "B's first read after A's 201 had the enrolment");
        Assert.True(lastStaleSentAt is null || lastStaleSentAt < ReadCache.MaxAge, $"{lastStaleSentAt?.TotalMilliseconds:0} ms");
    }

    [PostgresOnly(Reason)]
    public async Task ATokenRevokedOnOneIsRefusedByTheOtherWithinASecond()
    {
        var (userId, token) = await pair.UserAsync("steeringGroup");
        using var onA = pair.A.Client(token);
        using var onB = pair.B.Client(token);
        await (await onA.GetAsync("/api/projects")).Expect(HttpStatusCode.OK);
        await (await onB.GetAsync("/api/projects")).Expect(HttpStatusCode.OK); // B holds it in its cache now

        var tokenId = (await (await pair.Admin(0).GetAsync($"/api/users/{userId}/tokens")).Expect(HttpStatusCode.OK))[0].GetProperty("id").GetInt32();
        await (await pair.Admin(0).DeleteAsync($"/api/users/{userId}/tokens/{tokenId}")).Expect(HttpStatusCode.NoContent);
        var revoked = Stopwatch.StartNew();

        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.GetAsync("/api/projects")).StatusCode);

        // The promise: no request sent more than a second after the revocation is served. (When a refusal arrives also
        // counts the request's own time, which a loaded machine stretches.)
        var lastServedSentAt = TimeSpan.Zero;
        HttpStatusCode onOther;
        do
        {
            var sentAt = revoked.Elapsed;
            onOther = (await onB.GetAsync("/api/projects")).StatusCode;
            if (onOther == HttpStatusCode.OK)
            {
                lastServedSentAt = sentAt;
                await Task.Delay(20);
            }
        }
        while (onOther == HttpStatusCode.OK && revoked.Elapsed < TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.Unauthorized, onOther);
        output.WriteLine($"the other process last served the token to a request sent {lastServedSentAt.TotalMilliseconds:0} ms after the revocation, and refused it {revoked.ElapsedMilliseconds} ms after");
        Assert.True(lastServedSentAt < TokenCache.Lifetime, $"served a request sent {lastServedSentAt.TotalMilliseconds:0} ms after the revocation");
    }

    [PostgresOnly(Reason)]
    public async Task TheThirtyFirstFailedCodeAcrossBothIsA429()
    {
        for (var i = 0; i < 30; i++)
        {
            using var guesser = pair.Anonymous(i);
            await (await guesser.GetAsync($"/api/evaluations/form?code={Guess(i)}")).ExpectProblem(HttpStatusCode.NotFound);
        }

        using var onA = pair.Anonymous(0);
        using var onB = pair.Anonymous(1);
        await (await onA.GetAsync($"/api/evaluations/form?code={Guess(30)}")).ExpectProblem(HttpStatusCode.TooManyRequests);
        await (await onB.GetAsync($"/api/evaluations/form?code={Guess(31)}")).ExpectProblem(HttpStatusCode.TooManyRequests);
    }

    [PostgresOnly(Reason)]
    public async Task BothStartedTogetherOnAnEmptyDatabaseMigrateItOnceAndMakeOneAdmin()
    {
        var database = TestDatabases.NewPath();
        if (TestEngine.IsPostgres)
        {
            PostgresDatabases.Create(database);
        }

        try
        {
            var settings = Pair.Settings();
            var started = await Task.WhenAll(
                ApiProcess.StartAsync(database, JointEffortsApp.AdminToken, settings),
                ApiProcess.StartAsync(database, JointEffortsApp.AdminToken, settings));
            using var a = started[0];
            using var b = started[1];

            await (await a.Client(JointEffortsApp.AdminToken).GetAsync("/api/users")).Expect(HttpStatusCode.OK);
            await (await b.Client(JointEffortsApp.AdminToken).GetAsync("/api/users")).Expect(HttpStatusCode.OK);
            var scripts = Directory.GetFiles(
                TestEngine.IsPostgres ? Path.Combine(MigrationRunner.DefaultDirectory, "postgres") : MigrationRunner.DefaultDirectory, "*.sql");
            using var db = TestDatabases.Open(database);
            Assert.Equal(scripts.Length, db.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_migrations"));
            Assert.Equal(scripts.Length, db.ExecuteScalar<long>("SELECT COUNT(DISTINCT name) FROM schema_migrations"));
            Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM users WHERE role = 'admin'"));
            Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM api_tokens"));
        }
        finally
        {
            TestDatabases.Delete(database);
        }
    }

    [PostgresOnly(Reason)]
    public async Task KillingOneMidLoadLosesNoAcknowledgedWriteAndTheOtherKeepsAnswering()
    {
        var database = TestDatabases.NewPath();
        TestDatabases.CopyTemplate(TestDatabases.Template(JointEffortsApp.AdminToken, seedDemo: false), database);
        try
        {
            using var a = await ApiProcess.StartAsync(database, JointEffortsApp.AdminToken, Pair.Settings());
            using var b = await ApiProcess.StartAsync(database, JointEffortsApp.AdminToken, Pair.Settings());
            var acknowledged = new ConcurrentBag<string>();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                using var client = (w % 2 == 0 ? a : b).Client(JointEffortsApp.AdminToken);
                for (var i = 0; !stop.IsCancellationRequested && i < 5000; i++)
                {
                    var code = $"K{w}-{i}";
                    try
                    {
                        if ((await client.PostAsJsonAsync("/api/projects", Given.ProjectBody(code))).StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add(code);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        if (w % 2 == 0)
                        {
                            return; // A is gone
                        }

                        throw;
                    }
                }
            })).ToList();

            await Task.Delay(TimeSpan.FromSeconds(1.5));
            a.Kill(); // SIGKILL: no shutdown, mid-write
            var killedAt = acknowledged.Count;
            await Task.WhenAll(writers); // B's writers go on until the end without an error
            output.WriteLine(string.Join("\n", b.Output.TakeLast(20)));
            var onB = acknowledged.Count(c => int.Parse(c[1..c.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) % 2 == 1);

            Assert.True(killedAt > 10, $"only {killedAt} writes were acknowledged before the kill");
            Assert.True(acknowledged.Count > killedAt, "the other process acknowledged nothing after the kill");
            using var db = TestDatabases.Open(database);
            var stored = db.Query<string>("SELECT code FROM projects").ToHashSet(StringComparer.Ordinal);
            Assert.DoesNotContain(acknowledged, c => !stored.Contains(c));
            output.WriteLine($"{acknowledged.Count} writes acknowledged ({killedAt} before the kill, {onB} through the survivor), all stored");
            await (await b.Client(JointEffortsApp.AdminToken).GetAsync("/api/projects")).Expect(HttpStatusCode.OK);
        }
        finally
        {
            NpgsqlClear();
            TestDatabases.Delete(database);
        }
    }

    private static void NpgsqlClear()
    {
        if (TestEngine.IsPostgres)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
        }
    }

    /// <summary>A well-formed code that was never issued, all of one slip prefix (GUES).</summary>
    private static string Guess(int i)
    {
        const string alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ";
        return $"GUES-S{alphabet[i % alphabet.Length]}{alphabet[(i / alphabet.Length) % alphabet.Length]}X-YZ22";
    }

    /// <summary>Two API processes on one migrated database, for the class; each client alternates between them by its number.</summary>
    public sealed class Pair : IAsyncLifetime
    {
        private int _programmes;

        public string Database { get; } = TestDatabases.NewPath();

        public ApiProcess A { get; private set; } = null!;

        public ApiProcess B { get; private set; } = null!;

        /// <summary>Limits out of the way, except the failed-code limit of the contract (30 an hour per address and prefix).</summary>
        public static Dictionary<string, string?> Settings() => new()
        {
            ["JointEfforts:RateLimits:PerTokenPerMinute"] = "1000000",
            ["JointEfforts:RateLimits:AnonymousPerMinute"] = "1000000",
            ["JointEfforts:RateLimits:FailedCodesPerHour"] = "30",
        };

        public async Task InitializeAsync()
        {
            TestDatabases.CopyTemplate(TestDatabases.Template(JointEffortsApp.AdminToken, seedDemo: false), Database);
            var started = await Task.WhenAll(
                ApiProcess.StartAsync(Database, JointEffortsApp.AdminToken, Settings()),
                ApiProcess.StartAsync(Database, JointEffortsApp.AdminToken, Settings()));
            (A, B) = (started[0], started[1]);
            (_adminA, _adminB) = (A.Client(JointEffortsApp.AdminToken), B.Client(JointEffortsApp.AdminToken));
        }

        private HttpClient _adminA = null!;
        private HttpClient _adminB = null!;

        public ApiProcess Instance(int i) => i % 2 == 0 ? A : B;

        /// <summary>The admin's client of instance A (even <paramref name="i"/>) or B (odd): kept for the class, not to be disposed.</summary>
        public HttpClient Admin(int i) => i % 2 == 0 ? _adminA : _adminB;

        public HttpClient Anonymous(int i)
        {
            var client = Instance(i).Client(JointEffortsApp.AdminToken);
            client.DefaultRequestHeaders.Authorization = null;
            return client;
        }

        public async Task<int> OpenCourseAsync(int max, int? formId = null)
        {
            var admin = Admin(0);
            var projectId = await Given.ProjectAsync(admin, $"TWO-{Interlocked.Increment(ref _programmes)}");
            var body = CourseGiven.CourseBody(countryCode: "GB", min: 1, max: max); // English: the reaction form's language
            body["evaluationFormId"] = formId;
            var courseId = (await (await admin.PostAsJsonAsync($"/api/projects/{projectId}/courses", body)).Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
            await CourseGiven.MoveAsync(admin, courseId, "open");
            return courseId;
        }

        /// <summary>An open course with a reaction form, <paramref name="enrolled"/> enrolled and one code per enrolled.</summary>
        public async Task<(int CourseId, IReadOnlyList<string> Codes)> EvaluatedCourseAsync(int enrolled)
        {
            var formId = await EvaluationGiven.FormAsync(Admin(0), EvaluationGiven.ReactionForm());
            var courseId = await OpenCourseAsync(max: 40, formId);
            await CourseGiven.EnrolAsync(Admin(1), courseId, enrolled);
            return (courseId, await EvaluationGiven.CodesAsync(Admin(0), courseId));
        }

        public async Task<(int Id, string Token)> UserAsync(string role)
        {
            var admin = Admin(0);
            var user = await (await admin.PostAsJsonAsync("/api/users", new
            {
                userName = $"two.{Guid.NewGuid():N}"[..20],
                displayName = "Two instances",
                role,
                countryCode = (string?)null,
            })).Expect(HttpStatusCode.Created);
            var id = user.GetProperty("id").GetInt32();
            var token = await (await admin.PostAsJsonAsync($"/api/users/{id}/tokens", new { })).Expect(HttpStatusCode.Created);
            return (id, token.GetProperty("token").GetString()!);
        }

        public Task DisposeAsync()
        {
            _adminA?.Dispose();
            _adminB?.Dispose();
            A?.Dispose();
            B?.Dispose();
            NpgsqlClear();
            TestDatabases.Delete(Database);
            return Task.CompletedTask;
        }
    }
}
