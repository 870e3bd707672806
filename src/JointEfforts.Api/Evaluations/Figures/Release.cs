namespace JointEfforts.Api.Evaluations.Figures;

/// <summary>
/// When a course's evaluation results may be shown, and to whom (API.md, "Anonymity of evaluations"; docs/reliability.md,
/// "Release of evaluation results"). Every reader of evaluation figures (the course summary, the course workbook, the
/// expert report's figures, the dashboard and the steering workbook) asks here, through <see cref="CourseFigures"/> or
/// <see cref="ReleasedCourseSql"/>, so none of them can show a figure the others withhold.
/// <list type="bullet">
/// <item>Results (means, distributions, per-question counts, texts, test scores, knowledge gain) are released once the
/// course's evaluation has closed: the course is <c>evaluated</c> (the steering group accepted the expert's report) or
/// <c>cancelled</c>. Neither state takes answers any more (<see cref="EvaluationCourse.Answerable"/>), so the released
/// figures never change again and no two reads differ by one person's answers. Before that, only how many answered.</item>
/// <item>A group is large enough when at least <see cref="MinGroup"/> of its answers were not entered by the viewer: paper
/// forms someone entered themselves (audit_log, <c>evaluationPaperForm.insert</c>) do not count towards that person's
/// threshold, so known answers cannot lift one real answer over it (n−1).</item>
/// <item>Admin sees every figure, released or not, as API.md has always allowed.</item>
/// </list>
/// </summary>
public static class Release
{
    /// <summary>The smallest group whose answers are shown beyond their count: one or two answers are a person's.</summary>
    public const int MinGroup = 3;

    /// <summary>Course states in which a course's evaluation is closed and its results released.</summary>
    public static readonly IReadOnlyList<string> ReleasedStates = ["evaluated", "cancelled"];

    /// <summary>
    /// SQL: the course aliased <c>c</c> had its results released by the end of day <c>@asOf</c> (text YYYY-MM-DD; null: now):
    /// cancelled, or evaluated and its report not accepted after that day. A released course takes no more answers, so its figures are
    /// the same on every later day and two as-of dates never differ by one person's answers.
    /// </summary>
    public const string ReleasedCourseSql = """
        (c.status = 'cancelled' OR (c.status = 'evaluated' AND NOT EXISTS (
            SELECT 1 FROM evaluation_reports er WHERE er.course_id = c.id AND substr(er.accepted_at, 1, 10) > @asOf)))
        """;

    /// <summary>
    /// SQL: paper forms of purpose <c>r.purpose</c>-like column <paramref name="purposeColumn"/> entered by user <c>@viewerId</c>
    /// for the course id in <paramref name="courseColumn"/> (the audit log's row of each paper form names who entered it).
    /// </summary>
    public static string ViewerPaperSql(string courseColumn, string purposeColumn) => $"""
        (SELECT COUNT(*) FROM audit_log al
         WHERE al.action = 'evaluationPaperForm.insert' AND al.entity = 'course' AND al.entity_id = {courseColumn}
           AND al.user_id = @viewerId AND json_extract(al.details, '$.purpose') = {purposeColumn})
        """;

    public static bool IsReleased(string courseStatus) => ReleasedStates.Contains(courseStatus);

    /// <summary>
    /// Whether a figure over <paramref name="count"/> answers, <paramref name="enteredByViewer"/> of them paper forms the
    /// viewer entered, may be shown to <paramref name="viewer"/>.
    /// </summary>
    public static bool Shows(Viewer viewer, bool released, int count, int enteredByViewer) =>
        viewer.SeesAll || (released && count - enteredByViewer >= MinGroup);
}

/// <summary>Who reads evaluation figures: their user id (for the paper forms they entered) and whether they see every figure (admin).</summary>
public sealed record Viewer(int? UserId, bool SeesAll)
{
    public static Viewer Of(Infrastructure.Caller caller) => new(caller.UserId, caller.Role == Infrastructure.Role.Admin);

    /// <summary>What travels (an expert report's figures): small groups withheld even from admin.</summary>
    public static Viewer Travelling(Infrastructure.Caller caller) => new(caller.UserId, false);
}
