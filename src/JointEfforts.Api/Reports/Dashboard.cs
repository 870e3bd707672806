using JointEfforts.Api.Programmes;

namespace JointEfforts.Api.Reports;

/// <summary>A programme's progress as the steering group follows it.</summary>
/// <param name="AsOf">The day "overdue", "completed" and "held" are judged on (<c>?asOf=</c>, default today, UTC).</param>
public sealed record DashboardDto(
    int ProjectId,
    DateOnly AsOf,
    IReadOnlyList<PhaseProgressDto> Phases,
    TrainingDto Training,
    EvaluationOverviewDto Evaluation,
    RecommendationsOverviewDto Recommendations,
    MeetingsOverviewDto Meetings);

/// <summary>One phase: its status and the share of its milestones completed (0 when it has none).</summary>
public sealed record PhaseProgressDto
{
    public int Number { get; init; }

    public PhaseKind Kind { get; init; }

    public PhaseStatus Status { get; init; }

    /// <summary>Milestones completed / milestones, 0..1; 0 when the phase has none.</summary>
    public double Progress { get; init; }

    public int MilestonesTotal { get; init; }

    public int MilestonesCompleted { get; init; }

    /// <summary>Not completed on the as-of date and due before it.</summary>
    public int MilestonesOverdue { get; init; }
}

/// <summary>
/// Pilot courses and the people they reach. Participants are counted once however many courses they
/// took; cancelled courses count in <c>coursesByStatus</c>/<c>coursesByCountry</c> only.
/// </summary>
public sealed record TrainingDto(
    IReadOnlyDictionary<string, int> CoursesByStatus,
    IReadOnlyDictionary<string, int> CoursesByCountry,
    int ParticipantsEnrolled,
    int ParticipantsTrained,
    int TargetParticipantsTrained,
    IReadOnlyDictionary<string, int> SectorMix,
    IReadOnlyList<CountryTrainingDto> ByCountry,
    IReadOnlyDictionary<string, int> SeniorityMix,
    IReadOnlyList<CourseTrainingDto> ByCourse);

/// <summary>
/// One course of the programme as it stood at the end of the as-of day (by start date): its <c>status</c> then (the audit log's
/// record, or its dates and report for a day before the log knew it: docs/as-of.md), <c>enrolled</c> and <c>trained</c> as the
/// evaluation summary counts them, reaction <c>responses</c> dated by then, and <c>responseRate</c> = responses / enrolled for a
/// course delivered by then (null before). <c>sessionsHeld</c>: sessions on or before the day; <c>attendanceRecorded</c> false
/// with sessions held: no register was taken, so <c>trained</c> 0 means "not recorded", not that nobody completed (issue 25).
/// </summary>
public sealed record CourseTrainingDto(
    int CourseId,
    string Title,
    string CountryCode,
    string City,
    DateOnly StartDate,
    DateOnly EndDate,
    Courses.CourseStatus Status,
    int Enrolled,
    int Trained,
    int Responses,
    double? ResponseRate,
    int SessionsHeld,
    bool AttendanceRecorded);

/// <summary>
/// One country's pilot courses (by the course's country): courses (cancelled included, as in <c>coursesByCountry</c>),
/// distinct people enrolled and trained in them, reaction responses and their mean overall (1..5).
/// </summary>
public sealed record CountryTrainingDto(string CountryCode, int Courses, int Enrolled, int Trained, int Responses, double? MeanOverall);

/// <summary>Meetings that have ended by the as-of date, and those that have not, by start date.</summary>
public sealed record MeetingsOverviewDto(int Held, IReadOnlyList<UpcomingMeetingDto> Upcoming);

public sealed record UpcomingMeetingDto
{
    public int Id { get; init; }

    public required string Title { get; init; }

    public DateOnly StartDate { get; init; }
}

/// <summary>Anonymous evaluation across the programme's courses.</summary>
/// <param name="Responses">Reaction responses (online and paper); knowledge tests are in knowledgeGain.</param>
/// <param name="MeanOverall">Mean of the answers to the likert5 question keyed "overall" in reaction responses, 1..5; null without any.</param>
public sealed record EvaluationOverviewDto(
    int Responses,
    double? MeanOverall,
    IReadOnlyDictionary<string, int> ReportsByState,
    KnowledgeGainDto KnowledgeGain);

/// <summary>Pre- and post-test scores (0..1) of the same code, paired without naming anyone.</summary>
public sealed record KnowledgeGainDto
{
    public int Pairs { get; init; }

    public double? MeanPre { get; init; }

    public double? MeanPost { get; init; }

    public double? MeanGain { get; init; }
}

public sealed record RecommendationsOverviewDto(IReadOnlyDictionary<string, int> ByStatus);
