using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Programmes;

public sealed class ProjectsTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task CreatingAProgrammeCreatesItsFivePhasesInOrder()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var response = await coordinator.PostAsJsonAsync("/api/projects", Given.ProjectBody("JE-2011"));

        var project = await response.Expect(HttpStatusCode.Created);
        var id = project.GetProperty("id").GetInt32();
        Assert.Equal($"/api/projects/{id}", response.Headers.Location?.ToString());
        Assert.Equal(160, project.GetProperty("targetParticipantsTrained").GetInt32());
        Assert.Equal(["Payoke vzw", "Danube University Krems"], project.GetProperty("beneficiaries").EnumerateArray().Select(b => b.GetString()!).ToArray());

        var phases = await (await coordinator.GetAsync($"/api/projects/{id}/phases")).Expect(HttpStatusCode.OK);
        Assert.Equal(
            ["planning", "preparation", "development", "testingAndImplementation", "evaluationAndConclusions"],
            phases.EnumerateArray().Select(p => p.GetProperty("kind").GetString()!).ToArray());
        Assert.Equal([1, 2, 3, 4, 5], phases.EnumerateArray().Select(p => p.GetProperty("number").GetInt32()).ToArray());
        Assert.All(phases.EnumerateArray(), p =>
        {
            Assert.Equal("notStarted", p.GetProperty("status").GetString());
            Assert.Equal(0.0, p.GetProperty("progress").GetDouble());
        });
    }

    [Fact]
    public async Task ServerOwnedFieldsInTheBodyAreRefusedByName()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var body = new
        {
            id = 4242,
            createdAt = "1999-01-01T00:00:00Z",
            code = "MASS",
            title = "T",
            fundingProgramme = "F",
            startDate = "2020-01-01",
            endDate = "2021-01-01",
            targetParticipantsTrained = 5,
        };

        var problem = await (await coordinator.PostAsJsonAsync("/api/projects", body)).ExpectProblem(HttpStatusCode.BadRequest, "id");

        Assert.True(problem.GetProperty("errors").TryGetProperty("createdAt", out _));
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM projects"));
    }

    [Fact]
    public async Task ADuplicateCodeIsAConflict()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        await Given.ProjectAsync(coordinator, "DUP");

        await (await coordinator.PostAsJsonAsync("/api/projects", Given.ProjectBody("dup"))).ExpectProblem(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData(Role.SteeringGroup)]
    [InlineData(Role.CountryExpert)]
    public async Task OnlyCoordinatorsChangeProgrammesButEveryoneReadsThem(Role role)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await Given.ProjectAsync(coordinator);
        using var reader = await _app.CreateClientAsync(role);

        await (await reader.PostAsJsonAsync("/api/projects", Given.ProjectBody("NOPE"))).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.PutAsJsonAsync($"/api/projects/{id}", Given.ProjectBody("NOPE"))).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.DeleteAsync($"/api/projects/{id}")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await reader.GetAsync($"/api/projects/{id}")).Expect(HttpStatusCode.OK);
        await (await reader.GetAsync($"/api/projects/{id}/phases")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnknownProgrammesAreNotFound()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        await (await coordinator.GetAsync("/api/projects/404")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync("/api/projects/404/phases")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.PutAsJsonAsync("/api/projects/404", Given.ProjectBody())).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.DeleteAsync("/api/projects/404")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AProgrammeWithMeetingsCannotBeDeleted()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await Given.ProjectAsync(coordinator);
        using (var db = _app.OpenDatabase())
        {
            db.Execute(
                "INSERT INTO meetings (project_id, kind, title, city, country_code, start_date, end_date) VALUES (@id, 'conference', 'Budapest', 'Budapest', 'HU', '2012-02-27', '2012-02-27')",
                new { id });
        }

        await (await coordinator.DeleteAsync($"/api/projects/{id}")).ExpectProblem(HttpStatusCode.Conflict);
        await (await coordinator.GetAsync($"/api/projects/{id}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeletingAProgrammeRemovesItsPhases()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var id = await Given.ProjectAsync(coordinator);

        await (await coordinator.DeleteAsync($"/api/projects/{id}")).Expect(HttpStatusCode.NoContent);

        await (await coordinator.GetAsync($"/api/projects/{id}")).ExpectProblem(HttpStatusCode.NotFound);
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM phases WHERE project_id = @id", new { id }));
    }

    public void Dispose() => _app.Dispose();
}
