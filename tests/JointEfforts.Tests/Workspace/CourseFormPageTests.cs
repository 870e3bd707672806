using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Workspace;

/// <summary>
/// Issue 24: a course created and changed from pages, and moved through its workflow by buttons, with the same service, rules
/// and messages as <c>POST /api/projects/{id}/courses</c>, <c>PUT /api/courses/{id}</c> and <c>POST /api/courses/{id}/status</c>;
/// and the programme page's "what needs doing", each course linked.
/// </summary>
public sealed partial class CourseFormPageTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    private static (string, string)[] Fields(
        string title = "Pilot training NL: identifying victims", string countryCode = "NL", string city = "Antwerp", string venue = "Payoke",
        string language = "nl", string startDate = "2013-06-03", string endDate = "2013-06-05", string min = "12", string max = "30",
        string expert = "", string evaluation = "", string preTest = "", string postTest = "", string threshold = "0.75") =>
    [
        ("title", title), ("countryCode", countryCode), ("city", city), ("venue", venue), ("language", language),
        ("startDate", startDate), ("endDate", endDate), ("minParticipants", min), ("maxParticipants", max),
        ("countryExpertUserId", expert), ("evaluationFormId", evaluation), ("preTestFormId", preTest), ("postTestFormId", postTest),
        ("completionThreshold", threshold),
    ];

    [Fact]
    public async Task ACoordinatorCreatesACourseFromTheProgrammePageWithAFormInItsLanguageAndLandsOnTheNewCourse()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(api, "JE-NEW");
        var dutchForm = await EvaluationGiven.FormAsync(api, EvaluationGiven.ReactionForm("Dutch and English evaluation"));
        var expert = await _app.CreateUserAsync(Role.CountryExpert, "NL");
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var programme = await (await browser.GetAsync($"/workspace/programmes/{projectId}")).Content.ReadAsStringAsync();
            Assert.Contains($"href=\"/workspace/programmes/{projectId}/courses/new\">New course</a>", programme, StringComparison.Ordinal);

            var page = await browser.GetAsync($"/workspace/programmes/{projectId}/courses/new");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("<h1>New course</h1>", html, StringComparison.Ordinal);
            Assert.Contains("value=\"25\"", html, StringComparison.Ordinal); // the API's defaults, filled in
            Assert.Contains("Within the programme: 20 Oct 2011 to 20 Mar 2014.", html, StringComparison.Ordinal);
            Assert.Matches($"<option value=\"{dutchForm}\" data-languages=\"en nl\">Dutch and English evaluation \\(no. {dutchForm}\\) · en, nl</option>", html);

            var posted = await browser.PostAsync($"/workspace/programmes/{projectId}/courses/new", WorkspaceGiven.Form(html,
                Fields(evaluation: dutchForm.ToString(), expert: expert.Id.ToString())));

            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            var location = posted.Headers.Location!.OriginalString;
            var courseId = int.Parse(CourseUrl().Match(location).Groups[1].Value);
            Assert.Equal($"/workspace/courses/{courseId}?done=created", location);
            var course = await (await api.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
            Assert.Equal(projectId, course.GetProperty("projectId").GetInt32());
            Assert.Equal("Pilot training NL: identifying victims", course.GetProperty("title").GetString());
            Assert.Equal("NL", course.GetProperty("countryCode").GetString());
            Assert.Equal("Antwerp", course.GetProperty("city").GetString());
            Assert.Equal("nl", course.GetProperty("language").GetString());
            Assert.Equal("2013-06-03", course.GetProperty("startDate").GetString());
            Assert.Equal(12, course.GetProperty("minParticipants").GetInt32());
            Assert.Equal(30, course.GetProperty("maxParticipants").GetInt32());
            Assert.Equal(dutchForm, course.GetProperty("evaluationFormId").GetInt32());
            Assert.Equal(expert.Id, course.GetProperty("countryExpertUserId").GetInt32());
            Assert.Equal(0.75, course.GetProperty("completionThreshold").GetDouble());
            Assert.Equal("draft", course.GetProperty("status").GetString());

            var landed = await (await browser.GetAsync(location)).Content.ReadAsStringAsync();
            Assert.Contains("The course was created, in draft.", landed, StringComparison.Ordinal);
            Assert.Contains($"href=\"/workspace/courses/{courseId}/edit\"", landed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BadCourseInputIsShownBesideEachFieldInTheApisWordsKeepsWhatWasTypedAndStoresNothing()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(api, "JE-BAD");
        var dutchForm = await EvaluationGiven.FormAsync(api, EvaluationGiven.ReactionForm());
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/programmes/{projectId}/courses/new";
            var html = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();

            // Not even of their type, and the request's own rules (DataAnnotations and min ≤ max).
            var typed = await browser.PostAsync(url, WorkspaceGiven.Form(html,
                Fields(title: "", startDate: "2013-02-30", min: "many", max: "99999999999999", threshold: "1.5", city: new string('x', 101))));
            Assert.Equal(HttpStatusCode.BadRequest, typed.StatusCode);
            var page = await typed.Content.ReadAsStringAsync();
            Assert.Contains("id=\"title-error\"", page, StringComparison.Ordinal);
            Assert.Contains("title is required.", page, StringComparison.Ordinal);
            Assert.Contains("startDate must be a date written YYYY-MM-DD (e.g. 2026-03-15), not &quot;2013-02-30&quot;.", page, StringComparison.Ordinal);
            Assert.Contains("minParticipants must be a whole number, not &quot;many&quot;.", page, StringComparison.Ordinal);
            Assert.Contains("maxParticipants must be a whole number, not &quot;99999999999999&quot;.", page, StringComparison.Ordinal);
            Assert.Contains("id=\"completionThreshold-error\"", page, StringComparison.Ordinal);
            Assert.Contains("id=\"city-error\"", page, StringComparison.Ordinal);
            Assert.Contains("value=\"Payoke\"", page, StringComparison.Ordinal); // what was typed is kept
            Assert.Contains("aria-invalid=\"true\"", page, StringComparison.Ordinal);

            var crossed = await browser.PostAsync(url, WorkspaceGiven.Form(page, Fields(min: "30", max: "12", startDate: "2013-06-05", endDate: "2013-06-03")));
            Assert.Equal(HttpStatusCode.BadRequest, crossed.StatusCode);
            var crossedPage = await crossed.Content.ReadAsStringAsync();
            Assert.Contains("minParticipants (30) must not exceed maxParticipants (12); absent, they are 25 and 40.", crossedPage, StringComparison.Ordinal);
            Assert.Contains("endDate must not be before startDate.", crossedPage, StringComparison.Ordinal);

            // The rules that need the database come from the service the API uses: the same words as its 400.
            var json = await api.PostAsJsonAsync($"/api/projects/{projectId}/courses", new
            {
                title = "Austrian course", countryCode = "AT", city = "Vienna", language = "de", startDate = "2010-01-04", endDate = "2013-06-05",
                evaluationFormId = dutchForm,
            });
            var problem = await json.ExpectProblem(HttpStatusCode.BadRequest);
            var apiMessage = problem.GetProperty("errors").GetProperty("evaluationFormId")[0].GetString()!;
            var referenced = await browser.PostAsync(url, WorkspaceGiven.Form(crossedPage,
                Fields(countryCode: "AT", language: "de", startDate: "2010-01-04", evaluation: dutchForm.ToString(), postTest: "424242")));
            Assert.Equal(HttpStatusCode.BadRequest, referenced.StatusCode);
            var referencedPage = await referenced.Content.ReadAsStringAsync();
            Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(apiMessage), referencedPage, StringComparison.Ordinal);
            Assert.Contains("is not available in the course&#x27;s language &#x27;de&#x27;", referencedPage, StringComparison.Ordinal);
            Assert.Contains("A course lies within its programme: the programme runs from 2011-10-20 to 2014-03-20.", referencedPage, StringComparison.Ordinal);
            Assert.Contains("Evaluation form 424242 does not exist or is not a postTest form.", referencedPage, StringComparison.Ordinal);
            Assert.Contains("<a href=\"#evaluationFormId\">", referencedPage, StringComparison.Ordinal); // the summary leads to the field

            // Garbage in any field is a 400 with a message, never a 500.
            string[] fields = ["title", "countryCode", "city", "venue", "language", "startDate", "endDate", "minParticipants", "maxParticipants",
                "countryExpertUserId", "evaluationFormId", "preTestFormId", "postTestFormId", "completionThreshold"];
            foreach (var garbage in new[] { "-1", "0", "NaN", "1e400", "2147483648", "<script>x</script>", "\u0000", new string('9', 5000) })
            {
                foreach (var field in fields)
                {
                    var values = Fields(countryCode: "AT", language: "de").Select(f => f.Item1 == field ? (f.Item1, garbage) : f).ToArray();
                    var response = await browser.PostAsync(url, WorkspaceGiven.Form(html, values));
                    Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Redirect,
                        $"{field} = {garbage[..Math.Min(20, garbage.Length)]}: {(int)response.StatusCode}");
                    if (response.StatusCode == HttpStatusCode.Redirect)
                    {
                        // A value that is valid for its field (a venue or a title of digits) made a course: remove it again.
                        var created = int.Parse(CourseUrl().Match(response.Headers.Location!.OriginalString).Groups[1].Value);
                        await (await api.DeleteAsync($"/api/courses/{created}")).Expect(HttpStatusCode.NoContent);
                    }
                    else if (!garbage.Contains('\0', StringComparison.Ordinal)) // a NUL is refused before any page, as on every workspace form
                    {
                        var body = await response.Content.ReadAsStringAsync();
                        Assert.True(body.Contains("class=\"error-summary\"", StringComparison.Ordinal), $"{field} = {garbage[..Math.Min(20, garbage.Length)]}: {body[..Math.Min(400, body.Length)]}");
                    }
                }
            }

            var courses = await (await api.GetAsync($"/api/projects/{projectId}/courses")).Expect(HttpStatusCode.OK);
            Assert.Equal(0, courses.GetProperty("total").GetInt32());

            var unknown = await browser.GetAsync("/workspace/programmes/99999/courses/new");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("There is no such programme", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var unknownPost = await browser.PostAsync("/workspace/programmes/99999/courses/new", WorkspaceGiven.Form(html, Fields()));
            Assert.Equal(HttpStatusCode.NotFound, unknownPost.StatusCode);
        }
    }

    [Fact]
    public async Task ACoordinatorChangesACourseAndAStaleFormSaysSoAndChangesNothing()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.CourseAsync(api, countryCode: "NL");
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/courses/{courseId}/edit";
            var html = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Contains("value=\"Pilot training NL: identifying and assisting victims of trafficking\"", html, StringComparison.Ordinal);
            Assert.Contains("<option value=\"nl\" selected=\"selected\">", html, StringComparison.Ordinal);
            var version = Version(html);

            var saved = await browser.PostAsync(url, WorkspaceGiven.Form(html, [.. Fields(title: "Renamed on the page", max: "35", startDate: "2013-05-13", endDate: "2013-05-17"), ("version", version)]));
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            Assert.Equal($"/workspace/courses/{courseId}?done=saved", saved.Headers.Location?.OriginalString);
            var course = await (await api.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
            var stored = await ETagAsync(api, courseId);
            Assert.Equal("Renamed on the page", course.GetProperty("title").GetString());
            Assert.Equal(35, course.GetProperty("maxParticipants").GetInt32());
            Assert.Equal("Antwerp", course.GetProperty("city").GetString());

            // The same form, posted again with the version it was shown with: someone (this very save) changed the course since.
            var stale = await browser.PostAsync(url, WorkspaceGiven.Form(html, [.. Fields(title: "An old idea", startDate: "2013-05-13", endDate: "2013-05-17"), ("version", version)]));
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            var stalePage = await stale.Content.ReadAsStringAsync();
            Assert.Contains("Someone changed this course while you had it open: nothing was saved.", stalePage, StringComparison.Ordinal);
            Assert.Contains("value=\"Renamed on the page\"", stalePage, StringComparison.Ordinal); // what is stored now
            Assert.NotEqual(version, Version(stalePage));
            var after = await (await api.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
            Assert.Equal("Renamed on the page", after.GetProperty("title").GetString());
            Assert.Equal(stored, await ETagAsync(api, courseId));

            var noVersion = await browser.PostAsync(url, WorkspaceGiven.Form(html, [.. Fields(startDate: "2013-05-13", endDate: "2013-05-17"), ("version", "garbage")]));
            Assert.Equal(HttpStatusCode.Conflict, noVersion.StatusCode);

            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/workspace/courses/99999/edit")).StatusCode);
        }
    }

    [Fact]
    public async Task TheApisConflictsOnAChangeAreSaidOnThePageAndAFinalCourseOffersNoForm()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, _, _) = await CourseGiven.RunningCourseAsync(api, countryCode: "NL", participants: 3, sessions: 1, min: 1, max: 40);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var url = $"/workspace/courses/{courseId}/edit";
            var html = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();

            var lowered = await browser.PostAsync(url, WorkspaceGiven.Form(html,
                [.. Fields(min: "1", max: "2", startDate: "2013-05-13", endDate: "2013-05-17"), ("version", Version(html))]));
            Assert.Equal(HttpStatusCode.Conflict, lowered.StatusCode);
            Assert.Contains("3 participants are enrolled: maxParticipants cannot be lowered to 2. Withdraw enrolments first.",
                await lowered.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var session = await browser.PostAsync(url, WorkspaceGiven.Form(html,
                [.. Fields(min: "1", startDate: "2013-05-14", endDate: "2013-05-17"), ("version", Version(html))]));
            Assert.Equal(HttpStatusCode.BadRequest, session.StatusCode);
            Assert.Contains("The course has a session on 2013-05-13: it cannot start after it. Move or delete that session first.",
                await session.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            await CourseGiven.MoveAsync(api, courseId, "cancelled");
            var final = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Contains("The course is cancelled: it can no longer be changed.", final, StringComparison.Ordinal);
            Assert.DoesNotContain("Save the course", final, StringComparison.Ordinal);
            var current = await ETagAsync(api, courseId);
            var posted = await browser.PostAsync(url, WorkspaceGiven.Form(html,
                [.. Fields(min: "1", startDate: "2013-05-13", endDate: "2013-05-17"), ("version", current.ToString())]));
            Assert.Equal(HttpStatusCode.Conflict, posted.StatusCode);
            var refused = await posted.Content.ReadAsStringAsync();
            Assert.Contains("The course is cancelled: it can no longer be changed.", refused, StringComparison.Ordinal);
            Assert.DoesNotContain("Save the course", refused, StringComparison.Ordinal);
            var course = await (await api.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
            Assert.Equal(40, course.GetProperty("maxParticipants").GetInt32());
            Assert.Equal("Pilot training NL: identifying and assisting victims of trafficking", course.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task TheStatusButtonsMoveTheCourseAsTheApiDoesAndARefusedMoveSaysTheApisRule()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.CourseAsync(api, countryCode: "NL", min: 2);
        await CourseGiven.SessionAsync(api, courseId);
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var html = await (await browser.GetAsync($"/workspace/courses/{courseId}")).Content.ReadAsStringAsync();
            Assert.Contains($"action=\"/workspace/courses/{courseId}/status\"", html, StringComparison.Ordinal);
            Assert.Contains(">Open for enrolment</button>", html, StringComparison.Ordinal);
            Assert.Contains($"href=\"/workspace/courses/{courseId}/status?confirm=cancelled\"", html, StringComparison.Ordinal);

            var status = $"/workspace/courses/{courseId}/status";
            var opened = await browser.PostAsync(status, WorkspaceGiven.Form(html, ("status", "open")));
            Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
            Assert.Equal($"/workspace/courses/{courseId}?done=open", opened.Headers.Location?.OriginalString);
            Assert.Equal("open", await StatusAsync(api, courseId));
            var openPage = await (await browser.GetAsync($"/workspace/courses/{courseId}?done=open")).Content.ReadAsStringAsync();
            Assert.Contains("The course is open for enrolment.", openPage, StringComparison.Ordinal);
            Assert.Contains(">Close enrolment</button>", openPage, StringComparison.Ordinal);
            Assert.DoesNotContain(">Open for enrolment</button>", openPage, StringComparison.Ordinal);

            // A move the workflow does not allow from here (a second tab's button): the API's 409, nothing changed.
            var skipped = await browser.PostAsync(status, WorkspaceGiven.Form(html, ("status", "delivered")));
            Assert.Equal(HttpStatusCode.Conflict, skipped.StatusCode);
            var skippedPage = await skipped.Content.ReadAsStringAsync();
            Assert.Contains("An open course cannot move to delivered; it can move to closed or cancelled.", skippedPage, StringComparison.Ordinal);
            Assert.Contains(">Close enrolment</button>", skippedPage, StringComparison.Ordinal); // what is possible, offered

            await (await browser.PostAsync(status, WorkspaceGiven.Form(html, ("status", "closed")))).Expect(HttpStatusCode.Redirect);
            var under = await browser.PostAsync(status, WorkspaceGiven.Form(html, ("status", "delivered")));
            Assert.Equal(HttpStatusCode.Conflict, under.StatusCode);
            Assert.Contains("Only 0 participants are enrolled; a course is delivered with at least 2.", await under.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("closed", await StatusAsync(api, courseId));

            var garbage = await browser.PostAsync(status, WorkspaceGiven.Form(html, ("status", "Delivered!")));
            Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
            Assert.Contains("status must be one of: draft, open, closed, delivered, evaluated, cancelled.", await garbage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("closed", await StatusAsync(api, courseId));

            var confirm = await (await browser.GetAsync($"{status}?confirm=cancelled")).Content.ReadAsStringAsync();
            Assert.Contains("Cancel the course?", confirm, StringComparison.Ordinal);
            var cancelled = await browser.PostAsync(status, WorkspaceGiven.Form(confirm, ("status", "cancelled")));
            Assert.Equal($"/workspace/courses/{courseId}?done=cancelled", cancelled.Headers.Location?.OriginalString);
            Assert.Equal("cancelled", await StatusAsync(api, courseId));
            var final = await (await browser.GetAsync($"/workspace/courses/{courseId}")).Content.ReadAsStringAsync();
            Assert.Contains("Cancelled is final: the course no longer changes.", final, StringComparison.Ordinal);
            Assert.DoesNotContain("/edit\"", final, StringComparison.Ordinal);

            var without = await browser.PostAsync(status, WorkspaceGiven.Form(null, ("status", "open")));
            Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode); // no antiforgery token
            Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync("/workspace/courses/99999/status", WorkspaceGiven.Form(html, ("status", "open")))).StatusCode);
        }
    }

    [Fact]
    public async Task OnlyCoordinatorsAndTheAdminReachTheCoursePagesAndACountryExpertSeesNoButtons()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(api, "JE-ROLE");
        var courseId = await CourseGiven.CourseAsync(api, countryCode: "AT", projectId: projectId);
        var (_, _, expert) = await WorkspaceGiven.SignedInAsync(_app, Role.CountryExpert, "AT");
        var (_, _, steering) = await WorkspaceGiven.SignedInAsync(_app, Role.SteeringGroup);
        var (_, _, admin) = await WorkspaceGiven.SignedInAsync(_app, Role.Admin);
        using (expert)
        using (steering)
        using (admin)
        {
            var coursePage = await (await expert.GetAsync($"/workspace/courses/{courseId}")).Content.ReadAsStringAsync();
            Assert.DoesNotContain("/status\"", coursePage, StringComparison.Ordinal);
            Assert.DoesNotContain("/edit\"", coursePage, StringComparison.Ordinal);
            foreach (var browser in new[] { expert, steering })
            {
                foreach (var url in new[] { $"/workspace/programmes/{projectId}/courses/new", $"/workspace/courses/{courseId}/edit", $"/workspace/courses/{courseId}/status" })
                {
                    var page = await browser.GetAsync(url);
                    Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
                    Assert.Contains("This page is not for the role", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }

                var forged = await browser.PostAsync($"/workspace/courses/{courseId}/status", WorkspaceGiven.Form(coursePage, ("status", "open")));
                Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            }

            Assert.Equal("draft", await StatusAsync(api, courseId));
            var adminPage = await (await admin.GetAsync($"/workspace/courses/{courseId}")).Content.ReadAsStringAsync();
            var moved = await admin.PostAsync($"/workspace/courses/{courseId}/status", WorkspaceGiven.Form(adminPage, ("status", "open")));
            Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
            Assert.Equal("open", await StatusAsync(api, courseId));
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/workspace/programmes/{projectId}/courses/new")).StatusCode);

            // Every POST needs the page's antiforgery token: without it, nothing is created or changed.
            var noToken = await admin.PostAsync($"/workspace/programmes/{projectId}/courses/new", WorkspaceGiven.Form(null, Fields()));
            Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
            var version = await ETagAsync(api, courseId);
            var noTokenEdit = await admin.PostAsync($"/workspace/courses/{courseId}/edit",
                WorkspaceGiven.Form(null, [.. Fields(countryCode: "AT", language: "de", startDate: "2013-05-13", endDate: "2013-05-17"), ("version", version)]));
            Assert.Equal(HttpStatusCode.BadRequest, noTokenEdit.StatusCode);
            Assert.Equal(version, await ETagAsync(api, courseId));
            Assert.Equal(1, (await (await api.GetAsync($"/api/projects/{projectId}/courses")).Expect(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task TheProgrammePageListsWhatNeedsDoingWithEachCourseLinkedToItsPage()
    {
        using var api = await _app.CreateClientAsync(Role.Coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var returnedCourse = await EvaluationGiven.CourseAsync(_app, api, country: "AT", language: "de", status: "delivered");
        var projectId = (await (await api.GetAsync($"/api/courses/{returnedCourse.Id}")).Expect(HttpStatusCode.OK)).GetProperty("projectId").GetInt32();
        using (var db = _app.OpenDatabase())
        {
            // A report is submitted on attendance taken (arranged in the tables, as the report tests do).
            var sessionId = db.ExecuteScalar<int>(
                "INSERT INTO course_sessions (course_id, date, title, hours) VALUES (@id, '2013-05-06', 'Identification', 6) RETURNING id", new { id = returnedCourse.Id });
            db.Execute("INSERT INTO attendance (session_id, participant_id, status) VALUES (@sessionId, @participantId, 'present')",
                returnedCourse.ParticipantIds.Select(participantId => new { sessionId, participantId }));
        }

        var report = $"/api/courses/{returnedCourse.Id}/evaluation-report";
        await (await returnedCourse.Expert.PutAsJsonAsync(report, new
        {
            deliveredOn = "2013-05-08", participantsAttended = 4, summary = "Well received.", strengths = (string?)null,
            weaknesses = (string?)null, recommendations = (string[]?)null, overallRating = 4,
        })).Expect(HttpStatusCode.Created);
        await (await returnedCourse.Expert.PostAsync($"{report}/submit", null)).Expect(HttpStatusCode.OK);
        await (await steering.PostAsJsonAsync($"{report}/return", new { comment = "Add the figures per sector." })).Expect(HttpStatusCode.OK);
        var underCourse = await CourseGiven.OpenCourseAsync(api, countryCode: "NL", min: 25, projectId: projectId);
        var fullCourse = await CourseGiven.OpenCourseAsync(api, countryCode: "NL", min: 1, projectId: projectId);
        await CourseGiven.EnrolAsync(api, fullCourse, 1, "NL");
        var (_, _, browser) = await WorkspaceGiven.SignedInAsync(_app, Role.Coordinator);
        using (browser)
        {
            var html = await (await browser.GetAsync($"/workspace/programmes/{projectId}")).Content.ReadAsStringAsync();
            var todo = html[html.IndexOf("id=\"todo\"", StringComparison.Ordinal)..html.IndexOf("id=\"phases\"", StringComparison.Ordinal)];
            Assert.Contains("1 course under its minimum", todo, StringComparison.Ordinal);
            Assert.Contains($"<a href=\"/workspace/courses/{underCourse}\">", todo, StringComparison.Ordinal);
            Assert.Contains("0 of at least 25 enrolled", todo, StringComparison.Ordinal);
            Assert.Contains("1 report returned by the steering group", todo, StringComparison.Ordinal);
            Assert.Contains($"<a href=\"/workspace/courses/{returnedCourse.Id}\">Pilot course</a> · its country expert revises the report", todo, StringComparison.Ordinal);
            Assert.DoesNotContain($"/workspace/courses/{fullCourse}\"", todo, StringComparison.Ordinal);

            var courses = html[html.IndexOf("id=\"courses\"", StringComparison.Ordinal)..];
            foreach (var id in new[] { returnedCourse.Id, underCourse, fullCourse })
            {
                Assert.Contains($"href=\"/workspace/courses/{id}\"", courses, StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/workspace/courses/{id}")).StatusCode); // every link opens
            }
        }
    }

    private static async Task<string> StatusAsync(HttpClient api, int courseId) =>
        (await (await api.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK)).GetProperty("status").GetString()!;

    private static async Task<string> ETagAsync(HttpClient api, int courseId) =>
        (await api.GetAsync($"/api/courses/{courseId}")).Headers.ETag!.Tag.Trim('"');

    private static string Version(string html) => VersionField().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex VersionField();

    [GeneratedRegex(@"^/workspace/courses/(\d+)\?")]
    private static partial Regex CourseUrl();

    public void Dispose() => _app.Dispose();
}
