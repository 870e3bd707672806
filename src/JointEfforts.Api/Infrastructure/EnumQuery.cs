using System.Diagnostics.CodeAnalysis;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// An enum in a query string, by its camelCase API name (<c>?status=inProgress</c>). The framework's own
/// enum binding is case-sensitive and takes numbers; this takes exactly the names the JSON uses.
/// </summary>
public readonly record struct EnumQuery<TEnum>(TEnum Value) : IParsable<EnumQuery<TEnum>>
    where TEnum : struct, Enum
{
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out EnumQuery<TEnum> result)
    {
        result = default;
        if (string.IsNullOrEmpty(s) || !char.IsAsciiLetter(s[0]) || !Enum.TryParse<TEnum>(s, ignoreCase: true, out var value)
            || !Enum.IsDefined(value))
        {
            return false;
        }

        result = new EnumQuery<TEnum>(value);
        return true;
    }

    public static EnumQuery<TEnum> Parse(string s, IFormatProvider? provider) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException($"'{s}' is not a {typeof(TEnum).Name}.");

    public override string ToString() => Value.ToWire();
}

public static class EnumQueryExtensions
{
    /// <summary>The database name of an optional query filter, or null when the filter is absent.</summary>
    public static string? ToWire<TEnum>(this EnumQuery<TEnum>? filter) where TEnum : struct, Enum =>
        filter?.Value.ToWire();
}
