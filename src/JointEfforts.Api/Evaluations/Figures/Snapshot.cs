namespace JointEfforts.Api.Evaluations.Figures;

/// <summary>
/// What was true at the end of an as-of day (issue 25, "asOf is a snapshot"): the one SQL definition of every figure's
/// past state, read by the dashboard, the steering workbook and the course figures (the course workbook, the expert
/// report's figures). Each fragment takes <c>@asOf</c> (YYYY-MM-DD) and <c>@snapshot</c>: 0 reads the current state (the
/// aggregates of sql/0030, cheap at any size), 1 the state at the end of <c>@asOf</c> from the dated rows:
/// <list type="bullet">
/// <item>A course's <b>status</b> on the day is the one the audit log recorded last by then; for a day before the log's first
/// record of it (courses entered after the fact, as the demo's) the one its dates and report give: delivered when it took place
/// and its end date is on or before the day, evaluated when its report was accepted by then (<see cref="CourseStatusSql"/>).
/// It is <b>delivered</b> by then when that status is delivered or evaluated.</item>
/// <item>An <b>enrolment</b> stood on the day when it was recorded by then (or the course had started by then: a roster
/// entered after a course began records who was there) and was not withdrawn by then. Its participant was <b>trained</b>
/// by then when the course was delivered by then and they completed it.</item>
/// <item>A <b>response</b> counts when it was submitted on or before the day (and a test pair when both were).</item>
/// <item>An expert <b>report</b> is accepted / submitted by then by its own dates; a report of a course that had ended
/// by then and was neither is a draft; before its course ended there was none.</item>
/// <item>A <b>phase</b>'s status is the one the audit log recorded last by then; before the log's first record of it, the one
/// its milestones and dates give (<see cref="PhaseStatusSql"/>).</item>
/// <item>A <b>recommendation</b> exists from its meeting's end (or when it was recorded, if earlier); its status is the one
/// the audit log recorded last by then (before the first record: the status it was recorded with).</item>
/// </list>
/// </summary>
public static class Snapshot
{
    /// <summary>What OpenAPI says of <c>?asOf=</c> on the routes of a course's figures.</summary>
    public const string AsOfDescription =
        "YYYY-MM-DD (default today, UTC; 1900-01-01..2100-12-31, anything else a 400 naming asOf): the figures as they stood at the end of " +
        "that day: enrolled as it stood, trained in a course delivered by then, responses dated up to then, released when the report was " +
        "accepted by then.";

    /// <summary>
    /// SQL: the rows of the course workbook's Attendance and Participants sheets stood at the end of <c>@asOf</c> when their session had
    /// taken place by then (a register taken later records that day; one entered ahead of its session does not count before it).
    /// </summary>
    public const string SessionHeldSql = "(NOT @snapshot OR s.date <= @asOf)";

    /// <summary>
    /// Whether figures as of <paramref name="asOf"/> are a snapshot of the past (a day before <paramref name="today"/>, the
    /// route's clock) or the current state (today, or no clock given).
    /// </summary>
    public static bool IsPast(DateOnly? asOf, DateOnly? today) => asOf is { } day && today is { } now && day < now;

    /// <summary>
    /// SQL: the status course <c>c</c> had at the end of <c>@asOf</c> as its dates and report tell, for a day the audit log knows
    /// nothing of (<see cref="CourseStatusSql"/>): a course that took place (delivered or evaluated now, or closed) had not started
    /// before its start date (enrolment open), was under way until its end date (enrolment closed), and was delivered from then
    /// until its report was accepted (evaluated). Draft, open and cancelled courses keep the status they have.
    /// </summary>
    public const string DatedCourseStatusSql = $"""
        (CASE WHEN c.status IN ('closed', 'delivered', 'evaluated') AND c.start_date > @asOf THEN 'open'
              WHEN c.status IN ('delivered', 'evaluated') AND c.end_date > @asOf THEN 'closed'
              WHEN c.status = 'evaluated' AND NOT {Release.ReleasedCourseSql} THEN 'delivered'
              ELSE c.status END)
        """;

    /// <summary>
    /// SQL: the status course <c>c</c> had at the end of <c>@asOf</c> (issue 25): the status the audit log recorded last for it by the
    /// end of that day (every insert and status change of a course writes one, sql/0006 and 0007); when the log holds no record
    /// of the course by then (a course entered after the fact, as the demo's are: their audit rows are stamped when the demo was
    /// seeded), the status its dates and report give (<see cref="DatedCourseStatusSql"/>). Now: its status.
    /// </summary>
    public static readonly string CourseStatusSql = AuditedStatusSql("course", "c", DatedCourseStatusSql);

    /// <summary>SQL: course <c>c</c> was delivered (or evaluated) by the end of <c>@asOf</c>: its status then (<see cref="CourseStatusSql"/>) says so.</summary>
    public static readonly string DeliveredSql = $"({CourseStatusSql} IN ('delivered', 'evaluated'))";

    /// <summary>
    /// SQL rows <c>(course_id, participant_id, trained)</c>: the enrolments that stood at the end of <c>@asOf</c> in the
    /// courses of programme <c>@programme</c> (every programme when null), and whether each was completed in a course
    /// delivered by then. The completion rule is the view <c>enrolment_completion</c>'s (sql/0020).
    /// </summary>
    public static readonly string EnrolmentsSql = $"""
        WITH then_courses AS MATERIALIZED (
            SELECT c.id, c.country_code, c.status, c.start_date, c.session_count, c.completion_threshold, {DeliveredSql} AS delivered
            FROM courses c WHERE @programme IS NULL OR c.project_id = @programme)
        SELECT e.course_id, e.participant_id, c.country_code, c.status AS course_status,
               CAST((c.delivered AND c.session_count > 0 AND e.sessions_attended * 1.0 / c.session_count >= c.completion_threshold) AS INTEGER) AS trained
        FROM enrolments e JOIN then_courses c ON c.id = e.course_id
        WHERE min(substr(e.created_at, 1, 10), c.start_date) <= @asOf
          AND (e.status = 'enrolled' OR (e.status = 'withdrawn' AND substr(e.withdrawn_at, 1, 10) > @asOf))
        """;

    /// <summary>
    /// SQL: rows shaped like <c>report_course_evaluations</c> (sql/0030) for the courses of programme <c>@id</c>: the
    /// table itself now, or the same sums over the responses submitted by the end of <c>@asOf</c>.
    /// </summary>
    public const string CourseEvaluationsSql = $"""
        (SELECT course_id, reactions, paper, overall_answers, overall_sum, pre_tests, post_tests, pairs, pre_sum, post_sum, gain_sum
         FROM report_course_evaluations WHERE NOT @snapshot
         UNION ALL
         SELECT c.id, COALESCE(n.reactions, 0), COALESCE(n.paper, 0), COALESCE(o.answers, 0), COALESCE(o.total, 0),
                COALESCE(n.pre_tests, 0), COALESCE(n.post_tests, 0), COALESCE(p.pairs, 0), COALESCE(p.pre_sum, 0),
                COALESCE(p.post_sum, 0), COALESCE(p.gain_sum, 0)
         FROM courses c
         LEFT JOIN (SELECT r.course_id, SUM(r.purpose = 'reaction') AS reactions, SUM(r.purpose = 'reaction' AND r.source = 'paper') AS paper,
                           SUM(r.purpose = 'preTest') AS pre_tests, SUM(r.purpose = 'postTest') AS post_tests
                    FROM evaluation_responses r
                    WHERE @snapshot AND r.course_id IN (SELECT id FROM courses WHERE project_id = @id) AND substr(r.submitted_at, 1, 10) <= @asOf
                    GROUP BY r.course_id) n ON n.course_id = c.id
         LEFT JOIN (SELECT r.course_id, COUNT(a.number_value) AS answers, TOTAL(a.number_value) AS total
                    FROM evaluation_responses r
                    JOIN evaluation_answers a INDEXED BY ix_evaluation_answers_overall ON a.response_id = r.id AND a.question_key = '{FigureDefinitions.OverallQuestionKey}'
                    WHERE @snapshot AND r.course_id IN (SELECT id FROM courses WHERE project_id = @id) AND r.purpose = 'reaction'
                      AND r.form_id IN ({FigureDefinitions.OverallFormsSql}) AND substr(r.submitted_at, 1, 10) <= @asOf
                    GROUP BY r.course_id) o ON o.course_id = c.id
         LEFT JOIN (SELECT pre.course_id, COUNT(*) AS pairs, TOTAL(pre.score) AS pre_sum, TOTAL(post.score) AS post_sum,
                           TOTAL(post.score - pre.score) AS gain_sum
                    FROM evaluation_responses pre
                    JOIN evaluation_responses post ON post.code_id = pre.code_id AND post.purpose = 'postTest' AND post.course_id = pre.course_id
                    WHERE @snapshot AND pre.course_id IN (SELECT id FROM courses WHERE project_id = @id) AND pre.purpose = 'preTest'
                      AND pre.code_id IS NOT NULL AND pre.score IS NOT NULL AND post.score IS NOT NULL
                      AND substr(pre.submitted_at, 1, 10) <= @asOf AND substr(post.submitted_at, 1, 10) <= @asOf
                    GROUP BY pre.course_id) p ON p.course_id = c.id
         WHERE @snapshot AND c.project_id = @id)
        """;

    /// <summary>SQL: the state report <c>er</c> of course <c>c</c> had at the end of <c>@asOf</c>; null when there was none yet.</summary>
    public const string ReportStateSql = """
        (CASE WHEN NOT @snapshot THEN er.state
              WHEN er.state = 'accepted' AND substr(er.accepted_at, 1, 10) <= @asOf THEN 'accepted'
              WHEN er.state IN ('submitted', 'accepted') AND substr(er.submitted_at, 1, 10) <= @asOf THEN 'submitted'
              WHEN c.end_date <= @asOf THEN 'draft' END)
        """;

    /// <summary>
    /// SQL: the status phase <c>p</c> had at the end of <c>@asOf</c> as its milestones and dates tell, for a day the audit log knows
    /// nothing of (<see cref="PhaseStatusSql"/>): a phase completed now was completed by then when every milestone of it had been
    /// (a phase without milestones: when its planned end had passed); a phase under way or completed now was under way by then
    /// when its planned start had come or one of its milestones had been completed, and not started before. A phase not started
    /// now had not started then either.
    /// </summary>
    public const string DatedPhaseStatusSql = """
        (CASE WHEN p.status = 'notStarted' THEN 'notStarted'
              WHEN p.status = 'completed'
                   AND NOT EXISTS (SELECT 1 FROM milestones pm WHERE pm.phase_id = p.id AND (pm.completed_on IS NULL OR pm.completed_on > @asOf))
                   AND (p.planned_end <= @asOf OR EXISTS (SELECT 1 FROM milestones pm WHERE pm.phase_id = p.id)) THEN 'completed'
              WHEN p.planned_start <= @asOf
                   OR EXISTS (SELECT 1 FROM milestones pm WHERE pm.phase_id = p.id AND pm.completed_on <= @asOf) THEN 'inProgress'
              ELSE 'notStarted' END)
        """;

    /// <summary>
    /// SQL: the status phase <c>p</c> had at the end of <c>@asOf</c> (issue 25): the one the audit log recorded last for it by then
    /// (every insert and update of a phase writes one, sql/0006); before the log's first record of it (the demo's phases are
    /// stamped when it was seeded) the one its milestones and dates give (<see cref="DatedPhaseStatusSql"/>). Now: its status.
    /// </summary>
    public static readonly string PhaseStatusSql = AuditedStatusSql("phase", "p", DatedPhaseStatusSql);

    /// <summary>SQL: recommendation <c>r</c> of meeting <c>m</c> existed at the end of <c>@asOf</c>.</summary>
    public const string RecommendationExistsSql = "(NOT @snapshot OR min(substr(r.created_at, 1, 10), m.end_date) <= @asOf)";

    /// <summary>SQL: the status recommendation <c>r</c> had at the end of <c>@asOf</c> (the audit log's record of it).</summary>
    public static readonly string RecommendationStatusSql = AuditedStatusSql("recommendation", "r", """
        COALESCE(
            (SELECT json_extract(al.details, '$.status') FROM audit_log al
             WHERE al.entity = 'recommendation' AND al.entity_id = r.id AND al.action IN ('recommendation.insert', 'recommendation.update')
             ORDER BY al.id LIMIT 1),
            r.status)
        """);

    /// <summary>
    /// SQL: the status row <paramref name="alias"/> (a table with an id and a status, audited as <paramref name="entity"/> by
    /// sql/0006) had at the end of <c>@asOf</c>: now, its status; on a past day, the status the audit log recorded last for it by
    /// then (its insert or an update), and <paramref name="before"/> when the log holds no record of it by then.
    /// </summary>
    private static string AuditedStatusSql(string entity, string alias, string before) => $"""
        (CASE WHEN NOT @snapshot THEN {alias}.status ELSE COALESCE(
            (SELECT json_extract(al.details, '$.status') FROM audit_log al
             WHERE al.entity = '{entity}' AND al.entity_id = {alias}.id AND al.action IN ('{entity}.insert', '{entity}.update')
               AND substr(al.at, 1, 10) <= @asOf
             ORDER BY al.id DESC LIMIT 1),
            {before}) END)
        """;
}

/// <summary>
/// The day a course's figures are read as of (<c>?asOf=</c>): <see cref="Day"/> null reads now; a day before <see cref="Today"/> (the
/// route's clock) is a snapshot of the end of that day (<see cref="Snapshot"/>).
/// </summary>
public readonly record struct FiguresAsOf(DateOnly? Day, DateOnly? Today)
{
    /// <summary>Whether the figures are the past state (<c>@snapshot</c>).</summary>
    public bool IsPast => Snapshot.IsPast(Day, Today);

    /// <summary>The day as the SQL reads it (<c>@asOf</c>, YYYY-MM-DD), or null.</summary>
    public string? Text => Day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
