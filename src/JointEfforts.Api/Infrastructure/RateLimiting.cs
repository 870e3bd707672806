using System.Globalization;
using Dapper;
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
/// <para>
/// The counts are kept in the database (<c>failed_code_counts</c>, sql/0072), so the limits hold across API instances
/// sharing it (issue 27): one row per bucket and 5-minute window, the hour being the last twelve windows. A bucket is a
/// SHA-256 hash of the address (and prefix): neither an address nor a code nor a prefix is stored; rows older than the hour
/// are deleted. A failure is written when the response starts, after the handler that found it (and its write
/// transaction, which the failure must not join: a refused answer rolls back), before the client sees the answer, so its
/// next request, through any instance, counts it.
/// </para>
/// </summary>
public sealed class FailedCodeLimiter(
    Database database, IOptions<RateLimitSettings> settings, TimeProvider time, IHttpContextAccessor http, ILogger<FailedCodeLimiter> logger)
{
    /// <summary>How many leading characters of a canonical code make its prefix.</summary>
    public const int PrefixLength = 4;

    /// <summary>The sliding window, in <see cref="Segment"/>s.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static readonly TimeSpan Segment = TimeSpan.FromMinutes(5);

    private const string PendingItem = "JointEfforts.FailedCodes";

    private readonly int _perPrefix = Math.Max(1, settings.Value.FailedCodesPerHour);

    // The address's ceiling is never below one prefix's limit (a test or a benchmark that lifts the one lifts the other).
    private readonly int _perAddress = Math.Max(1, Math.Max(settings.Value.FailedCodesPerAddressPerHour, settings.Value.FailedCodesPerHour));

    private long _nextCleanup;

    /// <summary>
    /// False, with how long to wait, when this client has no failed look-ups left for <paramref name="code"/>'s prefix (the
    /// canonical code, or null for a malformed one) or at all.
    /// </summary>
    public bool TryEnter(string client, string? code, out TimeSpan retryAfter)
    {
        var (address, prefix) = Buckets(client, code);
        var now = time.GetUtcNow().UtcDateTime;
        List<(string Bucket, long Failures, string Oldest)> counted;
        using (var db = database.Open())
        {
            counted = db.Query<(string Bucket, long Failures, string Oldest)>(
                """
                SELECT bucket, SUM(failures), MIN(window_start) FROM failed_code_counts
                WHERE bucket IN (@address, @prefix) AND window_start > @since
                GROUP BY bucket
                """,
                new { address, prefix, since = Database.Timestamp(SegmentOf(now) - Window) }).ToList();
        }

        var pending = http.HttpContext?.Items[PendingItem] as List<string>;
        foreach (var (bucket, limit) in new[] { (address, _perAddress), (prefix, _perPrefix) })
        {
            var row = counted.FirstOrDefault(c => c.Bucket == bucket);
            var failures = (row.Bucket is null ? 0 : row.Failures) + (pending?.Count(p => p == bucket) ?? 0);
            if (failures >= limit)
            {
                // Free again when the oldest counted window leaves the hour (at the latest an hour after this one's).
                var oldest = row.Oldest is { } text ? DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal) : SegmentOf(now);
                retryAfter = oldest + Window - now;
                return false;
            }
        }

        retryAfter = TimeSpan.Zero;
        return true;
    }

    /// <summary>Counts an unknown, malformed (<paramref name="code"/> null) or used code against this client.</summary>
    public void Failed(string client, string? code)
    {
        var (address, prefix) = Buckets(client, code);
        if (http.HttpContext is not { } context || context.Response.HasStarted)
        {
            Write([address, prefix]);
            return;
        }

        if (context.Items[PendingItem] is not List<string> pending)
        {
            pending = [];
            context.Items[PendingItem] = pending;
            context.Response.OnStarting(() =>
            {
                Write(pending);
                pending.Clear();
                return Task.CompletedTask;
            });
        }

        pending.Add(address);
        pending.Add(prefix);
    }

    private void Write(IReadOnlyCollection<string> buckets)
    {
        if (buckets.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var window = Database.Timestamp(SegmentOf(now));
        var counts = buckets.GroupBy(b => b, StringComparer.Ordinal).Select((g, i) => (Index: i, Bucket: g.Key, Failures: g.Count())).ToList();
        var parameters = new DynamicParameters(new { window });
        foreach (var (index, bucket, failures) in counts)
        {
            parameters.Add($"b{index}", bucket);
            parameters.Add($"n{index}", failures);
        }

        try
        {
            using var db = database.Open();
            // One statement: atomic on its own, on either engine, and it waits for no write queue.
            db.Execute(
                $"""
                INSERT INTO failed_code_counts (bucket, window_start, failures)
                VALUES {string.Join(", ", counts.Select(c => $"(@b{c.Index}, @window, @n{c.Index})"))}
                ON CONFLICT (bucket, window_start) DO UPDATE SET failures = failed_code_counts.failures + excluded.failures
                """,
                parameters);
            var nowTicks = now.Ticks;
            if (nowTicks >= Interlocked.Read(ref _nextCleanup) && Interlocked.Exchange(ref _nextCleanup, nowTicks + Segment.Ticks) <= nowTicks)
            {
                db.Execute("DELETE FROM failed_code_counts WHERE window_start <= @before", new { before = Database.Timestamp(SegmentOf(now) - Window) });
            }
        }
        catch (System.Data.Common.DbException ex)
        {
            // Not counting one failure is better than a 500 to a participant; the log names no address and no code.
            logger.LogWarning(ex, "A failed code look-up could not be counted");
        }
    }

    /// <summary>The start of the 5-minute window of an instant.</summary>
    private static DateTime SegmentOf(DateTime utc) => new(utc.Ticks - (utc.Ticks % Segment.Ticks), DateTimeKind.Utc);

    private static (string Address, string Prefix) Buckets(string client, string? code) =>
        (Hash("address|" + client), Hash("prefix|" + client + "|" + (code is { Length: >= PrefixLength } ? code[..PrefixLength] : "malformed")));

    private static string Hash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
