using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Evaluations;

/// <summary>Codes, and what a participant holding one can do without a token.</summary>
public sealed class EvaluationCodesTests : IDisposable
{
    private const string CodePattern = "^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{4}-[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{4}-[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{4}$";
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task CodesComeInBatchesOfAtLeastFiveInRandomOrderAndAreListedInCodeOrder()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, participants: 40);

        var response = await coordinator.PostAsync($"/api/courses/{course.Id}/evaluation-codes", null);

        var batch = await response.Expect(HttpStatusCode.Created);
        var batchId = batch.GetProperty("batchId").GetInt32();
        var codes = batch.GetProperty("codes").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToList();
        Assert.Equal($"/api/courses/{course.Id}/evaluation-codes/{batchId}", response.Headers.Location?.ToString());
        Assert.Equal(40, codes.Count);
        Assert.Equal(40, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches(CodePattern, c));
        Assert.NotEqual(codes.Order(StringComparer.Ordinal).ToList(), codes); // shuffled: 1 in 40! to be sorted by chance
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", batch.GetProperty("issuedOn").GetString());

        // A late enrolment gets no code of its own: the next batch is at least 5, so its code is one of 5.
        await EvaluationGiven.EnrolAsync(_app, course.Id);
        var late = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        Assert.Equal(5, late.Count);
        Assert.Empty(late.Intersect(codes));
        var chosen = await (await coordinator.PostAsJsonAsync($"/api/courses/{course.Id}/evaluation-codes", new { count = 7 })).Expect(HttpStatusCode.Created);
        Assert.Equal(7, chosen.GetProperty("codes").GetArrayLength());

        var all = await (await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-codes")).Expect(HttpStatusCode.OK);
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        var first = all.GetProperty("items")[0];
        Assert.Equal(batchId, first.GetProperty("batchId").GetInt32());
        Assert.Equal(codes.Order(StringComparer.Ordinal).ToList(), first.GetProperty("codes").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToList());
        var one = await (await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-codes/{batchId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(first.GetProperty("codes").GetRawText(), one.GetProperty("codes").GetRawText());
        await (await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-codes/999999")).ExpectProblem(HttpStatusCode.NotFound);
        using var db = _app.OpenDatabase();
        Assert.Equal(52, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_codes WHERE course_id = @Id", new { course.Id }));
        Assert.Equal([40L, 5L, 7L], db.Query<long>("SELECT code_count FROM evaluation_code_batches WHERE course_id = @Id ORDER BY id", new { course.Id }).ToArray());
        // No audit row per code: its time beside an enrolment's time would say whose it is.
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE entity = 'evaluationCode'"));
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_codes WHERE length(created_at) > 10"));
    }

    [Theory]
    [InlineData("{\"count\":4}", "count")]
    [InlineData("{\"count\":501}", "count")]
    [InlineData("{\"count\":\"ten\"}", "count")]
    public async Task ABatchOfFewerThanFiveOrAbsurdlyManyCodesIsRefused(string body, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, participants: 2);

        var response = await coordinator.PostAsync($"/api/courses/{course.Id}/evaluation-codes", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ExpectProblem(HttpStatusCode.BadRequest, field);
        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_codes"));
        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_code_batches"));
    }

    [Fact]
    public async Task ACourseWithoutAReactionFormGetsNoCodes()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, participants: 2);

        var problem = await (await coordinator.PostAsync($"/api/courses/{course.Id}/evaluation-codes", null)).ExpectProblem(HttpStatusCode.Conflict);

        Assert.Contains("reaction form", problem.GetProperty("detail").GetString());
        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_codes"));
    }

    [Fact]
    public async Task CodesAreStoredPerCourseAndNeverWithAParticipant()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, participants: 3);
        await EvaluationGiven.CodesAsync(coordinator, course.Id);

        using var db = _app.OpenDatabase();
        var columns = Columns(db, "evaluation_codes");
        Assert.Equal(["id", "course_id", "code", "created_at", "batch_id"], columns);
        var responseColumns = Columns(db, "evaluation_responses");
        Assert.DoesNotContain(responseColumns, c => c.Contains("participant", StringComparison.Ordinal));
        Assert.Equal(5, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_codes WHERE course_id = @Id", new { course.Id }));
    }

    /// <summary>The columns of <paramref name="table"/> in their order, on either engine.</summary>
    private static List<string> Columns(System.Data.Common.DbConnection db, string table) =>
        db.Query<string>(
            TestEngine.IsPostgres
                ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table ORDER BY ordinal_position"
                : "SELECT name FROM pragma_table_info(@table)",
            new { table }).ToList();

    [Fact]
    public async Task TheCoursesExpertIssuesCodesOthersMayNot()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, participants: 2);
        using var otherAustrian = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        using var dutch = await _app.CreateClientAsync(Role.CountryExpert, "NL");
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);

        await (await dutch.PostAsync($"/api/courses/{course.Id}/evaluation-codes", null)).ExpectProblem(HttpStatusCode.NotFound);
        await (await otherAustrian.PostAsync($"/api/courses/{course.Id}/evaluation-codes", null)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await steering.PostAsync($"/api/courses/{course.Id}/evaluation-codes", null)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await dutch.GetAsync($"/api/courses/{course.Id}/evaluation-codes")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_codes"));

        var codes = await EvaluationGiven.CodesAsync(course.Expert, course.Id);
        Assert.Equal(5, codes.Count);
    }

    [Fact]
    public async Task WhenACourseNamesNoExpertAnyExpertOfItsCountryStandsIn()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, participants: 2, assignExpert: false);
        using var austrian = await _app.CreateClientAsync(Role.CountryExpert, "AT");

        var codes = await EvaluationGiven.CodesAsync(austrian, course.Id);

        Assert.Equal(5, codes.Count);
    }

    [Theory]
    [InlineData("draft")]
    [InlineData("cancelled")]
    [InlineData("evaluated")]
    public async Task CodesAreIssuedOnlyForCoursesThatRun(string status)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, status: status);

        await (await coordinator.PostAsync($"/api/courses/{course.Id}/evaluation-codes", null)).ExpectProblem(HttpStatusCode.Conflict);
        await (await coordinator.PostAsync("/api/courses/9999/evaluation-codes", null)).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_codes"));
    }

    [Fact]
    public async Task AParticipantReadsTheFormInTheCourseLanguageWithoutAToken()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var pre = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("preTest"));
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, pre, country: "NL", language: "nl");
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var anonymous = _app.CreateAnonymousClient();

        var form = await (await anonymous.GetAsync($"/api/evaluations/form?code={code}&purpose=reaction")).Expect(HttpStatusCode.OK);
        var test = await anonymous.GetAsync($"/api/evaluations/form?code={code.ToLowerInvariant().Replace("-", " ")}&purpose=preTest&lang=en");

        Assert.Equal("nl", form.GetProperty("language").GetString());
        Assert.Equal("De training was relevant.", EvaluationGiven.Question(form, "relevance").GetProperty("text").GetString());
        Assert.Equal("Nee", EvaluationGiven.Question(form, "apply").GetProperty("options")[1].GetProperty("text").GetString());
        var body = await test.Content.ReadAsStringAsync();
        var testForm = await test.Expect(HttpStatusCode.OK);
        Assert.Equal("Question q1", EvaluationGiven.Question(testForm, "q1").GetProperty("text").GetString());
        Assert.DoesNotContain("correctOption", body);
        Assert.DoesNotContain("points", body);
        Assert.DoesNotContain("Pilot course", body); // nothing of the course beyond its form
    }

    [Fact]
    public async Task UnknownMalformedAndUsedCodesAreProblems()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var anonymous = _app.CreateAnonymousClient();

        await (await anonymous.GetAsync("/api/evaluations/form?code=ABCD-EFGH-JKMN")).ExpectProblem(HttpStatusCode.NotFound);
        await (await EvaluationGiven.SubmitAsync(anonymous, "ABCD-EFGH-JKMN", new { relevance = 4 })).ExpectProblem(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync("/api/evaluations/form?code=0000-1111")).ExpectProblem(HttpStatusCode.BadRequest, "code");
        await (await anonymous.GetAsync("/api/evaluations/form")).ExpectProblem(HttpStatusCode.BadRequest, "code");
        await (await EvaluationGiven.SubmitAsync(anonymous, "I-O-L", new { relevance = 4 })).ExpectProblem(HttpStatusCode.BadRequest, "code");
        await (await anonymous.GetAsync($"/api/evaluations/form?code={code}&purpose=exam")).ExpectProblem(HttpStatusCode.BadRequest, "purpose");
        await (await anonymous.GetAsync($"/api/evaluations/form?code={code}&purpose=preTest")).ExpectProblem(HttpStatusCode.NotFound);

        await (await EvaluationGiven.SubmitAsync(anonymous, code, new { relevance = 4 })).Expect(HttpStatusCode.Created);
        // Reading a used code's form shows the form (no probe of which slips were used, issue 23); answering again says so.
        await (await anonymous.GetAsync($"/api/evaluations/form?code={code}")).Expect(HttpStatusCode.OK);
        var used = await EvaluationGiven.SubmitAsync(anonymous, code, new { relevance = 5 });
        var problem = await used.ExpectProblem(HttpStatusCode.Conflict);
        Assert.Contains("already been used", problem.GetProperty("detail").GetString());
        Assert.Equal(1, EvaluationGiven.Count(_app, "evaluation_responses"));
    }

    [Fact]
    public async Task ACodeIsUsedOncePerPurposeSoPreAndPostTestPairUp()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var pre = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("preTest"));
        var post = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("postTest"));
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, pre, post);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var anonymous = _app.CreateAnonymousClient();

        var before = await (await EvaluationGiven.SubmitAsync(anonymous, code, new { q1 = "a", q2 = "a" }, "preTest")).Expect(HttpStatusCode.Created);
        var after = await (await EvaluationGiven.SubmitAsync(anonymous, code.ToLowerInvariant(), new { q1 = "a", q2 = "c" }, "postTest")).Expect(HttpStatusCode.Created);
        var reacted = await EvaluationGiven.SubmitAsync(anonymous, code, new { relevance = 5 }, "reaction");

        Assert.Equal(0.25, before.GetProperty("score").GetDouble());
        Assert.Equal(1.0, after.GetProperty("score").GetDouble());
        var receipt = await reacted.Expect(HttpStatusCode.Created);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, receipt.GetProperty("score").ValueKind);
        Assert.Null(reacted.Headers.Location);
        Assert.DoesNotContain(code, await reacted.Content.ReadAsStringAsync());
        await (await EvaluationGiven.SubmitAsync(anonymous, code, new { q1 = "b", q2 = "b" }, "preTest")).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal(3, EvaluationGiven.Count(_app, "evaluation_responses"));
        using var db = _app.OpenDatabase();
        // The tests keep their code, to pair; the reaction does not.
        Assert.Equal(["postTest", "preTest"], db.Query<string>("SELECT purpose FROM evaluation_responses WHERE code_id IS NOT NULL ORDER BY purpose").ToArray());
        Assert.Equal(3, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_code_uses"));
    }

    [Fact]
    public async Task EightConcurrentSubmissionsOfOneCodeGiveExactlyOneCreated()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        var clients = Enumerable.Range(0, 8).Select(_ => _app.CreateAnonymousClient()).ToList();
        using var start = new ManualResetEventSlim();

        var racers = clients.Select((client, i) => Task.Run(async () =>
        {
            start.Wait();
            return await EvaluationGiven.SubmitAsync(client, code, new { relevance = 1 + (i % 5), comments = $"racer {i}" });
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(racers);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            await conflict.ExpectProblem(HttpStatusCode.Conflict);
        }

        using var db = _app.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_responses"));
        Assert.Equal(2, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_answers"));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task ACourseThatNoLongerRunsTakesNoAnswers()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        EvaluationGiven.SetCourseStatus(_app, course.Id, "evaluated");
        using var anonymous = _app.CreateAnonymousClient();

        await (await EvaluationGiven.SubmitAsync(anonymous, code, new { relevance = 4 })).ExpectProblem(HttpStatusCode.Conflict);

        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_responses"));
    }

    public void Dispose() => _app.Dispose();
}

public sealed class AnonymousRateLimitTests : IDisposable
{
    private readonly JointEffortsApp _app = new(settings: new Dictionary<string, string?>
    {
        ["JointEfforts:RateLimits:AnonymousPerMinute"] = "3",
    });

    [Fact]
    public async Task GuessingCodesIsRateLimitedWith429AndRetryAfter()
    {
        using var anonymous = _app.CreateAnonymousClient();

        for (var i = 0; i < 3; i++)
        {
            var guess = $"ABCD-EFGH-JK{i + 2}{i + 2}";
            await (await anonymous.GetAsync($"/api/evaluations/form?code={guess}")).ExpectProblem(HttpStatusCode.NotFound);
        }

        var limited = await anonymous.PostAsJsonAsync("/api/evaluations", new { code = "ABCD-EFGH-JK99", language = "en", answers = new { } });

        await limited.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // Staff routes are not counted against the anonymous limit.
        using var admin = _app.CreateAdminClient();
        await (await admin.GetAsync("/api/evaluation-forms")).Expect(HttpStatusCode.OK);
    }

    public void Dispose() => _app.Dispose();
}
