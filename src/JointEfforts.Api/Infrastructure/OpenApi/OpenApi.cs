using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// The OpenAPI document, made to tell the truth about every route without per-handler annotations: what the
/// conventions of <c>API.md</c> add to each route (paging names, <c>Idempotency-Key</c>, <c>If-Match</c>,
/// <c>ETag</c>, <c>Location</c>, the statuses the pipeline can answer) is derived here from the route itself,
/// so a new route gets the same description. Examples come from <see cref="OpenApiExamples"/>.
/// </summary>
public static partial class OpenApi
{
    public const string DocumentPath = "/openapi/v1.json";

    private const string ProblemJson = "application/problem+json";
    private const string Problem = "ProblemDetails";
    private const string ValidationProblem = "HttpValidationProblemDetails";
    private const string ImportProblem = "ImportProblemDetails";
    private const string SometimesOmitted = "jointefforts:omitted-when-default:";

    public static IServiceCollection AddJointEffortsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer(DescribeSchema);
            options.AddOperationTransformer(DescribeOperation);
            options.AddDocumentTransformer(DescribeDocument);
        });

    /// <summary>The error answers every authenticated route can give, said once per route group.</summary>
    public static RouteGroupBuilder WithStandardProblems(this RouteGroupBuilder group) =>
        group.ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
