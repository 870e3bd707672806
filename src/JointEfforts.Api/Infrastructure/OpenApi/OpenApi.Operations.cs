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

/// <summary>Operations: the answers, headers and parameters a route has by the conventions of API.md.</summary>
public static partial class OpenApi
{
    private static async Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod?.ToUpperInvariant() ?? "GET";
        var isApi = (description.RelativePath ?? string.Empty).StartsWith("api", StringComparison.Ordinal);
        var handler = metadata.OfType<MethodInfo>().FirstOrDefault();
        var document = context.Document!;

        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        operation.Security ??= [];
        operation.Security.Add(secured
            ? new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerTokens.Scheme, document)] = [] }
            : new OpenApiSecurityRequirement()); // {}: no token needed, said explicitly

        operation.Parameters ??= [];
        operation.Responses ??= [];
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            // Query binding ignores case; [AsParameters] records would otherwise show PascalCase (Page, PageSize).
            if (parameter.In == ParameterLocation.Query && parameter.Name is { Length: > 0 } name)
            {
                parameter.Name = Json.CamelCase(name);
            }

            if (parameter.Schema is OpenApiSchema schema)
            {
                NumbersAreNumbers(schema);
            }
        }

        // EnumQuery<T> filters take the enum's camelCase names (in any letter case).
        foreach (var query in description.ParameterDescriptions)
        {
            var type = Nullable.GetUnderlyingType(query.Type ?? typeof(object)) ?? query.Type;
            if (type is { IsGenericType: true } && type.GetGenericTypeDefinition() == typeof(EnumQuery<>)
                && operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(p => string.Equals(p.Name, query.Name, StringComparison.OrdinalIgnoreCase)) is { Schema: OpenApiSchema filter })
            {
                filter.Enum = Enum.GetNames(type.GetGenericArguments()[0]).Select(n => (JsonNode)JsonValue.Create(Json.CamelCase(n))).ToList();
            }
        }

        if (!isApi)
        {
            return;
        }

        var hasQuery = operation.Parameters.Any(p => p.In == ParameterLocation.Query);
        var hasPathId = operation.Parameters.Any(p => p.In == ParameterLocation.Path);
        var hasBody = operation.RequestBody?.Content is { Count: > 0 };
        var takesIfMatch = handler?.GetParameters().Any(p => p.ParameterType == typeof(IfMatch)) == true;

        if (method == "POST")
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyMiddleware.Header,
                In = ParameterLocation.Header,
                Description = "Optional, 1 to 200 characters. The same key with the same body replays the first answer (with "
                    + "`Idempotent-Replayed: true`) for 24 hours; with a different body it is a 422; while the first request runs, a 409.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 200 },
                Example = JsonValue.Create("9f0c6a52-3c1e-4d1a-8d8e-2a7b5c4e1f00"),
            });
            AddProblem(operation, document, StatusCodes.Status400BadRequest);
            AddProblem(operation, document, StatusCodes.Status409Conflict);
            AddProblem(operation, document, StatusCodes.Status422UnprocessableEntity);
        }

        if (takesIfMatch)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Description = "Optional: the ETag you read (`\"3\"`). If the resource changed since, the answer is 412 and nothing changes. `*` matches anything.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = JsonValue.Create("\"1\""),
            });
            AddProblem(operation, document, StatusCodes.Status412PreconditionFailed);
        }

        if (hasBody)
        {
            AddProblem(operation, document, StatusCodes.Status400BadRequest);
            AddProblem(operation, document, StatusCodes.Status413PayloadTooLarge);
            AddProblem(operation, document, StatusCodes.Status415UnsupportedMediaType);
        }

        if (hasQuery)
        {
            AddProblem(operation, document, StatusCodes.Status400BadRequest);
        }

        if (hasPathId)
        {
            AddProblem(operation, document, StatusCodes.Status404NotFound);
        }

        if (secured)
        {
            AddProblem(operation, document, StatusCodes.Status401Unauthorized);
            AddProblem(operation, document, StatusCodes.Status403Forbidden);
        }

        AddProblem(operation, document, StatusCodes.Status429TooManyRequests);

        await DescribeAlternativeBodies(operation, context, handler, cancellationToken);
        DescribeResponseHeaders(operation, description, secured);
    }

    /// <summary>A handler answering different bodies with one status (<c>Ok&lt;A&gt;</c> or <c>Ok&lt;B&gt;</c>) documents both.</summary>
    private static async Task DescribeAlternativeBodies(OpenApiOperation operation, OpenApiOperationTransformerContext context, MethodInfo? handler,
        CancellationToken cancellationToken)
    {
        if (handler is null)
        {
            return;
        }

        var byStatus = ResultTypes(handler.ReturnType)
            .Select(t => (Status: StatusOf(t), Body: t.IsGenericType ? t.GetGenericArguments()[0] : null))
            .Where(x => x.Status is not null && x.Body is not null)
            .GroupBy(x => x.Status!.Value, x => x.Body!);
        foreach (var group in byStatus)
        {
            var bodies = group.Distinct().ToList();
            if (bodies.Count < 2 || operation.Responses!.GetValueOrDefault(group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not OpenApiResponse response)
            {
                continue;
            }

            var alternatives = new List<IOpenApiSchema>();
            foreach (var body in bodies)
            {
                var schema = await context.GetOrCreateSchemaAsync(body, null, cancellationToken);
                alternatives.Add(context.Document!.AddOpenApiSchemaByReference(body.Name, schema));
            }

            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchema { AnyOf = alternatives } };
        }
    }

    private static IOpenApiSchema AddOpenApiSchemaByReference(this OpenApiDocument document, string name, IOpenApiSchema schema)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(name, schema);
        return new OpenApiSchemaReference(name, document);
    }

    private static IEnumerable<Type> ResultTypes(Type type)
    {
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            type = type.GetGenericArguments()[0];
        }

        return type.IsGenericType && type.GetGenericTypeDefinition().Name.StartsWith("Results`", StringComparison.Ordinal)
            ? type.GetGenericArguments()
            : [type];
    }

    private static int? StatusOf(Type result) =>
        !result.IsGenericType ? null
        : result.GetGenericTypeDefinition() == typeof(Ok<>) ? StatusCodes.Status200OK
        : result.GetGenericTypeDefinition() == typeof(Created<>) ? StatusCodes.Status201Created
        : result.GetGenericTypeDefinition() == typeof(Accepted<>) ? StatusCodes.Status202Accepted
        : null;

    /// <summary>
    /// <c>Location</c> on every 201 of a route that needs a token, <c>ETag</c> on a 2xx whose body is versioned,
    /// <c>Content-Disposition</c> on a file. What an
    /// anonymous route creates (an evaluation answer) has no address anyone may read, so it has no Location.
    /// </summary>
    private static void DescribeResponseHeaders(OpenApiOperation operation, Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description, bool secured)
    {
        foreach (var (status, response) in operation.Responses!)
        {
            if (response is not OpenApiResponse concrete || !status.StartsWith('2'))
            {
                continue;
            }

            if (status == "201" && secured)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers["Location"] = new OpenApiHeader
                {
                    Description = "The address of the created resource.",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
                };
            }

            // Workbooks and PDFs are downloads: they carry a file name that says what they are.
            if (concrete.Content?.Keys.Any(t => t.StartsWith("application/", StringComparison.Ordinal) && !t.Contains("json", StringComparison.Ordinal)) == true)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers["Content-Disposition"] = new OpenApiHeader
                {
                    Description = "attachment; filename=\"...\": the file name to save it under.",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }

            var versioned = description.SupportedResponseTypes.Any(r =>
                r.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) == status
                && r.Type is { } type && typeof(IVersioned).IsAssignableFrom(type));
            if (versioned)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers["ETag"] = new OpenApiHeader
                {
                    Description = "The version of this representation: send it back in If-Match to change or delete it safely.",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^\"[0-9]+\"$" },
                };
            }
        }
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument document, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = ReasonPhrases.GetReasonPhrase(status),
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(status == 400 ? ValidationProblem : Problem, document) },
            },
        };
    }
}
