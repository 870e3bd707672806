using System.Net;
using System.Net.Http.Json;

namespace JointEfforts.Tests.Infrastructure;

/// <summary>Arrangements made through the API, shared by the feature test classes.</summary>
public static class Given
{
    public static object ProjectBody(string code = "JE-TEST", int target = 160) => new
    {
        code,
        title = "Joint efforts of police and health authorities",
        fundingProgramme = "EU ISEC",
        startDate = "2011-10-20",
        endDate = "2014-03-20",
        targetParticipantsTrained = target,
        beneficiaries = new[] { "Payoke vzw", "Danube University Krems" },
        countries = Array.Empty<string>(),
        status = "planned",
        budget = (object?)null,
        localTitles = (object?)null,
    };

    /// <summary>Creates a programme as a coordinator and returns its id.</summary>
    public static async Task<int> ProjectAsync(HttpClient coordinator, string code = "JE-TEST", int target = 160)
    {
        var response = await coordinator.PostAsJsonAsync("/api/projects", ProjectBody(code, target));
        return (await response.Expect(HttpStatusCode.Created)).GetProperty("id").GetInt32();
    }
}
