using System.Net;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>Issue 24: paper forms typed in by the country expert, with the rules of <c>POST /api/courses/{id}/evaluations</c>.</summary>
public sealed class PaperFormPageTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    private async Task<TestCourse> CourseWithFormAsync(HttpClient coordinator, string country = "AT", int participants = 2)
    {
        var formId = await EvaluationGiven.FormAsync(coordinator, new
        {
            title = "Reaction",
            purpose = "reaction",
            languages = new[] { "en" },
            questions = new object[]
            {
                new { key = "overall", type = "likert5", level = "reaction", required = true, text = new { en = "Overall, how satisfied are you?" } },
                new { key = "remarks", type = "text", level = "reaction", required = false, text = new { en = "Anything else?" } },
            },
        });
        return await EvaluationGiven.CourseAsync(_app, coordinator, reactionFormId: formId, language: "en", country: country,
            participants: participants, assignExpert: false);
    }

    [Fact]
    public async Task TheExpertTypesInPaperFormsUntilAsManyAsEnrolledThenIsToldWhyNoMore()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await CourseWithFormAsync(coordinator);
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        using (expert)
        {
            var url = $"/workspace/courses/{course.Id}/paper-forms";
            var html = await (await expert.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Contains("Overall, how satisfied are you?", html, StringComparison.Ordinal);

            // A required question left blank: the API's message beside it, nothing stored.
            var blank = await expert.PostAsync(url, WorkspaceGiven.Form(html, ("q.remarks", "Good")));
            Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
            var page = await blank.Content.ReadAsStringAsync();
            Assert.Matches("id=\"overall-error\"", page);
            Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_responses"));

            for (var i = 0; i < 2; i++)
            {
                var saved = await expert.PostAsync(url, WorkspaceGiven.Form(html, ("q.overall", "4"), ("q.remarks", "")));
                Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            }

            var summary = await (await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).Expect(HttpStatusCode.OK);
            Assert.Contains("\"responses\":2", summary.ToString().Replace(" ", ""), StringComparison.Ordinal);

            var third = await expert.PostAsync(url, WorkspaceGiven.Form(html, ("q.overall", "5")));
            Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
            Assert.Contains("enrolled", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(2, EvaluationGiven.Count(_app, "evaluation_responses"));
        }
    }

    [Fact]
    public async Task AnotherCountrysCourseIsA404TheSteeringGroupGetsA403AndAPostWithoutTheTokenA400()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var austrian = await CourseWithFormAsync(coordinator);
        var latvian = await CourseWithFormAsync(coordinator, country: "LV");
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        var (_, _, steering) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        using (expert)
        using (steering)
        {
            var url = $"/workspace/courses/{austrian.Id}/paper-forms";
            var html = await (await expert.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, (await expert.GetAsync($"/workspace/courses/{latvian.Id}/paper-forms")).StatusCode);
            var forged = await expert.PostAsync($"/workspace/courses/{latvian.Id}/paper-forms", WorkspaceGiven.Form(html, ("q.overall", "4")));
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await steering.GetAsync(url)).StatusCode);
            var without = await expert.PostAsync(url, WorkspaceGiven.Form(null, ("q.overall", "4")));
            Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
            Assert.Equal(0, EvaluationGiven.Count(_app, "evaluation_responses"));
        }
    }

    public void Dispose() => _app.Dispose();
}
