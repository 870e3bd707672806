using System.Net;
using JointEfforts.Api.Demo;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Programmes;

/// <summary>The demo data holds the real Joint Efforts programme of the seeds: its meetings, milestones and recommendations.</summary>
public sealed class ProgrammeDemoTests : IDisposable
{
    private readonly JointEffortsApp _app = new(settings: new Dictionary<string, string?> { [Startup.SeedDemoSetting] = "true" });

    [Fact]
    public async Task TheDemoHoldsTheProgrammesConferencesAndTheAntwerpExpertMeeting()
    {
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var projectId = await JointEffortsIdAsync(steering);

        var meetings = (await (await steering.GetAsync($"/api/projects/{projectId}/meetings")).Expect(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToList();

        var budapest = meetings.Single(m => m.GetProperty("title").GetString() == ProgrammeDemo.BudapestConference);
        Assert.Equal("kickOff", budapest.GetProperty("kind").GetString());
        var points = budapest.GetProperty("conclusions").GetString()!.Split('\n').Count(line => line.Length > 2 && char.IsAsciiDigit(line[0]) && line[1] == '.');
        Assert.Equal(9, points);
        Assert.Equal("2012-02-27", budapest.GetProperty("startDate").GetString());
        Assert.Equal("HU", budapest.GetProperty("countryCode").GetString());
        Assert.Contains("human rights", budapest.GetProperty("conclusions").GetString());

        var antwerp = meetings.Single(m => m.GetProperty("title").GetString() == ProgrammeDemo.AntwerpMeeting);
        Assert.Equal("expertGroup", antwerp.GetProperty("kind").GetString());
        Assert.Equal("Victims Identification", antwerp.GetProperty("topic").GetString());
        Assert.Equal("2012-04-22", antwerp.GetProperty("startDate").GetString());
        Assert.Equal("BE", antwerp.GetProperty("countryCode").GetString());
        Assert.Equal(12, antwerp.GetProperty("attendeeCount").GetInt32());
        Assert.Equal(7, antwerp.GetProperty("recommendationCount").GetInt32());
        Assert.Contains("coffee and cookies", antwerp.GetProperty("conclusions").GetString());

        var brussels = meetings.Single(m => m.GetProperty("title").GetString() == ProgrammeDemo.ConclusionConference);
        Assert.Equal("2014-03-06", brussels.GetProperty("startDate").GetString());
        Assert.Equal("Brussels", brussels.GetProperty("city").GetString());
        Assert.Equal(100, brussels.GetProperty("capacity").GetInt32());

        var experts = meetings.Where(m => m.GetProperty("kind").GetString() == "expertGroup").ToList();
        Assert.Equal(3, experts.Count);
        Assert.All(experts, m => Assert.Equal(2, m.GetProperty("days").GetInt32()));
        Assert.True(meetings.Count(m => m.GetProperty("kind").GetString() == "steeringGroup") >= 2);
    }

    [Fact]
    public async Task TheAntwerpExpertsComeFromGovernmentsNgosAndInternationalOrganisations()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await JointEffortsIdAsync(coordinator);
        var antwerp = (await (await coordinator.GetAsync($"/api/projects/{projectId}/meetings?kind=expertGroup&countryCode=BE")).Expect(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Single().GetProperty("id").GetInt32();

        var attendees = (await (await coordinator.GetAsync($"/api/meetings/{antwerp}/attendees")).Expect(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        var recommendations = (await (await coordinator.GetAsync($"/api/meetings/{antwerp}/recommendations")).Expect(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(12, attendees.Count);
        var types = attendees.Select(a => a.GetProperty("organisationType").GetString()).ToHashSet();
        Assert.Contains("government", types);
        Assert.Contains("ngo", types);
        Assert.Contains("internationalOrganisation", types);
        Assert.Contains(recommendations, r => r.GetProperty("text").GetString()!.Contains("common training manual"));
        Assert.All(recommendations, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("owner").GetString())));
        Assert.Equal(["implemented", "inProgress", "open"], recommendations.Select(r => r.GetProperty("status").GetString()!).Distinct().Order().ToArray());
    }

    [Fact]
    public async Task MilestoneCompletionMatchesThePhaseStatuses()
    {
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        var projectId = await JointEffortsIdAsync(steering);

        var phases = (await (await steering.GetAsync($"/api/projects/{projectId}/phases")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();

        Assert.Equal(["completed", "completed", "completed", "inProgress", "notStarted"], phases.Select(p => p.GetProperty("status").GetString()!).ToArray());
        Assert.Equal([1.0, 1.0, 1.0], phases.Take(3).Select(p => p.GetProperty("progress").GetDouble()).ToArray());
        Assert.InRange(phases[3].GetProperty("progress").GetDouble(), 0.1, 0.9);
        Assert.Equal(0.0, phases[4].GetProperty("progress").GetDouble());
        var evaluation = phases[4].GetProperty("id").GetInt32();
        var deliverables = await (await steering.GetAsync($"/api/phases/{evaluation}/milestones?kind=deliverable")).Expect(HttpStatusCode.OK);
        var titles = deliverables.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("title").GetString()!).ToList();
        foreach (var deliverable in new[] { "Training curriculum", "pocket cards", "Manual", "Handbook", "hotlines" })
        {
            Assert.Contains(titles, t => t.Contains(deliverable, StringComparison.Ordinal));
        }

        var open = await (await steering.GetAsync($"/api/projects/{projectId}/recommendations?status=open")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, open.GetProperty("total").GetInt32());
    }

    private static async Task<int> JointEffortsIdAsync(HttpClient client)
    {
        var projects = await (await client.GetAsync("/api/projects?pageSize=200")).Expect(HttpStatusCode.OK);
        return projects.GetProperty("items").EnumerateArray()
            .Single(p => p.GetProperty("code").GetString() == DemoSeed.ProjectCode).GetProperty("id").GetInt32();
    }

    public void Dispose() => _app.Dispose();
}
