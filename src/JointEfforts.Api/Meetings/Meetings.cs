using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Meetings;

public enum MeetingKind
{
    SteeringGroup,
    ExpertGroup,
    Conference,
    StudyVisit,
    KickOff,
}

/// <summary>POST /api/projects/{id}/meetings and PUT /api/meetings/{id}.</summary>
public sealed record MeetingRequest(
    [property: Required] MeetingKind? Kind,
    [property: Required, StringLength(300)] string? Title,
    [property: StringLength(300)] string? Topic,
    [property: Required, Range(1, int.MaxValue)] int? PhaseId,
    [property: Required, StringLength(100)] string? City,
    [property: Required, CountryCode] string? CountryCode,
    [property: Required] DateOnly? StartDate,
    [property: Required] DateOnly? EndDate,
    [property: Range(1, MeetingRequest.MaxCapacity)] int? Capacity) : IValidatableObject
{
    public const int MaxCapacity = 10_000;

    /// <summary>Expert group meetings run two days, conferences one or two; a study visit a week. Longer is a typing error.</summary>
    public const int MaxDays = 14;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StartDate is not { } start || EndDate is not { } end)
        {
            yield break;
        }

        if (end < start)
        {
            yield return new ValidationResult("endDate must not be before startDate.", [nameof(EndDate)]);
        }
        else if (end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            yield return new ValidationResult($"A meeting lasts at most {MaxDays} days.", [nameof(EndDate)]);
        }
    }
}

/// <summary>A meeting with its attendee and recommendation counts.</summary>
public sealed record MeetingDto : Versioned
{
    public int Id { get; init; }

    public int ProjectId { get; init; }

    public int? PhaseId { get; init; }

    public MeetingKind Kind { get; init; }

    public required string Title { get; init; }

    public string? Topic { get; init; }

    public required string City { get; init; }

    public required string CountryCode { get; init; }

    public DateOnly StartDate { get; init; }

    public DateOnly EndDate { get; init; }

    /// <summary>Days the meeting runs, both ends included (a two-day expert group meeting is 2).</summary>
    public int Days => EndDate.DayNumber - StartDate.DayNumber + 1;

    public int? Capacity { get; init; }

    public int AttendeeCount { get; init; }

    public int RecommendationCount { get; init; }

    public string? Conclusions { get; init; }

    public DateTime CreatedAt { get; init; }
}

public sealed record MeetingQuery
{
    [Description("Only meetings of this kind: steeringGroup, expertGroup, conference, studyVisit, kickOff.")]
    public EnumQuery<MeetingKind>? Kind { get; init; }

    [Description("Only meetings of this phase.")]
    public int? PhaseId { get; init; }

    [Description("Only meetings held in this country (ISO 3166-1 alpha-2).")]
    [CountryCode]
    public string? CountryCode { get; init; }
}

/// <summary>PUT /api/meetings/{id}/conclusions: the conclusions of the meeting's minutes.</summary>
public sealed record ConclusionsRequest(
    [property: Required, StringLength(ConclusionsRequest.MaxLength), MultiLine] string? Text)
{
    public const int MaxLength = 50_000;
}
