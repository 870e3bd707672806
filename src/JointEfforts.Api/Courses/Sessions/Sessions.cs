using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Courses;

public sealed record SessionRequest(
    [property: Required] DateOnly? Date,
    [property: Required, StringLength(300, MinimumLength = 1)] string? Title,
    [property: Required, Range(0.0, 24.0, MinimumIsExclusive = true)] double? Hours,
    [property: RegularExpression(SessionRequest.TimePattern, ErrorMessage = "startTime must be a time written HH:MM on a 24-hour clock (e.g. 09:30).")]
    [property: System.ComponentModel.Description("When the session starts, HH:MM (24-hour clock, the venue's local time); optional.")]
    string? StartTime = null,
    [property: RegularExpression(SessionRequest.TimePattern, ErrorMessage = "endTime must be a time written HH:MM on a 24-hour clock (e.g. 17:00).")]
    [property: System.ComponentModel.Description("When the session ends, HH:MM, after startTime; optional.")]
    string? EndTime = null,
    [property: StringLength(200), System.ComponentModel.Description("Who teaches the session; optional.")]
    string? Trainer = null) : IValidatableObject
{
    public const string TimePattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StartTime is not null && EndTime is not null && string.CompareOrdinal(EndTime, StartTime) <= 0)
        {
            yield return new ValidationResult($"A session ends after it starts (it starts at {StartTime}).", [nameof(EndTime)]);
        }
    }
}

public sealed record SessionDto : Versioned
{
    public int Id { get; init; }

    public int CourseId { get; init; }

    public DateOnly Date { get; init; }

    public string? StartTime { get; init; }

    public string? EndTime { get; init; }

    public required string Title { get; init; }

    public double Hours { get; init; }

    public string? Trainer { get; init; }

    /// <summary>Whether attendance has been taken: from then on the session can be neither changed nor deleted.</summary>
    public bool HasAttendance { get; init; }
}
