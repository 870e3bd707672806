using System.Net;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Demo;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.FollowThrough;

/// <summary>The demo agrees with the programme documents (shared/seeds) and with the follow-through rules.</summary>
public sealed class DemoRecordTests : IDisposable
{
    private readonly JointEffortsApp _app = new(settings: new Dictionary<string, string?> { [Startup.SeedDemoSetting] = "true" });

    [Fact]
    public async Task IomPolandIsCompletedWith495TrainedAndItsStudyVisitToBulgaria()
    {
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var project = await ProjectAsync(steering, PolandDemo.Code);
        var id = project.GetProperty("id").GetInt32();

        Assert.Equal("completed", project.GetProperty("status").GetString());
        Assert.Equal(["PL"], project.GetProperty("countries").EnumerateArray().Select(c => c.GetString()!).ToArray());
        var phases = (await (await steering.GetAsync($"/api/projects/{id}/phases")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.All(phases, p => Assert.Equal("completed", p.GetProperty("status").GetString()));
        Assert.All(phases, p => Assert.Equal(1.0, p.GetProperty("progress").GetDouble()));
        using (var db = _app.OpenDatabase())
        {
            var trained = db.QuerySingle<(long Trained, long Enrolled)>(
                """
                SELECT COALESCE(SUM(ec.completed), 0), COUNT(*) FROM enrolment_completion ec JOIN courses c ON c.id = ec.course_id
                WHERE c.project_id = @id
                """,
                new { id });
            Assert.Equal(495, trained.Trained);
            Assert.InRange(trained.Enrolled, 496, 540);
            var sectors = db.Query<string>(
                "SELECT DISTINCT p.sector FROM participants p JOIN enrolments e ON e.participant_id = p.id JOIN courses c ON c.id = e.course_id WHERE c.project_id = @id ORDER BY 1",
                new { id });
            Assert.Equal(["borderGuard", "judiciary", "labourInspection"], sectors);
        }

        var courses = await (await steering.GetAsync($"/api/projects/{id}/courses?pageSize=200")).Expect(HttpStatusCode.OK);
        Assert.All(courses.GetProperty("items").EnumerateArray(), c => Assert.InRange(c.GetProperty("enrolledCount").GetInt32(), 25, 40));
        var meetings = await (await steering.GetAsync($"/api/projects/{id}/meetings")).Expect(HttpStatusCode.OK);
        var visit = Assert.Single(meetings.GetProperty("items").EnumerateArray());
        Assert.Equal("studyVisit", visit.GetProperty("kind").GetString());
        Assert.Equal("BG", visit.GetProperty("countryCode").GetString());
        Assert.True(visit.GetProperty("attendeeCount").GetInt32() >= 10);
    }

    [Fact]
    public async Task JointEffortsHasItsCountriesAndPilotMilestonesThatFollowTheCourses()
    {
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var project = await ProjectAsync(steering, DemoSeed.ProjectCode);
        var id = project.GetProperty("id").GetInt32();

        Assert.Equal(["BE", "HU", "SE", "LU", "NL", "PT", "RO", "AT", "AL", "MD", "GB", "NO"],
            project.GetProperty("countries").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Equal("running", project.GetProperty("status").GetString());
        var courses = (await (await steering.GetAsync($"/api/projects/{id}/courses")).Expect(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetInt32());
        var phase4 = (await (await steering.GetAsync($"/api/projects/{id}/phases")).Expect(HttpStatusCode.OK))[3].GetProperty("id").GetInt32();
        var milestones = (await (await steering.GetAsync($"/api/phases/{phase4}/milestones?asOf=2013-10-01")).Expect(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Where(m => m.GetProperty("courseId").ValueKind == JsonValueKind.Number).ToList();

        Assert.Equal(6, milestones.Count);
        foreach (var milestone in milestones)
        {
            var course = courses[milestone.GetProperty("courseId").GetInt32()];
            Assert.Equal(course.GetProperty("endDate").GetString(), milestone.GetProperty("dueDate").GetString());
            var done = course.GetProperty("status").GetString() is "delivered" or "evaluated";
            Assert.Equal(done ? course.GetProperty("endDate").GetString() : null, milestone.GetProperty("completedOn").GetString());
            Assert.False(milestone.GetProperty("overdue").GetBoolean() && done);
        }

        var moldova = milestones.Single(m => m.GetProperty("title").GetString()!.Contains("Moldova"));
        Assert.False(moldova.GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task EachDeliveredCoursesReportIsItsOwnExpertsAndTheAcceptedOneIsEvaluated()
    {
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var project = await ProjectAsync(steering, DemoSeed.ProjectCode);
        var courses = (await (await steering.GetAsync($"/api/projects/{project.GetProperty("id").GetInt32()}/courses")).Expect(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Where(c => c.GetProperty("status").GetString() is "delivered" or "evaluated").ToList();

        var reports = new List<JsonElement>();
        foreach (var course in courses)
        {
            var report = await (await steering.GetAsync($"/api/courses/{course.GetProperty("id").GetInt32()}/evaluation-report")).Expect(HttpStatusCode.OK);
            reports.Add(report);
            Assert.Equal(report.GetProperty("state").GetString() == "accepted", course.GetProperty("status").GetString() == "evaluated");
            Assert.InRange(report.GetProperty("participantsAttended").GetInt32(), 1, report.GetProperty("figures").GetProperty("enrolled").GetInt32());
        }

        Assert.Equal(4, reports.Count);
        foreach (var field in new[] { "summary", "strengths", "weaknesses" })
        {
            Assert.Equal(4, reports.Select(r => r.GetProperty(field).GetString()).Distinct().Count());
        }

        Assert.Equal(4, reports.Select(r => r.GetProperty("recommendations")[0].GetString()).Distinct().Count());
        var awaiting = await (await steering.GetAsync($"/api/evaluation-reports?state=submitted")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, awaiting.GetProperty("total").GetInt32());
    }

    private static async Task<JsonElement> ProjectAsync(HttpClient client, string code)
    {
        var projects = await (await client.GetAsync("/api/projects?pageSize=200")).Expect(HttpStatusCode.OK);
        return projects.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("code").GetString() == code);
    }

    public void Dispose() => _app.Dispose();
}
