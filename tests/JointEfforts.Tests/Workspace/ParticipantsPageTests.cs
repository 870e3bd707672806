using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>Issue 24: a course's participants page, the search and enrol page, and a new participant enrolled in one go.</summary>
public sealed class ParticipantsPageTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task ACoordinatorSeesTheListsAgainstTheLimitsAndAWithdrawalAfterConfirmingGivesTheSeatToTheFirstWaiting()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(api, min: 2, max: 2);
        var people = await CourseGiven.EnrolAsync(api, courseId, 3);
        var enrolments = await EnrolmentsAsync(api, courseId);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var course = await (await browser.GetAsync($"/workspace/courses/{courseId}")).Content.ReadAsStringAsync();
            Assert.Contains($"href=\"/workspace/courses/{courseId}/participants\"", course, StringComparison.Ordinal);

            var html = await (await browser.GetAsync($"/workspace/courses/{courseId}/participants")).Content.ReadAsStringAsync();
            Assert.Contains("<dd>2 of 2 (minimum 2)</dd>", html, StringComparison.Ordinal);
            Assert.Contains("Waiting list <span class=\"ws-count\">(1)</span>", html, StringComparison.Ordinal);
            Assert.Contains($"Participant {courseId}-3", html, StringComparison.Ordinal);
            Assert.Contains("Nobody has withdrawn.", html, StringComparison.Ordinal);

            // Withdraw asks first: the confirmation names the person and who gets the seat.
            var first = enrolments[people[0]];
            var confirm = await (await browser.GetAsync($"/workspace/courses/{courseId}/participants?withdraw={first.Id}")).Content.ReadAsStringAsync();
            Assert.Contains($"Withdraw Participant {courseId}-1?", confirm, StringComparison.Ordinal);
            Assert.Contains($"Their seat goes to Participant {courseId}-3, the first on the waiting list.", confirm, StringComparison.Ordinal);
            Assert.Equal(3, (await EnrolmentsAsync(api, courseId)).Values.Count(e => e.Status != "withdrawn")); // asking changed nothing

            var withdrawn = await browser.PostAsync($"/workspace/courses/{courseId}/participants?handler=Withdraw",
                WorkspaceGiven.Form(confirm, ("enrolmentId", first.Id.ToString()), ("version", first.Version.ToString())));
            Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
            Assert.Equal($"/workspace/courses/{courseId}/participants?withdrawn={first.Id}&promoted=1#done", withdrawn.Headers.Location?.OriginalString);

            var after = await EnrolmentsAsync(api, courseId);
            Assert.Equal("withdrawn", after[people[0]].Status);
            Assert.Equal("enrolled", after[people[1]].Status);
            Assert.Equal("enrolled", after[people[2]].Status); // promoted by the same code as DELETE /api/.../enrolments/{id}
            var done = await (await browser.GetAsync(withdrawn.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
            Assert.Contains($"Participant {courseId}-1 was withdrawn. 1 participant moved up from the waiting list into the free seat.", done, StringComparison.Ordinal);
            Assert.Contains("Withdrawn <span class=\"ws-count\">(1)</span>", done, StringComparison.Ordinal);
            Assert.Contains("Nobody is waiting.", done, StringComparison.Ordinal);

            // The form shown before is stale now: said, not applied; a second withdrawal is the API's conflict.
            var stale = await browser.PostAsync($"/workspace/courses/{courseId}/participants?handler=Withdraw",
                WorkspaceGiven.Form(confirm, ("enrolmentId", first.Id.ToString()), ("version", first.Version.ToString())));
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            Assert.Contains("Someone changed this enrolment while you had the page open", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var again = await browser.PostAsync($"/workspace/courses/{courseId}/participants?handler=Withdraw",
                WorkspaceGiven.Form(confirm, ("enrolmentId", first.Id.ToString()), ("version", after[people[0]].Version.ToString())));
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains($"Enrolment {first.Id} is already withdrawn.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GarbageWithdrawalsAreRefusedWithoutA500AndChangeNothing()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(api, min: 1, max: 5);
        var otherCourse = await CourseGiven.OpenCourseAsync(api, min: 1, max: 5);
        await CourseGiven.EnrolAsync(api, courseId, 1);
        var foreign = (await EnrolAndReadAsync(api, otherCourse)).Id;
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var html = await (await browser.GetAsync($"/workspace/courses/{courseId}/participants")).Content.ReadAsStringAsync();
            foreach (var (enrolmentId, version, status) in new[]
            {
                ("abc", "1", HttpStatusCode.NotFound), ("99999999999999", "1", HttpStatusCode.NotFound), ("-1", "x", HttpStatusCode.NotFound),
                (foreign.ToString(), "1", HttpStatusCode.NotFound), // another course's enrolment through this course's page
            })
            {
                var posted = await browser.PostAsync($"/workspace/courses/{courseId}/participants?handler=Withdraw",
                    WorkspaceGiven.Form(html, ("enrolmentId", enrolmentId), ("version", version)));
                Assert.Equal(status, posted.StatusCode);
                Assert.Contains("There is no such enrolment in this course.", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/workspace/courses/99999/participants")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/workspace/courses/{courseId}/participants?withdraw=zzz&enrolled=-5&imported=x")).StatusCode);

            // Without the antiforgery token a POST is refused before anything runs.
            var forged = await browser.PostAsync($"/workspace/courses/{courseId}/participants?handler=Withdraw",
                WorkspaceGiven.Form(null, ("enrolmentId", foreign.ToString()), ("version", "1")));
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        Assert.All((await EnrolmentsAsync(api, courseId)).Values, e => Assert.Equal("enrolled", e.Status));
        Assert.All((await EnrolmentsAsync(api, otherCourse)).Values, e => Assert.Equal("enrolled", e.Status));
    }

    [Fact]
    public async Task PromotingFillsOnlyFreeSeatsInArrivalOrderAndAFullCourseRefusesIt()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(api, min: 1, max: 1);
        var people = await CourseGiven.EnrolAsync(api, courseId, 3);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var html = await (await browser.GetAsync($"/workspace/courses/{courseId}/participants")).Content.ReadAsStringAsync();
            Assert.DoesNotContain("Promote from the waiting list", html, StringComparison.Ordinal); // full: nothing to promote into

            var full = await browser.PostAsync($"/workspace/courses/{courseId}/participants?handler=Promote", WorkspaceGiven.Form(html));
            Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
            Assert.Contains("The course is full: 1 of 1 enrolled.", await full.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(2, (await EnrolmentsAsync(api, courseId)).Values.Count(e => e.Status == "waitlisted"));

            // A seat freed outside the enrolment routes (a maximum corrected in the database): the waiting list is left behind.
            using (var db = _app.OpenDatabase())
            {
                db.Execute("UPDATE courses SET max_participants = 2 WHERE id = @courseId", new { courseId });
            }

            html = await (await browser.GetAsync($"/workspace/courses/{courseId}/participants")).Content.ReadAsStringAsync();
            Assert.Contains("1 seat is free.", html, StringComparison.Ordinal);
            var promoted = await browser.PostAsync($"/workspace/courses/{courseId}/participants?handler=Promote", WorkspaceGiven.Form(html));
            Assert.Equal(HttpStatusCode.Redirect, promoted.StatusCode);
            Assert.Equal($"/workspace/courses/{courseId}/participants?promoted=1#done", promoted.Headers.Location?.OriginalString);

            var after = await EnrolmentsAsync(api, courseId);
            Assert.Equal("enrolled", after[people[1]].Status); // the first to come, not the last
            Assert.Equal("waitlisted", after[people[2]].Status);
            Assert.Equal(1, after[people[2]].Position);
            var course = await (await api.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
            Assert.Equal(2, course.GetProperty("enrolledCount").GetInt32()); // never over the maximum
            Assert.Contains("1 participant moved up from the waiting list into the free seat.",
                await (await browser.GetAsync(promoted.Headers.Location!.OriginalString)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var none = await browser.PostAsync($"/workspace/courses/{courseId}/participants?handler=Promote", WorkspaceGiven.Form(html));
            Assert.Equal(HttpStatusCode.Conflict, none.StatusCode);
        }
    }

    [Fact]
    public async Task TheSearchFindsParticipantsByNameOrganisationAndSectorAndEnrolsOneWithTheCapacityRules()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(api, "LV", min: 1, max: 1);
        await CourseGiven.EnrolAsync(api, courseId, 1, "LV");
        await Post(api, CourseGiven.ParticipantBody("Ilze Bērziņa", "LV", "ilze@example.lv", "socialServices"));
        await Post(api, CourseGiven.ParticipantBody("Jānis Ozols", "LV", null, "lawEnforcement"));
        var andris = await Post(api, new { fullName = "Andris Kalniņš", email = (string?)null, organisation = "Valsts robežsardze", sector = "borderGuard", countryCode = "LV", seniority = "senior" });
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var byName = await browser.GetAsync($"/workspace/courses/{courseId}/participants/add?searched=1&q=ozol");
            Assert.Equal(HttpStatusCode.OK, byName.StatusCode);
            var found = await byName.Content.ReadAsStringAsync();
            Assert.Contains("1 participant found", found, StringComparison.Ordinal);
            Assert.Contains("Jānis Ozols", found, StringComparison.Ordinal);
            Assert.DoesNotContain("Ilze Bērziņa", found, StringComparison.Ordinal);

            var byOrganisation = await (await browser.GetAsync($"/workspace/courses/{courseId}/participants/add?q=robežsardze")).Content.ReadAsStringAsync();
            Assert.Contains("Andris Kalniņš", byOrganisation, StringComparison.Ordinal);
            var bySector = await (await browser.GetAsync($"/workspace/courses/{courseId}/participants/add?searched=1&sector=socialServices&countryCode=LV")).Content.ReadAsStringAsync();
            Assert.Contains("1 participant found", bySector, StringComparison.Ordinal);
            Assert.Contains("ilze@example.lv", bySector, StringComparison.Ordinal);

            // Enrolled from the results: the course is full, so the API's rule puts him on the waiting list.
            var enrolled = await browser.PostAsync($"/workspace/courses/{courseId}/participants/add?handler=Enrol",
                WorkspaceGiven.Form(byOrganisation, ("participantId", andris.ToString()), ("q", "robežsardze"), ("searched", "1")));
            Assert.Equal(HttpStatusCode.Redirect, enrolled.StatusCode);
            var enrolments = await EnrolmentsAsync(api, courseId);
            Assert.Equal("waitlisted", enrolments[andris].Status);
            Assert.Equal(1, enrolments.Values.Count(e => e.Status == "enrolled"));
            var done = await (await browser.GetAsync(enrolled.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
            Assert.Contains("Andris Kalniņš is on the waiting list, number 1: the course is full.", done, StringComparison.Ordinal);

            var again = await (await browser.GetAsync($"/workspace/courses/{courseId}/participants/add?q=robežsardze")).Content.ReadAsStringAsync();
            Assert.Contains("On the waiting list", again, StringComparison.Ordinal);
            var twice = await browser.PostAsync($"/workspace/courses/{courseId}/participants/add?handler=Enrol",
                WorkspaceGiven.Form(again, ("participantId", andris.ToString()), ("q", "robežsardze")));
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
            var twicePage = await twice.Content.ReadAsStringAsync();
            Assert.Contains($"Participant {andris} is already enrolled or waitlisted in this course", twicePage, StringComparison.Ordinal);
            Assert.Contains("Andris Kalniņš", twicePage, StringComparison.Ordinal); // the results stay

            var unknown = await browser.PostAsync($"/workspace/courses/{courseId}/participants/add?handler=Enrol", WorkspaceGiven.Form(again, ("participantId", "x")));
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("Participant 0 does not exist.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ABadSearchIsSaidBesideItsFieldInTheApisWords()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(api);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var sector = await browser.GetAsync($"/workspace/courses/{courseId}/participants/add?searched=1&sector=pirates&countryCode=XX&page=0");
            Assert.Equal(HttpStatusCode.BadRequest, sector.StatusCode);
            var html = await sector.Content.ReadAsStringAsync();
            Assert.Contains("id=\"search-sector-error\"", html, StringComparison.Ordinal);
            Assert.Contains("sector must be one of: lawEnforcement, borderGuard, judiciary, health, ngo, labourInspection, socialServices, prison, other (not &quot;pirates&quot;).", html, StringComparison.Ordinal);
            Assert.Contains("id=\"search-countryCode-error\"", html, StringComparison.Ordinal);
            Assert.Contains("is not an ISO 3166-1 alpha-2 country code", html, StringComparison.Ordinal);
            Assert.Contains("href=\"#search-page\"", html, StringComparison.Ordinal); // page=0: in the summary, as the API's paging says it

            var apiAnswer = await api.GetAsync("/api/participants?q=" + new string('x', 201));
            var apiMessage = (await apiAnswer.Expect(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("q")[0].GetString()!;
            var longQuery = await browser.GetAsync($"/workspace/courses/{courseId}/participants/add?q=" + new string('x', 201));
            Assert.Equal(HttpStatusCode.BadRequest, longQuery.StatusCode);
            Assert.Contains(WebUtility.HtmlEncode(apiMessage), await longQuery.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ANewParticipantIsRegisteredAndEnrolledInOneGoWithTheApisMessagesBesideTheFields()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(api, "AT", min: 1, max: 10);
        await Post(api, CourseGiven.ParticipantBody("Taken Address", "AT", "taken@example.at"));
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var html = await (await browser.GetAsync($"/workspace/courses/{courseId}/participants/add")).Content.ReadAsStringAsync();
            Assert.Contains("<option value=\"AT\" selected=\"selected\">Austria</option>", html, StringComparison.Ordinal); // the course's country first

            var blank = await browser.PostAsync($"/workspace/courses/{courseId}/participants/add?handler=Create", WorkspaceGiven.Form(html,
                ("fullName", ""), ("email", "not-an-address"), ("organisation", "   "), ("sector", "police"), ("countryCode", "ZZ"), ("seniority", "")));
            Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
            var page = await blank.Content.ReadAsStringAsync();
            Assert.Contains("id=\"fullName-error\"", page, StringComparison.Ordinal);
            Assert.Contains("fullName is required.", page, StringComparison.Ordinal);
            Assert.Contains("sector must be one of: lawEnforcement", page, StringComparison.Ordinal);
            Assert.Contains("seniority is required.", page, StringComparison.Ordinal);
            Assert.Contains("&#x27;ZZ&#x27; is not an ISO 3166-1 alpha-2 country code", page.Replace("&#39;", "&#x27;", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("id=\"email-error\"", page, StringComparison.Ordinal);
            Assert.Contains("value=\"not-an-address\"", page, StringComparison.Ordinal); // what was typed is kept

            var spaces = await browser.PostAsync($"/workspace/courses/{courseId}/participants/add?handler=Create", WorkspaceGiven.Form(html,
                ("fullName", "Spaces Only"), ("organisation", "   "), ("sector", "ngo"), ("countryCode", "AT"), ("seniority", "field")));
            Assert.Equal(HttpStatusCode.BadRequest, spaces.StatusCode);
            var apiSays = await (await api.PostAsJsonAsync("/api/participants", new { fullName = "Spaces Only", organisation = "   ", sector = "ngo", countryCode = "AT", seniority = "field" }))
                .Expect(HttpStatusCode.BadRequest);
            Assert.Contains(WebUtility.HtmlEncode(apiSays.GetProperty("errors").GetProperty("organisation")[0].GetString()!), await spaces.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var taken = await browser.PostAsync($"/workspace/courses/{courseId}/participants/add?handler=Create", WorkspaceGiven.Form(html,
                ("fullName", "Second Person"), ("email", "TAKEN@example.at"), ("organisation", "Caritas Wien"), ("sector", "ngo"), ("countryCode", "AT"), ("seniority", "field")));
            Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
            Assert.Contains("A participant with the e-mail TAKEN@example.at exists already.", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await CountAsync(api, "Second Person"));

            var created = await browser.PostAsync($"/workspace/courses/{courseId}/participants/add?handler=Create", WorkspaceGiven.Form(html,
                ("fullName", "Maria Gruber"), ("email", "maria.gruber@example.at"), ("organisation", "Caritas Wien"), ("sector", "ngo"), ("countryCode", "at"), ("seniority", "senior")));
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            var participant = (await (await api.GetAsync("/api/participants?q=Maria%20Gruber")).Expect(HttpStatusCode.OK)).GetProperty("items")[0];
            Assert.Equal("maria.gruber@example.at", participant.GetProperty("email").GetString());
            Assert.Equal("ngo", participant.GetProperty("sector").GetString());
            Assert.Equal("AT", participant.GetProperty("countryCode").GetString());
            Assert.Equal("senior", participant.GetProperty("seniority").GetString());
            var enrolments = await EnrolmentsAsync(api, courseId);
            Assert.Equal("enrolled", enrolments[participant.GetProperty("id").GetInt32()].Status);
            Assert.Contains("Maria Gruber was enrolled.", await (await browser.GetAsync(created.Headers.Location!.OriginalString)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ACourseThatIsNotOpenTakesNobodyAndANewParticipantIsThenNotRegisteredEither()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var open = await CourseGiven.OpenCourseAsync(api);
        var draft = await CourseGiven.CourseAsync(api);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var html = await (await browser.GetAsync($"/workspace/courses/{open}/participants/add")).Content.ReadAsStringAsync();
            var page = await browser.GetAsync($"/workspace/courses/{draft}/participants/add");
            Assert.Contains("only an open course takes enrolments", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // A form of an open course's page posted to the draft one: both or neither, so neither.
            var refused = await browser.PostAsync($"/workspace/courses/{draft}/participants/add?handler=Create", WorkspaceGiven.Form(html,
                ("fullName", "Nobody Stored"), ("organisation", "Police"), ("sector", "lawEnforcement"), ("countryCode", "AT"), ("seniority", "field")));
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("The course is draft: only an open course takes enrolments.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await CountAsync(api, "Nobody Stored"));
        }
    }

    [Fact]
    public async Task ACountryExpertReadsTheirCountrysListsWithoutChangingThemAndOtherRolesAndCountriesAreRefused()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var austrian = await CourseGiven.OpenCourseAsync(api, "AT", min: 1, max: 5);
        var latvian = await CourseGiven.OpenCourseAsync(api, "LV", min: 1, max: 5);
        var enrolment = await EnrolAndReadAsync(api, austrian);
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        using (expert)
        {
            var own = await expert.GetAsync($"/workspace/courses/{austrian}/participants");
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            var html = await own.Content.ReadAsStringAsync();
            Assert.Contains($"Participant {austrian}-1", html, StringComparison.Ordinal);
            Assert.DoesNotContain("?withdraw=", html, StringComparison.Ordinal);
            Assert.DoesNotContain("handler=", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Find and enrol", html, StringComparison.Ordinal);

            var other = await expert.GetAsync($"/workspace/courses/{latvian}/participants");
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            Assert.Contains("There is no such course, or it is not one you may see.", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var post = await expert.PostAsync($"/workspace/courses/{austrian}/participants?handler=Withdraw",
                WorkspaceGiven.Form(html, ("enrolmentId", enrolment.Id.ToString()), ("version", enrolment.Version.ToString())));
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await expert.PostAsync($"/workspace/courses/{austrian}/participants?handler=Promote", WorkspaceGiven.Form(html))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await expert.GetAsync($"/workspace/courses/{austrian}/participants/add")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await expert.GetAsync($"/workspace/courses/{austrian}/participants/import")).StatusCode);
        }

        var (_, _, steering) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        using (steering)
        {
            var page = await steering.GetAsync($"/workspace/courses/{austrian}/participants");
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.Contains("This page is not for the role steering group.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal("enrolled", (await EnrolmentsAsync(api, austrian)).Values.Single().Status);
    }

    internal sealed record Enrolment(int Id, string Status, long Version, int? Position);

    /// <summary>The course's enrolments through the API, by participant.</summary>
    private async Task<Dictionary<int, Enrolment>> EnrolmentsAsync(HttpClient api, int courseId)
    {
        using var db = _app.OpenDatabase();
        var versions = db.Query<(long Id, long Version)>("SELECT id, version FROM enrolments WHERE course_id = @courseId", new { courseId })
            .ToDictionary(e => (int)e.Id, e => e.Version);
        var list = await (await api.GetAsync($"/api/courses/{courseId}/enrolments?pageSize=200")).Expect(HttpStatusCode.OK);
        return list.GetProperty("items").EnumerateArray()
            .GroupBy(e => e.GetProperty("participantId").GetInt32())
            .ToDictionary(g => g.Key, g =>
            {
                var e = g.Last();
                return new Enrolment(e.GetProperty("id").GetInt32(), e.GetProperty("status").GetString()!, versions[e.GetProperty("id").GetInt32()],
                    e.TryGetProperty("waitlistPosition", out var position) && position.ValueKind == JsonValueKind.Number ? position.GetInt32() : null);
            });
    }

    private async Task<Enrolment> EnrolAndReadAsync(HttpClient api, int courseId)
    {
        var participant = (await CourseGiven.EnrolAsync(api, courseId, 1)).Single();
        return (await EnrolmentsAsync(api, courseId))[participant];
    }

    private static async Task<int> Post(HttpClient api, object body) =>
        (await (await api.PostAsJsonAsync("/api/participants", body)).Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();

    private static async Task<int> CountAsync(HttpClient api, string name) =>
        (await (await api.GetAsync("/api/participants?q=" + Uri.EscapeDataString(name))).Expect(HttpStatusCode.OK)).GetProperty("total").GetInt32();

    public void Dispose() => _app.Dispose();
}
