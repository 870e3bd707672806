using System.Data.Common;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Figures;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Reports;

/// <summary>
/// The evaluation workbook of one course, printable: Summary (one page), Attendance, Questions (one row per
/// question), Charts, Comments (random order), Participants. Read in one batch; answers are aggregated in SQL,
/// only free-text comments come back one by one. Every evaluation figure comes from <see cref="CourseFigures"/>, the one
/// source the evaluation summary and the expert report read too, with its release and small-group rules.
/// </summary>
public static partial class CourseWorkbook
{
    private const string ScopedCourse =
        "scoped AS MATERIALIZED (SELECT id, completion_threshold, status FROM courses WHERE id = @id AND (@country IS NULL OR country_code = @country))";

    /// <summary>
    /// Follows <c>scoped</c> and <see cref="Training.CompletionsCte"/>: one row per enrolment of the course that stood at the end of
    /// <c>@asOf</c> (now: the live ones), with the sessions attended present or late by then and whether it was completed in a course
    /// delivered by then (<see cref="Snapshot.EnrolmentsSql"/>): the Attendance, Participants and Summary sheets all count these rows.
    /// </summary>
    private static readonly string StoodCte = $"""
        stood AS MATERIALIZED (
            SELECT participant_id, sessions, attended, trained FROM completions WHERE NOT @snapshot
            UNION ALL
            SELECT s.participant_id, c.session_count,
                   (SELECT COUNT(*) FROM attendance a JOIN course_sessions cs ON cs.id = a.session_id
                    WHERE cs.course_id = s.course_id AND a.participant_id = s.participant_id AND a.status IN ('present', 'late')
                      AND cs.date <= @asOf),
                   s.trained
            FROM ({Snapshot.EnrolmentsSql}) s JOIN courses c ON c.id = s.course_id
            WHERE @snapshot AND s.course_id IN (SELECT id FROM scoped))
        """;

    private static readonly string Sql = $"""
        SELECT c.id AS Id, c.title AS Title, p.code AS ProgrammeCode, p.funding_programme AS Funder, c.country_code AS CountryCode, c.city AS City,
               c.venue AS Venue, c.language AS Language, {Snapshot.CourseStatusSql} AS Status, c.start_date AS StartDate, c.end_date AS EndDate,
               c.min_participants AS MinParticipants, c.max_participants AS MaxParticipants,
               c.completion_threshold AS CompletionThreshold
        FROM courses c JOIN projects p ON p.id = c.project_id
        WHERE c.id = @id AND (@country IS NULL OR c.country_code = @country);

        WITH {ScopedCourse},
        {Training.CompletionsCte}
        SELECT (SELECT COUNT(*) FROM completions) AS Enrolled,
               (SELECT COALESCE(SUM(trained), 0) FROM completions) AS Trained,
               (SELECT COUNT(*) FROM course_sessions WHERE course_id IN (SELECT id FROM scoped)) AS Sessions,
               (SELECT COUNT(*) FROM enrolments e JOIN courses wc ON wc.id = e.course_id
                WHERE e.course_id IN (SELECT id FROM scoped) AND e.status = 'waitlisted'
                  AND (NOT @snapshot OR min(substr(e.created_at, 1, 10), wc.start_date) <= @asOf)) AS Waitlisted;

        WITH {ScopedCourse},
        {Training.CompletionsCte},
        {StoodCte}
        SELECT s.date AS Date, s.title AS Title, s.hours AS Hours, (s.date <= @asOf) AS Held,
               COALESCE(SUM(a.status = 'present'), 0) AS Present,
               COALESCE(SUM(a.status = 'late'), 0) AS Late,
               COALESCE(SUM(a.status = 'excused'), 0) AS Excused,
               COALESCE(SUM(a.status = 'absent'), 0) AS Absent
        FROM course_sessions s
        LEFT JOIN attendance a ON a.session_id = s.id AND a.participant_id IN (SELECT participant_id FROM stood) AND {Snapshot.SessionHeldSql}
        WHERE s.course_id IN (SELECT id FROM scoped)
        GROUP BY s.id
        ORDER BY s.date, s.id;

        WITH {ScopedCourse},
        forms AS MATERIALIZED (
            SELECT evaluation_form_id AS form_id FROM courses WHERE id IN (SELECT id FROM scoped)
            UNION SELECT pre_test_form_id FROM courses WHERE id IN (SELECT id FROM scoped)
            UNION SELECT post_test_form_id FROM courses WHERE id IN (SELECT id FROM scoped)
            UNION SELECT form_id FROM evaluation_responses WHERE course_id IN (SELECT id FROM scoped))
        SELECT q.form_id AS FormId, f.purpose AS Purpose, q.position AS Position, q.question_key AS QuestionKey,
               q.type AS Type, q.level AS Level, q.texts AS Texts, q.options AS Options, q.correct_option AS CorrectOption
        FROM form_questions q JOIN evaluation_forms f ON f.id = q.form_id
        WHERE q.form_id IN (SELECT form_id FROM forms)
        ORDER BY CASE f.purpose WHEN 'preTest' THEN 1 WHEN 'reaction' THEN 2 ELSE 3 END, q.form_id, q.position, q.id;

        WITH {ScopedCourse},
        {Training.CompletionsCte},
        {StoodCte}
        SELECT 'sector' AS Dimension, p.sector AS Key, COUNT(*) AS Enrolled, SUM(k.trained) AS Trained
        FROM stood k JOIN participants p ON p.id = k.participant_id
        GROUP BY p.sector
        UNION ALL
        SELECT 'seniority', p.seniority, COUNT(*), SUM(k.trained)
        FROM stood k JOIN participants p ON p.id = k.participant_id
        GROUP BY p.seniority
        UNION ALL
        SELECT 'country', p.country_code, COUNT(*), SUM(k.trained)
        FROM stood k JOIN participants p ON p.id = k.participant_id
        GROUP BY p.country_code;

        WITH {ScopedCourse},
        {Training.CompletionsCte},
        {StoodCte}
        SELECT p.full_name AS FullName, p.organisation AS Organisation, p.sector AS Sector, p.country_code AS CountryCode,
               p.seniority AS Seniority, k.attended AS Attended, k.sessions AS Sessions, k.trained AS Trained
        FROM stood k JOIN participants p ON p.id = k.participant_id
        WHERE @withNames
        ORDER BY p.full_name IS NULL, p.full_name COLLATE NOCASE, p.id;

        WITH {ScopedCourse}
        SELECT {Snapshot.ReportStateSql} AS State, er.return_comment AS ReturnComment, er.overall_rating AS OverallRating,
               er.delivered_on AS DeliveredOn, er.participants_attended AS ParticipantsAttended, er.submitted_at AS SubmittedAt,
               er.accepted_at AS AcceptedAt
        FROM evaluation_reports er JOIN courses c ON c.id = er.course_id
        WHERE er.course_id IN (SELECT id FROM scoped) AND {Snapshot.ReportStateSql} IS NOT NULL;

        WITH {ScopedCourse},
        {Training.KnowledgeByQuestionSql};
        """;

    private static readonly IReadOnlyList<string> LikertValues = ["1", "2", "3", "4", "5"];

    /// <summary>Below this many answers a question shows its count only: one or two answers could point at a person.</summary>
    public const int MinimumAnswersShown = Release.MinGroup;

    /// <summary>Who reads the workbook: names for coordinators and admins, every figure unsuppressed for admins only.</summary>
    public enum Audience
    {
        Others,
        Coordinator,
        Admin,
    }

    /// <summary><c>JointEfforts-Vienna-2013-04-22-evaluation.xlsx</c>: the programme, the course's city and start date.</summary>
    public static string FileName(string programmeCode, string city, DateOnly startDate) =>
        $"{SteeringWorkbook.ShortName(programmeCode)}-{SteeringWorkbook.FileNamePart(city)}-{startDate:yyyy-MM-dd}-evaluation.xlsx";

    /// <summary>
    /// The workbook, or null when the course does not exist or lies outside <paramref name="countryScope"/>.
    /// Participant names (never e-mails) are listed only for coordinators and admins.
    /// </summary>
    public static async Task<Workbook?> CreateAsync(
        DbConnection db, int courseId, string? countryScope, Audience audience, DateOnly asOf, int? viewerId = null, CancellationToken cancellationToken = default,
        DateOnly? today = null)
    {
        var withNames = audience != Audience.Others;
        using var results = await db.QueryMultipleAsync(new CommandDefinition(
            db.Sql(Sql),
            new
            {
                id = courseId,
                country = countryScope,
                withNames,
                asOf = asOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                snapshot = Snapshot.IsPast(asOf, today),
                programme = (int?)null,
            },
            cancellationToken: cancellationToken));
        var course = await results.ReadSingleOrDefaultAsync<CourseRow>();
        var counts = await results.ReadSingleAsync<CourseCounts>();
        var sessions = (await results.ReadAsync<SessionRow>()).ToList();
        var questions = (await results.ReadAsync<QuestionRow>()).ToList();
        var mix = (await results.ReadAsync<MixRow>()).ToList();
        var participants = (await results.ReadAsync<ParticipantRow>()).ToList();
        var report = await results.ReadSingleOrDefaultAsync<ReportRow>();
        var byQuestion = (await results.ReadAsync<KnowledgeQuestion>()).ToList();
        if (course is null)
        {
            return null;
        }

        // Every evaluation figure comes from the one source, with its release and small-group rules already applied.
        var viewer = new Viewer(viewerId, audience == Audience.Admin);
        var figures = (await CourseFigures.ReadAsync(db, courseId, viewer, asOf, cancellationToken: cancellationToken, today: today))!;
        // The share correct per knowledge question: shown when both tests' answers would be.
        var knowledgeShown = byQuestion
            .Where(q => Release.Shows(viewer, figures.Released, Math.Min(q.AnswersBefore, q.AnswersAfter),
                Math.Max(figures.EnteredByViewer.PreTest, figures.EnteredByViewer.PostTest)))
            .ToList();
        var texts = questions.ToDictionary(q => (q.FormId, q.QuestionKey), q => new QuestionTexts(q.Texts, q.Options));
        // Enrolled and trained as the one source counts them (as they stood on asOf when that is a past day).
        counts = counts with { Enrolled = figures.Enrolled, Trained = figures.Trained };
        var footer = $"{course.ProgrammeCode} · {course.City} {course.StartDate:yyyy-MM-dd}";
        using var workbook = Workbooks.Create($"{course.ProgrammeCode}: evaluation of {course.Title}, {course.City} {course.StartDate:yyyy-MM-dd}");
        WriteSummary(workbook, course, counts, figures, figures.Released || viewer.SeesAll, report, mix, footer, asOf);
        var charts = new List<ChartSpec>();
        WriteAttendance(workbook, sessions, counts.Enrolled, footer, asOf);
        var likert = WriteQuestions(workbook, course.Language, questions, texts, figures, footer, asOf);
        charts.AddRange(WriteCharts(workbook, likert, knowledgeShown, footer, asOf));
        WriteComments(workbook, course.Language, questions, texts, figures, footer, asOf);
        WriteParticipants(workbook, mix, counts.Enrolled, withNames ? participants : null, footer, asOf);
        return new Workbook(ExcelCharts.Add(Workbooks.ToBytes(workbook), charts), FileName(course.ProgrammeCode, course.City, course.StartDate));
    }
}
