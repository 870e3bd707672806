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

/// <summary>The document as a whole: tags, security, the problem schemas and what is reachable.</summary>
public static partial class OpenApi
{
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
