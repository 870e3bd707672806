using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using JointEfforts.Tests.Programmes;

namespace JointEfforts.Tests.Workspace;

/// <summary>
/// Issue 24: a programme's meetings through the workspace pages, as a browser without JavaScript uses them — planned and
/// changed, attendees added and removed, conclusions, recommendations and their follow-up — by the same services as the
/// JSON routes (their rules, their words), for the same roles.
/// </summary>
public sealed partial class MeetingPagesTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task ACoordinatorPlansAMeetingFromTheProgrammePageAndTheApiReadsItAsTyped()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(api, "JE-MEET");
        var phaseId = await Plan.PhaseIdAsync(api, projectId, 2);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var programme = await (await browser.GetAsync($"/workspace/programmes/{projectId}")).Content.ReadAsStringAsync();
            Assert.Contains($"href=\"/workspace/programmes/{projectId}/meetings/new\"", programme, StringComparison.Ordinal);

            var form = await browser.GetAsync($"/workspace/programmes/{projectId}/meetings/new");
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
            var html = await form.Content.ReadAsStringAsync();
            Assert.Contains($"<option value=\"{phaseId}\">2. ", html, StringComparison.Ordinal);
            Assert.Contains("min=\"2011-10-20\" max=\"2014-03-20\"", html, StringComparison.Ordinal);

            var posted = await browser.PostAsync($"/workspace/programmes/{projectId}/meetings/new", WorkspaceGiven.Form(html,
                ("kind", "expertGroup"), ("title", "Second Expert Group Meeting"), ("topic", "Victim referral"), ("phaseId", phaseId.ToString()),
                ("city", " Krems "), ("countryCode", "AT"), ("startDate", "2012-09-20"), ("endDate", "2012-09-21"), ("capacity", "15")));

            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            var location = posted.Headers.Location!.OriginalString;
            var meetingId = int.Parse(MeetingUrl().Match(location).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal($"/workspace/meetings/{meetingId}?done=created", location);
            var meeting = await (await api.GetAsync($"/api/meetings/{meetingId}")).Expect(HttpStatusCode.OK);
            Assert.Equal("expertGroup", meeting.GetProperty("kind").GetString());
            Assert.Equal("Second Expert Group Meeting", meeting.GetProperty("title").GetString());
            Assert.Equal("Victim referral", meeting.GetProperty("topic").GetString());
            Assert.Equal(phaseId, meeting.GetProperty("phaseId").GetInt32());
            Assert.Equal("Krems", meeting.GetProperty("city").GetString());
            Assert.Equal("AT", meeting.GetProperty("countryCode").GetString());
            Assert.Equal("2012-09-21", meeting.GetProperty("endDate").GetString());
            Assert.Equal(15, meeting.GetProperty("capacity").GetInt32());

            var page = await (await browser.GetAsync(location)).Content.ReadAsStringAsync();
            Assert.Contains("The meeting was planned.", page, StringComparison.Ordinal);
            Assert.Contains("Expert group meeting · Krems, Austria · 20 Sept 2012 – 21 Sept 2012 (2 days)", page.Replace("Sep ", "Sept ", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("0 of 15 places", page, StringComparison.Ordinal);
            var listed = await (await browser.GetAsync($"/workspace/programmes/{projectId}")).Content.ReadAsStringAsync();
            Assert.Contains($"<a href=\"/workspace/meetings/{meetingId}\">Second Expert Group Meeting · Krems, Austria", listed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BadMeetingInputIsShownBesideEachFieldInTheApisWordsAndNothingIsStored()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(api, "JE-MEET");
        var phaseId = await Plan.PhaseIdAsync(api, projectId, 2);
        var otherPhase = await Plan.PhaseIdAsync(api, await Given.ProjectAsync(api, "JE-OTHER"), 2);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/programmes/{projectId}/meetings/new";
            var html = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();

            var garbage = await browser.PostAsync(url, WorkspaceGiven.Form(html,
                ("kind", "workshop"), ("title", ""), ("topic", new string('t', 301)), ("phaseId", "two"), ("city", "Riga\u0007"),
                ("countryCode", "ZZ"), ("startDate", "20/09/2012"), ("endDate", "2012-02-30"), ("capacity", "99999999999999999999")));

            Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
            var page = await garbage.Content.ReadAsStringAsync();
            Assert.Contains("id=\"kind-error\"", page, StringComparison.Ordinal);
            Assert.Contains("The value of &#x27;kind&#x27; has the wrong type or is not one of the allowed values.", page, StringComparison.Ordinal);
            Assert.Contains("title is required.", page, StringComparison.Ordinal);
            Assert.Contains("id=\"topic-error\"", page, StringComparison.Ordinal);
            Assert.Contains("phaseId must be a whole number, not &quot;two&quot;.", page, StringComparison.Ordinal);
            Assert.Contains("city must be a single line without control characters (found U&#x2B;0007 at position 5).", page, StringComparison.Ordinal);
            Assert.Contains("&#x27;ZZ&#x27; is not an ISO 3166-1 alpha-2 country code (e.g. AT, NL, GB).", page, StringComparison.Ordinal);
            Assert.Contains("startDate must be a date written YYYY-MM-DD (e.g. 2026-03-15), not &quot;20/09/2012&quot;.", page, StringComparison.Ordinal);
            Assert.Contains("endDate must be a date written YYYY-MM-DD (e.g. 2026-03-15), not &quot;2012-02-30&quot;.", page, StringComparison.Ordinal);
            Assert.Contains("capacity must be a whole number, not &quot;99999999999999999999&quot;.", page, StringComparison.Ordinal);
            Assert.Contains("value=\"20/09/2012\"", page, StringComparison.Ordinal); // what was typed is kept

            // The cross-field rule of the request record, and the rules that need the database (in the service the API calls).
            var backwards = await browser.PostAsync(url, WorkspaceGiven.Form(page, Meeting(phaseId, "2012-09-21", "2012-09-20")));
            Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
            Assert.Contains("endDate must not be before startDate.", await backwards.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var otherProgramme = await browser.PostAsync(url, WorkspaceGiven.Form(page, Meeting(otherPhase, "2012-09-20", "2012-09-21")));
            Assert.Equal(HttpStatusCode.BadRequest, otherProgramme.StatusCode);
            Assert.Contains($"Phase {otherPhase} is not a phase of programme {projectId}.", await otherProgramme.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var early = await browser.PostAsync(url, WorkspaceGiven.Form(page, Meeting(phaseId, "2011-10-19", "2011-10-20")));
            Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
            Assert.Contains("id=\"startDate-error\"", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var db = _app.OpenDatabase();
            Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM meetings"));
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/workspace/programmes/99999/meetings/new")).StatusCode);
            var unknown = await browser.PostAsync("/workspace/programmes/99999/meetings/new", WorkspaceGiven.Form(page, Meeting(phaseId, "2012-09-20", "2012-09-21")));
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("There is no such programme", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AMeetingIsChangedOnItsPageAStaleFormIsSaidAndACapacityBelowItsAttendeesIsRefused()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (projectId, meetingId) = await Plan.ExpertMeetingAsync(api, capacity: 12);
        var phaseId = await Plan.PhaseIdAsync(api, projectId, 2);
        await (await api.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody())).Expect(HttpStatusCode.Created);
        await (await api.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody("Jan Peeters"))).Expect(HttpStatusCode.Created);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/meetings/{meetingId}/edit";
            var form = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Contains("value=\"First Expert Group Meeting\"", form, StringComparison.Ordinal);
            Assert.Contains("<option value=\"BE\" selected=\"selected\">Belgium</option>", form, StringComparison.Ordinal);
            var version = Version().Match(form).Groups[1].Value;

            var saved = await browser.PostAsync(url, WorkspaceGiven.Form(form, [("version", version), .. Meeting(phaseId, "2012-04-23", "2012-04-24", title: "First Expert Group Meeting (moved)")]));
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            Assert.Equal($"/workspace/meetings/{meetingId}?done=changed", saved.Headers.Location?.OriginalString);
            var (changed, etag) = await Plan.ReadAsync(api, $"/api/meetings/{meetingId}");
            Assert.Equal("First Expert Group Meeting (moved)", changed.GetProperty("title").GetString());
            Assert.Equal("2012-04-24", changed.GetProperty("endDate").GetString());
            Assert.Equal("\"2\"", etag);

            var stale = await browser.PostAsync(url, WorkspaceGiven.Form(form, [("version", version), .. Meeting(phaseId, "2012-04-25", "2012-04-25", title: "Overwritten?")]));
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            Assert.Contains("Someone changed this meeting while you had it open", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var forged = await browser.PostAsync(url, WorkspaceGiven.Form(form, [("version", "not a version"), .. Meeting(phaseId, "2012-04-25", "2012-04-25")]));
            Assert.Equal(HttpStatusCode.Conflict, forged.StatusCode);

            var fresh = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
            var tooSmall = await browser.PostAsync(url, WorkspaceGiven.Form(fresh, [("version", Version().Match(fresh).Groups[1].Value), .. Meeting(phaseId, "2012-04-23", "2012-04-24", capacity: "1")]));
            Assert.Equal(HttpStatusCode.Conflict, tooSmall.StatusCode);
            Assert.Contains("The meeting has 2 attendees already; its capacity cannot be 1.", await tooSmall.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("First Expert Group Meeting (moved)", (await (await api.GetAsync($"/api/meetings/{meetingId}")).Expect(HttpStatusCode.OK)).GetProperty("title").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/workspace/meetings/99999/edit")).StatusCode);
        }
    }

    [Fact]
    public async Task AttendeesAreAddedAndRemovedOnTheMeetingPageWithTheApisRulesForDuplicatesAndCapacity()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(api, capacity: 2);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/meetings/{meetingId}";
            var html = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Contains("No attendee yet.", html, StringComparison.Ordinal);

            var added = await browser.PostAsync(url + "?handler=AddAttendee", WorkspaceGiven.Form(html,
                ("fullName", "Anna Verbeke"), ("organisation", "Federal Police Belgium"), ("organisationType", "lawEnforcement"), ("countryCode", "BE")));
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
            Assert.Equal($"{url}?done=attendee-added#attendees", added.Headers.Location?.OriginalString);
            var attendees = await (await api.GetAsync($"/api/meetings/{meetingId}/attendees")).Expect(HttpStatusCode.OK);
            var anna = Assert.Single(attendees.GetProperty("items").EnumerateArray());
            Assert.Equal("Federal Police Belgium", anna.GetProperty("organisation").GetString());
            Assert.Equal("lawEnforcement", anna.GetProperty("organisationType").GetString());

            var bad = await browser.PostAsync(url + "?handler=AddAttendee", WorkspaceGiven.Form(html,
                ("fullName", ""), ("organisation", new string('o', 301)), ("organisationType", "police"), ("countryCode", "UK")));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var badPage = await bad.Content.ReadAsStringAsync();
            Assert.Contains("id=\"attendee-fullName-error\"", badPage, StringComparison.Ordinal);
            Assert.Contains("fullName is required.", badPage, StringComparison.Ordinal);
            Assert.Contains("id=\"attendee-organisation-error\"", badPage, StringComparison.Ordinal);
            Assert.Contains("The value of &#x27;organisationType&#x27; has the wrong type or is not one of the allowed values.", badPage, StringComparison.Ordinal);
            Assert.Contains("&#x27;UK&#x27; is not an ISO 3166-1 alpha-2 country code", badPage, StringComparison.Ordinal);
            Assert.Contains("href=\"#attendee-fullName\"", badPage, StringComparison.Ordinal); // the summary links to the field

            var twice = await browser.PostAsync(url + "?handler=AddAttendee", WorkspaceGiven.Form(html,
                ("fullName", "anna verbeke"), ("organisation", "FEDERAL POLICE BELGIUM"), ("organisationType", "lawEnforcement"), ("countryCode", "BE")));
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
            Assert.Contains("anna verbeke of FEDERAL POLICE BELGIUM attends this meeting already.", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            await (await api.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody("Jan Peeters"))).Expect(HttpStatusCode.Created);
            var full = await browser.PostAsync(url + "?handler=AddAttendee", WorkspaceGiven.Form(html,
                ("fullName", "Ilse Maes"), ("organisation", "Payoke"), ("organisationType", "ngo"), ("countryCode", "BE")));
            Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
            var fullPage = await full.Content.ReadAsStringAsync();
            Assert.Contains("The meeting is full: 2 of 2 places are taken.", fullPage, StringComparison.Ordinal);
            Assert.Contains("value=\"Ilse Maes\"", fullPage, StringComparison.Ordinal);
            Assert.Equal(2, (await (await api.GetAsync($"/api/meetings/{meetingId}/attendees")).Expect(HttpStatusCode.OK)).GetProperty("total").GetInt32());

            var removed = await browser.PostAsync(url + "?handler=RemoveAttendee", WorkspaceGiven.Form(html, ("attendeeId", anna.GetProperty("id").GetInt32().ToString())));
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
            var left = await (await api.GetAsync($"/api/meetings/{meetingId}/attendees")).Expect(HttpStatusCode.OK);
            Assert.Equal("Jan Peeters", Assert.Single(left.GetProperty("items").EnumerateArray()).GetProperty("fullName").GetString());
            var after = await (await browser.GetAsync(removed.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
            Assert.Contains("The attendee was removed.", after, StringComparison.Ordinal);
            Assert.DoesNotContain("Anna Verbeke", after, StringComparison.Ordinal);

            foreach (var id in new[] { anna.GetProperty("id").GetInt32().ToString(), "abc", "-1", "99999999999999" })
            {
                var gone = await browser.PostAsync(url + "?handler=RemoveAttendee", WorkspaceGiven.Form(html, ("attendeeId", id)));
                Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            }

            Assert.Equal(1, (await (await api.GetAsync($"/api/meetings/{meetingId}/attendees")).Expect(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task ConclusionsAreSavedWithTheirLineBreaksAndCompleteTheMilestoneOfTheEndedMeeting()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (projectId, meetingId) = await Plan.ExpertMeetingAsync(api);
        var milestone = await (await api.PostAsJsonAsync($"/api/phases/{await Plan.PhaseIdAsync(api, projectId, 2)}/milestones",
            new { title = "First expert group meeting held", kind = "meeting", dueDate = "2012-04-30", meetingId })).Expect(HttpStatusCode.Created);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/meetings/{meetingId}";
            var html = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
            var version = Version().Match(html).Groups[1].Value;

            var empty = await browser.PostAsync(url + "?handler=Conclusions", WorkspaceGiven.Form(html, ("text", "   "), ("version", version)));
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            var emptyPage = await empty.Content.ReadAsStringAsync();
            Assert.Contains("id=\"conclusions-text-error\"", emptyPage, StringComparison.Ordinal);
            Assert.Contains("text is required.", emptyPage, StringComparison.Ordinal);

            var saved = await browser.PostAsync(url + "?handler=Conclusions", WorkspaceGiven.Form(html,
                ("text", "1. A common training manual.\r\n2. Referral mechanisms in every country."), ("version", version)));
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            var meeting = await (await api.GetAsync($"/api/meetings/{meetingId}")).Expect(HttpStatusCode.OK);
            Assert.Equal("1. A common training manual.\n2. Referral mechanisms in every country.", meeting.GetProperty("conclusions").GetString());
            var completed = await (await api.GetAsync($"/api/milestones/{milestone.GetProperty("id").GetInt32()}")).Expect(HttpStatusCode.OK);
            Assert.Equal("2012-04-23", completed.GetProperty("completedOn").GetString());

            var stale = await browser.PostAsync(url + "?handler=Conclusions", WorkspaceGiven.Form(html, ("text", "Overwritten?"), ("version", version)));
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            var stalePage = await stale.Content.ReadAsStringAsync();
            Assert.Contains("Someone changed this meeting while you had it open", stalePage, StringComparison.Ordinal);
            Assert.Contains("1. A common training manual.", stalePage, StringComparison.Ordinal); // the stored text is shown again
            Assert.Equal("1. A common training manual.\n2. Referral mechanisms in every country.",
                (await (await api.GetAsync($"/api/meetings/{meetingId}")).Expect(HttpStatusCode.OK)).GetProperty("conclusions").GetString());
        }
    }

    [Fact]
    public async Task ARecommendationIsAddedAndItsFollowUpRecordedThroughItsLifecycleAsTheApiAllows()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(api);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/meetings/{meetingId}";
            var html = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();

            var early = await browser.PostAsync(url + "?handler=AddRecommendation", WorkspaceGiven.Form(html,
                ("text", "Devise a common training manual"), ("owner", "Payoke"), ("dueDate", "2012-04-01")));
            Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
            var earlyPage = await early.Content.ReadAsStringAsync();
            Assert.Contains("id=\"recommendation-dueDate-error\"", earlyPage, StringComparison.Ordinal);
            Assert.Contains("dueDate may not be before the meeting that made the recommendation (2012-04-22).", earlyPage, StringComparison.Ordinal);
            var blank = await browser.PostAsync(url + "?handler=AddRecommendation", WorkspaceGiven.Form(html, ("text", ""), ("dueDate", "soon")));
            var blankPage = await blank.Content.ReadAsStringAsync();
            Assert.Contains("id=\"recommendation-text-error\"", blankPage, StringComparison.Ordinal);
            Assert.Contains("dueDate must be a date written YYYY-MM-DD (e.g. 2026-03-15), not &quot;soon&quot;.", blankPage, StringComparison.Ordinal);
            Assert.Equal(0, (await (await api.GetAsync($"/api/meetings/{meetingId}/recommendations")).Expect(HttpStatusCode.OK)).GetProperty("total").GetInt32());

            var added = await browser.PostAsync(url + "?handler=AddRecommendation", WorkspaceGiven.Form(html,
                ("text", "Devise a common training manual"), ("owner", "Payoke"), ("dueDate", "2012-10-01")));
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
            var list = await (await api.GetAsync($"/api/meetings/{meetingId}/recommendations")).Expect(HttpStatusCode.OK);
            var recommendation = Assert.Single(list.GetProperty("items").EnumerateArray());
            Assert.Equal("open", recommendation.GetProperty("status").GetString());
            Assert.Equal("2012-10-01", recommendation.GetProperty("dueDate").GetString());
            var id = recommendation.GetProperty("id").GetInt32();
            var meetingPage = await (await browser.GetAsync(added.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
            Assert.Contains("The recommendation was added.", meetingPage, StringComparison.Ordinal);
            Assert.Contains("owner: Payoke", meetingPage, StringComparison.Ordinal);
            Assert.Contains("due 1 Oct 2012", meetingPage, StringComparison.Ordinal);
            Assert.Contains(" · overdue", meetingPage, StringComparison.Ordinal); // open, and due long ago
            Assert.Contains($"href=\"/workspace/recommendations/{id}\"", meetingPage, StringComparison.Ordinal);

            var followUp = $"/workspace/recommendations/{id}";
            var form = await (await browser.GetAsync(followUp)).Content.ReadAsStringAsync();
            Assert.Equal(4, StatusChoice().Matches(form).Count); // open: every status is a move it may make
            var progress = await browser.PostAsync(followUp, WorkspaceGiven.Form(form,
                ("version", Version().Match(form).Groups[1].Value), ("status", "inProgress"), ("owner", "Payoke and La Strada"), ("dueDate", "2012-12-01"), ("text", "Devise a common training manual")));
            Assert.Equal(HttpStatusCode.Redirect, progress.StatusCode);
            Assert.Equal($"/workspace/meetings/{meetingId}?done=recommendation-changed#recommendations", progress.Headers.Location?.OriginalString);
            var (inProgress, _) = await Plan.ReadAsync(api, $"/api/recommendations/{id}");
            Assert.Equal("inProgress", inProgress.GetProperty("status").GetString());
            Assert.Equal("Payoke and La Strada", inProgress.GetProperty("owner").GetString());
            Assert.Equal("2012-12-01", inProgress.GetProperty("dueDate").GetString());

            form = await (await browser.GetAsync(followUp)).Content.ReadAsStringAsync();
            var implemented = await browser.PostAsync(followUp, WorkspaceGiven.Form(form,
                ("version", Version().Match(form).Groups[1].Value), ("status", "implemented"), ("owner", "Payoke and La Strada"), ("dueDate", "2012-12-01"), ("text", "Devise a common training manual")));
            Assert.Equal(HttpStatusCode.Redirect, implemented.StatusCode);

            // Implemented is final: the page offers no other status, and a forged one gets the API's 409 and changes nothing.
            form = await (await browser.GetAsync(followUp)).Content.ReadAsStringAsync();
            Assert.Single(StatusChoice().Matches(form));
            Assert.Contains("value=\"implemented\" checked=\"checked\"", form, StringComparison.Ordinal);
            var reopened = await browser.PostAsync(followUp, WorkspaceGiven.Form(form,
                ("version", Version().Match(form).Groups[1].Value), ("status", "open"), ("text", "Devise a common training manual")));
            Assert.Equal(HttpStatusCode.Conflict, reopened.StatusCode);
            Assert.Contains("The recommendation is implemented, which is final; it cannot become open.", await reopened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var nonsense = await browser.PostAsync(followUp, WorkspaceGiven.Form(form,
                ("version", Version().Match(form).Groups[1].Value), ("status", "finished"), ("text", "x"), ("dueDate", "2012-01-01")));
            Assert.Equal(HttpStatusCode.BadRequest, nonsense.StatusCode);
            var nonsensePage = await nonsense.Content.ReadAsStringAsync();
            Assert.Contains("The value of &#x27;status&#x27; has the wrong type or is not one of the allowed values.", nonsensePage, StringComparison.Ordinal);
            var (final, _) = await Plan.ReadAsync(api, $"/api/recommendations/{id}");
            Assert.Equal("implemented", final.GetProperty("status").GetString());
            Assert.Equal("Devise a common training manual", final.GetProperty("text").GetString());
            Assert.False(final.GetProperty("overdue").GetBoolean());
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/workspace/recommendations/99999")).StatusCode);
        }
    }

    [Fact]
    public async Task ACountryExpertReadsAMeetingWithoutNamesOrFormsAndTheirPostsAreRefusedAsTheApiRefusesThem()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(api);
        await (await api.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody())).Expect(HttpStatusCode.Created);
        var recommendationId = await Plan.RecommendationAsync(api, meetingId);
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "LV");
        using (expert)
        {
            var url = $"/workspace/meetings/{meetingId}";
            var page = await expert.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("1 attendee registered. Their names are kept for the coordinators and the steering group.", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Anna Verbeke", html, StringComparison.Ordinal);
            Assert.Contains("Devise a common training manual", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<form method=\"post\" action=\"/workspace/meetings", html, StringComparison.Ordinal);
            Assert.DoesNotContain("/edit", html, StringComparison.Ordinal);

            // What the API gives a country expert: the meeting, not its attendees, and no writes.
            using var expertApi = await _app.CreateClientAsync(Role.CountryExpert, "LV");
            Assert.Equal(HttpStatusCode.OK, (await expertApi.GetAsync($"/api/meetings/{meetingId}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await expertApi.GetAsync($"/api/meetings/{meetingId}/attendees")).StatusCode);

            foreach (var (handler, fields) in new (string, (string, string)[])[]
            {
                ("AddAttendee", [("fullName", "By the expert"), ("organisation", "X"), ("organisationType", "ngo"), ("countryCode", "LV")]),
                ("RemoveAttendee", [("attendeeId", "1")]),
                ("Conclusions", [("text", "By the expert"), ("version", "1")]),
                ("AddRecommendation", [("text", "By the expert")]),
            })
            {
                var post = await expert.PostAsync($"{url}?handler={handler}", WorkspaceGiven.Form(await (await expert.GetAsync("/workspace")).Content.ReadAsStringAsync(), fields));
                Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
            }

            Assert.Equal(HttpStatusCode.Forbidden, (await expert.GetAsync($"/workspace/meetings/{meetingId}/edit")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await expert.GetAsync($"/workspace/recommendations/{recommendationId}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await expert.GetAsync("/workspace/programmes/1/meetings/new")).StatusCode);
            var unknown = await expert.GetAsync("/workspace/meetings/99999");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("There is no such meeting", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var meeting = await (await api.GetAsync($"/api/meetings/{meetingId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, meeting.GetProperty("attendeeCount").GetInt32());
        Assert.Equal(1, meeting.GetProperty("recommendationCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, meeting.GetProperty("conclusions").ValueKind);
    }

    [Fact]
    public async Task TheSteeringGroupReadsTheAttendeesButWritesNothingAndAPostWithoutItsTokenIsRefused()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(api);
        await (await api.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody())).Expect(HttpStatusCode.Created);
        var url = $"/workspace/meetings/{meetingId}";
        var (_, _, steering) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        using (steering)
        {
            var html = await (await steering.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Contains("Anna Verbeke", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Add an attendee", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Remove", html, StringComparison.Ordinal);
            var post = await steering.PostAsync(url + "?handler=Conclusions", WorkspaceGiven.Form(html, ("text", "By the steering group"), ("version", "1")));
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
            Assert.Contains("This page is not for the role steering group.", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var (_, _, coordinator) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (coordinator)
        {
            var forged = await coordinator.PostAsync(url + "?handler=AddAttendee", WorkspaceGiven.Form(null,
                ("fullName", "Forged"), ("organisation", "X"), ("organisationType", "ngo"), ("countryCode", "BE")));
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            var forgedConclusions = await coordinator.PostAsync(url + "?handler=Conclusions", WorkspaceGiven.Form(null, ("text", "Forged"), ("version", "1")));
            Assert.Equal(HttpStatusCode.BadRequest, forgedConclusions.StatusCode);
        }

        var attendees = await (await api.GetAsync($"/api/meetings/{meetingId}/attendees")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, attendees.GetProperty("total").GetInt32());
        Assert.Equal(JsonValueKind.Null, (await (await api.GetAsync($"/api/meetings/{meetingId}")).Expect(HttpStatusCode.OK)).GetProperty("conclusions").ValueKind);
    }

    [Fact]
    public async Task GarbageFormsOnEveryMeetingPageAreNeverA500AndStoreNothing()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (projectId, meetingId) = await Plan.ExpertMeetingAsync(api);
        var recommendationId = await Plan.RecommendationAsync(api, meetingId);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var html = await (await browser.GetAsync($"/workspace/meetings/{meetingId}")).Content.ReadAsStringAsync();
            var huge = new string('x', 60_000);
            var values = new[] { "", " ", huge, "-1", "0", "99999999999999999999", "1e308", "NaN", "2012-13-45", "\u0000", "<script>alert(1)</script>", "🙂\u200b", "'; DROP TABLE meetings; --" };
            var fields = new[] { "kind", "title", "topic", "phaseId", "city", "countryCode", "startDate", "endDate", "capacity", "fullName", "organisation",
                "organisationType", "attendeeId", "text", "owner", "dueDate", "status", "version" };
            var urls = new[]
            {
                $"/workspace/programmes/{projectId}/meetings/new", $"/workspace/meetings/{meetingId}/edit", $"/workspace/recommendations/{recommendationId}",
                $"/workspace/meetings/{meetingId}?handler=AddAttendee", $"/workspace/meetings/{meetingId}?handler=RemoveAttendee",
                $"/workspace/meetings/{meetingId}?handler=Conclusions", $"/workspace/meetings/{meetingId}?handler=AddRecommendation",
                $"/workspace/meetings/{meetingId}?handler=NoSuchHandler", "/workspace/meetings/2147483647?handler=Conclusions", "/workspace/recommendations/0",
            };
            foreach (var url in urls)
            {
                foreach (var value in values)
                {
                    var response = await browser.PostAsync(url, WorkspaceGiven.Form(html, fields.Select(f => (f, value)).ToArray()));
                    Assert.True((int)response.StatusCode < 500, $"{url} with '{value[..Math.Min(20, value.Length)]}' → {(int)response.StatusCode}");
                }
            }

            // The same field twice, as a forged form may send it.
            var twice = await browser.PostAsync($"/workspace/meetings/{meetingId}?handler=AddAttendee", WorkspaceGiven.Form(html,
                ("fullName", "A"), ("fullName", "B"), ("organisation", "X"), ("organisationType", "ngo"), ("organisationType", "health"), ("countryCode", "BE")));
            Assert.True((int)twice.StatusCode < 500);
        }

        using var db = _app.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM meetings"));
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM recommendations"));
        Assert.True(db.ExecuteScalar<long>("SELECT COUNT(*) FROM meeting_attendees") <= 1); // at most the one well-formed twice-sent attendee
        Assert.Null(db.ExecuteScalar<string?>("SELECT conclusions FROM meetings"));
        Assert.Equal("Devise a common training manual", db.ExecuteScalar<string>("SELECT text FROM recommendations"));
    }

    public void Dispose() => _app.Dispose();

    private static (string, string)[] Meeting(int phaseId, string start, string end, string title = "Second Expert Group Meeting", string capacity = "12") =>
    [
        ("kind", "expertGroup"), ("title", title), ("topic", ""), ("phaseId", phaseId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("city", "Antwerp"), ("countryCode", "BE"), ("startDate", start), ("endDate", end), ("capacity", capacity),
    ];

    [GeneratedRegex("/workspace/meetings/(\\d+)")]
    private static partial Regex MeetingUrl();

    [GeneratedRegex("name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex Version();

    [GeneratedRegex("type=\"radio\" id=\"status-")]
    private static partial Regex StatusChoice();
}
