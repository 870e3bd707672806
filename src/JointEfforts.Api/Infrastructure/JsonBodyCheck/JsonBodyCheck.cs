using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// Checks a JSON body against the route's request type before the framework binds it, using the
/// serializer's own contract (<see cref="JsonTypeInfo"/>), so that every fault of a body is reported at
/// once, each under the field's name as the client sent it:
/// a property the type does not have, a key given twice, a value of the wrong JSON type (an object
/// where a list belongs, text where a number belongs), a date that is not <c>YYYY-MM-DD</c> or lies
/// outside 1900-01-01..2100-12-31, an enum value that is not one of its names (the names are listed),
/// <c>null</c> inside a list, a control character in a text, a required field that is missing, and on
/// <c>PUT</c> any field that is missing (a PUT replaces the whole object).
/// What passes is made canonical (enum names in camelCase, country codes in capitals, language codes
/// in lower case) and handed on; binding and <c>AddValidation()</c> then see only well-formed values.
/// </summary>
/// <remarks>
/// Why it still does what the framework also does (issue 22 asked to leave those to the framework; each was
/// weighed, and each would change the answers the contract tests hold, so each stays):
/// <list type="bullet">
/// <item><c>[Required]</c>: <c>AddValidation()</c> says "title is required." too, but only for a body that binds.
/// When the walk found any other fault the body does not bind, and the second pass (<see cref="AddRuleErrors"/>)
/// validates the top level only (<c>Validator</c> is not recursive): a missing <c>questions[0].key</c> beside a
/// type error elsewhere would go unreported, and every fault at once is the point of this check.</item>
/// <item>Enums: <c>JsonStringEnumConverter</c> reads any letter case by itself, but an unknown name is its
/// <c>JsonException</c>, one "body" error without the list of names. The canonical spelling stays too: the
/// idempotency hash is taken over the body handed on, so a retry differing only in letter case replays.</item>
/// <item>Dates, numbers, booleans: the converters stop at the first fault, with a message that names no field.</item>
/// <item><c>RespectNullableAnnotations</c> is not set: request members are nullable so that "missing" is seen, and
/// the option would turn a null in a non-nullable list into a converter exception (first fault only, no field).</item>
/// </list>
/// What only the framework does stays the framework's: the DataAnnotations (lengths, ranges, cross-field rules)
/// through <c>AddValidation()</c>, and binding itself; <c>UnmappedMemberHandling.Disallow</c> and
/// <c>AllowDuplicateProperties = false</c> are the fence behind the walk's unknown and repeated keys.
/// </remarks>
public sealed partial class JsonBodyCheck(RequestDelegate next, IOptions<JsonOptions> jsonOptions)
{
    public static readonly DateOnly MinDate = new(1900, 1, 1);
    public static readonly DateOnly MaxDate = new(2100, 12, 31);

    public const string DateMessage = "must be a date written YYYY-MM-DD (e.g. 2026-03-15)";

    private readonly JsonSerializerOptions _options = jsonOptions.Value.SerializerOptions;

    public async Task InvokeAsync(HttpContext context)
    {
        CanonicalQuery(context.Request);
        var requestType = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (requestType is null || !IsJson(context.Request.ContentType))
        {
            await next(context);
            return;
        }

        context.Request.EnableBuffering();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        context.Request.Body.Position = 0;
        if (buffer.Length == 0)
        {
            await next(context);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            await next(context); // not JSON at all: the framework's binder says so
            return;
        }

        using (document)
        {
            var walk = new Walk(_options, context.Request.Method == HttpMethods.Put);
            var canonical = walk.Value(document.RootElement, requestType, string.Empty, member: null);
            if (walk.Errors.Count > 0)
            {
                AddRuleErrors(canonical, requestType, walk.Errors);
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new HttpValidationProblemDetails(walk.Errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "One or more validation errors occurred.",
                        Detail = "The request has invalid fields: see errors.",
                    },
                });
                return;
            }

            if (walk.Changed)
            {
                var bytes = JsonSerializer.SerializeToUtf8Bytes(canonical);
                context.Request.Body = new MemoryStream(bytes);
                context.Request.ContentLength = bytes.Length;
            }
        }

        await next(context);
    }

    /// <summary>
    /// So that one fault does not hide the others: the body with its faulty values set to null is bound
    /// and its DataAnnotations (ranges, lengths, e-mail, cross-field rules) are checked too; their errors
    /// join the list for the fields not already named.
    /// </summary>
    private void AddRuleErrors(JsonNode? canonical, Type requestType, Dictionary<string, List<string>> errors)
    {
        if (canonical is not JsonObject)
        {
            return;
        }

        object? request;
        try
        {
            request = canonical.Deserialize(requestType, _options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            return; // the structural errors stand on their own
        }

        if (request is null)
        {
            return;
        }

        var results = new List<ValidationResult>();
        try
        {
            Validator.TryValidateObject(request, new ValidationContext(request), results, validateAllProperties: true);
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or ArgumentException)
        {
            // A cross-field rule that assumes valid properties met the nulls left in place of faulty values.
        }

        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(string.Empty))
            {
                var field = Problems.JsonFieldName(member);
                if (field.Length == 0 || errors.Keys.Any(k => k.Equals(field, StringComparison.OrdinalIgnoreCase)
                    || k.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase) || k.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                errors[field] = [Problems.JsonFieldMessage(field, result.ErrorMessage ?? "is not valid.")];
            }
        }
    }

    /// <summary>Query filters are named after the fields: <c>?countryCode=nl</c> is <c>NL</c>, <c>?lang=DE</c> is <c>de</c>.</summary>
    private static void CanonicalQuery(HttpRequest request)
    {
        if (!request.QueryString.HasValue)
        {
            return;
        }

        var changed = false;
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in request.Query)
        {
            foreach (var value in values)
            {
                var canonical = key.Equals("countryCode", StringComparison.OrdinalIgnoreCase) ? value?.ToUpperInvariant()
                    : key.Equals("lang", StringComparison.OrdinalIgnoreCase) || key.Equals("language", StringComparison.OrdinalIgnoreCase)
                        ? value?.ToLowerInvariant()
                        : value;
                changed |= !string.Equals(canonical, value, StringComparison.Ordinal);
                pairs.Add(new(key, canonical));
            }
        }

        if (changed)
        {
            request.QueryString = QueryString.Create(pairs);
            request.Query = new QueryCollection(pairs.GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => new Microsoft.Extensions.Primitives.StringValues(g.Select(p => p.Value).ToArray()), StringComparer.OrdinalIgnoreCase));
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);
}
