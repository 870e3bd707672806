using System.Net;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;
using JointEfforts.Api.Demo;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Reports;

/// <summary>
/// Issue 22, "one source per figure": every course's enrolled, trained, responses, response rate, mean overall and knowledge
/// gain read through every reader (the evaluation summary, the expert report's figures, the course workbook, the steering
/// workbook and the dashboard) are the same numbers, for a reader who sees everything (admin) and for one who sees released
/// results only (the steering group), on the demo and on the generated standard programme.
/// </summary>
public sealed class OneSourceTests
{
    private const string SteeringToken = "je_demo_steering_2c7a9e4b6d1f8350a3b9e7c1d5f2a8e4";

    [Fact]
    public async Task EveryReaderShowsTheSameFiguresForEveryCourseOfTheDemo()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        int projectId;
        using (var db = app.OpenDatabase())
        {
            projectId = db.ExecuteScalar<int>("SELECT id FROM projects WHERE code = @code", new { code = DemoSeed.ProjectCode });
        }

        using var admin = app.CreateAdminClient();
        using var steering = app.ClientWithToken(SteeringToken);
        var compared = await AssertEveryReaderAgreesAsync(app, projectId, admin);
        Assert.True(compared >= 4, $"the demo's delivered courses have figures to compare ({compared} compared)");
        await AssertEveryReaderAgreesAsync(app, projectId, steering);
    }

    [Fact]
    public async Task EveryReaderShowsTheSameFiguresForEveryCourseOfGeneratedData()
    {
        using var app = new JointEffortsApp();
        var programme = await ReportGiven.StandardProgrammeAsync(app);
        using (var db = app.OpenDatabase())
        {
            ReportGiven.Release(db, programme.CourseAt);
        }

        using var admin = app.CreateAdminClient();
        using var steering = await app.CreateClientAsync(Role.SteeringGroup);
        Assert.True(await AssertEveryReaderAgreesAsync(app, programme.ProjectId, admin) >= 2);
        Assert.True(await AssertEveryReaderAgreesAsync(app, programme.ProjectId, steering) >= 2);
    }

    /// <summary>Reads each course of the programme through every reader as <paramref name="reader"/>; returns how many courses had responses.</summary>
    private static async Task<int> AssertEveryReaderAgreesAsync(JointEffortsApp app, int projectId, HttpClient reader)
    {
        List<(int Id, string CountryCode)> courses;
        using (var db = app.OpenDatabase())
        {
            courses = db.Query<(long, string)>("SELECT id, country_code FROM courses WHERE project_id = @projectId ORDER BY start_date, id", new { projectId })
                .Select(c => ((int)c.Item1, c.Item2)).ToList();
        }

        using var steeringBook = XlsxParts.Open(await BytesAsync(reader, $"/api/projects/{projectId}/steering-report.xlsx"));
        var evaluationRows = steeringBook.Worksheet("Evaluation").RowsUsed().Skip(1).Take(courses.Count).ToList();
        var dashboard = await (await reader.GetAsync($"/api/projects/{projectId}/dashboard")).Expect(HttpStatusCode.OK);
        var responsesByCountry = new Dictionary<string, int>();
        var compared = 0;
        for (var i = 0; i < courses.Count; i++)
        {
            var (id, country) = courses[i];
            var summary = await (await reader.GetAsync($"/api/courses/{id}/evaluation-summary")).Expect(HttpStatusCode.OK);
            var report = (await (await reader.GetAsync($"/api/courses/{id}/evaluation-report")).Expect(HttpStatusCode.OK)).GetProperty("figures");
            using var courseBook = XlsxParts.Open(await BytesAsync(reader, $"/api/courses/{id}/evaluation-report.xlsx"));
            var sheet = courseBook.Worksheet("Summary");
            var row = evaluationRows[i];
            var because = $"course {id}";

            var enrolled = summary.GetProperty("enrolled").GetInt32();
            Assert.Equal(enrolled, report.GetProperty("enrolled").GetInt32());
            Assert.Equal(enrolled, (int)Summary(sheet, "Participants trained").Cell(3).Number());
            Assert.Equal(enrolled, (int)row.Cell(3).Number());
            Assert.Equal(report.GetProperty("trained").GetInt32(), (int)Summary(sheet, "Participants trained").Cell(2).Number());

            var responses = summary.GetProperty("responses").GetProperty("reaction").GetInt32();
            Assert.Equal(responses, report.GetProperty("responses").GetInt32());
            Assert.Equal(responses, (int)Summary(sheet, "Evaluation responses").Cell(2).Number());
            Assert.Equal(responses, (int)row.Cell(4).Number());
            AssertSame(Number(summary.GetProperty("responseRate")), Number(report.GetProperty("responseRate")), because + " response rate");
            responsesByCountry[country] = responsesByCountry.GetValueOrDefault(country) + responses;

            var overall = summary.GetProperty("forms").EnumerateArray().Where(f => f.GetProperty("purpose").GetString() == "reaction")
                .SelectMany(f => f.GetProperty("questions").EnumerateArray()).FirstOrDefault(q => q.GetProperty("key").GetString() == "overall");
            var meanOverall = overall.ValueKind == JsonValueKind.Object ? Number(overall.GetProperty("mean")) : null;
            AssertSame(meanOverall, Cell(Summary(sheet, "Mean overall rating (1\u20115)").Cell(2)), because + " mean overall, course workbook");
            AssertSame(meanOverall, Cell(row.Cell(7)), because + " mean overall, steering workbook");
            // The report's figures travel: withheld from every reader, admin too, until released and 3 strong.
            var released = summary.GetProperty("released").GetBoolean();
            if (!released)
            {
                Assert.Equal(JsonValueKind.Null, report.GetProperty("meanOverall").ValueKind);
            }
            else if (responses >= 3)
            {
                AssertSame(meanOverall, Number(report.GetProperty("meanOverall")), because + " mean overall, report");
            }

            var gain = summary.GetProperty("knowledgeGain");
            if (gain.ValueKind == JsonValueKind.Object)
            {
                var pairs = gain.GetProperty("pairs").GetInt32();
                var points = Number(gain.GetProperty("meanGain")) is { } g ? Math.Round(g * 100, 1) : (double?)null;
                Assert.Equal(pairs, report.GetProperty("knowledgeGain").GetProperty("pairs").GetInt32());
                Assert.Equal(pairs, (int)Summary(sheet, "Knowledge gain (paired tests)").Cell(3).Number());
                Assert.Equal(pairs, (int)row.Cell(10).Number());
                AssertSame(points, Cell(Summary(sheet, "Knowledge gain (paired tests)").Cell(2)), because + " knowledge gain, course workbook", 0.051);
                AssertSame(points, Cell(row.Cell(13)), because + " knowledge gain, steering workbook", 0.051);
                if (released && pairs >= 3)
                {
                    AssertSame(Number(gain.GetProperty("meanGain")), Number(report.GetProperty("knowledgeGain").GetProperty("meanGain")), because + " gain, report");
                }
            }

            compared += responses > 0 ? 1 : 0;
        }

        foreach (var c in dashboard.GetProperty("training").GetProperty("byCountry").EnumerateArray())
        {
            Assert.Equal(responsesByCountry.GetValueOrDefault(c.GetProperty("countryCode").GetString()!), c.GetProperty("responses").GetInt32());
        }

        Assert.Equal(responsesByCountry.Values.Sum(), dashboard.GetProperty("evaluation").GetProperty("responses").GetInt32());
        return compared;
    }

    private static async Task<byte[]> BytesAsync(HttpClient reader, string url)
    {
        var response = await reader.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static IXLRow Summary(IXLWorksheet sheet, string measure) => sheet.RowsUsed().First(r => r.Cell(1).GetString() == measure);

    private static double? Number(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static double? Cell(IXLCell cell) => cell.DataType == XLDataType.Number ? cell.GetDouble() : null;

    /// <summary>Both withheld, or both the same to the 4 decimals the JSON carries (1 for points).</summary>
    private static void AssertSame(double? expected, double? actual, string what, double tolerance = 0.00051)
    {
        Assert.True(expected.HasValue == actual.HasValue, $"{what}: {expected?.ToString() ?? "null"} against {actual?.ToString() ?? "null"}");
        if (expected is { } e && actual is { } a)
        {
            Assert.True(Math.Abs(e - a) < tolerance, $"{what}: {e} against {a}");
        }
    }
}
