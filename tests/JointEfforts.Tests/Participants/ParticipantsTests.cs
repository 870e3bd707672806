using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Participants;

public sealed class ParticipantsTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task AParticipantIsRegisteredWithSectorSeniorityAndCountry()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var response = await coordinator.PostAsJsonAsync("/api/participants",
            CourseGiven.ParticipantBody("Besnik Hoxha", "AL", "b.hoxha@example.org", "borderGuard", "senior"));

        var participant = await response.Expect(HttpStatusCode.Created);
        var id = participant.GetProperty("id").GetInt32();
        Assert.Equal($"/api/participants/{id}", response.Headers.Location?.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("Besnik Hoxha", participant.GetProperty("fullName").GetString());
        Assert.Equal("b.hoxha@example.org", participant.GetProperty("email").GetString());
        Assert.Equal("borderGuard", participant.GetProperty("sector").GetString());
        Assert.Equal("senior", participant.GetProperty("seniority").GetString());
        Assert.Equal("AL", participant.GetProperty("countryCode").GetString());
    }

    [Theory]
    [InlineData("""{"organisation":"Police","sector":"health","countryCode":"AT","seniority":"field"}""", "fullName")]
    [InlineData("""{"fullName":"A","email":"not-an-email","organisation":"Police","sector":"health","countryCode":"AT","seniority":"field"}""", "email")]
    [InlineData("""{"fullName":"A","organisation":"Police","sector":"doctors","countryCode":"AT","seniority":"field"}""", "sector")]
    [InlineData("""{"fullName":"A","organisation":"Police","sector":"health","countryCode":"Austria","seniority":"field"}""", "countryCode")]
    [InlineData("""{"fullName":"A","organisation":"Police","sector":"health","countryCode":"AT","seniority":"boss"}""", "seniority")]
    [InlineData("""{"fullName":"A","organisation":"Police","sector":"health","countryCode":"AT"}""", "seniority")]
    [InlineData("""{"fullName":"   ","organisation":"Police","sector":"health","countryCode":"AT","seniority":"field"}""", "fullName")]
    [InlineData("""{"fullName":42,"organisation":"Police","sector":"health","countryCode":"AT","seniority":"field"}""", "fullName")]
    public async Task BadParticipantsNameTheFieldAndStoreNothing(string json, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        await (await coordinator.PostAsync("/api/participants", Http.RawJson(json))).ExpectProblem(HttpStatusCode.BadRequest, field);

        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants"));
    }

    [Fact]
    public async Task AnEmailIdentifiesOnePerson()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        await CourseGiven.ParticipantAsync(coordinator, "Anna Berg", "SE", "anna.berg@example.org");

        var response = await coordinator.PostAsJsonAsync("/api/participants", CourseGiven.ParticipantBody("Anna Berg", "SE", "ANNA.BERG@example.org"));

        await response.ExpectProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TheSearchFindsNamesOrganisationsAndEmails()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var anna = await CourseGiven.ParticipantAsync(coordinator, "Anna Berg", "SE", "anna.berg@example.org");
        var jan = await CourseGiven.ParticipantAsync(coordinator, "Jan de Vries", "NL", "jvries@politie.example");
        await CourseGiven.ParticipantAsync(coordinator, "Percent 100%", "NL", sector: "health");

        var byName = await (await coordinator.GetAsync("/api/participants?q=berg")).Expect(HttpStatusCode.OK);
        var byEmail = await (await coordinator.GetAsync("/api/participants?q=politie")).Expect(HttpStatusCode.OK);
        var wildcard = await (await coordinator.GetAsync("/api/participants?q=%25")).Expect(HttpStatusCode.OK);
        var filtered = await (await coordinator.GetAsync("/api/participants?countryCode=NL&sector=lawEnforcement")).Expect(HttpStatusCode.OK);

        Assert.Equal([anna], Ids(byName));
        Assert.Equal([jan], Ids(byEmail));
        Assert.Single(Ids(wildcard));
        Assert.Equal([jan], Ids(filtered));
        await (await coordinator.GetAsync("/api/participants?sector=doctors")).ExpectProblem(HttpStatusCode.BadRequest, "sector");
    }

    [Fact]
    public async Task TheSteeringGroupReadsParticipantsWithoutEmails()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await CourseGiven.ParticipantAsync(coordinator, "Anna Berg", "SE", "anna.berg@example.org");
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);

        var one = await (await steering.GetAsync($"/api/participants/{id}")).Expect(HttpStatusCode.OK);
        var list = await (await steering.GetAsync("/api/participants")).Expect(HttpStatusCode.OK);
        var searchByEmail = await (await steering.GetAsync("/api/participants?q=anna.berg@")).Expect(HttpStatusCode.OK);

        Assert.Equal("Anna Berg", one.GetProperty("fullName").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, one.GetProperty("email").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, list.GetProperty("items")[0].GetProperty("email").ValueKind);
        Assert.Equal(0, searchByEmail.GetProperty("total").GetInt32());
        await (await steering.PostAsJsonAsync("/api/participants", CourseGiven.ParticipantBody("X"))).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ACountryExpertSeesOnlyParticipantsOfTheirCountrysCourses()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var austria = await CourseGiven.OpenCourseAsync(coordinator, "AT", min: 1);
        var netherlands = await CourseGiven.OpenCourseAsync(coordinator, "NL", min: 1);
        var inAustria = (await CourseGiven.EnrolAsync(coordinator, austria, 1))[0];
        var inNetherlands = (await CourseGiven.EnrolAsync(coordinator, netherlands, 1, "AT"))[0];
        var nowhere = await CourseGiven.ParticipantAsync(coordinator, "Austrian, not enrolled", "AT");
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "AT");

        var list = await (await expert.GetAsync("/api/participants")).Expect(HttpStatusCode.OK);

        Assert.Equal([inAustria], Ids(list));
        await (await expert.GetAsync($"/api/participants/{inAustria}")).Expect(HttpStatusCode.OK);
        await (await expert.GetAsync($"/api/participants/{inNetherlands}")).ExpectProblem(HttpStatusCode.NotFound);
        await (await expert.GetAsync($"/api/participants/{nowhere}")).ExpectProblem(HttpStatusCode.NotFound);
        await (await expert.PutAsJsonAsync($"/api/participants/{inAustria}", CourseGiven.ParticipantBody("X"))).ExpectProblem(HttpStatusCode.Forbidden);
        await (await expert.DeleteAsync($"/api/participants/{inAustria}")).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task UpdatingAParticipantHonoursIfMatch()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await CourseGiven.ParticipantAsync(coordinator, "Ion Rusu", "MD");
        var etag = (await coordinator.GetAsync($"/api/participants/{id}")).Headers.ETag!.Tag;

        var updated = await (await coordinator.PutAsJsonAsync($"/api/participants/{id}", CourseGiven.ParticipantBody("Ion Rusu", "MD", "ion.rusu@example.org", "judiciary", "senior"), etag)).Expect(HttpStatusCode.OK);

        Assert.Equal("judiciary", updated.GetProperty("sector").GetString());
        await (await coordinator.PutAsJsonAsync($"/api/participants/{id}", CourseGiven.ParticipantBody("Changed", "MD"), etag)).ExpectProblem(HttpStatusCode.PreconditionFailed);
        await (await coordinator.PutAsJsonAsync($"/api/participants/{id}", CourseGiven.ParticipantBody("Ion Rusu", "Moldova"))).ExpectProblem(HttpStatusCode.BadRequest, "countryCode");
        await (await coordinator.PutAsJsonAsync("/api/participants/404", CourseGiven.ParticipantBody("Nobody"))).ExpectProblem(HttpStatusCode.NotFound);
        var now = await (await coordinator.GetAsync($"/api/participants/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Ion Rusu", now.GetProperty("fullName").GetString());
    }

    [Fact]
    public async Task ErasureRemovesNameAndEmailEverywhereButKeepsCountsAndAttendance()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessions, people) = await CourseGiven.RunningCourseAsync(coordinator, participants: 2, sessions: 1);
        var erased = people[0];
        var email = "erase.me@example.org";
        var etag = (await coordinator.GetAsync($"/api/participants/{erased}")).Headers.ETag!.Tag;
        etag = (await coordinator.PutAsJsonAsync($"/api/participants/{erased}", CourseGiven.ParticipantBody("Erika Mustermann", "AT", email), etag)).Headers.ETag!.Tag;
        await (await coordinator.PostAsJsonAsync("/api/participants", CourseGiven.ParticipantBody("Erika Mustermann's colleague", "AT"), "replayable-key")).Expect(HttpStatusCode.Created);
        await CourseGiven.RecordAsync(coordinator, courseId, sessions[0], [(people[0], "present"), (people[1], "present")]);

        await (await coordinator.DeleteAsync($"/api/participants/{erased}", etag)).Expect(HttpStatusCode.NoContent);

        var participant = await (await coordinator.GetAsync($"/api/participants/{erased}")).Expect(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, participant.GetProperty("fullName").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, participant.GetProperty("email").ValueKind);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, participant.GetProperty("erasedAt").ValueKind);
        Assert.Equal("lawEnforcement", participant.GetProperty("sector").GetString());
        var matrix = await (await coordinator.GetAsync($"/api/courses/{courseId}/attendance")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, matrix.GetProperty("completedCount").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, matrix.GetProperty("participants")[0].GetProperty("fullName").ValueKind);
        var course = await (await coordinator.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, course.GetProperty("enrolledCount").GetInt32());
        var search = await (await coordinator.GetAsync("/api/participants?q=Mustermann")).Expect(HttpStatusCode.OK);
        Assert.DoesNotContain(erased, Ids(search));
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants WHERE full_name = 'Erika Mustermann' OR email = @email", new { email }));
        // Read as bytes and searched here: CAST(bytea AS text) on PostgreSQL is the hex escape, not the text.
        Assert.DoesNotContain(db.Query<byte[]>("SELECT body FROM idempotency_keys WHERE body IS NOT NULL"),
            body => System.Text.Encoding.UTF8.GetString(body).Contains("Erika Mustermann", StringComparison.Ordinal));
        await (await coordinator.DeleteAsync($"/api/participants/{erased}")).Expect(HttpStatusCode.NoContent);
        await (await coordinator.PutAsJsonAsync($"/api/participants/{erased}", CourseGiven.ParticipantBody("Back again"))).ExpectProblem(HttpStatusCode.Conflict);
        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = erased })).ExpectProblem(HttpStatusCode.BadRequest, "participantId");
    }

    [Fact]
    public async Task UnknownParticipantsAreNotFound()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        await (await coordinator.GetAsync("/api/participants/404")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.DeleteAsync("/api/participants/404")).ExpectProblem(HttpStatusCode.NotFound);
    }

    private static int[] Ids(System.Text.Json.JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToArray();

    public void Dispose() => _app.Dispose();
}
