using System.Net;
using System.Net.Http.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Documents;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>
/// Issue 24: one participant's certificate from the documents page, as <c>GET /api/courses/{id}/participants/{pid}/certificate.pdf</c>
/// gives it (the same code, <c>CourseDocuments.CertificateAsync</c>, and the same roles: admin and coordinator).
/// </summary>
public sealed class CertificatePageTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    private sealed record Arranged(int CourseId, int Completed, int Absent, HttpClient Api);

    /// <summary>A course of one session: Ilse attended it, Tomasz did not.</summary>
    private async Task<Arranged> ArrangeAsync()
    {
        var api = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, _) = await CourseGiven.RunningCourseAsync(api, sessions: 1, participants: 0);
        var ilse = await CourseGiven.ParticipantAsync(api, "Ilse Brandstätter");
        var tomasz = await CourseGiven.ParticipantAsync(api, "Tomasz Wiśniewski");
        foreach (var participantId in new[] { ilse, tomasz })
        {
            await (await api.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId })).Expect(HttpStatusCode.Created);
        }

        await CourseGiven.RecordAsync(api, courseId, sessions[0], [(ilse, "present"), (tomasz, "absent")]);
        return new Arranged(courseId, ilse, tomasz, api);
    }

    [Fact]
    public async Task ACoordinatorFindsEachAttendeeOnTheDocumentsPageAndTheirCertificateIsTheApisPdfWithTheirName()
    {
        var (courseId, ilse, tomasz, api) = await ArrangeAsync();
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (api)
        using (browser)
        {
            var html = WebUtility.HtmlDecode(await (await browser.GetAsync($"/workspace/courses/{courseId}/documents")).Content.ReadAsStringAsync());
            var link = $"/workspace/courses/{courseId}/documents/Certificate?participantId={ilse}";
            Assert.Contains($"<a href=\"{link}\">Certificate of Ilse Brandstätter", html, StringComparison.Ordinal);
            Assert.Contains("attended 1 of 1 session", html, StringComparison.Ordinal);
            Assert.DoesNotContain($"Certificate?participantId={tomasz}", html, StringComparison.Ordinal);
            Assert.Contains("Tomasz Wiśniewski</span>", html, StringComparison.Ordinal);
            Assert.Contains("attended 0 of 1 session: not completed, no certificate", html, StringComparison.Ordinal);

            using var certificate = await Pdf.ReadAsync(await browser.GetAsync(link));
            using var twin = await Pdf.ReadAsync(await api.GetAsync($"/api/courses/{courseId}/participants/{ilse}/certificate.pdf"));
            Assert.Equal(1, certificate.Pages());
            Assert.Contains("Ilse Brandstätter", certificate.Text(), StringComparison.Ordinal);
            Assert.DoesNotContain("Tomasz", certificate.Text(), StringComparison.Ordinal);
            Assert.Equal(twin.FileName, certificate.FileName);
            Assert.Equal(twin.Text(), certificate.Text());

            // Not completed: the API's 409 in its words, on the page; not enrolled: a 404 page, as the API's 404.
            var absent = await browser.GetAsync($"/workspace/courses/{courseId}/documents/Certificate?participantId={tomasz}");
            Assert.Equal(HttpStatusCode.Conflict, absent.StatusCode);
            var apiAbsent = await (await api.GetAsync($"/api/courses/{courseId}/participants/{tomasz}/certificate.pdf")).Expect(HttpStatusCode.Conflict);
            Assert.Contains(WebUtility.HtmlEncode(apiAbsent.GetProperty("detail").GetString()!), await absent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/workspace/courses/{courseId}/documents/Certificate?participantId=999999")).StatusCode);
            var apiMissing = await (await api.GetAsync($"/api/courses/{courseId}/participants/999999/certificate.pdf")).Expect(HttpStatusCode.NotFound);
            Assert.Equal($"Participant 999999 is not enrolled in course {courseId}.", apiMissing.GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/workspace/courses/999999/documents/Certificate?participantId=1")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/workspace/courses/{courseId}/documents/Certificate?participantId=x")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/workspace/courses/{courseId}/documents/Certificate")).StatusCode);
        }
    }

    [Fact]
    public async Task AnAdminGetsTheCertificateAndCountryExpertsAndTheSteeringGroupAreRefusedItAsTheApiRefusesThem()
    {
        var (courseId, ilse, _, api) = await ArrangeAsync();
        var link = $"/workspace/courses/{courseId}/documents/Certificate?participantId={ilse}";
        var (_, _, admin) = await WorkspaceGiven.SignedInAsync(_app, Role.Admin);
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        var (_, _, steering) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        using var expertApi = await _app.CreateClientAsync(Role.CountryExpert);
        using var steeringApi = await _app.CreateClientAsync(Role.SteeringGroup);
        using (api)
        using (admin)
        using (expert)
        using (steering)
        {
            using (var certificate = await Pdf.ReadAsync(await admin.GetAsync(link)))
            {
                Assert.Contains("Ilse Brandstätter", certificate.Text(), StringComparison.Ordinal);
            }

            var apiUrl = $"/api/courses/{courseId}/participants/{ilse}/certificate.pdf";
            Assert.Equal(HttpStatusCode.Forbidden, (await expertApi.GetAsync(apiUrl)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await steeringApi.GetAsync(apiUrl)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await expert.GetAsync(link)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await steering.GetAsync(link)).StatusCode);
            var page = await (await expert.GetAsync($"/workspace/courses/{courseId}/documents")).Content.ReadAsStringAsync();
            Assert.DoesNotContain("Certificate?participantId=", page, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _app.Dispose();
}
