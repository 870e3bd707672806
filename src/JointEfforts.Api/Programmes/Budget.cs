using System.Collections.Frozen;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace JointEfforts.Api.Programmes;

/// <summary>
/// A programme's budget as its documents state it (issue 25): the cost planned at the start, the cost in the end, and what the
/// funding programme granted, all in one currency. PL15-0032: EUR 338,262 initial, 306,408 final, 255,252 from the Norway Grants.
/// </summary>
public sealed record ProgrammeBudget(
    [property: Description("Required: ISO 4217 code in capitals, e.g. EUR.")] string? Currency,
    [property: Description("The cost planned at the start.")] decimal? Initial,
    [property: Description("The cost in the end; null while the programme runs.")] decimal? Final,
    [property: Description("What the funding programme granted.")] decimal? Granted,
    [property: StringLength(300), Description("Where the figures come from or what they cover.")] string? Note)
{
    /// <summary>ISO 4217 codes of the currencies of Europe and the usual donors' currencies.</summary>
    public static readonly FrozenSet<string> Currencies = new[]
    {
        "EUR", "USD", "GBP", "CHF", "NOK", "SEK", "DKK", "ISK", "PLN", "CZK", "HUF", "RON", "BGN", "ALL", "MDL", "UAH", "RSD", "MKD",
        "BAM", "TRY", "GEL", "AMD", "AZN", "BYN", "RUB", "CAD", "AUD", "JPY",
    }.ToFrozenSet(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(string prefix)
    {
        if (Currency is null)
        {
            yield return new ValidationResult("A budget names its currency (ISO 4217, e.g. EUR).", [$"{prefix}.{nameof(Currency)}"]);
        }
        else if (!Currencies.Contains(Currency))
        {
            yield return new ValidationResult($"'{Currency}' is not an ISO 4217 currency code in capitals (e.g. EUR, NOK, PLN).", [$"{prefix}.{nameof(Currency)}"]);
        }

        foreach (var (name, amount) in new[] { (nameof(Initial), Initial), (nameof(Final), Final), (nameof(Granted), Granted) })
        {
            if (amount is < 0 or > 1_000_000_000)
            {
                yield return new ValidationResult("An amount is from 0 to 1,000,000,000.", [$"{prefix}.{name}"]);
            }
        }
    }
}
