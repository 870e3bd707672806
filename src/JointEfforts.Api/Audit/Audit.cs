using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace JointEfforts.Api.Audit;

/// <summary>One change: who (userId, null for anonymous evaluation and start-up), what, when, through which request.</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }

    public DateTime At { get; init; }

    public int? UserId { get; init; }

    public string? UserName { get; init; }

    /// <summary><c>entity.insert|update|delete</c>, e.g. <c>enrolment.insert</c>.</summary>
    public required string Action { get; init; }

    public required string Entity { get; init; }

    public long? EntityId { get; init; }

    /// <summary>Non-personal facts about the change (status, parent ids).</summary>
    public JsonElement? Details { get; init; }

    /// <summary><c>METHOD /path</c> of the request that made the change.</summary>
    public string? Request { get; init; }
}

public sealed record AuditQuery
{
    [Description("Only changes of this entity (course, enrolment, evaluationReport, ...).")]
    [StringLength(50)]
    public string? Entity { get; init; }

    [Description("Only changes of the entity with this id (use with entity).")]
    public long? EntityId { get; init; }

    [Description("Only changes made by this user.")]
    public int? UserId { get; init; }

    [Description("Only changes at or after this UTC time (ISO 8601).")]
    public DateTime? From { get; init; }

    [Description("Only changes before this UTC time (ISO 8601).")]
    public DateTime? To { get; init; }
}
