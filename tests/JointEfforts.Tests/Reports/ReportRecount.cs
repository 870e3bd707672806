using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Reports;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Tests.Reports;

/// <summary>
/// What the report aggregates of sql/0030 must always equal: the dashboard's statements as they were before them,
/// reading the base tables (enrolments, responses, answers) on every call, and a recount of each aggregate table.
/// </summary>
public static partial class ReportRecount
{
    /// <summary>DashboardQuery's batch before sql/0030, kept word for word as the reference.</summary>
    public const string Sql = $"""
        SELECT id AS Id, code AS Code, title AS Title, funding_programme AS Funder, start_date AS StartDate, end_date AS EndDate,
               target_participants_trained AS TargetParticipantsTrained
        FROM projects WHERE id = @id;

        SELECT p.number AS Number, p.kind AS Kind, p.status AS Status,
               CASE WHEN COUNT(m.id) = 0 THEN 0.0 ELSE COALESCE(SUM(CASE WHEN {DashboardQuery.CompletedAsOf} THEN 1 ELSE 0 END), 0) * 1.0 / COUNT(m.id) END AS Progress,
               COUNT(m.id) AS MilestonesTotal,
               COALESCE(SUM(CASE WHEN {DashboardQuery.CompletedAsOf} THEN 1 ELSE 0 END), 0) AS MilestonesCompleted,
               COALESCE(SUM(CASE WHEN {DashboardQuery.OverdueAsOf} THEN 1 ELSE 0 END), 0) AS MilestonesOverdue
        FROM phases p LEFT JOIN milestones m ON m.phase_id = p.id
        WHERE p.project_id = @id
        GROUP BY p.id
        ORDER BY p.number;

        SELECT status AS Key, COUNT(*) AS Count FROM courses WHERE project_id = @id GROUP BY status;

        SELECT country_code AS Key, COUNT(*) AS Count FROM courses WHERE project_id = @id GROUP BY country_code ORDER BY country_code;

        WITH scoped AS MATERIALIZED (SELECT id, completion_threshold, status FROM courses WHERE project_id = @id AND status <> 'cancelled'),
        {Training.CompletionsCte},
        people AS MATERIALIZED (SELECT participant_id, MAX(trained) AS trained FROM completions GROUP BY participant_id)
        SELECT p.sector AS Key, p.seniority AS Seniority, COUNT(*) AS Enrolled, SUM(pe.trained) AS Trained
        FROM people pe JOIN participants p ON p.id = pe.participant_id
        GROUP BY p.sector, p.seniority;

        SELECT er.state AS Key, COUNT(*) AS Count
        FROM courses c JOIN evaluation_reports er ON er.course_id = c.id
        WHERE c.project_id = @id
        GROUP BY er.state;

        SELECT r.status AS Key, COUNT(*) AS Count
        FROM meetings m JOIN recommendations r ON r.meeting_id = m.id
        WHERE m.project_id = @id
        GROUP BY r.status;

        WITH scoped AS MATERIALIZED (SELECT id, completion_threshold, status FROM courses WHERE project_id = @id AND status <> 'cancelled'),
        {Training.CompletionsCte},
        countries AS MATERIALIZED (SELECT id, country_code, status, min_participants FROM courses WHERE project_id = @id),
        people AS MATERIALIZED (
            SELECT cc.country_code, k.participant_id, MAX(k.trained) AS trained, COUNT(*) AS enrolments
            FROM completions k JOIN countries cc ON cc.id = k.course_id
            GROUP BY cc.country_code, k.participant_id),
        per_people AS (
            SELECT country_code, COUNT(*) AS enrolled, SUM(trained) AS trained, SUM(enrolments) AS enrolments
            FROM people GROUP BY country_code),
        reactions AS (
            SELECT cc.country_code, COUNT(*) AS responses, SUM(r.source = 'paper') AS paper
            FROM countries cc JOIN evaluation_responses r ON r.course_id = cc.id AND r.purpose = 'reaction'
            GROUP BY cc.country_code),
        overall AS (
            SELECT cc.country_code, AVG(a.number_value) AS mean, COUNT(a.number_value) AS answers
            FROM countries cc
            JOIN evaluation_responses r ON r.course_id = cc.id AND r.purpose = 'reaction'
            JOIN evaluation_answers a INDEXED BY ix_evaluation_answers_overall ON a.response_id = r.id AND a.question_key = '{Training.OverallQuestionKey}'
            WHERE r.form_id IN ({Training.OverallFormsSql})
            GROUP BY cc.country_code),
        pairs AS (
            SELECT cc.country_code, COUNT(*) AS pairs, AVG(pre.score) AS pre, AVG(post.score) AS post, AVG(post.score - pre.score) AS gain
            FROM countries cc
            JOIN evaluation_responses pre ON pre.course_id = cc.id AND pre.purpose = 'preTest'
            JOIN evaluation_responses post ON post.code_id = pre.code_id AND post.purpose = 'postTest' AND post.course_id = pre.course_id
            WHERE pre.code_id IS NOT NULL AND pre.score IS NOT NULL AND post.score IS NOT NULL
            GROUP BY cc.country_code),
        courses_by AS (
            SELECT cc.country_code, COUNT(*) AS courses,
                   SUM(CASE WHEN cc.status IN ('delivered', 'evaluated') THEN 1 ELSE 0 END) AS delivered, SUM(cc.status <> 'cancelled') AS planned,
                   COALESCE(SUM(CASE WHEN cc.status IN ('delivered', 'evaluated') THEN
                       (SELECT COUNT(*) FROM enrolments en WHERE en.course_id = cc.id AND en.status = 'enrolled') END), 0) AS delivered_enrolments,
                   COALESCE(SUM(CASE WHEN cc.status IN ('delivered', 'evaluated') THEN
                       (SELECT COUNT(*) FROM evaluation_responses r WHERE r.course_id = cc.id AND r.purpose = 'reaction') END), 0) AS delivered_responses,
                   COALESCE(SUM(er.state = 'draft'), 0) AS drafts, COALESCE(SUM(er.state = 'submitted'), 0) AS submitted,
                   COALESCE(SUM(er.state = 'accepted'), 0) AS accepted
            FROM countries cc LEFT JOIN evaluation_reports er ON er.course_id = cc.id
            GROUP BY cc.country_code)
        SELECT cb.country_code AS CountryCode, cb.courses AS Courses, cb.delivered AS Delivered, cb.planned AS Planned,
               COALESCE(pp.enrolled, 0) AS Enrolled, COALESCE(pp.trained, 0) AS Trained, COALESCE(pp.enrolments, 0) AS Enrolments,
               COALESCE(rs.responses, 0) AS Responses, COALESCE(rs.paper, 0) AS PaperResponses,
               cb.delivered_responses AS DeliveredResponses, cb.delivered_enrolments AS DeliveredEnrolments,
               ov.mean AS MeanOverall, COALESCE(ov.answers, 0) AS OverallAnswers,
               COALESCE(pr.pairs, 0) AS Pairs, COALESCE(pr.pairs, 0) AS ReleasedPairs, pr.pre AS MeanPre, pr.post AS MeanPost, pr.gain AS KnowledgeGain,
               cb.drafts AS ReportsDraft, cb.submitted AS ReportsSubmitted, cb.accepted AS ReportsAccepted
        FROM courses_by cb
        LEFT JOIN per_people pp ON pp.country_code = cb.country_code
        LEFT JOIN reactions rs ON rs.country_code = cb.country_code
        LEFT JOIN overall ov ON ov.country_code = cb.country_code
        LEFT JOIN pairs pr ON pr.country_code = cb.country_code
        ORDER BY cb.country_code;

        SELECT COUNT(*) FROM meetings WHERE project_id = @id AND end_date <= @asOf;

        SELECT id AS Id, title AS Title, start_date AS StartDate
        FROM meetings WHERE project_id = @id AND end_date > @asOf
        ORDER BY start_date, id;
        """;

    /// <summary>Rows of the aggregate tables that differ from a recount from the base tables (0 when every one is right).</summary>
    public const string Mismatches = """
        WITH people AS (
            SELECT c.project_id, ec.participant_id, c.country_code, p.sector, p.seniority, COUNT(*) AS enrolments, MAX(ec.completed) AS trained
            FROM enrolment_completion ec JOIN courses c ON c.id = ec.course_id JOIN participants p ON p.id = ec.participant_id
            WHERE c.status <> 'cancelled'
            GROUP BY c.project_id, ec.participant_id, c.country_code, p.sector, p.seniority),
        countries AS (
            SELECT project_id, country_code, COUNT(*) AS people, SUM(trained) AS trained, SUM(enrolments) AS enrolments
            FROM people GROUP BY project_id, country_code),
        mix AS (
            SELECT project_id, sector, seniority, COUNT(*) AS people, SUM(trained) AS trained
            FROM (SELECT project_id, participant_id, sector, seniority, MAX(trained) AS trained FROM people GROUP BY project_id, participant_id, sector, seniority) person
            GROUP BY project_id, sector, seniority),
        evaluations AS (
            SELECT c.id AS course_id,
                   (SELECT COUNT(*) FROM evaluation_responses r WHERE r.course_id = c.id AND r.purpose = 'reaction') AS reactions,
                   (SELECT COUNT(*) FROM evaluation_responses r WHERE r.course_id = c.id AND r.purpose = 'reaction' AND r.source = 'paper') AS paper,
                   (SELECT COUNT(a.number_value) FROM evaluation_responses r JOIN evaluation_answers a ON a.response_id = r.id
                    WHERE r.course_id = c.id AND r.purpose = 'reaction' AND a.question_key = 'overall'
                      AND r.form_id IN (SELECT form_id FROM form_questions WHERE question_key = 'overall' AND type = 'likert5')) AS overall_answers,
                   (SELECT ROUND(TOTAL(a.number_value), 9) FROM evaluation_responses r JOIN evaluation_answers a ON a.response_id = r.id
                    WHERE r.course_id = c.id AND r.purpose = 'reaction' AND a.question_key = 'overall'
                      AND r.form_id IN (SELECT form_id FROM form_questions WHERE question_key = 'overall' AND type = 'likert5')) AS overall_sum,
                   (SELECT COUNT(*) FROM evaluation_responses r WHERE r.course_id = c.id AND r.purpose = 'preTest') AS pre_tests,
                   (SELECT COUNT(*) FROM evaluation_responses r WHERE r.course_id = c.id AND r.purpose = 'postTest') AS post_tests,
                   (SELECT COUNT(*) || ' ' || ROUND(TOTAL(pre.score), 9) || ' ' || ROUND(TOTAL(post.score), 9) || ' ' || ROUND(TOTAL(post.score - pre.score), 9)
                    FROM evaluation_responses pre JOIN evaluation_responses post ON post.code_id = pre.code_id AND post.purpose = 'postTest'
                    WHERE pre.course_id = c.id AND post.course_id = c.id AND pre.purpose = 'preTest' AND pre.score IS NOT NULL AND post.score IS NOT NULL) AS pairs
            FROM courses c),
        kept AS (
            SELECT course_id, reactions, paper, overall_answers, ROUND(overall_sum, 9) AS overall_sum, pre_tests, post_tests,
                   pairs || ' ' || ROUND(pre_sum, 9) || ' ' || ROUND(post_sum, 9) || ' ' || ROUND(gain_sum, 9) AS pairs
            FROM report_course_evaluations)
        SELECT (SELECT COUNT(*) FROM (SELECT * FROM report_people EXCEPT SELECT * FROM people) d1)
             + (SELECT COUNT(*) FROM (SELECT * FROM people EXCEPT SELECT * FROM report_people) d2)
             + (SELECT COUNT(*) FROM (SELECT * FROM report_countries WHERE people <> 0 OR trained <> 0 OR enrolments <> 0 EXCEPT SELECT * FROM countries) d3)
             + (SELECT COUNT(*) FROM (SELECT * FROM countries EXCEPT SELECT * FROM report_countries) d4)
             + (SELECT COUNT(*) FROM (SELECT * FROM report_mix WHERE people <> 0 OR trained <> 0 EXCEPT SELECT * FROM mix) d5)
             + (SELECT COUNT(*) FROM (SELECT * FROM mix EXCEPT SELECT * FROM report_mix) d6)
             + (SELECT COUNT(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM evaluations) d7)
             + (SELECT COUNT(*) FROM (SELECT * FROM evaluations EXCEPT SELECT * FROM kept) d8)
             + (SELECT COUNT(*) FROM report_people_refresh) + (SELECT COUNT(*) FROM report_course_refresh)
        """;

    public static long CountMismatches(System.Data.Common.DbConnection db) =>
        db.ExecuteScalar<long>(db.IsPostgres() ? db.Sql(RoundToNine().Replace(Mismatches, "ROUND(CAST($1 AS numeric), 9)")) : Mismatches);

    /// <summary>
    /// What differs, for a failure message: each aggregate's rows that the recount lacks ("kept") and the recount's rows it lacks
    /// ("counted"), as <see cref="Mismatches"/> compares them.
    /// </summary>
    public static string DescribeMismatches(System.Data.Common.DbConnection db)
    {
        var with = Mismatches[..Mismatches.IndexOf("SELECT (SELECT COUNT(*)", StringComparison.Ordinal)];
        var pairs = new[] { ("report_people", "people"), ("report_countries", "countries"), ("report_mix", "mix"), ("kept", "evaluations") };
        var lines = new List<string>();
        foreach (var (kept, counted) in pairs)
        {
            foreach (var (side, sql) in new[] { ("kept", $"SELECT * FROM {kept} EXCEPT SELECT * FROM {counted}"), ("counted", $"SELECT * FROM {counted} EXCEPT SELECT * FROM {kept}") })
            {
                var text = with + sql;
                text = db.IsPostgres() ? db.Sql(RoundToNine().Replace(text, "ROUND(CAST($1 AS numeric), 9)")) : text;
                lines.AddRange(db.Query(text).Select(row => $"{kept} {side}: " + string.Join(", ", ((IDictionary<string, object>)row).Select(kv => $"{kv.Key}={kv.Value}"))));
            }
        }

        return string.Join("\n", lines);
    }

    /// <summary>ROUND(x, 9): PostgreSQL rounds to decimal places only a numeric.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"ROUND\(([^,]+), 9\)")]
    private static partial System.Text.RegularExpressions.Regex RoundToNine();

    /// <summary>
    /// The programme's figures as the dashboard reads them now and as the reference reads them from the base tables.
    /// Means of the per-country rows (which the JSON does not round) are compared to 9 decimals: a sum of sums adds
    /// the same scores in another order.
    /// </summary>
    public static async Task<(string Now, string Reference)> FiguresAsync(System.Data.Common.DbConnection db, int projectId, DateOnly asOf)
    {
        var now = await DashboardQuery.ReadFiguresAsync(db, projectId, asOf);
        var reference = await DashboardQuery.ReadFiguresAsync(db, projectId, asOf, Sql);
        return (Describe(now), Describe(reference));
    }

    private static string Describe(ProgrammeFigures? figures) =>
        figures is null
            ? "none"
            : System.Text.Json.JsonSerializer.Serialize(new
            {
                figures.Dashboard,
                figures.PaperResponses,
                Countries = figures.Countries.Select(c => c with
                {
                    MeanOverall = Round(c.MeanOverall), MeanPre = Round(c.MeanPre), MeanPost = Round(c.MeanPost), KnowledgeGain = Round(c.KnowledgeGain),
                }),
            });

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 9) : null;
}
