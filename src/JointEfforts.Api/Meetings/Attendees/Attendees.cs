using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Meetings;

public enum OrganisationType
{
    Government,
    Ngo,
    InternationalOrganisation,
    Academia,
    LawEnforcement,
    Health,
    Judiciary,
    Other,
}

/// <summary>POST /api/meetings/{id}/attendees.</summary>
public sealed record AttendeeRequest(
    [property: Required, StringLength(200)] string? FullName,
    [property: Required, StringLength(300)] string? Organisation,
    [property: Required] OrganisationType? OrganisationType,
    [property: Required, CountryCode] string? CountryCode);

/// <summary>An attendee. Attendees are never changed, only added and removed, so their ETag is always "1".</summary>
public sealed record AttendeeDto : Versioned
{
    public int Id { get; init; }

    public int MeetingId { get; init; }

    public required string FullName { get; init; }

    public required string Organisation { get; init; }

    public OrganisationType OrganisationType { get; init; }

    public required string CountryCode { get; init; }

    public DateTime CreatedAt { get; init; }
}

public sealed record AttendeeQuery
{
    [Description("Only attendees of this organisation type.")]
    public EnumQuery<OrganisationType>? OrganisationType { get; init; }

    [Description("Only attendees from this country (ISO 3166-1 alpha-2).")]
    [CountryCode]
    public string? CountryCode { get; init; }
}
