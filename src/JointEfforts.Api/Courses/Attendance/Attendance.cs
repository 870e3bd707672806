using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Courses;

public enum AttendanceStatus
{
    Present,
    Late,
    Excused,
    Absent,
}

/// <summary>A register line. Checked by the handler, so errors are named as the client sent them: <c>[2].participantId</c>.</summary>
public sealed record AttendanceEntry(int? ParticipantId, AttendanceStatus? Status);

/// <summary>One session's register, as stored after a replace.</summary>
public sealed record AttendanceRegister(int CourseId, int SessionId, IReadOnlyList<AttendanceRecord> Entries) : Versioned;

public sealed record AttendanceRecord
{
    public int ParticipantId { get; init; }

    public AttendanceStatus Status { get; init; }
}

/// <summary>Sessions × enrolled participants. A participant completed when (present + late) / sessions ≥ the course's threshold.</summary>
public sealed record AttendanceMatrix(
    int CourseId,
    double CompletionThreshold,
    IReadOnlyList<SessionDto> Sessions,
    IReadOnlyList<ParticipantAttendance> Participants,
    int EnrolledCount,
    int CompletedCount);

public sealed record ParticipantAttendance(
    int ParticipantId,
    string? FullName,
    IReadOnlyList<SessionAttendance> Sessions,
    int Attended,
    double Rate,
    bool Completed);

/// <summary>Status is null where the session's register has no line for the participant.</summary>
public sealed record SessionAttendance(int SessionId, AttendanceStatus? Status);
