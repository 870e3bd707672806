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

        Assert.Equal(["reaction", "preTest", "postTest"], forms.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("purpose").GetString()!).ToArray());
        foreach (var item in forms.GetProperty("items").EnumerateArray())
        {
            var form = await (await coordinator.GetAsync($"/api/evaluation-forms/{item.GetProperty("id").GetInt32()}")).Expect(HttpStatusCode.OK);
            Assert.Equal(["en", "de", "nl", "sq", "ro", "sv"], form.GetProperty("languages").EnumerateArray().Select(l => l.GetString()!).ToArray());
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
    public async Task WithTheSixPilotCoursesTheDemoAnswersTheDeliveredOnesAndHasReportsInEveryState()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        var courseIds = SeedPilotCoursesAndEvaluation(app);
        using var steering = app.ClientWithToken(SteeringToken);

        var states = new List<string>();
        foreach (var id in courseIds.Take(4))
        {
            var summary = await (await steering.GetAsync($"/api/courses/{id}/evaluation-summary")).Expect(HttpStatusCode.OK);
            Assert.Equal(25, summary.GetProperty("enrolled").GetInt32());
            Assert.InRange(summary.GetProperty("responseRate").GetDouble(), 0.6, 1.0);
            var gain = summary.GetProperty("knowledgeGain");
            Assert.True(gain.GetProperty("pairs").GetInt32() >= 15);
            Assert.True(gain.GetProperty("meanGain").GetDouble() > 0.1, "the post-test shows a knowledge gain");
            var report = await (await steering.GetAsync($"/api/courses/{id}/evaluation-report")).Expect(HttpStatusCode.OK);
            states.Add(report.GetProperty("state").GetString() + (report.GetProperty("returnComment").ValueKind == JsonValueKind.String ? "+returned" : ""));
        }

        Assert.Equal(["accepted", "submitted", "draft+returned", "draft"], states);
        using var db = app.OpenDatabase();
        Assert.Equal(25, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_codes WHERE course_id = @id", new { id = courseIds[4] }));
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_responses WHERE course_id IN @ids", new { ids = courseIds.Skip(4) }));
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM evaluation_codes WHERE course_id = @id", new { id = courseIds[5] }));
        Assert.Equal(6, db.ExecuteScalar<long>("SELECT COUNT(*) FROM courses WHERE evaluation_form_id IS NOT NULL AND pre_test_form_id IS NOT NULL"));
    }

    [Fact]
    public void TheDemoIsDeterministic()
    {
        using var first = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        using var second = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        SeedPilotCoursesAndEvaluation(first);
        SeedPilotCoursesAndEvaluation(second);

        const string fingerprint = """
            SELECT group_concat(x, '|') FROM (
              SELECT ec.code || ':' || r.purpose || ':' || COALESCE(r.score, '') AS x
              FROM evaluation_responses r JOIN evaluation_codes ec ON ec.id = r.code_id ORDER BY r.id)
            """;
        using var a = first.OpenDatabase();
        using var b = second.OpenDatabase();
        Assert.Equal(a.ExecuteScalar<string>(fingerprint), b.ExecuteScalar<string>(fingerprint));
    }

    /// <summary>What the courses slice seeds in the merged product: six pilot courses, four delivered; then the evaluation seed over them.</summary>
    private static List<int> SeedPilotCoursesAndEvaluation(JointEffortsApp app)
    {
        using var db = app.OpenDatabase();
        using var transaction = db.BeginTransaction();
        var projectId = db.ExecuteScalar<long>("SELECT id FROM projects WHERE code = @code", new { code = DemoSeed.ProjectCode }, transaction);
        var experts = DemoSeed.PilotCountries.ToDictionary(
            p => p.Country,
            p => db.ExecuteScalar<long>("SELECT id FROM users WHERE user_name = @name", new { name = "demo.expert." + p.Country.ToLowerInvariant() }, transaction));
        string[] statuses = ["delivered", "delivered", "delivered", "delivered", "open", "draft"];
        var courseIds = new List<int>();
        foreach (var ((country, language, city), status) in DemoSeed.PilotCountries.Zip(statuses))
        {
            var courseId = db.ExecuteScalar<int>(
                """
                INSERT INTO courses (project_id, title, country_code, city, language, start_date, end_date, country_expert_user_id, status)
                VALUES (@projectId, 'Pilot course', @country, @city, @language, '2013-06-03', '2013-06-05', @expert, @status) RETURNING id
                """,
                new { projectId, country, city, language, expert = experts[country], status }, transaction);
            for (var i = 0; i < 25; i++)
            {
                var participantId = db.ExecuteScalar<long>(
                    "INSERT INTO participants (full_name, organisation, sector, country_code, seniority) VALUES ('P', 'O', 'health', @country, 'field') RETURNING id",
                    new { country }, transaction);
                db.Execute("INSERT INTO enrolments (course_id, participant_id, status) VALUES (@courseId, @participantId, 'enrolled')", new { courseId, participantId }, transaction);
            }

            courseIds.Add(courseId);
        }

        var context = new DemoContext(
            projectId,
            new Dictionary<int, long>(),
            db.ExecuteScalar<long>("SELECT id FROM users WHERE user_name = 'demo.coordinator'", transaction: transaction),
            db.ExecuteScalar<long>("SELECT id FROM users WHERE user_name = 'demo.steering'", transaction: transaction),
            experts);
        EvaluationDemo.Seed(db, transaction, context);
        transaction.Commit();
        return courseIds;
    }
}
