using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Evaluations.Figures;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Evaluations;


public enum ReportState
{
    Draft,
    Submitted,
    Accepted,
}

public sealed record EvaluationReportRequest(
    [property: Required, Description("The day the course was delivered (its last day).")] DateOnly? DeliveredOn,
    [property: Required, Range(0, 10_000)] int? ParticipantsAttended,
    [property: Required, StringLength(20_000, MinimumLength = 1), MultiLine] string? Summary,
    [property: StringLength(20_000), MultiLine] string? Strengths,
    [property: StringLength(20_000), MultiLine] string? Weaknesses,
    [property: MaxLength(50), MultiLine, Description("The expert's recommendations, one text each.")] IReadOnlyList<string>? Recommendations,
    [property: Required, Range(1, 5)] int? OverallRating) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Recommendations?.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 4000) == true)
        {
            yield return new ValidationResult("Each recommendation is a text of 1 to 4000 characters.", [nameof(Recommendations)]);
        }
    }
}

public sealed record ReturnReportRequest(
    [property: Required, StringLength(4000, MinimumLength = 1), MultiLine, Description("What the expert should change before submitting again.")] string? Comment);

/// <summary>A country expert's evaluation report, with where it is in its workflow.</summary>
public sealed record EvaluationReportDto : Versioned
{
    public int CourseId { get; init; }

    public DateOnly? DeliveredOn { get; init; }

    public int? ParticipantsAttended { get; init; }

    public string? Summary { get; init; }

    public string? Strengths { get; init; }

    public string? Weaknesses { get; init; }

    public IReadOnlyList<string> Recommendations { get; init; } = [];

    public int? OverallRating { get; init; }

    public ReportState State { get; init; }

    /// <summary>The steering group's comment when it last returned the report.</summary>
    public string? ReturnComment { get; init; }

    /// <summary>When the report was last submitted; kept when it is returned.</summary>
    public DateTime? SubmittedAt { get; init; }

    public DateTime? AcceptedAt { get; init; }

    /// <summary>When the report was last written; null for the prefilled draft of a course whose expert has not written yet.</summary>
    public DateTime? UpdatedAt { get; init; }

    /// <summary>What the data says about the course, computed when read (never written by the expert).</summary>
    public required ReportFigures Figures { get; init; }
}

/// <summary>
/// The course's figures beside the expert's words, from the one source of course figures (Evaluations/Figures/CourseFigures.cs):
/// trained = completed the course; meanOverall = mean of the likert5 question keyed "overall" of reaction responses;
/// responseRate = reaction responses / enrolled; knowledgeGain pairs pre- and post-test scores by code.
/// </summary>
public sealed record ReportFigures
{
    public int Enrolled { get; init; }

    public int Trained { get; init; }

    /// <summary>Every sector, zeros included: enrolled and trained.</summary>
    public required IReadOnlyDictionary<string, ReportHeadcount> BySector { get; init; }

    /// <summary>senior and field: enrolled and trained (the Antwerp meeting recommended targeting senior staff).</summary>
    public required IReadOnlyDictionary<string, ReportHeadcount> BySeniority { get; init; }

    public int Responses { get; init; }

    /// <summary>Reaction responses / enrolled, 0..1; null with nobody enrolled.</summary>
    public double? ResponseRate { get; init; }

    public double? MeanOverall { get; init; }

    public required KnowledgeGainDto KnowledgeGain { get; init; }
}

public sealed record ReportHeadcount(int Enrolled, int Trained);

/// <summary>One report in the list of reports awaiting (or past) the steering group, with its course and programme.</summary>
public sealed record EvaluationReportListItem
{
    public int CourseId { get; init; }

    public required string CourseTitle { get; init; }

    public required string CountryCode { get; init; }

    public CourseStatus CourseStatus { get; init; }

    public int ProjectId { get; init; }

    public required string ProjectCode { get; init; }

    public required string ProjectTitle { get; init; }

    public ReportState State { get; init; }

    public int? OverallRating { get; init; }

    public string? ReturnComment { get; init; }

    public DateTime? SubmittedAt { get; init; }

    public DateTime? AcceptedAt { get; init; }

    public DateTime UpdatedAt { get; init; }
}

public sealed record EvaluationReportQuery(
    [property: Description("Only reports in this state: draft, submitted (awaiting the steering group), accepted.")] EnumQuery<ReportState>? State,
    [property: Range(1, int.MaxValue), Description("Only reports of this programme's courses.")] int? ProjectId,
    [property: CountryCode, Description("Only reports of courses in this country (ISO 3166-1 alpha-2).")] string? CountryCode);
