namespace JointEfforts.Api.Reports;

/// <summary>
/// The one SQL definition of "trained", shared by the dashboard and both workbooks so they can never disagree.
/// </summary>
internal static class Training
{
    /// <summary>
    /// A CTE that follows a CTE named <c>scoped(id, ...)</c> holding the courses to look at. <c>completions</c> has one
    /// row per live enrolment (status <c>enrolled</c>) of those courses: sessions, sessions attended (present or
    /// late) and <c>trained</c>. It reads the view <c>enrolment_completion</c> (sql/0007), the one definition of
    /// "completed" that the attendance matrix uses too; its counts are kept current by triggers, so no report
    /// groups attendance rows.
    /// </summary>
    public const string CompletionsCte = """
        completions AS MATERIALIZED (
            SELECT ec.course_id, ec.participant_id, ec.sessions, ec.attended, ec.completed AS trained
            FROM enrolment_completion ec
            WHERE ec.course_id IN (SELECT id FROM scoped))
        """;

    /// <summary>
    /// Follows a CTE <c>scoped(id)</c> of courses: one row per knowledge-test question (by key, so the same question on
    /// the before and after forms is one row) with the answers and the correct ones, before and after the course.
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

    /// <summary>The reaction question whose mean is "meanOverall" everywhere.</summary>
    public const string OverallQuestionKey = "overall";

    /// <summary>
    /// Reaction responses whose form has a likert5 question keyed <c>overall</c>: the answers to that question
    /// are what "mean overall" averages (1..5).
    /// </summary>
    public const string OverallFormsSql = "SELECT form_id FROM form_questions WHERE question_key = 'overall' AND type = 'likert5'";

    // The schema's CHECK lists, in workflow order: the dashboard shows every one, zeros included.
    public static readonly IReadOnlyList<string> CourseStatuses = ["draft", "open", "closed", "delivered", "evaluated", "cancelled"];

    public static readonly IReadOnlyList<string> Sectors =
        ["lawEnforcement", "borderGuard", "judiciary", "health", "ngo", "labourInspection", "socialServices", "prison", "other"];

    public static readonly IReadOnlyList<string> Seniorities = ["senior", "field"];

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
