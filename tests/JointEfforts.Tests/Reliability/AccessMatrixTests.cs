using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Reliability;

/// <summary>
/// OWASP API Security Top 10 (2023), API1 (object-level) and API5 (function-level authorisation): every
/// route × role × country scope against the expected outcome from API.md, and zero unauthorised 2xx.
/// A route missing from the matrix fails the test, so no new route escapes it.
/// </summary>
public sealed partial class AccessMatrixTests(ITestOutputHelper output) : IDisposable
{
    [Flags]
    private enum Who
    {
        Admin = 1,
        Coordinator = 2,
        Expert = 4,
        Steering = 8,
        Writers = Admin | Coordinator,
        Readers = Admin | Coordinator | Steering,
        Everyone = Admin | Coordinator | Expert | Steering,
        CourseStaff = Admin | Coordinator | Expert,
        SteeringOnly = Admin | Steering,
        AdminOnly = Admin,
    }

    /// <summary>Whether the route addresses one course (its first id): a country expert of another country gets 404.</summary>
    private enum Scope
    {
        None,
        Course,
    }

    // Route patterns with every parameter written {}. The expected callers are API.md's roles table.
    private static readonly Dictionary<string, (Who Who, Scope Scope)> Matrix = new()
    {
        ["POST /api/users"] = (Who.AdminOnly, Scope.None),
        ["GET /api/users"] = (Who.AdminOnly, Scope.None),
        ["GET /api/users/{}"] = (Who.AdminOnly, Scope.None),
        ["PUT /api/users/{}"] = (Who.AdminOnly, Scope.None),
        ["DELETE /api/users/{}"] = (Who.AdminOnly, Scope.None),
        ["POST /api/users/{}/tokens"] = (Who.AdminOnly, Scope.None),
        ["GET /api/users/{}/tokens"] = (Who.AdminOnly, Scope.None),
        ["DELETE /api/users/{}/tokens/{}"] = (Who.AdminOnly, Scope.None),
        ["POST /api/users/{}/sign-in-link"] = (Who.AdminOnly, Scope.None),

        ["POST /api/projects"] = (Who.Writers, Scope.None),
        ["GET /api/projects"] = (Who.Everyone, Scope.None),
        ["GET /api/projects/{}"] = (Who.Everyone, Scope.None),
        ["PUT /api/projects/{}"] = (Who.Writers, Scope.None),
        ["DELETE /api/projects/{}"] = (Who.Writers, Scope.None),
        ["GET /api/projects/{}/phases"] = (Who.Everyone, Scope.None),
        ["GET /api/phases/{}"] = (Who.Everyone, Scope.None),
        ["PUT /api/phases/{}"] = (Who.Writers, Scope.None),
        ["POST /api/phases/{}/milestones"] = (Who.Writers, Scope.None),
        ["GET /api/phases/{}/milestones"] = (Who.Everyone, Scope.None),
        ["GET /api/milestones/{}"] = (Who.Everyone, Scope.None),
        ["PUT /api/milestones/{}"] = (Who.Writers, Scope.None),
        ["DELETE /api/milestones/{}"] = (Who.Writers, Scope.None),
        ["POST /api/milestones/{}/complete"] = (Who.Writers, Scope.None),

        ["POST /api/projects/{}/meetings"] = (Who.Writers, Scope.None),
        ["GET /api/projects/{}/meetings"] = (Who.Everyone, Scope.None),
        ["GET /api/meetings/{}"] = (Who.Everyone, Scope.None),
        ["PUT /api/meetings/{}"] = (Who.Writers, Scope.None),
        ["DELETE /api/meetings/{}"] = (Who.Writers, Scope.None),
        ["POST /api/meetings/{}/attendees"] = (Who.Writers, Scope.None),
        ["GET /api/meetings/{}/attendees"] = (Who.Readers, Scope.None), // names of people: not country experts
        ["GET /api/meetings/{}/attendees/{}"] = (Who.Readers, Scope.None),
        ["DELETE /api/meetings/{}/attendees/{}"] = (Who.Writers, Scope.None),
        ["PUT /api/meetings/{}/conclusions"] = (Who.Writers, Scope.None),
        ["POST /api/meetings/{}/recommendations"] = (Who.Writers, Scope.None),
        ["GET /api/meetings/{}/recommendations"] = (Who.Everyone, Scope.None),
        ["GET /api/projects/{}/recommendations"] = (Who.Everyone, Scope.None),
        ["GET /api/recommendations/{}"] = (Who.Everyone, Scope.None),
        ["PUT /api/recommendations/{}"] = (Who.Writers, Scope.None),

        ["POST /api/projects/{}/courses"] = (Who.Writers, Scope.None),
        ["GET /api/projects/{}/courses"] = (Who.Everyone, Scope.None),
        ["GET /api/courses/{}"] = (Who.Everyone, Scope.Course),
        ["PUT /api/courses/{}"] = (Who.Writers, Scope.Course),
        ["DELETE /api/courses/{}"] = (Who.Writers, Scope.Course),
        ["POST /api/courses/{}/status"] = (Who.Writers, Scope.Course),
        ["POST /api/courses/{}/sessions"] = (Who.Writers, Scope.Course),
        ["GET /api/courses/{}/sessions"] = (Who.Everyone, Scope.Course),
        ["GET /api/courses/{}/sessions/{}"] = (Who.Everyone, Scope.Course),
        ["PUT /api/courses/{}/sessions/{}"] = (Who.Writers, Scope.Course),
        ["DELETE /api/courses/{}/sessions/{}"] = (Who.Writers, Scope.Course),
        ["POST /api/courses/{}/enrolments"] = (Who.Writers, Scope.Course),
        ["GET /api/courses/{}/enrolments"] = (Who.Everyone, Scope.Course),
        ["GET /api/courses/{}/enrolments/{}"] = (Who.Everyone, Scope.Course),
        ["DELETE /api/courses/{}/enrolments/{}"] = (Who.Writers, Scope.Course),
        ["PUT /api/courses/{}/sessions/{}/attendance"] = (Who.CourseStaff, Scope.Course),
        ["GET /api/courses/{}/attendance"] = (Who.Everyone, Scope.Course),
        ["POST /api/participants"] = (Who.Writers, Scope.None),
        ["GET /api/participants"] = (Who.Everyone, Scope.None),
        ["GET /api/participants/{}"] = (Who.Everyone, Scope.None),
        ["PUT /api/participants/{}"] = (Who.Writers, Scope.None),
        ["DELETE /api/participants/{}"] = (Who.Writers, Scope.None),
        ["POST /api/participants/import"] = (Who.Writers, Scope.None),

        ["POST /api/evaluation-forms"] = (Who.Writers, Scope.None),
        ["GET /api/evaluation-forms"] = (Who.Everyone, Scope.None),
        ["GET /api/evaluation-forms/{}"] = (Who.Everyone, Scope.None),
        ["PUT /api/evaluation-forms/{}"] = (Who.Writers, Scope.None),
        ["POST /api/evaluation-forms/{}/copy"] = (Who.Writers, Scope.None),
        ["POST /api/courses/{}/evaluation-codes"] = (Who.CourseStaff, Scope.Course),
        ["GET /api/courses/{}/evaluation-codes"] = (Who.CourseStaff, Scope.Course),
        ["GET /api/courses/{}/evaluation-codes/{}"] = (Who.CourseStaff, Scope.Course),
        ["POST /api/courses/{}/evaluations"] = (Who.CourseStaff, Scope.Course),
        ["GET /api/courses/{}/evaluation-summary"] = (Who.Everyone, Scope.Course),
        ["GET /api/courses/{}/evaluation-report"] = (Who.Everyone, Scope.Course),
        ["PUT /api/courses/{}/evaluation-report"] = (Who.Admin | Who.Expert, Scope.Course),
        ["POST /api/courses/{}/evaluation-report/submit"] = (Who.Admin | Who.Expert, Scope.Course),
        ["POST /api/courses/{}/evaluation-report/accept"] = (Who.SteeringOnly, Scope.Course),
        ["POST /api/courses/{}/evaluation-report/return"] = (Who.SteeringOnly, Scope.Course),
        ["GET /api/evaluation-reports"] = (Who.Everyone, Scope.None), // a country expert's list is scoped in SQL

        ["GET /api/projects/{}/dashboard"] = (Who.Readers, Scope.None),
        ["GET /api/projects/{}/steering-report.xlsx"] = (Who.Readers, Scope.None),
        ["GET /api/courses/{}/evaluation-report.xlsx"] = (Who.Everyone, Scope.Course),

        ["GET /api/courses/{}/sessions/{}/sign-in-sheet.pdf"] = (Who.CourseStaff, Scope.Course), // names: not the steering group
        ["GET /api/courses/{}/evaluation-codes/{}/slips.pdf"] = (Who.CourseStaff, Scope.Course),
        ["GET /api/courses/{}/certificates.pdf"] = (Who.Writers, Scope.Course),
        ["GET /api/courses/{}/participants/{}/certificate.pdf"] = (Who.Writers, Scope.Course),

        ["GET /api/audit"] = (Who.SteeringOnly, Scope.None),
        ["GET /api/outbox"] = (Who.Writers, Scope.None),
        ["GET /api/participants/import-template.xlsx"] = (Who.Writers, Scope.None),

        ["PUT /api/evaluation-forms/{}/translations/{}"] = (Who.Writers, Scope.None),
        ["GET /api/languages"] = (Who.Everyone, Scope.None),
        ["GET /api/languages/{}/texts"] = (Who.Writers, Scope.None),
        ["PUT /api/languages/{}/texts"] = (Who.Writers, Scope.None),
        ["GET /api/languages/{}/texts.xlsx"] = (Who.Writers, Scope.None),
        ["PUT /api/languages/{}/texts.xlsx"] = (Who.Writers, Scope.None),
    };

    private readonly JointEffortsApp _app = new(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });

    [Fact]
    public async Task EveryRouteAnswersEveryRoleAsTheContractSays()
    {
        var endpoints = ApiEndpoints();
        var unlisted = endpoints.Where(e => !e.Anonymous && !Matrix.ContainsKey(e.Key)).Select(e => e.Key).ToList();
        Assert.True(unlisted.Count == 0, "Routes missing from the access matrix: " + string.Join(", ", unlisted));

        var clients = new Dictionary<Who, HttpClient>
        {
            [Who.Admin] = _app.CreateAdminClient(),
            [Who.Coordinator] = await _app.CreateClientAsync(Role.Coordinator),
            [Who.Expert] = await _app.CreateClientAsync(Role.CountryExpert, "AT"),
            [Who.Steering] = await _app.CreateClientAsync(Role.SteeringGroup),
        };
        using var anonymous = _app.CreateAnonymousClient();
        var otherCountryCourse = OtherCountryCourseId();

        var checks = 0;
        var failures = new List<string>();
        foreach (var endpoint in endpoints.OrderBy(e => e.Method == "DELETE"))
        {
            if (endpoint.Anonymous)
            {
                continue;
            }

            var (allowed, scope) = Matrix[endpoint.Key];
            var status = await Send(anonymous, endpoint, "1");
            checks++;
            if (status != HttpStatusCode.Unauthorized)
            {
                failures.Add($"anonymous {endpoint.Key} → {(int)status}, expected 401");
            }

            foreach (var (who, client) in clients)
            {
                checks++;
                if (allowed.HasFlag(who))
                {
                    // Ids that exist nowhere: authorisation must pass (no 401/403) and nothing is changed.
                    status = await Send(client, endpoint, "987654");
                    if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    {
                        failures.Add($"{who} {endpoint.Key} → {(int)status}, but API.md allows it");
                    }

                    if (who == Who.Expert && scope == Scope.Course && otherCountryCourse is { } other)
                    {
                        checks++;
                        status = await Send(client, endpoint, other.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        if ((int)status is >= 200 and < 300 || status is not (HttpStatusCode.NotFound or HttpStatusCode.BadRequest))
                        {
                            failures.Add($"AT expert {endpoint.Key} on an NL course → {(int)status}, expected 404");
                        }
                    }
                }
                else
                {
                    status = await Send(client, endpoint, "1");
                    if (status != HttpStatusCode.Forbidden)
                    {
                        failures.Add($"{who} {endpoint.Key} → {(int)status}, expected 403");
                    }
                }
            }
        }

        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        output.WriteLine($"routes: {endpoints.Count}; route × role checks: {checks}; failures: {failures.Count}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static async Task<HttpStatusCode> Send(HttpClient client, Endpoint endpoint, string id)
    {
        var url = Parameter().Replace(endpoint.Pattern, id);
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), url);
        if (endpoint.Method is "POST" or "PUT")
        {
            request.Content = new StringContent(endpoint.Key.EndsWith("/attendance", StringComparison.Ordinal) ? "[]" : "{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private int? OtherCountryCourseId()
    {
        using var db = _app.OpenDatabase();
        return db.QueryFirstOrDefault<int?>("SELECT id FROM courses WHERE country_code = 'NL' ORDER BY id");
    }

    private List<Endpoint> ApiEndpoints()
    {
        _ = _app.Server;
        return _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(method =>
            {
                var pattern = "/" + e.RoutePattern.RawText!.Trim('/');
                var key = $"{method} {Parameter().Replace(pattern, "{}")}";
                return new Endpoint(method, Constraint().Replace(pattern, "{$1}"), key, e.Metadata.GetMetadata<IAllowAnonymous>() is not null);
            }))
            .DistinctBy(e => e.Key)
            .ToList();
    }

    private sealed record Endpoint(string Method, string Pattern, string Key, bool Anonymous);

    [GeneratedRegex("\\{[^}]+\\}")]
    private static partial Regex Parameter();

    [GeneratedRegex("\\{([^}:]+)(:[^}]+)?\\}")]
    private static partial Regex Constraint();

    public void Dispose() => _app.Dispose();
}
