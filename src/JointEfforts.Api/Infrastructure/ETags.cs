using System.Globalization;
using System.Text.Json.Serialization;

namespace JointEfforts.Api.Infrastructure;

/// <summary>A representation whose row version becomes its <c>ETag</c>.</summary>
public interface IVersioned
{
    long Version { get; }
}

/// <summary>
/// The <c>If-Match</c> header of a PUT or DELETE. Absent or <c>*</c> matches anything; a value that is
/// not one of our ETags matches nothing (412), so a client never overwrites what it did not read.
/// </summary>
public readonly record struct IfMatch(bool Present, bool Any, long? Version)
{
    public bool Matches(long current) => !Present || Any || Version == current;

    public static ValueTask<IfMatch> BindAsync(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch.ToString().Trim();
        return ValueTask.FromResult(header switch
        {
            "" => new IfMatch(Present: false, Any: false, Version: null),
            "*" => new IfMatch(Present: true, Any: true, Version: null),
            _ => new IfMatch(Present: true, Any: false, Version: ETag.Parse(header)),
        });
    }
}

public static class ETag
{
    public static string Format(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version in a strong ETag (<c>"7"</c>); weak or foreign ETags give null.</summary>
    public static long? Parse(string value) =>
        value.Length > 2 && value[0] == '"' && value[^1] == '"'
        && long.TryParse(value.AsSpan(1, value.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : null;

    /// <summary>Adds the <c>ETag</c> header to every successful response whose body is <see cref="IVersioned"/>.</summary>
    public static TBuilder WithETags<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            if (inner is IValueHttpResult { Value: IVersioned versioned }
                && inner is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
            {
                context.HttpContext.Response.Headers.ETag = Format(versioned.Version);
            }

            return result;
        });
}

/// <summary>Base for response records that carry a version for the ETag but not in the JSON.</summary>
public abstract record Versioned : IVersioned
{
    [JsonIgnore]
    public long Version { get; init; }
}
