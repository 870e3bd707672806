using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Courses;

public sealed class EnrolmentTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task SixtyParallelEnrolmentsInAFortySeatCourseGiveFortyEnrolledAndTwentyWaitlistedInArrivalOrder()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, min: 25, max: 40);
        var participants = new List<int>();
        for (var i = 0; i < 60; i++)
        {
            participants.Add(await CourseGiven.ParticipantAsync(coordinator, $"Parallel participant {i}"));
        }

        using var start = new ManualResetEventSlim();
        var requests = participants.Select(participantId => Task.Run(async () =>
        {
            start.Wait();
            return await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId });
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(requests);

        var enrolments = new List<(int Id, string Status, int? Position)>();
        foreach (var response in responses)
        {
            var enrolment = await response.Expect(HttpStatusCode.Created);
            enrolments.Add((
                enrolment.GetProperty("id").GetInt32(),
                enrolment.GetProperty("status").GetString()!,
                enrolment.GetProperty("waitlistPosition").ValueKind == System.Text.Json.JsonValueKind.Number ? enrolment.GetProperty("waitlistPosition").GetInt32() : null));
        }

        var enrolled = enrolments.Where(e => e.Status == "enrolled").ToList();
        var waitlisted = enrolments.Where(e => e.Status == "waitlisted").OrderBy(e => e.Id).ToList();
        Assert.Equal(40, enrolled.Count);
        Assert.Equal(20, waitlisted.Count);
        Assert.All(enrolled, e => Assert.Null(e.Position));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (int?)i), waitlisted.Select(e => e.Position));
        Assert.True(enrolled.Max(e => e.Id) < waitlisted.Min(e => e.Id), "every seat went to an earlier arrival than any waitlisted one");
        using var db = _app.OpenDatabase();
        Assert.Equal(40, db.ExecuteScalar<long>("SELECT COUNT(*) FROM enrolments WHERE course_id = @courseId AND status = 'enrolled'", new { courseId }));
        var course = await (await coordinator.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(40, course.GetProperty("enrolledCount").GetInt32());
        Assert.Equal(20, course.GetProperty("waitlistedCount").GetInt32());
    }

    [Fact]
    public async Task EnrolmentBeyondCapacityIsWaitlistedAndListedWithPositions()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, min: 1, max: 2);
        var participants = await CourseGiven.EnrolAsync(coordinator, courseId, 2);
        var third = await CourseGiven.ParticipantAsync(coordinator, "Ana Popescu", "MD");

        var response = await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = third });

        var enrolment = await response.Expect(HttpStatusCode.Created);
        Assert.Equal("waitlisted", enrolment.GetProperty("status").GetString());
        Assert.Equal(1, enrolment.GetProperty("waitlistPosition").GetInt32());
        Assert.Equal(third, enrolment.GetProperty("participantId").GetInt32());
        Assert.Equal($"/api/courses/{courseId}/enrolments/{enrolment.GetProperty("id").GetInt32()}", response.Headers.Location?.ToString());
        var list = await (await coordinator.GetAsync($"/api/courses/{courseId}/enrolments")).Expect(HttpStatusCode.OK);
        Assert.Equal(3, list.GetProperty("total").GetInt32());
        Assert.Equal([participants[0], participants[1], third], list.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("participantId").GetInt32()).ToArray());
        Assert.Equal("Ana Popescu", list.GetProperty("items")[2].GetProperty("fullName").GetString());
    }

    [Fact]
    public async Task WithdrawalPromotesTheFirstWaitlisted()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, min: 1, max: 2);
        await CourseGiven.EnrolAsync(coordinator, courseId, 4);
        var list = await (await coordinator.GetAsync($"/api/courses/{courseId}/enrolments")).Expect(HttpStatusCode.OK);
        var first = list.GetProperty("items")[0].GetProperty("id").GetInt32();
        var firstWaitlisted = list.GetProperty("items")[2].GetProperty("id").GetInt32();
        var etag = (await coordinator.GetAsync($"/api/courses/{courseId}/enrolments/{first}")).Headers.ETag!.Tag;

        await (await coordinator.DeleteAsync($"/api/courses/{courseId}/enrolments/{first}", etag)).Expect(HttpStatusCode.NoContent);

        var promoted = await (await coordinator.GetAsync($"/api/courses/{courseId}/enrolments/{firstWaitlisted}")).Expect(HttpStatusCode.OK);
        Assert.Equal("enrolled", promoted.GetProperty("status").GetString());
        var withdrawn = await (await coordinator.GetAsync($"/api/courses/{courseId}/enrolments/{first}")).Expect(HttpStatusCode.OK);
        Assert.Equal("withdrawn", withdrawn.GetProperty("status").GetString());
        var waitlist = await (await coordinator.GetAsync($"/api/courses/{courseId}/enrolments?status=waitlisted")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, waitlist.GetProperty("items")[0].GetProperty("waitlistPosition").GetInt32());
        var course = await (await coordinator.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, course.GetProperty("enrolledCount").GetInt32());
        Assert.Equal(1, course.GetProperty("waitlistedCount").GetInt32());
        await (await coordinator.DeleteAsync($"/api/courses/{courseId}/enrolments/{first}")).ExpectProblem(HttpStatusCode.Conflict);
        await (await coordinator.DeleteAsync($"/api/courses/{courseId}/enrolments/{firstWaitlisted}", etag)).ExpectProblem(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task TheSameParticipantTwiceIsAConflictButMayComeBackAfterWithdrawing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, min: 1, max: 5);
        var participantId = await CourseGiven.ParticipantAsync(coordinator, "Jan de Vries", "NL");
        var first = await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId })).Expect(HttpStatusCode.Created);

        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId })).ExpectProblem(HttpStatusCode.Conflict);
        await (await coordinator.DeleteAsync($"/api/courses/{courseId}/enrolments/{first.GetProperty("id").GetInt32()}")).Expect(HttpStatusCode.NoContent);
        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId })).Expect(HttpStatusCode.Created);

        using var db = _app.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM enrolments WHERE status = 'enrolled'"));
    }

    [Theory]
    [InlineData("draft")]
    [InlineData("closed")]
    [InlineData("cancelled")]
    public async Task OnlyAnOpenCourseTakesEnrolments(string status)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.CourseAsync(coordinator, min: 1, max: 5);
        if (status != "draft")
        {
            await CourseGiven.MoveAsync(coordinator, courseId, status == "closed" ? "open" : status);
            if (status == "closed")
            {
                await CourseGiven.MoveAsync(coordinator, courseId, "closed");
            }
        }

        var participantId = await CourseGiven.ParticipantAsync(coordinator, "Erik Lindqvist", "SE");

        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId })).ExpectProblem(HttpStatusCode.Conflict);
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM enrolments"));
    }

    [Theory]
    [InlineData("""{"participantId":9999}""")]
    [InlineData("""{"participantId":"seven"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"participantId":0}""")]
    public async Task BadEnrolmentsNameTheParticipant(string json)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator);

        await (await coordinator.PostAsync($"/api/courses/{courseId}/enrolments", Http.RawJson(json))).ExpectProblem(HttpStatusCode.BadRequest, "participantId");
        await (await coordinator.PostAsync("/api/courses/404/enrolments", Http.RawJson("""{"participantId":1}"""))).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OnlyCoordinatorsEnrolAndAnExpertReadsOnlyTheirCountrysEnrolments()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var austria = await CourseGiven.OpenCourseAsync(coordinator, "AT", min: 1);
        var netherlands = await CourseGiven.OpenCourseAsync(coordinator, "NL", min: 1);
        await CourseGiven.EnrolAsync(coordinator, austria, 1);
        await CourseGiven.EnrolAsync(coordinator, netherlands, 1, "NL");
        var participantId = await CourseGiven.ParticipantAsync(coordinator, "Maria Huber");
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);

        await (await expert.PostAsJsonAsync($"/api/courses/{austria}/enrolments", new { participantId })).ExpectProblem(HttpStatusCode.Forbidden);
        await (await steering.PostAsJsonAsync($"/api/courses/{austria}/enrolments", new { participantId })).ExpectProblem(HttpStatusCode.Forbidden);
        await (await expert.DeleteAsync($"/api/courses/{austria}/enrolments/1")).ExpectProblem(HttpStatusCode.Forbidden);
        var own = await (await expert.GetAsync($"/api/courses/{austria}/enrolments")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, own.GetProperty("total").GetInt32());
        await (await expert.GetAsync($"/api/courses/{netherlands}/enrolments")).ExpectProblem(HttpStatusCode.NotFound);
        await (await steering.GetAsync($"/api/courses/{netherlands}/enrolments")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnEnrolmentOfAnotherCourseIsNotFound()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var first = await CourseGiven.OpenCourseAsync(coordinator, min: 1);
        var second = await CourseGiven.OpenCourseAsync(coordinator, min: 1);
        await CourseGiven.EnrolAsync(coordinator, first, 1);
        var enrolmentId = (await (await coordinator.GetAsync($"/api/courses/{first}/enrolments")).Expect(HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("id").GetInt32();

        await (await coordinator.GetAsync($"/api/courses/{second}/enrolments/{enrolmentId}")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.DeleteAsync($"/api/courses/{second}/enrolments/{enrolmentId}")).ExpectProblem(HttpStatusCode.NotFound);
    }

    public void Dispose() => _app.Dispose();
}
