using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Evaluations;

public sealed class EvaluationSummaryTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task TheSummaryCountsAveragesAndDistributesAnswersAcrossLanguages()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, participants: 4);
        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        using var anonymous = _app.CreateAnonymousClient();
        await (await EvaluationGiven.SubmitAsync(anonymous, codes[0],
            new { relevance = 4, apply = "yes", topics = new[] { "indicators", "health" }, hours = 10, comments = "More case studies" })).Expect(HttpStatusCode.Created);
        await (await EvaluationGiven.SubmitAsync(anonymous, codes[1],
            new { relevance = 5, apply = "no", topics = new[] { "health" }, comments = "Meer tijd voor oefeningen" }, language: "nl")).Expect(HttpStatusCode.Created);
        await (await EvaluationGiven.SubmitAsync(anonymous, codes[2], new { relevance = 3, apply = "yes", hours = 20 })).Expect(HttpStatusCode.Created);
        using var admin = _app.CreateAdminClient(); // admin sees groups under 3 as well (SmallGroupsShowTheirCountOnly)

        var summary = await (await admin.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).Expect(HttpStatusCode.OK);

        Assert.Equal(4, summary.GetProperty("enrolled").GetInt32());
        Assert.Equal(3, summary.GetProperty("responses").GetProperty("reaction").GetInt32());
        Assert.Equal(0, summary.GetProperty("responses").GetProperty("preTest").GetInt32());
        Assert.Equal(0.75, summary.GetProperty("responseRate").GetDouble());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("knowledgeGain").ValueKind);
        var form = summary.GetProperty("forms").EnumerateArray().Single();
        Assert.Equal("reaction", form.GetProperty("purpose").GetString());
        Assert.Equal("en", form.GetProperty("language").GetString()); // the course is in German; the form has en and nl
        Assert.Equal(3, form.GetProperty("responses").GetInt32());

        var relevance = EvaluationGiven.Question(form, "relevance");
        Assert.Equal("The training was relevant.", relevance.GetProperty("text").GetString());
        Assert.Equal(3, relevance.GetProperty("count").GetInt32());
        Assert.Equal(4.0, relevance.GetProperty("mean").GetDouble());
        Assert.Equal(Distribution(("1", 0), ("2", 0), ("3", 1), ("4", 1), ("5", 1)), Read(relevance.GetProperty("distribution")));

        var apply = EvaluationGiven.Question(form, "apply");
        Assert.Equal(3, apply.GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, apply.GetProperty("mean").ValueKind);
        Assert.Equal(Distribution(("yes", 2), ("no", 1)), Read(apply.GetProperty("distribution")));

        var topics = EvaluationGiven.Question(form, "topics");
        Assert.Equal(2, topics.GetProperty("count").GetInt32());
        Assert.Equal(Distribution(("indicators", 1), ("health", 2), ("referral", 0)), Read(topics.GetProperty("distribution")));

        var hours = EvaluationGiven.Question(form, "hours");
        Assert.Equal(2, hours.GetProperty("count").GetInt32());
        Assert.Equal(15.0, hours.GetProperty("mean").GetDouble());
        Assert.Equal(JsonValueKind.Null, hours.GetProperty("distribution").ValueKind);

        var comments = EvaluationGiven.Question(form, "comments");
        Assert.Equal(2, comments.GetProperty("count").GetInt32());
        Assert.Equal(["Meer tijd voor oefeningen", "More case studies"], comments.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).Order().ToArray());

        var dutch = await (await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-summary?lang=nl")).Expect(HttpStatusCode.OK);
        Assert.Equal("De training was relevant.", EvaluationGiven.Question(dutch.GetProperty("forms")[0], "relevance").GetProperty("text").GetString());
    }

    [Fact]
    public async Task KnowledgeGainPairsPreAndPostTestsByCodeAndLeavesPaperTestsUnpaired()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var pre = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("preTest"));
        var post = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("postTest"));
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, pre, post, participants: 5);
        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        using var anonymous = _app.CreateAnonymousClient();
        using var admin = _app.CreateAdminClient();
        async Task Answer(string code, string purpose, object answers) =>
            await (await EvaluationGiven.SubmitAsync(anonymous, code, answers, purpose)).Expect(HttpStatusCode.Created);
        await Answer(codes[0], "preTest", new { q1 = "a", q2 = "a" });   // 0.25
        await Answer(codes[0], "postTest", new { q1 = "a", q2 = "c" });  // 1.00
        await Answer(codes[1], "preTest", new { q1 = "b", q2 = "c" });   // 0.75
        await Answer(codes[1], "postTest", new { q1 = "b", q2 = "c" });  // 0.75
        await Answer(codes[2], "preTest", new { q1 = "a" });             // 0.25, no post test
        await Answer(codes[3], "postTest", new { q1 = "b" });            // 0.00, no pre test
        await (await course.Expert.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations",
            new { purpose = "preTest", language = "en", answers = new { q1 = "a", q2 = "c" } })).Expect(HttpStatusCode.Created); // 1.00 on paper

        var summary = await (await admin.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).Expect(HttpStatusCode.OK);

        var gain = summary.GetProperty("knowledgeGain");
        Assert.Equal(2, gain.GetProperty("pairs").GetInt32());
        Assert.Equal(0.5, gain.GetProperty("meanPre").GetDouble(), 10);
        Assert.Equal(0.875, gain.GetProperty("meanPost").GetDouble(), 10);
        Assert.Equal(0.375, gain.GetProperty("meanGain").GetDouble(), 10);
        Assert.Equal(4, summary.GetProperty("responses").GetProperty("preTest").GetInt32());
        Assert.Equal(3, summary.GetProperty("responses").GetProperty("postTest").GetInt32());
        Assert.Equal(0.0, summary.GetProperty("responseRate").GetDouble()); // no reaction form answered
        var preForm = summary.GetProperty("forms").EnumerateArray().Single(f => f.GetProperty("purpose").GetString() == "preTest");
        Assert.Equal(0.5625, preForm.GetProperty("meanScore").GetDouble(), 10);
        Assert.Equal(1, preForm.GetProperty("paperResponses").GetInt32());
        Assert.Equal(1, summary.GetProperty("paperResponses").GetProperty("preTest").GetInt32());
        Assert.Equal(0, summary.GetProperty("paperResponses").GetProperty("postTest").GetInt32());

        // Two pairs are two people: the others see how many, not their scores.
        var seen = await (await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, seen.GetProperty("knowledgeGain").GetProperty("pairs").GetInt32());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("knowledgeGain").GetProperty("meanGain").ValueKind);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("knowledgeGain").GetProperty("meanPre").ValueKind);
        Assert.Equal(Distribution(("a", 3), ("b", 1), ("c", 0)), Read(EvaluationGiven.Question(preForm, "q1").GetProperty("distribution")));
    }

    [Fact]
    public async Task ACourseWithBothTestsButNoAnswersHasZeroPairs()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var pre = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("preTest"));
        var post = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("postTest"));
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, preTestFormId: pre, postTestFormId: post, participants: 0);

        var summary = await (await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).Expect(HttpStatusCode.OK);

        Assert.Equal(0, summary.GetProperty("knowledgeGain").GetProperty("pairs").GetInt32());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("knowledgeGain").GetProperty("meanGain").ValueKind);
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("responseRate").ValueKind);
        Assert.Equal(0, EvaluationGiven.Question(summary.GetProperty("forms")[0], "q1").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task NoNameAndNoCodeAppearsInTheSummary()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var pre = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("preTest"));
        var post = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("postTest"));
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, pre, post, participants: 6);
        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        using var anonymous = _app.CreateAnonymousClient();
        foreach (var code in codes)
        {
            await (await EvaluationGiven.SubmitAsync(anonymous, code, new { relevance = 4, comments = "Useful days" })).Expect(HttpStatusCode.Created);
            await (await EvaluationGiven.SubmitAsync(anonymous, code, new { q1 = "a" }, "preTest")).Expect(HttpStatusCode.Created);
            await (await EvaluationGiven.SubmitAsync(anonymous, code, new { q1 = "a", q2 = "c" }, "postTest")).Expect(HttpStatusCode.Created);
        }

        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var json = await (await steering.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).Content.ReadAsStringAsync();

        Assert.Contains("\"pairs\":6", json);
        foreach (var code in codes)
        {
            Assert.DoesNotContain(code, json, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(code.Replace("-", ""), json, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var name in EvaluationGiven.ParticipantNames)
        {
            Assert.DoesNotContain(name, json);
            Assert.DoesNotContain(name.Split(' ')[1], json);
        }

        Assert.DoesNotContain("@example.org", json);
        Assert.DoesNotContain("participantId", json);
    }

    [Fact]
    public async Task TheSummaryIsReadByTheCoursesCountryAndTheProgrammeButNotOtherCountries()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        using var otherAustrian = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        using var dutch = await _app.CreateClientAsync(Role.CountryExpert, "NL");
        using var anonymous = _app.CreateAnonymousClient();

        await (await steering.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).Expect(HttpStatusCode.OK);
        await (await course.Expert.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).Expect(HttpStatusCode.OK);
        await (await otherAustrian.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).Expect(HttpStatusCode.OK);
        await (await dutch.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/courses/9999/evaluation-summary")).ExpectProblem(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    private static Dictionary<string, int> Distribution(params (string Value, int Count)[] buckets) =>
        buckets.ToDictionary(b => b.Value, b => b.Count);

    private static Dictionary<string, int> Read(JsonElement distribution) =>
        distribution.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    public void Dispose() => _app.Dispose();
}
