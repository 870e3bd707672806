using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Meetings;

/// <summary>open → inProgress → implemented | dropped; implemented and dropped are final.</summary>
public enum RecommendationStatus
{
    Open,
    InProgress,
    Implemented,
    Dropped,
}

/// <summary>POST /api/meetings/{id}/recommendations.</summary>
public sealed record RecommendationRequest(
    [property: Required, StringLength(4000), MultiLine] string? Text,
    [property: StringLength(200)] string? Owner,
    DateOnly? DueDate);

/// <summary>PUT /api/recommendations/{id}: text, owner and dueDate as on creation, plus the status.</summary>
public sealed record RecommendationUpdate(
    [property: Required, StringLength(4000), MultiLine] string? Text,
    [property: StringLength(200)] string? Owner,
    DateOnly? DueDate,
    [property: Required] RecommendationStatus? Status);

/// <summary>A recommendation of a meeting. overdue = still open or in progress and dueDate before today (derived).</summary>
public sealed record RecommendationDto : Versioned
{
    public int Id { get; init; }

    public int MeetingId { get; init; }

    public required string MeetingTitle { get; init; }

    public int ProjectId { get; init; }

    public required string Text { get; init; }

    public string? Owner { get; init; }

    public DateOnly? DueDate { get; init; }

    public RecommendationStatus Status { get; init; }

    public bool Overdue { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }
}

public sealed record RecommendationQuery
{
    [Description("Only recommendations in this status: open, inProgress, implemented, dropped.")]
    public EnumQuery<RecommendationStatus>? Status { get; init; }

    [Description("Only recommendations of this meeting.")]
    public int? MeetingId { get; init; }

    [Description("YYYY-MM-DD (default today): the recommendations as they stood at the end of that day (made by then, in the status they had then, the status filter applied to it); overdue is judged on it.")]
    public Programmes.AsOf? AsOf { get; init; }
}

public sealed record RecommendationStatusQuery
{
    [Description("Only recommendations in this status: open, inProgress, implemented, dropped.")]
    public EnumQuery<RecommendationStatus>? Status { get; init; }
}
