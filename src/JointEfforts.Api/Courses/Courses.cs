using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Courses;

public enum CourseStatus
{
    Draft,
    Open,
    Closed,
    Delivered,
    Evaluated,
    Cancelled,
}

/// <summary>A pilot course as a client sends it. Absent numbers take the programme's defaults (25..40 participants, 80 % attendance).</summary>
public sealed record CourseRequest(
    [property: Required, StringLength(300, MinimumLength = 1)] string? Title,
    [property: Required, CountryCode] string? CountryCode,
    [property: Required, StringLength(100, MinimumLength = 1)] string? City,
    [property: StringLength(200)] string? Venue,
    [property: Required, LanguageCode] string? Language,
    [property: Required] DateOnly? StartDate,
    [property: Required] DateOnly? EndDate,
    [property: Range(1, 1000)] int? MinParticipants,
    [property: Range(1, 1000)] int? MaxParticipants,
    [property: Range(1, int.MaxValue)] int? CountryExpertUserId,
    [property: Range(1, int.MaxValue)] int? EvaluationFormId,
    [property: Range(1, int.MaxValue)] int? PreTestFormId,
    [property: Range(1, int.MaxValue)] int? PostTestFormId,
    [property: Range(0.0, 1.0, MinimumIsExclusive = true)] double? CompletionThreshold) : IValidatableObject
{
    public const int DefaultMinParticipants = 25;
    public const int DefaultMaxParticipants = 40;
    public const double DefaultCompletionThreshold = 0.8;

    [JsonIgnore] // derived, not a field of the body
    public int Min => MinParticipants ?? DefaultMinParticipants;

    [JsonIgnore] // derived, not a field of the body
    public int Max => MaxParticipants ?? DefaultMaxParticipants;

    [JsonIgnore] // derived, not a field of the body
    public double Threshold => CompletionThreshold ?? DefaultCompletionThreshold;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StartDate is { } start && EndDate is { } end && end < start)
        {
            yield return new ValidationResult("endDate must not be before startDate.", [nameof(EndDate)]);
        }

        if (Min > Max)
        {
            yield return new ValidationResult(
                $"minParticipants ({Min}) must not exceed maxParticipants ({Max}); absent, they are 25 and 40.",
                [nameof(MinParticipants), nameof(MaxParticipants)]);
        }
    }
}

public sealed record CourseStatusRequest([property: Required] CourseStatus? Status);

public sealed record CourseDto : Versioned
{
    public int Id { get; init; }

    public int ProjectId { get; init; }

    public required string Title { get; init; }

    public required string CountryCode { get; init; }

    public required string City { get; init; }

    public string? Venue { get; init; }

    public required string Language { get; init; }

    public DateOnly StartDate { get; init; }

    public DateOnly EndDate { get; init; }

    public int MinParticipants { get; init; }

    public int MaxParticipants { get; init; }

    public int? CountryExpertUserId { get; init; }

    public int? EvaluationFormId { get; init; }

    public int? PreTestFormId { get; init; }

    public int? PostTestFormId { get; init; }

    public double CompletionThreshold { get; init; }

    public CourseStatus Status { get; init; }

    public int EnrolledCount { get; init; }

    public int WaitlistedCount { get; init; }

    public int SessionCount { get; init; }

    public DateTime CreatedAt { get; init; }
}

public sealed record CourseQuery(
    [property: CountryCode, Description("Only courses in this country (ISO 3166-1 alpha-2).")] string? CountryCode,
    [property: Description("Only courses in this status: draft, open, closed, delivered, evaluated, cancelled.")] EnumQuery<CourseStatus>? Status);
