using System.Net;
using Dapper;
using JointEfforts.Api.Demo;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Courses;

public sealed class CourseDemoTests : IDisposable
{
    private readonly JointEffortsApp _app = new(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });

    [Fact]
    public async Task TheDemoHasTheSixPilotCoursesOf2013WithAttendanceForTheDeliveredOnes()
    {
        using var db = _app.OpenDatabase();
        var projectId = db.ExecuteScalar<int>("SELECT id FROM projects WHERE code = @code", new { code = DemoSeed.ProjectCode });
        using var coordinator = _app.CreateAdminClient();

        var courses = await (await coordinator.GetAsync($"/api/projects/{projectId}/courses")).Expect(HttpStatusCode.OK);

        var items = courses.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["AT", "NL", "AL", "MD", "GB", "SE"], items.Select(c => c.GetProperty("countryCode").GetString()));
        // Austria's report was accepted, which made its course evaluated (follow-through rules).
        Assert.Equal(["evaluated", "delivered", "delivered", "delivered", "closed", "open"], items.Select(c => c.GetProperty("status").GetString()));
        Assert.All(items, c =>
        {
            Assert.StartsWith("2013-", c.GetProperty("startDate").GetString());
            Assert.InRange(c.GetProperty("enrolledCount").GetInt32(), 25, 40);
            Assert.InRange(c.GetProperty("sessionCount").GetInt32(), 2, 3);
            Assert.NotEqual(System.Text.Json.JsonValueKind.Null, c.GetProperty("countryExpertUserId").ValueKind);
        });
        Assert.True(items[5].GetProperty("waitlistedCount").GetInt32() > 0, "the open course has a waitlist");
        foreach (var delivered in items.Take(4))
        {
            var matrix = await (await coordinator.GetAsync($"/api/courses/{delivered.GetProperty("id").GetInt32()}/attendance")).Expect(HttpStatusCode.OK);
            var completed = matrix.GetProperty("completedCount").GetInt32();
            Assert.InRange(completed, matrix.GetProperty("enrolledCount").GetInt32() * 7 / 10, matrix.GetProperty("enrolledCount").GetInt32() - 1);
        }

        var sectors = db.Query<string>("SELECT DISTINCT sector FROM participants").ToList();
        Assert.True(sectors.Count >= 6, string.Join(",", sectors));
    }

    public void Dispose() => _app.Dispose();
}
