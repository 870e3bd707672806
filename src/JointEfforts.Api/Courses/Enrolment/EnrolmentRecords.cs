using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Courses;

public enum EnrolmentStatus
{
    Enrolled,
    Waitlisted,
    Withdrawn,

    /// <summary>Still waitlisted when the course was delivered: the waitlist closed without a seat.</summary>
    NotAdmitted,
}

public sealed record EnrolmentRequest([property: Required, Range(1, int.MaxValue)] int? ParticipantId);

public sealed record EnrolmentDto : Versioned
{
    public int Id { get; init; }

    public int CourseId { get; init; }

    public int ParticipantId { get; init; }

    /// <summary>Null once the participant was erased.</summary>
    public string? FullName { get; init; }

    public EnrolmentStatus Status { get; init; }

    /// <summary>1 for the next to be promoted; only for waitlisted enrolments.</summary>
    public int? WaitlistPosition { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? WithdrawnAt { get; init; }
}

public sealed record EnrolmentQuery(
    [property: Description("Only enrolments in this status: enrolled, waitlisted, withdrawn.")] EnumQuery<EnrolmentStatus>? Status);
