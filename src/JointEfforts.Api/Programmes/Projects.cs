using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Programmes;

public sealed record ProjectRequest(
    [property: Required, StringLength(40, MinimumLength = 2)] string? Code,
    [property: Required, StringLength(300)] string? Title,
    [property: Required, StringLength(200)] string? FundingProgramme,
    [property: Required] DateOnly? StartDate,
    [property: Required] DateOnly? EndDate,
    [property: Required, Range(0, 1_000_000)] int? TargetParticipantsTrained,
    [property: MaxLength(50)] IReadOnlyList<string>? Beneficiaries,
    [property: MaxLength(60), Description("Participating countries, ISO 3166-1 alpha-2 in any case (answered in capitals, each once).")]
    IReadOnlyList<string>? Countries,
    [property: Description("planned (default), running or completed.")] ProjectStatus? Status,
    [property: Description("The budget the programme's documents state, in one currency; null or absent: not recorded (a PUT without it clears it).")]
    ProgrammeBudget? Budget = null,
    [property: Description("The title in the languages of the programme's courses, by ISO 639-1 code: { \"pl\": \"...\" }; certificates and sign-in sheets of a course in that language print it. null or {}: none.")]
    IReadOnlyDictionary<string, string>? LocalTitles = null) : IValidatableObject
{
    /// <summary>The participating countries in capitals, each once, in the order given.</summary>
    public IReadOnlyList<string> CanonicalCountries =>
        (Countries ?? []).Select(c => c.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var unknown = (Countries ?? []).Where(c => !IsoCodes.IsCountry(c?.ToUpperInvariant())).ToList();
        if (unknown.Count > 0)
        {
            yield return new ValidationResult(
                $"{string.Join(", ", unknown.Select(c => $"'{c}'"))} is not an ISO 3166-1 alpha-2 country code (e.g. AT, NL, GB).", [nameof(Countries)]);
        }

        if (StartDate is { } start && EndDate is { } end && end < start)
        {
            yield return new ValidationResult("endDate must not be before startDate.", [nameof(EndDate)]);
        }

        if (Beneficiaries?.Any(b => string.IsNullOrWhiteSpace(b) || b.Length > 200) == true)
        {
            yield return new ValidationResult("Each beneficiary is a name of 1 to 200 characters.", [nameof(Beneficiaries)]);
        }

        foreach (var (language, title) in LocalTitles ?? new Dictionary<string, string>())
        {
            if (!IsoCodes.IsLanguage(language))
            {
                yield return new ValidationResult($"'{language}' is not an ISO 639-1 language code (e.g. pl, de).", [$"{nameof(LocalTitles)}.{language}"]);
            }
            else if (string.IsNullOrWhiteSpace(title) || title.Length > 300)
            {
                yield return new ValidationResult("A title is 1 to 300 characters.", [$"{nameof(LocalTitles)}.{language}"]);
            }
        }

        foreach (var result in Budget?.Validate(nameof(Budget)) ?? [])
        {
            yield return result;
        }
    }
}

public sealed record ProjectDto(
    int Id,
    string Code,
    string Title,
    string FundingProgramme,
    DateOnly StartDate,
    DateOnly EndDate,
    int TargetParticipantsTrained,
    IReadOnlyList<string> Beneficiaries,
    IReadOnlyList<string> Countries,
    ProjectStatus Status,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    [property: Description("null when not recorded.")] ProgrammeBudget? Budget,
    [property: Description("The title by ISO 639-1 code, for certificates and sign-in sheets in that language; {} when none.")]
    IReadOnlyDictionary<string, string> LocalTitles) : Versioned;

/// <summary>Where a programme is: not begun, under way, or finished (PL15-0032 is completed).</summary>
public enum ProjectStatus
{
    Planned,
    Running,
    Completed,
}
