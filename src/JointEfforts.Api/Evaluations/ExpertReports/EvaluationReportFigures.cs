using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Evaluations.Figures;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Evaluations;

/// <summary>The figures every report carries, read from the one source of course figures, and the rows the reports are read into.</summary>
public static partial class EvaluationReportsApi
{
    /// <summary>Enrolled and trained per sector and seniority, on the shared definition of "trained" (FigureDefinitions).</summary>
    /// As of a past day (<c>@snapshot</c>), the enrolments that stood then and who was trained by then (<see cref="Snapshot.EnrolmentsSql"/>),
    /// the rows the course figures count enrolled and trained from.
    private static readonly string HeadcountsSql = $"""
        WITH scoped AS MATERIALIZED (SELECT id FROM courses WHERE id = @id),
        {FigureDefinitions.CompletionsCte},
        stood AS (
            SELECT participant_id, trained FROM completions WHERE NOT @snapshot
            UNION ALL
            SELECT s.participant_id, s.trained FROM ({Snapshot.EnrolmentsSql}) s WHERE @snapshot AND s.course_id = @id)
        SELECT p.sector AS Sector, p.seniority AS Seniority, COUNT(*) AS Enrolled, COALESCE(SUM(co.trained), 0) AS Trained
        FROM stood co JOIN participants p ON p.id = co.participant_id
        GROUP BY p.sector, p.seniority;
        """;

    /// <summary>
    /// The course's figures from the one source (Evaluations/Figures/CourseFigures), released by its rules. A report travels
    /// (to the steering group, into minutes): a mean of fewer than 3 answers is one or two people's, so the report carries its
    /// count only, for every reader, admin included. <paramref name="asOf"/> (<c>?asOf=</c>): the figures at the end of that day
    /// (<see cref="Snapshot"/>); null: now.
    /// </summary>
    private static async Task<ReportFigures> ReadFiguresAsync(
        DbConnection db, int id, Caller caller, DbTransaction? transaction, FiguresAsOf asOf = default)
    {
        var groups = (await db.QueryAsync<FigureGroup>(db.Sql(HeadcountsSql), new
        {
            id,
            asOf = asOf.Text,
            snapshot = asOf.IsPast,
            programme = (int?)null,
        }, transaction)).ToList();
        var figures = (await CourseFigures.ReadAsync(db, id, Viewer.Travelling(caller), asOf.Day, transaction, today: asOf.Today))!;
        return new ReportFigures
        {
            Enrolled = figures.Enrolled,
            Trained = figures.Trained,
            BySector = Headcounts(groups, g => g.Sector, FigureDefinitions.Sectors),
            BySeniority = Headcounts(groups, g => g.Seniority, Seniorities),
            Responses = figures.Responses.Reaction,
            ResponseRate = figures.ResponseRate,
            MeanOverall = figures.MeanOverall,
            KnowledgeGain = figures.KnowledgeGain,
        };
    }

    private static readonly IReadOnlyList<string> Seniorities = ["senior", "field"];

    /// <summary>The (at most 18) sector × seniority groups folded to one side, every known key present.</summary>
    private static Dictionary<string, ReportHeadcount> Headcounts(List<FigureGroup> groups, Func<FigureGroup, string> key, IReadOnlyList<string> keys)
    {
        var result = keys.ToDictionary(k => k, _ => new ReportHeadcount(0, 0), StringComparer.Ordinal);
        foreach (var g in groups.GroupBy(key))
        {
            result[g.Key] = new ReportHeadcount(g.Sum(x => x.Enrolled), g.Sum(x => x.Trained));
        }

        return result;
    }

    private sealed record FigureGroup
    {
        public required string Sector { get; init; }

        public required string Seniority { get; init; }

        public int Enrolled { get; init; }

        public int Trained { get; init; }
    }

    private sealed record StateRow
    {
        public ReportState State { get; init; }

        public long Version { get; init; }
    }

    private sealed record ReportRow
    {
        public int CourseId { get; init; }

        public DateOnly? DeliveredOn { get; init; }

        public int? ParticipantsAttended { get; init; }

        public string? Summary { get; init; }

        public string? Strengths { get; init; }

        public string? Weaknesses { get; init; }

        public required string RecommendationsJson { get; init; }

        public int? OverallRating { get; init; }

        public ReportState State { get; init; }

        public string? ReturnComment { get; init; }

        public DateTime? SubmittedAt { get; init; }

        public DateTime? AcceptedAt { get; init; }

        public DateTime UpdatedAt { get; init; }

        public long Version { get; init; }

        public EvaluationReportDto ToDto(ReportFigures figures) => new()
        {
            Figures = figures,
            CourseId = CourseId,
            DeliveredOn = DeliveredOn,
            ParticipantsAttended = ParticipantsAttended,
            Summary = Summary,
            Strengths = Strengths,
            Weaknesses = Weaknesses,
            Recommendations = JsonSerializer.Deserialize<List<string>>(RecommendationsJson) ?? [],
            OverallRating = OverallRating,
            State = State,
            ReturnComment = ReturnComment,
            SubmittedAt = SubmittedAt,
            AcceptedAt = AcceptedAt,
            UpdatedAt = UpdatedAt,
            Version = Version,
        };
    }
}
