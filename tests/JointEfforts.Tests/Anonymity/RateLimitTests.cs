using System.Net;
using System.Net.Http.Headers;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Anonymity;

/// <summary>
/// Issue 10, item 2: a classroom on one Wi-Fi is never locked out, guessing codes is, from any address it pretends
/// to have; the per-token limit counts a token however its header is spelled. The limits are the defaults of API.md.
/// </summary>
public sealed class RateLimitTests : IDisposable
{
    private readonly JointEffortsApp _app = new(
        settings: new Dictionary<string, string?>
        {
            ["JointEfforts:RateLimits:AnonymousPerMinute"] = "600",
            ["JointEfforts:RateLimits:FailedCodesPerHour"] = "30",
        },
        configure: TestHost.WithPeerAddress);

    [Fact]
    public void TheDefaultsAreThoseOfTheContract()
    {
        var defaults = new RateLimitSettings();

        Assert.Equal((6000, 600, 30), (defaults.PerTokenPerMinute, defaults.AnonymousPerMinute, defaults.FailedCodesPerHour));
        Assert.Equal(300, defaults.FailedCodesPerAddressPerHour);
    }

    [Fact]
    public async Task FortyParticipantsOnOneWiFiAnswerThreeFormsEach()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var pre = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("preTest"));
        var post = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("postTest"));
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, pre, post, participants: 40);
        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        using var classroom = _app.CreateAnonymousClient(); // every request from 198.51.100.10

        var statuses = new List<HttpStatusCode>();
        foreach (var (purpose, answers) in new (string, object)[] { ("preTest", new { q1 = "a" }), ("postTest", new { q1 = "a", q2 = "c" }), ("reaction", new { relevance = 4 }) })
        {
            foreach (var code in codes)
            {
                statuses.Add((await classroom.GetAsync($"/api/evaluations/form?code={code}&purpose={purpose}")).StatusCode);
                statuses.Add((await EvaluationGiven.SubmitAsync(classroom, code, answers, purpose)).StatusCode);
            }
        }

        Assert.Equal(240, statuses.Count);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Created, $"got {(int)s}"));
        Assert.Equal(120, EvaluationGiven.Count(_app, "evaluation_responses"));
    }

    [Fact]
    public async Task ThirtyFailedCodesOfOneSlipPrefixAnHourThenEveryLookUpOfThatPrefixFromThatAddressIs429()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction);
        var valid = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var guesser = _app.CreateAnonymousClient();

        for (var i = 0; i < 30; i++)
        {
            // Unknown codes of one prefix (GUES), read or answered: what guessing within a prefix produces.
            var response = i % 3 == 2
                ? await EvaluationGiven.SubmitAsync(guesser, Guess(i), new { relevance = 4 })
                : await guesser.GetAsync($"/api/evaluations/form?code={Guess(i)}");
            Assert.True(response.StatusCode is HttpStatusCode.NotFound, $"guess {i + 1}: {(int)response.StatusCode}");
        }

        var thirtyFirst = await guesser.GetAsync($"/api/evaluations/form?code={Guess(31)}");
        var submitAfter = await EvaluationGiven.SubmitAsync(guesser, Guess(32), new { relevance = 4 });

        await thirtyFirst.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(thirtyFirst.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await submitAfter.ExpectProblem(HttpStatusCode.TooManyRequests);

        // A code of another prefix from the same address still answers: one person's guessing locks no classroom out.
        Assert.False(valid.StartsWith("GUES", StringComparison.Ordinal));
        await (await guesser.GetAsync($"/api/evaluations/form?code={valid}")).Expect(HttpStatusCode.OK);
        await (await EvaluationGiven.SubmitAsync(guesser, valid, new { relevance = 4 })).Expect(HttpStatusCode.Created);
        Assert.Equal(1, EvaluationGiven.Count(_app, "evaluation_responses"));
    }

    [Fact]
    public async Task OneParticipantMistypingTheirSlipThirtyTimesLocksNoOneElseOnTheWiFiOut()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reaction, participants: 40);
        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        using var wifi = _app.CreateAnonymousClient(); // every request from 198.51.100.10

        var own = codes[0];
        // Their own slip with the last two characters misread: thirty unknown codes of their slip's prefix.
        var typos = Enumerable.Range(0, 40).Select(i => own[..^2] + "ABCDEFGHJKMNPQRSTUVWXYZ"[i % 23] + "23456789"[i / 23])
            .Where(t => !codes.Contains(t)).Take(30).ToList();
        foreach (var typo in typos)
        {
            var response = await wifi.GetAsync($"/e/{typo}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await wifi.GetAsync($"/api/evaluations/form?code={own}")).StatusCode); // their own prefix
        var others = codes.Skip(1).Where(c => !c.StartsWith(own[..4], StringComparison.Ordinal)).ToList();
        foreach (var code in others)
        {
            await (await wifi.GetAsync($"/api/evaluations/form?code={code}")).Expect(HttpStatusCode.OK);
            await (await EvaluationGiven.SubmitAsync(wifi, code, new { relevance = 4 })).Expect(HttpStatusCode.Created);
        }

        Assert.True(others.Count >= 38);
        Assert.Equal(others.Count, EvaluationGiven.Count(_app, "evaluation_responses"));
    }

    [Fact]
    public async Task FailedCodesOfManyPrefixesFromOneAddressLockEveryLookUpOfThatAddressAtTheAddressCeiling()
    {
        using var app = new JointEffortsApp(
            settings: new Dictionary<string, string?>
            {
                ["JointEfforts:RateLimits:FailedCodesPerHour"] = "30",
                ["JointEfforts:RateLimits:FailedCodesPerAddressPerHour"] = "40",
            },
            configure: TestHost.WithPeerAddress);
        using var coordinator = await app.CreateClientAsync(Role.Coordinator);
        var reaction = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(app, coordinator, reaction);
        var valid = (await EvaluationGiven.CodesAsync(coordinator, course.Id))[0];
        using var guesser = app.CreateAnonymousClient();

        for (var i = 0; i < 40; i++)
        {
            // Each guess of another prefix, and malformed ones: only the address's ceiling counts them all.
            var guess = i % 4 == 3 ? $"NOT-A-CODE-{i}" : Guess(i).Replace("GUES", $"G{"ABCDEFGHJKMNPQRSTUVWXYZ"[i % 23]}{"ABCDEFGHJKMNPQRSTUVWXYZ"[i / 23]}S");
            var response = await guesser.GetAsync($"/api/evaluations/form?code={guess}");
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"guess {i + 1}: {(int)response.StatusCode}");
        }

        var validAfter = await guesser.GetAsync($"/api/evaluations/form?code={valid}");
        var submitAfter = await EvaluationGiven.SubmitAsync(guesser, valid, new { relevance = 4 });

        await validAfter.ExpectProblem(HttpStatusCode.TooManyRequests); // a guesser who hits a valid code cannot tell
        await submitAfter.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal(0, EvaluationGiven.Count(app, "evaluation_responses"));

        // Another address is not blocked.
        using var other = app.CreateAnonymousClient();
        other.DefaultRequestHeaders.Add(TestHost.PeerHeader, "198.51.100.77");
        await (await other.GetAsync($"/api/evaluations/form?code={valid}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RotatingXForwardedForFromAPeerThatIsNoKnownProxyDoesNotHelp()
    {
        using var guesser = _app.CreateAnonymousClient();

        for (var i = 0; i < 30; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/evaluations/form?code={Guess(i)}");
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            await (await guesser.SendAsync(request)).ExpectProblem(HttpStatusCode.NotFound);
        }

        using var last = new HttpRequestMessage(HttpMethod.Get, $"/api/evaluations/form?code={Guess(31)}");
        last.Headers.Add("X-Forwarded-For", "203.0.113.200");
        await (await guesser.SendAsync(last)).ExpectProblem(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task BehindAKnownProxyTheForwardedAddressIsTheClient()
    {
        using var app = new JointEffortsApp(
            settings: new Dictionary<string, string?>
            {
                ["JointEfforts:RateLimits:FailedCodesPerHour"] = "2",
                [ClientAddress.KnownProxiesSetting] = "10.0.0.5, 10.0.0.6",
            },
            configure: TestHost.WithPeerAddress);
        using var proxy = app.CreateAnonymousClient();
        proxy.DefaultRequestHeaders.Add(TestHost.PeerHeader, "10.0.0.5");

        async Task<HttpStatusCode> Guess(string client, int i)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/evaluations/form?code={RateLimitTests.Guess(i)}");
            request.Headers.Add("X-Forwarded-For", client);
            return (await proxy.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.NotFound, await Guess("203.0.113.1", 1));
        Assert.Equal(HttpStatusCode.NotFound, await Guess("203.0.113.1", 2));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Guess("203.0.113.1", 3));
        Assert.Equal(HttpStatusCode.NotFound, await Guess("203.0.113.2", 4)); // another client behind the same proxy
    }

    [Fact]
    public async Task ATokenIsCountedHoweverItsHeaderIsSpelled()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:RateLimits:PerTokenPerMinute"] = "3" });
        var (_, token) = await app.CreateUserAsync(Role.SteeringGroup);
        using var client = app.CreateClient();

        async Task<HttpResponseMessage> Get(string header)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/projects");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            return await client.SendAsync(request);
        }

        await (await Get($"Bearer {token}")).Expect(HttpStatusCode.OK);
        await (await Get($"bearer {token}")).Expect(HttpStatusCode.OK);
        await (await Get($"BEARER   {token} ")).Expect(HttpStatusCode.OK);
        var fourth = await Get($"bearer {token}");

        await fourth.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(fourth.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(RateLimiting.TokenPartition($"Bearer {token}"), RateLimiting.TokenPartition($"bearer  {token}"));
        Assert.DoesNotContain(token, RateLimiting.TokenPartition($"Bearer {token}"), StringComparison.Ordinal);
    }

    /// <summary>A well-formed code that was never issued (issued codes are random; these all end in 22).</summary>
    private static string Guess(int i)
    {
        const string alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ";
        return $"GUES-S{alphabet[i % alphabet.Length]}{alphabet[(i / alphabet.Length) % alphabet.Length]}X-YZ22";
    }

    public void Dispose() => _app.Dispose();
}
