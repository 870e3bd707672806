using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Foundation;

/// <summary>The API.md conventions every route inherits: problems, paging, ETags, idempotency, limits, headers.</summary>
public sealed class ConventionsTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Theory]
    [InlineData("{ not json", "body")]
    [InlineData("[1,2,3]", "body")]
    [InlineData("""{"code":"XX","title":"T","fundingProgramme":"F","startDate":"2020-01-01","endDate":"2021-01-01","targetParticipantsTrained":"many"}""", "targetParticipantsTrained")]
    [InlineData("""{"code":"XX","title":"T","fundingProgramme":"F","startDate":"01/02/2020","endDate":"2021-01-01","targetParticipantsTrained":1}""", "startDate")]
    [InlineData("""{"code":"XX","title":"T","fundingProgramme":"F","startDate":"2020-01-01","endDate":"2019-01-01","targetParticipantsTrained":1}""", "endDate")]
    [InlineData("""{"code":"XX","fundingProgramme":"F","startDate":"2020-01-01","endDate":"2021-01-01","targetParticipantsTrained":1}""", "title")]
    [InlineData("""{"code":"XX","title":"T","fundingProgramme":"F","startDate":"2020-01-01","endDate":"2021-01-01","targetParticipantsTrained":-5}""", "targetParticipantsTrained")]
    public async Task BadBodiesGetAProblemNamingTheFieldAndChangeNothing(string json, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var response = await coordinator.PostAsync("/api/projects", Http.RawJson(json));

        await response.ExpectProblem(HttpStatusCode.BadRequest, field);
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM projects"));
    }

    [Fact]
    public async Task AMissingBodyIsAProblem()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var response = await coordinator.PostAsync("/api/projects", new StringContent("", Encoding.UTF8, "application/json"));

        await response.ExpectProblem(HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task AWrongContentTypeIs415()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var response = await coordinator.PostAsync("/api/projects", new StringContent("code=X", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.ExpectProblem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task ABodyOverOneMegabyteIs413()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var huge = "{\"code\":\"" + new string('x', 1_100_000) + "\"}";

        var response = await coordinator.PostAsync("/api/projects", Http.RawJson(huge));

        await response.ExpectProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task UnknownRoutesAndMethodsAreProblems()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        await (await coordinator.GetAsync("/api/nothing-here")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PatchAsync("/api/projects", Http.RawJson("{}"))).ExpectProblem(HttpStatusCode.MethodNotAllowed);
        await (await coordinator.GetAsync("/api/projects/not-a-number")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=1.5", "pageSize")]
    public async Task BadPagingIsAProblemNamingTheParameter(string query, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        await (await coordinator.GetAsync("/api/projects?" + query)).ExpectProblem(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task ListsArePagedInIdOrderWithTheTotal()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        foreach (var code in new[] { "P-A", "P-B", "P-C", "P-D", "P-E" })
        {
            await Given.ProjectAsync(coordinator, code);
        }

        var page = await (await coordinator.GetAsync("/api/projects?page=2&pageSize=2")).Expect(HttpStatusCode.OK);

        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal(2, page.GetProperty("pageSize").GetInt32());
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(["P-C", "P-D"], page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("code").GetString()!).ToArray());
        var defaults = await (await coordinator.GetAsync("/api/projects")).Expect(HttpStatusCode.OK);
        Assert.Equal(50, defaults.GetProperty("pageSize").GetInt32());
    }

    [Fact]
    public async Task AStaleIfMatchIs412AndChangesNothing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await Given.ProjectAsync(coordinator, "ETAG");
        var read = await coordinator.GetAsync($"/api/projects/{id}");
        var etag = read.Headers.ETag!.Tag;
        var changed = Given.ProjectBody("ETAG-2");

        var first = await coordinator.PutAsJsonAsync($"/api/projects/{id}", changed, etag);
        await first.Expect(HttpStatusCode.OK);
        Assert.NotEqual(etag, first.Headers.ETag!.Tag);

        var stale = await coordinator.PutAsJsonAsync($"/api/projects/{id}", Given.ProjectBody("ETAG-3"), etag);
        await stale.ExpectProblem(HttpStatusCode.PreconditionFailed);
        var staleDelete = await coordinator.DeleteAsync($"/api/projects/{id}", etag);
        await staleDelete.ExpectProblem(HttpStatusCode.PreconditionFailed);
        var garbage = await coordinator.PutAsJsonAsync($"/api/projects/{id}", Given.ProjectBody("ETAG-4"), "W/\"whatever\"");
        await garbage.ExpectProblem(HttpStatusCode.PreconditionFailed);

        var now = await (await coordinator.GetAsync($"/api/projects/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("ETAG-2", now.GetProperty("code").GetString());
        var delete = await coordinator.DeleteAsync($"/api/projects/{id}", first.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Fact]
    public async Task AnIdempotencyKeyReplaysTheFirstAnswerAndCreatesOnce()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var first = await coordinator.PostAsJsonAsync("/api/projects", Given.ProjectBody("ONCE"), "key-1");
        var second = await coordinator.PostAsJsonAsync("/api/projects", Given.ProjectBody("ONCE"), "key-1");

        var created = await first.Expect(HttpStatusCode.Created);
        var replayed = await second.Expect(HttpStatusCode.Created);
        Assert.Equal(created.GetProperty("id").GetInt32(), replayed.GetProperty("id").GetInt32());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        using var db = _app.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM projects"));
    }

    [Fact]
    public async Task AnIdempotencyKeyWithADifferentBodyIs422()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        await (await coordinator.PostAsJsonAsync("/api/projects", Given.ProjectBody("FIRST"), "key-2")).Expect(HttpStatusCode.Created);

        var response = await coordinator.PostAsJsonAsync("/api/projects", Given.ProjectBody("SECOND"), "key-2");

        await response.ExpectProblem(HttpStatusCode.UnprocessableEntity);
        using var db = _app.OpenDatabase();
        Assert.Equal(["FIRST"], db.Query<string>("SELECT code FROM projects").ToList());
    }

    [Fact]
    public async Task ConcurrentRequestsWithOneIdempotencyKeyCreateOnce()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => coordinator.PostAsJsonAsync("/api/projects", Given.ProjectBody("RACE"), "key-race")));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        using var db = _app.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM projects"));
    }

    [Fact]
    public async Task IdempotencyKeysBelongToTheirCaller()
    {
        using var first = await _app.CreateClientAsync(Role.Coordinator);
        using var second = await _app.CreateClientAsync(Role.Coordinator);
        await (await first.PostAsJsonAsync("/api/projects", Given.ProjectBody("MINE"), "shared-key")).Expect(HttpStatusCode.Created);

        var response = await second.PostAsJsonAsync("/api/projects", Given.ProjectBody("YOURS"), "shared-key");

        await response.Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ResponsesCarrySecurityHeadersAndNoServerBanner()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var response = await coordinator.GetAsync("/api/projects");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task TimestampsAreUtcWithZ()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await Given.ProjectAsync(coordinator);

        var project = await (await coordinator.GetAsync($"/api/projects/{id}")).Expect(HttpStatusCode.OK);

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", project.GetProperty("createdAt").GetString());
        Assert.Equal("2011-10-20", project.GetProperty("startDate").GetString());
    }

    public void Dispose() => _app.Dispose();
}

public sealed class RateLimitTests : IDisposable
{
    private readonly JointEffortsApp _app = new(settings: new Dictionary<string, string?>
    {
        ["JointEfforts:RateLimits:PerTokenPerMinute"] = "3",
    });

    [Fact]
    public async Task BeyondTheLimitATokenGets429WithRetryAfter()
    {
        using var coordinator = _app.ClientWithToken(JointEffortsApp.AdminToken);

        for (var i = 0; i < 3; i++)
        {
            await (await coordinator.GetAsync("/api/projects")).Expect(HttpStatusCode.OK);
        }

        var limited = await coordinator.GetAsync("/api/projects");
        await limited.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    public void Dispose() => _app.Dispose();
}
