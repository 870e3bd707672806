using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dapper;
using JointEfforts.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Reliability;

/// <summary>
/// Sends thousands of generated bad requests to every write route the OpenAPI document describes
/// (so a new route is fuzzed without anyone adding it here) and asserts: never a 5xx, every error is
/// an RFC 9457 problem, and a rejected request commits nothing (<see cref="CommitWatcher"/>, on either engine).
/// </summary>
public sealed partial class FuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] StringAttacks =
    [
        "'; DROP TABLE users; --",
        "\" OR 1=1 --",
        "1) UNION SELECT token_hash FROM api_tokens --",
        "<script>alert('x')</script>",
        "{{7*7}}",
        "../../../../etc/passwd",
        "\u0000\u0001\u0002\u001b[31m",
        "\ud83d\ude00 émoji ünïcödé \u202e",
        "",
        "   ",
    ];

    private static readonly string[] MalformedBodies =
    [
        "{",
        "{\"a\":",
        "nul",
        "{\"a\":1,}",
        "{'single':'quotes'}",
        "{}{}",
        "\u00ef\u00bb\u00bf{garbage}",
        "[" + new string('[', 300) + new string(']', 301),
        "\"just a string\"",
        "12345",
        "null",
        "[]",
        "true",
        "{\"a\":1e999999}",
        "{\"\u0000\":\"\u0000\"}",
    ];

    private readonly JointEffortsApp _app = new(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });

    [Fact]
    public async Task BadRequestsToEveryWriteRouteNeverBreakTheApiOrChangeTheDatabase()
    {
        using var admin = _app.CreateAdminClient();
        var document = await (await admin.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        using var watcher = new CommitWatcher(_app);

        var routes = new HashSet<string>();
        var tried = 0;
        var accepted = 0;
        var failures = new List<string>();
        foreach (var (path, method, schema) in WriteOperations(document, schemas))
        {
            routes.Add($"{method} {path}");
            foreach (var (contentType, body) in BadBodies(schema, schemas))
            {
                var url = Regex.Replace(path, "\\{[^}]+\\}", "1");
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                    if (contentType is not null)
                    {
                        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                    }
                }

                watcher.Settle();
                using var response = await admin.SendAsync(request);
                tried++;
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                var changed = watcher.Changed();
                var what = $"{method} {url} [{contentType}] {Shorten(body)} → {status}";
                if (status >= 500)
                {
                    failures.Add($"{what}: a 5xx: {Shorten(text)}");
                }
                else if (status >= 400)
                {
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !text.Contains("\"title\"", StringComparison.Ordinal))
                    {
                        failures.Add($"{what}: not a problem body: {Shorten(text)}");
                    }

                    if (changed)
                    {
                        failures.Add($"{what}: rejected, yet the database changed");
                    }
                }
                else
                {
                    accepted++; // a body that happened to be valid (e.g. attack strings stored verbatim as text)
                }
            }
        }

        foreach (var url in BadQueries(document))
        {
            using var response = await admin.GetAsync(url);
            tried++;
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"GET {url} → {(int)response.StatusCode}");
            }
        }

        failures.AddRange(await BrokenWorkbooks(admin)); // bodies accepted as valid must not break a report
        output.WriteLine($"routes fuzzed: {routes.Count}; requests tried: {tried}; accepted as valid: {accepted}; failures: {failures.Count}");
        Assert.True(routes.Count >= 5, "the OpenAPI document lists the write routes");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(40)));
        Assert.True(watcher.Sound(), "the database is sound and keeps its users table");
    }

    /// <summary>
    /// The inputs that once got past validation and broke the workbooks, generated for every field of every
    /// write route (nested lists included): dates at the edges, control characters in every text, null in
    /// every list, an unknown property, a key given twice, enum names in other letter cases. Each must be a
    /// 400 naming the field (enum case variants must not be named), and none may commit anything. Then every
    /// course and programme workbook must still open (what once answered 500).
    /// </summary>
    [Fact]
    public async Task EdgeInputsAreRefusedByNameAndTheWorkbooksStillOpen()
    {
        using var admin = _app.CreateAdminClient();
        var document = await (await admin.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        using var watcher = new CommitWatcher(_app);

        var tried = 0;
        var failures = new List<string>();
        foreach (var (path, method, schema) in WriteOperations(document, schemas))
        {
            if (schema is not { } root)
            {
                continue;
            }

            var url = Regex.Replace(path, "\\{[^}]+\\}", "1");
            foreach (var (body, field, mustName) in EdgeBodies(root, schemas))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = Http.RawJson(body) };
                watcher.Settle();
                using var response = await admin.SendAsync(request);
                tried++;
                var text = await response.Content.ReadAsStringAsync();
                var changed = watcher.Changed();
                var what = $"{method} {url} {Shorten(body)} → {(int)response.StatusCode}";
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{what}: a 5xx: {Shorten(text)}");
                    continue;
                }

                if (changed && mustName)
                {
                    failures.Add($"{what}: refused, yet the database changed");
                }

                var names = ErrorNames(text);
                if (mustName && (response.StatusCode != HttpStatusCode.BadRequest || !names.Any(n => n == field || n.StartsWith(field + ".", StringComparison.Ordinal) || n.StartsWith(field + "[", StringComparison.Ordinal))))
                {
                    failures.Add($"{what}: expected a 400 naming '{field}': {Shorten(text)}");
                }
                else if (!mustName && names.Contains(field))
                {
                    failures.Add($"{what}: '{field}' should be accepted in any letter case: {Shorten(text)}");
                }
            }
        }

        failures.AddRange(await BrokenWorkbooks(admin));
        output.WriteLine($"edge requests tried: {tried}; failures: {failures.Count}");
        Assert.True(tried > 200, $"only {tried} edge requests were generated");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(40)));
    }

    /// <summary>Every course and programme workbook opens: stored input never breaks a report.</summary>
    private async Task<List<string>> BrokenWorkbooks(HttpClient admin)
    {
        var failures = new List<string>();
        using var db = _app.OpenDatabase();
        var urls = db.Query<long>("SELECT id FROM courses").Select(id => $"/api/courses/{id}/evaluation-report.xlsx")
            .Concat(db.Query<long>("SELECT id FROM projects").Select(id => $"/api/projects/{id}/steering-report.xlsx"));
        foreach (var url in urls)
        {
            using var response = await admin.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"GET {url} → {(int)response.StatusCode}");
            }
        }

        return failures;
    }

    private static readonly string[] EdgeDates = ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"];

    private static readonly string[] ControlTexts = ["a\u0000b", "a\u000bb", "a\u001fb", "a\u007fb", "\u001b[31mred"];

    /// <summary>Bodies that each carry one edge value at one field (the JSON path as the client sends it).</summary>
    private static IEnumerable<(string Body, string Field, bool MustName)> EdgeBodies(JsonElement root, JsonElement schemas)
    {
        foreach (var (value, field, mustName) in Probes(root, schemas, 0))
        {
            yield return (value?.ToJsonString() ?? "null", field, mustName);
        }

        if (root.TryGetProperty("properties", out var properties) && properties.EnumerateObject().Any())
        {
            var property = properties.EnumerateObject().First();
            var first = property.Name;
            yield return ("{\"unknownProperty\":1}", "unknownProperty", true);
            yield return ("{\"id\":1,\"createdAt\":\"2020-01-01T00:00:00Z\"}", properties.TryGetProperty("id", out _) ? "-" : "id", !properties.TryGetProperty("id", out _));
            var sample = Sample(Resolve(property.Value, schemas));
            yield return ($"{{\"{first}\":{sample},\"{first}\":{sample}}}", first, true);
        }
    }

    private static IEnumerable<(JsonNode? Value, string Path, bool MustName)> Probes(JsonElement schema, JsonElement schemas, int depth)
    {
        schema = Resolve(schema, schemas);
        if (depth > 4)
        {
            yield break;
        }

        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                foreach (var (value, path, mustName) in Probes(property.Value, schemas, depth + 1))
                {
                    var at = path.Length == 0 ? property.Name : path.StartsWith('[') ? property.Name + path : $"{property.Name}.{path}";
                    yield return (new JsonObject { [property.Name] = value }, at, mustName);
                }
            }

            yield break;
        }

        if (IsType(schema, "array"))
        {
            yield return (new JsonArray((JsonNode?)null), "[0]", true);
            if (schema.TryGetProperty("items", out var items))
            {
                foreach (var (value, path, mustName) in Probes(items, schemas, depth + 1))
                {
                    yield return (new JsonArray(value), path.StartsWith('[') || path.Length == 0 ? "[0]" + path : "[0]." + path, mustName);
                }
            }

            yield break;
        }

        if (IsType(schema, "object") && schema.TryGetProperty("additionalProperties", out var values) && values.ValueKind == JsonValueKind.Object)
        {
            foreach (var text in ControlTexts)
            {
                yield return (new JsonObject { ["en"] = JsonValue.Create(text) }, "en", true);
            }

            yield break;
        }

        if (HasFormat(schema))
        {
            foreach (var date in EdgeDates)
            {
                yield return (JsonValue.Create(date), string.Empty, true);
            }
        }
        else if (IsEnum(schema))
        {
            foreach (var name in schema.GetProperty("enum").EnumerateArray().Select(v => v.GetString()).OfType<string>())
            {
                yield return (JsonValue.Create(name.ToUpperInvariant()), string.Empty, false);
                yield return (JsonValue.Create(char.ToUpperInvariant(name[0]) + name[1..]), string.Empty, false);
            }
        }
        else if (IsType(schema, "string"))
        {
            foreach (var text in ControlTexts)
            {
                yield return (JsonValue.Create(text), string.Empty, true);
            }
        }
    }

    private static string Sample(JsonElement schema) =>
        IsType(schema, "integer") || IsType(schema, "number") ? "1"
        : IsType(schema, "boolean") ? "true"
        : IsType(schema, "array") ? "[]"
        : IsType(schema, "object") ? "{}"
        : "\"x\"";

    private static HashSet<string> ErrorNames(string problem)
    {
        try
        {
            using var parsed = JsonDocument.Parse(problem);
            return parsed.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
                ? errors.EnumerateObject().Select(e => e.Name).ToHashSet(StringComparer.Ordinal)
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static IEnumerable<(string Path, string Method, JsonElement? Schema)> WriteOperations(JsonElement document, JsonElement schemas)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                if (method is not ("POST" or "PUT" or "DELETE" or "PATCH") || !path.Name.StartsWith("/api", StringComparison.Ordinal))
                {
                    continue;
                }

                // Routes without a JSON body (DELETE, actions such as submit) ignore a body: sending them
                // garbage would only perform the action (revoke the fuzzer's own token, say), not test input.
                if (operation.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").TryGetProperty("application/json", out var json)
                    && json.TryGetProperty("schema", out var bodySchema))
                {
                    yield return (path.Name, method, Resolve(bodySchema, schemas));
                }
            }
        }
    }

    private static IEnumerable<(string? ContentType, string? Body)> BadBodies(JsonElement? schema, JsonElement schemas)
    {
        foreach (var body in MalformedBodies)
        {
            yield return ("application/json", body);
        }

        yield return ("text/plain", "{}");
        yield return ("application/xml", "<course><title>x</title></course>");
        yield return ("application/x-www-form-urlencoded", "title=x&maxParticipants=40");
        yield return ("application/json", null);
        yield return ("application/json", "{\"x\":\"" + new string('a', 1_100_000) + "\"}");

        if (schema is not { } root || !root.TryGetProperty("properties", out var properties))
        {
            yield break;
        }

        var fields = properties.EnumerateObject().Select(p => (p.Name, Schema: Resolve(p.Value, schemas))).ToList();
        var wrongTypes = new JsonObject();
        foreach (var (name, fieldSchema) in fields)
        {
            wrongTypes[name] = WrongValue(fieldSchema, 0);
        }

        yield return ("application/json", wrongTypes.ToJsonString());
        for (var variant = 1; variant < 4; variant++)
        {
            var other = new JsonObject();
            foreach (var (name, fieldSchema) in fields)
            {
                other[name] = WrongValue(fieldSchema, variant);
            }

            yield return ("application/json", other.ToJsonString());
        }

        // Attack strings in the text fields, every other field of the wrong type: never valid as a whole.
        foreach (var attack in StringAttacks)
        {
            var body = new JsonObject();
            foreach (var (name, fieldSchema) in fields)
            {
                body[name] = IsType(fieldSchema, "string") && !HasFormat(fieldSchema) && !IsEnum(fieldSchema)
                    ? attack
                    : WrongValue(fieldSchema, 0);
            }

            yield return ("application/json", body.ToJsonString());
        }

        // Each field on its own: huge, hostile, or of each wrong type (the rest missing).
        foreach (var (name, fieldSchema) in fields)
        {
            yield return ("application/json", new JsonObject { [name] = new string('x', 300_000) }.ToJsonString());
            yield return ("application/json", new JsonObject { [name] = "\u0000'; DELETE FROM courses; --" }.ToJsonString());
            for (var variant = 0; variant < 4; variant++)
            {
                yield return ("application/json", new JsonObject { [name] = WrongValue(fieldSchema, variant) }.ToJsonString());
            }
        }
    }

    private static IEnumerable<string> BadQueries(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out var get) || !path.Name.StartsWith("/api", StringComparison.Ordinal))
            {
                continue;
            }

            var url = Regex.Replace(path.Name, "\\{[^}]+\\}", "1");
            yield return url + "?page=-1&pageSize=100000";
            yield return url + "?page=abc&pageSize=1e3";
            yield return url + "?page=99999999999";
            if (get.TryGetProperty("parameters", out var parameters))
            {
                foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
                {
                    var name = parameter.GetProperty("name").GetString();
                    yield return $"{url}?{name}=%00%27%3B%20DROP%20TABLE%20users%3B--";
                    yield return $"{url}?{name}={new string('9', 40)}";
                    yield return $"{url}?{name}=&{name}=x&{name}=2020-13-45";
                }
            }

            yield return Regex.Replace(path.Name, "\\{[^}]+\\}", "99999999999");
        }
    }

    private static JsonNode? WrongValue(JsonElement schema, int variant)
    {
        if (IsType(schema, "integer") || IsType(schema, "number"))
        {
            return variant switch
            {
                0 => JsonValue.Create("1; DROP TABLE users; --"),
                1 => JsonValue.Create(true),
                2 => new JsonArray(1, 2),
                _ => new JsonObject { ["n"] = 1 },
            };
        }

        if (IsType(schema, "boolean"))
        {
            return variant % 2 == 0 ? JsonValue.Create("yes") : JsonValue.Create(2);
        }

        if (IsType(schema, "array"))
        {
            return variant % 2 == 0 ? JsonValue.Create("not an array") : new JsonObject { ["a"] = 1 };
        }

        if (IsType(schema, "object"))
        {
            return variant % 2 == 0 ? JsonValue.Create(42) : JsonValue.Create("not an object");
        }

        if (HasFormat(schema))
        {
            return variant switch
            {
                0 => JsonValue.Create("2020-13-45"),
                1 => JsonValue.Create("yesterday"),
                2 => JsonValue.Create(20200101),
                _ => JsonValue.Create("<script>alert(1)</script>"),
            };
        }

        if (IsEnum(schema))
        {
            return variant % 2 == 0 ? JsonValue.Create("notOneOfThem") : JsonValue.Create(1);
        }

        return variant switch
        {
            0 => JsonValue.Create(12345),
            1 => new JsonObject { ["nested"] = "object" },
            2 => new JsonArray("a", "b"),
            _ => JsonValue.Create(false),
        };
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas)
    {
        for (var depth = 0; depth < 10; depth++)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
            }
            else if (schema.TryGetProperty("oneOf", out var oneOf) || schema.TryGetProperty("anyOf", out oneOf))
            {
                var first = oneOf.EnumerateArray().FirstOrDefault(s => !(s.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null"));
                if (first.ValueKind == JsonValueKind.Undefined)
                {
                    return schema;
                }

                schema = first;
            }
            else
            {
                return schema;
            }
        }

        return schema;
    }

    private static bool IsType(JsonElement schema, string type) =>
        schema.TryGetProperty("type", out var value) && value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() == type,
            JsonValueKind.Array => value.EnumerateArray().Any(v => v.GetString() == type),
            _ => false,
        };

    private static bool HasFormat(JsonElement schema) =>
        schema.TryGetProperty("format", out var format) && format.GetString() is "date" or "date-time";

    private static bool IsEnum(JsonElement schema) => schema.TryGetProperty("enum", out _);

    private static string Shorten(string? text) =>
        text is null ? "(no body)" : text.Length > 160 ? text[..160] + "…" : text;

    public void Dispose() => _app.Dispose();
}
