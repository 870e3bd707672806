using JointEfforts.Api.Programmes;

namespace JointEfforts.Api.Reports;

/// <summary>A programme's progress as the steering group follows it.</summary>
/// <param name="AsOf">The day "overdue" is measured against (today, UTC).</param>
public sealed record DashboardDto(
    int ProjectId,
    DateOnly AsOf,
    IReadOnlyList<PhaseProgressDto> Phases,
    TrainingDto Training,
    EvaluationOverviewDto Evaluation,
    RecommendationsOverviewDto Recommendations);

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

    /// <summary>Not completed and due before today.</summary>
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
    IReadOnlyDictionary<string, int> SectorMix);

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
