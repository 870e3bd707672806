namespace JointEfforts.Api.Evaluations.Figures;

/// <summary>
/// The SQL definitions that every figure of a course or a programme is built on (trained, the "overall" question), kept
/// with the evaluation feature so that Reports reads them and Evaluations never imports Reports.
/// </summary>
public static class FigureDefinitions
{
    /// <summary>
    /// A CTE that follows a CTE named <c>scoped(id, ...)</c> holding the courses to look at. <c>completions</c> has one
    /// row per live enrolment (status <c>enrolled</c>) of those courses: sessions, sessions attended (present or
    /// late) and <c>trained</c>. It reads the view <c>enrolment_completion</c> (sql/0007), the one definition of
    /// "completed" that the attendance matrix uses too.
    /// </summary>
    public const string CompletionsCte = """
        completions AS MATERIALIZED (
            SELECT ec.course_id, ec.participant_id, ec.sessions, ec.attended, ec.completed AS trained
            FROM enrolment_completion ec
            WHERE ec.course_id IN (SELECT id FROM scoped))
        """;

    /// <summary>The reaction question whose mean is "meanOverall" everywhere.</summary>
    public const string OverallQuestionKey = "overall";

    /// <summary>Forms with a likert5 question keyed <c>overall</c>: the answers to that question are what "mean overall" averages (1..5).</summary>
    public const string OverallFormsSql = "SELECT form_id FROM form_questions WHERE question_key = 'overall' AND type = 'likert5'";

    public static readonly IReadOnlyList<string> Sectors =
        ["lawEnforcement", "borderGuard", "judiciary", "health", "ngo", "labourInspection", "socialServices", "prison", "other"];

    public static readonly IReadOnlyList<string> Seniorities = ["senior", "field"];
}
