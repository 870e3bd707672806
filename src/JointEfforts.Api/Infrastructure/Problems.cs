using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JointEfforts.Api.Infrastructure;

/// <summary>RFC 9457 problems for the answers handlers give: one wording for the whole API.</summary>
public static partial class Problems
{
    public static ProblemHttpResult NotFound(string what, object id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} {id} was not found.");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static ProblemHttpResult PreconditionFailed() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "Precondition failed",
            detail: "If-Match does not match the current ETag: the resource changed since you read it. Read it again, then retry.");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors);

    /// <summary>Rewrites validation error keys to the JSON names clients send: <c>Questions[0].Key</c> → <c>questions[0].key</c>.</summary>
    internal static void UseJsonFieldNames(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is HttpValidationProblemDetails validation && validation.Errors.Count > 0)
        {
            // Grouped: "Title" and "title" from one body become one field, never a duplicate key.
            var renamed = validation.Errors.GroupBy(e => JsonFieldName(e.Key), StringComparer.Ordinal).ToDictionary(
                g => g.Key,
                g => g.SelectMany(e => e.Value).Select(message => JsonFieldMessage(g.Key, message)).Distinct().ToArray());
            validation.Errors.Clear();
            foreach (var (key, value) in renamed)
            {
                validation.Errors[key] = value;
            }
        }

        // RFC 9457: every problem has a type. The framework fills in most statuses; these it leaves empty.
        context.ProblemDetails.Type ??= context.ProblemDetails.Status switch
        {
            StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
            StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
            StatusCodes.Status503ServiceUnavailable => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            _ => "about:blank",
        };

        context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
        {
            StatusCodes.Status400BadRequest when context.ProblemDetails is HttpValidationProblemDetails =>
                "The request has invalid fields: see errors.",
            StatusCodes.Status401Unauthorized => "A valid bearer token is required: Authorization: Bearer <token>.",
            StatusCodes.Status403Forbidden => RolesNeeded(context.HttpContext),
            StatusCodes.Status404NotFound => "There is nothing at this address.",
            StatusCodes.Status405MethodNotAllowed => "This method is not allowed on this route.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with 'Content-Type: application/json'.",
            _ => null,
        };
    }

    /// <summary>
    /// The framework's DataAnnotations messages name the CLR property ("The StartDate field is required.",
    /// "The field MaxParticipants must be between 1 and 1000."): say them with the field as the client sent it.
    /// </summary>
    internal static string JsonFieldMessage(string field, string message)
    {
        var match = FrameworkMessage().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var rest = match.Groups["rest"].Value;
        rest = MaxLengthText().Replace(rest, "must have at most $1 characters");
        rest = MinMaxLengthText().Replace(rest, "must have $1 to $2 characters");
        rest = MaxLengthList().Replace(rest, "must have at most $1 entries (or characters)");
        rest = MinLengthList().Replace(rest, "must have at least $1 entries (or characters)");
        rest = rest.Replace("must be between ", "must lie between ", StringComparison.Ordinal);
        rest = rest.Replace(" exclusive", " (excluded)", StringComparison.Ordinal);
        return $"{field} {rest}";
    }

    /// <summary>A 403 says which roles the route needs: the roles every policy on the endpoint allows.</summary>
    private static string RolesNeeded(HttpContext context)
    {
        var policies = context.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
            .Select(data => data.Policy).OfType<string>().Distinct().ToList();
        var options = context.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Authorization.AuthorizationOptions>>()?.Value;
        IEnumerable<string>? allowed = null;
        foreach (var policy in policies ?? [])
        {
            var roles = options?.GetPolicy(policy)?.Requirements
                .OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>()
                .SelectMany(r => r.AllowedRoles);
            if (roles is not null)
            {
                allowed = allowed is null ? roles.ToList() : allowed.Intersect(roles).ToList();
            }
        }

        var caller = Caller.From(context.User);
        var you = caller is null ? string.Empty : $" Your role is {caller.Role.ToWire()}.";
        return allowed?.ToList() is { Count: > 0 } list
            ? $"This needs the role {Or(list)}.{you}"
            : $"Your role may not do this.{you}";
    }

    private static string Or(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1];

    [GeneratedRegex("^The (?:field (?<name>[A-Za-z0-9_]+)|(?<name>[A-Za-z0-9_]+) field) (?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex FrameworkMessage();

    [GeneratedRegex("^must be a string with a maximum length of (\\d+)")]
    private static partial Regex MaxLengthText();

    [GeneratedRegex("^must be a string with a minimum length of (\\d+) and a maximum length of (\\d+)")]
    private static partial Regex MinMaxLengthText();

    [GeneratedRegex("^must be a string or array type with a maximum length of '(\\d+)'")]
    private static partial Regex MaxLengthList();

    [GeneratedRegex("^must be a string or array type with a minimum length of '(\\d+)'")]
    private static partial Regex MinLengthList();

    internal static string JsonFieldName(string key) =>
        string.Join('.', key.Split('.').Select(part => part.Length > 0 ? char.ToLowerInvariant(part[0]) + part[1..] : part));
}

/// <summary>An input error found while binding (a query value, a header) that names the field at fault.</summary>
public sealed class InvalidInputException(string field, string message)
    : BadHttpRequestException(message, StatusCodes.Status400BadRequest)
{
    public string Field { get; } = field;
}

/// <summary>
/// Turns what the framework throws for bad input into problems that name the field, and anything
/// else into a 500 problem without internals. A 500 is a bug: it is logged as an error.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away; nobody is listening for an answer
        }

        var problem = exception switch
        {
            InvalidInputException invalid => ValidationProblem(invalid.Field, invalid.Message),
            BadHttpRequestException bad => FromBadRequest(bad),
            SqliteException { SqliteErrorCode: 5 or 6 } or WriteQueueTimeoutException => Problem(
                StatusCodes.Status503ServiceUnavailable, "Busy", "The database is busy; retry shortly."),
            // Constraint violations are normally caught by validation before SQL; this is the last fence.
            SqliteException { SqliteErrorCode: 19 } constraint => LogAndConflict(constraint),
            // PostgreSQL: the same answers. A constraint (unique, foreign key, check, not null, exclusion) is the 409 above;
            // a serialization failure, deadlock, lock or statement timeout, a server shutting down, or no connection at all
            // is SQLite's busy 503 with Retry-After.
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation
                or PostgresErrorCodes.CheckViolation or PostgresErrorCodes.NotNullViolation
                or PostgresErrorCodes.ExclusionViolation } constraint => LogAndConflict(constraint),
            PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
                or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled
                or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.TooManyConnections } busy => LogAndBusy(busy),
            NpgsqlException npgsql when npgsql is not PostgresException => LogAndBusy(npgsql),
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = Problem(StatusCodes.Status500InternalServerError, "Server error",
                "Something went wrong on our side. It has been logged; please try again or report it.");
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails Busy() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Busy", "The database is busy; retry shortly.");

    /// <summary>
    /// PostgreSQL's busy answers have several causes (a lock timeout, a deadlock, no connection): each is logged with its
    /// SQLSTATE, so that a 503 under load says which one it was.
    /// </summary>
    private ProblemDetails LogAndBusy(NpgsqlException exception)
    {
        logger.LogWarning(exception, "PostgreSQL was busy ({SqlState}): answered 503", (exception as PostgresException)?.SqlState ?? "no connection");
        return Busy();
    }

    private ProblemDetails LogAndConflict(DbException exception)
    {
        logger.LogWarning(exception, "A constraint stopped a write that validation let through");
        return Problem(StatusCodes.Status409Conflict, "Conflict", "The change conflicts with existing data.");
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            var field = FieldFromJsonPath(json.Path);
            var message = json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? field == "body" ? "The body must be a JSON object." : $"The value of '{field}' has the wrong type or is not one of the allowed values."
                : "The body is not valid JSON: " + FirstSentence(json.Message);
            return ValidationProblem(field, message);
        }

        switch (bad.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return Problem(bad.StatusCode, "Request body too large", "The request body is larger than this route accepts.");
            case StatusCodes.Status415UnsupportedMediaType:
                return Problem(bad.StatusCode, "Unsupported media type", "Send the body as JSON with 'Content-Type: application/json'.");
            case StatusCodes.Status400BadRequest:
                break;
            default:
                return Problem(bad.StatusCode, "Bad request", bad.Message);
        }

        if (BindFailure().Match(bad.Message) is { Success: true } bind)
        {
            var name = Json.CamelCase(bind.Groups["name"].Value);
            return ValidationProblem(name, $"'{bind.Groups["value"].Value}' is not a valid value for '{name}'.");
        }

        if (MissingParameter().Match(bad.Message) is { Success: true } missing)
        {
            var name = Json.CamelCase(missing.Groups["name"].Value);
            return ValidationProblem(name, $"'{name}' is required.");
        }

        if (bad.Message.Contains("but no body was provided", StringComparison.Ordinal))
        {
            return ValidationProblem("body", "A JSON body is required.");
        }

        return Problem(StatusCodes.Status400BadRequest, "Bad request", bad.Message);
    }

    private static string FieldFromJsonPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    private static ProblemDetails ValidationProblem(string field, string message) =>
        new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
            Detail = "The request has invalid fields: see errors.",
        };

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[A-Za-z0-9_]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    [GeneratedRegex("^Required parameter \"(?<type>.+) (?<name>[A-Za-z0-9_]+)\" was not provided", RegexOptions.Singleline)]
    private static partial Regex MissingParameter();
}
