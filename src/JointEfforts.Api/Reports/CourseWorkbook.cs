using System.Data.Common;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;

namespace JointEfforts.Api.Reports;

/// <summary>
/// The evaluation workbook of one course: Summary, Attendance, Questions, Comments, Participants. Read in one
/// batch; answers are aggregated in SQL, only free-text comments come back one by one.
/// </summary>
public static class CourseWorkbook
{
    private const string ScopedCourse =
        "scoped AS MATERIALIZED (SELECT id, completion_threshold, status FROM courses WHERE id = @id AND (@country IS NULL OR country_code = @country))";

    private const string Sql = $"""
        SELECT c.id AS Id, c.title AS Title, p.code AS ProgrammeCode, c.country_code AS CountryCode, c.city AS City,
               c.venue AS Venue, c.language AS Language, c.status AS Status, c.start_date AS StartDate, c.end_date AS EndDate,
               c.min_participants AS MinParticipants, c.max_participants AS MaxParticipants,
               c.completion_threshold AS CompletionThreshold
        FROM courses c JOIN projects p ON p.id = c.project_id
        WHERE c.id = @id AND (@country IS NULL OR c.country_code = @country);

        WITH {ScopedCourse},
        {Training.CompletionsCte}
        SELECT (SELECT COUNT(*) FROM completions) AS Enrolled,
               (SELECT COALESCE(SUM(trained), 0) FROM completions) AS Trained,
               (SELECT COUNT(*) FROM course_sessions WHERE course_id IN (SELECT id FROM scoped)) AS Sessions,
               (SELECT COUNT(*) FROM enrolments WHERE course_id IN (SELECT id FROM scoped) AND status = 'waitlisted') AS Waitlisted;

        WITH {ScopedCourse},
        live AS MATERIALIZED (SELECT participant_id FROM enrolments WHERE course_id IN (SELECT id FROM scoped) AND status = 'enrolled')
        SELECT s.date AS Date, s.title AS Title, s.hours AS Hours,
               COALESCE(SUM(a.status = 'present'), 0) AS Present,
               COALESCE(SUM(a.status = 'late'), 0) AS Late,
               COALESCE(SUM(a.status = 'excused'), 0) AS Excused,
               COALESCE(SUM(a.status = 'absent'), 0) AS Absent
        FROM course_sessions s
        LEFT JOIN attendance a ON a.session_id = s.id AND a.participant_id IN (SELECT participant_id FROM live)
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
               q.type AS Type, q.level AS Level, q.texts AS Texts, q.options AS Options
        FROM form_questions q JOIN evaluation_forms f ON f.id = q.form_id
        WHERE q.form_id IN (SELECT form_id FROM forms)
        ORDER BY CASE f.purpose WHEN 'preTest' THEN 1 WHEN 'reaction' THEN 2 ELSE 3 END, q.form_id, q.position, q.id;

        WITH {ScopedCourse}
        SELECT form_id AS FormId, purpose AS Purpose, COUNT(*) AS Responses
        FROM evaluation_responses WHERE course_id IN (SELECT id FROM scoped)
        GROUP BY form_id, purpose;

        WITH {ScopedCourse}
        SELECT r.form_id AS FormId, a.question_key AS QuestionKey,
               COUNT(DISTINCT a.response_id) AS Answers, AVG(a.number_value) AS Mean
        FROM evaluation_responses r JOIN evaluation_answers a ON a.response_id = r.id
        WHERE r.course_id IN (SELECT id FROM scoped)
        GROUP BY r.form_id, a.question_key;

        WITH {ScopedCourse}
        SELECT r.form_id AS FormId, a.question_key AS QuestionKey,
               COALESCE(a.option_value, CAST(CAST(a.number_value AS INTEGER) AS TEXT)) AS Value, COUNT(*) AS Count
        FROM evaluation_responses r
        JOIN evaluation_answers a ON a.response_id = r.id
        JOIN form_questions q ON q.form_id = r.form_id AND q.question_key = a.question_key
        WHERE r.course_id IN (SELECT id FROM scoped) AND q.type IN ('likert5', 'singleChoice', 'multipleChoice')
          AND (a.option_value IS NOT NULL OR a.number_value IS NOT NULL)
        GROUP BY r.form_id, a.question_key, Value;

        WITH {ScopedCourse}
        SELECT r.form_id AS FormId, a.question_key AS QuestionKey, a.text_value AS Text
        FROM evaluation_responses r
        JOIN evaluation_answers a ON a.response_id = r.id
        JOIN form_questions q ON q.form_id = r.form_id AND q.question_key = a.question_key
        WHERE r.course_id IN (SELECT id FROM scoped) AND q.type = 'text' AND TRIM(COALESCE(a.text_value, '')) <> ''
        ORDER BY q.form_id, q.position, a.id;

        WITH {ScopedCourse},
        {Training.CompletionsCte}
        SELECT p.sector AS Key, COUNT(*) AS Enrolled, SUM(k.trained) AS Trained
        FROM completions k JOIN participants p ON p.id = k.participant_id
        GROUP BY p.sector;

        WITH {ScopedCourse},
        {Training.CompletionsCte}
        SELECT p.full_name AS FullName, p.organisation AS Organisation, p.sector AS Sector, p.country_code AS CountryCode,
               p.seniority AS Seniority, k.attended AS Attended, k.sessions AS Sessions, k.trained AS Trained
        FROM completions k JOIN participants p ON p.id = k.participant_id
        WHERE @withNames
        ORDER BY p.full_name IS NULL, p.full_name COLLATE NOCASE, p.id;

        WITH {ScopedCourse}
        SELECT state AS State, overall_rating AS OverallRating, delivered_on AS DeliveredOn,
               participants_attended AS ParticipantsAttended, submitted_at AS SubmittedAt, accepted_at AS AcceptedAt
        FROM evaluation_reports WHERE course_id IN (SELECT id FROM scoped);

        WITH {ScopedCourse}
        SELECT COUNT(*) AS Pairs, AVG(pre.score) AS MeanPre, AVG(post.score) AS MeanPost, AVG(post.score - pre.score) AS MeanGain
        FROM evaluation_responses pre
        JOIN evaluation_responses post ON post.code_id = pre.code_id AND post.purpose = 'postTest' AND post.course_id = pre.course_id
        WHERE pre.course_id IN (SELECT id FROM scoped) AND pre.purpose = 'preTest'
          AND pre.code_id IS NOT NULL AND pre.score IS NOT NULL AND post.score IS NOT NULL;

        WITH {ScopedCourse}
        SELECT AVG(a.number_value)
        FROM evaluation_responses r
        JOIN evaluation_answers a INDEXED BY ix_evaluation_answers_overall ON a.response_id = r.id AND a.question_key = '{Training.OverallQuestionKey}'
        WHERE r.course_id IN (SELECT id FROM scoped) AND r.purpose = 'reaction' AND r.form_id IN ({Training.OverallFormsSql});
        """;

    private static readonly IReadOnlyList<string> LikertValues = ["1", "2", "3", "4", "5"];

    public static string FileName(int courseId) => $"jointefforts-course-{courseId}-evaluation.xlsx";

    /// <summary>
    /// The workbook's bytes, or null when the course does not exist or lies outside <paramref name="countryScope"/>.
    /// Participant names (never e-mails) are listed only when <paramref name="withNames"/>.
    /// </summary>
    public static async Task<byte[]?> CreateAsync(
        DbConnection db, int courseId, string? countryScope, bool withNames, CancellationToken cancellationToken = default)
    {
        using var results = await db.QueryMultipleAsync(new CommandDefinition(
            Sql, new { id = courseId, country = countryScope, withNames }, cancellationToken: cancellationToken));
        var course = await results.ReadSingleOrDefaultAsync<CourseRow>();
        var counts = await results.ReadSingleAsync<CourseCounts>();
        var sessions = (await results.ReadAsync<SessionRow>()).ToList();
        var questions = (await results.ReadAsync<QuestionRow>()).ToList();
        var responses = (await results.ReadAsync<FormResponses>()).ToList();
        var answers = (await results.ReadAsync<QuestionFigures>()).ToList();
        var distribution = (await results.ReadAsync<ValueCount>()).ToList();
        var comments = (await results.ReadAsync<CommentRow>()).ToList();
        var sectors = (await results.ReadAsync<SectorRow>()).ToList();
        var participants = (await results.ReadAsync<ParticipantRow>()).ToList();
        var report = await results.ReadSingleOrDefaultAsync<ReportRow>();
        var knowledge = await results.ReadSingleAsync<KnowledgeGainDto>();
        var meanOverall = await results.ReadSingleAsync<double?>();
        if (course is null)
        {
            return null;
        }

        var texts = questions.ToDictionary(q => (q.FormId, q.QuestionKey), q => new QuestionTexts(q.Texts, q.Options));
        using var workbook = Workbooks.Create($"{course.ProgrammeCode}: evaluation of course {course.Id}, {course.Title}");
        WriteSummary(workbook, course, counts, responses, meanOverall, knowledge, report);
        WriteAttendance(workbook, sessions, counts.Enrolled);
        WriteQuestions(workbook, course.Language, questions, texts, responses, answers, distribution);
        WriteComments(workbook, course.Language, comments, questions, texts);
        WriteParticipants(workbook, sectors, counts.Enrolled, withNames ? participants : null);
        return Workbooks.ToBytes(workbook);
    }

    private static void WriteSummary(
        XLWorkbook workbook, CourseRow course, CourseCounts counts, IReadOnlyList<FormResponses> responses,
        double? meanOverall, KnowledgeGainDto knowledge, ReportRow? report)
    {
        var reactions = responses.Where(r => r.Purpose == "reaction").Sum(r => r.Responses);
        var rows = new List<(string Measure, object? Value, string? Format)>
        {
            ("Programme", course.ProgrammeCode, null),
            ("Course id", course.Id, Workbooks.IntegerFormat),
            ("Title", course.Title, null),
            ("Country", course.CountryCode, null),
            ("City", course.City, null),
            ("Venue", course.Venue, null),
            ("Language", course.Language, null),
            ("Status", course.Status, null),
            ("Start", course.StartDate, Workbooks.DateFormat),
            ("End", course.EndDate, Workbooks.DateFormat),
            ("Minimum participants", course.MinParticipants, Workbooks.IntegerFormat),
            ("Maximum participants", course.MaxParticipants, Workbooks.IntegerFormat),
            ("Sessions", counts.Sessions, Workbooks.IntegerFormat),
            ("Enrolled", counts.Enrolled, Workbooks.IntegerFormat),
            ("Waitlisted", counts.Waitlisted, Workbooks.IntegerFormat),
            ("Completion threshold", course.CompletionThreshold, Workbooks.PercentFormat),
            ("Trained", counts.Trained, Workbooks.IntegerFormat),
            ("Completion rate", counts.Enrolled > 0 ? counts.Trained / (double)counts.Enrolled : null, Workbooks.PercentFormat),
            ("Evaluation responses", reactions, Workbooks.IntegerFormat),
            ("Response rate", counts.Enrolled > 0 ? reactions / (double)counts.Enrolled : null, Workbooks.PercentFormat),
            ("Mean overall (1-5)", meanOverall, Workbooks.DecimalFormat),
            ("Knowledge test pairs", knowledge.Pairs, Workbooks.IntegerFormat),
            ("Mean pre-test score", knowledge.MeanPre, Workbooks.PercentFormat),
            ("Mean post-test score", knowledge.MeanPost, Workbooks.PercentFormat),
            ("Knowledge gain", knowledge.MeanGain, Workbooks.PercentFormat),
            ("Expert report", report?.State ?? "none", null),
            ("Expert report rating (1-5)", report?.OverallRating, Workbooks.IntegerFormat),
            ("Delivered on (expert report)", report?.DeliveredOn, Workbooks.DateFormat),
            ("Participants attended (expert report)", report?.ParticipantsAttended, Workbooks.IntegerFormat),
            ("Report submitted", report?.SubmittedAt, Workbooks.TimestampFormat),
            ("Report accepted", report?.AcceptedAt, Workbooks.TimestampFormat),
        };

        var sheet = SheetTable.Add(workbook, "Summary", [new("Measure", 36), new("Value", 48)]);
        var worksheet = workbook.Worksheet("Summary");
        foreach (var (measure, value, format) in rows)
        {
            sheet.Add(measure, value);
            if (format is not null)
            {
                worksheet.Cell(sheet.Rows + 1, 2).Style.NumberFormat.Format = format;
            }

            worksheet.Cell(sheet.Rows + 1, 2).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
        }
    }

    private static void WriteAttendance(XLWorkbook workbook, IReadOnlyList<SessionRow> sessions, int enrolled)
    {
        var sheet = SheetTable.Add(workbook, "Attendance",
        [
            new("Date", 12, Workbooks.DateFormat),
            new("Session", 40),
            new("Hours", 8, Workbooks.DecimalFormat),
            new("Enrolled", 10, Workbooks.IntegerFormat),
            new("Present", 10, Workbooks.IntegerFormat),
            new("Late", 8, Workbooks.IntegerFormat),
            new("Excused", 10, Workbooks.IntegerFormat),
            new("Absent", 9, Workbooks.IntegerFormat),
            new("Not recorded", 12, Workbooks.IntegerFormat),
            new("Attendance rate", 12, Workbooks.PercentFormat),
        ]);
        foreach (var s in sessions)
        {
            var recorded = s.Present + s.Late + s.Excused + s.Absent;
            sheet.Add(s.Date, s.Title, s.Hours, enrolled, s.Present, s.Late, s.Excused, s.Absent,
                Math.Max(enrolled - recorded, 0), enrolled > 0 ? (s.Present + s.Late) / (double)enrolled : null);
        }

        sheet.Filter();
    }

    /// <summary>
    /// One row per question (its respondents and mean), followed by one row per answer value of likert and
    /// choice questions (how many chose it and their share of the question's respondents).
    /// </summary>
    private static void WriteQuestions(
        XLWorkbook workbook, string language, IReadOnlyList<QuestionRow> questions,
        IReadOnlyDictionary<(int, string), QuestionTexts> texts, IReadOnlyList<FormResponses> responses,
        IReadOnlyList<QuestionFigures> answers, IReadOnlyList<ValueCount> distribution)
    {
        var sheet = SheetTable.Add(workbook, "Questions",
        [
            new("Form", 10),
            new("#", 5, Workbooks.IntegerFormat),
            new("Key", 16),
            new("Type", 14),
            new("Level", 10),
            new("Question (en)", 50),
            new($"Question ({language})", 50),
            new("Answer (en)", 26),
            new($"Answer ({language})", 26),
            new("Respondents", 12, Workbooks.IntegerFormat),
            new("Share", 9, Workbooks.PercentFormat),
            new("Mean", 8, Workbooks.DecimalFormat),
        ]);
        var figures = answers.ToDictionary(a => (a.FormId, a.QuestionKey));
        var counts = distribution.ToLookup(d => (d.FormId, d.QuestionKey));
        var responsesByForm = responses.ToDictionary(r => r.FormId, r => r.Responses);
        foreach (var q in questions)
        {
            var text = texts[(q.FormId, q.QuestionKey)];
            var answered = figures.GetValueOrDefault((q.FormId, q.QuestionKey));
            var respondents = answered?.Answers ?? 0;
            var formResponses = responsesByForm.GetValueOrDefault(q.FormId);
            var mean = q.Type is "likert5" or "number" ? answered?.Mean : null;
            sheet.Add(q.Purpose, q.Position, q.QuestionKey, q.Type, q.Level, text.Question("en"), text.Question(language),
                null, null, respondents, formResponses > 0 ? respondents / (double)formResponses : null, mean);

            if (q.Type is not ("likert5" or "singleChoice" or "multipleChoice"))
            {
                continue;
            }

            var chosen = counts[(q.FormId, q.QuestionKey)].ToDictionary(c => c.Value, c => c.Count, StringComparer.Ordinal);
            IReadOnlyList<string> values = q.Type == "likert5" ? LikertValues : text.OptionValues;
            foreach (var value in values.Concat(chosen.Keys.Where(k => !values.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal)))
            {
                var count = chosen.GetValueOrDefault(value);
                sheet.Add(q.Purpose, q.Position, q.QuestionKey, q.Type, q.Level, text.Question("en"), text.Question(language),
                    text.Option(value, "en"), text.Option(value, language), count,
                    respondents > 0 ? count / (double)respondents : null, null);
            }
        }

        sheet.Filter();
    }

    private static void WriteComments(
        XLWorkbook workbook, string language, IReadOnlyList<CommentRow> comments, IReadOnlyList<QuestionRow> questions,
        IReadOnlyDictionary<(int, string), QuestionTexts> texts)
    {
        var sheet = SheetTable.Add(workbook, "Comments",
        [
            new("Form", 10),
            new("Key", 16),
            new("Question (en)", 45),
            new($"Question ({language})", 45),
            new("Comment", 90),
        ]);
        var purposes = questions.GroupBy(q => q.FormId).ToDictionary(g => g.Key, g => g.First().Purpose);
        foreach (var c in comments)
        {
            var text = texts.GetValueOrDefault((c.FormId, c.QuestionKey));
            sheet.Add(purposes.GetValueOrDefault(c.FormId), c.QuestionKey, text?.Question("en"), text?.Question(language), c.Text);
        }

        workbook.Worksheet("Comments").Column(5).Style.Alignment.WrapText = true;
        sheet.Filter();
    }

    /// <summary>The sector mix for everyone; beside it, for coordinators, the participants by name (never e-mails).</summary>
    private static void WriteParticipants(
        XLWorkbook workbook, IReadOnlyList<SectorRow> sectors, int enrolled, IReadOnlyList<ParticipantRow>? participants)
    {
        var mix = SheetTable.Add(workbook, "Participants",
        [
            new("Sector", 18),
            new("Enrolled", 10, Workbooks.IntegerFormat),
            new("Trained", 10, Workbooks.IntegerFormat),
            new("Share of enrolled", 12, Workbooks.PercentFormat),
        ]);
        var bySector = sectors.ToDictionary(s => s.Key, StringComparer.Ordinal);
        foreach (var sector in Training.Sectors.Where(bySector.ContainsKey).Concat(bySector.Keys.Except(Training.Sectors)))
        {
            var row = bySector[sector];
            mix.Add(sector, row.Enrolled, row.Trained, enrolled > 0 ? row.Enrolled / (double)enrolled : null);
        }

        if (participants is null)
        {
            mix.Filter();
            return;
        }

        var list = new SheetTable(workbook.Worksheet("Participants"),
        [
            new("Name", 30),
            new("Organisation", 30),
            new("Sector", 18),
            new("Country", 9),
            new("Seniority", 10),
            new("Sessions attended", 10, Workbooks.IntegerFormat),
            new("Sessions", 10, Workbooks.IntegerFormat),
            new("Attendance rate", 11, Workbooks.PercentFormat),
            new("Trained", 9),
        ], firstColumn: 6);
        workbook.Worksheet("Participants").Column(5).Width = 3;
        foreach (var p in participants)
        {
            list.Add(p.FullName ?? "(erased)", p.Organisation, p.Sector, p.CountryCode, p.Seniority, p.Attended, p.Sessions,
                p.Sessions > 0 ? p.Attended / (double)p.Sessions : null, p.Trained);
        }

        list.Filter();
    }

    /// <summary>A question's texts and options, per language, from the JSON the form stores.</summary>
    private sealed class QuestionTexts
    {
        private readonly Dictionary<string, string> _question;
        private readonly List<(string Value, Dictionary<string, string> Text)> _options;

        public QuestionTexts(string texts, string? options)
        {
            _question = ReadTexts(Parse(texts));
            _options = [];
            if (Parse(options) is { ValueKind: JsonValueKind.Array } array)
            {
                foreach (var option in array.EnumerateArray().Where(o => o.ValueKind == JsonValueKind.Object))
                {
                    var value = option.TryGetProperty("value", out var v)
                        ? v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText()
                        : "";
                    _options.Add((value, option.TryGetProperty("text", out var t) ? ReadTexts(t) : []));
                }
            }
        }

        public IReadOnlyList<string> OptionValues => _options.Select(o => o.Value).ToList();

        public string? Question(string language) => _question.GetValueOrDefault(language);

        public string Option(string value, string language)
        {
            var option = _options.FirstOrDefault(o => o.Value == value);
            return option.Text?.GetValueOrDefault(language) ?? value;
        }

        private static JsonElement? Parse(string? json)
        {
            if (string.IsNullOrEmpty(json))
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(json);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return null; // a malformed text loses its translation, not the whole workbook
            }
        }

        private static Dictionary<string, string> ReadTexts(JsonElement? element) =>
            element is { ValueKind: JsonValueKind.Object } texts
                ? texts.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                    .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                : [];
    }

    private sealed record CourseRow
    {
        public int Id { get; init; }

        public required string Title { get; init; }

        public required string ProgrammeCode { get; init; }

        public required string CountryCode { get; init; }

        public required string City { get; init; }

        public string? Venue { get; init; }

        public required string Language { get; init; }

        public required string Status { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }

        public int MinParticipants { get; init; }

        public int MaxParticipants { get; init; }

        public double CompletionThreshold { get; init; }
    }

    private sealed record CourseCounts
    {
        public int Enrolled { get; init; }

        public int Trained { get; init; }

        public int Sessions { get; init; }

        public int Waitlisted { get; init; }
    }

    private sealed record SessionRow
    {
        public DateOnly Date { get; init; }

        public required string Title { get; init; }

        public double Hours { get; init; }

        public int Present { get; init; }

        public int Late { get; init; }

        public int Excused { get; init; }

        public int Absent { get; init; }
    }

    private sealed record QuestionRow
    {
        public int FormId { get; init; }

        public required string Purpose { get; init; }

        public int Position { get; init; }

        public required string QuestionKey { get; init; }

        public required string Type { get; init; }

        public required string Level { get; init; }

        public required string Texts { get; init; }

        public string? Options { get; init; }
    }

    private sealed record FormResponses
    {
        public int FormId { get; init; }

        public required string Purpose { get; init; }

        public int Responses { get; init; }
    }

    private sealed record QuestionFigures
    {
        public int FormId { get; init; }

        public required string QuestionKey { get; init; }

        public int Answers { get; init; }

        public double? Mean { get; init; }
    }

    private sealed record ValueCount
    {
        public int FormId { get; init; }

        public required string QuestionKey { get; init; }

        public required string Value { get; init; }

        public int Count { get; init; }
    }

    private sealed record CommentRow
    {
        public int FormId { get; init; }

        public required string QuestionKey { get; init; }

        public required string Text { get; init; }
    }

    private sealed record SectorRow
    {
        public required string Key { get; init; }

        public int Enrolled { get; init; }

        public int Trained { get; init; }
    }

    private sealed record ParticipantRow
    {
        public string? FullName { get; init; }

        public required string Organisation { get; init; }

        public required string Sector { get; init; }

        public required string CountryCode { get; init; }

        public required string Seniority { get; init; }

        public int Attended { get; init; }

        public int Sessions { get; init; }

        public bool Trained { get; init; }
    }

    private sealed record ReportRow
    {
        public required string State { get; init; }

        public int? OverallRating { get; init; }

        public DateOnly? DeliveredOn { get; init; }

        public int? ParticipantsAttended { get; init; }

        public DateTime? SubmittedAt { get; init; }

        public DateTime? AcceptedAt { get; init; }
    }
}
