namespace JointEfforts.Api.Reports;

/// <summary>
/// The one SQL definition of "trained", shared by the dashboard and both workbooks so they can never disagree.
/// </summary>
internal static class Training
{
    /// <summary>
    /// CTEs that follow a CTE named <c>scoped(id, completion_threshold, status)</c> holding the courses to look at.
    /// <c>completions</c> has one row per live enrolment (status <c>enrolled</c>): the course's sessions, the
    /// sessions attended (present or late) and <c>trained</c>, 1 when attended / sessions ≥ the course's
    /// completion threshold. A course without sessions, or cancelled, trains nobody. Division, not a multiplication of
    /// the threshold, keeps the boundary exact: 4 of 5 sessions is trained at 0.8, 7 of 10 at 0.7.
    /// The attended rows are read from ix_attendance_attended (sql/0005), which holds only present and late rows
    /// and every column the count needs. INDEXED BY, because without ANALYZE statistics (the API never runs it)
    /// SQLite prefers the primary key and then reads every attendance row for its status. (A correlated count per
    /// enrolment measured 1.6x slower than this GROUP BY at 100,000 attendance rows.)
    /// </summary>
    public const string CompletionsCte = """
        session_counts AS MATERIALIZED (
            SELECT s.course_id, COUNT(*) AS n
            FROM course_sessions s
            WHERE s.course_id IN (SELECT id FROM scoped)
            GROUP BY s.course_id),
        attended_counts AS MATERIALIZED (
            SELECT s.course_id, a.participant_id, COUNT(*) AS n
            FROM course_sessions s JOIN attendance a INDEXED BY ix_attendance_attended ON a.session_id = s.id
            WHERE s.course_id IN (SELECT id FROM scoped) AND a.status IN ('present', 'late')
            GROUP BY s.course_id, a.participant_id),
        completions AS MATERIALIZED (
            SELECT e.course_id, e.participant_id,
                   COALESCE(sc.n, 0) AS sessions,
                   COALESCE(ac.n, 0) AS attended,
                   COALESCE(c.status <> 'cancelled' AND sc.n > 0 AND COALESCE(ac.n, 0) * 1.0 / sc.n >= c.completion_threshold, 0) AS trained
            FROM enrolments e
            JOIN scoped c ON c.id = e.course_id
            LEFT JOIN session_counts sc ON sc.course_id = e.course_id
            LEFT JOIN attended_counts ac ON ac.course_id = e.course_id AND ac.participant_id = e.participant_id
            WHERE e.status = 'enrolled')
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
