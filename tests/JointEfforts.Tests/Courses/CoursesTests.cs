using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Courses;

public sealed class CoursesTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task ACourseIsCreatedInDraftWithTheProgrammeDefaults()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var expert = await _app.CreateUserAsync(Role.CountryExpert, "AT");
        var projectId = await Given.ProjectAsync(coordinator);
        var body = CourseGiven.CourseBody("AT", min: null, max: null, countryExpertUserId: expert.Id);

        var response = await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", body);

        var course = await response.Expect(HttpStatusCode.Created);
        var id = course.GetProperty("id").GetInt32();
        Assert.Equal($"/api/courses/{id}", response.Headers.Location?.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("draft", course.GetProperty("status").GetString());
        Assert.Equal(25, course.GetProperty("minParticipants").GetInt32());
        Assert.Equal(40, course.GetProperty("maxParticipants").GetInt32());
        Assert.Equal(0.8, course.GetProperty("completionThreshold").GetDouble());
        Assert.Equal(expert.Id, course.GetProperty("countryExpertUserId").GetInt32());
        Assert.Equal("de", course.GetProperty("language").GetString());
        Assert.Equal("2013-05-13", course.GetProperty("startDate").GetString());
        Assert.Equal(0, course.GetProperty("enrolledCount").GetInt32());
    }

    [Theory]
    [InlineData("endDate", "2013-05-01")]
    [InlineData("language", "german")]
    [InlineData("countryCode", "UK")]
    [InlineData("minParticipants", 0)]
    [InlineData("maxParticipants", 10)]
    [InlineData("completionThreshold", 1.5)]
    [InlineData("completionThreshold", 0)]
    [InlineData("title", null)]
    [InlineData("startDate", "13/05/2013")]
    [InlineData("maxParticipants", "forty")]
    public async Task BadCoursesGetAProblemNamingTheFieldAndCreateNothing(string field, object? value)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var body = CourseGiven.CourseBody();
        body[field] = value;

        var response = await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", body);

        await response.ExpectProblem(HttpStatusCode.BadRequest, field);
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM courses"));
    }

    [Fact]
    public async Task TheCountryExpertMustBeAnActiveExpertOfTheCoursesCountry()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var dutchExpert = await _app.CreateUserAsync(Role.CountryExpert, "NL");
        var steering = await _app.CreateUserAsync(Role.SteeringGroup);

        foreach (var userId in new[] { dutchExpert.Id, steering.Id, 9999 })
        {
            var response = await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", CourseGiven.CourseBody("AT", countryExpertUserId: userId));
            await response.ExpectProblem(HttpStatusCode.BadRequest, "countryExpertUserId");
        }
    }

    [Fact]
    public async Task FormsMustExistWithTheRightPurpose()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        long reaction, preTest;
        using (var db = _app.OpenDatabase())
        {
            reaction = db.ExecuteScalar<long>("INSERT INTO evaluation_forms (title, purpose, languages) VALUES ('Reaction', 'reaction', '[\"en\",\"de\"]') RETURNING id");
            preTest = db.ExecuteScalar<long>("INSERT INTO evaluation_forms (title, purpose, languages) VALUES ('Pre', 'preTest', '[\"de\"]') RETURNING id");
        }

        var wrong = CourseGiven.CourseBody();
        wrong["evaluationFormId"] = preTest;
        wrong["postTestFormId"] = reaction;
        var problem = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", wrong)).ExpectProblem(HttpStatusCode.BadRequest, "evaluationFormId");
        Assert.True(problem.GetProperty("errors").TryGetProperty("postTestFormId", out _));

        var right = CourseGiven.CourseBody();
        right["evaluationFormId"] = reaction;
        right["preTestFormId"] = preTest;
        var course = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", right)).Expect(HttpStatusCode.Created);
        Assert.Equal(reaction, course.GetProperty("evaluationFormId").GetInt64());
        Assert.Equal(preTest, course.GetProperty("preTestFormId").GetInt64());
    }

    [Fact]
    public async Task ACourseOfAnUnknownProgrammeIsNotFound()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        await (await coordinator.PostAsJsonAsync("/api/projects/404/courses", CourseGiven.CourseBody())).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/projects/404/courses")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/courses/404")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CoursesAreListedAndFilteredByCountryAndStatus()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var austria = await CourseGiven.OpenCourseAsync(coordinator, "AT", projectId: projectId);
        var netherlands = await CourseGiven.CourseAsync(coordinator, "NL", projectId: projectId);
        await CourseGiven.CourseAsync(coordinator, "SE", projectId: projectId);

        var all = await (await coordinator.GetAsync($"/api/projects/{projectId}/courses")).Expect(HttpStatusCode.OK);
        var open = await (await coordinator.GetAsync($"/api/projects/{projectId}/courses?status=open")).Expect(HttpStatusCode.OK);
        var dutch = await (await coordinator.GetAsync($"/api/projects/{projectId}/courses?countryCode=NL&pageSize=1")).Expect(HttpStatusCode.OK);

        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal([austria], Ids(open));
        Assert.Equal([netherlands], Ids(dutch));
        await (await coordinator.GetAsync($"/api/projects/{projectId}/courses?status=finished")).ExpectProblem(HttpStatusCode.BadRequest, "status");
        await (await coordinator.GetAsync($"/api/projects/{projectId}/courses?countryCode=Austria")).ExpectProblem(HttpStatusCode.BadRequest, "countryCode");
    }

    [Fact]
    public async Task ACountryExpertSeesOnlyCoursesOfTheirCountry()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var austria = await CourseGiven.CourseAsync(coordinator, "AT", projectId: projectId);
        var netherlands = await CourseGiven.CourseAsync(coordinator, "NL", projectId: projectId);
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "AT");

        var list = await (await expert.GetAsync($"/api/projects/{projectId}/courses")).Expect(HttpStatusCode.OK);
        var asked = await (await expert.GetAsync($"/api/projects/{projectId}/courses?countryCode=NL")).Expect(HttpStatusCode.OK);

        Assert.Equal([austria], Ids(list));
        Assert.Equal(0, asked.GetProperty("total").GetInt32());
        await (await expert.GetAsync($"/api/courses/{austria}")).Expect(HttpStatusCode.OK);
        await (await expert.GetAsync($"/api/courses/{netherlands}")).ExpectProblem(HttpStatusCode.NotFound);
        await (await expert.GetAsync($"/api/courses/{netherlands}/sessions")).ExpectProblem(HttpStatusCode.NotFound);
        await (await expert.GetAsync($"/api/courses/{netherlands}/enrolments")).ExpectProblem(HttpStatusCode.NotFound);
        await (await expert.GetAsync($"/api/courses/{netherlands}/attendance")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(Role.CountryExpert)]
    [InlineData(Role.SteeringGroup)]
    public async Task OnlyCoordinatorsCreateAndChangeCourses(Role role)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator);
        var id = await CourseGiven.CourseAsync(coordinator, "AT", projectId: projectId);
        using var other = await _app.CreateClientAsync(role, role == Role.CountryExpert ? "AT" : null);

        await (await other.PostAsJsonAsync($"/api/projects/{projectId}/courses", CourseGiven.CourseBody())).ExpectProblem(HttpStatusCode.Forbidden);
        await (await other.PutAsJsonAsync($"/api/courses/{id}", CourseGiven.CourseBody())).ExpectProblem(HttpStatusCode.Forbidden);
        await (await other.DeleteAsync($"/api/courses/{id}")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await other.PostAsJsonAsync($"/api/courses/{id}/status", new { status = "open" })).ExpectProblem(HttpStatusCode.Forbidden);
        await (await other.PostAsJsonAsync($"/api/courses/{id}/sessions", new { date = "2013-05-13", title = "Day 1", hours = 7 })).ExpectProblem(HttpStatusCode.Forbidden);
        await (await other.GetAsync($"/api/courses/{id}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheWorkflowRunsFromDraftToEvaluated()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await CourseGiven.CourseAsync(coordinator, min: 2, max: 3);

        await CourseGiven.MoveAsync(coordinator, id, "open");
        await CourseGiven.EnrolAsync(coordinator, id, 2);
        await CourseGiven.MoveAsync(coordinator, id, "closed");
        await CourseGiven.MoveAsync(coordinator, id, "open");
        await CourseGiven.MoveAsync(coordinator, id, "closed");
        await CourseGiven.MoveAsync(coordinator, id, "delivered");
        await (await coordinator.PostAsJsonAsync($"/api/courses/{id}/status", new { status = "evaluated" })).ExpectProblem(HttpStatusCode.Conflict);
        using (var db = _app.OpenDatabase())
        {
            db.Execute("INSERT INTO evaluation_reports (course_id, state) VALUES (@id, 'accepted')", new { id });
        }

        var response = await coordinator.PostAsJsonAsync($"/api/courses/{id}/status", new { status = "evaluated" });

        var course = await response.Expect(HttpStatusCode.OK);
        Assert.Equal("evaluated", course.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(new[] { "open" }, "delivered")]
    [InlineData(new string[0], "closed")]
    [InlineData(new string[0], "draft")]
    [InlineData(new[] { "cancelled" }, "open")]
    [InlineData(new[] { "open", "closed" }, "evaluated")]
    public async Task IllegalMovesAreConflictsThatChangeNothing(string[] path, string target)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await CourseGiven.CourseAsync(coordinator, min: 1, max: 3);
        foreach (var step in path)
        {
            await CourseGiven.MoveAsync(coordinator, id, step);
        }

        var before = await (await coordinator.GetAsync($"/api/courses/{id}")).Expect(HttpStatusCode.OK);
        await (await coordinator.PostAsJsonAsync($"/api/courses/{id}/status", new { status = target })).ExpectProblem(HttpStatusCode.Conflict);

        var after = await (await coordinator.GetAsync($"/api/courses/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(before.GetProperty("status").GetString(), after.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ACourseIsDeliveredOnlyWithItsMinimumEnrolled()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await CourseGiven.OpenCourseAsync(coordinator, min: 3, max: 5);
        await CourseGiven.EnrolAsync(coordinator, id, 2);
        await CourseGiven.MoveAsync(coordinator, id, "closed");

        var problem = await (await coordinator.PostAsJsonAsync($"/api/courses/{id}/status", new { status = "delivered" })).ExpectProblem(HttpStatusCode.Conflict);

        Assert.Contains("at least 3", problem.GetProperty("detail").GetString());
        await CourseGiven.MoveAsync(coordinator, id, "open");
        await CourseGiven.EnrolAsync(coordinator, id, 1);
        await CourseGiven.MoveAsync(coordinator, id, "closed");
        await CourseGiven.MoveAsync(coordinator, id, "delivered");
    }

    [Fact]
    public async Task AnUnknownStatusNamesTheField()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await CourseGiven.CourseAsync(coordinator);

        await (await coordinator.PostAsJsonAsync($"/api/courses/{id}/status", new { status = "finished" })).ExpectProblem(HttpStatusCode.BadRequest, "status");
        await (await coordinator.PostAsJsonAsync($"/api/courses/{id}/status", new { })).ExpectProblem(HttpStatusCode.BadRequest, "status");
    }

    [Fact]
    public async Task UpdatingACourseHonoursIfMatchAndKeepsItsStatus()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await CourseGiven.OpenCourseAsync(coordinator);
        var etag = (await coordinator.GetAsync($"/api/courses/{id}")).Headers.ETag!.Tag;
        var body = CourseGiven.CourseBody(max: 35);
        body["title"] = "Pilot training Vienna";
        body["status"] = "evaluated";

        // status is server-owned (moves go through POST .../status): naming it is a 400, not silently dropped.
        await (await coordinator.PutAsJsonAsync($"/api/courses/{id}", body, etag)).ExpectProblem(HttpStatusCode.BadRequest, "status");
        body.Remove("status");
        var response = await coordinator.PutAsJsonAsync($"/api/courses/{id}", body, etag);

        var course = await response.Expect(HttpStatusCode.OK);
        Assert.Equal("Pilot training Vienna", course.GetProperty("title").GetString());
        Assert.Equal(35, course.GetProperty("maxParticipants").GetInt32());
        Assert.Equal("open", course.GetProperty("status").GetString());
        await (await coordinator.PutAsJsonAsync($"/api/courses/{id}", CourseGiven.CourseBody(), etag)).ExpectProblem(HttpStatusCode.PreconditionFailed);
        await (await coordinator.PutAsJsonAsync("/api/courses/404", CourseGiven.CourseBody())).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MaxParticipantsCannotGoBelowTheNumberEnrolled()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await CourseGiven.OpenCourseAsync(coordinator, min: 1, max: 3);
        await CourseGiven.EnrolAsync(coordinator, id, 3);

        await (await coordinator.PutAsJsonAsync($"/api/courses/{id}", CourseGiven.CourseBody(min: 1, max: 2))).ExpectProblem(HttpStatusCode.Conflict);

        var course = await (await coordinator.GetAsync($"/api/courses/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(3, course.GetProperty("maxParticipants").GetInt32());
    }

    [Fact]
    public async Task RaisingMaxParticipantsPromotesTheWaitlistInArrivalOrder()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await CourseGiven.OpenCourseAsync(coordinator, min: 1, max: 2);
        var participants = await CourseGiven.EnrolAsync(coordinator, id, 5);

        var course = await (await coordinator.PutAsJsonAsync($"/api/courses/{id}", CourseGiven.CourseBody(min: 1, max: 4))).Expect(HttpStatusCode.OK);

        Assert.Equal(4, course.GetProperty("enrolledCount").GetInt32());
        Assert.Equal(1, course.GetProperty("waitlistedCount").GetInt32());
        var waitlist = await (await coordinator.GetAsync($"/api/courses/{id}/enrolments?status=waitlisted")).Expect(HttpStatusCode.OK);
        var last = waitlist.GetProperty("items")[0];
        Assert.Equal(participants[4], last.GetProperty("participantId").GetInt32());
        Assert.Equal(1, last.GetProperty("waitlistPosition").GetInt32());
    }

    [Fact]
    public async Task OnlyACourseWithoutEnrolmentsIsDeleted()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var empty = await CourseGiven.CourseAsync(coordinator);
        await CourseGiven.SessionAsync(coordinator, empty);
        var used = await CourseGiven.OpenCourseAsync(coordinator);
        await CourseGiven.EnrolAsync(coordinator, used, 1);

        await (await coordinator.DeleteAsync($"/api/courses/{empty}", "\"999\"")).ExpectProblem(HttpStatusCode.PreconditionFailed);
        await (await coordinator.DeleteAsync($"/api/courses/{empty}")).Expect(HttpStatusCode.NoContent);
        await (await coordinator.DeleteAsync($"/api/courses/{used}")).ExpectProblem(HttpStatusCode.Conflict);

        await (await coordinator.GetAsync($"/api/courses/{empty}")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync($"/api/courses/{used}")).Expect(HttpStatusCode.OK);
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM course_sessions WHERE course_id = @empty", new { empty }));
    }

    [Fact]
    public async Task SessionsAreListedByDateWithTheirHours()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await CourseGiven.CourseAsync(coordinator);

        var response = await coordinator.PostAsJsonAsync($"/api/courses/{id}/sessions", new { date = "2013-05-15", title = "Day 3: referral", hours = 6.5 });
        await CourseGiven.SessionAsync(coordinator, id, "2013-05-13", "Day 1: indicators");

        var created = await response.Expect(HttpStatusCode.Created);
        var sessionId = created.GetProperty("id").GetInt32();
        Assert.Equal($"/api/courses/{id}/sessions/{sessionId}", response.Headers.Location?.ToString());
        await (await coordinator.GetAsync(response.Headers.Location!.ToString())).Expect(HttpStatusCode.OK);
        var sessions = await (await coordinator.GetAsync($"/api/courses/{id}/sessions")).Expect(HttpStatusCode.OK);
        Assert.Equal(["2013-05-13", "2013-05-15"], sessions.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("date").GetString()!).ToArray());
        Assert.Equal(6.5, sessions.GetProperty("items")[1].GetProperty("hours").GetDouble());
        var course = await (await coordinator.GetAsync($"/api/courses/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, course.GetProperty("sessionCount").GetInt32());
    }

    [Theory]
    [InlineData("""{"date":"2013-06-01","title":"Outside","hours":7}""", "date")]
    [InlineData("""{"date":"2013-05-13","title":"Too long","hours":25}""", "hours")]
    [InlineData("""{"date":"2013-05-13","title":"None","hours":0}""", "hours")]
    [InlineData("""{"date":"2013-05-13","hours":7}""", "title")]
    [InlineData("""{"date":"tomorrow","title":"T","hours":7}""", "date")]
    [InlineData("""{"date":"2013-05-13","title":"T","hours":"seven"}""", "hours")]
    public async Task BadSessionsNameTheFieldAndAddNothing(string json, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await CourseGiven.CourseAsync(coordinator);

        await (await coordinator.PostAsync($"/api/courses/{id}/sessions", Http.RawJson(json))).ExpectProblem(HttpStatusCode.BadRequest, field);

        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM course_sessions"));
    }

    [Fact]
    public async Task ACancelledCourseTakesNoSessions()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await CourseGiven.CourseAsync(coordinator);
        await CourseGiven.MoveAsync(coordinator, id, "cancelled");

        await (await coordinator.PostAsJsonAsync($"/api/courses/{id}/sessions", new { date = "2013-05-13", title = "Day 1", hours = 7 })).ExpectProblem(HttpStatusCode.Conflict);
        await (await coordinator.PutAsJsonAsync($"/api/courses/{id}", CourseGiven.CourseBody())).ExpectProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TheOpenApiDocumentNamesEveryCourseRoute()
    {
        using var anonymous = _app.CreateAnonymousClient();

        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);

        var paths = document.GetProperty("paths");
        foreach (var path in new[]
        {
            "/api/projects/{id}/courses", "/api/courses/{id}", "/api/courses/{id}/status", "/api/courses/{id}/sessions",
            "/api/courses/{id}/enrolments", "/api/courses/{id}/enrolments/{enrolmentId}", "/api/courses/{id}/sessions/{sessionId}/attendance",
            "/api/courses/{id}/attendance", "/api/participants", "/api/participants/{id}", "/api/participants/import",
        })
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is documented");
            foreach (var operation in item.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete"))
            {
                Assert.True(operation.Value.TryGetProperty("operationId", out _), $"{operation.Name} {path} is named");
                Assert.True(operation.Value.TryGetProperty("summary", out _), $"{operation.Name} {path} has a summary");
            }
        }

        var import = paths.GetProperty("/api/participants/import").GetProperty("post");
        Assert.True(import.GetProperty("requestBody").GetProperty("content").TryGetProperty("text/csv", out _));
    }

    private static int[] Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToArray();

    public void Dispose() => _app.Dispose();
}
