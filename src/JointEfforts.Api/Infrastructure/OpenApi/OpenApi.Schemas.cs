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

/// <summary>Schemas: what the generator leaves out or gets wrong about a type (required, nullability, numbers).</summary>
public static partial class OpenApi
{
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
}
