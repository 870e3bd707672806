using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JointEfforts.Tests.Anonymity;

/// <summary>
/// Issue 10, item 1: one test per way an answer could be traced to a person (docs/reliability.md, "Anonymity: the
/// threat model"). Batches, the missing per-response route, receipts and the stored rows are tested in
/// EvaluationCodesTests and EvaluationAnswersTests.
/// </summary>
public sealed class AnonymityTests : IDisposable
{
    private readonly CapturedLogs _logs = new();
    private readonly JointEffortsApp _app;

    public AnonymityTests() => _app = new JointEffortsApp(configure: _logs.Attach);

    [Fact]
    public async Task TheAuditLogKeepsNoRowPerCodeOrResponseAndPaperFormsOnlyPerCourseByDay()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var anonymous = _app.CreateAnonymousClient();
        await (await EvaluationGiven.SubmitAsync(anonymous, code, new { relevance = 4 })).Expect(HttpStatusCode.Created);
        await (await course.Expert.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations", new { language = "en", answers = new { relevance = 2 } }))
            .Expect(HttpStatusCode.Created);

        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM audit_log WHERE entity IN ('evaluationCode', 'evaluationResponse', 'evaluationAnswer', 'evaluationCodeUse')"));
        var paper = db.QuerySingle<(string At, string Entity, long EntityId, long? UserId)>(
            "SELECT at, entity, entity_id, user_id FROM audit_log WHERE action = 'evaluationPaperForm.insert'");
        Assert.Equal(("course", (long)course.Id, (long?)course.ExpertId), (paper.Entity, paper.EntityId, paper.UserId));
        Assert.EndsWith("T00:00:00.000Z", paper.At); // the day, not the minute
        Assert.Single(db.Query<long>("SELECT 1 FROM audit_log WHERE entity = 'evaluationCodeBatch'"));
        Assert.Empty(db.Query<string>(TestEngine.IsPostgres
            ? "SELECT tgname FROM pg_trigger WHERE tgrelid = 'evaluation_responses'::regclass AND NOT tgisinternal AND tgname LIKE 'audit_evaluation_responses%'"
            : "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_evaluation_responses%'"));
    }

    [Fact]
    public async Task AnIdempotencyRecordOfTheAnonymousPathKeepsNoAddressNoTimeAndNoTestableHash()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var anonymous = _app.CreateAnonymousClient();
        var body = new { code, purpose = "reaction", language = "en", answers = new { relevance = 4 } };

        var first = await anonymous.PostAsJsonAsync("/api/evaluations", body, "retry-1");
        var replay = await anonymous.PostAsJsonAsync("/api/evaluations", body, "retry-1");

        await first.Expect(HttpStatusCode.Created);
        await replay.Expect(HttpStatusCode.Created);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        using var db = _app.OpenDatabase();
        var kept = db.QuerySingle<(string Scope, string RequestHash, string CreatedAt, byte[] Body)>(
            "SELECT scope, request_hash, created_at, body FROM idempotency_keys WHERE scope = 'anonymous'");
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM idempotency_keys WHERE key = 'retry-1' OR path LIKE '/api/%'"));
        Assert.Equal(IdempotencyMiddleware.AnonymousScope, kept.Scope); // no client IP
        Assert.EndsWith("T00:00:00.000Z", kept.CreatedAt); // the next midnight, not the time
        var json = JsonSerializer.SerializeToUtf8Bytes(body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(json)), kept.RequestHash); // a reader cannot test guessed answers
        var stored = Encoding.UTF8.GetString(kept.Body);
        Assert.DoesNotContain(code, stored);
        Assert.DoesNotContain("submittedAt", stored);
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_responses"));
    }

    [Fact]
    public async Task TextsComeInRandomOrderAndSmallGroupsShowTheirCountOnlyExceptToAdmin()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, participants: 8);
        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        using var anonymous = _app.CreateAnonymousClient();
        var comments = new[] { "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot" };
        for (var i = 0; i < comments.Length; i++)
        {
            // Two people gave hours: that is a group of two, so only its count shows.
            object answers = i < 2 ? new { relevance = 5, comments = comments[i], hours = 3 + i } : new { relevance = 4, comments = comments[i] };
            await (await EvaluationGiven.SubmitAsync(anonymous, codes[i], answers)).Expect(HttpStatusCode.Created);
        }

        EvaluationGiven.SetCourseStatus(_app, course.Id, "evaluated"); // results are released once the evaluation closes (ReleaseOfResultsTests)
        var orders = new HashSet<string>();
        JsonElement summary = default;
        for (var call = 0; call < 8; call++)
        {
            summary = await (await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).Expect(HttpStatusCode.OK);
            var texts = EvaluationGiven.Question(summary.GetProperty("forms")[0], "comments").GetProperty("texts")
                .EnumerateArray().Select(t => t.GetString()!).ToList();
            Assert.Equal(comments, texts.Order(StringComparer.Ordinal));
            orders.Add(string.Join(",", texts));
        }

        Assert.True(orders.Count > 1, "the texts came in one order every time: " + orders.First()); // 8 equal draws of 720: ~0
        var hours = EvaluationGiven.Question(summary.GetProperty("forms")[0], "hours");
        Assert.Equal(2, hours.GetProperty("count").GetInt32());
        Assert.True(hours.GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, hours.GetProperty("mean").ValueKind);
        var relevance = EvaluationGiven.Question(summary.GetProperty("forms")[0], "relevance");
        Assert.False(relevance.GetProperty("suppressed").GetBoolean());
        Assert.Equal(4.3333, relevance.GetProperty("mean").GetDouble(), 3);

        using var admin = _app.CreateAdminClient();
        var full = await (await admin.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).Expect(HttpStatusCode.OK);
        Assert.Equal(3.5, EvaluationGiven.Question(full.GetProperty("forms")[0], "hours").GetProperty("mean").GetDouble());
    }

    [Fact]
    public async Task OneResponseShowsOnlyThatThereIsOne()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var anonymous = _app.CreateAnonymousClient();
        await (await EvaluationGiven.SubmitAsync(anonymous, code, new { relevance = 1, apply = "no", comments = "The trainer was rude to me" }))
            .Expect(HttpStatusCode.Created);

        var response = await course.Expert.GetAsync($"/api/courses/{course.Id}/evaluation-summary");

        var text = await response.Content.ReadAsStringAsync();
        var summary = await response.Expect(HttpStatusCode.OK);
        Assert.Equal(1, summary.GetProperty("responses").GetProperty("reaction").GetInt32());
        Assert.DoesNotContain("rude", text);
        var apply = EvaluationGiven.Question(summary.GetProperty("forms")[0], "apply");
        Assert.Equal(JsonValueKind.Null, apply.GetProperty("distribution").ValueKind);
    }

    [Fact]
    public async Task NoCodeReachesTheLogsWhateverTheLogLevel()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        var canonical = code.Replace("-", "", StringComparison.Ordinal);
        using var anonymous = _app.CreateAnonymousClient();

        await (await anonymous.GetAsync($"/api/evaluations/form?code={code}&purpose=reaction")).Expect(HttpStatusCode.OK);
        await anonymous.GetAsync($"/api/evaluations/form?purpose=reaction&code={canonical.ToLowerInvariant()}");
        await anonymous.GetAsync($"/e/{code}");
        await anonymous.PostAsync($"/e/{canonical}", new FormUrlEncodedContent([new("relevance", "4")]));
        await (await EvaluationGiven.SubmitAsync(anonymous, code, new { relevance = 4 })).Expect(HttpStatusCode.Created);
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(
            _app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("Anyone"),
            "GET /api/evaluations/form?code={Code}", code);

        var entries = _logs.Entries;
        Assert.NotEmpty(entries); // the capture works: the app logs at Trace here
        foreach (var variant in new[] { code, canonical, canonical.ToLowerInvariant(), code[..9] })
        {
            Assert.DoesNotContain(entries, e => e.Contains(variant, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void RedactionMasksCodesInQueriesAndParticipantPages()
    {
        Assert.Equal("GET /api/evaluations/form?code=***&purpose=reaction", LogRedaction.Redact("GET /api/evaluations/form?code=ABCD-EFGH-JK22&purpose=reaction"));
        Assert.Equal("POST http://host/e/*** - 302", LogRedaction.Redact("POST http://host/e/ABCDEFGHJK22 - 302"));
        Assert.Equal("/api/courses/3/evaluation-codes", LogRedaction.Redact("/api/courses/3/evaluation-codes"));
    }

    [Fact]
    public async Task ErasingAParticipantAlsoForgetsWhatIdempotencyKeptSoAReplayCannotRecreateThem()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var body = CourseGiven.ParticipantBody("Ștefan Ionescu", "RO", "stefan.ionescu+work@example.org");
        var created = await (await coordinator.PostAsJsonAsync("/api/participants", body, "create-stefan")).Expect(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();

        await (await coordinator.DeleteAsync($"/api/participants/{id}")).Expect(HttpStatusCode.NoContent);
        var replay = await coordinator.PostAsJsonAsync("/api/participants", body, "create-stefan");

        await replay.ExpectProblem(HttpStatusCode.Conflict);
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants WHERE email LIKE 'stefan%' OR full_name LIKE '%Ionescu'"));
        var kept = db.Query<byte[]>("SELECT body FROM idempotency_keys WHERE body IS NOT NULL").Select(b => Encoding.UTF8.GetString(b)).ToList();
        Assert.DoesNotContain(kept, b => b.Contains("Ionescu", StringComparison.Ordinal) || b.Contains("stefan.ionescu", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SwaggerUiDoesNotKeepTokensInLocalStorage()
    {
        using var anonymous = _app.CreateAnonymousClient();

        var page = await anonymous.GetStringAsync("/swagger/index.html");
        var script = await anonymous.GetAsync("/swagger/index.js");
        var all = page + (script.IsSuccessStatusCode ? await script.Content.ReadAsStringAsync() : string.Empty);

        Assert.Contains("persistAuthorization", all, StringComparison.Ordinal);
        Assert.DoesNotContain("\"persistAuthorization\":true", all.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    public void Dispose() => _app.Dispose();
}
