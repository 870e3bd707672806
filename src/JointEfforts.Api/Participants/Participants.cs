using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Participants;

/// <summary>The sectors the programme trains together (law enforcement, border guards, health, NGOs, ...).</summary>
public enum Sector
{
    LawEnforcement,
    BorderGuard,
    Judiciary,
    Health,
    Ngo,
    LabourInspection,
    SocialServices,
    Prison,
    Other,
}

/// <summary>Managerial (senior) staff or field practitioners: the expert group's recommendation targets both.</summary>
public enum Seniority
{
    Senior,
    Field,

    /// <summary>Not known: many lists have no seniority column (issue 26).</summary>
    Unknown,
}

public sealed record ParticipantRequest(
    [property: Required, StringLength(200, MinimumLength = 1)] string? FullName,
    [property: StringLength(254), EmailAddress] string? Email,
    [property: Required, StringLength(200, MinimumLength = 1)] string? Organisation,
    [property: Required] Sector? Sector,
    [property: Required, CountryCode] string? CountryCode,
    [property: Required] Seniority? Seniority) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FullName is not null && string.IsNullOrWhiteSpace(FullName))
        {
            yield return new ValidationResult("fullName must not be blank.", [nameof(FullName)]);
        }

        if (Organisation is not null && string.IsNullOrWhiteSpace(Organisation))
        {
            yield return new ValidationResult("organisation must not be blank.", [nameof(Organisation)]);
        }
    }
}

/// <summary>A participant. After erasure fullName and email are null and erasedAt is set; the rest stays for anonymous counts.</summary>
public sealed record ParticipantDto : Versioned
{
    public int Id { get; init; }

    public string? FullName { get; init; }

    /// <summary>Null for the steering group, who do not see contact data, and after erasure.</summary>
    public string? Email { get; init; }

    public required string Organisation { get; init; }

    public Sector Sector { get; init; }

    public required string CountryCode { get; init; }

    public Seniority Seniority { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? ErasedAt { get; init; }
}

public sealed record ParticipantQuery(
    [property: StringLength(200), Description("Search: part of the name, organisation or (not for the steering group) e-mail, case-insensitive.")] string? Q,
    [property: CountryCode, Description("Only participants from this country.")] string? CountryCode,
    [property: Description("Only participants of this sector.")] EnumQuery<Sector>? Sector);
