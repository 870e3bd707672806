using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JointEfforts.Tests.Reliability;

/// <summary>
/// Issue 27: the reads kept in memory (<see cref="ReadCache"/>) are given again only while nothing changed, only to the
/// caller who read them, and never past a second; every write, of this instance or from outside, is seen.
/// </summary>
public sealed class ReadCacheTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    public void Dispose() => _app.Dispose();

    private ReadCache Cache => _app.Services.GetRequiredService<ReadCache>();

    [Fact]
    public async Task ACourseReadAgainIsAnsweredFromMemoryUntilAWriteOfTheApiChangesIt()
    {
        using var admin = _app.CreateAdminClient();
        var courseId = await CourseGiven.CourseAsync(admin, max: 40);
        var first = await admin.GetAsync($"/api/courses/{courseId}");
        var etag = first.Headers.ETag!.Tag;
        Assert.Equal(40, (await first.Expect(HttpStatusCode.OK)).GetProperty("maxParticipants").GetInt32());

        var again = await KeptAsync(admin, $"/api/courses/{courseId}");
        Assert.Equal(40, (await again.Expect(HttpStatusCode.OK)).GetProperty("maxParticipants").GetInt32());
        Assert.Equal(etag, again.Headers.ETag!.Tag);

        var body = CourseGiven.CourseBody(max: 35);
        await (await admin.PutAsJsonAsync($"/api/courses/{courseId}", body, etag)).Expect(HttpStatusCode.OK);
        var changed = await admin.GetAsync($"/api/courses/{courseId}");
        Assert.Equal(35, (await changed.Expect(HttpStatusCode.OK)).GetProperty("maxParticipants").GetInt32());
        Assert.NotEqual(etag, changed.Headers.ETag!.Tag);

        // An enrolment (another table) moves the course's counts: the kept course is not given again either.
        await CourseGiven.MoveAsync(admin, courseId, "open");
        await admin.GetAsync($"/api/courses/{courseId}");
        var participantId = await CourseGiven.ParticipantAsync(admin, "Ana Kept");
        await (await admin.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId })).Expect(HttpStatusCode.Created);
        Assert.Equal(1, (await (await admin.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK)).GetProperty("enrolledCount").GetInt32());
    }

    [Fact]
    public async Task PhasesKeptInMemoryFollowAMilestoneCompleted()
    {
        using var admin = _app.CreateAdminClient();
        var projectId = await Given.ProjectAsync(admin, "JE-KEPT");
        var phases = await (await admin.GetAsync($"/api/projects/{projectId}/phases")).Expect(HttpStatusCode.OK);
        var phaseId = phases[0].GetProperty("id").GetInt32();
        var milestone = await (await admin.PostAsJsonAsync($"/api/phases/{phaseId}/milestones", new { title = "Kick-off", kind = "meeting", dueDate = "2012-01-31" }))
            .Expect(HttpStatusCode.Created);
        Assert.Equal(0, (await (await KeptAsync(admin, $"/api/projects/{projectId}/phases")).Expect(HttpStatusCode.OK))[0].GetProperty("progress").GetDouble());

        var milestoneId = milestone.GetProperty("id").GetInt32();
        await (await admin.PostAsJsonAsync($"/api/milestones/{milestoneId}/complete", new { completedOn = "2012-01-30" })).Expect(HttpStatusCode.OK);
        Assert.Equal(1, (await (await admin.GetAsync($"/api/projects/{projectId}/phases")).Expect(HttpStatusCode.OK))[0].GetProperty("progress").GetDouble());
    }

    [Fact]
    public async Task AnAnswerKeptForOneCallerIsNeverGivenToAnother()
    {
        using var admin = _app.CreateAdminClient();
        var courseId = await CourseGiven.CourseAsync(admin, countryCode: "AT");
        var projectId = (await (await admin.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK)).GetProperty("projectId").GetInt32();
        await (await admin.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK); // kept for the admin

        using var otherCountry = await _app.CreateClientAsync(Role.CountryExpert, "NL");
        await (await otherCountry.GetAsync($"/api/courses/{courseId}")).ExpectProblem(HttpStatusCode.NotFound);
        var listed = await (await otherCountry.GetAsync($"/api/projects/{projectId}/courses")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, listed.GetProperty("total").GetInt32());

        var hits = Cache.Hits;
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        await (await expert.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(hits, Cache.Hits); // the expert's first read went to the database
    }

    [Fact]
    public async Task ATokenRevokedIsRefusedAKeptRead()
    {
        using var admin = _app.CreateAdminClient();
        var courseId = await CourseGiven.CourseAsync(admin);
        var (userId, token) = await _app.CreateUserAsync(Role.SteeringGroup);
        using var steering = _app.ClientWithToken(token);
        await (await steering.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        await (await steering.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);

        var tokenId = (await (await admin.GetAsync($"/api/users/{userId}/tokens")).Expect(HttpStatusCode.OK))[0].GetProperty("id").GetInt32();
        await (await admin.DeleteAsync($"/api/users/{userId}/tokens/{tokenId}")).Expect(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.Unauthorized, (await steering.GetAsync($"/api/courses/{courseId}")).StatusCode);
    }

    [SqliteOnly("PRAGMA data_version sees a commit of any connection to the file")]
    public async Task AChangeWrittenPastTheApiIsSeenByTheNextRead()
    {
        using var admin = _app.CreateAdminClient();
        var courseId = await CourseGiven.CourseAsync(admin);
        await admin.GetAsync($"/api/courses/{courseId}");
        await admin.GetAsync($"/api/courses/{courseId}");

        // Another process's connection, as the sqlite3 shell would be.
        using (var shell = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_app.Services.GetRequiredService<Database>().FilePath};Pooling=False"))
        {
            shell.Open();
            shell.CreateFunction("je_actor", () => (long?)null); // the shell's stand-ins for the audit triggers' callbacks
            shell.CreateFunction("je_request", () => (string?)null);
            shell.Execute("UPDATE courses SET city = 'Graz' WHERE id = @courseId", new { courseId });
        }

        Assert.Equal("Graz", (await (await admin.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK)).GetProperty("city").GetString());
    }

    [PostgresOnly("je_changed notifications (sql/postgres/0075)")]
    public async Task AChangeWrittenPastTheApiIsSeenWhenItsNotificationArrives()
    {
        using var admin = _app.CreateAdminClient();
        var courseId = await CourseGiven.CourseAsync(admin);
        await WaitUntilListeningAsync();
        await admin.GetAsync($"/api/courses/{courseId}");
        await admin.GetAsync($"/api/courses/{courseId}");

        var lag = await StaleForAsync(admin, courseId, "Graz", "UPDATE courses SET city = 'Graz' WHERE id = @courseId");
        // The notification arrives in milliseconds. Without it the kept read, a few milliseconds old at the commit, would be
        // given until it is a second old (the next test): half a second tells the two apart on a loaded machine.
        Assert.True(lag < ReadCache.MaxAge / 2, $"a read sent {lag.TotalMilliseconds:0} ms after the commit was answered from before it");
    }

    [PostgresOnly("a change made with the triggers off (session_replication_role = replica) sends no je_changed")]
    public async Task WithoutANotificationAKeptReadIsNeverGivenPastASecond()
    {
        using var admin = _app.CreateAdminClient();
        var courseId = await CourseGiven.CourseAsync(admin);
        await WaitUntilListeningAsync();
        await admin.GetAsync($"/api/courses/{courseId}");

        var lag = await StaleForAsync(admin, courseId, "Linz",
            "SET session_replication_role = replica; UPDATE courses SET city = 'Linz' WHERE id = @courseId; RESET session_replication_role");
        Assert.True(lag < ReadCache.MaxAge, $"a read sent {lag.TotalMilliseconds:0} ms after the commit was answered from before it");
    }

    [PostgresOnly("the je_changed listener's own connection")]
    public async Task AListenerWhoseConnectionIsKilledListensAgainAndNothingIsKeptMeanwhile()
    {
        using var admin = _app.CreateAdminClient();
        var courseId = await CourseGiven.CourseAsync(admin);
        var listener = await WaitUntilListeningAsync();
        using (var db = ServerConnection())
        {
            Assert.True(db.ExecuteScalar<int>(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()",
                new { name = PostgresChangeListener.ApplicationName }) >= 1);
        }

        // Until it listens again nothing is answered from memory: a change of which no notification reaches it is read.
        var stopped = Stopwatch.StartNew();
        while (listener.Listening && stopped.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }

        var hits = Cache.Hits;
        await admin.GetAsync($"/api/courses/{courseId}");
        await admin.GetAsync($"/api/courses/{courseId}");
        if (!listener.Listening)
        {
            Assert.Equal(hits, Cache.Hits);
        }

        await WaitUntilListeningAsync();
        await admin.GetAsync($"/api/courses/{courseId}");
        var lag = await StaleForAsync(admin, courseId, "Salzburg", "UPDATE courses SET city = 'Salzburg' WHERE id = @courseId");
        Assert.True(lag < ReadCache.MaxAge, $"{lag.TotalMilliseconds:0} ms");
    }

    [PostgresOnly("the schema of sql/postgres/0075")]
    public void EveryTableTellsTheListenersWhenItChanges()
    {
        _ = _app.Server;
        using var db = ServerConnection();
        var silent = db.Query<string>(
            """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() AND c.relname <> 'schema_migrations'
              AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'je_changed' AND t.tgenabled = 'O')
            ORDER BY 1
            """).ToList();
        Assert.Empty(silent);
        Assert.True(db.ExecuteScalar<long>("SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'je_changed'") > 30);
    }

    [Fact]
    public async Task SwitchedOffNothingIsKept()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { [ReadCache.EnabledSetting] = "false" });
        using var admin = app.CreateAdminClient();
        var courseId = await CourseGiven.CourseAsync(admin);
        for (var i = 0; i < 3; i++)
        {
            await (await admin.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        }

        Assert.Equal(0, app.Services.GetRequiredService<ReadCache>().Hits);
    }

    /// <summary>
    /// Reads <paramref name="url"/> until the answer comes from memory (a hit counted), and returns that answer. On SQLite the
    /// second read is one; on PostgreSQL the notification of the write before it may arrive after the first read was kept
    /// and drop it (an extra read from the database, never a stale one), so a few more reads may be needed.
    /// </summary>
    private async Task<HttpResponseMessage> KeptAsync(HttpClient client, string url)
    {
        for (var i = 0; i < 50; i++)
        {
            var hits = Cache.Hits;
            var response = await client.GetAsync(url);
            if (Cache.Hits > hits)
            {
                return response;
            }

            Assert.False(!TestEngine.IsPostgres && i > 0, $"{url} was read from the database twice in a row on SQLite");
            response.Dispose();
            await Task.Delay(10);
        }

        throw new Xunit.Sdk.XunitException($"{url} was never answered from memory in 50 reads");
    }

    /// <summary>
    /// Commits <paramref name="sql"/> on a connection of its own (another instance, psql), then reads the course until its city
    /// is <paramref name="city"/>: how long after the commit the last read that was not yet sent.
    /// </summary>
    private async Task<TimeSpan> StaleForAsync(HttpClient admin, int courseId, string city, string sql)
    {
        using (var db = ServerConnection())
        {
            db.Execute(sql, new { courseId });
        }

        var committed = Stopwatch.StartNew();
        var lastStaleSentAt = TimeSpan.Zero;
        while (committed.Elapsed < TimeSpan.FromSeconds(5))
        {
            var sentAt = committed.Elapsed;
            var course = await (await admin.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
            if (course.GetProperty("city").GetString() == city)
            {
                return lastStaleSentAt;
            }

            lastStaleSentAt = sentAt;
            await Task.Delay(10);
        }

        throw new Xunit.Sdk.XunitException($"the change to {city} was not read within 5 s");
    }

    private async Task<ReadCache> WaitUntilListeningAsync()
    {
        var listener = Cache;
        var waited = Stopwatch.StartNew();
        while (!listener.Listening)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the je_changed listener did not listen within 10 s");
            await Task.Delay(10);
        }

        return listener;
    }

    private NpgsqlConnection ServerConnection()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_app.Services.GetRequiredService<Database>().ConnectionString)
        {
            Pooling = false,
        }.ConnectionString);
        connection.Open();
        return connection;
    }
}
