using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Evaluations;

public sealed class EvaluationFormsTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task AFormIsStoredInEveryLanguageAndReadBackInOne()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var response = await coordinator.PostAsJsonAsync("/api/evaluation-forms", EvaluationGiven.ReactionForm());

        var form = await response.Expect(HttpStatusCode.Created);
        var id = form.GetProperty("id").GetInt32();
        Assert.Equal($"/api/evaluation-forms/{id}", response.Headers.Location?.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("reaction", form.GetProperty("purpose").GetString());
        Assert.False(form.GetProperty("frozen").GetBoolean());
        Assert.Equal(["relevance", "apply", "topics", "hours", "comments"], form.GetProperty("questions").EnumerateArray().Select(q => q.GetProperty("key").GetString()!).ToArray());
        var apply = EvaluationGiven.Question(form, "apply");
        Assert.Equal("singleChoice", apply.GetProperty("type").GetString());
        Assert.Equal("behaviour", apply.GetProperty("level").GetString());
        Assert.Equal("Gaat u het toepassen?", apply.GetProperty("text").GetProperty("nl").GetString());
        Assert.Equal("Nee", apply.GetProperty("options")[1].GetProperty("text").GetProperty("nl").GetString());

        var dutch = await (await coordinator.GetAsync($"/api/evaluation-forms/{id}?lang=nl")).Expect(HttpStatusCode.OK);
        Assert.Equal("nl", dutch.GetProperty("language").GetString());
        Assert.Equal("De training was relevant.", EvaluationGiven.Question(dutch, "relevance").GetProperty("text").GetString());
        Assert.Equal("Ja", EvaluationGiven.Question(dutch, "apply").GetProperty("options")[0].GetProperty("text").GetString());
        Assert.True(EvaluationGiven.Question(dutch, "relevance").GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task AMissingTranslationIsAProblemNamingTheQuestionAndLanguageAndStoresNothing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(EvaluationGiven.ReactionForm()))!;
        body["questions"]![1]!["text"]!.AsObject().Remove("nl");

        var response = await coordinator.PostAsync("/api/evaluation-forms", Http.RawJson(body.ToJsonString()));

        var problem = await response.ExpectProblem(HttpStatusCode.BadRequest, "questions[1].text.nl");
        Assert.Contains("nl", problem.GetProperty("errors").GetProperty("questions[1].text.nl")[0].GetString());
        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_forms"));
        Assert.Equal(0, EvaluationGiven.Count(_app, "form_questions"));
    }

    [Theory]
    [InlineData("""{"title":"T","languages":["en"],"questions":[{"key":"q","type":"singleChoice","level":"reaction","text":{"en":"Q"}}]}""", "questions[0].options")]
    [InlineData("""{"title":"T","languages":["en"],"questions":[{"key":"q","type":"likert5","level":"reaction","text":{"en":"Q"},"options":[{"value":"a","text":{"en":"A"}},{"value":"b","text":{"en":"B"}}]}]}""", "questions[0].options")]
    [InlineData("""{"title":"T","languages":["en"],"questions":[{"key":"q","type":"singleChoice","level":"reaction","text":{"en":"Q"},"options":[{"value":"a","text":{"en":"A"}},{"value":"b","text":{}}]}]}""", "questions[0].options[1].text.en")]
    [InlineData("""{"title":"T","purpose":"preTest","languages":["en"],"questions":[{"key":"q","type":"singleChoice","level":"learning","text":{"en":"Q"},"options":[{"value":"a","text":{"en":"A"}},{"value":"b","text":{"en":"B"}}],"points":1}]}""", "questions[0].correctOption")]
    [InlineData("""{"title":"T","purpose":"postTest","languages":["en"],"questions":[{"key":"q","type":"singleChoice","level":"learning","text":{"en":"Q"},"options":[{"value":"a","text":{"en":"A"}},{"value":"b","text":{"en":"B"}}],"correctOption":"z","points":1}]}""", "questions[0].correctOption")]
    [InlineData("""{"title":"T","purpose":"preTest","languages":["en"],"questions":[{"key":"q","type":"text","level":"learning","text":{"en":"Q"}}]}""", "questions[0].type")]
    [InlineData("""{"title":"T","languages":["en"],"questions":[{"key":"q","type":"likert5","level":"reaction","text":{"en":"Q"},"points":2}]}""", "questions[0].points")]
    [InlineData("""{"title":"T","languages":["en"],"questions":[{"key":"q","type":"likert5","text":{"en":"Q"}},{"key":"q","type":"text","text":{"en":"R"}}]}""", "questions[1].key")]
    [InlineData("""{"title":"T","languages":["en"],"questions":[{"key":"Q.1","type":"likert5","text":{"en":"Q"}}]}""", "questions[0].key")]
    [InlineData("""{"title":"T","languages":["en"],"questions":[{"key":"q","type":"stars","text":{"en":"Q"}}]}""", "questions[0].type")]
    [InlineData("""{"title":"T","languages":["en"],"questions":[{"key":"q","type":"likert5","level":"feelings","text":{"en":"Q"}}]}""", "questions[0].level")]
    [InlineData("""{"title":"T","languages":["xx"],"questions":[{"key":"q","type":"likert5","text":{"xx":"Q"}}]}""", "languages")]
    [InlineData("""{"title":"T","languages":["en"],"questions":[{"key":"q","type":"likert5","text":{"en":"Q","fr":"Q"}}]}""", "questions[0].text.fr")]
    [InlineData("""{"title":"T","languages":["en"],"questions":[]}""", "questions")]
    [InlineData("""{"languages":["en"],"questions":[{"key":"q","type":"likert5","text":{"en":"Q"}}]}""", "title")]
    [InlineData("""{"title":"T","purpose":"exam","languages":["en"],"questions":[{"key":"q","type":"likert5","text":{"en":"Q"}}]}""", "purpose")]
    [InlineData("""{"title":"T","languages":"en","questions":[{"key":"q","type":"likert5","text":{"en":"Q"}}]}""", "languages")]
    [InlineData("""{"title":"T","languages":["en"],"questions":[{"key":"q","type":"likert5","required":"yes","text":{"en":"Q"}}]}""", "questions[0].required")]
    public async Task BadFormsAreProblemsNamingTheFieldAndStoreNothing(string json, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var response = await coordinator.PostAsync("/api/evaluation-forms", Http.RawJson(json));

        await response.ExpectProblem(HttpStatusCode.BadRequest, field);
        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_forms"));
    }

    [Fact]
    public async Task AKnowledgeTestKeepsItsRightAnswersAndPoints()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var form = await (await coordinator.PostAsJsonAsync("/api/evaluation-forms", EvaluationGiven.KnowledgeTest("preTest"))).Expect(HttpStatusCode.Created);

        Assert.Equal("preTest", form.GetProperty("purpose").GetString());
        Assert.Equal("c", EvaluationGiven.Question(form, "q2").GetProperty("correctOption").GetString());
        Assert.Equal(3.0, EvaluationGiven.Question(form, "q2").GetProperty("points").GetDouble());
    }

    [Fact]
    public async Task AskingForALanguageTheFormDoesNotDeclareIsAProblem()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());

        await (await coordinator.GetAsync($"/api/evaluation-forms/{id}?lang=sv")).ExpectProblem(HttpStatusCode.BadRequest, "lang");
    }

    [Fact]
    public async Task AFormWithAnswersIsFrozenAndIsCopiedIntoANewEditableVersion()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var formId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reactionFormId: formId);
        var code = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var anonymous = _app.CreateAnonymousClient();
        await (await EvaluationGiven.SubmitAsync(anonymous, code, new { relevance = 4 })).Expect(HttpStatusCode.Created);

        var put = await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{formId}", EvaluationGiven.ReactionForm("Changed"));

        var problem = await put.ExpectProblem(HttpStatusCode.Conflict);
        Assert.Contains("copy", problem.GetProperty("detail").GetString());
        var frozen = await (await coordinator.GetAsync($"/api/evaluation-forms/{formId}")).Expect(HttpStatusCode.OK);
        Assert.True(frozen.GetProperty("frozen").GetBoolean());
        Assert.Equal("Pilot course evaluation", frozen.GetProperty("title").GetString());

        var copied = await coordinator.PostAsync($"/api/evaluation-forms/{formId}/copy", null);
        var copy = await copied.Expect(HttpStatusCode.Created);
        var copyId = copy.GetProperty("id").GetInt32();
        Assert.NotEqual(formId, copyId);
        Assert.Equal($"/api/evaluation-forms/{copyId}", copied.Headers.Location?.ToString());
        Assert.Equal(formId, copy.GetProperty("copiedFromId").GetInt32());
        Assert.False(copy.GetProperty("frozen").GetBoolean());
        Assert.Equal(5, copy.GetProperty("questions").GetArrayLength());
        Assert.Equal("Nee", EvaluationGiven.Question(copy, "apply").GetProperty("options")[1].GetProperty("text").GetProperty("nl").GetString());

        var edited = await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{copyId}", EvaluationGiven.ReactionForm("Version 2"), copied.Headers.ETag!.Tag);
        Assert.Equal("Version 2", (await edited.Expect(HttpStatusCode.OK)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task AStaleIfMatchIs412AndChangesNothing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var created = await coordinator.PostAsJsonAsync("/api/evaluation-forms", EvaluationGiven.ReactionForm());
        var id = (await created.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        var etag = created.Headers.ETag!.Tag;
        await (await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{id}", EvaluationGiven.ReactionForm("Second"), etag)).Expect(HttpStatusCode.OK);

        var stale = await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{id}", EvaluationGiven.ReactionForm("Third"), etag);

        await stale.ExpectProblem(HttpStatusCode.PreconditionFailed);
        var form = await (await coordinator.GetAsync($"/api/evaluation-forms/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Second", form.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AFormThatACourseUsesKeepsItsPurpose()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var formId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        await EvaluationGiven.CourseAsync(_app, coordinator, reactionFormId: formId, participants: 0);

        var response = await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{formId}", EvaluationGiven.KnowledgeTest("postTest"));

        await response.ExpectProblem(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData(Role.CountryExpert)]
    [InlineData(Role.SteeringGroup)]
    public async Task OnlyCoordinatorsWriteFormsButEveryRoleReadsThem(Role role)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        using var other = await _app.CreateClientAsync(role);

        await (await other.PostAsJsonAsync("/api/evaluation-forms", EvaluationGiven.ReactionForm())).ExpectProblem(HttpStatusCode.Forbidden);
        await (await other.PutAsJsonAsync($"/api/evaluation-forms/{id}", EvaluationGiven.ReactionForm())).ExpectProblem(HttpStatusCode.Forbidden);
        await (await other.PostAsync($"/api/evaluation-forms/{id}/copy", null)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await other.GetAsync($"/api/evaluation-forms/{id}?lang=en")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, EvaluationGiven.Count(_app, "evaluation_forms"));
    }

    [Fact]
    public async Task FormsAreListedByIdAndFilteredByPurpose()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("preTest"));
        await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("postTest"));

        var all = await (await coordinator.GetAsync("/api/evaluation-forms?pageSize=2")).Expect(HttpStatusCode.OK);
        var tests = await (await coordinator.GetAsync("/api/evaluation-forms?purpose=preTest")).Expect(HttpStatusCode.OK);

        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(["reaction", "preTest"], all.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("purpose").GetString()!).ToArray());
        Assert.Equal(5, all.GetProperty("items")[0].GetProperty("questionCount").GetInt32());
        Assert.Equal(1, tests.GetProperty("total").GetInt32());
        Assert.Equal("Knowledge before", tests.GetProperty("items")[0].GetProperty("title").GetString());
        await (await coordinator.GetAsync("/api/evaluation-forms?purpose=exam")).ExpectProblem(HttpStatusCode.BadRequest, "purpose");
    }

    [Fact]
    public async Task UnknownFormsAreNotFound()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        await (await coordinator.GetAsync("/api/evaluation-forms/404")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PutAsJsonAsync("/api/evaluation-forms/404", EvaluationGiven.ReactionForm())).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PostAsync("/api/evaluation-forms/404/copy", null)).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnUpdateReplacesTheQuestions()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());

        await (await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{id}", EvaluationGiven.KnowledgeTest("preTest"))).Expect(HttpStatusCode.OK);

        using var db = _app.OpenDatabase();
        Assert.Equal(["q1", "q2"], db.Query<string>("SELECT question_key FROM form_questions WHERE form_id = @id ORDER BY position", new { id }).ToArray());
    }

    public void Dispose() => _app.Dispose();
}
