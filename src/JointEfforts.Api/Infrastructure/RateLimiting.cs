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

    /// <summary>Per client IP: unknown or malformed codes, which is what guessing produces (see <see cref="FailedCodeLimiter"/>).</summary>
    public int FailedCodesPerHour { get; set; } = 30;
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
/// Failed code look-ups (unknown or malformed codes) per client IP: <c>JointEfforts:RateLimits:FailedCodesPerHour</c>
/// (default 30) in a sliding hour. Guessing produces failures, a classroom does not. Once an address has used its
/// failures, all its code look-ups (a valid code too) answer 429 until failures slide out of the hour: a guesser who
/// hits a valid code cannot tell it from the others. Every route that takes a code (the JSON form and submit, the
/// participant pages) asks <see cref="TryEnter"/> before looking a code up and reports each failure with <see cref="Failed"/>.
/// </summary>
public sealed class FailedCodeLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public FailedCodeLimiter(IOptions<RateLimitSettings> settings)
    {
        var limit = Math.Max(1, settings.Value.FailedCodesPerHour);
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetSlidingWindowLimiter(
            address,
            _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = TimeSpan.FromHours(1),
                SegmentsPerWindow = 12,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>False, with how long to wait, when this client has no failed look-ups left.</summary>
    public bool TryEnter(string client, string? code, out TimeSpan retryAfter)
    {
        // Asking for no permit consumes nothing: it says whether one is left, and if not when one comes back.
        using var lease = _limiter.AttemptAcquire(client, 0);
        retryAfter = lease.IsAcquired ? TimeSpan.Zero
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(5);
        return lease.IsAcquired;
    }

    /// <summary>Counts an unknown or malformed code against this client.</summary>
    public void Failed(string client, string? code)
    {
        using var lease = _limiter.AttemptAcquire(client);
    }

    public void Dispose() => _limiter.Dispose();
}
