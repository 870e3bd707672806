using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JointEfforts.Tests.Foundation;

/// <summary>
/// API.md "Conventions": strict bodies, PUT as full replacement, errors that teach, forgiving case,
/// dates within 1900..2100, no control characters, no null list entries, numbers without noise.
/// </summary>
public sealed class ContractTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    private static string[] Messages(JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()!).ToArray();

    private long Count(string table)
    {
        using var db = _app.OpenDatabase();
        return db.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table}");
    }

    [Theory]
    [InlineData("maxParticpants", "20")]
    [InlineData("id", "7")]
    [InlineData("status", "\"open\"")]
    [InlineData("createdAt", "\"2020-01-01T00:00:00Z\"")]
    public async Task APropertyTheCourseDoesNotTakeIsRefusedByName(string property, string value)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var body = JsonSerializer.Serialize(CourseGiven.CourseBody())[..^1] + $",\"{property}\":{value}}}";

        var problem = await (await coordinator.PostAsync($"/api/projects/{projectId}/courses", Http.RawJson(body)))
            .ExpectProblem(HttpStatusCode.BadRequest, property);

        Assert.Contains($"'{property}' is not a field of this request", Messages(problem, property)[0]);
        Assert.Contains("maxParticipants", Messages(problem, property)[0]); // the fields it does take are listed
        Assert.Equal(0, Count("courses"));
    }

    [Fact]
    public async Task AKeyGivenTwiceIsRefusedByName()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        const string body = """{"fullName":"Ana Popescu","fullName":"Someone Else","organisation":"Police","sector":"lawEnforcement","countryCode":"MD","seniority":"field"}""";

        var problem = await (await coordinator.PostAsync("/api/participants", Http.RawJson(body))).ExpectProblem(HttpStatusCode.BadRequest, "fullName");

        Assert.Equal("'fullName' is given more than once: send each field once.", Messages(problem, "fullName")[0]);
        Assert.Equal(0, Count("participants"));
    }

    [Fact]
    public async Task FreeFormDictionariesStillTakeAnyKeys()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var created = await (await coordinator.PostAsJsonAsync("/api/evaluation-forms", Evaluations.EvaluationGiven.ReactionForm())).Expect(HttpStatusCode.Created);

        Assert.Equal("De training was relevant.", created.GetProperty("questions")[0].GetProperty("text").GetProperty("nl").GetString());
    }

    [Fact]
    public async Task EveryFaultOfABodyIsReportedAtOnceInCamelCase()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        const string body = """
            {"countryCode":"AT","city":"Vienna","language":"de","startDate":"13/05/2013","endDate":"2013-05-17",
             "minParticipants":"many","maxParticipants":{"n":40},"completionThreshold":true}
            """;

        var problem = await (await coordinator.PostAsync($"/api/projects/{projectId}/courses", Http.RawJson(body))).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Equal("title is required.", Messages(problem, "title")[0]);
        Assert.Equal("startDate must be a date written YYYY-MM-DD (e.g. 2026-03-15), not \"13/05/2013\".", Messages(problem, "startDate")[0]);
        Assert.Equal("minParticipants must be a whole number, not \"many\".", Messages(problem, "minParticipants")[0]);
        Assert.Equal("maxParticipants must be a whole number, not an object.", Messages(problem, "maxParticipants")[0]);
        Assert.Equal("completionThreshold must be a number, not true.", Messages(problem, "completionThreshold")[0]);
        Assert.Equal(0, Count("courses"));
    }

    [Fact]
    public async Task TheFrameworksOwnMessagesNameTheFieldAsSent()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var body = CourseGiven.CourseBody(max: 5000);
        body["title"] = string.Empty;

        var problem = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", body)).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Equal("title is required.", Messages(problem, "title")[0]);
        Assert.Equal("maxParticipants must lie between 1 and 1000.", Messages(problem, "maxParticipants")[0]);
    }

    [Fact]
    public async Task ABadEnumListsTheAllowedValues()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var problem = await (await coordinator.PostAsJsonAsync("/api/participants", CourseGiven.ParticipantBody("Ana Popescu", "MD", sector: "police")))
            .ExpectProblem(HttpStatusCode.BadRequest, "sector");

        Assert.Equal(
            "sector must be one of: lawEnforcement, borderGuard, judiciary, health, ngo, labourInspection, socialServices, prison, other (not \"police\").",
            Messages(problem, "sector")[0]);
    }

    [Fact]
    public async Task AnObjectWhereAListBelongsIsSaidSo()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var body = """{"title":"Form","purpose":"reaction","languages":{"en":true},"questions":[]}""";

        var problem = await (await coordinator.PostAsync("/api/evaluation-forms", Http.RawJson(body))).ExpectProblem(HttpStatusCode.BadRequest, "languages");

        Assert.Equal("languages must be a list [ ... ], not an object.", Messages(problem, "languages")[0]);
    }

    [Fact]
    public async Task EnumsAndIsoCodesAreTakenInAnyCaseAndAnsweredCanonical()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var body = CourseGiven.CourseBody("nl");
        body["language"] = "NL";

        var course = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", body)).Expect(HttpStatusCode.Created);
        var participant = await (await coordinator.PostAsJsonAsync("/api/participants", CourseGiven.ParticipantBody("Jan de Vries", "nl", sector: "LAWENFORCEMENT", seniority: "Senior")))
            .Expect(HttpStatusCode.Created);
        var form = await (await coordinator.PostAsJsonAsync("/api/evaluation-forms", new
        {
            title = "Knowledge", purpose = "PRETEST", languages = new[] { "EN" },
            questions = new[] { new { key = "q1", type = "SingleChoice", text = new { en = "?" }, options = new[] { new { value = "a", text = new { en = "A" } }, new { value = "b", text = new { en = "B" } } }, correctOption = "a", points = 1 } },
        })).Expect(HttpStatusCode.Created);

        Assert.Equal("NL", course.GetProperty("countryCode").GetString());
        Assert.Equal("nl", course.GetProperty("language").GetString());
        Assert.Equal("NL", participant.GetProperty("countryCode").GetString());
        Assert.Equal("lawEnforcement", participant.GetProperty("sector").GetString());
        Assert.Equal("senior", participant.GetProperty("seniority").GetString());
        Assert.Equal("preTest", form.GetProperty("purpose").GetString());
        Assert.Equal("en", form.GetProperty("languages")[0].GetString());
        var found = await (await coordinator.GetAsync($"/api/projects/{projectId}/courses?countryCode=nl")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, found.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task APutIsAFullReplacementAndAMissingFieldChangesNothing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var expert = await _app.CreateUserAsync(Role.CountryExpert, "AT");
        var projectId = await Given.ProjectAsync(coordinator);
        var created = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", CourseGiven.CourseBody(min: 10, max: 20, countryExpertUserId: expert.Id)))
            .Expect(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();
        var partial = CourseGiven.CourseBody();
        partial.Remove("maxParticipants");
        partial.Remove("countryExpertUserId");
        partial["title"] = "Renamed";

        var problem = await (await coordinator.PutAsJsonAsync($"/api/courses/{id}", partial)).ExpectProblem(HttpStatusCode.BadRequest, "maxParticipants");

        Assert.StartsWith("maxParticipants is missing: a PUT replaces the whole object", Messages(problem, "maxParticipants")[0]);
        Assert.True(problem.GetProperty("errors").TryGetProperty("countryExpertUserId", out _));
        var course = await (await coordinator.GetAsync($"/api/courses/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(20, course.GetProperty("maxParticipants").GetInt32());
        Assert.Equal(expert.Id, course.GetProperty("countryExpertUserId").GetInt32());
        Assert.NotEqual("Renamed", course.GetProperty("title").GetString());

        var full = CourseGiven.CourseBody(min: 10, max: 30, countryExpertUserId: expert.Id);
        var replaced = await (await coordinator.PutAsJsonAsync($"/api/courses/{id}", full)).Expect(HttpStatusCode.OK);
        Assert.Equal(30, replaced.GetProperty("maxParticipants").GetInt32());
        Assert.Equal(expert.Id, replaced.GetProperty("countryExpertUserId").GetInt32());
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("1899-12-31")]
    [InlineData("2101-01-01")]
    [InlineData("9999-12-31")]
    public async Task DatesOutside1900To2100AreRefusedEverywhere(string date)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var courseId = await CourseGiven.CourseAsync(coordinator, projectId: projectId);
        var before = Count("courses") + Count("course_sessions") + Count("projects") + Count("milestones");
        var phaseId = (await (await coordinator.GetAsync($"/api/projects/{projectId}/phases")).Expect(HttpStatusCode.OK))[0].GetProperty("id").GetInt32();
        var course = CourseGiven.CourseBody();
        course["startDate"] = date;

        var attempts = new (string Url, object Body, string Field)[]
        {
            ($"/api/projects/{projectId}/courses", course, "startDate"),
            ($"/api/courses/{courseId}/sessions", new { date, title = "Day 1", hours = 7 }, "date"),
            ("/api/projects", new { code = "JE-X", title = "T", fundingProgramme = "F", startDate = "2011-01-01", endDate = date, targetParticipantsTrained = 1 }, "endDate"),
            ($"/api/phases/{phaseId}/milestones", new { title = "M", kind = "deliverable", dueDate = date }, "dueDate"),
        };
        foreach (var (url, body, field) in attempts)
        {
            var problem = await (await coordinator.PostAsJsonAsync(url, body)).ExpectProblem(HttpStatusCode.BadRequest, field);
            Assert.Equal($"{field} must lie between 1900-01-01 and 2100-12-31 (got {date}).", Messages(problem, field)[0]);
        }

        Assert.Equal(before, Count("courses") + Count("course_sessions") + Count("projects") + Count("milestones"));
    }

    [Theory]
    [InlineData("\u000b")]
    [InlineData("\u0000")]
    [InlineData("\n")]
    [InlineData("\u007f")]
    public async Task SingleLineTextsRefuseControlCharacters(string control)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var body = CourseGiven.CourseBody();
        body["title"] = $"Pilot{control}course";
        body["city"] = $"Vien{control}na";

        var problem = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", body)).ExpectProblem(HttpStatusCode.BadRequest, "title");

        Assert.StartsWith($"title must be a single line without control characters (found U+{(int)control[0]:X4} at position 6)", Messages(problem, "title")[0]);
        Assert.True(problem.GetProperty("errors").TryGetProperty("city", out _));
        Assert.Equal(0, Count("courses"));
    }

    [Theory]
    [InlineData("\uFEFF", 0xFEFF)]
    [InlineData("\u200B\u200B", 0x200B)]
    [InlineData(" \u2060 \u200D", 0x2060)]
    [InlineData("\u3164", 0x3164)]
    public async Task ASingleLineTextOfOnlyInvisibleCharactersIsRefusedByName(string invisible, int first)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var body = CourseGiven.CourseBody();
        body["title"] = invisible;

        var problem = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", body)).ExpectProblem(HttpStatusCode.BadRequest, "title");

        Assert.Equal([$"title must contain visible text, not only invisible characters (found U+{first:X4})."], Messages(problem, "title"));
        Assert.Equal(0, Count("courses"));
        var project = await (await coordinator.PostAsJsonAsync("/api/projects", new
        {
            code = "INVISIBLE", title = invisible, fundingProgramme = "ISEC", startDate = "2020-01-01", endDate = "2021-12-31", targetParticipantsTrained = 10,
        })).ExpectProblem(HttpStatusCode.BadRequest, "title");
        Assert.Equal([$"title must contain visible text, not only invisible characters (found U+{first:X4})."], Messages(project, "title"));
        body["title"] = $"{invisible}Pilot course";
        var created = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", body)).Expect(HttpStatusCode.Created);
        Assert.Equal($"{invisible}Pilot course", created.GetProperty("title").GetString());
    }

    [Fact]
    public async Task MultiLineTextsTakeLineBreaksAndTabsOnly()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var meeting = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/meetings", new
        {
            kind = "expertGroup", title = "Expert group", topic = (string?)null,
            phaseId = (await (await coordinator.GetAsync($"/api/projects/{projectId}/phases")).Expect(HttpStatusCode.OK))[0].GetProperty("id").GetInt32(),
            city = "Vienna", countryCode = "AT", startDate = "2012-01-10", endDate = "2012-01-11", capacity = (int?)null,
        })).Expect(HttpStatusCode.Created);
        var url = $"/api/meetings/{meeting.GetProperty("id").GetInt32()}/conclusions";

        await (await coordinator.PutAsJsonAsync(url, new { text = "1. Train together.\r\n2.\tRefer victims." })).Expect(HttpStatusCode.OK);
        var problem = await (await coordinator.PutAsJsonAsync(url, new { text = "Bell\u0007" })).ExpectProblem(HttpStatusCode.BadRequest, "text");

        Assert.StartsWith("text must not contain control characters other than line breaks and tabs (found U+0007", Messages(problem, "text")[0]);
    }

    [Fact]
    public async Task NullInsideAFormsListsIsRefusedByName()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var bodies = new (string Json, string Field)[]
        {
            ("""{"title":"F","languages":["en",null],"questions":[{"key":"q","type":"text","text":{"en":"?"}}]}""", "languages[1]"),
            ("""{"title":"F","languages":["en"],"questions":[null]}""", "questions[0]"),
            ("""{"title":"F","languages":["en"],"questions":[{"key":"q","type":"singleChoice","text":{"en":"?"},"options":[null,{"value":"a","text":{"en":"A"}}]}]}""", "questions[0].options[0]"),
            ("""{"title":"F","languages":["en"],"questions":[{"key":"q","type":"text","text":{"en":null}}]}""", "questions[0].text.en"),
        };
        foreach (var (json, field) in bodies)
        {
            var problem = await (await coordinator.PostAsync("/api/evaluation-forms", Http.RawJson(json))).ExpectProblem(HttpStatusCode.BadRequest, field);
            Assert.StartsWith($"{field} is null", Messages(problem, field)[0]);
        }

        Assert.Equal(0, Count("evaluation_forms"));
    }

    [Fact]
    public void DoublesAreWrittenWithFourDecimals()
    {
        var options = _app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        var json = JsonSerializer.Serialize(new KnowledgeGainDto(3, 0.1 + 0.2, 0.4000000000000001, 2.0 / 3), options);

        Assert.Equal("""{"pairs":3,"meanPre":0.3,"meanPost":0.4,"meanGain":0.6667}""", json);
    }

    [Fact]
    public async Task AForbiddenAnswerNamesTheRolesTheRouteNeeds()
    {
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);

        var problem = await (await steering.PostAsJsonAsync("/api/projects", Given.ProjectBody())).ExpectProblem(HttpStatusCode.Forbidden);

        Assert.Equal("This needs the role admin or coordinator. Your role is steeringGroup.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task CourseMessagesReadAsEnglish()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, min: 2);
        await CourseGiven.EnrolAsync(coordinator, courseId, 1);

        var wrongMove = await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/status", new { status = "evaluated" })).ExpectProblem(HttpStatusCode.Conflict);
        await CourseGiven.MoveAsync(coordinator, courseId, "closed");
        var tooFew = await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/status", new { status = "delivered" })).ExpectProblem(HttpStatusCode.Conflict);
        await CourseGiven.MoveAsync(coordinator, courseId, "cancelled");
        var deleteCancelled = await (await coordinator.DeleteAsync($"/api/courses/{courseId}")).ExpectProblem(HttpStatusCode.Conflict);

        Assert.StartsWith("An open course cannot move to evaluated", wrongMove.GetProperty("detail").GetString());
        Assert.StartsWith("Only 1 participant is enrolled;", tooFew.GetProperty("detail").GetString());
        Assert.DoesNotContain("cancel it instead", deleteCancelled.GetProperty("detail").GetString());
        Assert.StartsWith("The course is cancelled already", deleteCancelled.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ACoordinatorListsTheCountryExpertsAndNothingElse()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        var dutch = await _app.CreateUserAsync(Role.CountryExpert, "NL");

        var experts = await (await coordinator.GetAsync("/api/users?role=countryExpert")).Expect(HttpStatusCode.OK);
        var all = await (await coordinator.GetAsync("/api/users")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await coordinator.GetAsync("/api/users?role=admin")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await expert.GetAsync("/api/users?role=countryExpert")).ExpectProblem(HttpStatusCode.Forbidden);

        Assert.Equal(2, experts.GetProperty("total").GetInt32());
        Assert.All(experts.GetProperty("items").EnumerateArray(), u => Assert.Equal("countryExpert", u.GetProperty("role").GetString()));
        Assert.Contains(experts.GetProperty("items").EnumerateArray(), u => u.GetProperty("id").GetInt32() == dutch.Id && u.GetProperty("countryCode").GetString() == "NL");
        Assert.DoesNotContain("token", experts.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("role=countryExpert", all.GetProperty("detail").GetString());
    }

    public void Dispose() => _app.Dispose();
}
