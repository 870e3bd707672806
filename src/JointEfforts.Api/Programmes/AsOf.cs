using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Programmes;

/// <summary>
/// <c>?asOf=YYYY-MM-DD</c>: the day "overdue" is judged on, so a programme that ended in 2014 can be read as it
/// stood then instead of showing everything overdue today. Absent: today (UTC).
/// </summary>
public readonly record struct AsOf(DateOnly Date) : IParsable<AsOf>
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);

    public static readonly DateOnly Latest = new(2100, 12, 31);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out AsOf result)
    {
        if (!TryRead(s, out var date))
        {
            // A bound query value can only fail with the framework's generic words; this names the format instead.
            throw new InvalidInputException("asOf", Message(s));
        }

        result = new AsOf(date);
        return true;
    }

    /// <summary>The one reading of <c>?asOf=</c> that every route uses: YYYY-MM-DD within 1900-01-01..2100-12-31.</summary>
    public static bool TryRead(string? s, out DateOnly date) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
        && date >= Earliest && date <= Latest;

    /// <summary>What a refused <c>asOf</c> is told, on every route.</summary>
    public static string Message(string? s) => $"'{s}' is not a date: asOf is YYYY-MM-DD, between 1900-01-01 and 2100-12-31.";

    public static AsOf Parse(string s, IFormatProvider? provider) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException(s);

    /// <summary>The day asked for, or today by the injected clock.</summary>
    public static DateOnly Or(AsOf? asOf, TimeProvider time) => asOf?.Date ?? PhasesApi.Today(time);

    public override string ToString() => Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
