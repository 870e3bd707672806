using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace JointEfforts.Tests.Foundation;

public sealed class AuthenticationTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task ApiRoutesRefuseRequestsWithoutATokenWithAProblem()
    {
        using var client = _app.CreateAnonymousClient();

        var response = await client.GetAsync("/api/projects");

        var problem = await response.ExpectProblem(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("token", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("Bearer je_not_a_real_token")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    [InlineData("Bearer ")]
    public async Task AnUnknownOrMalformedTokenIsRefused(string header)
    {
        using var client = _app.CreateAnonymousClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);

        (await client.GetAsync("/api/projects")).EnsureNotSuccess(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ARevokedTokenIsRefusedAtOnceEvenAfterItWasCached()
    {
        var (userId, token) = await _app.CreateUserAsync(Role.Coordinator);
        using var coordinator = _app.ClientWithToken(token);
        await (await coordinator.GetAsync("/api/projects")).Expect(HttpStatusCode.OK); // now cached
        using var admin = _app.CreateAdminClient();
        var tokens = await (await admin.GetAsync($"/api/users/{userId}/tokens")).Expect(HttpStatusCode.OK);
        var tokenId = tokens[0].GetProperty("id").GetInt32();

        await (await admin.DeleteAsync($"/api/users/{userId}/tokens/{tokenId}")).Expect(HttpStatusCode.NoContent);

        await (await coordinator.GetAsync("/api/projects")).ExpectProblem(HttpStatusCode.Unauthorized);
        var listed = await (await admin.GetAsync($"/api/users/{userId}/tokens")).Expect(HttpStatusCode.OK);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, listed[0].GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task ADeletedUsersTokensStopWorkingAtOnce()
    {
        var (userId, token) = await _app.CreateUserAsync(Role.SteeringGroup);
        using var steering = _app.ClientWithToken(token);
        await (await steering.GetAsync("/api/projects")).Expect(HttpStatusCode.OK);
        using var admin = _app.CreateAdminClient();

        await (await admin.DeleteAsync($"/api/users/{userId}")).Expect(HttpStatusCode.NoContent);

        await (await steering.GetAsync("/api/projects")).ExpectProblem(HttpStatusCode.Unauthorized);
        await (await admin.GetAsync($"/api/users/{userId}")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AChangedRoleTakesEffectAtOnce()
    {
        var (userId, token) = await _app.CreateUserAsync(Role.Coordinator);
        using var user = _app.ClientWithToken(token);
        await (await user.PostAsJsonAsync("/api/projects", Given.ProjectBody("BEFORE"))).Expect(HttpStatusCode.Created);
        using var admin = _app.CreateAdminClient();

        await (await admin.PutAsJsonAsync($"/api/users/{userId}", new { userName = "demoted", displayName = "Demoted", role = "steeringGroup", countryCode = (string?)null, email = (string?)null }))
            .Expect(HttpStatusCode.OK);

        await (await user.PostAsJsonAsync("/api/projects", Given.ProjectBody("AFTER"))).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ASeenTokenIsNotLookedUpInTheDatabaseAgain()
    {
        var (userId, token) = await _app.CreateUserAsync(Role.Coordinator);
        using var client = _app.ClientWithToken(token);
        await (await client.GetAsync("/api/projects")).Expect(HttpStatusCode.OK);
        using (var db = _app.OpenDatabase())
        {
            // Behind the API's back (no revocation): only a database lookup could notice this.
            db.Execute("UPDATE api_tokens SET token_hash = 'moved' WHERE user_id = @userId", new { userId });
        }

        await (await client.GetAsync("/api/projects")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TokensAreLongRandomAndStoredOnlyAsAHash()
    {
        var (userId, token) = await _app.CreateUserAsync(Role.Coordinator);
        var (_, other) = await _app.CreateUserAsync(Role.Coordinator);

        Assert.NotEqual(token, other);
        Assert.StartsWith("je_", token);
        Assert.True(token.Length - 3 >= 43, "at least 256 bits of base64url after the prefix");
        using var db = _app.OpenDatabase();
        var stored = db.Query<string>("SELECT token_hash FROM api_tokens WHERE user_id = @userId", new { userId }).Single();
        Assert.Equal(BearerTokens.Hash(token), stored);
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM api_tokens WHERE token_hash = @token", new { token }));
    }

    [Fact]
    public async Task AnExpiredTokenIsRefused()
    {
        var (userId, token) = await _app.CreateUserAsync(Role.Coordinator);
        using (var db = _app.OpenDatabase())
        {
            db.Execute("UPDATE api_tokens SET expires_at = '2001-01-01T00:00:00.000Z' WHERE user_id = @userId", new { userId });
        }

        using var client = _app.ClientWithToken(token);
        await (await client.GetAsync("/api/projects")).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ATokenWithAnExpiryShowsIt()
    {
        using var admin = _app.CreateAdminClient();
        var (userId, _) = await _app.CreateUserAsync(Role.Coordinator);

        var created = await (await admin.PostAsJsonAsync($"/api/users/{userId}/tokens", new { expiresInDays = 30 })).Expect(HttpStatusCode.Created);

        var createdAt = created.GetProperty("createdAt").GetDateTime();
        var expiresAt = created.GetProperty("expiresAt").GetDateTime();
        Assert.Equal(30, Math.Round((expiresAt - createdAt).TotalDays));
        Assert.EndsWith("Z", created.GetProperty("createdAt").GetString());
    }

    [Theory]
    [InlineData(Role.Coordinator)]
    [InlineData(Role.CountryExpert)]
    [InlineData(Role.SteeringGroup)]
    public async Task OnlyAdminsManageUsersAndTokens(Role role)
    {
        using var client = await _app.CreateClientAsync(role);

        await (await client.GetAsync("/api/users")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await client.PostAsJsonAsync("/api/users", new { userName = "x", displayName = "x", role = "admin" })).ExpectProblem(HttpStatusCode.Forbidden);
        await (await client.PostAsJsonAsync("/api/users/1/tokens", new { })).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TheBootstrapAdminTokenWorksAfterStartUp()
    {
        using var admin = _app.CreateAdminClient();

        var users = await (await admin.GetAsync("/api/users?role=admin")).Expect(HttpStatusCode.OK);

        Assert.Equal("admin", users.GetProperty("items")[0].GetProperty("userName").GetString());
    }

    [Fact]
    public void EveryApiRouteDeclaresWhoMayCallIt()
    {
        _ = _app.Server;
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .ToList();

        Assert.NotEmpty(endpoints);
        var undeclared = endpoints
            .Where(e => !e.Metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null) && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => e.DisplayName)
            .ToList();
        Assert.Empty(undeclared);
    }

    public void Dispose() => _app.Dispose();
}

internal static class ResponseAssertions
{
    public static void EnsureNotSuccess(this HttpResponseMessage response, HttpStatusCode expected) =>
        Assert.Equal(expected, response.StatusCode);
}
