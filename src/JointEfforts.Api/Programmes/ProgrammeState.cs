namespace JointEfforts.Api.Programmes;

/// <summary>A row's version with the dates of the programme it belongs to, read before a write.</summary>
internal sealed record ProgrammeState
{
    public long Version { get; init; }

    public DateOnly? CompletedOn { get; init; }

    public int? CourseId { get; init; }

    public int? MeetingId { get; init; }

    public int ProjectId { get; init; }

    public DateOnly ProgrammeStart { get; init; }

    public DateOnly ProgrammeEnd { get; init; }

    /// <summary>Why a date is not inside the programme, or null when it is (or is absent).</summary>
    public string? Outside(DateOnly? date) =>
        date is { } d && (d < ProgrammeStart || d > ProgrammeEnd)
            ? $"{d:yyyy-MM-dd} is outside the programme, which runs from {ProgrammeStart:yyyy-MM-dd} to {ProgrammeEnd:yyyy-MM-dd}."
            : null;
}
