using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Programmes;

public enum MilestoneKind
{
    Meeting,
    Deliverable,
    Activity,
}

/// <summary>POST /api/phases/{id}/milestones and PUT /api/milestones/{id}.</summary>
public sealed record MilestoneRequest(
    [property: Required, StringLength(300)] string? Title,
    [property: Required] MilestoneKind? Kind,
    [property: Required] DateOnly? DueDate,
    [property: Range(1, int.MaxValue), Description("A course of the same programme: the milestone is completed when it is delivered.")] int? CourseId,
    [property: Range(1, int.MaxValue), Description("A meeting of the same programme: the milestone is completed when it has ended with conclusions recorded.")] int? MeetingId)
    : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CourseId is not null && MeetingId is not null)
        {
            yield return new ValidationResult("A milestone stands for a course or a meeting, not both.", [nameof(MeetingId)]);
        }
    }
}

/// <summary>POST /api/milestones/{id}/complete.</summary>
public sealed record CompleteMilestoneRequest(
    [property: Required] DateOnly? CompletedOn);

/// <summary>A milestone. <c>overdue</c> is derived when read (not completed and due before asOf, default today), never stored.</summary>
public sealed record MilestoneDto : Versioned
{
    public int Id { get; init; }

    public int PhaseId { get; init; }

    public int ProjectId { get; init; }

    public required string Title { get; init; }

    public MilestoneKind Kind { get; init; }

    public DateOnly DueDate { get; init; }

    public DateOnly? CompletedOn { get; init; }

    public bool Completed => CompletedOn is not null;

    /// <summary>The course this milestone stands for: completed on its end date once it is delivered.</summary>
    public int? CourseId { get; init; }

    /// <summary>The meeting this milestone stands for: completed on its end date once it has ended with conclusions.</summary>
    public int? MeetingId { get; init; }

    public bool Overdue { get; init; }

    public DateTime CreatedAt { get; init; }
}

public sealed record MilestoneQuery
{
    [Description("Only milestones of this kind: meeting, deliverable, activity.")]
    public EnumQuery<MilestoneKind>? Kind { get; init; }

    [Description("true: only completed milestones; false: only open ones.")]
    public bool? Completed { get; init; }

    [Description("The day overdue is judged on, YYYY-MM-DD (default today).")]
    public AsOf? AsOf { get; init; }
}
