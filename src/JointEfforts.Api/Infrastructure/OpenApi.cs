using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace JointEfforts.Api.Infrastructure;

public static class OpenApi
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddJointEffortsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "JointEfforts API",
                    Version = "v1",
                    Description = """
                        Training events and evaluation for counter-trafficking programmes: programmes and their five phases,
                        meetings, pilot courses with capacity-safe enrolment, attendance, anonymous evaluation and the
                        steering group's dashboards and workbooks. Click **Authorize** and paste a token (the demo tokens
                        are printed at start-up). Errors are RFC 9457 problem details; lists take `page` and `pageSize` (≤ 200).
                        """,
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerTokens.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    In = ParameterLocation.Header,
                    BearerFormat = "opaque token (je_...)",
                    Description = "An API token from POST /api/users/{id}/tokens, or a demo token printed at start-up.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(BearerTokens.Scheme, context.Document)] = [],
                    });
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>The error answers every authenticated route can give, said once per route group.</summary>
    public static RouteGroupBuilder WithStandardProblems(this RouteGroupBuilder group) =>
        group.ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
