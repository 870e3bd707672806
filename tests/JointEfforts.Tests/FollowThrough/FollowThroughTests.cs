using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.FollowThrough;

/// <summary>The follow-through rules of API.md: steps that follow each other, and checks that catch mistakes.</summary>
public sealed class FollowThroughTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    // Programmes -------------------------------------------------------------------------------

    [Fact]
    public async Task AProgrammeKeepsItsParticipatingCountriesInCapitalsAndItsStatus()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var body = Body(Given.ProjectBody("JE-COUNTRIES"), ("countries", new[] { "be", "HU", "Se", "be" }), ("status", "RUNNING"));

        var created = await (await coordinator.PostAsJsonAsync("/api/projects", body)).Expect(HttpStatusCode.Created);

        Assert.Equal(["BE", "HU", "SE"], created.GetProperty("countries").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Equal("running", created.GetProperty("status").GetString());
        var id = created.GetProperty("id").GetInt32();
        var update = Body(Given.ProjectBody("JE-COUNTRIES"), ("countries", new[] { "PL" }), ("status", "completed"));
        var updated = await (await coordinator.PutAsJsonAsync($"/api/projects/{id}", update)).Expect(HttpStatusCode.OK);
        Assert.Equal("completed", updated.GetProperty("status").GetString());
        var read = await (await coordinator.GetAsync($"/api/projects/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(["PL"], read.GetProperty("countries").EnumerateArray().Select(c => c.GetString()!).ToArray());
    }

    [Fact]
    public async Task AProgrammeWithoutStatusIsPlannedWithNoCountries()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var created = await (await coordinator.PostAsJsonAsync("/api/projects", Given.ProjectBody("JE-PLAIN"))).Expect(HttpStatusCode.Created);
        Assert.Equal("planned", created.GetProperty("status").GetString());
        Assert.Equal(0, created.GetProperty("countries").GetArrayLength());
    }

    [Theory]
    [InlineData("countries", """["BE","UK"]""")]
    [InlineData("countries", """["BEL"]""")]
    [InlineData("status", "\"finished\"")]
    public async Task ABadCountryOrStatusIsAProblemNamingTheField(string field, string json)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var body = JsonSerializer.Serialize(Given.ProjectBody("JE-BAD"));
        var raw = body[..^1] + $",\"{field}\":{json}}}";

        await (await coordinator.PostAsync("/api/projects", Http.RawJson(raw))).ExpectProblem(HttpStatusCode.BadRequest, field);

        var list = await (await coordinator.GetAsync("/api/projects")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task TheSteeringGroupCannotSetAProgrammesStatus()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var id = await Given.ProjectAsync(coordinator, "JE-ROLE");
        var update = Body(Given.ProjectBody("JE-ROLE"), ("status", "completed"));

        await (await steering.PutAsJsonAsync($"/api/projects/{id}", update)).ExpectProblem(HttpStatusCode.Forbidden);

        var read = await (await steering.GetAsync($"/api/projects/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("planned", read.GetProperty("status").GetString());
    }

    // Milestones: asOf ---------------------------------------------------------------------------

    [Fact]
    public async Task OverdueIsJudgedOnTheAsOfDate()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var (phaseId, milestoneId) = await MilestoneAsync(coordinator, dueDate: "2012-04-22");

        var before = await (await steering.GetAsync($"/api/phases/{phaseId}/milestones?asOf=2012-04-01")).Expect(HttpStatusCode.OK);
        var after = await (await steering.GetAsync($"/api/phases/{phaseId}/milestones?asOf=2012-05-01")).Expect(HttpStatusCode.OK);
        var today = await (await steering.GetAsync($"/api/phases/{phaseId}/milestones")).Expect(HttpStatusCode.OK);

        Assert.False(before.GetProperty("items")[0].GetProperty("overdue").GetBoolean());
        Assert.True(after.GetProperty("items")[0].GetProperty("overdue").GetBoolean());
        Assert.True(today.GetProperty("items")[0].GetProperty("overdue").GetBoolean());
        var one = await (await steering.GetAsync($"/api/milestones/{milestoneId}?asOf=2012-04-22")).Expect(HttpStatusCode.OK);
        Assert.False(one.GetProperty("overdue").GetBoolean());
    }

    [Theory]
    [InlineData("22.04.2012")]
    [InlineData("2012-13-01")]
    [InlineData("1850-01-01")]
    public async Task ABadAsOfIsAProblemNamingIt(string asOf)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (phaseId, milestoneId) = await MilestoneAsync(coordinator);

        var problem = await (await coordinator.GetAsync($"/api/phases/{phaseId}/milestones?asOf={asOf}")).ExpectProblem(HttpStatusCode.BadRequest, "asOf");
        Assert.Contains("YYYY-MM-DD", problem.GetProperty("errors").GetProperty("asOf")[0].GetString());
        await (await coordinator.GetAsync($"/api/milestones/{milestoneId}?asOf={asOf}")).ExpectProblem(HttpStatusCode.BadRequest, "asOf");
    }

    // Milestones linked to courses and meetings ----------------------------------------------------

    [Fact]
    public async Task AMilestoneLinkedToACourseIsCompletedOnItsEndDateWhenItIsDelivered()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator, "JE-LINK");
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, min: 2, max: 40, projectId: projectId);
        await CourseGiven.EnrolAsync(coordinator, courseId, 2);
        var (_, milestoneId) = await MilestoneAsync(coordinator, projectId, dueDate: "2013-05-31", courseId: courseId);

        var open = await (await coordinator.GetAsync($"/api/milestones/{milestoneId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(courseId, open.GetProperty("courseId").GetInt32());
        Assert.Equal(JsonValueKind.Null, open.GetProperty("completedOn").ValueKind);
        var byHand = await (await coordinator.PostAsJsonAsync($"/api/milestones/{milestoneId}/complete", new { completedOn = "2013-05-20" }))
            .ExpectProblem(HttpStatusCode.Conflict);
        Assert.Contains($"course {courseId}", byHand.GetProperty("detail").GetString());

        await CourseGiven.MoveAsync(coordinator, courseId, "closed");
        await CourseGiven.MoveAsync(coordinator, courseId, "delivered");

        var done = await (await coordinator.GetAsync($"/api/milestones/{milestoneId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("2013-05-17", done.GetProperty("completedOn").GetString());
        Assert.False(done.GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task AMilestoneLinkedToACourseAlreadyDeliveredIsCompletedAtOnce()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator, "JE-LATE-LINK");
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, min: 1, projectId: projectId);
        await CourseGiven.EnrolAsync(coordinator, courseId, 1);
        await CourseGiven.MoveAsync(coordinator, courseId, "closed");
        await CourseGiven.MoveAsync(coordinator, courseId, "delivered");

        var (_, milestoneId) = await MilestoneAsync(coordinator, projectId, dueDate: "2013-05-31", courseId: courseId);

        var milestone = await (await coordinator.GetAsync($"/api/milestones/{milestoneId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("2013-05-17", milestone.GetProperty("completedOn").GetString());
    }

    [Fact]
    public async Task AMilestoneLinkedToAMeetingIsCompletedWhenItsConclusionsAreRecorded()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator, "JE-MEET");
        var meetingId = await MeetingAsync(coordinator, projectId);
        var (_, milestoneId) = await MilestoneAsync(coordinator, projectId, dueDate: "2012-04-30", meetingId: meetingId);
        var open = await (await coordinator.GetAsync($"/api/milestones/{milestoneId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, open.GetProperty("completedOn").ValueKind);
        await (await coordinator.PostAsJsonAsync($"/api/milestones/{milestoneId}/complete", new { completedOn = "2012-04-22" }))
            .ExpectProblem(HttpStatusCode.Conflict);

        await (await coordinator.PutAsJsonAsync($"/api/meetings/{meetingId}/conclusions", new { text = "Target senior staff." })).Expect(HttpStatusCode.OK);

        var done = await (await coordinator.GetAsync($"/api/milestones/{milestoneId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("2012-04-22", done.GetProperty("completedOn").GetString());
    }

    [Fact]
    public async Task AMilestoneLinksOnlyToACourseOrMeetingOfItsOwnProgramme()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator, "JE-OWN");
        var otherProjectId = await Given.ProjectAsync(coordinator, "JE-OTHER");
        var otherCourse = await CourseGiven.CourseAsync(coordinator, projectId: otherProjectId);
        var otherMeeting = await MeetingAsync(coordinator, otherProjectId);
        var ownMeeting = await MeetingAsync(coordinator, projectId);
        var phaseId = await PhaseAsync(coordinator, projectId);
        var url = $"/api/phases/{phaseId}/milestones";

        await (await coordinator.PostAsJsonAsync(url, MilestoneBody(courseId: otherCourse))).ExpectProblem(HttpStatusCode.BadRequest, "courseId");
        await (await coordinator.PostAsJsonAsync(url, MilestoneBody(meetingId: otherMeeting))).ExpectProblem(HttpStatusCode.BadRequest, "meetingId");
        await (await coordinator.PostAsJsonAsync(url, MilestoneBody(courseId: otherCourse, meetingId: ownMeeting))).ExpectProblem(HttpStatusCode.BadRequest, "meetingId");

        var list = await (await coordinator.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task OnlyACoordinatorLinksAMilestone()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        var projectId = await Given.ProjectAsync(coordinator, "JE-WHO");
        var meetingId = await MeetingAsync(coordinator, projectId);
        var phaseId = await PhaseAsync(coordinator, projectId);

        await (await expert.PostAsJsonAsync($"/api/phases/{phaseId}/milestones", MilestoneBody(meetingId: meetingId))).ExpectProblem(HttpStatusCode.Forbidden);
    }

    // Courses --------------------------------------------------------------------------------------

    [Fact]
    public async Task ACoursesFormsMustBeAvailableInItsLanguage()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator, "JE-LANG");
        var englishOnly = await FormAsync(coordinator, "reaction", ["en"]);
        var polishTest = await FormAsync(coordinator, "preTest", ["en", "pl"]);
        var course = CourseGiven.CourseBody("PL", 1, 40);
        course["language"] = "pl";
        course["evaluationFormId"] = englishOnly;
        course["preTestFormId"] = polishTest;

        var problem = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", course))
            .ExpectProblem(HttpStatusCode.BadRequest, "evaluationFormId");
        Assert.Contains("'pl'", problem.GetProperty("errors").GetProperty("evaluationFormId")[0].GetString());
        Assert.False(problem.GetProperty("errors").TryGetProperty("preTestFormId", out _));

        course["language"] = "en";
        await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", course)).Expect(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("2019-05-13", "2019-05-17", "startDate")]
    [InlineData("2014-03-18", "2014-03-25", "endDate")]
    [InlineData("2011-10-01", "2011-10-25", "startDate")]
    public async Task ACourseLiesWithinItsProgramme(string startDate, string endDate, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator, "JE-DATES");
        var course = CourseGiven.CourseBody();
        course["startDate"] = startDate;
        course["endDate"] = endDate;

        await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", course)).ExpectProblem(HttpStatusCode.BadRequest, field);

        var list = await (await coordinator.GetAsync($"/api/projects/{projectId}/courses")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ACourseKeepsItsSessionsWithinItsDates()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator, "JE-SESS");
        var courseId = await CourseGiven.CourseAsync(coordinator, projectId: projectId);
        await CourseGiven.SessionAsync(coordinator, courseId, "2013-05-16");
        var course = CourseGiven.CourseBody();
        course["endDate"] = "2013-05-15";

        await (await coordinator.PutAsJsonAsync($"/api/courses/{courseId}", course)).ExpectProblem(HttpStatusCode.BadRequest, "endDate");

        course["endDate"] = "2013-05-16";
        var updated = await (await coordinator.PutAsJsonAsync($"/api/courses/{courseId}", course)).Expect(HttpStatusCode.OK);
        Assert.Equal("2013-05-16", updated.GetProperty("endDate").GetString());
    }

    [Fact]
    public async Task DeliveringACourseClosesItsWaitlist()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, min: 1, max: 1);
        await CourseGiven.EnrolAsync(coordinator, courseId, 3);
        await CourseGiven.MoveAsync(coordinator, courseId, "closed");

        await CourseGiven.MoveAsync(coordinator, courseId, "delivered");

        var enrolments = await (await coordinator.GetAsync($"/api/courses/{courseId}/enrolments")).Expect(HttpStatusCode.OK);
        Assert.Equal(["enrolled", "notAdmitted", "notAdmitted"],
            enrolments.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("status").GetString()!).ToArray());
        var course = await (await coordinator.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, course.GetProperty("waitlistedCount").GetInt32());
    }

    [Fact]
    public async Task ACourseIsEvaluatedOnlyThroughAnAcceptedReport()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, min: 1);
        await CourseGiven.EnrolAsync(coordinator, courseId, 1);
        await CourseGiven.MoveAsync(coordinator, courseId, "closed");
        await CourseGiven.MoveAsync(coordinator, courseId, "delivered");

        var problem = await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/status", new { status = "evaluated" }))
            .ExpectProblem(HttpStatusCode.Conflict);

        Assert.Contains("accepted", problem.GetProperty("detail").GetString());
        var course = await (await coordinator.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("delivered", course.GetProperty("status").GetString());
    }

    // The country expert's report ---------------------------------------------------------------------

    [Fact]
    public async Task TheConnectedFlowRunsFromDeliveryToACompletedMilestone()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var (expertId, expertToken) = await _app.CreateUserAsync(Role.CountryExpert, "AT");
        using var expert = _app.ClientWithToken(expertToken);
        var projectId = await Given.ProjectAsync(coordinator, "JE-FLOW");
        var (phaseId, courseId, milestoneId) = await DeliveredCourseAsync(coordinator, projectId, expertId);
        var url = $"/api/courses/{courseId}/evaluation-report";

        var read = await expert.GetAsync(url);
        var prefilled = await read.Expect(HttpStatusCode.OK);
        Assert.Equal("\"0\"", read.Headers.ETag!.Tag);
        Assert.Equal("2013-05-17", prefilled.GetProperty("deliveredOn").GetString());
        Assert.Equal(2, prefilled.GetProperty("participantsAttended").GetInt32());
        var figures = prefilled.GetProperty("figures");
        Assert.Equal(3, figures.GetProperty("enrolled").GetInt32());
        Assert.Equal(2, figures.GetProperty("trained").GetInt32());
        Assert.Equal(2, figures.GetProperty("bySector").GetProperty("lawEnforcement").GetProperty("trained").GetInt32());
        Assert.Equal(0, figures.GetProperty("bySector").GetProperty("health").GetProperty("enrolled").GetInt32());
        Assert.Equal(3, figures.GetProperty("bySeniority").GetProperty("field").GetProperty("enrolled").GetInt32());
        Assert.Equal(0.0, figures.GetProperty("responseRate").GetDouble());
        Assert.Equal(0, figures.GetProperty("knowledgeGain").GetProperty("pairs").GetInt32());

        var written = await expert.PutAsJsonAsync(url, Report(prefilled), read.Headers.ETag.Tag);
        await written.Expect(HttpStatusCode.Created);
        await (await expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);
        var awaiting = await (await steering.GetAsync("/api/evaluation-reports?state=submitted")).Expect(HttpStatusCode.OK);
        var item = Assert.Single(awaiting.GetProperty("items").EnumerateArray());
        Assert.Equal(courseId, item.GetProperty("courseId").GetInt32());
        Assert.Equal("JE-FLOW", item.GetProperty("projectCode").GetString());
        Assert.Equal("AT", item.GetProperty("countryCode").GetString());

        var accepted = await (await steering.PostAsync($"{url}/accept", null)).Expect(HttpStatusCode.OK);

        Assert.Equal("accepted", accepted.GetProperty("state").GetString());
        var course = await (await coordinator.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("evaluated", course.GetProperty("status").GetString());
        var milestone = await (await steering.GetAsync($"/api/milestones/{milestoneId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("2013-05-17", milestone.GetProperty("completedOn").GetString());
        var phase = await (await steering.GetAsync($"/api/phases/{phaseId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(1.0, phase.GetProperty("progress").GetDouble());
        var none = await (await steering.GetAsync("/api/evaluation-reports?state=submitted")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, none.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AReportsFiguresMustAgreeWithTheCourse()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (expertId, expertToken) = await _app.CreateUserAsync(Role.CountryExpert, "AT");
        using var expert = _app.ClientWithToken(expertToken);
        var projectId = await Given.ProjectAsync(coordinator, "JE-FIG");
        var (_, courseId, _) = await DeliveredCourseAsync(coordinator, projectId, expertId);
        var url = $"/api/courses/{courseId}/evaluation-report";
        var prefilled = await (await expert.GetAsync(url)).Expect(HttpStatusCode.OK);

        var tooMany = await (await expert.PutAsJsonAsync(url, Report(prefilled, participantsAttended: 99))).ExpectProblem(HttpStatusCode.BadRequest, "participantsAttended");
        Assert.Contains("3 are enrolled", tooMany.GetProperty("errors").GetProperty("participantsAttended")[0].GetString());
        await (await expert.PutAsJsonAsync(url, Report(prefilled, deliveredOn: "2013-05-12"))).ExpectProblem(HttpStatusCode.BadRequest, "deliveredOn");
        await (await expert.PutAsJsonAsync(url, Report(prefilled, deliveredOn: "2013-05-18"))).ExpectProblem(HttpStatusCode.BadRequest, "deliveredOn");

        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<int>("SELECT COUNT(*) FROM evaluation_reports"));
    }

    [Fact]
    public async Task AReportIsSubmittedOnlyForADeliveredCourseWithAttendance()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (expertId, expertToken) = await _app.CreateUserAsync(Role.CountryExpert, "AT");
        using var expert = _app.ClientWithToken(expertToken);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, min: 1, countryExpertUserId: expertId);
        await CourseGiven.EnrolAsync(coordinator, courseId, 2);
        await CourseGiven.SessionAsync(coordinator, courseId);
        var url = $"/api/courses/{courseId}/evaluation-report";
        var prefilled = await (await expert.GetAsync(url)).Expect(HttpStatusCode.OK);
        await (await expert.PutAsJsonAsync(url, Report(prefilled))).Expect(HttpStatusCode.Created);

        var notDelivered = await (await expert.PostAsync($"{url}/submit", null)).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Contains("delivered", notDelivered.GetProperty("detail").GetString());
        await CourseGiven.MoveAsync(coordinator, courseId, "closed");
        await CourseGiven.MoveAsync(coordinator, courseId, "delivered");
        var noAttendance = await (await expert.PostAsync($"{url}/submit", null)).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Contains("attendance", noAttendance.GetProperty("detail").GetString());

        var report = await (await expert.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal("draft", report.GetProperty("state").GetString());
    }

    [Fact]
    public async Task AReportIsAcceptedOnlyWhileItsCourseIsDelivered()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var (expertId, expertToken) = await _app.CreateUserAsync(Role.CountryExpert, "AT");
        using var expert = _app.ClientWithToken(expertToken);
        var projectId = await Given.ProjectAsync(coordinator, "JE-ACC");
        var (_, courseId, _) = await DeliveredCourseAsync(coordinator, projectId, expertId);
        var url = $"/api/courses/{courseId}/evaluation-report";
        await (await expert.PutAsJsonAsync(url, Report(await (await expert.GetAsync(url)).Expect(HttpStatusCode.OK)))).Expect(HttpStatusCode.Created);
        await (await expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);
        using (var db = _app.OpenDatabase())
        {
            // A course put back by hand in the tables: the API itself never moves a delivered course back.
            db.Execute("UPDATE courses SET status = 'closed' WHERE id = @courseId", new { courseId });
        }

        await (await steering.PostAsync($"{url}/accept", null)).ExpectProblem(HttpStatusCode.Conflict);

        var report = await (await steering.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.Equal("submitted", report.GetProperty("state").GetString());
    }

    [Fact]
    public async Task AReturnedReportKeepsItsCommentUntilTheNextSubmit()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var (expertId, expertToken) = await _app.CreateUserAsync(Role.CountryExpert, "AT");
        using var expert = _app.ClientWithToken(expertToken);
        var projectId = await Given.ProjectAsync(coordinator, "JE-RET");
        var (_, courseId, _) = await DeliveredCourseAsync(coordinator, projectId, expertId);
        var url = $"/api/courses/{courseId}/evaluation-report";
        var prefilled = await (await expert.GetAsync(url)).Expect(HttpStatusCode.OK);
        await (await expert.PutAsJsonAsync(url, Report(prefilled))).Expect(HttpStatusCode.Created);
        await (await expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);
        await (await steering.PostAsJsonAsync($"{url}/return", new { comment = "Add the attendance per sector." })).Expect(HttpStatusCode.OK);

        var rewritten = await (await expert.PutAsJsonAsync(url, Report(prefilled))).Expect(HttpStatusCode.OK);
        Assert.Equal("Add the attendance per sector.", rewritten.GetProperty("returnComment").GetString());
        var resubmitted = await (await expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, resubmitted.GetProperty("returnComment").ValueKind);
    }

    [Fact]
    public async Task TheListOfReportsIsScopedFilteredAndPaged()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (atExpertId, atToken) = await _app.CreateUserAsync(Role.CountryExpert, "AT");
        var (nlExpertId, nlToken) = await _app.CreateUserAsync(Role.CountryExpert, "NL");
        using var atExpert = _app.ClientWithToken(atToken);
        using var nlExpert = _app.ClientWithToken(nlToken);
        var projectId = await Given.ProjectAsync(coordinator, "JE-LIST");
        var (_, atCourse, _) = await DeliveredCourseAsync(coordinator, projectId, atExpertId, "AT");
        var (_, nlCourse, _) = await DeliveredCourseAsync(coordinator, projectId, nlExpertId, "NL");
        foreach (var (client, course) in new[] { (atExpert, atCourse), (nlExpert, nlCourse) })
        {
            var url = $"/api/courses/{course}/evaluation-report";
            await (await client.PutAsJsonAsync(url, Report(await (await client.GetAsync(url)).Expect(HttpStatusCode.OK)))).Expect(HttpStatusCode.Created);
        }

        await (await atExpert.PostAsync($"/api/courses/{atCourse}/evaluation-report/submit", null)).Expect(HttpStatusCode.OK);

        var submitted = await (await coordinator.GetAsync("/api/evaluation-reports?state=SUBMITTED")).Expect(HttpStatusCode.OK);
        Assert.Equal([atCourse], submitted.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("courseId").GetInt32()).ToArray());
        var all = await (await coordinator.GetAsync("/api/evaluation-reports?pageSize=1&page=2")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, all.GetProperty("total").GetInt32());
        Assert.Equal(nlCourse, all.GetProperty("items")[0].GetProperty("courseId").GetInt32());
        var dutchView = await (await nlExpert.GetAsync("/api/evaluation-reports")).Expect(HttpStatusCode.OK);
        Assert.Equal([nlCourse], dutchView.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("courseId").GetInt32()).ToArray());
        await (await coordinator.GetAsync("/api/evaluation-reports?state=pending")).ExpectProblem(HttpStatusCode.BadRequest, "state");
        await (await coordinator.GetAsync("/api/evaluation-reports?pageSize=500")).ExpectProblem(HttpStatusCode.BadRequest, "pageSize");
        await (await _app.CreateAnonymousClient().GetAsync("/api/evaluation-reports")).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    // Arrangements ----------------------------------------------------------------------------------------

    private static Dictionary<string, object?> Body(object template, params (string Key, object? Value)[] extra)
    {
        var body = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(template))!;
        foreach (var (key, value) in extra)
        {
            body[key] = value;
        }

        return body;
    }

    private static object MilestoneBody(string dueDate = "2013-06-30", int? courseId = null, int? meetingId = null) => new
    {
        title = "Pilot course delivered",
        kind = "activity",
        dueDate,
        courseId,
        meetingId,
    };

    private static async Task<int> PhaseAsync(HttpClient coordinator, int projectId, int number = 4)
    {
        var phases = await (await coordinator.GetAsync($"/api/projects/{projectId}/phases")).Expect(HttpStatusCode.OK);
        return phases[number - 1].GetProperty("id").GetInt32();
    }

    private static async Task<(int PhaseId, int MilestoneId)> MilestoneAsync(
        HttpClient coordinator, int? projectId = null, string dueDate = "2013-06-30", int? courseId = null, int? meetingId = null)
    {
        projectId ??= await Given.ProjectAsync(coordinator, "JE-" + Guid.NewGuid().ToString("N")[..8]);
        var phaseId = await PhaseAsync(coordinator, projectId.Value);
        var created = await coordinator.PostAsJsonAsync($"/api/phases/{phaseId}/milestones", MilestoneBody(dueDate, courseId, meetingId));
        return (phaseId, (await created.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32());
    }

    private static async Task<int> MeetingAsync(HttpClient coordinator, int projectId)
    {
        var response = await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/meetings", new
        {
            kind = "expertGroup",
            phaseId = await PhaseAsync(coordinator, projectId, 2),
            title = "First Expert Group Meeting",
            topic = "Victims identification",
            city = "Antwerp",
            countryCode = "BE",
            startDate = "2012-04-22",
            endDate = "2012-04-22",
        });
        return (await response.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
    }

    private static async Task<int> FormAsync(HttpClient coordinator, string purpose, string[] languages)
    {
        var question = purpose == "reaction"
            ? (object)new { key = "overall", type = "likert5", level = "reaction", required = true, text = languages.ToDictionary(l => l, _ => "Overall") }
            : new
            {
                key = "q1", type = "singleChoice", level = "learning", required = true, text = languages.ToDictionary(l => l, _ => "Indicator?"),
                options = new[] { new { value = "a", text = languages.ToDictionary(l => l, _ => "A") }, new { value = "b", text = languages.ToDictionary(l => l, _ => "B") } },
                correctOption = "a", points = 1,
            };
        var response = await coordinator.PostAsJsonAsync("/api/evaluation-forms", new { title = $"{purpose} form", purpose, languages, questions = new[] { question } });
        return (await response.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
    }

    /// <summary>
    /// A course of 3 enrolled (law enforcement, field staff) with two sessions: two attended both, one attended one, so
    /// 2 are trained; delivered, with a milestone of phase 4 standing for it.
    /// </summary>
    private static async Task<(int PhaseId, int CourseId, int MilestoneId)> DeliveredCourseAsync(
        HttpClient coordinator, int projectId, int expertId, string country = "AT")
    {
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, country, min: 1, countryExpertUserId: expertId, projectId: projectId);
        var sessions = new[] { await CourseGiven.SessionAsync(coordinator, courseId, "2013-05-13"), await CourseGiven.SessionAsync(coordinator, courseId, "2013-05-14") };
        var people = await CourseGiven.EnrolAsync(coordinator, courseId, 3, country);
        await CourseGiven.RecordAsync(coordinator, courseId, sessions[0], people.Select(p => (p, "present")));
        await CourseGiven.RecordAsync(coordinator, courseId, sessions[1], [(people[0], "present"), (people[1], "late"), (people[2], "absent")]);
        var (phaseId, milestoneId) = await MilestoneAsync(coordinator, projectId, "2013-05-31", courseId);
        await CourseGiven.MoveAsync(coordinator, courseId, "closed");
        await CourseGiven.MoveAsync(coordinator, courseId, "delivered");
        return (phaseId, courseId, milestoneId);
    }

    private static object Report(JsonElement prefilled, int? participantsAttended = null, string? deliveredOn = null) => new
    {
        deliveredOn = deliveredOn ?? prefilled.GetProperty("deliveredOn").GetString(),
        participantsAttended = participantsAttended ?? prefilled.GetProperty("participantsAttended").GetInt32(),
        summary = "Police and health staff met for the first time in one room.",
        strengths = "Joint case study of a labour exploitation case.",
        weaknesses = "Too little time for the referral exercise.",
        recommendations = new[] { "Add half a day for referral" },
        overallRating = 4,
    };

    public void Dispose() => _app.Dispose();
}
