using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace JointEfforts.Api.Infrastructure;

/// <summary><c>JointEfforts:RateLimits</c>: settings, so an operator or a benchmark changes them without a rebuild.</summary>
public sealed class RateLimitSettings
{
    public const string Section = "JointEfforts:RateLimits";

    /// <summary>Per authenticated token (keyed on the token itself, not on how the header is spelled).</summary>
    public int PerTokenPerMinute { get; set; } = 6000;

    /// <summary>Per client IP on the anonymous evaluation routes: a classroom of 40 on one Wi-Fi answers three forms at once.</summary>
    public int AnonymousPerMinute { get; set; } = 600;

    /// <summary>
    /// Per client IP and slip prefix (a code's first four characters; malformed codes form one prefix of their own): unknown,
    /// malformed and used codes, which is what guessing and probing produce (see <see cref="FailedCodeLimiter"/>).
    /// </summary>
    public int FailedCodesPerHour { get; set; } = 30;

    /// <summary>Per client IP, whatever the prefix: the ceiling of guessing from one address (see <see cref="FailedCodeLimiter"/>).</summary>
    public int FailedCodesPerAddressPerHour { get; set; } = 300;
}

public static class RateLimiting
{
    /// <summary>The policy of the anonymous evaluation routes: per client IP.</summary>
    public const string Anonymous = "anonymous";

    public static IServiceCollection AddJointEffortsRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RateLimitSettings>(configuration.GetSection(RateLimitSettings.Section));
        services.AddSingleton<FailedCodeLimiter>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (TokenPartition(context) is not { } partition)
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                var limit = Settings(context).PerTokenPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => PerMinute(limit));
            });
            options.AddPolicy(Anonymous, context =>
            {
                var limit = Settings(context).AnonymousPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter("ip:" + ClientAddress.Of(context), _ => PerMinute(limit));
            });
            options.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                await WriteTooManyRequestsAsync(rejected.HttpContext, retryAfter,
                    "The rate limit was reached; retry after the number of seconds in Retry-After.");
            };
        });
        return services;
    }

    /// <summary>
    /// The partition of an Authorization header: a hash of the token as the authentication handler reads it
    /// (scheme in any letter case, surrounding spaces ignored), so <c>bearer T</c> and <c>Bearer  T</c> count as
    /// <c>Bearer T</c>. A header that is no bearer token at all is counted by its hash: it earns a 401 either way.
    /// </summary>
    public static string? TokenPartition(string authorization)
    {
        var header = authorization.Trim();
        if (header.Length == 0)
        {
            return null;
        }

        return header.Length > 7 && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? "token:" + BearerTokens.Hash(header[7..].Trim())
            : "header:" + BearerTokens.Hash(header);
    }

    /// <summary>
    /// <see cref="TokenPartition(string)"/> of the request, keeping the token's hash for the authentication handler
    /// (<see cref="BearerTokens.HashOf"/>), which runs next and would otherwise compute it again.
    /// </summary>
    private static string? TokenPartition(HttpContext context)
    {
        var partition = TokenPartition(context.Request.Headers.Authorization.ToString());
        if (partition is not null && partition.StartsWith("token:", StringComparison.Ordinal))
        {
            context.Items[BearerTokens.HashItem] = partition["token:".Length..];
        }

        return partition;
    }

    /// <summary>A 429 problem with <c>Retry-After</c> in whole seconds (at least 1).</summary>
    public static async Task WriteTooManyRequestsAsync(HttpContext context, TimeSpan retryAfter, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = detail,
            },
        });
    }

    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static RateLimitSettings Settings(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value;

    private static FixedWindowRateLimiterOptions PerMinute(int limit) => new()
    {
        PermitLimit = Math.Max(1, limit),
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>
/// The client's address: the socket peer's, or, when that peer is one of <c>JointEfforts:KnownProxies</c>, the one it
/// forwarded in <c>X-Forwarded-For</c> (the forwarded-headers middleware in <see cref="Setup"/> does the replacing).
/// </summary>
public static class ClientAddress
{
    public const string KnownProxiesSetting = "JointEfforts:KnownProxies";

    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The configured proxies: a list (<c>KnownProxies:0</c>, <c>:1</c>...) or one comma-separated value; none by default.</summary>
    public static IReadOnlyList<System.Net.IPAddress> KnownProxies(IConfiguration configuration)
    {
        var section = configuration.GetSection(KnownProxiesSetting);
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value).OfType<string>();
        var proxies = new List<System.Net.IPAddress>();
        foreach (var value in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!System.Net.IPAddress.TryParse(value, out var address))
            {
                throw new InvalidOperationException($"{KnownProxiesSetting}: '{value}' is not an IP address.");
            }

            proxies.Add(address);
        }

        return proxies;
    }
}

/// <summary>
/// Failed code look-ups (unknown, malformed, or a used code answered again) in a sliding hour, counted twice: per client IP
/// and slip prefix (<c>JointEfforts:RateLimits:FailedCodesPerHour</c>, default 30; the prefix is the code's first four
/// characters, malformed codes share one), and per client IP alone (<c>FailedCodesPerAddressPerHour</c>, default 300).
/// A participant who mistypes their slip thirty times on the venue's Wi-Fi uses up the prefix of their own slip, which one
/// classmate in 923,521 shares: the rest of the classroom answers on. Once a prefix is used up, every look-up of a code
/// with that prefix from that address (a valid one too) is a 429, so a guesser who hits a valid code cannot tell it from the
/// others; once the address is, every look-up is. Guessing stays hopeless: 300 guesses an hour against 31^12 (about 2^59)
/// codes find one of ten thousand issued codes with a chance of about 3 in 100 million a year. Every route that takes a
/// code (the JSON form and submit, the participant pages) asks <see cref="TryEnter"/> before looking a code up and reports
/// each failure with <see cref="Failed"/>.
/// </summary>
public sealed class FailedCodeLimiter : IDisposable
{
    /// <summary>How many leading characters of a canonical code make its prefix.</summary>
    public const int PrefixLength = 4;

    private readonly PartitionedRateLimiter<string> _perPrefix;
    private readonly PartitionedRateLimiter<string> _perAddress;

    public FailedCodeLimiter(IOptions<RateLimitSettings> settings)
    {
        _perPrefix = PerHour(settings.Value.FailedCodesPerHour);
        // The address's ceiling is never below one prefix's limit (a test or a benchmark that lifts the one lifts the other).
        _perAddress = PerHour(Math.Max(settings.Value.FailedCodesPerAddressPerHour, settings.Value.FailedCodesPerHour));
    }

    /// <summary>
    /// False, with how long to wait, when this client has no failed look-ups left for <paramref name="code"/>'s prefix (the
    /// canonical code, or null for a malformed one) or at all.
    /// </summary>
    public bool TryEnter(string client, string? code, out TimeSpan retryAfter)
    {
        // Asking for no permit consumes nothing: it says whether one is left, and if not when one comes back.
        using var address = _perAddress.AttemptAcquire(client, 0);
        using var prefix = _perPrefix.AttemptAcquire(Bucket(client, code), 0);
        var refused = !address.IsAcquired ? address : !prefix.IsAcquired ? prefix : null;
        retryAfter = refused is null ? TimeSpan.Zero
            : refused.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(5);
        return refused is null;
    }

    /// <summary>Counts an unknown, malformed (<paramref name="code"/> null) or used code against this client.</summary>
    public void Failed(string client, string? code)
    {
        using var address = _perAddress.AttemptAcquire(client);
        using var prefix = _perPrefix.AttemptAcquire(Bucket(client, code));
    }

    public void Dispose()
    {
        _perPrefix.Dispose();
        _perAddress.Dispose();
    }

    private static string Bucket(string client, string? code) =>
        client + "|" + (code is { Length: >= PrefixLength } ? code[..PrefixLength] : "malformed");

    private static PartitionedRateLimiter<string> PerHour(int limit) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(
            key,
            _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, limit),
                Window = TimeSpan.FromHours(1),
                SegmentsPerWindow = 12,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
}
