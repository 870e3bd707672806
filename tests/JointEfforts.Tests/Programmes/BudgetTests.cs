using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Demo;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Programmes;

/// <summary>A programme's budget as its documents state it (issue 25): through the API, validated, and in the demo's Poland programme.</summary>
public sealed class BudgetTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    private static object Body(object? budget) => new
    {
        code = "PL-BUDGET",
        title = "Cooperation and competences",
        fundingProgramme = "Norway Grants",
        startDate = "2014-09-01",
        endDate = "2016-04-30",
        targetParticipantsTrained = 495,
        beneficiaries = new[] { "IOM Poland" },
        countries = new[] { "PL" },
        status = "completed",
        budget,
        localTitles = new Dictionary<string, string> { ["pl"] = "Współpraca i kompetencje" },
    };

    [Fact]
    public async Task AProgrammesBudgetIsStoredAsGivenReadBackAndClearedByAPutWithoutIt()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);

        var created = await (await coordinator.PostAsJsonAsync("/api/projects", Body(new
        {
            currency = "EUR", initial = 338262, final = 306408, granted = 255252, note = "From Norway Grants",
        }))).Expect(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();

        var read = await (await steering.GetAsync($"/api/projects/{id}")).Expect(HttpStatusCode.OK);
        var budget = read.GetProperty("budget");
        Assert.Equal("EUR", budget.GetProperty("currency").GetString());
        Assert.Equal(338262m, budget.GetProperty("initial").GetDecimal());
        Assert.Equal(306408m, budget.GetProperty("final").GetDecimal());
        Assert.Equal(255252m, budget.GetProperty("granted").GetDecimal());
        Assert.Equal("From Norway Grants", budget.GetProperty("note").GetString());
        Assert.Equal("Współpraca i kompetencje", read.GetProperty("localTitles").GetProperty("pl").GetString());

        var etag = (await coordinator.GetAsync($"/api/projects/{id}")).Headers.ETag!.Tag;
        var updated = await (await coordinator.PutAsJsonAsync($"/api/projects/{id}", Body(new { currency = "PLN", initial = 1_450_000.50m }), etag))
            .Expect(HttpStatusCode.OK);
        Assert.Equal("PLN", updated.GetProperty("budget").GetProperty("currency").GetString());
        Assert.Equal(1_450_000.50m, updated.GetProperty("budget").GetProperty("initial").GetDecimal());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("budget").GetProperty("final").ValueKind);

        etag = (await coordinator.GetAsync($"/api/projects/{id}")).Headers.ETag!.Tag;
        var cleared = await (await coordinator.PutAsJsonAsync($"/api/projects/{id}", Body(null), etag)).Expect(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("budget").ValueKind);
    }

    [Theory]
    [InlineData("eur", 100, "Budget.Currency")]
    [InlineData("XYZ", 100, "Budget.Currency")]
    [InlineData(null, 100, "Budget.Currency")]
    [InlineData("EUR", -1, "Budget.Initial")]
    public async Task ABudgetWithoutAnIsoCurrencyOrWithANegativeAmountIsRefusedByFieldAndNothingIsStored(string? currency, int initial, string field)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var problem = await (await coordinator.PostAsJsonAsync("/api/projects", Body(new { currency, initial })))
            .ExpectProblem(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => string.Equals(e.Name, field, StringComparison.OrdinalIgnoreCase)), errors.ToString());
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<int>("SELECT COUNT(*) FROM projects WHERE code = 'PL-BUDGET'"));
    }

    [Fact]
    public async Task ALocalTitleInALanguageThatIsNoIsoCodeIsRefusedByName()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var body = new Dictionary<string, object?>
        {
            ["code"] = "PL-TITLES", ["title"] = "Cooperation", ["fundingProgramme"] = "Norway Grants", ["startDate"] = "2014-09-01",
            ["endDate"] = "2016-04-30", ["targetParticipantsTrained"] = 1, ["status"] = "planned",
            ["localTitles"] = new Dictionary<string, string> { ["polish"] = "Współpraca" },
        };

        var problem = await (await coordinator.PostAsJsonAsync("/api/projects", body)).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.Contains("polish", StringComparison.OrdinalIgnoreCase));
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<int>("SELECT COUNT(*) FROM projects WHERE code = 'PL-TITLES'"));
    }

    [Fact]
    public async Task OnlyACoordinatorSetsABudget()
    {
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);

        await (await steering.PostAsJsonAsync("/api/projects", Body(new { currency = "EUR", initial = 1 }))).ExpectProblem(HttpStatusCode.Forbidden);
    }

    public void Dispose() => _app.Dispose();
}
