using JointEfforts.Api.Evaluations.Figures;

namespace JointEfforts.Api.Reports;

/// <summary>
/// The one SQL definition of "trained", shared by the dashboard and both workbooks so they can never disagree.
/// </summary>
internal static class Training
{
    /// <summary>Completions of the courses in <c>scoped</c>: <see cref="FigureDefinitions.CompletionsCte"/>.</summary>
    public const string CompletionsCte = FigureDefinitions.CompletionsCte;

    /// <summary>
    /// Follows a CTE <c>scoped(id)</c> of courses: one row per knowledge-test question (by key, so the same question on
    /// the before and after forms is one row) with the answers and the correct ones, before and after the course; as of a past day
    /// (<c>@snapshot</c>), the answers of tests submitted by the end of <c>@asOf</c>.
    /// </summary>
    public const string KnowledgeByQuestionSql = """
        answered AS MATERIALIZED (
            SELECT r.purpose, q.question_key, MIN(q.position) AS position, MIN(q.texts) AS texts,
                   COUNT(DISTINCT r.id) AS answers,
                   COUNT(DISTINCT CASE WHEN a.option_value = q.correct_option THEN r.id END) AS correct
            FROM evaluation_responses r
            JOIN evaluation_answers a ON a.response_id = r.id
            JOIN form_questions q ON q.form_id = r.form_id AND q.question_key = a.question_key
            WHERE r.course_id IN (SELECT id FROM scoped) AND r.purpose IN ('preTest', 'postTest') AND q.correct_option IS NOT NULL
              AND (NOT @snapshot OR substr(r.submitted_at, 1, 10) <= @asOf)
            GROUP BY r.purpose, q.question_key)
        SELECT question_key AS QuestionKey, MIN(texts) AS Texts,
               COALESCE(SUM(CASE WHEN purpose = 'preTest' THEN answers END), 0) AS AnswersBefore,
               COALESCE(SUM(CASE WHEN purpose = 'preTest' THEN correct END), 0) AS CorrectBefore,
               COALESCE(SUM(CASE WHEN purpose = 'postTest' THEN answers END), 0) AS AnswersAfter,
               COALESCE(SUM(CASE WHEN purpose = 'postTest' THEN correct END), 0) AS CorrectAfter
        FROM answered
        GROUP BY question_key
        ORDER BY MIN(position), question_key
        """;

    public const string OverallQuestionKey = FigureDefinitions.OverallQuestionKey;

    public const string OverallFormsSql = FigureDefinitions.OverallFormsSql;

    // The schema's CHECK lists, in workflow order: the dashboard shows every one, zeros included.
    public static readonly IReadOnlyList<string> CourseStatuses = ["draft", "open", "closed", "delivered", "evaluated", "cancelled"];

    public static readonly IReadOnlyList<string> Sectors = FigureDefinitions.Sectors;

    public static readonly IReadOnlyList<string> Seniorities = FigureDefinitions.Seniorities;

    public static readonly IReadOnlyList<string> ReportStates = ["draft", "submitted", "accepted"];

    public static readonly IReadOnlyList<string> RecommendationStatuses = ["open", "inProgress", "implemented", "dropped"];

    /// <summary>Every known key with its count (0 when absent), in the order given, then any key the list does not know.</summary>
    public static IReadOnlyDictionary<string, int> ZeroFilled(IEnumerable<KeyCount> counts, IReadOnlyList<string> keys)
    {
        var found = counts.ToDictionary(c => c.Key, c => c.Count, StringComparer.Ordinal);
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            result[key] = found.GetValueOrDefault(key);
        }

        foreach (var (key, count) in found.Where(f => !result.ContainsKey(f.Key)))
        {
            result[key] = count;
        }

        return result;
    }
}

/// <summary>A GROUP BY row: a category and how many.</summary>
internal sealed record KeyCount
{
    public required string Key { get; init; }

    public int Count { get; init; }
}
