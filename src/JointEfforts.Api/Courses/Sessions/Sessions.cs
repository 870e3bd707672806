using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Courses;

public sealed record SessionRequest(
    [property: Required] DateOnly? Date,
    [property: Required, StringLength(300, MinimumLength = 1)] string? Title,
    [property: Required, Range(0.0, 24.0, MinimumIsExclusive = true)] double? Hours);

public sealed record SessionDto : Versioned
{
    public int Id { get; init; }

    public int CourseId { get; init; }

    public DateOnly Date { get; init; }

    public required string Title { get; init; }

    public double Hours { get; init; }
}
