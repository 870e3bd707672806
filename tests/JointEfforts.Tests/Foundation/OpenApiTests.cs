using System.Net;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Foundation;

public sealed class OpenApiTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task TheDocumentDescribesEveryApiRouteWithTheBearerScheme()
    {
        using var anonymous = _app.CreateAnonymousClient();

        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/projects", out var projects));
        var create = projects.GetProperty("post");
        Assert.True(create.TryGetProperty("security", out _), "protected routes carry the security requirement");
        var responses = create.GetProperty("responses");
        foreach (var status in new[] { "201", "400", "401", "403", "409" })
        {
            Assert.True(responses.TryGetProperty(status, out _), $"POST /api/projects documents {status}");
        }

        Assert.True(paths.TryGetProperty("/api/users/{id}/tokens", out _));
        Assert.True(IsAnonymous(paths.GetProperty("/health").GetProperty("get")), "/health needs no token");
        Assert.False(IsAnonymous(create));
    }

    [Fact]
    public async Task EveryOperationIsNamedSummarisedAndDocumentsItsErrors()
    {
        using var anonymous = _app.CreateAnonymousClient();
        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);

        var gaps = new List<string>();
        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations++;
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var op = operation.Value;
                if (!op.TryGetProperty("operationId", out _))
                {
                    gaps.Add($"{name}: no name (WithName)");
                }

                if (!op.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
                {
                    gaps.Add($"{name}: no summary (WithSummary)");
                }

                var responses = op.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
                if (!responses.Any(r => r.StartsWith('2')))
                {
                    gaps.Add($"{name}: no success response");
                }

                if (!responses.Any(r => r.StartsWith('4')))
                {
                    gaps.Add($"{name}: no error response");
                }

                var anonymousRoute = IsAnonymous(op);
                if (!anonymousRoute && !responses.Contains("401"))
                {
                    gaps.Add($"{name}: protected but 401 not documented");
                }

                if (path.Name.Contains('{', StringComparison.Ordinal) && !responses.Contains("404"))
                {
                    gaps.Add($"{name}: addresses an object but 404 not documented");
                }
            }
        }

        Assert.True(operations > 50, $"only {operations} operations documented");
        Assert.True(gaps.Count == 0, string.Join(Environment.NewLine, gaps));
    }

    [Fact]
    public async Task QueryParametersAreCamelCaseAsTheApiTakesThem()
    {
        var document = await DocumentAsync();

        var names = Operations(document).SelectMany(o => Parameters(o.Operation)).Where(p => p.GetProperty("in").GetString() == "query")
            .Select(p => p.GetProperty("name").GetString()!).ToHashSet();

        Assert.Contains("page", names);
        Assert.Contains("pageSize", names);
        Assert.DoesNotContain("Page", names);
        Assert.DoesNotContain("PageSize", names);
        Assert.All(names, name => Assert.True(char.IsLower(name[0]), $"query parameter {name} is not camelCase"));
        var status = Parameters(document.GetProperty("paths").GetProperty("/api/projects/{id}/courses").GetProperty("get"))
            .Single(p => p.GetProperty("name").GetString() == "status");
        Assert.Equal(["draft", "open", "closed", "delivered", "evaluated", "cancelled"],
            status.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task CourseRequestRequiresWhatValidationRequiresAndNothingElse()
    {
        var document = await DocumentAsync();
        var course = Schema(document, "CourseRequest");

        var required = course.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order().ToList();
        Assert.Equal(["city", "countryCode", "endDate", "language", "startDate", "title"], required);
        var properties = course.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(14, properties.Count);
        Assert.DoesNotContain("min", properties);
        Assert.DoesNotContain("max", properties);
        Assert.DoesNotContain("threshold", properties);
        var title = course.GetProperty("properties").GetProperty("title");
        Assert.Equal("string", title.GetProperty("type").GetString());
    }

    [Fact]
    public async Task NumbersAreTypedAsNumbersOnlyAndDatesCarryTheirFormat()
    {
        var document = await DocumentAsync();
        var text = document.GetRawText();

        Assert.DoesNotContain("\"pattern\": \"^-?(?:0|[1-9]\\\\d*)$\"", text, StringComparison.Ordinal);
        var offenders = new List<string>();
        Walk(document, "#", (path, schema) =>
        {
            if (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array)
            {
                var types = type.EnumerateArray().Select(t => t.GetString()).ToList();
                if ((types.Contains("integer") || types.Contains("number")) && types.Contains("string"))
                {
                    offenders.Add(path);
                }
            }
        });
        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders.Take(20)));

        var course = Schema(document, "CourseRequest").GetProperty("properties");
        Assert.Equal(["null", "integer"], course.GetProperty("maxParticipants").GetProperty("type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["null", "number"], course.GetProperty("completionThreshold").GetProperty("type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("date", course.GetProperty("startDate").GetProperty("format").GetString());
        Assert.Equal("date-time", Schema(document, "CourseDto").GetProperty("properties").GetProperty("createdAt").GetProperty("format").GetString());
        var status = Schema(document, "CourseStatus");
        Assert.Equal("string", status.GetProperty("type").GetString());
        Assert.Contains("delivered", status.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task HeadersAndPipelineStatusesAreDocumentedOnEveryRoute()
    {
        var document = await DocumentAsync();

        var gaps = new List<string>();
        foreach (var (path, method, op) in Operations(document).Where(o => o.Path.StartsWith("/api", StringComparison.Ordinal)))
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            var headers = Parameters(op).Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()).ToList();
            var responses = op.GetProperty("responses");
            void Needs(string status)
            {
                if (!responses.TryGetProperty(status, out _))
                {
                    gaps.Add($"{name}: {status} not documented");
                }
            }

            Needs("429");
            if (method == "post")
            {
                if (!headers.Contains("Idempotency-Key"))
                {
                    gaps.Add($"{name}: no Idempotency-Key header");
                }

                Needs("422");
            }

            if (op.TryGetProperty("requestBody", out _))
            {
                Needs("400");
                Needs("413");
                Needs("415");
            }

            if (headers.Contains("If-Match"))
            {
                Needs("412");
            }

            if (!IsAnonymous(op) && responses.TryGetProperty("201", out var created)
                && !(created.TryGetProperty("headers", out var createdHeaders) && createdHeaders.TryGetProperty("Location", out _)))
            {
                gaps.Add($"{name}: 201 without a Location header");
            }
        }

        Assert.True(gaps.Count == 0, string.Join(Environment.NewLine, gaps));
        var putCourse = document.GetProperty("paths").GetProperty("/api/courses/{id}").GetProperty("put");
        Assert.Contains(Parameters(putCourse), p => p.GetProperty("name").GetString() == "If-Match" && p.GetProperty("in").GetString() == "header");
        Assert.True(putCourse.GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
        var deleteCourse = document.GetProperty("paths").GetProperty("/api/courses/{id}").GetProperty("delete");
        Assert.Contains(Parameters(deleteCourse), p => p.GetProperty("name").GetString() == "If-Match");
        Assert.True(document.GetProperty("paths").GetProperty("/api/courses/{id}").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
    }

    [Fact]
    public async Task TheImportsBadRequestAndTheFormWithoutLangAreDescribedAsTheyAre()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");

        var importBad = paths.GetProperty("/api/participants/import").GetProperty("post").GetProperty("responses").GetProperty("400")
            .GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetRawText();
        Assert.Contains("ImportProblemDetails", importBad, StringComparison.Ordinal);
        Assert.Equal("array", Schema(document, "ImportProblemDetails").GetProperty("properties").GetProperty("errors").GetProperty("type").GetString());

        var form = paths.GetProperty("/api/evaluation-forms/{id}").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetRawText();
        Assert.Contains("EvaluationFormDto", form, StringComparison.Ordinal);
        Assert.Contains("LocalizedFormDto", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRequestBodyHasAnExampleAndEveryPathParameterADemoId()
    {
        var document = await DocumentAsync();

        var gaps = new List<string>();
        foreach (var (path, method, op) in Operations(document))
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            if (op.TryGetProperty("requestBody", out var body))
            {
                foreach (var media in body.GetProperty("content").EnumerateObject().Where(m => m.Name is "application/json" or "text/csv"))
                {
                    if (!media.Value.TryGetProperty("example", out _))
                    {
                        gaps.Add($"{name}: {media.Name} body has no example (OpenApiExamples)");
                    }
                }
            }

            foreach (var parameter in Parameters(op).Where(p => p.GetProperty("in").GetString() == "path"))
            {
                if (!parameter.TryGetProperty("example", out _))
                {
                    gaps.Add($"{name}: path parameter {parameter.GetProperty("name").GetString()} has no demo id");
                }
            }
        }

        Assert.True(gaps.Count == 0, string.Join(Environment.NewLine, gaps));
    }

    [Fact]
    public async Task EveryRequestBodyExampleSucceedsWhenSentUnchangedToTheDemoProgramme()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        using var anonymous = app.CreateAnonymousClient();
        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
        using var admin = app.CreateAdminClient();

        var sent = 0;
        var failures = new List<string>();
        foreach (var (path, method, op) in Operations(document))
        {
            if (!op.TryGetProperty("requestBody", out var body))
            {
                continue;
            }

            var url = path;
            foreach (var parameter in Parameters(op).Where(p => p.GetProperty("in").GetString() == "path"))
            {
                var example = parameter.GetProperty("example");
                url = url.Replace(
                    "{" + parameter.GetProperty("name").GetString() + "}",
                    example.ValueKind == System.Text.Json.JsonValueKind.String ? example.GetString() : example.GetRawText(),
                    StringComparison.Ordinal);
            }

            var content = body.GetProperty("content");
            if (!content.TryGetProperty("application/json", out _) && !content.TryGetProperty("text/csv", out _))
            {
                continue; // a workbook upload (PUT /api/languages/{language}/texts.xlsx): LanguagesTests sends real ones
            }

            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url)
            {
                Content = content.TryGetProperty("application/json", out var json)
                    ? new StringContent(json.GetProperty("example").GetRawText(), System.Text.Encoding.UTF8, "application/json")
                    : new StringContent(content.GetProperty("text/csv").GetProperty("example").GetString()!, System.Text.Encoding.UTF8, "text/csv"),
            };
            using var response = await admin.SendAsync(request);
            sent++;
            if ((int)response.StatusCode is < 200 or > 299)
            {
                var hint = path == "/api/evaluations" ? $" (is OpenApiExamples.DemoCode {OpenApiExamples.DemoCode} still an unused demo code?)" : string.Empty;
                failures.Add($"{method.ToUpperInvariant()} {url} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}{hint}");
            }
        }

        Assert.True(sent > 25, $"only {sent} examples sent");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task SwaggerUiIsServedWithoutAToken()
    {
        using var anonymous = _app.CreateAnonymousClient();

        var page = await anonymous.GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var anonymous = _app.CreateAnonymousClient();
        return await (await anonymous.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
    }

    private static bool IsAnonymous(JsonElement operation) =>
        !operation.TryGetProperty("security", out var security) || security.EnumerateArray().All(r => !r.EnumerateObject().Any());

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (path.Name, op.Name, op.Value)));

    private static IEnumerable<JsonElement> Parameters(JsonElement operation) =>
        operation.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : [];

    private static JsonElement Schema(JsonElement document, string name) =>
        document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static void Walk(JsonElement element, string path, Action<string, JsonElement> visit)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            visit(path, element);
            foreach (var property in element.EnumerateObject())
            {
                Walk(property.Value, $"{path}/{property.Name}", visit);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, $"{path}/{i++}", visit);
            }
        }
    }

    public void Dispose() => _app.Dispose();
}
