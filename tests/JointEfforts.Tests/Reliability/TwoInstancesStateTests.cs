using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Languages;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Reliability;

/// <summary>
/// Issue 27: what an API instance keeps in memory must not break when a second instance serves the same database. Two
/// hosts on one database here (each with its own token cache, limiter, texts and idempotency key): what one is told, the
/// other honours within the documented time. The same code serves API processes sharing one PostgreSQL database.
/// </summary>
public sealed class TwoInstancesStateTests : IDisposable
{
    private readonly string _path = TestDatabases.NewPath();
    private readonly JointEffortsApp _a;
    private readonly JointEffortsApp _b;

    public TwoInstancesStateTests()
    {
        TestDatabases.CopyTemplate(TestDatabases.Template(JointEffortsApp.AdminToken, seedDemo: false), _path);
        var settings = new Dictionary<string, string?> { ["JointEfforts:RateLimits:FailedCodesPerHour"] = "30" };
        _a = new JointEffortsApp(settings: settings, databasePath: _path, configure: TestHost.WithPeerAddress);
        _b = new JointEffortsApp(settings: settings, databasePath: _path, configure: TestHost.WithPeerAddress);
    }

    [Fact]
    public async Task ATokenRevokedThroughOneInstanceIsRefusedByTheOtherWithinASecond()
    {
        var (userId, token) = await _a.CreateUserAsync(Role.SteeringGroup);
        using var onA = _a.ClientWithToken(token);
        using var onB = _b.ClientWithToken(token);
        await (await onA.GetAsync("/api/projects")).Expect(HttpStatusCode.OK);
        await (await onB.GetAsync("/api/projects")).Expect(HttpStatusCode.OK); // B now holds the token in its cache

        using var admin = _a.CreateAdminClient();
        var tokenId = (await (await admin.GetAsync($"/api/users/{userId}/tokens")).Expect(HttpStatusCode.OK))[0].GetProperty("id").GetInt32();
        await (await admin.DeleteAsync($"/api/users/{userId}/tokens/{tokenId}")).Expect(HttpStatusCode.NoContent);
        var revoked = Stopwatch.StartNew();

        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.GetAsync("/api/projects")).StatusCode); // the instance told: at once

        // The promise: no request sent more than a second after the revocation is served by the other instance.
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
        Assert.True(lastServedSentAt < TokenCache.Lifetime, $"the other instance served a request sent {lastServedSentAt.TotalMilliseconds:0} ms after the revocation");
    }

    [Fact]
    public async Task TheThirtyFirstFailedCodeOfAnAddressAcrossBothInstancesIsA429()
    {
        using var onA = _a.CreateAnonymousClient();
        using var onB = _b.CreateAnonymousClient(); // the same address, 198.51.100.10, through the other instance

        for (var i = 0; i < 30; i++)
        {
            var client = i % 2 == 0 ? onA : onB;
            await (await client.GetAsync($"/api/evaluations/form?code={Guess(i)}")).ExpectProblem(HttpStatusCode.NotFound);
        }

        var onEither = await onA.GetAsync($"/api/evaluations/form?code={Guess(30)}");
        var onOther = await onB.GetAsync($"/api/evaluations/form?code={Guess(31)}");

        await onEither.ExpectProblem(HttpStatusCode.TooManyRequests);
        await onOther.ExpectProblem(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(onOther.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 55 * 60, 60 * 60); // the failures leave the sliding hour with their 5-minute window

        // Another address is not counted with it, and nothing stored names the address or the codes.
        using var other = _b.CreateAnonymousClient();
        other.DefaultRequestHeaders.Add(TestHost.PeerHeader, "198.51.100.77");
        await (await other.GetAsync($"/api/evaluations/form?code={Guess(32)}")).ExpectProblem(HttpStatusCode.NotFound);
        using var db = _a.OpenDatabase();
        var rows = db.Query<(string Bucket, string WindowStart, long Failures)>("SELECT bucket, window_start, failures FROM failed_code_counts").ToList();
        Assert.Equal(30 + 30 + 1 + 1, rows.Sum(r => r.Failures)); // per address and per prefix; the refused look-ups are not failures
        Assert.All(rows, r => Assert.Matches("^[0-9a-f]{64}$", r.Bucket));
        Assert.DoesNotContain(rows, r => r.Bucket.Contains("198.51", StringComparison.Ordinal) || r.Bucket.Contains("GUES", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIdempotencyClaimLeftInProgressByAKilledInstanceIsTakenOverAfterItsLeaseAndNotBefore()
    {
        using var admin = _b.CreateAdminClient();
        using (var db = _a.OpenDatabase())
        {
            // As a killed instance leaves them: claimed, never answered.
            var adminId = db.ExecuteScalar<long>("SELECT id FROM users WHERE role = 'admin'");
            var now = DateTime.UtcNow;
            foreach (var (key, name, claimedAt) in new[]
            {
                ("stale", "Ana Stale", now - IdempotencyMiddleware.Lease - TimeSpan.FromSeconds(5)),
                ("fresh", "Ana Fresh", now - TimeSpan.FromSeconds(30)),
            })
            {
                // The hash of the very body the request below sends: the same request, still "in progress".
                var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(CourseGiven.ParticipantBody(name), System.Text.Json.JsonSerializerOptions.Web);
                db.Execute(
                    "INSERT INTO idempotency_keys (scope, key, method, path, request_hash, created_at) VALUES (@scope, @key, 'POST', '/api/participants', @hash, @claimedAt)",
                    new { scope = $"user:{adminId}", key, hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)), claimedAt = Database.Timestamp(claimedAt) });
            }
        }

        var takenOver = await admin.PostAsJsonAsync("/api/participants", CourseGiven.ParticipantBody("Ana Stale"), "stale");
        var stillHeld = await admin.PostAsJsonAsync("/api/participants", CourseGiven.ParticipantBody("Ana Fresh"), "fresh");
        var replayed = await admin.PostAsJsonAsync("/api/participants", CourseGiven.ParticipantBody("Ana Stale"), "stale");

        var created = await takenOver.Expect(HttpStatusCode.Created);
        await stillHeld.ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal(created.GetProperty("id").GetInt32(), (await replayed.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32());
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        using var check = _a.OpenDatabase();
        Assert.Equal(1, check.ExecuteScalar<long>("SELECT COUNT(*) FROM participants WHERE full_name LIKE 'Ana %'"));
    }

    [Fact]
    public async Task ATextWrittenThroughOneInstanceIsShownByTheOtherWithinTwoSeconds()
    {
        using var onA = await _a.CreateClientAsync(Role.Coordinator);
        using var onB = _b.ClientWithToken(onA.DefaultRequestHeaders.Authorization!.Parameter!);
        var before = await (await onB.GetAsync("/api/languages/de/texts")).Expect(HttpStatusCode.OK); // B holds the texts now
        Assert.NotEqual("Abschicken, bitte", before.GetProperty("texts").GetProperty("page.send").GetString());

        await (await onA.PutAsJsonAsync("/api/languages/de/texts", new { texts = new Dictionary<string, string> { ["page.send"] = "Abschicken, bitte" } }))
            .Expect(HttpStatusCode.OK);
        // The promise is about the age of what B keeps, not about how fast a busy machine answers: B may answer with the old
        // text only a request that began within MaxAge of the write (its texts were read before the write, at most MaxAge
        // before the request), however long the answers themselves take.
        var written = Stopwatch.StartNew();
        var lastStaleAsked = TimeSpan.Zero;
        string? shown;
        do
        {
            var asked = written.Elapsed;
            shown = (await (await onB.GetAsync("/api/languages/de/texts")).Expect(HttpStatusCode.OK)).GetProperty("texts").GetProperty("page.send").GetString();
            if (shown != "Abschicken, bitte")
            {
                lastStaleAsked = asked;
                await Task.Delay(50);
            }
        }
        while (shown != "Abschicken, bitte" && written.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal("Abschicken, bitte", shown);
        Assert.True(lastStaleAsked < TextStore.MaxAge, $"the other instance still showed the old text to a request made {lastStaleAsked.TotalMilliseconds:0} ms after the write");
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        TestDatabases.Delete(_path);
    }

    /// <summary>A well-formed code that was never issued, all of one slip prefix (GUES).</summary>
    private static string Guess(int i)
    {
        const string alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ";
        return $"GUES-S{alphabet[i % alphabet.Length]}{alphabet[(i / alphabet.Length) % alphabet.Length]}X-YZ22";
    }
}
