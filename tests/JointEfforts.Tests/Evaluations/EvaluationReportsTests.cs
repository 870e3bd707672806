using Dapper;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Evaluations;

public sealed class EvaluationReportsTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    private static object Report(int rating = 4, string summary = "Well received by police and health staff.") => new
    {
        deliveredOn = "2013-05-08",
        participantsAttended = 3,
        summary,
        strengths = "Joint sessions of police and doctors.",
        weaknesses = "Too little time for case studies.",
        recommendations = new[] { "Add a day of case studies", "Print the pocket cards in German" },
        overallRating = rating,
    };

    [Fact]
    public async Task TheExpertWritesAndSubmitsAndTheSteeringGroupAccepts()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await CourseWithAttendanceAsync(coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var url = $"/api/courses/{course.Id}/evaluation-report";
        var prefilled = await (await course.Expert.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal("draft", prefilled.GetProperty("state").GetString());
        Assert.Equal("2013-05-08", prefilled.GetProperty("deliveredOn").GetString());
        Assert.Equal(4, prefilled.GetProperty("participantsAttended").GetInt32());
        Assert.Equal(4, prefilled.GetProperty("figures").GetProperty("trained").GetInt32());

        var written = await course.Expert.PutAsJsonAsync(url, Report());
        var draft = await written.Expect(HttpStatusCode.Created);
        Assert.Equal(url, written.Headers.Location?.ToString());
        Assert.Equal("draft", draft.GetProperty("state").GetString());
        Assert.Equal(3, draft.GetProperty("participantsAttended").GetInt32());
        Assert.Equal("2013-05-08", draft.GetProperty("deliveredOn").GetString());
        Assert.Equal(["Add a day of case studies", "Print the pocket cards in German"], draft.GetProperty("recommendations").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("submittedAt").ValueKind);

        var rewritten = await course.Expert.PutAsJsonAsync(url, Report(5), written.Headers.ETag!.Tag);
        Assert.Equal(5, (await rewritten.Expect(HttpStatusCode.OK)).GetProperty("overallRating").GetInt32());

        var submitted = await (await course.Expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);
        Assert.Equal("submitted", submitted.GetProperty("state").GetString());
        var submittedAt = submitted.GetProperty("submittedAt").GetDateTime();
        Assert.True(DateTime.UtcNow - submittedAt < TimeSpan.FromMinutes(1));

        var accepted = await (await steering.PostAsync($"{url}/accept", null)).Expect(HttpStatusCode.OK);
        Assert.Equal("accepted", accepted.GetProperty("state").GetString());
        Assert.Equal(submittedAt, accepted.GetProperty("submittedAt").GetDateTime());
        Assert.EndsWith("Z", accepted.GetProperty("acceptedAt").GetString());

        var read = await (await steering.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal("accepted", read.GetProperty("state").GetString());
        Assert.Equal(5, read.GetProperty("overallRating").GetInt32());
    }

    [Fact]
    public async Task AReturnedReportIsADraftAgainWithTheCommentAndCanBeSubmittedAgain()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await CourseWithAttendanceAsync(coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var url = $"/api/courses/{course.Id}/evaluation-report";
        await (await course.Expert.PutAsJsonAsync(url, Report())).Expect(HttpStatusCode.Created);
        await (await course.Expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);

        var returned = await (await steering.PostAsJsonAsync($"{url}/return", new { comment = "Please add the attendance figures per sector." })).Expect(HttpStatusCode.OK);

        Assert.Equal("draft", returned.GetProperty("state").GetString());
        Assert.Equal("Please add the attendance figures per sector.", returned.GetProperty("returnComment").GetString());
        Assert.NotEqual(JsonValueKind.Null, returned.GetProperty("submittedAt").ValueKind);
        await (await course.Expert.PutAsJsonAsync(url, Report(3, "With the figures per sector."))).Expect(HttpStatusCode.OK);
        var again = await (await course.Expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);
        Assert.Equal("submitted", again.GetProperty("state").GetString());
        Assert.Equal("With the figures per sector.", again.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task EachStepNeedsItsStateOr409()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await CourseWithAttendanceAsync(coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var url = $"/api/courses/{course.Id}/evaluation-report";
        await (await course.Expert.PostAsync($"{url}/submit", null)).ExpectProblem(HttpStatusCode.NotFound);
        await (await course.Expert.PutAsJsonAsync(url, Report())).Expect(HttpStatusCode.Created);

        await (await steering.PostAsync($"{url}/accept", null)).ExpectProblem(HttpStatusCode.Conflict);
        await (await steering.PostAsJsonAsync($"{url}/return", new { comment = "No" })).ExpectProblem(HttpStatusCode.Conflict);
        await (await course.Expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);
        await (await course.Expert.PostAsync($"{url}/submit", null)).ExpectProblem(HttpStatusCode.Conflict);
        var write = await course.Expert.PutAsJsonAsync(url, Report(1, "Changed after submission"));
        var problem = await write.ExpectProblem(HttpStatusCode.Conflict);
        Assert.Contains("submitted", problem.GetProperty("detail").GetString());
        await (await steering.PostAsync($"{url}/accept", null)).Expect(HttpStatusCode.OK);
        await (await steering.PostAsJsonAsync($"{url}/return", new { comment = "Too late" })).ExpectProblem(HttpStatusCode.Conflict);
        await (await course.Expert.PutAsJsonAsync(url, Report(1))).ExpectProblem(HttpStatusCode.Conflict);

        var report = await (await coordinator.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal("accepted", report.GetProperty("state").GetString());
        Assert.Equal(4, report.GetProperty("overallRating").GetInt32());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("returnComment").ValueKind);
    }

    [Fact]
    public async Task OnlyTheCoursesExpertWritesAndSubmitsAndOnlyTheSteeringGroupDecides()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await CourseWithAttendanceAsync(coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        using var otherAustrian = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        using var dutch = await _app.CreateClientAsync(Role.CountryExpert, "NL");
        var url = $"/api/courses/{course.Id}/evaluation-report";

        await (await coordinator.PutAsJsonAsync(url, Report())).ExpectProblem(HttpStatusCode.Forbidden);
        await (await steering.PutAsJsonAsync(url, Report())).ExpectProblem(HttpStatusCode.Forbidden);
        await (await otherAustrian.PutAsJsonAsync(url, Report())).ExpectProblem(HttpStatusCode.Forbidden);
        await (await dutch.PutAsJsonAsync(url, Report())).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_reports"));

        await (await course.Expert.PutAsJsonAsync(url, Report())).Expect(HttpStatusCode.Created);
        await (await coordinator.PostAsync($"{url}/submit", null)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await otherAustrian.PostAsync($"{url}/submit", null)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await dutch.GetAsync(url)).ExpectProblem(HttpStatusCode.NotFound);
        await (await otherAustrian.GetAsync(url)).Expect(HttpStatusCode.OK);
        await (await course.Expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);

        await (await course.Expert.PostAsync($"{url}/accept", null)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await coordinator.PostAsync($"{url}/accept", null)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await course.Expert.PostAsJsonAsync($"{url}/return", new { comment = "Self-return" })).ExpectProblem(HttpStatusCode.Forbidden);
        var report = await (await steering.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal("submitted", report.GetProperty("state").GetString());
        await (await steering.PostAsync("/api/courses/9999/evaluation-report/accept", null)).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"deliveredOn":"2013-05-08","participantsAttended":3,"summary":"S","overallRating":6}""", "overallRating")]
    [InlineData("""{"deliveredOn":"2013-05-08","participantsAttended":3,"summary":"S","overallRating":0}""", "overallRating")]
    [InlineData("""{"deliveredOn":"2013-05-08","participantsAttended":3,"overallRating":3}""", "summary")]
    [InlineData("""{"deliveredOn":"08.05.2013","participantsAttended":3,"summary":"S","overallRating":3}""", "deliveredOn")]
    [InlineData("""{"deliveredOn":"2013-05-08","participantsAttended":-1,"summary":"S","overallRating":3}""", "participantsAttended")]
    [InlineData("""{"deliveredOn":"2013-05-08","participantsAttended":3,"summary":"S","overallRating":3,"recommendations":["ok",""]}""", "recommendations")]
    [InlineData("""{"deliveredOn":"2013-05-08","participantsAttended":3,"summary":"S","overallRating":3,"recommendations":"one"}""", "recommendations")]
    public async Task BadReportsAreProblemsNamingTheFieldAndChangeNothing(string json, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await CourseWithAttendanceAsync(coordinator);
        var url = $"/api/courses/{course.Id}/evaluation-report";
        var created = await course.Expert.PutAsJsonAsync(url, Report());
        await created.Expect(HttpStatusCode.Created);

        var response = await course.Expert.PutAsync(url, Http.RawJson(json));

        await response.ExpectProblem(HttpStatusCode.BadRequest, field);
        var report = await course.Expert.GetAsync(url);
        Assert.Equal(created.Headers.ETag, report.Headers.ETag);
        Assert.Equal(4, (await report.Expect(HttpStatusCode.OK)).GetProperty("overallRating").GetInt32());
    }

    [Fact]
    public async Task ReturningNeedsAComment()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await CourseWithAttendanceAsync(coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var url = $"/api/courses/{course.Id}/evaluation-report";
        await (await course.Expert.PutAsJsonAsync(url, Report())).Expect(HttpStatusCode.Created);
        await (await course.Expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);

        await (await steering.PostAsJsonAsync($"{url}/return", new { })).ExpectProblem(HttpStatusCode.BadRequest, "comment");
        await (await steering.PostAsJsonAsync($"{url}/return", new { comment = "" })).ExpectProblem(HttpStatusCode.BadRequest, "comment");

        Assert.Equal("submitted", (await (await steering.GetAsync(url)).Expect(HttpStatusCode.OK)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task AStaleIfMatchIs412AndChangesNothing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await CourseWithAttendanceAsync(coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var url = $"/api/courses/{course.Id}/evaluation-report";
        await (await course.Expert.PutAsJsonAsync(url, Report(), "\"7\"")).ExpectProblem(HttpStatusCode.PreconditionFailed);
        var created = await course.Expert.PutAsJsonAsync(url, Report());
        var etag = created.Headers.ETag!.Tag;
        await (await course.Expert.PutAsJsonAsync(url, Report(2), etag)).Expect(HttpStatusCode.OK);

        await (await course.Expert.PutAsJsonAsync(url, Report(1), etag)).ExpectProblem(HttpStatusCode.PreconditionFailed);
        var current = await course.Expert.GetAsync(url);
        await (await course.Expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);
        var staleAccept = new HttpRequestMessage(HttpMethod.Post, $"{url}/accept");
        staleAccept.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.Tag);
        await (await steering.SendAsync(staleAccept)).ExpectProblem(HttpStatusCode.PreconditionFailed);

        var report = await (await steering.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal(2, report.GetProperty("overallRating").GetInt32());
        Assert.Equal("submitted", report.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("draft")]
    [InlineData("cancelled")]
    public async Task ACourseThatDidNotRunHasNoReport(string status)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, status: status);

        await (await course.Expert.PutAsJsonAsync($"/api/courses/{course.Id}/evaluation-report", Report())).ExpectProblem(HttpStatusCode.Conflict);

        Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_reports"));
    }

    /// <summary>A delivered course of 4 enrolled, with one session that all 4 attended: what a report is submitted on.</summary>
    [Fact]
    public async Task TheReportsMeanOverallIsWithheldUntilTheEvaluationClosesAndThreeAnswersNotEnteredByTheReaderExist()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var formId = await EvaluationGiven.FormAsync(coordinator, new
        {
            title = "Reaction",
            purpose = "reaction",
            languages = new[] { "en" },
            questions = new[] { new { key = "overall", type = "likert5", level = "reaction", required = true, text = new { en = "Overall, how satisfied are you?" } } },
        });
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reactionFormId: formId, language: "en");
        var url = $"/api/courses/{course.Id}/evaluation-report";
        async Task<JsonElement> FiguresAfterAnswering(int overall)
        {
            await (await course.Expert.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations",
                new { purpose = "reaction", language = "en", answers = new { overall } })).Expect(HttpStatusCode.Created);
            return (await (await course.Expert.GetAsync(url)).Expect(HttpStatusCode.OK)).GetProperty("figures");
        }

        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        async Task<JsonElement> FiguresFor(HttpClient reader) => (await (await reader.GetAsync(url)).Expect(HttpStatusCode.OK)).GetProperty("figures");

        var one = await FiguresAfterAnswering(5);
        Assert.Equal(1, one.GetProperty("responses").GetInt32());
        Assert.Equal(JsonValueKind.Null, one.GetProperty("meanOverall").ValueKind); // one person's answer
        var two = await FiguresAfterAnswering(4);
        Assert.Equal(JsonValueKind.Null, two.GetProperty("meanOverall").ValueKind);
        var three = await FiguresAfterAnswering(3);
        Assert.Equal(3, three.GetProperty("responses").GetInt32());
        Assert.Equal(JsonValueKind.Null, three.GetProperty("meanOverall").ValueKind); // the evaluation is still open
        Assert.Equal(JsonValueKind.Null, (await FiguresFor(steering)).GetProperty("meanOverall").ValueKind);

        using (var db = _app.OpenDatabase())
        {
            Reports.ReportGiven.Release(db, course.Id);
        }

        Assert.Equal(4.0, (await FiguresFor(steering)).GetProperty("meanOverall").GetDouble());
        // The expert entered all three forms: to them the three are their own answers, not a group of others.
        Assert.Equal(JsonValueKind.Null, (await FiguresFor(course.Expert)).GetProperty("meanOverall").ValueKind);
    }

    private async Task<TestCourse> CourseWithAttendanceAsync(HttpClient coordinator, string status = "delivered")
    {
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, status: status);
        using var db = _app.OpenDatabase();
        var sessionId = db.ExecuteScalar<int>(
            "INSERT INTO course_sessions (course_id, date, title, hours) VALUES (@id, '2013-05-06', 'Identification', 6) RETURNING id",
            new { id = course.Id });
        db.Execute(
            "INSERT INTO attendance (session_id, participant_id, status) VALUES (@sessionId, @participantId, 'present')",
            course.ParticipantIds.Select(participantId => new { sessionId, participantId }));
        return course;
    }

    public void Dispose() => _app.Dispose();
}
