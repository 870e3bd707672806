using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.HttpOverrides;

namespace JointEfforts.Api.Infrastructure;

/// <summary>The cross-cutting pieces, registered and ordered in one place.</summary>
public static class Setup
{
    public static WebApplicationBuilder AddInfrastructure(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The per-route limit (1 MB JSON, 10 MB imports) is set in HttpPipeline; this is the ceiling.
            kestrel.Limits.MaxRequestBodySize = HttpPipeline.MaxImportBodyBytes;
        });

        var services = builder.Services;
        services.AddCodeRedactingLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddDatabase();
        services.AddSingleton<MigrationRunner>();
        services.AddJsonConventions();
        services.AddValidation();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.UseJsonFieldNames);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Binding failures throw, so ProblemExceptionHandler can name the field at fault.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        services.AddSingleton<TokenCache>();
        services.AddAuthentication(BearerTokens.Scheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokens.Scheme, configureOptions: null);
        services.AddJointEffortsAuthorization();
        services.AddJointEffortsRateLimiting(builder.Configuration);
        services.AddJointEffortsOpenApi();
        services.AddHostedService<IdempotencyKeyCleanup>();
        services.AddReadCache();
        return builder;
    }

    public static WebApplication UseInfrastructure(this WebApplication app)
    {
        // Behind a TLS-terminating proxy, the client's address (per-IP rate limits) and scheme come from
        // X-Forwarded-*, believed only when the socket peer is one of JointEfforts:KnownProxies (none by default:
        // the framework's default of trusting loopback would let any local process pick its address).
        var forwarded = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
        };
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in ClientAddress.KnownProxies(app.Configuration))
        {
            forwarded.KnownProxies.Add(proxy);
        }

        if (forwarded.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders(forwarded);
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Only requests under /swagger pass through Swagger UI's middleware (it tests every path it sees).
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"), swagger => swagger.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint(OpenApi.DocumentPath, "JointEfforts API v1");
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "JointEfforts API";
            // No persistAuthorization: Swagger UI would keep the pasted token in localStorage, readable by any script of the origin.
        }));
        app.UseRouting();
        app.UseRequestLimitsAndHeaders();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<ReadCacheMiddleware>();
        app.UseMiddleware<JsonBodyCheck>();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapOpenApi(OpenApi.DocumentPath).AllowAnonymous();
        return app;
    }
}
