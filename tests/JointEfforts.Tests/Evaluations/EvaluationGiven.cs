using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Evaluations;

/// <summary>A course arranged in the tables (the courses API is another slice), with its expert and enrolled participants.</summary>
public sealed record TestCourse(int Id, int ExpertId, HttpClient Expert, IReadOnlyList<int> ParticipantIds);

/// <summary>Arrangements for the evaluation tests: forms through the API, courses and enrolments straight into the tables.</summary>
public static class EvaluationGiven
{
    private static int _projects;

    public static readonly string[] ParticipantNames = ["Ana Popescu", "Jan de Vries", "Erik Lindqvist", "Arben Hoxha", "Maria Gruber", "Tom Baker"];

    /// <summary>A reaction form in English and Dutch with one question of every type.</summary>
    public static object ReactionForm(string title = "Pilot course evaluation") => new
    {
        title,
        purpose = "reaction",
        languages = new[] { "en", "nl" },
        questions = new object[]
        {
            new { key = "relevance", type = "likert5", level = "reaction", required = true, text = new { en = "The training was relevant.", nl = "De training was relevant." } },
            new
            {
                key = "apply", type = "singleChoice", level = "behaviour", required = false,
                text = new { en = "Will you apply it?", nl = "Gaat u het toepassen?" },
                options = new[]
                {
                    new { value = "yes", text = new { en = "Yes", nl = "Ja" } },
                    new { value = "no", text = new { en = "No", nl = "Nee" } },
                },
            },
            new
            {
                key = "topics", type = "multipleChoice", level = "learning", required = false,
                text = new { en = "Useful topics", nl = "Nuttige onderwerpen" },
                options = new[]
                {
                    new { value = "indicators", text = new { en = "Indicators", nl = "Indicatoren" } },
                    new { value = "health", text = new { en = "Health care", nl = "Gezondheidszorg" } },
                    new { value = "referral", text = new { en = "Referral", nl = "Doorverwijzing" } },
                },
            },
            new { key = "hours", type = "number", level = "results", required = false, text = new { en = "Hours of practice since", nl = "Uren praktijk sindsdien" } },
            new { key = "comments", type = "text", level = "reaction", required = false, text = new { en = "Comments", nl = "Opmerkingen" } },
        },
    };

    /// <summary>A knowledge test: q1 earns 1 point, q2 earns 3; the right answers are a and c.</summary>
    public static object KnowledgeTest(string purpose) => new
    {
        title = purpose == "preTest" ? "Knowledge before" : "Knowledge after",
        purpose,
        languages = new[] { "en", "nl" },
        questions = new object[]
        {
            TestQuestion("q1", "a", 1),
            TestQuestion("q2", "c", 3),
        },
    };

    private static object TestQuestion(string key, string correct, double points) => new
    {
        key,
        type = "singleChoice",
        level = "learning",
        required = false,
        text = new { en = $"Question {key}", nl = $"Vraag {key}" },
        options = new[] { "a", "b", "c" }.Select(v => new { value = v, text = new { en = $"Option {v}", nl = $"Optie {v}" } }).ToArray(),
        correctOption = correct,
        points,
    };

    public static async Task<int> FormAsync(HttpClient coordinator, object body)
    {
        var response = await coordinator.PostAsJsonAsync("/api/evaluation-forms", body);
        return (await response.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
    }

    /// <summary>
    /// A programme (through the API), then a course of that country in the tables with a country expert of its own,
    /// <paramref name="participants"/> enrolled participants and the given forms.
    /// </summary>
    public static async Task<TestCourse> CourseAsync(
        JointEffortsApp app,
        HttpClient coordinator,
        int? reactionFormId = null,
        int? preTestFormId = null,
        int? postTestFormId = null,
        string country = "AT",
        string language = "de",
        string status = "delivered",
        int participants = 4,
        bool assignExpert = true)
    {
        var projectId = await Given.ProjectAsync(coordinator, $"EV-{Interlocked.Increment(ref _projects)}");
        var expert = await app.CreateUserAsync(Role.CountryExpert, country);
        using var db = app.OpenDatabase();
        var courseId = db.ExecuteScalar<int>(
            """
            INSERT INTO courses (project_id, title, country_code, city, venue, language, start_date, end_date, min_participants, max_participants,
                                 country_expert_user_id, evaluation_form_id, pre_test_form_id, post_test_form_id, status)
            VALUES (@projectId, 'Pilot course', @country, 'Vienna', 'Danube University Krems', @language, '2013-05-06', '2013-05-08', 1, 40,
                    @expertId, @reactionFormId, @preTestFormId, @postTestFormId, @status)
            RETURNING id
            """,
            new { projectId, country, language, expertId = assignExpert ? expert.Id : (int?)null, reactionFormId, preTestFormId, postTestFormId, status });
        var participantIds = new List<int>();
        for (var i = 0; i < participants; i++)
        {
            participantIds.Add(await EnrolAsync(app, courseId, ParticipantNames[i % ParticipantNames.Length], country));
        }

        return new TestCourse(courseId, expert.Id, app.ClientWithToken(expert.Token), participantIds);
    }

    public static Task<int> EnrolAsync(JointEffortsApp app, int courseId, string fullName = "Lena Novak", string country = "AT")
    {
        using var db = app.OpenDatabase();
        var participantId = db.ExecuteScalar<int>(
            """
            INSERT INTO participants (full_name, email, organisation, sector, country_code, seniority)
            VALUES (@fullName, @email, 'Federal Police', 'lawEnforcement', @country, 'field') RETURNING id
            """,
            new { fullName, email = fullName.Replace(' ', '.').ToLowerInvariant() + "@example.org", country });
        db.Execute("INSERT INTO enrolments (course_id, participant_id, status) VALUES (@courseId, @participantId, 'enrolled')", new { courseId, participantId });
        return Task.FromResult(participantId);
    }

    public static async Task<IReadOnlyList<string>> CodesAsync(HttpClient coordinatorOrExpert, int courseId)
    {
        var response = await coordinatorOrExpert.PostAsync($"/api/courses/{courseId}/evaluation-codes", null);
        var batch = await response.Expect(HttpStatusCode.Created);
        return batch.GetProperty("codes").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToList();
    }

    public static Task<HttpResponseMessage> SubmitAsync(HttpClient anonymous, string code, object answers, string purpose = "reaction", string language = "en") =>
        anonymous.PostAsJsonAsync("/api/evaluations", new { code, purpose, language, answers });

    public static void SetCourseStatus(JointEffortsApp app, int courseId, string status)
    {
        using var db = app.OpenDatabase();
        db.Execute("UPDATE courses SET status = @status WHERE id = @courseId", new { courseId, status });
    }

    public static long Count(JointEffortsApp app, string table)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table}"); // table names are constants of the tests
    }

    public static JsonElement Question(JsonElement form, string key) =>
        form.GetProperty("questions").EnumerateArray().Single(q => q.GetProperty("key").GetString() == key);
}
