using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace JointEfforts.Tests.Infrastructure;

public static class Http
{
    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts the status and reads the JSON body, showing the body when the status is not the expected one.</summary>
    public static async Task<JsonElement> Expect(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {status} but got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem with this status, and when a field is given, that errors names it.</summary>
    public static async Task<JsonElement> ExpectProblem(this HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.True(problem.TryGetProperty("type", out _), "a problem has a type");
        Assert.DoesNotContain("   at ", body); // no stack trace leaves the server
        if (field is not null)
        {
            Assert.True(
                problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _),
                $"Expected the problem to name '{field}': {body}");
        }

        return problem;
    }

    public static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PutAsJsonAsync<T>(this HttpClient client, string url, T body, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string url, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, url);
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostAsJsonAsync<T>(this HttpClient client, string url, T body, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }
}
