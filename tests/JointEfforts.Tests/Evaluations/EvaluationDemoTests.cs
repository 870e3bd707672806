using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Demo;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Evaluations;

public sealed class EvaluationDemoTests
{
    private const string CoordinatorToken = "je_demo_coordinator_8b1e5d3f9a2c7064e2d8b1a5c9f3e7b2";
    private const string SteeringToken = "je_demo_steering_2c7a9e4b6d1f8350a3b9e7c1d5f2a8e4";

    [Fact]
    public async Task TheDemoHasAReactionFormAndKnowledgeTestsInTheSixCourseLanguages()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        using var coordinator = app.ClientWithToken(CoordinatorToken);

        var forms = await (await coordinator.GetAsync("/api/evaluation-forms")).Expect(HttpStatusCode.OK);

        // Joint Efforts' three forms in its six course languages, then the Poland programme's reaction form in Polish.
        Assert.Equal(["reaction", "preTest", "postTest", "reaction"], forms.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("purpose").GetString()!).ToArray());
        foreach (var (item, index) in forms.GetProperty("items").EnumerateArray().Select((f, i) => (f, i)))
        {
            var form = await (await coordinator.GetAsync($"/api/evaluation-forms/{item.GetProperty("id").GetInt32()}")).Expect(HttpStatusCode.OK);
            string[] languages = index < 3 ? ["en", "de", "nl", "sq", "ro", "sv"] : ["pl"];
            Assert.Equal(languages, form.GetProperty("languages").EnumerateArray().Select(l => l.GetString()!).ToArray());
            // Posting the demo form back proves it meets every rule a coordinator's form must meet.
            var body = new
            {
                title = form.GetProperty("title").GetString(),
                purpose = form.GetProperty("purpose").GetString(),
                languages = form.GetProperty("languages"),
                questions = form.GetProperty("questions"),
            };
            await (await coordinator.PostAsJsonAsync("/api/evaluation-forms", body)).Expect(HttpStatusCode.Created);
        }

        var reaction = await (await coordinator.GetAsync($"/api/evaluation-forms/{forms.GetProperty("items")[0].GetProperty("id").GetInt32()}?lang=sq")).Expect(HttpStatusCode.OK);
        var types = reaction.GetProperty("questions").EnumerateArray().Select(q => q.GetProperty("type").GetString()).ToList();
        Assert.Equal(5, types.Count(t => t == "likert5"));
        Assert.Contains("singleChoice", types);
        Assert.Contains("multipleChoice", types);
        Assert.Contains("text", types);
        Assert.Equal("Në përgjithësi, jam i kënaqur me trajnimin.", EvaluationGiven.Question(reaction, "overall").GetProperty("text").GetString());
    }

    [Fact]
    public async Task TheDeliveredPilotCoursesHaveAnswersAndReportsInEveryState()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        using var steering = app.ClientWithToken(SteeringToken);
        List<(int Id, string Status, long Enrolled)> courses;
        using (var db = app.OpenDatabase())
        {
            courses = db.Query<(long, string, long)>(
                """
                SELECT c.id, c.status, (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled')
                FROM courses c JOIN projects p ON p.id = c.project_id WHERE p.code = @code ORDER BY c.id
                """,
                new { code = DemoSeed.ProjectCode }).Select(c => ((int)c.Item1, c.Item2, c.Item3)).ToList();
        }

        var delivered = courses.Where(c => c.Status is "delivered" or "evaluated").ToList();
        Assert.Equal(4, delivered.Count);
        var states = new List<string>();
        using var admin = app.CreateAdminClient();
        foreach (var (id, status, enrolled) in delivered)
        {
            var summary = await (await steering.GetAsync($"/api/courses/{id}/evaluation-summary")).Expect(HttpStatusCode.OK);
            Assert.Equal(enrolled, summary.GetProperty("enrolled").GetInt32());
            Assert.InRange(summary.GetProperty("responseRate").GetDouble(), 0.6, 1.0);
            var gain = summary.GetProperty("knowledgeGain");
            Assert.True(gain.GetProperty("pairs").GetInt32() >= enrolled / 2);
            // Results are released when the course's evaluation closes (evaluated); admin sees them before.
            Assert.Equal(status == "evaluated", summary.GetProperty("released").GetBoolean());
            Assert.Equal(status == "evaluated", gain.GetProperty("meanGain").ValueKind == JsonValueKind.Number);
            var full = await (await admin.GetAsync($"/api/courses/{id}/evaluation-summary")).Expect(HttpStatusCode.OK);
            Assert.True(full.GetProperty("knowledgeGain").GetProperty("meanGain").GetDouble() > 0.1, "the post-test shows a knowledge gain");
            var report = await (await steering.GetAsync($"/api/courses/{id}/evaluation-report")).Expect(HttpStatusCode.OK);
            states.Add(report.GetProperty("state").GetString() + (report.GetProperty("returnComment").ValueKind == JsonValueKind.String ? "+returned" : ""));
        }

        Assert.Equal(["accepted", "submitted", "draft+returned", "draft"], states);
        using var check = app.OpenDatabase();
        var notDelivered = courses.Where(c => c.Status is not ("delivered" or "evaluated")).Select(c => c.Id).ToList();
        Assert.Equal(0, check.ExecuteScalar<long>(
            // Dapper spreads a list into IN (...) on SQLite; Npgsql takes it as one array parameter.
            TestEngine.IsPostgres
                ? "SELECT COUNT(*) FROM evaluation_responses WHERE course_id = ANY(@notDelivered)"
                : "SELECT COUNT(*) FROM evaluation_responses WHERE course_id IN @notDelivered",
            new { notDelivered }));
        Assert.Equal(courses.Count, check.ExecuteScalar<long>("SELECT COUNT(*) FROM courses WHERE evaluation_form_id IS NOT NULL AND pre_test_form_id IS NOT NULL AND post_test_form_id IS NOT NULL"));
    }

    [Fact]
    public void TheDemoIsDeterministic()
    {
        using var first = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        using var second = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });

        using var a = first.OpenDatabase();
        using var b = second.OpenDatabase();
        var fingerprint = Fingerprint(a);
        Assert.Contains(":reaction:", fingerprint, StringComparison.Ordinal);
        Assert.Equal(fingerprint, Fingerprint(b));
    }

    /// <summary>
    /// Every response (course, code, purpose, score, day) with its answers, sorted, as one text; put together here rather
    /// than in SQL so that it reads the same on either engine (group_concat is SQLite's).
    /// </summary>
    private static string Fingerprint(System.Data.Common.DbConnection db)
    {
        var answers = db.Query<(long ResponseId, string QuestionKey, string? Option, double? Number, string? Text)>(
                "SELECT response_id, question_key, option_value, number_value, text_value FROM evaluation_answers")
            .ToLookup(x => x.ResponseId, x => x.QuestionKey + "=" + (x.Option ?? x.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? x.Text));
        var responses = db.Query<(long Id, long CourseId, string? Code, string Purpose, double? Score, string SubmittedAt)>(
                "SELECT r.id, r.course_id, ec.code, r.purpose, r.score, r.submitted_at FROM evaluation_responses r LEFT JOIN evaluation_codes ec ON ec.id = r.code_id")
            .Select(r => $"{r.CourseId}:{r.Code ?? "-"}:{r.Purpose}:{r.Score?.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{r.SubmittedAt}:"
                + string.Join(",", answers[r.Id].Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal);
        return string.Join("|", responses);
    }
}
