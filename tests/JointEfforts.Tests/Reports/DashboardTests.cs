using System.Net;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Reports;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JointEfforts.Tests.Reports;

public sealed class DashboardTests : IDisposable
{
    private readonly JointEffortsApp _app = new();
    private readonly WebApplicationFactory<Program> _server;

    public DashboardTests() => _server = _app.OnToday();

    [Fact]
    public async Task TheDashboardShowsPhasesTrainingEvaluationAndRecommendationsOfTheProgrammeOnly()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var steering = await _app.ClientAsync(_server, Role.SteeringGroup);

        var dashboard = await (await steering.GetAsync($"/api/projects/{programme.ProjectId}/dashboard")).Expect(HttpStatusCode.OK);

        Assert.Equal(programme.ProjectId, dashboard.GetProperty("projectId").GetInt32());
        Assert.Equal("2013-06-01", dashboard.GetProperty("asOf").GetString());

        var phases = dashboard.GetProperty("phases").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4, 5], phases.Select(p => p.GetProperty("number").GetInt32()));
        Assert.Equal(
            ["planning", "preparation", "development", "testingAndImplementation", "evaluationAndConclusions"],
            phases.Select(p => p.GetProperty("kind").GetString()));
        Assert.Equal("notStarted", phases[0].GetProperty("status").GetString());
        AssertPhase(phases[0], total: 2, completed: 2, overdue: 0, progress: 1.0);
        AssertPhase(phases[1], total: 4, completed: 1, overdue: 1, progress: 0.25); // the one due today is not overdue yet
        AssertPhase(phases[2], total: 0, completed: 0, overdue: 0, progress: 0.0);

        var training = dashboard.GetProperty("training");
        AssertCounts(training.GetProperty("coursesByStatus"),
            new() { ["draft"] = 0, ["open"] = 1, ["closed"] = 0, ["delivered"] = 1, ["evaluated"] = 1, ["cancelled"] = 1 });
        AssertCounts(training.GetProperty("coursesByCountry"), new() { ["AL"] = 1, ["AT"] = 1, ["NL"] = 2 });
        Assert.Equal(6, training.GetProperty("participantsEnrolled").GetInt32());
        Assert.Equal(3, training.GetProperty("participantsTrained").GetInt32());
        Assert.Equal(160, training.GetProperty("targetParticipantsTrained").GetInt32());
        AssertCounts(training.GetProperty("sectorMix"), new()
        {
            ["lawEnforcement"] = 1, ["borderGuard"] = 0, ["judiciary"] = 1, ["health"] = 2, ["ngo"] = 1,
            ["labourInspection"] = 0, ["socialServices"] = 0, ["prison"] = 1, ["other"] = 0,
        });

        var evaluation = dashboard.GetProperty("evaluation");
        Assert.Equal(4, evaluation.GetProperty("responses").GetInt32());
        // Vienna's evaluation is still open (its report submitted, not accepted) and Amsterdam's closed with one answer: no mean.
        Assert.Equal(JsonValueKind.Null, evaluation.GetProperty("meanOverall").ValueKind);
        AssertCounts(evaluation.GetProperty("reportsByState"), new() { ["draft"] = 0, ["submitted"] = 1, ["accepted"] = 1 });
        // Two pairs are two people's tests: the steering group sees the count, not the means (fewer than 3).
        var gain = evaluation.GetProperty("knowledgeGain");
        Assert.Equal(2, gain.GetProperty("pairs").GetInt32());
        Assert.Equal(JsonValueKind.Null, gain.GetProperty("meanPre").ValueKind);
        Assert.Equal(JsonValueKind.Null, gain.GetProperty("meanGain").ValueKind);

        AssertCounts(dashboard.GetProperty("recommendations").GetProperty("byStatus"),
            new() { ["open"] = 2, ["inProgress"] = 0, ["implemented"] = 1, ["dropped"] = 0 });

        var byCountry = training.GetProperty("byCountry").EnumerateArray().ToList();
        Assert.Equal(["AL", "AT", "NL"], byCountry.Select(c => c.GetProperty("countryCode").GetString()));
        AssertCountry(byCountry[0], courses: 1, enrolled: 1, trained: 0, responses: 0, meanOverall: null);
        AssertCountry(byCountry[1], courses: 1, enrolled: 4, trained: 2, responses: 3, meanOverall: null); // Vienna not released yet
        AssertCountry(byCountry[2], courses: 2, enrolled: 2, trained: 2, responses: 1, meanOverall: null); // one response: its mean is that person's answer
        AssertCounts(training.GetProperty("seniorityMix"), new() { ["senior"] = 1, ["field"] = 5 });

        // Admin sees every figure (API.md: small groups are withheld from everyone but admin).
        using var admin = await _app.ClientAsync(_server, Role.Admin);
        var full = await (await admin.GetAsync($"/api/projects/{programme.ProjectId}/dashboard")).Expect(HttpStatusCode.OK);
        var fullGain = full.GetProperty("evaluation").GetProperty("knowledgeGain");
        Assert.Equal(0.45, fullGain.GetProperty("meanPre").GetDouble(), 9);
        Assert.Equal(0.85, fullGain.GetProperty("meanPost").GetDouble(), 9);
        Assert.Equal(0.40, fullGain.GetProperty("meanGain").GetDouble(), 9);
        AssertCountry(full.GetProperty("training").GetProperty("byCountry")[2], courses: 2, enrolled: 2, trained: 2, responses: 1, meanOverall: 2.0);

        // Once Vienna's report is accepted, its results are released: 13/3 there, (13 + 2) / 4 for the programme.
        using (var db = _app.OpenDatabase())
        {
            ReportGiven.Release(db, programme.CourseAt);
        }

        var released = await (await steering.GetAsync($"/api/projects/{programme.ProjectId}/dashboard")).Expect(HttpStatusCode.OK);
        Assert.Equal(3.75, released.GetProperty("evaluation").GetProperty("meanOverall").GetDouble(), 9);
        AssertCountry(released.GetProperty("training").GetProperty("byCountry")[1], courses: 1, enrolled: 4, trained: 2, responses: 3, meanOverall: 4.3333);

        var meetings = dashboard.GetProperty("meetings");
        Assert.Equal(1, meetings.GetProperty("held").GetInt32());
        Assert.Empty(meetings.GetProperty("upcoming").EnumerateArray());
    }

    [Fact]
    public async Task AsOfJudgesOverdueCompletedAndUpcomingOnThatDay()
    {
        var programme = await ReportGiven.StandardProgrammeAsync(_app);
        using var steering = await _app.ClientAsync(_server, Role.SteeringGroup);
        using (var db = _app.OpenDatabase())
        {
            ReportGiven.Meeting(db, programme.ProjectId, "Final conference"); // on 2012-04-22, like the steering group meeting
            Dapper.SqlMapper.Execute(db, "UPDATE meetings SET start_date = '2013-09-10', end_date = '2013-09-11' WHERE title = 'Final conference'");
        }

        // 2012-06-10: the first expert meeting milestone (due 2012-06-01, completed 2012-06-15) is overdue then, not yet completed.
        var early = await (await steering.GetAsync($"/api/projects/{programme.ProjectId}/dashboard?asOf=2012-06-10")).Expect(HttpStatusCode.OK);

        Assert.Equal("2012-06-10", early.GetProperty("asOf").GetString());
        AssertPhase(early.GetProperty("phases")[1], total: 4, completed: 0, overdue: 1, progress: 0.0);
        Assert.Equal(1, early.GetProperty("meetings").GetProperty("held").GetInt32());
        var upcoming = early.GetProperty("meetings").GetProperty("upcoming").EnumerateArray().ToList();
        Assert.Equal(["Final conference"], upcoming.Select(m => m.GetProperty("title").GetString()));
        Assert.Equal("2013-09-10", upcoming[0].GetProperty("startDate").GetString());
        Assert.True(upcoming[0].GetProperty("id").GetInt32() > 0);

        // 2014-01-01: the curriculum draft (due 2013-12-01) and the briefing are overdue too; the conference has been held.
        var late = await (await steering.GetAsync($"/api/projects/{programme.ProjectId}/dashboard?asOf=2014-01-01")).Expect(HttpStatusCode.OK);

        AssertPhase(late.GetProperty("phases")[1], total: 4, completed: 1, overdue: 3, progress: 0.25);
        Assert.Equal(2, late.GetProperty("meetings").GetProperty("held").GetInt32());
        Assert.Empty(late.GetProperty("meetings").GetProperty("upcoming").EnumerateArray());
    }

    [Theory]
    [InlineData("2013-02-30")]
    [InlineData("tomorrow")]
    [InlineData("2013-6-1")]
    [InlineData("01/06/2013")]
    public async Task ABadAsOfIsAProblemNamingIt(string asOf)
    {
        using var coordinator = await _app.ClientAsync(_server, Role.Coordinator);
        var id = await Given.ProjectAsync(coordinator);

        await (await coordinator.GetAsync($"/api/projects/{id}/dashboard?asOf={Uri.EscapeDataString(asOf)}"))
            .ExpectProblem(HttpStatusCode.BadRequest, "asOf");
    }

    [Fact]
    public async Task AnEmptyProgrammeHasZerosAndNoMeans()
    {
        using var coordinator = await _app.ClientAsync(_server, Role.Coordinator);
        var id = await Given.ProjectAsync(coordinator, "EMPTY", target: 25);

        var dashboard = await (await coordinator.GetAsync($"/api/projects/{id}/dashboard")).Expect(HttpStatusCode.OK);

        Assert.Equal(5, dashboard.GetProperty("phases").GetArrayLength());
        Assert.All(dashboard.GetProperty("phases").EnumerateArray(), p => AssertPhase(p, 0, 0, 0, 0.0));
        var training = dashboard.GetProperty("training");
        Assert.Equal(0, training.GetProperty("participantsEnrolled").GetInt32());
        Assert.Equal(0, training.GetProperty("participantsTrained").GetInt32());
        Assert.Equal(25, training.GetProperty("targetParticipantsTrained").GetInt32());
        Assert.Empty(training.GetProperty("coursesByCountry").EnumerateObject());
        Assert.All(training.GetProperty("coursesByStatus").EnumerateObject(), s => Assert.Equal(0, s.Value.GetInt32()));
        var evaluation = dashboard.GetProperty("evaluation");
        Assert.Equal(0, evaluation.GetProperty("responses").GetInt32());
        Assert.Equal(JsonValueKind.Null, evaluation.GetProperty("meanOverall").ValueKind);
        Assert.Equal(0, evaluation.GetProperty("knowledgeGain").GetProperty("pairs").GetInt32());
        Assert.Equal(JsonValueKind.Null, evaluation.GetProperty("knowledgeGain").GetProperty("meanGain").ValueKind);
    }

    [SqliteOnly("counts the statements with SQLite's trace hook (CountingConnection)")]
    public async Task TheDashboardRunsTheSameFixedNumberOfStatementsForOneCourseAsForThirty()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var small = await Given.ProjectAsync(coordinator, "SMALL");
        var large = await Given.ProjectAsync(coordinator, "LARGE");
        using (var db = _app.OpenDatabase())
        {
            var form = ReportGiven.ReactionForm(db);
            Populate(db, small, form, courses: 1);
            Populate(db, large, form, courses: 30);
        }

        var smallRun = await CountAsync(small);
        var largeRun = await CountAsync(large);

        Assert.Equal(1, smallRun.Commands);
        Assert.Equal(1, largeRun.Commands);
        Assert.Equal(DashboardQuery.StatementCount, smallRun.Statements);
        Assert.Equal(DashboardQuery.StatementCount, largeRun.Statements);
        // The figures are real, so the count is of a dashboard that did its work.
        Assert.Equal(3, smallRun.Dashboard.Training.ParticipantsTrained);
        Assert.Equal(90, largeRun.Dashboard.Training.ParticipantsTrained);
        Assert.Equal(30 * 3, largeRun.Dashboard.Evaluation.Responses);
        Assert.Equal(4.0, largeRun.Dashboard.Evaluation.MeanOverall);
        Assert.Equal([45, 45], largeRun.Dashboard.Training.ByCountry.Select(c => c.Trained));
        Assert.Equal(30, largeRun.Dashboard.Meetings.Held);

        // The steering workbook: the dashboard's command and one of its own, whatever the size.
        var smallWorkbook = await CountWorkbookAsync(small);
        var largeWorkbook = await CountWorkbookAsync(large);
        Assert.Equal(2, smallWorkbook.Commands);
        Assert.Equal(2, largeWorkbook.Commands);
        Assert.Equal(smallWorkbook.Statements, largeWorkbook.Statements);
    }

    private async Task<(int Commands, int Statements)> CountWorkbookAsync(int projectId)
    {
        using var counting = new CountingConnection((Microsoft.Data.Sqlite.SqliteConnection)_app.OpenDatabase());
        var workbook = await SteeringWorkbook.CreateAsync(counting, projectId, ReportGiven.Today, everyFigure: true);
        Assert.NotNull(workbook);
        return (counting.Commands, counting.Statements);
    }

    [Theory]
    [InlineData(Role.Admin)]
    [InlineData(Role.Coordinator)]
    [InlineData(Role.SteeringGroup)]
    public async Task ReadersMayReadTheDashboard(Role role)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await Given.ProjectAsync(coordinator);
        using var reader = await _app.ClientAsync(_server, role);

        await (await reader.GetAsync($"/api/projects/{id}/dashboard")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CountryExpertsMayNotReadTheDashboard()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await Given.ProjectAsync(coordinator);
        using var expert = await _app.ClientAsync(_server, Role.CountryExpert, "AT");

        await (await expert.GetAsync($"/api/projects/{id}/dashboard")).ExpectProblem(HttpStatusCode.Forbidden);
        using var anonymous = _server.CreateClient();
        await (await anonymous.GetAsync($"/api/projects/{id}/dashboard")).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnUnknownProgrammeIsNotFound()
    {
        using var steering = await _app.ClientAsync(_server, Role.SteeringGroup);

        var problem = await (await steering.GetAsync("/api/projects/4040/dashboard")).ExpectProblem(HttpStatusCode.NotFound);

        Assert.Contains("4040", problem.GetProperty("detail").GetString());
        await (await steering.GetAsync("/api/projects/abc/dashboard")).ExpectProblem(HttpStatusCode.NotFound);
    }

    /// <summary>Per course: 2 sessions, 4 enrolled of whom 3 attend both (trained), 3 reaction responses rating 4.</summary>
    private static void Populate(System.Data.Common.DbConnection db, int projectId, long form, int courses)
    {
        var phase = ReportGiven.PhaseId(db, projectId, 4);
        for (var c = 0; c < courses; c++)
        {
            ReportGiven.Milestone(db, phase, $"Pilot {c}", "2013-05-01", c % 2 == 0 ? "2013-05-01" : null);
            var course = ReportGiven.Course(db, projectId, c % 2 == 0 ? "AT" : "NL", "de", "delivered", formId: form);
            var sessions = ReportGiven.Sessions(db, course, 2);
            for (var p = 0; p < 4; p++)
            {
                var participant = ReportGiven.Participant(db, $"Person {projectId}-{c}-{p}", "health");
                ReportGiven.Enrol(db, course, participant);
                if (p < 3)
                {
                    ReportGiven.Attend(db, sessions, participant, "present", "late");
                    ReportGiven.Answer(db, ReportGiven.Response(db, course, form), "overall", 4);
                }
            }

            ReportGiven.Report(db, course, "submitted", 4);
            ReportGiven.Recommendation(db, ReportGiven.Meeting(db, projectId), $"Recommendation {c}", "open");
        }
    }

    private async Task<(int Commands, int Statements, DashboardDto Dashboard)> CountAsync(int projectId)
    {
        using var counting = new CountingConnection((Microsoft.Data.Sqlite.SqliteConnection)_app.OpenDatabase());
        var dashboard = await DashboardQuery.ReadAsync(counting, projectId, ReportGiven.Today, everyFigure: true);
        return (counting.Commands, counting.Statements, dashboard!);
    }

    private static void AssertPhase(JsonElement phase, int total, int completed, int overdue, double progress)
    {
        Assert.Equal(total, phase.GetProperty("milestonesTotal").GetInt32());
        Assert.Equal(completed, phase.GetProperty("milestonesCompleted").GetInt32());
        Assert.Equal(overdue, phase.GetProperty("milestonesOverdue").GetInt32());
        Assert.Equal(progress, phase.GetProperty("progress").GetDouble(), 9);
    }

    private static void AssertCountry(JsonElement country, int courses, int enrolled, int trained, int responses, double? meanOverall)
    {
        Assert.Equal(courses, country.GetProperty("courses").GetInt32());
        Assert.Equal(enrolled, country.GetProperty("enrolled").GetInt32());
        Assert.Equal(trained, country.GetProperty("trained").GetInt32());
        Assert.Equal(responses, country.GetProperty("responses").GetInt32());
        if (meanOverall is { } mean)
        {
            Assert.Equal(mean, country.GetProperty("meanOverall").GetDouble());
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, country.GetProperty("meanOverall").ValueKind);
        }
    }

    private static void AssertCounts(JsonElement counts, Dictionary<string, int> expected) =>
        Assert.Equal(expected, counts.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()));

    public void Dispose() => _app.Dispose();
}
