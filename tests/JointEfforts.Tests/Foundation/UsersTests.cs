using System.Net;
using System.Net.Http.Json;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Foundation;

public sealed class UsersTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task AdminCreatesACountryExpertWithTheirCountry()
    {
        using var admin = _app.CreateAdminClient();

        var response = await admin.PostAsJsonAsync("/api/users", new { userName = "expert.nl", displayName = "Expert NL", role = "countryExpert", countryCode = "NL" });

        var user = await response.Expect(HttpStatusCode.Created);
        Assert.Equal($"/api/users/{user.GetProperty("id").GetInt32()}", response.Headers.Location?.ToString());
        Assert.Equal("countryExpert", user.GetProperty("role").GetString());
        Assert.Equal("NL", user.GetProperty("countryCode").GetString());
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task ACountryExpertWithoutACountryIsRefusedWithTheFieldNamed()
    {
        using var admin = _app.CreateAdminClient();

        var response = await admin.PostAsJsonAsync("/api/users", new { userName = "expert", displayName = "Expert", role = "countryExpert" });

        await response.ExpectProblem(HttpStatusCode.BadRequest, "countryCode");
    }

    [Theory]
    [InlineData("""{"userName":"a.b","displayName":"X","role":"emperor"}""", "role")]
    [InlineData("""{"userName":"a.b","displayName":"X","role":"countryExpert","countryCode":"UK"}""", "countryCode")]
    [InlineData("""{"userName":"a b!","displayName":"X","role":"admin"}""", "userName")]
    [InlineData("""{"displayName":"X","role":"admin"}""", "userName")]
    [InlineData("""{"userName":"a.b","displayName":"X","role":1}""", "role")]
    public async Task InvalidUsersAreRefusedWithTheFieldNamed(string json, string field)
    {
        using var admin = _app.CreateAdminClient();

        var response = await admin.PostAsync("/api/users", Http.RawJson(json));

        await response.ExpectProblem(HttpStatusCode.BadRequest, field);
        var users = await (await admin.GetAsync("/api/users")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, users.GetProperty("total").GetInt32()); // only the bootstrap admin: nothing was written
    }

    [Fact]
    public async Task ATakenUserNameIsAConflict()
    {
        using var admin = _app.CreateAdminClient();
        await (await admin.PostAsJsonAsync("/api/users", new { userName = "same", displayName = "A", role = "coordinator" })).Expect(HttpStatusCode.Created);

        var response = await admin.PostAsJsonAsync("/api/users", new { userName = "SAME", displayName = "B", role = "coordinator" });

        await response.ExpectProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AnAdminCannotDeleteThemself()
    {
        using var admin = _app.CreateAdminClient();
        var users = await (await admin.GetAsync("/api/users?role=admin")).Expect(HttpStatusCode.OK);
        var id = users.GetProperty("items")[0].GetProperty("id").GetInt32();

        await (await admin.DeleteAsync($"/api/users/{id}")).ExpectProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task UnknownUsersAndTokensAreNotFound()
    {
        using var admin = _app.CreateAdminClient();

        await (await admin.GetAsync("/api/users/999")).ExpectProblem(HttpStatusCode.NotFound);
        await (await admin.PostAsJsonAsync("/api/users/999/tokens", new { })).ExpectProblem(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync("/api/users/1/tokens/999")).ExpectProblem(HttpStatusCode.NotFound);
    }

    public void Dispose() => _app.Dispose();
}
