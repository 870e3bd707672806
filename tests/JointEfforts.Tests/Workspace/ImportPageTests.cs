using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>Issue 24: a participant list imported from the course's page — a preview of every row first, nothing saved, then the import.</summary>
public sealed partial class ImportPageTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task AListIsPreviewedRowByRowWithNothingSavedThenImportedAndEnrolledWithTheCapacityRules()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(api, "LV", min: 1, max: 2);
        var known = await CourseGiven.ParticipantAsync(api, "Ilze Bērziņa", "LV", "ilze@example.lv");
        const string csv = """
            Vārds;Uzvārds;E-pasts;Iestāde;Nozare;Valsts
            Ilze;Bērziņa;ilze@example.lv;Sociālais dienests;socialServices;LV
            Jānis;Ozols;janis@example.lv;Valsts policija;Policija;Latvija
            Anna;Liepa;;Valsts robežsardze;borderGuard;LV
            """;
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/courses/{courseId}/participants/import";
            var form = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Contains($"href=\"{url}?handler=Template\"", form, StringComparison.Ordinal);

            var preview = await Upload(browser, url, form, Encoding.UTF8.GetBytes(csv), "dalibnieki.csv");
            Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
            var html = await preview.Content.ReadAsStringAsync();
            Assert.Contains("Preview of dalibnieki.csv", html, StringComparison.Ordinal);
            Assert.Contains("3 rows ready. Importing would register 2 new participants and match 1 already known; 2 enrolled, 1 on the waiting list.", html, StringComparison.Ordinal);
            Assert.Equal(3, Regex.Count(html, "<span class=\"ws-ok\">Ready</span>"));
            Assert.Contains("Jānis Ozols", html, StringComparison.Ordinal);
            Assert.Contains("<td data-label=\"Sector\">Law enforcement</td>", html, StringComparison.Ordinal); // 'Policija' as the import reads it
            Assert.Contains($"Already known as participant {known}: matched, not registered again.", html, StringComparison.Ordinal);
            Assert.Contains("Import 3 participants", html, StringComparison.Ordinal);
            using (var db = _app.OpenDatabase())
            {
                Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants")); // the preview saved nothing
                Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM enrolments"));
            }

            var imported = await ImportAgain(browser, url, html);
            Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
            Assert.Equal($"/workspace/courses/{courseId}/participants?imported=3&created=2&matched=1&seated=2&waiting=1&already=0#done", imported.Headers.Location?.OriginalString);
            var course = await (await api.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
            Assert.Equal(2, course.GetProperty("enrolledCount").GetInt32()); // never over the maximum
            Assert.Equal(1, course.GetProperty("waitlistedCount").GetInt32());
            var done = await (await browser.GetAsync(imported.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
            Assert.Contains("3 rows imported: 2 new, 1 already known; 2 enrolled, 1 on the waiting list.", done, StringComparison.Ordinal);
            Assert.Contains("Anna Liepa", done, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AListWithErrorsShowsEachBesideItsRowAndCannotBeImportedUntilCorrected()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(api, "AT", min: 1, max: 20);
        const string csv = """
            fullName,email,organisation,sector,countryCode,seniority
            Maria Huber,maria@example.at,Bundeskriminalamt,lawEnforcement,AT,senior
            Karl Bauer,not-an-address,Caritas,pirates,AT,field
            Eva Wolf,,,health,Atlantis,field
            """;
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/courses/{courseId}/participants/import";
            var form = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
            var preview = await Upload(browser, url, form, Encoding.UTF8.GetBytes(csv), "list.csv");

            Assert.Equal(HttpStatusCode.BadRequest, preview.StatusCode);
            var html = await preview.Content.ReadAsStringAsync();
            Assert.Contains("2 rows have errors. Nothing was saved: correct the list and upload it again.", html, StringComparison.Ordinal);
            Assert.DoesNotContain("handler=Import", html, StringComparison.Ordinal); // no way to import it
            Assert.Equal(2, Regex.Count(html, "<tr class=\"ws-row-error\">"));
            Assert.Contains("<td data-label=\"Sector\">pirates</td>", html, StringComparison.Ordinal); // as written, beside why it is wrong

            // The errors beside their rows are the dry run's own (POST /api/participants/import?dryRun=true).
            var dryRun = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
            dryRun.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            var apiPreview = await (await api.PostAsync($"/api/participants/import?dryRun=true&courseId={courseId}", dryRun)).Expect(HttpStatusCode.OK);
            var rows = apiPreview.GetProperty("rows").EnumerateArray().ToList();
            Assert.Equal(3, rows.Count);
            foreach (var row in rows.Where(r => r.GetProperty("errors").GetArrayLength() > 0))
            {
                var number = row.GetProperty("row").GetInt32();
                var cells = Regex.Match(html, $"<td data-label=\"Row\" class=\"num\">{number}</td>(.*?)</tr>", RegexOptions.Singleline);
                Assert.True(cells.Success, $"row {number} is in the preview");
                foreach (var error in row.GetProperty("errors").EnumerateArray())
                {
                    Assert.Contains(error.GetProperty("message").GetString()!, WebUtility.HtmlDecode(cells.Groups[1].Value), StringComparison.Ordinal);
                }
            }

            // Forcing the import anyway (the file sent back by hand) imports nothing: the API's all-or-nothing.
            var forced = await browser.PostAsync(url + "?handler=Import", Multipart(form, ("upload", Convert.ToBase64String(Encoding.UTF8.GetBytes(csv))), ("fileName", "list.csv")));
            Assert.Equal(HttpStatusCode.BadRequest, forced.StatusCode);
            Assert.Contains("Nothing was imported: the list has errors now.", await forced.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var db = _app.OpenDatabase();
            Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants"));
        }
    }

    [Fact]
    public async Task TheTemplateIsServedAndGarbageUploadsAreRefusedWithoutA500()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(api, "AT", min: 1, max: 20);
        var draft = await CourseGiven.CourseAsync(api);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/courses/{courseId}/participants/import";
            var template = await browser.GetAsync(url + "?handler=Template");
            Assert.Equal(HttpStatusCode.OK, template.StatusCode);
            Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", template.Content.Headers.ContentType?.MediaType);
            Assert.Equal("participants-import-template.xlsx", template.Content.Headers.ContentDisposition?.FileNameStar ?? template.Content.Headers.ContentDisposition?.FileName);
            var apiTemplate = await api.GetAsync("/api/participants/import-template.xlsx");
            Assert.Equal((await apiTemplate.Content.ReadAsByteArrayAsync()).Length, (await template.Content.ReadAsByteArrayAsync()).Length); // the API's own
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/workspace/courses/99999/participants/import?handler=Template")).StatusCode);

            var form = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
            var noFile = await browser.PostAsync(url + "?handler=Preview", Multipart(form));
            Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
            Assert.Contains("id=\"file-error\"", await noFile.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var notAWorkbook = await Upload(browser, url, form, [0x50, 0x4B, 0x03, 0x04, 0xFF, 0x00, 0x13], "broken.xlsx");
            Assert.Equal(HttpStatusCode.BadRequest, notAWorkbook.StatusCode);
            Assert.Contains("<h3>The file</h3>", await notAWorkbook.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var notBase64 = await browser.PostAsync(url + "?handler=Import", Multipart(form, ("upload", "%%% not base64 %%%"), ("fileName", "x.csv")));
            Assert.Equal(HttpStatusCode.BadRequest, notBase64.StatusCode);
            Assert.Contains("The list did not come back whole: upload it again.", await notBase64.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // A list larger than a JSON body (1 MB) is still a list: the page takes what the import route takes.
            var big = new StringBuilder("fullName,email,organisation,sector,countryCode,seniority\n");
            for (var i = 0; i < 9000; i++)
            {
                big.Append(Person(i)).Append(",person").Append(i).Append("@example.at,Bundesministerium für Inneres - Bundeskriminalamt Abteilung II/10,lawEnforcement,AT,field\n");
            }

            var bytes = Encoding.UTF8.GetBytes(big.ToString());
            Assert.True(bytes.Length > 1024 * 1024);
            var large = await Upload(browser, url, form, bytes, "large.csv");
            Assert.Equal(HttpStatusCode.OK, large.StatusCode);
            Assert.Contains("Import 9000 participants", await large.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var closed = await Upload(browser, $"/workspace/courses/{draft}/participants/import", form, Encoding.UTF8.GetBytes("fullName,organisation,sector,countryCode\nA,B,health,AT\n"), "a.csv");
            Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
            Assert.Contains("The course is draft: only an open course takes enrolments.", await closed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants"));
    }

    [Fact]
    public async Task OnlyCoordinatorsImportAndAnotherCountrysExpertOrAnUnknownCourseGetsNoPage()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(api, "AT");
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        using (expert)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await expert.GetAsync($"/workspace/courses/{courseId}/participants/import")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await expert.GetAsync($"/workspace/courses/{courseId}/participants/import?handler=Template")).StatusCode);
        }

        var (_, _, coordinator) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (coordinator)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync("/workspace/courses/99999/participants/import")).StatusCode);
            var form = await (await coordinator.GetAsync($"/workspace/courses/{courseId}/participants/import")).Content.ReadAsStringAsync();
            var unknown = await Upload(coordinator, "/workspace/courses/99999/participants/import", form, Encoding.UTF8.GetBytes("fullName\nA\n"), "a.csv");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

            // Without the antiforgery token nothing is read.
            var content = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("fullName,organisation,sector,countryCode\nA,B,health,AT\n")), "file", "a.csv" } };
            Assert.Equal(HttpStatusCode.BadRequest, (await coordinator.PostAsync($"/workspace/courses/{courseId}/participants/import?handler=Preview", content)).StatusCode);
        }
    }

    private static string Person(int i) => $"Person {i:D5}";

    private static MultipartFormDataContent Multipart(string html, params (string Name, string Value)[] fields)
    {
        var content = new MultipartFormDataContent { { new StringContent(WorkspaceGiven.Token(html)), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        return content;
    }

    private static Task<HttpResponseMessage> Upload(HttpClient browser, string url, string html, byte[] file, string fileName)
    {
        var content = Multipart(html);
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : "application/octet-stream");
        content.Add(part, "file", fileName);
        return browser.PostAsync(url + "?handler=Preview", content);
    }

    /// <summary>The preview's import form posted as the browser posts it: the list it carries, its name, the token.</summary>
    private static Task<HttpResponseMessage> ImportAgain(HttpClient browser, string url, string html)
    {
        var upload = UploadField().Match(html).Groups[1].Value;
        var fileName = FileNameField().Match(html).Groups[1].Value;
        return browser.PostAsync(url + "?handler=Import", Multipart(html, ("upload", WebUtility.HtmlDecode(upload)), ("fileName", WebUtility.HtmlDecode(fileName))));
    }

    [GeneratedRegex("name=\"upload\" value=\"([^\"]*)\"")]
    private static partial Regex UploadField();

    [GeneratedRegex("name=\"fileName\" value=\"([^\"]*)\"")]
    private static partial Regex FileNameField();

    public void Dispose() => _app.Dispose();
}
