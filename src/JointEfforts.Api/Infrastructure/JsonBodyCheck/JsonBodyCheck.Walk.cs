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

/// <summary>The walk of one body against its type's JSON contract.</summary>
public sealed partial class JsonBodyCheck
{
    private sealed class Walk(JsonSerializerOptions options, bool isPut)
    {
        public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);

        public bool Changed { get; private set; }

        private void Fail(string path, string message)
        {
            var field = path.Length == 0 ? "body" : path;
            if (!Errors.TryGetValue(field, out var messages))
            {
                Errors[field] = messages = [];
            }

            messages.Add(message);
        }

        private static string Name(string path) => path.Length == 0 ? "The body" : path;

        public JsonNode? Value(JsonElement element, Type type, string path, ICustomAttributeProvider? member)
        {
            var underlying = Nullable.GetUnderlyingType(type) ?? type;
            if (underlying == typeof(JsonElement) || underlying == typeof(JsonNode) || underlying == typeof(object))
            {
                FreeForm(element, path);
                return JsonSerializer.SerializeToNode(element);
            }

            if (element.ValueKind == JsonValueKind.Null)
            {
                return null; // whether null may stand here is the caller's question
            }

            var info = options.GetTypeInfo(underlying);
            return info.Kind switch
            {
                JsonTypeInfoKind.Object => Object(element, info, path),
                JsonTypeInfoKind.Enumerable => List(element, info, path, member),
                JsonTypeInfoKind.Dictionary => Map(element, info, path),
                _ => Scalar(element, underlying, path, member),
            };
        }

        private JsonNode? Object(JsonElement element, JsonTypeInfo info, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                Fail(path, $"{Name(path)} must be a JSON object {{ ... }}, not {Describe(element)}.");
                return null;
            }

            var comparer = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
            var properties = info.Properties.Where(p => p.Set is not null || IsConstructorParameter(info, p))
                .ToDictionary(p => p.Name, comparer);
            var seen = new HashSet<string>(comparer);
            var result = new JsonObject();
            foreach (var property in element.EnumerateObject())
            {
                var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                if (!seen.Add(property.Name))
                {
                    Fail(at, $"'{property.Name}' is given more than once: send each field once.");
                    continue;
                }

                if (!properties.TryGetValue(property.Name, out var target))
                {
                    Fail(at, $"'{property.Name}' is not a field of this request. Its fields are: {string.Join(", ", properties.Keys)}.");
                    continue;
                }

                result[target.Name] = Value(property.Value, target.PropertyType, at, target.AttributeProvider);
            }

            foreach (var target in properties.Values)
            {
                var at = path.Length == 0 ? target.Name : $"{path}.{target.Name}";
                var present = element.EnumerateObject().FirstOrDefault(p => comparer.Equals(p.Name, target.Name));
                var missing = present.Value.ValueKind == JsonValueKind.Undefined;
                if ((missing || present.Value.ValueKind == JsonValueKind.Null)
                    && target.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true)
                {
                    Fail(at, $"{at} is required.");
                }
                else if (missing && isPut && path.Length == 0)
                {
                    Fail(at, $"{at} is missing: a PUT replaces the whole object, so send every field (null to leave an optional one empty).");
                }
            }

            return result;
        }

        private static bool IsConstructorParameter(JsonTypeInfo info, JsonPropertyInfo property) =>
            info.Type.GetConstructors().Any(c => c.GetParameters().Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)));

        private JsonNode? List(JsonElement element, JsonTypeInfo info, string path, ICustomAttributeProvider? member)
        {
            if (element.ValueKind != JsonValueKind.Array)
            {
                Fail(path, $"{Name(path)} must be a list [ ... ], not {Describe(element)}.");
                return null;
            }

            var itemType = info.ElementType!;
            var result = new JsonArray();
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                var at = $"{path}[{index++}]";
                if (item.ValueKind == JsonValueKind.Null && !AcceptsAnything(itemType))
                {
                    Fail(at, $"{at} is null: a list holds no null entries.");
                    result.Add(null);
                    continue;
                }

                result.Add(Value(item, itemType, at, member));
            }

            return result;
        }

        private JsonNode? Map(JsonElement element, JsonTypeInfo info, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                Fail(path, $"{Name(path)} must be a JSON object {{ \"key\": value, ... }}, not {Describe(element)}.");
                return null;
            }

            var valueType = info.ElementType!;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var result = new JsonObject();
            foreach (var entry in element.EnumerateObject())
            {
                var at = $"{path}.{entry.Name}";
                if (!seen.Add(entry.Name))
                {
                    Fail(at, $"The key '{entry.Name}' is given more than once.");
                    continue;
                }

                if (entry.Value.ValueKind == JsonValueKind.Null && !AcceptsAnything(valueType))
                {
                    Fail(at, $"{at} is null: give a value or leave the key out.");
                    continue;
                }

                // Translations and answers are free texts: they may span lines.
                result[entry.Name] = Value(entry.Value, valueType, at, MultiLine.Instance);
            }

            return result;
        }

        private static bool AcceptsAnything(Type type) =>
            type == typeof(JsonElement) || type == typeof(JsonElement?) || type == typeof(JsonNode) || type == typeof(object);

        private void FreeForm(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    Text(element, path, multiLine: true);
                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        FreeForm(item, $"{path}[{index++}]");
                    }

                    break;
                case JsonValueKind.Object:
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var property in element.EnumerateObject())
                    {
                        if (!seen.Add(property.Name))
                        {
                            Fail($"{path}.{property.Name}", $"The key '{property.Name}' is given more than once.");
                        }

                        FreeForm(property.Value, $"{path}.{property.Name}");
                    }

                    break;
            }
        }

        private string? Text(JsonElement element, string path, bool multiLine)
        {
            string text;
            try
            {
                text = element.GetString()!;
            }
            catch (InvalidOperationException)
            {
                Fail(path, $"{path} must be valid Unicode text.");
                return null;
            }

            if (TextFault(text, multiLine) is { } fault)
            {
                Fail(path, $"{path} {fault}.");
            }

            return text;
        }

        private JsonNode? Scalar(JsonElement element, Type type, string path, ICustomAttributeProvider? member)
        {
            if (type == typeof(string))
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    Fail(path, $"{Name(path)} must be a text in quotes, not {Describe(element)}.");
                    return null;
                }

                var text = Text(element, path, member?.IsDefined(typeof(MultiLineAttribute), inherit: true) == true);
                var canonical = member?.IsDefined(typeof(CountryCodeAttribute), inherit: true) == true ? text?.ToUpperInvariant()
                    : member?.IsDefined(typeof(LanguageCodeAttribute), inherit: true) == true ? text?.ToLowerInvariant()
                    : text;
                Changed |= !string.Equals(canonical, text, StringComparison.Ordinal);
                return canonical;
            }

            if (type == typeof(bool))
            {
                if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    Fail(path, $"{path} must be true or false, not {Describe(element)}.");
                }

                return JsonSerializer.SerializeToNode(element);
            }

            if (type.IsEnum)
            {
                var names = Enum.GetNames(type).Select(Json.CamelCase).ToArray();
                var match = element.ValueKind == JsonValueKind.String
                    ? names.FirstOrDefault(n => string.Equals(n, element.GetString(), StringComparison.OrdinalIgnoreCase))
                    : null;
                if (match is null)
                {
                    Fail(path, $"{path} must be one of: {string.Join(", ", names)} (not {Describe(element)}).");
                    return null;
                }

                Changed |= match != element.GetString();
                return match;
            }

            if (type == typeof(DateOnly))
            {
                if (element.ValueKind != JsonValueKind.String
                    || !DateOnly.TryParseExact(element.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    Fail(path, $"{path} {DateMessage}, not {Describe(element)}.");
                    return null;
                }

                if (date < MinDate || date > MaxDate)
                {
                    Fail(path, $"{path} must lie between 1900-01-01 and 2100-12-31 (got {date:yyyy-MM-dd}).");
                }

                return JsonSerializer.SerializeToNode(element);
            }

            if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
            {
                if (element.ValueKind != JsonValueKind.String
                    || !DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                {
                    Fail(path, $"{path} must be a UTC timestamp written YYYY-MM-DDTHH:MM:SSZ, not {Describe(element)}.");
                    return null;
                }

                if (DateOnly.FromDateTime(instant.UtcDateTime) is var day && (day < MinDate || day > MaxDate))
                {
                    Fail(path, $"{path} must lie between 1900-01-01 and 2100-12-31 (got {day:yyyy-MM-dd}).");
                }

                return JsonSerializer.SerializeToNode(element);
            }

            if (type == typeof(int) || type == typeof(long) || type == typeof(short))
            {
                var (min, max) = type == typeof(int) ? (int.MinValue, int.MaxValue)
                    : type == typeof(short) ? (short.MinValue, short.MaxValue) : (long.MinValue, long.MaxValue);
                if (!(Number(element) is { } number && Math.Floor(number) == number && number >= min && number <= max))
                {
                    Fail(path, $"{path} must be a whole number, not {Describe(element)}.");
                }

                return JsonSerializer.SerializeToNode(element);
            }

            if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
            {
                if (Number(element) is not { } number || !double.IsFinite(number))
                {
                    Fail(path, $"{path} must be a number, not {Describe(element)}.");
                }

                return JsonSerializer.SerializeToNode(element);
            }

            return JsonSerializer.SerializeToNode(element);
        }

        private double? Number(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number))
            {
                return number;
            }

            return element.ValueKind == JsonValueKind.String
                && (options.NumberHandling & System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString) != 0
                && double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : null;
        }

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.String => element.GetRawText().Length > 42 ? "a text" : element.GetRawText(),
            JsonValueKind.Number => element.GetRawText().Length > 40 ? "a number" : element.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "null",
        };
    }
}
