using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using JointEfforts.Tests.Programmes;

namespace JointEfforts.Tests.Meetings;

public sealed class AttendeesTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task ACoordinatorRegistersAttendeesWithTheirOrganisationType()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(coordinator);

        var response = await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees",
            Plan.AttendeeBody("Marta Kovács", "Ministry of Interior", "government", "HU"));
        await (await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees",
            Plan.AttendeeBody("Pieter de Vries", "CoMensha", "ngo", "NL"))).Expect(HttpStatusCode.Created);
        await (await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees",
            Plan.AttendeeBody("Elena Rusu", "IOM Moldova", "internationalOrganisation", "MD"))).Expect(HttpStatusCode.Created);

        var attendee = await response.Expect(HttpStatusCode.Created);
        var id = attendee.GetProperty("id").GetInt32();
        Assert.Equal($"/api/meetings/{meetingId}/attendees/{id}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal("Marta Kovács", attendee.GetProperty("fullName").GetString());
        Assert.Equal("Ministry of Interior", attendee.GetProperty("organisation").GetString());
        Assert.Equal("government", attendee.GetProperty("organisationType").GetString());
        Assert.Equal("HU", attendee.GetProperty("countryCode").GetString());
        Assert.Equal(meetingId, attendee.GetProperty("meetingId").GetInt32());
        var (read, _) = await Plan.ReadAsync(coordinator, $"/api/meetings/{meetingId}/attendees/{id}");
        Assert.Equal("Marta Kovács", read.GetProperty("fullName").GetString());
        var all = await (await coordinator.GetAsync($"/api/meetings/{meetingId}/attendees")).Expect(HttpStatusCode.OK);
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(["Marta Kovács", "Pieter de Vries", "Elena Rusu"], all.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("fullName").GetString()!).ToArray());
        var ngos = await (await coordinator.GetAsync($"/api/meetings/{meetingId}/attendees?organisationType=ngo")).Expect(HttpStatusCode.OK);
        Assert.Equal("CoMensha", Assert.Single(ngos.GetProperty("items").EnumerateArray()).GetProperty("organisation").GetString());
        var moldova = await (await coordinator.GetAsync($"/api/meetings/{meetingId}/attendees?countryCode=MD")).Expect(HttpStatusCode.OK);
        Assert.Equal("Elena Rusu", Assert.Single(moldova.GetProperty("items").EnumerateArray()).GetProperty("fullName").GetString());
        await (await coordinator.GetAsync($"/api/meetings/{meetingId}/attendees?organisationType=police")).ExpectProblem(HttpStatusCode.BadRequest, "organisationType");
        var (meeting, _) = await Plan.ReadAsync(coordinator, $"/api/meetings/{meetingId}");
        Assert.Equal(3, meeting.GetProperty("attendeeCount").GetInt32());
    }

    [Fact]
    public async Task AFullMeetingRefusesTheNextAttendeeWith409()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(coordinator, capacity: 2);
        await (await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody("Anna Verbeke"))).Expect(HttpStatusCode.Created);
        await (await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody("Jan Peeters"))).Expect(HttpStatusCode.Created);

        var problem = await (await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody("Lotte Jacobs")))
            .ExpectProblem(HttpStatusCode.Conflict);

        Assert.Contains("full", problem.GetProperty("detail").GetString());
        using var db = _app.OpenDatabase();
        Assert.Equal(2, db.ExecuteScalar<long>("SELECT COUNT(*) FROM meeting_attendees WHERE meeting_id = @meetingId", new { meetingId }));
    }

    [Fact]
    public async Task ConcurrentAddsNeverExceedTheCapacity()
    {
        // Enough pool threads that the 20 requests really run at once, interleaving their reads and writes.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var start = new SemaphoreSlim(0);

        for (var round = 1; round <= 3; round++)
        {
            var (_, meetingId) = await Plan.ExpertMeetingAsync(coordinator, capacity: 12, code: $"RACE-{round}");
            var requests = Enumerable.Range(1, 20).Select(i => Task.Run(async () =>
            {
                await start.WaitAsync();
                return await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody($"Expert {i}", $"Organisation {i}"));
            })).ToList();
            start.Release(20);
            var responses = await Task.WhenAll(requests);

            Assert.Equal(12, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
            Assert.Equal(8, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
            using var db = _app.OpenDatabase();
            Assert.Equal(12, db.ExecuteScalar<long>("SELECT COUNT(*) FROM meeting_attendees WHERE meeting_id = @meetingId", new { meetingId }));
            var (meeting, _) = await Plan.ReadAsync(coordinator, $"/api/meetings/{meetingId}");
            Assert.Equal(12, meeting.GetProperty("attendeeCount").GetInt32());
        }
    }

    [Fact]
    public async Task TheSamePersonOfTheSameOrganisationAttendsOnce()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(coordinator);
        await (await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody("Anna Verbeke", "Payoke", "ngo"))).Expect(HttpStatusCode.Created);

        await (await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody("anna verbeke", "PAYOKE", "ngo")))
            .ExpectProblem(HttpStatusCode.Conflict);

        using var db = _app.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM meeting_attendees"));
    }

    [Theory]
    [InlineData("""{"organisation":"Payoke","organisationType":"ngo","countryCode":"BE"}""", "fullName")]
    [InlineData("""{"fullName":"Anna Verbeke","organisationType":"ngo","countryCode":"BE"}""", "organisation")]
    [InlineData("""{"fullName":"Anna Verbeke","organisation":"Payoke","organisationType":"police","countryCode":"BE"}""", "organisationType")]
    [InlineData("""{"fullName":"Anna Verbeke","organisation":"Payoke","countryCode":"BE"}""", "organisationType")]
    [InlineData("""{"fullName":"Anna Verbeke","organisation":"Payoke","organisationType":"ngo","countryCode":"XX"}""", "countryCode")]
    [InlineData("""{"fullName":"Anna Verbeke","organisation":"Payoke","organisationType":"ngo"}""", "countryCode")]
    [InlineData("""{"fullName":true,"organisation":"Payoke","organisationType":"ngo","countryCode":"BE"}""", "fullName")]
    public async Task BadAttendeesNameTheFieldAndAreNotAdded(string json, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(coordinator);

        await (await coordinator.PostAsync($"/api/meetings/{meetingId}/attendees", Http.RawJson(json))).ExpectProblem(HttpStatusCode.BadRequest, field);

        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM meeting_attendees"));
    }

    [Fact]
    public async Task RemovingAnAttendeeFreesTheirPlaceAndHonoursIfMatch()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (_, meetingId) = await Plan.ExpertMeetingAsync(coordinator, capacity: 1);
        var (_, otherMeeting) = await Plan.ExpertMeetingAsync(coordinator, code: "OTHER");
        var created = await (await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody())).Expect(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();

        await (await coordinator.DeleteAsync($"/api/meetings/{otherMeeting}/attendees/{id}")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.DeleteAsync($"/api/meetings/{meetingId}/attendees/{id}", "\"2\"")).ExpectProblem(HttpStatusCode.PreconditionFailed);
        await (await coordinator.GetAsync($"/api/meetings/{meetingId}/attendees/{id}")).Expect(HttpStatusCode.OK);

        await (await coordinator.DeleteAsync($"/api/meetings/{meetingId}/attendees/{id}", "\"1\"")).Expect(HttpStatusCode.NoContent);

        await (await coordinator.GetAsync($"/api/meetings/{meetingId}/attendees/{id}")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.DeleteAsync($"/api/meetings/{meetingId}/attendees/{id}")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PostAsJsonAsync($"/api/meetings/{meetingId}/attendees", Plan.AttendeeBody("Jan Peeters"))).Expect(HttpStatusCode.Created);
    }

    public void Dispose() => _app.Dispose();
}
