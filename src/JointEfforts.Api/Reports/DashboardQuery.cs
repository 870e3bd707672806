using System.Data.Common;
using Dapper;
using JointEfforts.Api.Evaluations.Figures;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Reports;

/// <summary>
/// The dashboard in one round trip: one command of <see cref="StatementCount"/> statements, every figure a
/// SQL aggregate. People and evaluation figures are read from the aggregates that triggers keep current with every
/// write (sql/0030: per course, per country, per sector and seniority), so the cost follows the number of courses,
/// never the number of enrolments or answers.
/// </summary>
public static class DashboardQuery
{
    /// <summary>The statements in the batch; a test holds the dashboard to it whatever the data size.</summary>
    public const int StatementCount = 11;

    /// <summary>A milestone completed by the as-of date (a later completion does not count yet).</summary>
    internal const string CompletedAsOf = "(m.completed_on IS NOT NULL AND m.completed_on <= @asOf)";

    /// <summary>Not completed on the as-of date and due before it.</summary>
    internal const string OverdueAsOf = $"(NOT {CompletedAsOf} AND m.due_date < @asOf)";

    /// <summary>
    /// <c>training.byCourse</c>: each course as it stood at the end of the as-of day (<see cref="Snapshot"/>): its status then,
    /// enrolled and trained by the definitions <see cref="CourseFigures"/> counts them with, reaction responses dated by then, and
    /// whether any register of a session held by then was taken. Appended to whichever batch reads the figures (a test's recount
    /// too, before the aggregates of sql/0030 exist: the responses are counted on the course index, what CourseFigures counts).
    /// </summary>
    private static readonly string CoursesSql = $"""

        SELECT c.id AS CourseId, c.title AS Title, c.country_code AS CountryCode, c.city AS City, c.start_date AS StartDate,
               c.end_date AS EndDate, {Snapshot.CourseStatusSql} AS Status,
               COALESCE(n.enrolled, 0) AS Enrolled, COALESCE(n.trained, 0) AS Trained,
               (SELECT COUNT(*) FROM evaluation_responses r
                WHERE r.course_id = c.id AND r.purpose = 'reaction' AND (NOT @snapshot OR substr(r.submitted_at, 1, 10) <= @asOf)) AS Responses,
               (SELECT COUNT(*) FROM course_sessions s WHERE s.course_id = c.id AND s.date <= @asOf) AS SessionsHeld,
               EXISTS (SELECT 1 FROM course_sessions s JOIN attendance a ON a.session_id = s.id
                       WHERE s.course_id = c.id AND s.date <= @asOf) AS AttendanceRecorded
        FROM courses c
        LEFT JOIN (SELECT ec.course_id, COUNT(*) AS enrolled, SUM(ec.completed) AS trained FROM enrolment_completion ec
                   WHERE NOT @snapshot AND ec.course_id IN (SELECT id FROM courses WHERE project_id = @id) GROUP BY ec.course_id
                   UNION ALL
                   SELECT s.course_id, COUNT(*), SUM(s.trained) FROM ({Snapshot.EnrolmentsSql}) s WHERE @snapshot GROUP BY s.course_id) n
               ON n.course_id = c.id
        WHERE c.project_id = @id
        ORDER BY c.start_date, c.id;
        """;

    private static readonly string Sql = $"""
        SELECT id AS Id, code AS Code, title AS Title, funding_programme AS Funder, start_date AS StartDate, end_date AS EndDate,
               target_participants_trained AS TargetParticipantsTrained,
               budget_currency AS BudgetCurrency, budget_initial AS BudgetInitial, budget_final AS BudgetFinal, budget_granted AS BudgetGranted
        FROM projects WHERE id = @id;

        SELECT p.number AS Number, p.kind AS Kind, {Snapshot.PhaseStatusSql} AS Status,
               CASE WHEN COUNT(m.id) = 0 THEN 0.0 ELSE COALESCE(SUM(CASE WHEN {CompletedAsOf} THEN 1 ELSE 0 END), 0) * 1.0 / COUNT(m.id) END AS Progress,
               COUNT(m.id) AS MilestonesTotal,
               COALESCE(SUM(CASE WHEN {CompletedAsOf} THEN 1 ELSE 0 END), 0) AS MilestonesCompleted,
               COALESCE(SUM(CASE WHEN {OverdueAsOf} THEN 1 ELSE 0 END), 0) AS MilestonesOverdue
        FROM phases p LEFT JOIN milestones m ON m.phase_id = p.id
        WHERE p.project_id = @id
        GROUP BY p.id
        ORDER BY p.number;

        SELECT {Snapshot.CourseStatusSql} AS Key, COUNT(*) AS Count FROM courses c WHERE c.project_id = @id GROUP BY Key;

        SELECT country_code AS Key, COUNT(*) AS Count FROM courses WHERE project_id = @id GROUP BY country_code ORDER BY country_code;

        SELECT sector AS Key, seniority AS Seniority, people AS Enrolled, trained AS Trained
        FROM report_mix WHERE NOT @snapshot AND project_id = @id AND people > 0
        UNION ALL
        SELECT p.sector, p.seniority, COUNT(*), SUM(x.trained)
        FROM (SELECT s.participant_id, MAX(s.trained) AS trained FROM ({Snapshot.EnrolmentsSql}) s
              WHERE @snapshot AND s.course_status <> 'cancelled' GROUP BY s.participant_id) x
        JOIN participants p ON p.id = x.participant_id
        GROUP BY p.sector, p.seniority;

        SELECT Key, COUNT(*) AS Count
        FROM (SELECT {Snapshot.ReportStateSql} AS Key
              FROM courses c JOIN evaluation_reports er ON er.course_id = c.id
              WHERE c.project_id = @id) k
        WHERE Key IS NOT NULL
        GROUP BY Key;

        SELECT {Snapshot.RecommendationStatusSql} AS Key, COUNT(*) AS Count
        FROM meetings m JOIN recommendations r ON r.meeting_id = m.id
        WHERE m.project_id = @id AND {Snapshot.RecommendationExistsSql}
        GROUP BY Key;

        WITH snap_enrolments AS MATERIALIZED (SELECT * FROM ({Snapshot.EnrolmentsSql}) s WHERE @snapshot),
        countries AS MATERIALIZED (
            SELECT c.id, c.country_code, c.status, {Snapshot.DeliveredSql} AS delivered, {Snapshot.ReportStateSql} AS report_state,
                   -- Evaluation results count once the course's evaluation closed by the as-of date (Evaluations/Figures/Release.cs).
                   (@everyFigure OR {Release.ReleasedCourseSql}) AS released
            FROM courses c LEFT JOIN evaluation_reports er ON er.course_id = c.id WHERE c.project_id = @id),
        people_by AS (
            SELECT country_code, people, trained, enrolments FROM report_countries WHERE NOT @snapshot AND project_id = @id
            UNION ALL
            SELECT country_code, COUNT(*), SUM(trained), SUM(n)
            FROM (SELECT country_code, participant_id, MAX(trained) AS trained, COUNT(*) AS n FROM snap_enrolments
                  WHERE course_status <> 'cancelled' GROUP BY country_code, participant_id) x
            GROUP BY country_code),
        evaluations AS (
            SELECT cc.country_code, SUM(e.reactions) AS responses, SUM(e.paper) AS paper,
                   SUM(CASE WHEN cc.delivered THEN e.reactions ELSE 0 END) AS delivered_responses,
                   SUM(CASE WHEN cc.released THEN e.overall_sum END) / NULLIF(SUM(CASE WHEN cc.released THEN e.overall_answers END), 0) AS mean,
                   COALESCE(SUM(CASE WHEN cc.released THEN e.overall_answers END), 0) AS answers,
                   SUM(e.pairs) AS pairs, COALESCE(SUM(CASE WHEN cc.released THEN e.pairs END), 0) AS released_pairs,
                   SUM(CASE WHEN cc.released THEN e.pre_sum END) / NULLIF(SUM(CASE WHEN cc.released THEN e.pairs END), 0) AS pre,
                   SUM(CASE WHEN cc.released THEN e.post_sum END) / NULLIF(SUM(CASE WHEN cc.released THEN e.pairs END), 0) AS post,
                   SUM(CASE WHEN cc.released THEN e.gain_sum END) / NULLIF(SUM(CASE WHEN cc.released THEN e.pairs END), 0) AS gain,
                   SUM(CASE WHEN cc.released AND e.paper > 0 THEN {Release.ViewerPaperSql("cc.id", "'reaction'")} ELSE 0 END) AS entered
            FROM countries cc JOIN {Snapshot.CourseEvaluationsSql} e ON e.course_id = cc.id
            GROUP BY cc.country_code),
        courses_by AS (
            SELECT cc.country_code, COUNT(*) AS courses,
                   SUM(CASE WHEN cc.delivered THEN 1 ELSE 0 END) AS delivered, SUM(cc.status <> 'cancelled') AS planned,
                   -- What a response rate is measured against: those enrolled in courses delivered (only they could answer).
                   COALESCE(SUM(CASE WHEN cc.delivered THEN (CASE WHEN @snapshot
                       THEN (SELECT COUNT(*) FROM snap_enrolments se WHERE se.course_id = cc.id)
                       ELSE (SELECT COUNT(*) FROM enrolments en WHERE en.course_id = cc.id AND en.status = 'enrolled') END) END), 0) AS delivered_enrolments,
                   COALESCE(SUM(cc.report_state = 'draft'), 0) AS drafts, COALESCE(SUM(cc.report_state = 'submitted'), 0) AS submitted,
                   COALESCE(SUM(cc.report_state = 'accepted'), 0) AS accepted
            FROM countries cc
            GROUP BY cc.country_code)
        SELECT cb.country_code AS CountryCode, cb.courses AS Courses, cb.delivered AS Delivered, cb.planned AS Planned,
               COALESCE(pp.people, 0) AS Enrolled, COALESCE(pp.trained, 0) AS Trained, COALESCE(pp.enrolments, 0) AS Enrolments,
               COALESCE(ev.responses, 0) AS Responses, COALESCE(ev.paper, 0) AS PaperResponses,
               COALESCE(ev.delivered_responses, 0) AS DeliveredResponses, cb.delivered_enrolments AS DeliveredEnrolments,
               ev.mean AS MeanOverall, COALESCE(ev.answers, 0) AS OverallAnswers,
               COALESCE(ev.pairs, 0) AS Pairs, COALESCE(ev.released_pairs, 0) AS ReleasedPairs, COALESCE(ev.entered, 0) AS EnteredByViewer, ev.pre AS MeanPre, ev.post AS MeanPost, ev.gain AS KnowledgeGain,
               cb.drafts AS ReportsDraft, cb.submitted AS ReportsSubmitted, cb.accepted AS ReportsAccepted
        FROM courses_by cb
        LEFT JOIN people_by pp ON pp.country_code = cb.country_code
        LEFT JOIN evaluations ev ON ev.country_code = cb.country_code
        ORDER BY cb.country_code;

        SELECT COUNT(*) FROM meetings WHERE project_id = @id AND end_date <= @asOf;

        SELECT id AS Id, title AS Title, start_date AS StartDate
        FROM meetings WHERE project_id = @id AND end_date > @asOf
        ORDER BY start_date, id;
        """;

    /// <summary>The dashboard of programme <paramref name="projectId"/> as of <paramref name="asOf"/>, or null when there is no such programme.</summary>
    /// <param name="everyFigure">Admin only: means of fewer than 3 responses are shown rather than withheld.</param>
    public static async Task<DashboardDto?> ReadAsync(
        DbConnection db, int projectId, DateOnly asOf, bool everyFigure = false, CancellationToken cancellationToken = default, int? viewerId = null,
        DateOnly? today = null) =>
        await ReadFiguresAsync(db, projectId, asOf, Sql, new Viewer(viewerId, everyFigure), cancellationToken, today) is { } figures
            ? (everyFigure ? figures : figures.WithoutSmallGroups()).Dashboard
            : null;

    /// <summary>
    /// The dashboard with what the steering workbook's Overview prints beside it (title, funder, per-country response
    /// rates, knowledge gain, report states): one query for the figures the JSON and the workbook both show.
    /// </summary>
    /// <remarks>Without a <paramref name="viewer"/>, every course's results count (what admin sees); with one, only released courses'.</remarks>
    internal static Task<ProgrammeFigures?> ReadFiguresAsync(
        DbConnection db, int projectId, DateOnly asOf, Viewer? viewer = null, CancellationToken cancellationToken = default, DateOnly? today = null) =>
        ReadFiguresAsync(db, projectId, asOf, Sql, viewer ?? new Viewer(null, true), cancellationToken, today);

    /// <summary>The figures read by <paramref name="sql"/>: a test holds the aggregates to the statements they replaced.</summary>
    internal static Task<ProgrammeFigures?> ReadFiguresAsync(DbConnection db, int projectId, DateOnly asOf, string sql, CancellationToken cancellationToken = default) =>
        ReadFiguresAsync(db, projectId, asOf, sql, new Viewer(null, true), cancellationToken);

    private static async Task<ProgrammeFigures?> ReadFiguresAsync(
        DbConnection db, int projectId, DateOnly asOf, string sql, Viewer viewer, CancellationToken cancellationToken, DateOnly? today = null)
    {
        using var results = await db.QueryMultipleAsync(new CommandDefinition(
            db.Sql(sql + CoursesSql), new { id = projectId, asOf = asOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), snapshot = Snapshot.IsPast(asOf, today), programme = projectId, everyFigure = viewer.SeesAll, viewerId = viewer.UserId ?? -1 }, cancellationToken: cancellationToken));
        var project = await results.ReadSingleOrDefaultAsync<ProgrammeHeader>();
        var phases = (await results.ReadAsync<PhaseProgressDto>()).Select(p => p with { Progress = Round(p.Progress)!.Value }).ToList();
        var byStatus = await results.ReadAsync<KeyCount>();
        var byCountry = await results.ReadAsync<KeyCount>();
        var people = (await results.ReadAsync<PeopleCounts>()).ToList();
        var reports = await results.ReadAsync<KeyCount>();
        var recommendations = await results.ReadAsync<KeyCount>();
        var countries = (await results.ReadAsync<CountryFigures>()).ToList();
        var held = await results.ReadSingleAsync<int>();
        var upcoming = (await results.ReadAsync<UpcomingMeetingDto>()).ToList();
        var courses = (await results.ReadAsync<CourseRow>()).ToList();
        if (project is null)
        {
            return null;
        }

        // The programme's evaluation figures are the countries' added up (means weighted by their counts): the
        // answers are read once, by country, not once more for the programme.
        var overallAnswers = countries.Sum(c => c.OverallAnswers);
        var pairs = countries.Sum(c => c.Pairs);
        var releasedPairs = countries.Sum(c => c.ReleasedPairs);
        var evaluation = new EvaluationFigures
        {
            Responses = countries.Sum(c => c.Responses),
            PaperResponses = countries.Sum(c => c.PaperResponses),
            MeanOverall = Weighted(countries, c => c.MeanOverall, c => c.OverallAnswers, overallAnswers),
        };
        var knowledge = new KnowledgeGainDto
        {
            Pairs = pairs,
            MeanPre = Weighted(countries, c => c.MeanPre, c => c.ReleasedPairs, releasedPairs),
            MeanPost = Weighted(countries, c => c.MeanPost, c => c.ReleasedPairs, releasedPairs),
            MeanGain = Weighted(countries, c => c.KnowledgeGain, c => c.ReleasedPairs, releasedPairs),
        };
        var dashboard = new DashboardDto(
            project.Id,
            asOf,
            phases,
            new TrainingDto(
                Training.ZeroFilled(byStatus, Training.CourseStatuses),
                byCountry.ToDictionary(c => c.Key, c => c.Count, StringComparer.Ordinal),
                people.Sum(p => p.Enrolled),
                people.Sum(p => p.Trained),
                project.TargetParticipantsTrained,
                Training.ZeroFilled(Sum(people, p => p.Key), Training.Sectors),
                countries.Select(c => new CountryTrainingDto(c.CountryCode, c.Courses, c.Enrolled, c.Trained, c.Responses, Round(c.MeanOverall))).ToList(),
                Training.ZeroFilled(Sum(people, p => p.Seniority), Training.Seniorities),
                courses.Select(c => c.ToDto()).ToList()),
            new EvaluationOverviewDto(
                evaluation.Responses,
                Round(evaluation.MeanOverall),
                Training.ZeroFilled(reports, Training.ReportStates),
                knowledge with { MeanPre = Round(knowledge.MeanPre), MeanPost = Round(knowledge.MeanPost), MeanGain = Round(knowledge.MeanGain) }),
            new RecommendationsOverviewDto(Training.ZeroFilled(recommendations, Training.RecommendationStatuses)),
            new MeetingsOverviewDto(held, upcoming));
        return new ProgrammeFigures(project, dashboard, countries, evaluation.PaperResponses);
    }

    private static double? Weighted(IEnumerable<CountryFigures> countries, Func<CountryFigures, double?> mean, Func<CountryFigures, int> count, int total) =>
        total == 0 ? null : countries.Sum(c => (mean(c) ?? 0) * count(c)) / total;

    private static IEnumerable<KeyCount> Sum(IEnumerable<PeopleCounts> people, Func<PeopleCounts, string> key) =>
        people.GroupBy(key).Select(g => new KeyCount { Key = g.Key, Count = g.Sum(p => p.Enrolled) });

    /// <summary>Figures in the JSON carry 4 decimals: enough for a share or a mean, without float noise.</summary>
    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4, MidpointRounding.AwayFromZero) : null;

    /// <summary>A course's row of <see cref="CoursesSql"/>.</summary>
    private sealed record CourseRow
    {
        public int CourseId { get; init; }

        public required string Title { get; init; }

        public required string CountryCode { get; init; }

        public required string City { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }

        public Courses.CourseStatus Status { get; init; }

        public int Enrolled { get; init; }

        public int Trained { get; init; }

        public int Responses { get; init; }

        public int SessionsHeld { get; init; }

        public bool AttendanceRecorded { get; init; }

        public CourseTrainingDto ToDto()
        {
            var delivered = Status is Courses.CourseStatus.Delivered or Courses.CourseStatus.Evaluated;
            return new CourseTrainingDto(
                CourseId, Title, CountryCode, City, StartDate, EndDate, Status, Enrolled,
                Trained,
                Responses,
                delivered && Enrolled > 0 ? Round(Math.Min(1, Responses / (double)Enrolled)) : null,
                SessionsHeld,
                AttendanceRecorded);
        }
    }

    /// <summary>Distinct participants of one sector and seniority: enrolled, and trained in at least one course.</summary>
    private sealed record PeopleCounts
    {
        public required string Key { get; init; }

        public required string Seniority { get; init; }

        public int Enrolled { get; init; }

        public int Trained { get; init; }
    }

    private sealed record EvaluationFigures
    {
        public int Responses { get; init; }

        public int PaperResponses { get; init; }

        public double? MeanOverall { get; init; }
    }
}

/// <summary>A programme as its reports name it.</summary>
internal sealed record ProgrammeHeader
{
    public int Id { get; init; }

    public required string Code { get; init; }

    public required string Title { get; init; }

    public required string Funder { get; init; }

    public DateOnly StartDate { get; init; }

    public DateOnly EndDate { get; init; }

    public int TargetParticipantsTrained { get; init; }

    /// <summary>The budget's currency (ISO 4217); null when no budget is recorded.</summary>
    public string? BudgetCurrency { get; init; }

    public double? BudgetInitial { get; init; }

    public double? BudgetFinal { get; init; }

    public double? BudgetGranted { get; init; }
}

/// <summary>One country's line of the Overview: the dashboard's byCountry and what the workbook adds to it.</summary>
internal sealed record CountryFigures
{
    public required string CountryCode { get; init; }

    public int Courses { get; init; }

    public int Delivered { get; init; }

    /// <summary>Courses not cancelled.</summary>
    public int Planned { get; init; }

    public int Enrolled { get; init; }

    public int Trained { get; init; }

    /// <summary>Live enrolments (a person in two courses twice): what the response rate is measured against.</summary>
    public int Enrolments { get; init; }

    public int Responses { get; init; }

    public int PaperResponses { get; init; }

    public double? MeanOverall { get; init; }

    /// <summary>Answers to the overall question: the weight of this country's mean in the programme's.</summary>
    public int OverallAnswers { get; init; }

    public int Pairs { get; init; }

    /// <summary>Of <see cref="Pairs"/>, those of courses whose results are released: what the means rest on.</summary>
    public int ReleasedPairs { get; init; }

    /// <summary>Paper reaction forms of released courses that the reader entered: not counted towards the reader's thresholds.</summary>
    public int EnteredByViewer { get; init; }

    public double? MeanPre { get; init; }

    public double? MeanPost { get; init; }

    public double? KnowledgeGain { get; init; }

    public int ReportsDraft { get; init; }

    public int ReportsSubmitted { get; init; }

    public int ReportsAccepted { get; init; }

    /// <summary>Reaction responses of delivered courses.</summary>
    public int DeliveredResponses { get; init; }

    /// <summary>Live enrolments in delivered courses: the only ones who could have answered.</summary>
    public int DeliveredEnrolments { get; init; }

    /// <summary>Responses of delivered courses / those enrolled in them, 0..1; null before any course is delivered.</summary>
    public double? ResponseRate => DeliveredEnrolments > 0 ? Math.Min(1, DeliveredResponses / (double)DeliveredEnrolments) : null;
}

/// <summary>The dashboard and the per-country figures the steering workbook prints with it.</summary>
internal sealed record ProgrammeFigures(ProgrammeHeader Programme, DashboardDto Dashboard, IReadOnlyList<CountryFigures> Countries, int PaperResponses)
{
    /// <summary>
    /// The figures as everyone but admin sees them (API.md, "Anonymity of evaluations"): a mean of fewer than 3 responses, or
    /// a knowledge gain of fewer than 3 pairs, is one or two people's answers, so only its count is shown. The dashboard and
    /// the steering workbook both go through here.
    /// </summary>
    public ProgrammeFigures WithoutSmallGroups()
    {
        var evaluation = Dashboard.Evaluation;
        var gain = evaluation.KnowledgeGain;
        return this with
        {
            Countries = Countries
                .Select(c => c with
                {
                    MeanOverall = Shown(c.MeanOverall, c.OverallAnswers - c.EnteredByViewer),
                    MeanPre = Shown(c.MeanPre, c.ReleasedPairs),
                    MeanPost = Shown(c.MeanPost, c.ReleasedPairs),
                    KnowledgeGain = Shown(c.KnowledgeGain, c.ReleasedPairs),
                })
                .ToList(),
            Dashboard = Dashboard with
            {
                Training = Dashboard.Training with
                {
                    ByCountry = Dashboard.Training.ByCountry
                        .Select(c => c with { MeanOverall = Countries.FirstOrDefault(f => f.CountryCode == c.CountryCode) is { } f ? Shown(c.MeanOverall, f.OverallAnswers - f.EnteredByViewer) : null })
                        .ToList(),
                },
                Evaluation = evaluation with
                {
                    MeanOverall = Shown(evaluation.MeanOverall, Countries.Sum(c => c.OverallAnswers - c.EnteredByViewer)),
                    KnowledgeGain = gain with
                    {
                        MeanPre = Shown(gain.MeanPre, Countries.Sum(c => c.ReleasedPairs)),
                        MeanPost = Shown(gain.MeanPost, Countries.Sum(c => c.ReleasedPairs)),
                        MeanGain = Shown(gain.MeanGain, Countries.Sum(c => c.ReleasedPairs)),
                    },
                },
            },
        };
    }

    /// <summary>A mean of <paramref name="count"/> answers, or null when so few could point at a person.</summary>
    internal static double? Shown(double? mean, int count) => count >= Release.MinGroup ? mean : null;
}
