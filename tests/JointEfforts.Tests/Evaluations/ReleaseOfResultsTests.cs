using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using JointEfforts.Tests.Reports;

namespace JointEfforts.Tests.Evaluations;

/// <summary>
/// Issue 23, attacks 1 and 2, performed as an insider would: a coordinator who noted which slip went to whom polls the
/// summary and probes the slips (differencing), or enters paper forms with known answers to lift one real answer over
/// the threshold (n−1). Both must learn nothing; once the evaluation closes, every answer is there for everyone.
/// </summary>
public sealed class ReleaseOfResultsTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task PollingTheSummaryWhileProbingSlipsLinksNoParticipantToAnAnswerAndTheClosedEvaluationShowsEveryAnswer()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var form = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, form, participants: 10);
        var slips = await EvaluationGiven.CodesAsync(coordinator, course.Id); // handed out in this order, noted by the attacker
        using var anonymous = _app.CreateAnonymousClient();
        var url = $"/api/courses/{course.Id}/evaluation-summary";

        var linked = 0;
        var before = await (await coordinator.GetAsync(url)).Expect(HttpStatusCode.OK);
        var used = new HashSet<string>();
        for (var i = 0; i < slips.Count; i++)
        {
            var relevance = i % 5 + 1;
            await (await EvaluationGiven.SubmitAsync(anonymous, slips[i],
                new { relevance, apply = i % 2 == 0 ? "yes" : "no", comments = $"Comment of participant {i}" })).Expect(HttpStatusCode.Created);

            // The probe: which slip has been used since the last poll (a used code answers differently). The attacker probes
            // every unused slip; the test probes the one handed out and the next, which tells the attacker just as much.
            var newlyUsed = new List<string>();
            foreach (var slip in slips.Skip(i).Take(2).Where(s => !used.Contains(s)))
            {
                var probe = await anonymous.GetAsync($"/api/evaluations/form?code={slip}&purpose=reaction");
                if (probe.StatusCode != HttpStatusCode.OK)
                {
                    newlyUsed.Add(slip);
                }
            }

            used.UnionWith(newlyUsed);
            var after = await (await coordinator.GetAsync(url)).Expect(HttpStatusCode.OK);
            Assert.Equal(i + 1, after.GetProperty("responses").GetProperty("reaction").GetInt32()); // how many answered: no more than the probe tells
            Assert.False(after.GetProperty("released").GetBoolean());
            if (Difference(before, after) is { } answer && answer.Contains($"relevance={relevance}", StringComparison.Ordinal))
            {
                linked++;
            }

            before = after;
        }

        Assert.Equal(0, linked);
        var open = await (await steering.GetAsync(url)).Expect(HttpStatusCode.OK);
        Assert.All(open.GetProperty("forms")[0].GetProperty("questions").EnumerateArray(), q =>
        {
            Assert.Equal(JsonValueKind.Null, q.GetProperty("mean").ValueKind);
            Assert.Equal(JsonValueKind.Null, q.GetProperty("distribution").ValueKind);
            Assert.Equal(JsonValueKind.Null, q.GetProperty("texts").ValueKind);
        });

        using (var db = _app.OpenDatabase())
        {
            ReportGiven.Release(db, course.Id);
        }

        // Closed: every answer, for the coordinator and the steering group alike, and nothing left to change it.
        foreach (var reader in new[] { coordinator, steering })
        {
            var closed = await (await reader.GetAsync(url)).Expect(HttpStatusCode.OK);
            Assert.True(closed.GetProperty("released").GetBoolean());
            var questions = closed.GetProperty("forms")[0];
            var relevance = EvaluationGiven.Question(questions, "relevance");
            Assert.Equal(10, relevance.GetProperty("count").GetInt32());
            Assert.Equal(3.0, relevance.GetProperty("mean").GetDouble());
            Assert.Equal([2, 2, 2, 2, 2], relevance.GetProperty("distribution").EnumerateObject().Select(p => p.Value.GetInt32()));
            Assert.Equal(
                Enumerable.Range(0, 10).Select(i => $"Comment of participant {i}").Order(),
                EvaluationGiven.Question(questions, "comments").GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).Order());
        }

        var workbook = await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-report.xlsx");
        using var book = XlsxParts.Open(await workbook.Content.ReadAsByteArrayAsync());
        var comments = book.Worksheet("Comments").DataRows().Select(r => r.LastCellUsed().GetString()).ToList();
        Assert.Equal(10, comments.Count(c => c.StartsWith("Comment of participant", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PaperFormsWithKnownAnswersDoNotLiftOneRealAnswerOverTheThresholdForTheOneWhoEnteredThem()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var form = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, form, participants: 3);
        foreach (var known in new[] { "Known answer A", "Known answer B" })
        {
            await (await coordinator.PostAsJsonAsync($"/api/courses/{course.Id}/evaluations",
                new { purpose = "reaction", language = "en", answers = new { relevance = 1, comments = known } })).Expect(HttpStatusCode.Created);
        }

        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        using var anonymous = _app.CreateAnonymousClient();
        await (await EvaluationGiven.SubmitAsync(anonymous, codes[0], new { relevance = 5, comments = "The real person's comment" })).Expect(HttpStatusCode.Created);
        using (var db = _app.OpenDatabase())
        {
            ReportGiven.Release(db, course.Id);
        }

        var url = $"/api/courses/{course.Id}/evaluation-summary";
        var attacker = (await (await coordinator.GetAsync(url)).Expect(HttpStatusCode.OK)).GetProperty("forms")[0];
        var relevance = EvaluationGiven.Question(attacker, "relevance");
        Assert.Equal(3, relevance.GetProperty("count").GetInt32());
        Assert.True(relevance.GetProperty("suppressed").GetBoolean()); // 3 answers, 2 of them the coordinator's own: 1 other
        Assert.Equal(JsonValueKind.Null, relevance.GetProperty("mean").ValueKind);
        Assert.Equal(JsonValueKind.Null, relevance.GetProperty("distribution").ValueKind);
        Assert.Equal(JsonValueKind.Null, EvaluationGiven.Question(attacker, "comments").GetProperty("texts").ValueKind);

        var workbook = await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-report.xlsx");
        Assert.Equal(HttpStatusCode.OK, workbook.StatusCode);
        using (var book = XlsxParts.Open(await workbook.Content.ReadAsByteArrayAsync()))
        {
            Assert.DoesNotContain(book.AllText(), t => t.Contains("The real person's comment", StringComparison.Ordinal));
            Assert.DoesNotContain(book.AllText(), t => t.Contains("Known answer", StringComparison.Ordinal));
        }

        // Someone who entered none of them sees a group of three (what the threshold was always about).
        var other = (await (await steering.GetAsync(url)).Expect(HttpStatusCode.OK)).GetProperty("forms")[0];
        Assert.Equal(7.0 / 3, EvaluationGiven.Question(other, "relevance").GetProperty("mean").GetDouble(), 4);
    }

    [Fact]
    public async Task AsOfADayBeforeTheReportWasAcceptedNoReaderShowsTheResultsAndFromThatDayEveryReaderDoes()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using (var db = _app.OpenDatabase())
        {
            ReportGiven.Release(db, programme.CourseAt, acceptedAt: "2013-05-10T09:30:00.000Z");
        }

        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        async Task<(double? Dashboard, double? Workbook)> MeanOverallAsOf(string day)
        {
            var dashboard = await (await steering.GetAsync($"/api/projects/{programme.ProjectId}/dashboard?asOf={day}")).Expect(HttpStatusCode.OK);
            var austria = dashboard.GetProperty("training").GetProperty("byCountry").EnumerateArray().Single(c => c.GetProperty("countryCode").GetString() == "AT");
            var response = await steering.GetAsync($"/api/courses/{programme.CourseAt}/evaluation-report.xlsx?asOf={day}");
            using var book = XlsxParts.Open(await response.Content.ReadAsByteArrayAsync());
            var cell = book.Worksheet("Summary").RowsUsed().First(r => r.Cell(1).GetString() == "Mean overall rating (1\u20115)").Cell(2);
            return (austria.GetProperty("meanOverall").ValueKind == JsonValueKind.Number ? austria.GetProperty("meanOverall").GetDouble() : null,
                cell.DataType == ClosedXML.Excel.XLDataType.Number ? cell.GetDouble() : null);
        }

        Assert.Equal((null, null), await MeanOverallAsOf("2013-05-09"));
        var released = await MeanOverallAsOf("2013-05-10");
        Assert.Equal(4.3333, released.Dashboard);
        Assert.Equal(13.0 / 3, released.Workbook!.Value, 9);
    }

    /// <summary>The attacker's subtraction: the buckets, means and texts that changed between two summaries, or null when none did.</summary>
    private static string? Difference(JsonElement before, JsonElement after)
    {
        var changes = new List<string>();
        var old = before.GetProperty("forms")[0].GetProperty("questions").EnumerateArray().ToDictionary(q => q.GetProperty("key").GetString()!);
        foreach (var q in after.GetProperty("forms")[0].GetProperty("questions").EnumerateArray())
        {
            var key = q.GetProperty("key").GetString()!;
            if (q.GetProperty("distribution") is { ValueKind: JsonValueKind.Object } now)
            {
                var was = old[key].GetProperty("distribution");
                foreach (var bucket in now.EnumerateObject())
                {
                    var previous = was.ValueKind == JsonValueKind.Object ? was.GetProperty(bucket.Name).GetInt32() : 0;
                    if (bucket.Value.GetInt32() > previous)
                    {
                        changes.Add($"{key}={bucket.Name}");
                    }
                }
            }

            if (q.GetProperty("texts") is { ValueKind: JsonValueKind.Array } texts)
            {
                changes.AddRange(texts.EnumerateArray().Select(t => t.GetString()!)
                    .Except(old[key].GetProperty("texts") is { ValueKind: JsonValueKind.Array } was ? was.EnumerateArray().Select(t => t.GetString()!) : []));
            }
        }

        return changes.Count == 0 ? null : string.Join(";", changes);
    }

    public void Dispose() => _app.Dispose();
}
