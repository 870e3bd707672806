using System.Net;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Evaluations;

public sealed class EvaluationOpenApiTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Theory]
    [InlineData("/api/evaluation-forms", "post", "CreateEvaluationForm", "201 400 401 403")]
    [InlineData("/api/evaluation-forms/{id}", "put", "UpdateEvaluationForm", "200 400 404 409 412")]
    [InlineData("/api/evaluation-forms/{id}/copy", "post", "CopyEvaluationForm", "201 404")]
    [InlineData("/api/evaluations/form", "get", "GetParticipantForm", "200 400 404 429")]
    [InlineData("/api/evaluations", "post", "SubmitEvaluation", "201 400 404 409 429")]
    [InlineData("/api/courses/{id}/evaluation-codes", "post", "IssueEvaluationCodes", "201 400 403 404 409")]
    [InlineData("/api/courses/{id}/evaluation-codes", "get", "ListEvaluationCodeBatches", "200 400 403 404")]
    [InlineData("/api/courses/{id}/evaluation-codes/{batchId}", "get", "GetEvaluationCodeBatch", "200 403 404")]
    [InlineData("/api/courses/{id}/evaluations", "post", "EnterPaperEvaluation", "201 400 403 404 409")]
    [InlineData("/api/courses/{id}/evaluation-summary", "get", "GetEvaluationSummary", "200 401 404")]
    [InlineData("/api/courses/{id}/evaluation-report", "put", "WriteEvaluationReport", "200 201 400 403 404 409 412")]
    [InlineData("/api/courses/{id}/evaluation-report/accept", "post", "AcceptEvaluationReport", "200 403 404 409 412")]
    [InlineData("/api/courses/{id}/evaluation-report/return", "post", "ReturnEvaluationReport", "200 400 403 404 409")]
    public async Task EveryEvaluationRouteIsNamedSummarisedAndDocumentsItsProblems(string path, string method, string name, string statuses)
    {
        using var anonymous = _app.CreateAnonymousClient();

        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.Equal(name, operation.GetProperty("operationId").GetString());
        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
        foreach (var status in statuses.Split(' '))
        {
            Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), $"{method} {path} documents {status}");
        }

        var anonymousRoute = path.StartsWith("/api/evaluations", StringComparison.Ordinal);
        var needsToken = operation.TryGetProperty("security", out var security) && security.EnumerateArray().Any(r => r.EnumerateObject().Any());
        Assert.Equal(!anonymousRoute, needsToken);
    }

    public void Dispose() => _app.Dispose();
}
