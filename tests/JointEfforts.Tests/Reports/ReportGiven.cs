using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace JointEfforts.Tests.Reports;

/// <summary>
/// Rows for the reports, inserted directly: milestones, meetings, courses, attendance and evaluations are written
/// by other slices' APIs, and a report test must know exactly which counts, means and completions to expect.
/// </summary>
public static class ReportGiven
{
    /// <summary>The day every report test runs on, so "overdue" does not depend on when the tests run.</summary>
    public static readonly DateOnly Today = new(2013, 6, 1);

    /// <summary>The same app and database, with a clock that says <see cref="Today"/>.</summary>
    public static WebApplicationFactory<Program> OnToday(this JointEffortsApp app) =>
        app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<TimeProvider>(new FixedClock(Today))));

    /// <summary>A client of <paramref name="server"/> holding the token of a new user of this role.</summary>
    public static async Task<HttpClient> ClientAsync(
        this JointEffortsApp app, WebApplicationFactory<Program> server, Role role, string? countryCode = null)
    {
        var (_, token) = await app.CreateUserAsync(role, countryCode);
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed class FixedClock(DateOnly today) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(today.ToDateTime(new TimeOnly(9, 30)), TimeSpan.Zero);
    }

    // Rows ---------------------------------------------------------------------------------------

    public static long PhaseId(System.Data.Common.DbConnection db, int projectId, int number) =>
        db.ExecuteScalar<long>("SELECT id FROM phases WHERE project_id = @projectId AND number = @number", new { projectId, number });

    public static void Milestone(System.Data.Common.DbConnection db, long phaseId, string title, string due, string? completedOn = null) =>
        db.Execute(
            "INSERT INTO milestones (phase_id, title, kind, due_date, completed_on) VALUES (@phaseId, @title, 'deliverable', @due, @completedOn)",
            new { phaseId, title, due, completedOn });

    public static int Course(
        System.Data.Common.DbConnection db, int projectId, string country, string language, string status,
        double threshold = 0.8, string? title = null, long? formId = null, long? preTestFormId = null, long? postTestFormId = null) =>
        db.ExecuteScalar<int>(
            """
            INSERT INTO courses (project_id, title, country_code, city, venue, language, start_date, end_date, status,
                                 completion_threshold, evaluation_form_id, pre_test_form_id, post_test_form_id)
            VALUES (@projectId, @title, @country, 'City of ' || @country, 'Training centre', @language, '2013-04-15', '2013-04-19', @status,
                    @threshold, @formId, @preTestFormId, @postTestFormId)
            RETURNING id
            """,
            new { projectId, title = title ?? $"Pilot course {country}", country, language, status, threshold, formId, preTestFormId, postTestFormId });

    public static long[] Sessions(System.Data.Common.DbConnection db, int courseId, int count) =>
        Enumerable.Range(0, count).Select(i => db.ExecuteScalar<long>(
            "INSERT INTO course_sessions (course_id, date, title, hours) VALUES (@courseId, @date, @title, 3.5) RETURNING id",
            new { courseId, date = new DateOnly(2013, 4, 15).AddDays(i), title = $"Day {i + 1}" })).ToArray();

    public static long Participant(System.Data.Common.DbConnection db, string fullName, string sector, string country = "AT", string seniority = "field") =>
        db.ExecuteScalar<long>(
            """
            INSERT INTO participants (full_name, email, organisation, sector, country_code, seniority)
            VALUES (@fullName, @email, @organisation, @sector, @country, @seniority) RETURNING id
            """,
            new { fullName, email = EmailOf(fullName), organisation = $"Organisation of {fullName}", sector, country, seniority });

    public static string EmailOf(string fullName) => fullName.ToLowerInvariant().Replace(' ', '.') + "@example.org";

    public static void Enrol(System.Data.Common.DbConnection db, int courseId, long participantId, string status = "enrolled") =>
        db.Execute(
            "INSERT INTO enrolments (course_id, participant_id, status) VALUES (@courseId, @participantId, @status)",
            new { courseId, participantId, status });

    /// <summary>One attendance row per session, in order; a null status records nothing for that session.</summary>
    public static void Attend(System.Data.Common.DbConnection db, long[] sessionIds, long participantId, params string?[] statuses)
    {
        for (var i = 0; i < statuses.Length; i++)
        {
            if (statuses[i] is { } status)
            {
                db.Execute(
                    "INSERT INTO attendance (session_id, participant_id, status) VALUES (@session, @participantId, @status)",
                    new { session = sessionIds[i], participantId, status });
            }
        }
    }

    /// <summary>A reaction form in English, German and Dutch: overall and useful (likert5), format (single), topics (multiple), comments (text).</summary>
    public static long ReactionForm(System.Data.Common.DbConnection db)
    {
        var formId = Form(db, "Course evaluation", "reaction", ["en", "de", "nl"]);
        Question(db, formId, 1, "overall", "likert5", new { en = "Overall, how satisfied are you with the course?", de = "Wie zufrieden sind Sie insgesamt mit dem Kurs?", nl = "Hoe tevreden bent u in het algemeen?" });
        Question(db, formId, 2, "useful", "likert5", new { en = "How useful is the course for your work?", de = "Wie nützlich ist der Kurs für Ihre Arbeit?", nl = "Hoe nuttig is de cursus voor uw werk?" });
        Question(db, formId, 3, "format", "singleChoice", new { en = "Which format helped you most?", de = "Welches Format hat Ihnen am meisten geholfen?", nl = "Welk format hielp u het meest?" },
            new object[]
            {
                new { value = "lecture", text = new { en = "Lectures", de = "Vorträge", nl = "Lezingen" } },
                new { value = "workshop", text = new { en = "Workshops", de = "Workshops", nl = "Workshops" } },
                new { value = "caseStudy", text = new { en = "Case studies", de = "Fallstudien", nl = "Casestudies" } },
            });
        Question(db, formId, 4, "topics", "multipleChoice", new { en = "Which topics were new to you?", de = "Welche Themen waren neu für Sie?", nl = "Welke onderwerpen waren nieuw?" },
            new object[]
            {
                new { value = "law", text = new { en = "Legal framework", de = "Rechtsrahmen", nl = "Wettelijk kader" } },
                new { value = "health", text = new { en = "Health care for victims", de = "Gesundheitsversorgung der Opfer", nl = "Zorg voor slachtoffers" } },
            });
        Question(db, formId, 5, "comments", "text", new { en = "What should we improve?", de = "Was sollten wir verbessern?", nl = "Wat kunnen we verbeteren?" });
        return formId;
    }

    public static long TestForm(System.Data.Common.DbConnection db, string purpose)
    {
        var formId = Form(db, $"Knowledge test ({purpose})", purpose, ["en", "de"]);
        Question(db, formId, 1, "q1", "singleChoice", new { en = "Who may identify a victim?", de = "Wer darf ein Opfer identifizieren?" },
            new object[] { new { value = "a", text = new { en = "Police only" } }, new { value = "b", text = new { en = "Any trained professional" } } },
            correctOption: "b");
        return formId;
    }

    private static long Form(System.Data.Common.DbConnection db, string title, string purpose, string[] languages) =>
        db.ExecuteScalar<long>(
            "INSERT INTO evaluation_forms (title, purpose, languages) VALUES (@title, @purpose, @languages) RETURNING id",
            new { title, purpose, languages = JsonSerializer.Serialize(languages) });

    private static void Question(
        System.Data.Common.DbConnection db, long formId, int position, string key, string type, object texts, object[]? options = null, string? correctOption = null) =>
        db.Execute(
            """
            INSERT INTO form_questions (form_id, position, question_key, type, level, required, texts, options, correct_option, points)
            VALUES (@formId, @position, @key, @type, @level, 1, @texts, @options, @correctOption, @points)
            """,
            new
            {
                formId, position, key, type, correctOption, points = correctOption is null ? (double?)null : 1.0,
                level = type == "singleChoice" && key == "q1" ? "learning" : "reaction",
                texts = JsonSerializer.Serialize(texts),
                options = options is null ? null : JsonSerializer.Serialize(options),
            });

    public static long Code(System.Data.Common.DbConnection db, int courseId, string code) =>
        db.ExecuteScalar<long>("INSERT INTO evaluation_codes (course_id, code) VALUES (@courseId, @code) RETURNING id", new { courseId, code });

    /// <summary>A response given on the courses' last day (2013-04-19): never after this world's today, so an asOf reads it as a person did then.</summary>
    public static long Response(System.Data.Common.DbConnection db, int courseId, long formId, string purpose = "reaction", long? codeId = null, double? score = null) =>
        db.ExecuteScalar<long>(
            """
            INSERT INTO evaluation_responses (course_id, form_id, purpose, code_id, source, language, score, submitted_at)
            VALUES (@courseId, @formId, @purpose, @codeId, @source, 'de', @score, '2013-04-19') RETURNING id
            """,
            new { courseId, formId, purpose, codeId, source = codeId is null ? "paper" : "online", score });

    public static void Answer(System.Data.Common.DbConnection db, long responseId, string key, double? number = null, string? option = null, string? text = null) =>
        db.Execute(
            "INSERT INTO evaluation_answers (response_id, question_key, option_value, number_value, text_value) VALUES (@responseId, @key, @option, @number, @text)",
            new { responseId, key, option, number, text });

    public static void Report(System.Data.Common.DbConnection db, int courseId, string state, int rating) =>
        db.Execute(
            """
            INSERT INTO evaluation_reports (course_id, delivered_on, participants_attended, summary, overall_rating, state, submitted_at)
            VALUES (@courseId, '2013-04-19', 4, 'Delivered as planned.', @rating, @state,
                    CASE WHEN @state = 'draft' THEN NULL ELSE '2013-04-25T10:00:00.000Z' END)
            """,
            new { courseId, state, rating });

    /// <summary>
    /// Closes the course's evaluation as the steering group does: its report accepted on <paramref name="acceptedAt"/>, the
    /// course evaluated. Only then are its results released to anyone but admin (Evaluations/Figures/Release.cs).
    /// </summary>
    public static void Release(System.Data.Common.DbConnection db, int courseId, string acceptedAt = "2013-05-10T10:00:00.000Z") =>
        db.Execute(
            """
            UPDATE evaluation_reports SET state = 'accepted', accepted_at = @acceptedAt WHERE course_id = @courseId;
            UPDATE courses SET status = 'evaluated' WHERE id = @courseId;
            """,
            new { courseId, acceptedAt });

    public static long Meeting(System.Data.Common.DbConnection db, int projectId, string title = "Steering group meeting") =>
        db.ExecuteScalar<long>(
            """
            INSERT INTO meetings (project_id, kind, title, city, country_code, start_date, end_date)
            VALUES (@projectId, 'steeringGroup', @title, 'Antwerp', 'BE', '2012-04-22', '2012-04-22') RETURNING id
            """,
            new { projectId, title });

    public static void Recommendation(System.Data.Common.DbConnection db, long meetingId, string text, string status, string? due = null) =>
        db.Execute(
            "INSERT INTO recommendations (meeting_id, text, owner, due_date, status) VALUES (@meetingId, @text, 'Payoke', @due, @status)",
            new { meetingId, text, due, status });

    // The standard programme -------------------------------------------------------------------------

    /// <summary>The people of the standard programme: none of these names or e-mails may reach the steering group.</summary>
    public static readonly IReadOnlyList<string> People =
    [
        "Anna Huber", "Berta Gruber", "Carl Bauer", "Dora Wagner", "Emil Pichler",
        "Frank de Vries", "Greta Jansen", "Hans Smit", "Ilir Hoxha", "Jonas Other",
    ];

    public sealed record Programme(int ProjectId, int OtherProjectId, int CourseAt, int CourseNl, int CourseCancelled, int CourseAl, int OtherCourse);

    /// <summary>
    /// A programme whose figures are known (today is 2013-06-01):
    /// <list type="bullet">
    /// <item>Phase 1: 2 milestones, both completed (progress 1). Phase 2: 4 milestones, 1 completed, 1 overdue, one due today (not overdue).</item>
    /// <item>Courses: AT delivered (threshold 0.8, 5 sessions), NL evaluated (0.5, 2 sessions), NL cancelled, AL open (no sessions).</item>
    /// <item>AT: Anna 5/5 trained, Berta 3 present + 1 late of 5 = 0.8 trained, Carl 3/5 not, Dora no attendance, Emil waitlisted (attending, not counted).</item>
    /// <item>NL: Anna again 2/2 trained, Frank 1/2 = 0.5 trained, Greta withdrawn. Cancelled NL: Hans. AL: Ilir, no sessions.</item>
    /// <item>Distinct enrolled 6 (Anna, Berta, Carl, Dora, Frank, Ilir), distinct trained 3 (Anna, Berta, Frank).</item>
    /// <item>Reaction: AT overall 5, 4, 4; NL overall 2 → 4 responses, mean 3.75. Tests at AT: pairs (0.4→0.8), (0.5→0.9) → gain 0.4.</item>
    /// <item>Knowledge test question q1 (correct: b): 1 of 3 correct before, 3 of 3 after. Reaction forms on paper: AT 2, NL 1.</item>
    /// <item>Reports: AT submitted, NL accepted (two recommendations). Recommendations: 2 open (one overdue), 1 implemented.</item>
    /// <item>The steering group meeting (Antwerp): 2 attendees of 2 organisations, conclusions "Target senior staff."</item>
    /// <item>Another programme holds a course, a response (overall 1), a draft report and a dropped recommendation that must not count.</item>
    /// </list>
    /// </summary>
    public static async Task<Programme> StandardProgrammeAsync(JointEffortsApp app)
    {
        using var coordinator = await app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator, "JE-REPORTS", target: 160);
        var otherProjectId = await Given.ProjectAsync(coordinator, "OTHER-PROGRAMME", target: 10);
        using var db = app.OpenDatabase();
        return StandardRows(db, projectId, otherProjectId);
    }

    /// <summary>The rows of <see cref="StandardProgrammeAsync"/> in two programmes that exist with their phases.</summary>
    public static Programme StandardRows(System.Data.Common.DbConnection db, int projectId, int otherProjectId)
    {
        var phase1 = PhaseId(db, projectId, 1);
        var phase2 = PhaseId(db, projectId, 2);
        Milestone(db, phase1, "Steering group kick-off", "2012-01-01", "2012-01-02");
        Milestone(db, phase1, "Stocktaking report", "2012-02-01", "2012-02-01");
        Milestone(db, phase2, "First expert group meeting", "2012-06-01", "2012-06-15");
        Milestone(db, phase2, "Training needs analysis", "2013-01-01");
        Milestone(db, phase2, "Curriculum draft", "2013-12-01");
        Milestone(db, phase2, "Trainer briefing", "2013-06-01");

        var reaction = ReactionForm(db);
        var preTest = TestForm(db, "preTest");
        var postTest = TestForm(db, "postTest");

        var at = Course(db, projectId, "AT", "de", "delivered", 0.8, "Identifying victims: police and health (Vienna)", reaction, preTest, postTest);
        var nl = Course(db, projectId, "NL", "nl", "evaluated", 0.5, "Identifying victims (Amsterdam)", reaction);
        var cancelled = Course(db, projectId, "NL", "nl", "cancelled", title: "Cancelled pilot (Rotterdam)");
        var al = Course(db, projectId, "AL", "sq", "open", title: "Pilot course (Tirana)");
        var other = Course(db, otherProjectId, "AT", "de", "delivered", title: "Course of another programme", formId: reaction);

        var anna = Participant(db, "Anna Huber", "lawEnforcement", seniority: "senior");
        var berta = Participant(db, "Berta Gruber", "health");
        var carl = Participant(db, "Carl Bauer", "health");
        var dora = Participant(db, "Dora Wagner", "ngo");
        var emil = Participant(db, "Emil Pichler", "borderGuard");
        var frank = Participant(db, "Frank de Vries", "judiciary", "NL");
        var greta = Participant(db, "Greta Jansen", "health", "NL");
        var hans = Participant(db, "Hans Smit", "socialServices", "NL");
        var ilir = Participant(db, "Ilir Hoxha", "prison", "AL");
        var jonas = Participant(db, "Jonas Other", "other");

        var atSessions = Sessions(db, at, 5);
        foreach (var p in new[] { anna, berta, carl, dora })
        {
            Enrol(db, at, p);
        }

        Enrol(db, at, emil, "waitlisted");
        Attend(db, atSessions, anna, "present", "present", "present", "present", "present");
        Attend(db, atSessions, berta, "present", "present", "present", "late", "absent");
        Attend(db, atSessions, carl, "present", "present", "present", "excused", "excused");
        Attend(db, atSessions, emil, "present", "present", "present", "present", "present");

        var nlSessions = Sessions(db, nl, 2);
        Enrol(db, nl, anna);
        Enrol(db, nl, frank);
        Enrol(db, nl, greta, "withdrawn");
        Attend(db, nlSessions, anna, "present", "present");
        Attend(db, nlSessions, frank, "present", "absent");
        Attend(db, nlSessions, greta, "present", "present");

        var cancelledSessions = Sessions(db, cancelled, 1);
        Enrol(db, cancelled, hans);
        Attend(db, cancelledSessions, hans, "present");
        Enrol(db, al, ilir);

        var otherSessions = Sessions(db, other, 1);
        Enrol(db, other, jonas);
        Attend(db, otherSessions, jonas, "present");

        var r1 = Response(db, at, reaction, codeId: Code(db, at, "AT-R1"));
        Answer(db, r1, "overall", 5);
        Answer(db, r1, "useful", 3);
        Answer(db, r1, "format", option: "lecture");
        Answer(db, r1, "topics", option: "law");
        Answer(db, r1, "topics", option: "health");
        Answer(db, r1, "comments", text: "Very practical, more case studies please.");
        var r2 = Response(db, at, reaction);
        Answer(db, r2, "overall", 4);
        Answer(db, r2, "useful", 4);
        Answer(db, r2, "format", option: "workshop");
        Answer(db, r2, "topics", option: "health");
        Answer(db, r2, "comments", text: "=HYPERLINK(\"http://example.org\",\"click\")");
        var r3 = Response(db, at, reaction);
        Answer(db, r3, "overall", 4);
        Answer(db, r3, "useful", 2);
        Answer(db, r3, "format", option: "workshop");
        Answer(db, r3, "comments", text: "42");
        Answer(db, Response(db, nl, reaction), "overall", 2);
        Answer(db, Response(db, other, reaction), "overall", 1);

        var c1 = Code(db, at, "AT-1");
        var c2 = Code(db, at, "AT-2");
        var c3 = Code(db, at, "AT-3");
        var c4 = Code(db, at, "AT-4");
        // q1's correct answer is b: before, one of three knew it; after, all three.
        Answer(db, Response(db, at, preTest, "preTest", c1, 0.4), "q1", option: "a");
        Answer(db, Response(db, at, preTest, "preTest", c2, 0.5), "q1", option: "a");
        Answer(db, Response(db, at, preTest, "preTest", c3, 0.6), "q1", option: "b");
        Answer(db, Response(db, at, postTest, "postTest", c1, 0.8), "q1", option: "b");
        Answer(db, Response(db, at, postTest, "postTest", c2, 0.9), "q1", option: "b");
        Answer(db, Response(db, at, postTest, "postTest", c4, 1.0), "q1", option: "b");

        Report(db, at, "submitted", 4);
        Report(db, nl, "accepted", 5);
        Report(db, other, "draft", 2);

        var meeting = Meeting(db, projectId);
        db.Execute("UPDATE meetings SET conclusions = 'Target senior staff.' WHERE id = @meeting", new { meeting });
        db.Execute(
            """
            INSERT INTO meeting_attendees (meeting_id, full_name, organisation, organisation_type, country_code)
            VALUES (@meeting, 'Klara Expert', 'Payoke', 'ngo', 'BE'), (@meeting, 'Lena Expert', 'Danube University Krems', 'academia', 'AT')
            """,
            new { meeting });
        db.Execute(
            """UPDATE evaluation_reports SET recommendations = '["More case studies","A session on minors"]' WHERE course_id = @nl""", new { nl });
        Recommendation(db, meeting, "Involve health authorities in every pilot course.", "open", "2013-01-01");
        Recommendation(db, meeting, "Translate the handbook into Albanian.", "open");
        Recommendation(db, meeting, "Add a session on unaccompanied minors.", "implemented", "2012-12-01");
        Recommendation(db, Meeting(db, otherProjectId, "Other programme meeting"), "Not ours.", "dropped");

        return new Programme(projectId, otherProjectId, at, nl, cancelled, al, other);
    }
}
