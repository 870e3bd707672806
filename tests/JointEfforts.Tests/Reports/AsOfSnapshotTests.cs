using System.Net;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;
using JointEfforts.Api.Demo;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Reports;

/// <summary>
/// Issue 25, "asOf is a snapshot": the dashboard, the steering workbook and each course workbook read as of a past day show
/// what was true at the end of that day. The expected values are counted here from the demo's dated rows with plain SQL.
/// </summary>
public sealed class AsOfSnapshotTests
{
    private const string SteeringToken = "je_demo_steering_2c7a9e4b6d1f8350a3b9e7c1d5f2a8e4";

    [Fact]
    public async Task EveryFigureOfTheDemoIsWhatWasTrueAtTheEndOfEachAsOfDay()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        int projectId;
        string today;
        List<(int Id, string CountryCode)> courses;
        using (var db = app.OpenDatabase())
        {
            projectId = db.ExecuteScalar<int>("SELECT id FROM projects WHERE code = @code", new { code = DemoSeed.ProjectCode });
            // An answer given today, to a course delivered in 2013: it is no part of any figure as of a day in 2013.
            db.Execute(
                db.Sql("""
                INSERT INTO evaluation_responses (course_id, form_id, purpose, language, source, submitted_at)
                SELECT course_id, form_id, purpose, language, 'paper', strftime('%Y-%m-%dT%H:%M:%fZ','now') FROM evaluation_responses
                WHERE purpose = 'reaction' AND course_id = (SELECT id FROM courses WHERE project_id = @projectId AND status = 'delivered' ORDER BY id LIMIT 1)
                LIMIT 1
                """),
                new { projectId });
            today = db.ExecuteScalar<string>($"SELECT {db.Sql().Today}")!;
            courses = db.Query<(long, string)>("SELECT id, country_code FROM courses WHERE project_id = @projectId ORDER BY start_date, id", new { projectId })
                .Select(c => ((int)c.Item1, c.Item2)).ToList();
        }

        using var steering = app.ClientWithToken(SteeringToken);
        var seen = new Dictionary<string, (int Trained, int Responses)>();
        foreach (var day in new[] { "2012-01-01", "2012-06-30", "2013-03-31", "2013-11-30", today })
        {
            Expected expected;
            using (var db = app.OpenDatabase())
            {
                expected = Count(db, projectId, day);
            }

            var dashboard = await (await steering.GetAsync($"/api/projects/{projectId}/dashboard?asOf={day}")).Expect(HttpStatusCode.OK);
            var training = dashboard.GetProperty("training");
            var evaluation = dashboard.GetProperty("evaluation");
            Assert.Equal(expected.People, training.GetProperty("participantsEnrolled").GetInt32());
            Assert.Equal(expected.Trained, training.GetProperty("participantsTrained").GetInt32());
            Assert.Equal(expected.Responses, evaluation.GetProperty("responses").GetInt32());
            Assert.Equal(expected.Delivered, training.GetProperty("coursesByStatus").GetProperty("delivered").GetInt32()
                + training.GetProperty("coursesByStatus").GetProperty("evaluated").GetInt32());
            var reports = evaluation.GetProperty("reportsByState");
            Assert.Equal(expected.ReportsAccepted, reports.GetProperty("accepted").GetInt32());
            Assert.Equal(expected.ReportsSubmitted, reports.GetProperty("submitted").GetInt32());
            Assert.Equal(expected.ReportsDraft, reports.GetProperty("draft").GetInt32());
            Assert.Equal(expected.Recommendations, dashboard.GetProperty("recommendations").GetProperty("byStatus").EnumerateObject().Sum(s => s.Value.GetInt32()));
            Assert.Equal(expected.MeetingsHeld, dashboard.GetProperty("meetings").GetProperty("held").GetInt32());

            using var book = XlsxParts.Open(await BytesAsync(steering, $"/api/projects/{projectId}/steering-report.xlsx?asOf={day}"));
            var overview = book.Worksheet("Overview");
            Assert.Equal(expected.Trained, (int)Headline(overview, "Participants trained").Cell(2).GetDouble());
            Assert.Equal(expected.Delivered, (int)Headline(overview, "Courses delivered").Cell(2).GetDouble());
            Assert.Contains($"{expected.Responses} in all", Headline(overview, "Evaluation responses").Cell(5).GetString(), StringComparison.Ordinal);
            Assert.Equal(expected.ReportsAccepted, (int)Headline(overview, "Expert reports accepted").Cell(2).GetDouble());
            var rows = book.Worksheet("Evaluation").RowsUsed().Skip(1).Take(courses.Count).ToList();

            for (var i = 0; i < courses.Count; i++)
            {
                var (id, _) = courses[i];
                var course = expected.Courses.GetValueOrDefault(id);
                var because = $"course {id} as of {day}";
                Assert.True(course.Enrolled == (int)rows[i].Cell(3).GetDouble(), because + ": enrolled, steering workbook");
                Assert.True(course.Responses == (int)rows[i].Cell(4).GetDouble(), because + ": responses, steering workbook");
                using var courseBook = XlsxParts.Open(await BytesAsync(steering, $"/api/courses/{id}/evaluation-report.xlsx?asOf={day}"));
                var summary = courseBook.Worksheet("Summary");
                Assert.True(course.Trained == (int)Headline(summary, "Participants trained").Cell(2).GetDouble(), because + ": trained, course workbook");
                Assert.True(course.Enrolled == (int)Headline(summary, "Participants trained").Cell(3).GetDouble(), because + ": enrolled, course workbook");
                Assert.True(course.Responses == (int)Headline(summary, "Evaluation responses").Cell(2).GetDouble(), because + ": responses, course workbook");
            }

            seen[day] = (expected.Trained, expected.Responses);
        }

        // The issue's own cases: nothing was trained or answered on 2012-01-01, and today's answer is not in 2013's figures.
        Assert.Equal((0, 0), seen["2012-01-01"]);
        Assert.Equal(111, seen["2013-11-30"].Trained);
        Assert.Equal(seen[today].Responses - 1, seen["2013-11-30"].Responses);
        Assert.True(seen["2013-03-31"].Responses <= seen["2013-11-30"].Responses);
    }

    [Fact]
    public async Task TheProgrammesRecommendationsAreReadAsTheyStoodOnAsOfAndOverdueIsJudgedOnIt()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        int projectId;
        using (var db = app.OpenDatabase())
        {
            projectId = db.ExecuteScalar<int>("SELECT id FROM projects WHERE code = @code", new { code = DemoSeed.ProjectCode });
        }

        using var steering = app.ClientWithToken(SteeringToken);
        async Task<List<JsonElement>> ListAsync(string query) =>
            (await (await steering.GetAsync($"/api/projects/{projectId}/recommendations?pageSize=200{query}")).Expect(HttpStatusCode.OK))
                .GetProperty("items").EnumerateArray().ToList();
        static string[] Overdue(List<JsonElement> items) =>
            items.Where(r => r.GetProperty("overdue").GetBoolean()).Select(r => r.GetProperty("dueDate").GetString()!).Order().ToArray();

        // Before the Antwerp meeting of 2012-04-23 there were none.
        Assert.Empty(await ListAsync("&asOf=2012-01-01"));
        // On 2013-11-30 the seven existed, and none in progress was due yet (two due 2013-12-31, one 2014-02-28, one open for 2014-03-06).
        var november = await ListAsync("&asOf=2013-11-30");
        Assert.Equal(7, november.Count);
        Assert.Empty(Overdue(november));
        Assert.Equal(["2013-12-31", "2013-12-31"], Overdue(await ListAsync("&asOf=2014-01-01")));
        Assert.Equal(["2013-12-31", "2013-12-31", "2014-02-28", "2014-03-06"], Overdue(await ListAsync("")));
        Assert.Equal(3, (await ListAsync("&asOf=2013-11-30&status=implemented")).Count);
        await (await steering.GetAsync($"/api/projects/{projectId}/recommendations?asOf=2013-13-01")).ExpectProblem(HttpStatusCode.BadRequest, "asOf");
    }

    /// <summary>The figures at the end of <paramref name="day"/>, counted from the demo's dated rows.</summary>
    private static Expected Count(System.Data.Common.DbConnection db, int projectId, string day)
    {
        var p = new { projectId, day };
        // The demo's enrolments were all recorded when the demo was seeded: each stands from its course's start.
        const string Stood = "c.project_id = @projectId AND c.status <> 'cancelled' AND e.status = 'enrolled' AND c.start_date <= @day";
        const string DeliveredBy = "c.status IN ('delivered', 'evaluated') AND c.end_date <= @day";
        var perCourse = db.Query<(long Id, long Enrolled, long Trained, long Responses)>(
            $"""
            SELECT c.id,
                   (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'enrolled' AND c.start_date <= @day),
                   (SELECT COUNT(*) FROM enrolment_completion ec WHERE ec.course_id = c.id AND ec.completed = 1 AND {DeliveredBy}),
                   (SELECT COUNT(*) FROM evaluation_responses r WHERE r.course_id = c.id AND r.purpose = 'reaction' AND substr(r.submitted_at, 1, 10) <= @day)
            FROM courses c WHERE c.project_id = @projectId
            """, p).ToDictionary(r => (int)r.Id, r => (Enrolled: (int)r.Enrolled, Trained: (int)r.Trained, Responses: (int)r.Responses));
        return new Expected
        {
            People = db.ExecuteScalar<int>($"SELECT COUNT(DISTINCT e.participant_id) FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE {Stood}", p),
            Trained = db.ExecuteScalar<int>(
                $"""
                SELECT COUNT(DISTINCT ec.participant_id) FROM enrolment_completion ec JOIN courses c ON c.id = ec.course_id
                WHERE c.project_id = @projectId AND ec.completed = 1 AND {DeliveredBy}
                """, p),
            Responses = perCourse.Values.Sum(c => c.Responses),
            Delivered = db.ExecuteScalar<int>($"SELECT COUNT(*) FROM courses c WHERE c.project_id = @projectId AND {DeliveredBy}", p),
            ReportsAccepted = db.ExecuteScalar<int>(
                "SELECT COUNT(*) FROM evaluation_reports er JOIN courses c ON c.id = er.course_id WHERE c.project_id = @projectId AND substr(er.accepted_at, 1, 10) <= @day", p),
            ReportsSubmitted = db.ExecuteScalar<int>(
                """
                SELECT COUNT(*) FROM evaluation_reports er JOIN courses c ON c.id = er.course_id
                WHERE c.project_id = @projectId AND substr(er.submitted_at, 1, 10) <= @day AND NOT COALESCE(substr(er.accepted_at, 1, 10) <= @day, 1 = 0)
                  AND er.state <> 'draft'
                """, p),
            ReportsDraft = db.ExecuteScalar<int>(
                """
                SELECT COUNT(*) FROM evaluation_reports er JOIN courses c ON c.id = er.course_id
                WHERE c.project_id = @projectId AND c.end_date <= @day
                  AND NOT COALESCE(substr(er.submitted_at, 1, 10) <= @day AND er.state <> 'draft', 1 = 0)
                """, p),
            // The demo's recommendations were made at the meeting they belong to.
            Recommendations = db.ExecuteScalar<int>(
                "SELECT COUNT(*) FROM recommendations r JOIN meetings m ON m.id = r.meeting_id WHERE m.project_id = @projectId AND m.end_date <= @day", p),
            MeetingsHeld = db.ExecuteScalar<int>("SELECT COUNT(*) FROM meetings WHERE project_id = @projectId AND end_date <= @day", p),
            Courses = perCourse,
        };
    }

    private static IXLRow Headline(IXLWorksheet sheet, string measure) => sheet.RowsUsed().First(r => r.Cell(1).GetString() == measure);

    private static async Task<byte[]> BytesAsync(HttpClient reader, string url)
    {
        var response = await reader.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private sealed record Expected
    {
        public int People { get; init; }

        public int Trained { get; init; }

        public int Responses { get; init; }

        public int Delivered { get; init; }

        public int ReportsAccepted { get; init; }

        public int ReportsSubmitted { get; init; }

        public int ReportsDraft { get; init; }

        public int Recommendations { get; init; }

        public int MeetingsHeld { get; init; }

        public required Dictionary<int, (int Enrolled, int Trained, int Responses)> Courses { get; init; }
    }
}
