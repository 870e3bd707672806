using System.Data.Common;
using Dapper;

namespace JointEfforts.Api.Reports;

/// <summary>
/// The dashboard in one round trip: one command of <see cref="StatementCount"/> statements, every figure a
/// SQL aggregate, so its cost follows the indexes and never the number of courses, phases or answers.
/// </summary>
public static class DashboardQuery
{
    /// <summary>The statements in the batch; a test holds the dashboard to it whatever the data size.</summary>
    public const int StatementCount = 9;

    private const string Sql = $"""
        SELECT id AS Id, target_participants_trained AS TargetParticipantsTrained FROM projects WHERE id = @id;

        SELECT p.number AS Number, p.kind AS Kind, p.status AS Status,
               CASE WHEN COUNT(m.id) = 0 THEN 0.0 ELSE COUNT(m.completed_on) * 1.0 / COUNT(m.id) END AS Progress,
               COUNT(m.id) AS MilestonesTotal,
               COUNT(m.completed_on) AS MilestonesCompleted,
               COALESCE(SUM(m.completed_on IS NULL AND m.due_date < @today), 0) AS MilestonesOverdue
        FROM phases p LEFT JOIN milestones m ON m.phase_id = p.id
        WHERE p.project_id = @id
        GROUP BY p.id
        ORDER BY p.number;

        SELECT status AS Key, COUNT(*) AS Count FROM courses WHERE project_id = @id GROUP BY status;

        SELECT country_code AS Key, COUNT(*) AS Count FROM courses WHERE project_id = @id GROUP BY country_code ORDER BY country_code;

        WITH scoped AS MATERIALIZED (SELECT id, completion_threshold, status FROM courses WHERE project_id = @id AND status <> 'cancelled'),
        {Training.CompletionsCte},
        people AS MATERIALIZED (SELECT participant_id, MAX(trained) AS trained FROM completions GROUP BY participant_id)
        SELECT p.sector AS Key, COUNT(*) AS Enrolled, SUM(pe.trained) AS Trained
        FROM people pe JOIN participants p ON p.id = pe.participant_id
        GROUP BY p.sector;

        SELECT (SELECT COUNT(*) FROM courses c JOIN evaluation_responses r ON r.course_id = c.id AND r.purpose = 'reaction'
                WHERE c.project_id = @id) AS Responses,
               (SELECT AVG(a.number_value)
                FROM courses c
                JOIN evaluation_responses r ON r.course_id = c.id AND r.purpose = 'reaction'
                JOIN evaluation_answers a INDEXED BY ix_evaluation_answers_overall ON a.response_id = r.id AND a.question_key = '{Training.OverallQuestionKey}'
                WHERE c.project_id = @id AND r.form_id IN ({Training.OverallFormsSql})) AS MeanOverall;

        SELECT er.state AS Key, COUNT(*) AS Count
        FROM courses c JOIN evaluation_reports er ON er.course_id = c.id
        WHERE c.project_id = @id
        GROUP BY er.state;

        SELECT COUNT(*) AS Pairs, AVG(pre.score) AS MeanPre, AVG(post.score) AS MeanPost, AVG(post.score - pre.score) AS MeanGain
        FROM courses c
        JOIN evaluation_responses pre ON pre.course_id = c.id AND pre.purpose = 'preTest'
        JOIN evaluation_responses post ON post.code_id = pre.code_id AND post.purpose = 'postTest' AND post.course_id = pre.course_id
        WHERE c.project_id = @id AND pre.code_id IS NOT NULL AND pre.score IS NOT NULL AND post.score IS NOT NULL;

        SELECT r.status AS Key, COUNT(*) AS Count
        FROM meetings m JOIN recommendations r ON r.meeting_id = m.id
        WHERE m.project_id = @id
        GROUP BY r.status;
        """;

    /// <summary>The dashboard of programme <paramref name="projectId"/>, or null when there is no such programme.</summary>
    public static async Task<DashboardDto?> ReadAsync(DbConnection db, int projectId, DateOnly today, CancellationToken cancellationToken = default)
    {
        using var results = await db.QueryMultipleAsync(new CommandDefinition(
            Sql, new { id = projectId, today }, cancellationToken: cancellationToken));
        var project = await results.ReadSingleOrDefaultAsync<ProjectTarget>();
        var phases = (await results.ReadAsync<PhaseProgressDto>()).ToList();
        var byStatus = await results.ReadAsync<KeyCount>();
        var byCountry = await results.ReadAsync<KeyCount>();
        var people = (await results.ReadAsync<SectorCounts>()).ToList();
        var evaluation = await results.ReadSingleAsync<EvaluationFigures>();
        var reports = await results.ReadAsync<KeyCount>();
        var knowledge = await results.ReadSingleAsync<KnowledgeGainDto>();
        var recommendations = await results.ReadAsync<KeyCount>();
        if (project is null)
        {
            return null;
        }

        return new DashboardDto(
            project.Id,
            today,
            phases,
            new TrainingDto(
                Training.ZeroFilled(byStatus, Training.CourseStatuses),
                byCountry.ToDictionary(c => c.Key, c => c.Count, StringComparer.Ordinal),
                people.Sum(p => p.Enrolled),
                people.Sum(p => p.Trained),
                project.TargetParticipantsTrained,
                Training.ZeroFilled(people.Select(p => new KeyCount { Key = p.Key, Count = p.Enrolled }), Training.Sectors)),
            new EvaluationOverviewDto(
                evaluation.Responses,
                evaluation.MeanOverall,
                Training.ZeroFilled(reports, Training.ReportStates),
                knowledge),
            new RecommendationsOverviewDto(Training.ZeroFilled(recommendations, Training.RecommendationStatuses)));
    }

    private sealed record ProjectTarget
    {
        public int Id { get; init; }

        public int TargetParticipantsTrained { get; init; }
    }

    /// <summary>Distinct participants of one sector: enrolled, and trained in at least one course.</summary>
    private sealed record SectorCounts
    {
        public required string Key { get; init; }

        public int Enrolled { get; init; }

        public int Trained { get; init; }
    }

    private sealed record EvaluationFigures
    {
        public int Responses { get; init; }

        public double? MeanOverall { get; init; }
    }
}
