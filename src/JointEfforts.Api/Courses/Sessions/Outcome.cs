using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Courses;

/// <summary>
/// What a write of the domain came to, for the JSON route and the workspace page alike: each turns it into its own answer
/// (a problem, or the message beside the field), so that the rules are written once.
/// </summary>
public abstract record Outcome<T>
{
    private Outcome()
    {
    }

    public sealed record Stored(T Value) : Outcome<T>;

    /// <summary>Field (camelCase, as sent) → messages.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Outcome<T>;

    public sealed record NotFound(string What, object Id) : Outcome<T>;

    public sealed record Conflict(string Detail) : Outcome<T>;

    /// <summary>The role may call the route, but not on this one (e.g. a course whose named expert is someone else).</summary>
    public sealed record Forbidden(string Detail) : Outcome<T>;

    public sealed record PreconditionFailed : Outcome<T>;

    public static Outcome<T> Field(string field, string message) => new Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public ValidationProblem ValidationProblem() =>
        Problems.Validation(((Invalid)this).Errors.ToDictionary(e => e.Key, e => e.Value));

    /// <summary>The JSON route's problem for a not found, a conflict or a failed precondition.</summary>
    public ProblemHttpResult Problem() => this switch
    {
        NotFound notFound => Problems.NotFound(notFound.What, notFound.Id),
        Conflict conflict => Problems.Conflict(conflict.Detail),
        Forbidden forbidden => Problems.Forbidden(forbidden.Detail),
        PreconditionFailed => Problems.PreconditionFailed(),
        _ => throw new InvalidOperationException($"{GetType().Name} is not a problem of its own."),
    };
}
