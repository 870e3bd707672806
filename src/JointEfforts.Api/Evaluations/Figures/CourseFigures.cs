using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Evaluations.Figures;

/// <summary>
/// A course's evaluation and training figures, read in one batch of SQL aggregates and released by <see cref="Release"/>:
/// the one source of the evaluation summary (JSON), the course workbook and the expert report's <c>figures</c>. What a
/// viewer may not see is already null here (or absent, for texts and distributions), so a reader cannot forget a rule.
/// </summary>
public sealed record CourseFigures
{
    public int CourseId { get; init; }

    /// <summary>Whether the course's results are released (<see cref="Release"/>) on the day read.</summary>
    public bool Released { get; init; }

    /// <summary>Live enrolments (status enrolled).</summary>
    public int Enrolled { get; init; }

    /// <summary>Of them, completed the course (attended at least its completion threshold): Reports' "trained".</summary>
    public int Trained { get; init; }

    /// <summary>Responses per purpose, whatever form they answered (online and paper).</summary>
    public required ResponseCounts Responses { get; init; }

    public required ResponseCounts PaperResponses { get; init; }

    /// <summary>Paper forms per purpose that the viewer entered themselves: they do not count towards the viewer's thresholds.</summary>
    public required ResponseCounts EnteredByViewer { get; init; }

    /// <summary>Whether the course had been delivered (or evaluated) on the day read (<see cref="Snapshot.DeliveredSql"/>).</summary>
    public bool Delivered { get; init; }

    /// <summary>
    /// Reaction responses / enrolled, 0..1 (API.md; never above 1); null with nobody enrolled. Before the course is delivered it is
    /// the share that answered so far: what the steering group's readers show (the dashboard's courses, the course workbook) is
    /// <see cref="DeliveredResponseRate"/>.
    /// </summary>
    public double? ResponseRate => Enrolled == 0 ? null : Math.Round(Math.Min(1, Responses.Reaction / (double)Enrolled), 4);

    /// <summary>The response rate of a course delivered by the day read (issue 25: only those who could answer count); null before.</summary>
    public double? DeliveredResponseRate => Delivered ? ResponseRate : null;

    /// <summary>Mean of the answers (1..5) to the likert5 question keyed "overall" in reaction responses; null when withheld or none.</summary>
    public double? MeanOverall { get; init; }

    /// <summary>How many answered the "overall" question.</summary>
    public int OverallAnswers { get; init; }

    /// <summary>Pre- and post-test of one code, paired: scores 0..1, gain = post − pre in share correct (× 100: percentage points).</summary>
    public required KnowledgeGainDto KnowledgeGain { get; init; }

    /// <summary>Per form and purpose the course has answers to or names: responses, paper, mean score.</summary>
    public required IReadOnlyList<FormFigures> Forms { get; init; }

    /// <summary>Per form and question key: answers, mean, distribution, texts; withheld ones carry their count only.</summary>
    public required IReadOnlyDictionary<(int FormId, string Key), QuestionFigures> Questions { get; init; }

    public QuestionFigures Question(int formId, string key) =>
        Questions.GetValueOrDefault((formId, key)) ?? new QuestionFigures { Answers = 0, Shown = false };

    public FormFigures? Form(int formId, EvaluationPurpose purpose) => Forms.FirstOrDefault(f => f.FormId == formId && f.Purpose == purpose);

    private static readonly string Sql = $"""
        SELECT c.id AS Id, {Snapshot.DeliveredSql} AS Delivered,
               {Release.ReleasedCourseSql} AS Released,
               CASE WHEN @snapshot THEN (SELECT COUNT(*) FROM ({Snapshot.EnrolmentsSql}) s WHERE s.course_id = c.id)
                    ELSE (SELECT COUNT(*) FROM enrolment_completion ec WHERE ec.course_id = c.id) END AS Enrolled,
               CASE WHEN @snapshot THEN (SELECT COALESCE(SUM(s.trained), 0) FROM ({Snapshot.EnrolmentsSql}) s WHERE s.course_id = c.id)
                    ELSE (SELECT COALESCE(SUM(ec.completed), 0) FROM enrolment_completion ec WHERE ec.course_id = c.id) END AS Trained
        FROM courses c WHERE c.id = @id
        """;

    /// <summary>
    /// The statements for both engines. PostgreSQL returns rows without ORDER BY in the order they were stored, which is the
    /// order the answers arrived: the free-text answers are ordered by their random ids there (SQLite reads them by id).
    /// </summary>
    private static readonly DialectSql Statements = new(d => $"""
        SELECT r.form_id AS FormId, r.purpose AS Purpose, COUNT(*) AS Responses, COALESCE(SUM(r.source = 'paper'), 0) AS Paper, AVG(r.score) AS MeanScore
        FROM evaluation_responses r
        WHERE r.course_id = @id AND (@released OR @asOf IS NULL OR substr(r.submitted_at, 1, 10) <= @asOf)
        GROUP BY r.form_id, r.purpose;

        SELECT r.purpose AS Purpose, {Release.ViewerPaperSql("@id", "r.purpose")} AS Entered
        FROM (SELECT 'reaction' AS purpose UNION ALL SELECT 'preTest' UNION ALL SELECT 'postTest') r;

        SELECT r.form_id AS FormId, a.question_key AS QuestionKey, COUNT(DISTINCT a.response_id) AS Answers, AVG(a.number_value) AS Mean
        FROM evaluation_responses r JOIN evaluation_answers a ON a.response_id = r.id
        WHERE r.course_id = @id AND (@released OR @asOf IS NULL OR substr(r.submitted_at, 1, 10) <= @asOf)
          AND (a.option_value IS NOT NULL OR a.number_value IS NOT NULL OR TRIM(COALESCE(a.text_value, '')) <> '')
        GROUP BY r.form_id, a.question_key;

        SELECT r.form_id AS FormId, a.question_key AS QuestionKey,
               COALESCE(a.option_value, CAST(CAST(a.number_value AS INTEGER) AS TEXT)) AS Value, COUNT(*) AS Count
        FROM evaluation_responses r
        JOIN evaluation_answers a ON a.response_id = r.id
        JOIN form_questions q ON q.form_id = r.form_id AND q.question_key = a.question_key
        WHERE r.course_id = @id AND (@released OR @asOf IS NULL OR substr(r.submitted_at, 1, 10) <= @asOf) AND @mayShow
          AND q.type IN ('likert5', 'singleChoice', 'multipleChoice') AND (a.option_value IS NOT NULL OR a.number_value IS NOT NULL)
        GROUP BY r.form_id, a.question_key, Value;

        SELECT r.form_id AS FormId, a.question_key AS QuestionKey, a.text_value AS Text
        FROM evaluation_responses r
        JOIN evaluation_answers a ON a.response_id = r.id
        JOIN form_questions q ON q.form_id = r.form_id AND q.question_key = a.question_key
        WHERE r.course_id = @id AND (@released OR @asOf IS NULL OR substr(r.submitted_at, 1, 10) <= @asOf) AND @mayShow
          AND q.type = 'text' AND TRIM(COALESCE(a.text_value, '')) <> ''{(d.IsPostgres ? " ORDER BY r.id, a.id" : "")};

        SELECT COUNT(*) AS Pairs, AVG(pre.score) AS MeanPre, AVG(post.score) AS MeanPost, AVG(post.score - pre.score) AS MeanGain
        FROM evaluation_responses pre
        JOIN evaluation_responses post ON post.code_id = pre.code_id AND post.purpose = 'postTest' AND post.course_id = pre.course_id
        WHERE pre.course_id = @id AND pre.purpose = 'preTest' AND pre.code_id IS NOT NULL AND pre.score IS NOT NULL AND post.score IS NOT NULL
          AND (@released OR @asOf IS NULL OR (substr(pre.submitted_at, 1, 10) <= @asOf AND substr(post.submitted_at, 1, 10) <= @asOf));

        SELECT COUNT(a.number_value) AS Answers, AVG(a.number_value) AS Mean
        FROM evaluation_responses r
        JOIN evaluation_answers a INDEXED BY ix_evaluation_answers_overall ON a.response_id = r.id AND a.question_key = '{FigureDefinitions.OverallQuestionKey}'
        WHERE r.course_id = @id AND r.purpose = 'reaction' AND r.form_id IN ({FigureDefinitions.OverallFormsSql})
          AND (@released OR @asOf IS NULL OR substr(r.submitted_at, 1, 10) <= @asOf);
        """);

    /// <summary>
    /// The figures of course <paramref name="courseId"/> as <paramref name="viewer"/> may see them, or null when there is no
    /// such course (scope is the caller's business). With <paramref name="today"/> and an earlier <paramref name="asOf"/>, enrolled
    /// and trained are as they stood then too (<see cref="Snapshot"/>). <paramref name="asOf"/>: a snapshot at the end of that day (responses
    /// dated up to it; a course counts as released when its report was accepted by then); null: now.
    /// </summary>
    public static async Task<CourseFigures?> ReadAsync(
        DbConnection db, int courseId, Viewer viewer, DateOnly? asOf = null, IDbTransaction? transaction = null, CancellationToken cancellationToken = default,
        DateOnly? today = null)
    {
        var day = asOf?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var course = await db.QuerySingleOrDefaultAsync<CourseRow>(new CommandDefinition(
            db.Sql(Sql), new { id = courseId, asOf = day, snapshot = Snapshot.IsPast(asOf, today), programme = (int?)null }, transaction, cancellationToken: cancellationToken));
        if (course is null)
        {
            return null;
        }

        // Distributions and texts are read only when something may be shown; counts and means are read always (a count is shown).
        var mayShow = viewer.SeesAll || course.Released;
        using var results = await db.QueryMultipleAsync(new CommandDefinition(
            db.Sql(Statements),
            new { id = courseId, asOf = day, released = course.Released, mayShow, viewerId = viewer.UserId ?? -1 },
            transaction,
            cancellationToken: cancellationToken));
        var forms = (await results.ReadAsync<FormRow>()).ToList();
        var entered = (await results.ReadAsync<EnteredRow>()).ToDictionary(e => e.Purpose, e => e.Entered);
        var questions = (await results.ReadAsync<QuestionRow>()).ToList();
        var distribution = (await results.ReadAsync<DistributionRow>()).ToLookup(d => (d.FormId, d.QuestionKey));
        var texts = (await results.ReadAsync<TextRow>()).ToLookup(t => (t.FormId, t.QuestionKey));
        var gain = await results.ReadSingleAsync<GainRow>();
        var overall = await results.ReadSingleAsync<OverallRow>();

        int Entered(EvaluationPurpose purpose) => entered.GetValueOrDefault(purpose);
        bool Shows(EvaluationPurpose purpose, int count) => Release.Shows(viewer, course.Released, count, Entered(purpose));
        var purposeOfForm = forms.GroupBy(f => f.FormId).ToDictionary(g => g.Key, g => g.First().Purpose);
        int Count(EvaluationPurpose purpose, bool paper) => forms.Where(f => f.Purpose == purpose).Sum(f => paper ? f.Paper : f.Responses);
        return new CourseFigures
        {
            CourseId = courseId,
            Released = course.Released,
            Delivered = course.Delivered,
            Enrolled = course.Enrolled,
            Trained = course.Trained,
            Responses = new ResponseCounts(Count(EvaluationPurpose.Reaction, false), Count(EvaluationPurpose.PreTest, false), Count(EvaluationPurpose.PostTest, false)),
            PaperResponses = new ResponseCounts(Count(EvaluationPurpose.Reaction, true), Count(EvaluationPurpose.PreTest, true), Count(EvaluationPurpose.PostTest, true)),
            EnteredByViewer = new ResponseCounts(Entered(EvaluationPurpose.Reaction), Entered(EvaluationPurpose.PreTest), Entered(EvaluationPurpose.PostTest)),
            OverallAnswers = overall.Answers,
            MeanOverall = Shows(EvaluationPurpose.Reaction, overall.Answers) ? overall.Mean : null,
            // Paper tests carry no code and never pair: the viewer's own paper forms are not among the pairs.
            KnowledgeGain = Release.Shows(viewer, course.Released, gain.Pairs, 0)
                ? new KnowledgeGainDto(gain.Pairs, gain.MeanPre, gain.MeanPost, gain.MeanGain)
                : new KnowledgeGainDto(gain.Pairs, null, null, null),
            Forms = forms.Select(f => new FormFigures(f.FormId, f.Purpose, f.Responses, f.Paper,
                Shows(f.Purpose, f.Responses) ? f.MeanScore : null)).ToList(),
            Questions = questions.ToDictionary(q => (q.FormId, q.QuestionKey), q =>
            {
                var key = (q.FormId, q.QuestionKey);
                var shown = purposeOfForm.TryGetValue(q.FormId, out var purpose) && Shows(purpose, q.Answers);
                return shown
                    ? new QuestionFigures
                    {
                        Answers = q.Answers,
                        Shown = true,
                        Mean = q.Mean,
                        Distribution = distribution[key].ToDictionary(d => d.Value, d => d.Count, StringComparer.Ordinal),
                        Texts = Shuffled(texts[key].Select(t => t.Text).ToArray()),
                    }
                    : new QuestionFigures { Answers = q.Answers, Shown = false };
            }),
        };
    }

    /// <summary>A random order from the cryptographic source: neither the order of submission nor of storage shows through.</summary>
    private static string[] Shuffled(string[] texts)
    {
        RandomNumberGenerator.Shuffle(texts.AsSpan());
        return texts;
    }

    private sealed record CourseRow
    {
        public int Id { get; init; }

        public bool Delivered { get; init; }

        public bool Released { get; init; }

        public int Enrolled { get; init; }

        public int Trained { get; init; }
    }

    private sealed record FormRow
    {
        public int FormId { get; init; }

        public EvaluationPurpose Purpose { get; init; }

        public int Responses { get; init; }

        public int Paper { get; init; }

        public double? MeanScore { get; init; }
    }

    private sealed record EnteredRow
    {
        public EvaluationPurpose Purpose { get; init; }

        public int Entered { get; init; }
    }

    private sealed record QuestionRow
    {
        public int FormId { get; init; }

        public required string QuestionKey { get; init; }

        public int Answers { get; init; }

        public double? Mean { get; init; }
    }

    private sealed record DistributionRow
    {
        public int FormId { get; init; }

        public required string QuestionKey { get; init; }

        public required string Value { get; init; }

        public int Count { get; init; }
    }

    private sealed record TextRow
    {
        public int FormId { get; init; }

        public required string QuestionKey { get; init; }

        public required string Text { get; init; }
    }

    private sealed record GainRow
    {
        public int Pairs { get; init; }

        public double? MeanPre { get; init; }

        public double? MeanPost { get; init; }

        public double? MeanGain { get; init; }
    }

    private sealed record OverallRow
    {
        public int Answers { get; init; }

        public double? Mean { get; init; }
    }
}

/// <summary>One form's responses in a course: <c>meanScore</c> (tests, 0..1) null when withheld.</summary>
public sealed record FormFigures(int FormId, EvaluationPurpose Purpose, int Responses, int Paper, double? MeanScore);

/// <summary>
/// One question of one form in a course: how many answered it, and when <see cref="Shown"/>, its mean, the answers per value
/// (likert and choices; no zeros, the reader lays them out against the form) and the texts in a fresh random order.
/// </summary>
public sealed record QuestionFigures
{
    public int Answers { get; init; }

    public bool Shown { get; init; }

    public double? Mean { get; init; }

    public IReadOnlyDictionary<string, int> Distribution { get; init; } = new Dictionary<string, int>();

    public IReadOnlyList<string> Texts { get; init; } = [];
}
