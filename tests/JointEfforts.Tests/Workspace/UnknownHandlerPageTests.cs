using System.Net;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>
/// A handler a workspace page does not have, asked for by GET or POST (with a valid antiforgery token), is never a 500 on any
/// page (Razor Pages would render the page without running a handler, with nothing loaded).
/// </summary>
public sealed class UnknownHandlerPageTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task AnUnknownHandlerOnAnyWorkspacePageIsNeverA500NorAPageRenderedByAPostAndChangesNothing()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessionIds, _) = await CourseGiven.RunningCourseAsync(api, sessions: 1);
        var programmeId = (await (await api.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK)).GetProperty("projectId").GetInt32();
        var before = await (await api.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            string[] pages =
            [
                "/workspace",
                $"/workspace/programmes/{programmeId}",
                $"/workspace/programmes/{programmeId}/courses/new",
                $"/workspace/courses/{courseId}",
                $"/workspace/courses/{courseId}/edit",
                $"/workspace/courses/{courseId}/status",
                $"/workspace/courses/{courseId}/sessions/{sessionIds[0]}",
                $"/workspace/courses/{courseId}/sessions/{sessionIds[0]}/attendance",
                $"/workspace/courses/{courseId}/participants",
                $"/workspace/courses/{courseId}/participants/add",
                $"/workspace/courses/{courseId}/participants/import",
                $"/workspace/courses/{courseId}/documents/Nope",
                $"/workspace/programmes/{programmeId}/meetings/new",
                $"/workspace/courses/{courseId}/report",
                $"/workspace/courses/{courseId}/paper-forms",
            ];
            var token = WorkspaceGiven.Token(await (await browser.GetAsync($"/workspace/courses/{courseId}")).Content.ReadAsStringAsync());
            foreach (var page in pages)
            {
                var address = page.EndsWith("/Nope", StringComparison.Ordinal) ? page : page + "?handler=Nope";
                var got = await browser.GetAsync(address);
                // The page itself (its OnGet, the one GET handler) or the 404 page: never a page rendered with nothing loaded.
                Assert.True(got.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"GET {address}: {(int)got.StatusCode}");
                var posted = await browser.PostAsync(address,
                    new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
                // The 404 page, or a page whose one unnamed POST handler refuses the empty form (400, 403 for a reader, 409 for a
                // missing version): nothing is stored, and never a page rendered by a POST that ran no handler (a 200).
                Assert.True(posted.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.Conflict,
                    $"POST {address}: {(int)posted.StatusCode}");
            }
        }

        var after = await (await api.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(before.ToString(), after.ToString());
    }

    public void Dispose() => _app.Dispose();
}
