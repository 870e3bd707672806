using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace JointEfforts.Api.Infrastructure;

/// <summary><c>JointEfforts:RateLimits</c>: settings, so an operator or a benchmark changes them without a rebuild.</summary>
public sealed class RateLimitSettings
{
    public const string Section = "JointEfforts:RateLimits";

    public int PerTokenPerMinute { get; set; } = 6000;

    public int AnonymousPerMinute { get; set; } = 60;
}

public static class RateLimiting
{
    /// <summary>The policy of the anonymous evaluation routes: per client IP, against code guessing.</summary>
    public const string Anonymous = "anonymous";

    public static IServiceCollection AddJointEffortsRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RateLimitSettings>(configuration.GetSection(RateLimitSettings.Section));
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var authorization = context.Request.Headers.Authorization.ToString();
                if (authorization.Length == 0)
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                var limit = Settings(context).PerTokenPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter("token:" + authorization, _ => PerMinute(limit));
            });
            options.AddPolicy(Anonymous, context =>
            {
                var limit = Settings(context).AnonymousPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter("ip:" + context.Connection.RemoteIpAddress, _ => PerMinute(limit));
            });
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var problems = rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = "The rate limit was reached; retry after the number of seconds in Retry-After.",
                    },
                });
            };
        });
        return services;
    }

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
