using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.Features;

namespace JointEfforts.Api.Infrastructure;

/// <summary>Request size limits and response headers that hold for every route.</summary>
public static class HttpPipeline
{
    /// <summary>JSON bodies: 1 MB is far more than any form or course needs.</summary>
    public const long MaxJsonBodyBytes = 1024 * 1024;

    /// <summary>Participant imports (.xlsx / .csv).</summary>
    public const long MaxImportBodyBytes = 10 * 1024 * 1024;

    /// <summary>Marks a route as taking a larger body than <see cref="MaxJsonBodyBytes"/>.</summary>
    public sealed record LargeBody(long MaxBytes);

    public static TBuilder AllowLargeBody<TBuilder>(this TBuilder builder, long maxBytes = MaxImportBodyBytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new LargeBody(maxBytes));

    /// <summary>
    /// What a browser may do with what this server sends, outside <c>/api</c> (the participant pages, the dashboard, Swagger
    /// UI, their static files): scripts, styles, images and requests from this origin only, no inline script, no plugin, no
    /// framing by another site. Chart.js sizes its canvas and Swagger UI styles its elements through the CSSOM, which this
    /// allows.
    /// </summary>
    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /// <summary>Under <c>/api</c> (JSON, PDFs, workbooks): only that no other site may frame an answer.</summary>
    public const string ApiPolicy = "frame-ancestors 'none'";

    /// <summary>
    /// <see cref="PagePolicy"/>, <c>X-Content-Type-Options: nosniff</c> and <c>X-Frame-Options: DENY</c> on every response,
    /// set by a startup filter so that they come before every middleware of the app, Swagger UI's included (which answers
    /// before routing, and so before <see cref="UseRequestLimitsAndHeaders"/>).
    /// </summary>
    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services) =>
        services.AddSingleton<IStartupFilter, SecurityHeaders>();

    private sealed class SecurityHeaders : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate inner) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/api") ? ApiPolicy : PagePolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                await inner(context);
            });
            next(app);
        };
    }

    public static IApplicationBuilder UseRequestLimitsAndHeaders(this IApplicationBuilder app) =>
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                // Personal data of people in a sensitive field: no shared cache may keep it.
                headers.CacheControl = "no-store";
                headers.XFrameOptions = "DENY";
            }

            var limit = context.GetEndpoint()?.Metadata.GetMetadata<LargeBody>()?.MaxBytes ?? MaxJsonBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                await RefuseAsync(context, new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Request body too large",
                    Detail = $"This route accepts bodies of at most {limit:N0} bytes.",
                });
                return;
            }

            // No text here may hold a NUL character, and PostgreSQL refuses one outright (a 500 if it got that far, found
            // by FuzzTests on PostgreSQL): a query parameter holding one is refused here, by name, on every route and page.
            if (context.Request.QueryString.Value is { } query && query.Contains("%00", StringComparison.Ordinal))
            {
                var name = context.Request.Query.FirstOrDefault(p => p.Key.Contains('\0') || p.Value.Any(v => v?.Contains('\0') == true)).Key;
                if (name is not null)
                {
                    await RefuseAsync(context, new ProblemDetails
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "One or more validation errors occurred.",
                        Detail = $"The query parameter '{name}' holds a NUL character (%00), which no text may hold.",
                        Extensions = { ["errors"] = new Dictionary<string, string[]> { [name] = ["must not hold a NUL character (%00)."] } },
                    });
                    return;
                }
            }

            // A body without Content-Length (chunked) is cut off by the server at the same limit.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }

            await next(context);
        });

    /// <summary>Answers the request with <paramref name="problem"/> (RFC 9457) before any handler runs.</summary>
    private static async Task RefuseAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status!.Value;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        });
    }
}
