using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Evaluations;

/// <summary>Answers checked against the form, online and on paper.</summary>
public sealed class EvaluationAnswersTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Theory]
    [InlineData("""{"relevance":6}""", "answers.relevance")]
    [InlineData("""{"relevance":0}""", "answers.relevance")]
    [InlineData("""{"relevance":3.5}""", "answers.relevance")]
    [InlineData("""{"relevance":"4"}""", "answers.relevance")]
    [InlineData("""{"relevance":null}""", "answers.relevance")]
    [InlineData("""{"apply":"yes"}""", "answers.relevance")]
    [InlineData("""{"relevance":4,"apply":"maybe"}""", "answers.apply")]
    [InlineData("""{"relevance":4,"apply":["yes"]}""", "answers.apply")]
    [InlineData("""{"relevance":4,"topics":"health"}""", "answers.topics")]
    [InlineData("""{"relevance":4,"topics":["health","health"]}""", "answers.topics")]
    [InlineData("""{"relevance":4,"topics":["health","cooking"]}""", "answers.topics")]
    [InlineData("""{"relevance":4,"hours":"ten"}""", "answers.hours")]
    [InlineData("""{"relevance":4,"comments":42}""", "answers.comments")]
    [InlineData("""{"relevance":4,"q9":1}""", "answers.q9")]
    public async Task AnswersAreCheckedAgainstTheFormAndTheCodeStaysUnused(string answers, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var anonymous = _app.CreateAnonymousClient();

        var response = await anonymous.PostAsync("/api/evaluations", Http.RawJson($$"""{"code":"{{code}}","language":"en","answers":{{answers}}}"""));

        await response.ExpectProblem(HttpStatusCode.BadRequest, field);
        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_responses"));
        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_answers"));
        await (await EvaluationGiven.SubmitAsync(anonymous, code, new { relevance = 4 })).Expect(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("""{"code":"ABCD-EFGH-JKMN","language":"en"}""", "answers")]
    [InlineData("""{"code":"ABCD-EFGH-JKMN","language":"english","answers":{}}""", "language")]
    [InlineData("""{"language":"en","answers":{}}""", "code")]
    [InlineData("""{"code":"ABCD-EFGH-JKMN","language":"en","answers":[1,2]}""", "answers")]
    [InlineData("""{"code":"ABCD-EFGH-JKMN","purpose":"exam","language":"en","answers":{}}""", "purpose")]
    [InlineData("""{"code":12,"language":"en","answers":{}}""", "code")]
    [InlineData("""{ not json""", "body")]
    public async Task MalformedSubmissionsNameTheField(string json, string field)
    {
        using var anonymous = _app.CreateAnonymousClient();

        await (await anonymous.PostAsync("/api/evaluations", Http.RawJson(json))).ExpectProblem(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task AWrongContentTypeIs415()
    {
        using var anonymous = _app.CreateAnonymousClient();

        var response = await anonymous.PostAsync("/api/evaluations", new StringContent("code=X", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.ExpectProblem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task EveryWrongAnswerIsNamedAtOnceAndALanguageOutsideTheFormIsRefused()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var anonymous = _app.CreateAnonymousClient();

        var problem = await (await EvaluationGiven.SubmitAsync(anonymous, code, new { apply = "maybe", hours = "x" })).ExpectProblem(HttpStatusCode.BadRequest);
        var swedish = await EvaluationGiven.SubmitAsync(anonymous, code, new { relevance = 3 }, language: "sv");

        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToArray();
        Assert.Equal(["answers.apply", "answers.hours", "answers.relevance"], errors);
        Assert.Equal("An answer is required.", problem.GetProperty("errors").GetProperty("answers.relevance")[0].GetString());
        await swedish.ExpectProblem(HttpStatusCode.BadRequest, "language");
    }

    [Fact]
    public async Task EveryTypeOfAnswerIsStoredWithoutItsCodeAndNoRouteReadsItBack()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var anonymous = _app.CreateAnonymousClient();

        var submitted = await EvaluationGiven.SubmitAsync(anonymous, code,
            new { relevance = 5, apply = "yes", topics = new[] { "referral", "health" }, hours = 12.5, comments = "  More case studies.  " }, language: "nl");

        var receipt = await submitted.Expect(HttpStatusCode.Created);
        // The receipt: purpose, language, score; no id, no time, no Location to read the response from.
        Assert.Equal(["purpose", "language", "score"], receipt.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Null(submitted.Headers.Location);
        using var db = _app.OpenDatabase();
        var stored = db.QuerySingle<(long Id, long? CodeId, string Source, string SubmittedAt)>(
            "SELECT id, code_id, source, submitted_at FROM evaluation_responses");
        Assert.Null(stored.CodeId); // a reaction keeps no link to its code...
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_code_uses WHERE purpose = 'reaction'")); // ...which is only marked used
        Assert.Equal("online", stored.Source);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", stored.SubmittedAt); // a date, no time
        var answers = db.Query<(string Key, string? Option, double? Number, string? Text)>(
            "SELECT question_key, option_value, number_value, text_value FROM evaluation_answers WHERE response_id = @Id ORDER BY question_key, option_value",
            new { stored.Id }).ToList();
        Assert.Equal(
            [("apply", "yes", null, null), ("comments", null, null, "More case studies."), ("hours", null, 12.5, null),
             ("relevance", null, 5.0, null), ("topics", "health", null, null), ("topics", "referral", null, null)],
            answers.Select(a => (a.Key, a.Option, a.Number, a.Text)).ToList());
        await (await coordinator.GetAsync($"/api/evaluations/{stored.Id}")).ExpectProblem(HttpStatusCode.NotFound);
        using var admin = _app.CreateAdminClient();
        await (await admin.GetAsync($"/api/evaluations/{stored.Id}")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ThePaperFormsOfACourseAreEnteredByItsExpertOrACoordinator()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var pre = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("preTest"));
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, pre);

        var byExpert = await course.Expert.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations", new { language = "en", answers = new { relevance = 2 } });
        var byCoordinator = await coordinator.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations", new { purpose = "preTest", language = "nl", answers = new { q1 = "b", q2 = "c" } });

        var paper = await byExpert.Expect(HttpStatusCode.Created);
        Assert.Equal($"/api/courses/{course.Id}/evaluation-summary", byExpert.Headers.Location?.ToString());
        Assert.Equal(["purpose", "language", "score"], paper.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(0.75, (await byCoordinator.Expect(HttpStatusCode.Created)).GetProperty("score").GetDouble());
        using var db = _app.OpenDatabase();
        Assert.Equal(2, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_responses WHERE code_id IS NULL AND source = 'paper'"));
    }

    [Fact]
    public async Task PaperAndCodedAnswersTogetherNeverExceedTheEnrolledPerPurpose()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var pre = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("preTest"));
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, pre, participants: 3);
        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id); // 5: a batch is never smaller
        using var anonymous = _app.CreateAnonymousClient();
        var paper = new { language = "en", answers = new { relevance = 5 } };

        await (await course.Expert.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations", paper)).Expect(HttpStatusCode.Created);
        await (await EvaluationGiven.SubmitAsync(anonymous, codes[0], new { relevance = 3 })).Expect(HttpStatusCode.Created);
        await (await course.Expert.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations", paper)).Expect(HttpStatusCode.Created);

        var fourthPaper = await course.Expert.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations", paper);
        var fourthCoded = await EvaluationGiven.SubmitAsync(anonymous, codes[1], new { relevance = 5 });

        Assert.Contains("3 enrolled", (await fourthPaper.ExpectProblem(HttpStatusCode.Conflict)).GetProperty("detail").GetString());
        await fourthCoded.ExpectProblem(HttpStatusCode.Conflict);
        // The refused code stays unused, and another purpose has its own room.
        await (await anonymous.GetAsync($"/api/evaluations/form?code={codes[1]}")).Expect(HttpStatusCode.OK);
        await (await EvaluationGiven.SubmitAsync(anonymous, codes[1], new { q1 = "a" }, "preTest")).Expect(HttpStatusCode.Created);
        using var db = _app.OpenDatabase();
        Assert.Equal(3, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_responses WHERE purpose = 'reaction'"));
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_code_uses WHERE purpose = 'reaction'"));
    }

    [Fact]
    public async Task PaperFormsFollowTheSameRulesAndOnlyTheCoursesPeopleEnterThem()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        using var dutch = await _app.CreateClientAsync(Role.CountryExpert, "NL");
        using var otherAustrian = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var body = new { language = "en", answers = new { relevance = 4 } };

        await (await course.Expert.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations", new { language = "en", answers = new { relevance = 9 } }))
            .ExpectProblem(HttpStatusCode.BadRequest, "answers.relevance");
        await (await course.Expert.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations", new { purpose = "postTest", language = "en", answers = new { } }))
            .ExpectProblem(HttpStatusCode.Conflict);
        await (await dutch.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations", body)).ExpectProblem(HttpStatusCode.NotFound);
        await (await otherAustrian.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations", body)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await steering.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations", body)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await coordinator.PostAsJsonAsync("/api/courses/9999/evaluations", body)).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_responses"));
    }

    [Fact]
    public async Task AKnowledgeTestScoreIsPointsEarnedOverPointsPossible()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var post = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("postTest"));
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, postTestFormId: post);
        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        using var anonymous = _app.CreateAnonymousClient();

        double Score(JsonElement receipt) => receipt.GetProperty("score").GetDouble();
        Assert.Equal(1.0, Score(await (await EvaluationGiven.SubmitAsync(anonymous, codes[0], new { q1 = "a", q2 = "c" }, "postTest")).Expect(HttpStatusCode.Created)));
        Assert.Equal(0.75, Score(await (await EvaluationGiven.SubmitAsync(anonymous, codes[1], new { q1 = "b", q2 = "c" }, "postTest")).Expect(HttpStatusCode.Created)));
        Assert.Equal(0.25, Score(await (await EvaluationGiven.SubmitAsync(anonymous, codes[2], new { q1 = "a" }, "postTest")).Expect(HttpStatusCode.Created)));
        Assert.Equal(0.0, Score(await (await EvaluationGiven.SubmitAsync(anonymous, codes[3], new { }, "postTest")).Expect(HttpStatusCode.Created)));
    }

    public void Dispose() => _app.Dispose();
}
