using System.Net;
using System.Net.Http.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>Issue 24: a programme's page — phases and milestones, meetings and courses, with what needs doing.</summary>
public sealed class ProgrammePageTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task ACoordinatorSeesTheProgrammesPhasesAnOverdueMilestoneAndACourseUnderItsMinimumLinkedFromHome()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(api, "JE-PAGE");
        var phases = await (await api.GetAsync($"/api/projects/{projectId}/phases")).Expect(HttpStatusCode.OK);
        var planning = phases.EnumerateArray().First().GetProperty("id").GetInt32();
        await (await api.PostAsJsonAsync($"/api/phases/{planning}/milestones", new { title = "Needs assessment report", kind = "deliverable", dueDate = "2012-01-31" }))
            .Expect(HttpStatusCode.Created);
        var courseId = await CourseGiven.OpenCourseAsync(api, countryCode: "LV", min: 25, projectId: projectId);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var home = await (await browser.GetAsync("/workspace")).Content.ReadAsStringAsync();
            Assert.Contains($"<a href=\"/workspace/programmes/{projectId}\">", home, StringComparison.Ordinal);

            var page = await browser.GetAsync($"/workspace/programmes/{projectId}");

            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("1 milestone overdue", html, StringComparison.Ordinal);
            Assert.Contains("1 course under its minimum", html, StringComparison.Ordinal);
            Assert.Contains("Needs assessment report · due 31 Jan 2012", html, StringComparison.Ordinal);
            Assert.Contains(" · overdue", html, StringComparison.Ordinal);
            Assert.Equal(5, html.Split("<h3>").Length - 1); // the five phases
            Assert.Contains($"href=\"/workspace/courses/{courseId}\"", html, StringComparison.Ordinal);
            Assert.Contains("0 enrolled (minimum 25) · under its minimum", html, StringComparison.Ordinal);
            Assert.Contains("No meeting yet.", html, StringComparison.Ordinal);

            var unknown = await browser.GetAsync("/workspace/programmes/99999");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("There is no such programme", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheSteeringGroupAndACountryExpertGetTheForbiddenPage()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(api, "JE-DENY");
        foreach (var (role, country) in new[] { (Role.SteeringGroup, (string?)null), (Role.CountryExpert, "AT") })
        {
            var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, role, country);
            using (browser)
            {
                var page = await browser.GetAsync($"/workspace/programmes/{projectId}");
                Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
                Assert.Contains("This page is not for the role", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
    }

    public void Dispose() => _app.Dispose();
}
