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
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status413PayloadTooLarge,
                        Title = "Request body too large",
                        Detail = $"This route accepts bodies of at most {limit:N0} bytes.",
                    },
                });
                return;
            }

            // A body without Content-Length (chunked) is cut off by the server at the same limit.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }

            await next(context);
        });
}
