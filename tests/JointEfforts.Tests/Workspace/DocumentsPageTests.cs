using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Documents;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>Issue 24: a course's documents page — issue a batch of codes, and the sign-in sheets, slips and certificates as PDFs through the page session.</summary>
public sealed class DocumentsPageTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task ACoordinatorIssuesABatchOnThePageAndItsSlipsAreOneClickAwayWithTheSameCodesAsTheApiLists()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(api, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, api, reaction, participants: 4);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var html = await (await browser.GetAsync($"/workspace/courses/{course.Id}/documents")).Content.ReadAsStringAsync();
            Assert.Contains("No code issued yet.", html, StringComparison.Ordinal);

            var posted = await browser.PostAsync($"/workspace/courses/{course.Id}/documents?handler=Issue", WorkspaceGiven.Form(html, ("count", "")));

            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            var listed = await (await api.GetAsync($"/api/courses/{course.Id}/evaluation-codes")).Expect(HttpStatusCode.OK);
            var batch = listed.GetProperty("items").EnumerateArray().Single();
            var batchId = batch.GetProperty("batchId").GetInt32();
            var codes = batch.GetProperty("codes").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToList();
            Assert.Equal(5, codes.Count); // 4 enrolled, raised to 5: the API's default
            Assert.Equal($"/workspace/courses/{course.Id}/documents?issued={batchId}#codes", posted.Headers.Location?.OriginalString);

            var after = await (await browser.GetAsync($"/workspace/courses/{course.Id}/documents?issued={batchId}")).Content.ReadAsStringAsync();
            Assert.Contains($"href=\"/workspace/courses/{course.Id}/documents/Slips?batchId={batchId}\"", after, StringComparison.Ordinal);
            Assert.Contains($"Slips of batch {batchId} · 5 codes", after, StringComparison.Ordinal);
            Assert.Contains("just issued", after, StringComparison.Ordinal);

            using var slips = await Pdf.ReadAsync(await browser.GetAsync($"/workspace/courses/{course.Id}/documents/Slips?batchId={batchId}"));
            using var twin = await Pdf.ReadAsync(await api.GetAsync($"/api/courses/{course.Id}/evaluation-codes/{batchId}/slips.pdf"));
            Assert.Equal(twin.FileName, slips.FileName);
            var text = slips.Text();
            Assert.All(codes, code => Assert.Contains(code, text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ABadCountIsShownBesideTheFieldInTheApisWordsAndACourseWithoutAFormGetsTheApisConflictAndNoCodes()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(api, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, api, reaction, participants: 2);
        var formless = await EvaluationGiven.CourseAsync(_app, api, reactionFormId: null, participants: 2);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var html = await (await browser.GetAsync($"/workspace/courses/{course.Id}/documents")).Content.ReadAsStringAsync();
            var apiProblem = await (await api.PostAsJsonAsync($"/api/courses/{course.Id}/evaluation-codes", new { count = 3 })).Expect(HttpStatusCode.BadRequest);
            var apiMessage = apiProblem.GetProperty("errors").GetProperty("count")[0].GetString()!;

            var tooFew = await browser.PostAsync($"/workspace/courses/{course.Id}/documents?handler=Issue", WorkspaceGiven.Form(html, ("count", "3")));

            Assert.Equal(HttpStatusCode.BadRequest, tooFew.StatusCode);
            var page = await tooFew.Content.ReadAsStringAsync();
            Assert.Contains($"<p class=\"error-message\" id=\"count-error\"><span class=\"visually-hidden\">Error: </span>{WebUtility.HtmlEncode(apiMessage)}</p>", page, StringComparison.Ordinal);
            Assert.Contains("aria-invalid=\"true\"", page, StringComparison.Ordinal);
            Assert.Contains("value=\"3\"", page, StringComparison.Ordinal);
            var notANumber = await browser.PostAsync($"/workspace/courses/{course.Id}/documents?handler=Issue", WorkspaceGiven.Form(html, ("count", "ten")));
            Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
            Assert.Contains("count must be a whole number.", await notANumber.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var none = await (await api.GetAsync($"/api/courses/{course.Id}/evaluation-codes")).Expect(HttpStatusCode.OK);
            Assert.Equal(0, none.GetProperty("total").GetInt32());

            var formlessHtml = await (await browser.GetAsync($"/workspace/courses/{formless.Id}/documents")).Content.ReadAsStringAsync();
            var conflict = await browser.PostAsync($"/workspace/courses/{formless.Id}/documents?handler=Issue", WorkspaceGiven.Form(formlessHtml, ("count", "")));
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            Assert.Contains($"Course {formless.Id} has no reaction form (evaluationFormId): give it one before issuing codes.", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var stillNone = await (await api.GetAsync($"/api/courses/{formless.Id}/evaluation-codes")).Expect(HttpStatusCode.OK);
            Assert.Equal(0, stillNone.GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task SignInSheetsAndCertificatesComeAsTheApisPdfsAndNoCompletedParticipantIsAConflictPage()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, participants) = await CourseGiven.RunningCourseAsync(api, sessions: 1, participants: 2);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var html = await (await browser.GetAsync($"/workspace/courses/{courseId}/documents")).Content.ReadAsStringAsync();
            Assert.Contains($"href=\"/workspace/courses/{courseId}/documents/SignInSheet?sessionId={sessions[0]}\"", html, StringComparison.Ordinal);
            using (var sheet = await Pdf.ReadAsync(await browser.GetAsync($"/workspace/courses/{courseId}/documents/SignInSheet?sessionId={sessions[0]}")))
            using (var twin = await Pdf.ReadAsync(await api.GetAsync($"/api/courses/{courseId}/sessions/{sessions[0]}/sign-in-sheet.pdf")))
            {
                Assert.Equal(twin.FileName, sheet.FileName);
                Assert.Equal(twin.Text(), sheet.Text());
            }

            var early = await browser.GetAsync($"/workspace/courses/{courseId}/documents/Certificates");
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
            Assert.Contains($"No participant has completed course {courseId} yet", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            await CourseGiven.RecordAsync(api, courseId, sessions[0], participants.Select(p => (p, "present")));
            using var certificates = await Pdf.ReadAsync(await browser.GetAsync($"/workspace/courses/{courseId}/documents/Certificates"));
            Assert.Equal(2, certificates.Pages());

            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/workspace/courses/{courseId}/documents/SignInSheet?sessionId=99999")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/workspace/courses/{courseId}/documents/Slips?batchId=99999")).StatusCode);
        }
    }

    [Fact]
    public async Task AnotherCountrysExpertGetsNotFoundPagesTheSteeringGroupAForbiddenPageAndAPostWithoutItsTokenIsRefused()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(api, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, api, reaction, participants: 2, country: "AT");
        var batchId = (await (await api.PostAsync($"/api/courses/{course.Id}/evaluation-codes", null)).Expect(HttpStatusCode.Created)).GetProperty("batchId").GetInt32();
        var slips = $"/workspace/courses/{course.Id}/documents/Slips?batchId={batchId}";

        var (_, _, latvian) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "LV");
        using (latvian)
        {
            var page = await latvian.GetAsync($"/workspace/courses/{course.Id}/documents");
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Contains("There is no such course, or it is not one you may see.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await latvian.GetAsync(slips)).StatusCode);
        }

        // An Austrian expert who is not this course's expert: the page, but not its codes (the API's 403), and never certificates.
        var (_, _, austrian) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        using (austrian)
        {
            var html = await (await austrian.GetAsync($"/workspace/courses/{course.Id}/documents")).Content.ReadAsStringAsync();
            Assert.DoesNotContain("Certificates of attendance", html, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await austrian.GetAsync(slips)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await austrian.GetAsync($"/workspace/courses/{course.Id}/documents/Certificates")).StatusCode);
            var issue = await austrian.PostAsync($"/workspace/courses/{course.Id}/documents?handler=Issue", WorkspaceGiven.Form(html, ("count", "")));
            Assert.Equal(HttpStatusCode.Forbidden, issue.StatusCode);
        }

        var (_, _, steering) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        using (steering)
        {
            var page = await steering.GetAsync($"/workspace/courses/{course.Id}/documents");
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.Contains("This page is not for the role steering group.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await steering.GetAsync(slips)).StatusCode);
        }

        // The course's own expert prints its slips; the bearer token is no key to the workspace's copy.
        using (var expertSlips = await Pdf.ReadAsync(await course.Expert.GetAsync($"/api/courses/{course.Id}/evaluation-codes/{batchId}/slips.pdf")))
        {
            Assert.NotEmpty(expertSlips.Bytes);
        }

        var withToken = await course.Expert.GetAsync(slips); // sent on to the sign-in page
        Assert.NotEqual("application/pdf", withToken.Content.Headers.ContentType?.MediaType);
        Assert.Equal("/signin", withToken.RequestMessage?.RequestUri?.AbsolutePath);

        var (_, _, coordinator) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (coordinator)
        {
            var forged = await coordinator.PostAsync($"/workspace/courses/{course.Id}/documents?handler=Issue", WorkspaceGiven.Form(null, ("count", "")));
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            var listed = await (await api.GetAsync($"/api/courses/{course.Id}/evaluation-codes")).Expect(HttpStatusCode.OK);
            Assert.Equal(1, listed.GetProperty("total").GetInt32());
        }
    }

    public void Dispose() => _app.Dispose();
}
