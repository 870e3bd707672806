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
public static class OpenApi
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

    private static Task DescribeSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        NumbersAreNumbers(schema);

        // Enums are camelCase strings on the wire (Json.EnumConverter refuses integers).
        if (schema.Enum is { Count: > 0 } && schema.Type is null)
        {
            schema.Type = JsonSchemaType.String;
        }

        if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 } properties)
        {
            // Required on input is what validation requires ([Required], C# required), not every constructor parameter.
            // Response types are made all-required in DescribeDocument: every property is always written.
            var required = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in context.JsonTypeInfo.Properties)
            {
                if (!properties.TryGetValue(property.Name, out var propertySchema))
                {
                    continue;
                }

                var attributes = property.AttributeProvider?.GetCustomAttributes(inherit: true) ?? [];
                if (property.IsRequired || attributes.OfType<RequiredAttribute>().Any())
                {
                    required.Add(property.Name);
                    NotNull(propertySchema);
                }

                // [JsonIgnore(Condition = WhenWritingNull)] and the like: not always written, so not required in answers.
                if (attributes.OfType<System.Text.Json.Serialization.JsonIgnoreAttribute>().Any(a => a.Condition != System.Text.Json.Serialization.JsonIgnoreCondition.Never))
                {
                    schema.Metadata ??= new Dictionary<string, object>();
                    schema.Metadata[SometimesOmitted + property.Name] = true;
                }

                // A computed property (no setter, no constructor parameter) is written but never read.
                if (property.Set is null && property.AssociatedParameter is null && propertySchema is OpenApiSchema computed)
                {
                    computed.ReadOnly = true;
                }
            }

            schema.Required = required;
        }

        return Task.CompletedTask;
    }

    /// <summary>A required property refuses null: <c>DateOnly?</c> is nullable only so that "missing" can be seen.</summary>
    private static void NotNull(IOpenApiSchema schema)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }

        if (concrete.Type is { } type && type.HasFlag(JsonSchemaType.Null) && type != JsonSchemaType.Null)
        {
            concrete.Type = type & ~JsonSchemaType.Null;
        }

        if (concrete.OneOf is { Count: > 1 } alternatives
            && alternatives.Where(a => a is OpenApiSchema { Type: JsonSchemaType.Null }).ToList() is { Count: > 0 } nulls)
        {
            foreach (var alternative in nulls)
            {
                alternatives.Remove(alternative);
            }
        }
    }

    /// <summary>Numbers are JSON numbers: the generator also allows numeric strings, which strict binding refuses.</summary>
    private static void NumbersAreNumbers(OpenApiSchema schema)
    {
        if (schema.Type is { } type
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
    }

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

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "JointEfforts API",
            Version = "v1",
            Description = """
                Training events and evaluation for counter-trafficking programmes: programmes and their five phases,
                meetings, pilot courses with capacity-safe enrolment, attendance, anonymous evaluation and the
                steering group's dashboards and workbooks. Click **Authorize** and paste a token (the demo tokens
                are printed at start-up and listed in the README). Errors are RFC 9457 problem details; lists take
                `page` and `pageSize` (≤ 200). A JSON property a route does not take is a 400. `POST` takes an optional
                `Idempotency-Key`; `PUT` and `DELETE` an optional `If-Match` with the `ETag` you read. Every request body
                has an example from the demo programme (Joint Efforts, 2011-2014) that succeeds on the demo data.
                """,
        };
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? string.Empty, $"Routes about {tag.Name?.ToLowerInvariant()}.");
        }

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

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var schemas = document.Components.Schemas;
        DescribeProblems(schemas, document);

        var operations = (document.Paths ?? [])
            .SelectMany(path => (path.Value.Operations ?? []).Select(op => (Path: path.Key, Method: op.Key, Operation: op.Value)))
            .ToList();

        var inputs = Reachable(schemas, operations.SelectMany(o => o.Operation.RequestBody?.Content?.Values ?? []).Select(m => m.Schema));
        var outputs = Reachable(schemas, operations
            .SelectMany(o => o.Operation.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>())
            .SelectMany(r => r.Content?.Values ?? [])
            .Select(m => m.Schema));
        foreach (var (name, schema) in schemas)
        {
            if (schema is not OpenApiSchema { Properties.Count: > 0 } concrete || name.EndsWith(Problem, StringComparison.Ordinal))
            {
                continue;
            }

            if (outputs.Contains(name) && !inputs.Contains(name))
            {
                // Every property of an answer is written, null included (JsonIgnoreCondition.Never), unless it says otherwise.
                concrete.Required = new HashSet<string>(
                    concrete.Properties.Keys.Where(p => concrete.Metadata?.ContainsKey(SometimesOmitted + p) != true), StringComparer.Ordinal);
            }
            else if (inputs.Contains(name) && !outputs.Contains(name))
            {
                foreach (var required in concrete.Required ?? new HashSet<string>())
                {
                    if (concrete.Properties.TryGetValue(required, out var property) && property is OpenApiSchema { OneOf.Count: > 1 } nullable)
                    {
                        // A required enum is never null: { oneOf: [null, $ref] } becomes the reference alone.
                        var alternatives = nullable.OneOf.Where(a => a is not OpenApiSchema { Type: JsonSchemaType.Null }).ToList();
                        if (alternatives.Count == 1)
                        {
                            concrete.Properties[required] = alternatives[0];
                        }
                    }
                }

                foreach (var computed in concrete.Properties.Where(p => p.Value.ReadOnly).Select(p => p.Key).ToList())
                {
                    concrete.Properties.Remove(computed);
                }
            }
        }

        foreach (var (path, _, operation) in operations)
        {
            OpenApiExamples.Apply(path, operation);
            if (operation.OperationId == "ImportParticipants" && operation.Responses?.GetValueOrDefault("400") is OpenApiResponse badImport)
            {
                badImport.Description = "The file cannot be read (errors.file), or the list has errors: then errors is [{ row, column, message }] and nothing was imported.";
                badImport.Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemJson] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            AnyOf = [new OpenApiSchemaReference(ValidationProblem, document), new OpenApiSchemaReference(ImportProblem, document)],
                        },
                    },
                };
            }
        }

        return Task.CompletedTask;
    }

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Health"] = "Is the API up and its database answering (anonymous).",
        ["Users and tokens"] = "Users, their roles and API tokens (admin).",
        ["Programmes"] = "Programmes, their five phases and milestones.",
        ["Meetings"] = "Expert group meetings, conferences and steering group meetings: attendees, conclusions, recommendations.",
        ["Courses"] = "Pilot courses: sessions, enrolment within capacity, attendance.",
        ["Participants"] = "People trained, and the import of participant lists.",
        ["Evaluation forms"] = "Reaction forms and knowledge tests, in every course language.",
        ["Evaluation (participants, anonymous)"] = "What a participant does with the code on their slip: no token, no name.",
        ["Evaluation (courses)"] = "Evaluation codes, paper forms and summaries of a course.",
        ["Evaluation reports"] = "The country expert's report on a course and the steering group's acceptance.",
        ["Reports"] = "Dashboards and workbooks for the steering group.",
        ["Audit"] = "Who changed what, when (admin).",
    };

    /// <summary>RFC 9457 problems as this API writes them: type, title, status always; detail, errors and extensions often.</summary>
    private static void DescribeProblems(IDictionary<string, IOpenApiSchema> schemas, OpenApiDocument document)
    {
        static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
        Dictionary<string, IOpenApiSchema> Common() => new()
        {
            ["type"] = Text("A URI naming the kind of problem."),
            ["title"] = Text("A short summary of the kind of problem."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
            ["detail"] = Text("What went wrong with this request, and how to put it right."),
            ["instance"] = Text("The request's path."),
            ["traceId"] = Text("Quote this when reporting a problem."),
        };

        schemas[Problem] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem (application/problem+json).",
            Required = new HashSet<string> { "type", "title", "status" },
            Properties = Common(),
        };
        var validation = Common();
        validation["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Each invalid field (camelCase, as sent) with its messages.",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        };
        schemas[ValidationProblem] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem for bad input; errors names every invalid field.",
            Required = new HashSet<string> { "type", "title", "status" },
            Properties = validation,
        };

        var import = Common();
        foreach (var count in new[] { "rows", "created", "matched", "enrolled", "waitlisted" })
        {
            import[count] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" };
        }

        import["dryRun"] = new OpenApiSchema { Type = JsonSchemaType.Boolean };
        import["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Items = schemas.ContainsKey("ImportError") ? new OpenApiSchemaReference("ImportError", document) : new OpenApiSchema { Type = JsonSchemaType.Object },
        };
        schemas[ImportProblem] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A participant list with errors: nothing was imported; errors lists each { row, column, message } (the header is row 1).",
            Required = new HashSet<string> { "type", "title", "status", "dryRun", "rows", "errors" },
            Properties = import,
        };
    }

    /// <summary>The component schemas reachable from the given schemas.</summary>
    private static HashSet<string> Reachable(IDictionary<string, IOpenApiSchema> components, IEnumerable<IOpenApiSchema?> roots)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<IOpenApiSchema>(roots.OfType<IOpenApiSchema>());
        while (stack.Count > 0)
        {
            var schema = stack.Pop();
            if (schema is OpenApiSchemaReference reference)
            {
                var id = reference.Reference.Id;
                if (id is null || !seen.Add(id) || !components.TryGetValue(id, out var target))
                {
                    continue;
                }

                schema = target;
            }

            foreach (var child in Children(schema))
            {
                stack.Push(child);
            }
        }

        return seen;
    }

    private static IEnumerable<IOpenApiSchema> Children(IOpenApiSchema schema) =>
        (schema.Properties?.Values ?? [])
            .Concat(schema.OneOf ?? [])
            .Concat(schema.AnyOf ?? [])
            .Concat(schema.AllOf ?? [])
            .Concat(new[] { schema.Items, schema.AdditionalProperties }.OfType<IOpenApiSchema>());
}
