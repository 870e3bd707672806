using System.Net;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Anonymity;

/// <summary>
/// Issue 23: a coordinator holding the slips probes each code to learn which were used, and when (to difference the
/// summary). Reading the form and sending wrong answers answer alike for a used and an unused code; only a complete answer
/// learns "used" (which for an unused code stores it and spends the code), and each such answer counts as a failed look-up.
/// </summary>
public sealed class UsedCodeProbeTests : IDisposable
{
    private readonly JointEffortsApp _app = new(
        settings: new Dictionary<string, string?> { ["JointEfforts:RateLimits:FailedCodesPerHour"] = "3" },
        configure: TestHost.WithPeerAddress);

    [Fact]
    public async Task AProbeCannotTellAUsedCodeFromAnUnusedOneWithoutAnsweringIt()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        var (used, unused) = (codes[0], codes[1]);
        using var participant = _app.CreateAnonymousClient();
        participant.DefaultRequestHeaders.Add(TestHost.PeerHeader, "198.51.100.20");
        await (await EvaluationGiven.SubmitAsync(participant, used, new { relevance = 4 })).Expect(HttpStatusCode.Created);
        using var prober = _app.CreateAnonymousClient();

        // Reading the form: the same form, byte for byte.
        var usedForm = await prober.GetAsync($"/api/evaluations/form?code={used}");
        var unusedForm = await prober.GetAsync($"/api/evaluations/form?code={unused}");
        Assert.Equal(HttpStatusCode.OK, usedForm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unusedForm.StatusCode);
        Assert.Equal(await unusedForm.Content.ReadAsStringAsync(), await usedForm.Content.ReadAsStringAsync());

        // Answers that cannot be stored: the same errors; nothing stored, nothing spent.
        var usedWrong = await (await EvaluationGiven.SubmitAsync(prober, used, new { relevance = 9 })).ExpectProblem(HttpStatusCode.BadRequest, "answers.relevance");
        var unusedWrong = await (await EvaluationGiven.SubmitAsync(prober, unused, new { relevance = 9 })).ExpectProblem(HttpStatusCode.BadRequest, "answers.relevance");
        Assert.Equal(unusedWrong.GetProperty("errors").GetRawText(), usedWrong.GetProperty("errors").GetRawText());
        var usedEmpty = await (await EvaluationGiven.SubmitAsync(prober, used, new { })).ExpectProblem(HttpStatusCode.BadRequest, "answers.relevance");
        var unusedEmpty = await (await EvaluationGiven.SubmitAsync(prober, unused, new { })).ExpectProblem(HttpStatusCode.BadRequest, "answers.relevance");
        Assert.Equal(unusedEmpty.GetProperty("errors").GetRawText(), usedEmpty.GetProperty("errors").GetRawText());
        Assert.Equal(1, EvaluationGiven.Count(_app, "evaluation_responses"));

        // Only a complete answer learns "used", kindly, and it counts as a failure: three, and that slip's prefix is closed.
        for (var i = 0; i < 3; i++)
        {
            var again = await (await EvaluationGiven.SubmitAsync(prober, used, new { relevance = 5 })).ExpectProblem(HttpStatusCode.Conflict);
            Assert.Equal("This code has already been used for the reaction form.", again.GetProperty("detail").GetString());
        }

        await (await prober.GetAsync($"/api/evaluations/form?code={used}")).ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal(1, EvaluationGiven.Count(_app, "evaluation_responses"));

        // The participant's own address and the unused slip are untouched.
        await (await participant.GetAsync($"/api/evaluations/form?code={unused}")).Expect(HttpStatusCode.OK);
        var receipt = await (await EvaluationGiven.SubmitAsync(participant, unused, new { relevance = 3 })).Expect(HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, receipt.GetProperty("score").ValueKind);
        Assert.Equal(2, EvaluationGiven.Count(_app, "evaluation_responses"));
    }

    public void Dispose() => _app.Dispose();
}
