using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Programmes;

/// <summary>PUT /api/phases/{id}: the phase's name, planned dates and status (its number and kind never change).</summary>
public sealed record PhaseRequest(
    [property: Required, StringLength(200)] string? Name,
    DateOnly? PlannedStart,
    DateOnly? PlannedEnd,
    [property: Required] PhaseStatus? Status) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PlannedStart is { } start && PlannedEnd is { } end && end < start)
        {
            yield return new ValidationResult("plannedEnd must not be before plannedStart.", [nameof(PlannedEnd)]);
        }
    }
}

public enum PhaseKind
{
    Planning,
    Preparation,
    Development,
    TestingAndImplementation,
    EvaluationAndConclusions,
}

public enum PhaseStatus
{
    NotStarted,
    InProgress,
    Completed,
}

/// <summary>A phase with its progress: the share of its milestones completed, 0 when it has none.</summary>
public sealed record PhaseDto : Versioned
{
    public int Id { get; init; }

    public int ProjectId { get; init; }

    public int Number { get; init; }

    public PhaseKind Kind { get; init; }

    public required string Name { get; init; }

    public DateOnly? PlannedStart { get; init; }

    public DateOnly? PlannedEnd { get; init; }

    public PhaseStatus Status { get; init; }

    /// <summary>Share of the phase's milestones completed, 0..1; 0 when it has none.</summary>
    public double Progress { get; init; }
}

public static class Phases
{
    /// <summary>The five phases every programme runs through, in order (Joint Efforts, ISEC 2011-2014).</summary>
    public static readonly IReadOnlyList<(int Number, PhaseKind Kind, string Name)> Standard =
    [
        (1, PhaseKind.Planning, "Planning"),
        (2, PhaseKind.Preparation, "Preparation"),
        (3, PhaseKind.Development, "Development"),
        (4, PhaseKind.TestingAndImplementation, "Testing and implementation"),
        (5, PhaseKind.EvaluationAndConclusions, "Evaluation and conclusions"),
    ];
}
