using System.Data.Common;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Reports;

/// <summary>
/// The evaluation workbook of one course, printable: Summary (one page), Attendance, Questions (one row per
/// question), Charts, Comments (random order), Participants. Read in one batch; answers are aggregated in SQL,
/// only free-text comments come back one by one. A question with fewer than 3 answers shows its count only
/// (to everyone but admins).
/// </summary>
public static class CourseWorkbook
{
    private const string ScopedCourse =
        "scoped AS MATERIALIZED (SELECT id, completion_threshold, status FROM courses WHERE id = @id AND (@country IS NULL OR country_code = @country))";

    private const string Sql = $"""
        SELECT c.id AS Id, c.title AS Title, p.code AS ProgrammeCode, p.funding_programme AS Funder, c.country_code AS CountryCode, c.city AS City,
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
               q.type AS Type, q.level AS Level, q.texts AS Texts, q.options AS Options, q.correct_option AS CorrectOption
        FROM form_questions q JOIN evaluation_forms f ON f.id = q.form_id
        WHERE q.form_id IN (SELECT form_id FROM forms)
        ORDER BY CASE f.purpose WHEN 'preTest' THEN 1 WHEN 'reaction' THEN 2 ELSE 3 END, q.form_id, q.position, q.id;

        WITH {ScopedCourse}
        SELECT form_id AS FormId, purpose AS Purpose, COUNT(*) AS Responses, SUM(source = 'paper') AS Paper
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
        ORDER BY q.form_id, q.position, random();

        WITH {ScopedCourse},
        {Training.CompletionsCte}
        SELECT 'sector' AS Dimension, p.sector AS Key, COUNT(*) AS Enrolled, SUM(k.trained) AS Trained
        FROM completions k JOIN participants p ON p.id = k.participant_id
        GROUP BY p.sector
        UNION ALL
        SELECT 'seniority', p.seniority, COUNT(*), SUM(k.trained)
        FROM completions k JOIN participants p ON p.id = k.participant_id
        GROUP BY p.seniority
        UNION ALL
        SELECT 'country', p.country_code, COUNT(*), SUM(k.trained)
        FROM completions k JOIN participants p ON p.id = k.participant_id
        GROUP BY p.country_code;

        WITH {ScopedCourse},
        {Training.CompletionsCte}
        SELECT p.full_name AS FullName, p.organisation AS Organisation, p.sector AS Sector, p.country_code AS CountryCode,
               p.seniority AS Seniority, k.attended AS Attended, k.sessions AS Sessions, k.trained AS Trained
        FROM completions k JOIN participants p ON p.id = k.participant_id
        WHERE @withNames
        ORDER BY p.full_name IS NULL, p.full_name COLLATE NOCASE, p.id;

        WITH {ScopedCourse}
        SELECT state AS State, return_comment AS ReturnComment, overall_rating AS OverallRating, delivered_on AS DeliveredOn,
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

        WITH {ScopedCourse},
        {Training.KnowledgeByQuestionSql};
        """;

    private static readonly IReadOnlyList<string> LikertValues = ["1", "2", "3", "4", "5"];

    /// <summary>Below this many answers a question shows its count only: one or two answers could point at a person.</summary>
    public const int MinimumAnswersShown = EvaluationSummaryApi.MinGroup;

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
        DbConnection db, int courseId, string? countryScope, Audience audience, DateOnly asOf, CancellationToken cancellationToken = default)
    {
        var withNames = audience != Audience.Others;
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
        var mix = (await results.ReadAsync<MixRow>()).ToList();
        var participants = (await results.ReadAsync<ParticipantRow>()).ToList();
        var report = await results.ReadSingleOrDefaultAsync<ReportRow>();
        var knowledge = await results.ReadSingleAsync<KnowledgeGainDto>();
        var meanOverall = await results.ReadSingleAsync<double?>();
        var byQuestion = (await results.ReadAsync<KnowledgeQuestion>()).ToList();
        if (course is null)
        {
            return null;
        }

        var suppress = audience != Audience.Admin;
        var shown = answers.Where(a => !suppress || a.Answers >= MinimumAnswersShown).Select(a => (a.FormId, a.QuestionKey)).ToHashSet();
        var texts = questions.ToDictionary(q => (q.FormId, q.QuestionKey), q => new QuestionTexts(q.Texts, q.Options));
        var footer = $"{course.ProgrammeCode} · {course.City} {course.StartDate:yyyy-MM-dd}";
        using var workbook = Workbooks.Create($"{course.ProgrammeCode}: evaluation of {course.Title}, {course.City} {course.StartDate:yyyy-MM-dd}");
        // The Summary's means follow the Questions sheet's rule: fewer than 3 answers behind a figure, only the count.
        var overallAnswers = answers.Where(a => a.QuestionKey == Training.OverallQuestionKey && responses.Any(r => r.FormId == a.FormId && r.Purpose == "reaction")).Sum(a => a.Answers);
        if (suppress && overallAnswers < MinimumAnswersShown)
        {
            meanOverall = null;
        }

        if (suppress && knowledge.Pairs < MinimumAnswersShown)
        {
            knowledge = new KnowledgeGainDto { Pairs = knowledge.Pairs };
        }

        WriteSummary(workbook, course, counts, responses, meanOverall, knowledge, report, mix, footer, asOf);
        var charts = new List<ChartSpec>();
        WriteAttendance(workbook, sessions, counts.Enrolled, footer, asOf);
        var likert = WriteQuestions(workbook, course.Language, questions, texts, responses, answers, distribution, shown, footer, asOf);
        charts.AddRange(WriteCharts(workbook, likert, suppress ? byQuestion.Where(q => Math.Min(q.AnswersBefore, q.AnswersAfter) >= MinimumAnswersShown).ToList() : byQuestion, footer, asOf));
        WriteComments(workbook, course.Language, comments, questions, texts, shown, answers, footer, asOf);
        WriteParticipants(workbook, mix, counts.Enrolled, withNames ? participants : null, footer, asOf);
        return new Workbook(ExcelCharts.Add(Workbooks.ToBytes(workbook), charts), FileName(course.ProgrammeCode, course.City, course.StartDate));
    }

    private static void WriteSummary(
        XLWorkbook workbook, CourseRow course, CourseCounts counts, IReadOnlyList<FormResponses> responses,
        double? meanOverall, KnowledgeGainDto knowledge, ReportRow? report, IReadOnlyList<MixRow> mix, string footer, DateOnly asOf)
    {
        var sheet = workbook.AddWorksheet("Summary");
        double[] widths = [34, 13, 13, 11, 14, 14, 14, 20];
        for (var i = 0; i < widths.Length; i++)
        {
            sheet.Column(i + 1).Width = widths[i];
        }

        Workbooks.Title(sheet, course.Title, widths.Sum());
        sheet.Cell(2, 1).SetValue($"{course.ProgrammeCode} · pilot course evaluation · funded by {course.Funder}");
        sheet.Cell(3, 1).SetValue("As of");
        sheet.Cell(3, 1).Style.Font.Bold = true;
        Workbooks.Set(sheet.Cell(3, 2), asOf);
        sheet.Cell(3, 2).Style.NumberFormat.Format = Workbooks.DateFormat;
        sheet.Cell(3, 2).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;

        var facts = new SheetTable(sheet, [new("Course", 34), new("", 13), new("", 13)], headerRow: 5);
        facts.Add("Country, city", $"{Labels.Country(course.CountryCode)}, {course.City}");
        facts.Add("Venue", course.Venue);
        facts.Add("Language", Labels.Language(course.Language));
        facts.Add("Dates", course.StartDate, course.EndDate);
        facts.Sheet.Range(facts.LastRow, 2, facts.LastRow, 3).Style.NumberFormat.Format = Workbooks.DateFormat;
        facts.Add("Status", Labels.For<CourseStatus>(course.Status));
        facts.Add("Sessions", counts.Sessions);
        foreach (var row in Enumerable.Range(facts.HeaderRow + 1, facts.Rows))
        {
            sheet.Cell(row, 2).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
        }

        var reactions = responses.Where(r => r.Purpose == "reaction").ToList();
        var responded = reactions.Sum(r => r.Responses);
        var paper = reactions.Sum(r => r.Paper);
        var headline = new SheetTable(sheet, [new("Headline figures", 34), new("Value", 13), new("Out of", 13), new("Share", 11), new("What it counts", 14)],
            headerRow: facts.LastRow + 2);
        sheet.Range(headline.HeaderRow, 5, headline.HeaderRow, 8).Merge();
        Headline(headline, "Participants trained", counts.Trained, counts.Enrolled,
            $"of those enrolled: attended at least {course.CompletionThreshold:0%} of the sessions");
        Headline(headline, "Participants enrolled", counts.Enrolled, course.MinParticipants,
            $"against the minimum of {course.MinParticipants} (maximum {course.MaxParticipants}); {counts.Waitlisted} wait-listed");
        if (counts.Enrolled < course.MinParticipants && course.Status != "cancelled")
        {
            sheet.Range(headline.LastRow, 1, headline.LastRow, 4).Style.Fill.BackgroundColor = Workbooks.Attention;
        }

        Headline(headline, "Evaluation responses", responded, counts.Enrolled,
            $"reaction forms against those enrolled: {paper} on paper, {responded - paper} online");
        headline.Add("Mean overall rating (1-5)", meanOverall, null, null,
            meanOverall is null && responded > 0 ? $"fewer than {MinimumAnswersShown} answers: not shown" : "answers to \"Overall, how satisfied…\"");
        sheet.Cell(headline.LastRow, 2).Style.NumberFormat.Format = Workbooks.DecimalFormat;
        headline.Add("Knowledge gain (share correct)", knowledge.MeanGain, knowledge.Pairs, null,
            knowledge.Pairs == 0 ? "no paired knowledge tests yet"
                : knowledge.MeanGain is null ? $"test pairs: fewer than {MinimumAnswersShown}, not shown"
                : $"test pairs; from {knowledge.MeanPre:0%} correct before to {knowledge.MeanPost:0%} after");
        sheet.Cell(headline.LastRow, 2).Style.NumberFormat.Format = "+0.0%;-0.0%;0.0%";
        var returned = report is { State: "draft", ReturnComment: not null };
        headline.Add("Expert report", report is null ? "None yet" : returned ? "Returned" : Labels.For<ReportState>(report.State),
            report?.OverallRating, null,
            report is null ? "the country expert has not started it"
                : returned ? $"returned: {report.ReturnComment}"
                : $"rating of {report.OverallRating?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–"} of 5; {report.ParticipantsAttended?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–"} attended, delivered {report.DeliveredOn:yyyy-MM-dd}");
        if (returned)
        {
            sheet.Range(headline.LastRow, 1, headline.LastRow, 4).Style.Fill.BackgroundColor = Workbooks.Attention;
        }

        foreach (var row in Enumerable.Range(headline.HeaderRow, headline.Rows + 1))
        {
            sheet.Range(row, 5, row, 8).Merge();
            sheet.Cell(row, 2).Style.Font.Bold = row > headline.HeaderRow;
            sheet.Cell(row, 2).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
        }

        var countries = new SheetTable(sheet,
        [
            new("Participants by country", 34), new("Enrolled", 13, Workbooks.IntegerFormat), new("Trained", 13, Workbooks.IntegerFormat),
            new("Trained share", 11, Workbooks.PercentFormat),
        ], headerRow: headline.LastRow + 2);
        foreach (var c in mix.Where(m => m.Dimension == "country").OrderByDescending(m => m.Enrolled).ThenBy(m => m.Key, StringComparer.Ordinal))
        {
            countries.Add(Labels.Country(c.Key), c.Enrolled, c.Trained, c.Enrolled > 0 ? c.Trained / (double)c.Enrolled : null);
        }

        var totals = countries.Add("All participants", counts.Enrolled, counts.Trained, counts.Enrolled > 0 ? counts.Trained / (double)counts.Enrolled : null);
        totals.Style.Font.Bold = true;
        totals.Cells(1, 4).Style.Border.TopBorder = XLBorderStyleValues.Thin;
        var note = countries.LastRow + 1;
        sheet.Cell(note, 1).SetValue("Evaluations are anonymous: responses, ratings and test results cannot be split by participant or country.");
        sheet.Cell(note, 1).Style.Font.Italic = true;
        sheet.Cell(note, 1).Style.Font.FontSize = 9;
        sheet.PageSetup.PrintAreas.Add(1, 1, note, 8);
        Workbooks.PrintSetup(sheet, footer, asOf, repeatRows: 0, onePage: true);
    }

    private static void Headline(SheetTable table, string measure, int value, int outOf, string note)
    {
        table.Add(measure, value, outOf, outOf > 0 ? value / (double)outOf : null, note);
        table.Sheet.Cell(table.LastRow, 4).Style.NumberFormat.Format = Workbooks.PercentFormat;
        table.Sheet.Cell(table.LastRow, 5).Style.Alignment.Indent = 1;
    }

    private static void WriteAttendance(XLWorkbook workbook, IReadOnlyList<SessionRow> sessions, int enrolled, string footer, DateOnly asOf)
    {
        var sheet = SheetTable.Add(workbook, "Attendance",
        [
            new("Date", 12, Workbooks.DateFormat),
            new("Session", 44, Wrap: true),
            new("Hours", 8, Workbooks.DecimalFormat),
            new("Enrolled", 10, Workbooks.IntegerFormat),
            new("Present", 10, Workbooks.IntegerFormat),
            new("Late", 8, Workbooks.IntegerFormat),
            new("Excused", 10, Workbooks.IntegerFormat),
            new("Absent", 9, Workbooks.IntegerFormat),
            new("Not recorded", 10, Workbooks.IntegerFormat),
            new("Attendance rate", 11, Workbooks.PercentFormat),
        ]);
        foreach (var s in sessions)
        {
            var recorded = s.Present + s.Late + s.Excused + s.Absent;
            sheet.Add(s.Date, s.Title, s.Hours, enrolled, s.Present, s.Late, s.Excused, s.Absent,
                Math.Max(enrolled - recorded, 0), enrolled > 0 ? (s.Present + s.Late) / (double)enrolled : null);
        }

        sheet.Filter();
        Workbooks.PrintSetup(sheet.Sheet, footer, asOf);
    }

    /// <summary>
    /// One row per question: its respondents and mean, the Likert answers counted under their anchors, the choices
    /// with their counts, the share correct of a knowledge question. Returns the Likert rows for the chart.
    /// </summary>
    private static IReadOnlyList<LikertRow> WriteQuestions(
        XLWorkbook workbook, string language, IReadOnlyList<QuestionRow> questions,
        IReadOnlyDictionary<(int, string), QuestionTexts> texts, IReadOnlyList<FormResponses> responses,
        IReadOnlyList<QuestionFigures> answers, IReadOnlyList<ValueCount> distribution,
        IReadOnlySet<(int, string)> shown, string footer, DateOnly asOf)
    {
        var bilingual = language != "en";
        var columns = new List<Column>
        {
            new("Form", 12, Wrap: true),
            new("#", 4, Workbooks.IntegerFormat),
            new("Question (en)", 36, Wrap: true),
        };
        if (bilingual)
        {
            columns.Add(new($"Question ({language})", 36, Wrap: true));
        }

        columns.AddRange(
        [
            new("Type", 10, Wrap: true),
            new("Answers", 9, Workbooks.IntegerFormat),
            new("Share of forms", 9, Workbooks.PercentFormat),
            new("Mean", 7, Workbooks.DecimalFormat),
        ]);
        columns.AddRange(Labels.LikertAnchors.Select(anchor => new Column(anchor, 12, Workbooks.IntegerFormat)));
        columns.Add(new("Choices (answers)", 34, Wrap: true));
        columns.Add(new("Share correct", 9, Workbooks.PercentFormat));
        var sheet = SheetTable.Add(workbook, "Questions", columns);
        var figures = answers.ToDictionary(a => (a.FormId, a.QuestionKey));
        var counts = distribution.ToLookup(d => (d.FormId, d.QuestionKey));
        var responsesByForm = responses.ToDictionary(r => r.FormId, r => r.Responses);
        var correctness = questions.Where(q => q.CorrectOption is not null).ToDictionary(q => (q.FormId, q.QuestionKey), q => q.CorrectOption!);
        var likert = new List<LikertRow>();
        foreach (var q in questions)
        {
            var key = (q.FormId, q.QuestionKey);
            var text = texts[key];
            var answered = figures.GetValueOrDefault(key);
            var respondents = answered?.Answers ?? 0;
            var formResponses = responsesByForm.GetValueOrDefault(q.FormId);
            var visible = shown.Contains(key);
            var values = new List<object?> { Labels.For<EvaluationPurpose>(q.Purpose), q.Position, text.Question("en") };
            if (bilingual)
            {
                values.Add(text.Question(language));
            }

            values.AddRange([Labels.For<QuestionType>(q.Type), respondents, formResponses > 0 ? respondents / (double)formResponses : null]);
            var chosen = counts[key].ToDictionary(c => c.Value, c => c.Count, StringComparer.Ordinal);
            if (!visible)
            {
                values.Add(null);
                values.AddRange(LikertValues.Select(_ => (object?)null));
                values.Add(respondents == 0 ? null : $"not shown: fewer than {MinimumAnswersShown} answers");
                sheet.Add([.. values]);
                continue;
            }

            values.Add(q.Type is "likert5" or "number" ? answered?.Mean : null);
            if (q.Type == "likert5")
            {
                var row = LikertValues.Select(v => chosen.GetValueOrDefault(v)).ToList();
                values.AddRange(row.Select(n => (object?)n));
                likert.Add(new LikertRow(q.QuestionKey, text.Question("en") ?? q.QuestionKey, row));
            }
            else
            {
                values.AddRange(LikertValues.Select(_ => (object?)null));
            }

            if (q.Type is "singleChoice" or "multipleChoice")
            {
                IReadOnlyList<string> options = text.OptionValues;
                var all = options.Concat(chosen.Keys.Where(k => !options.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal));
                values.Add(string.Join("\n", all.Select(v => $"{text.Option(v, "en")}{(correctness.GetValueOrDefault(key) == v ? " (correct)" : "")}: {chosen.GetValueOrDefault(v)}")));
                values.Add(correctness.ContainsKey(key) && respondents > 0
                    ? chosen.GetValueOrDefault(correctness[key]) / (double)respondents
                    : null);
            }

            sheet.Add([.. values]);
        }

        sheet.Filter();
        Workbooks.PrintSetup(sheet.Sheet, footer, asOf);
        return likert;
    }

    /// <summary>
    /// The charts, drawn from small tables beside them: how each Likert question was answered (share of answers per
    /// anchor) and, per knowledge question, the share correct before and after.
    /// </summary>
    private static IEnumerable<ChartSpec> WriteCharts(
        XLWorkbook workbook, IReadOnlyList<LikertRow> likert, IReadOnlyList<KnowledgeQuestion> knowledge, string footer, DateOnly asOf)
    {
        const string name = "Charts";
        var sheet = workbook.AddWorksheet(name);
        sheet.Cell(1, 1).SetValue("Charts: answers to the reaction questions, knowledge tests before and after");
        sheet.Cell(1, 1).Style.Font.Bold = true;
        const int dataColumn = 14;
        var charts = new List<ChartSpec>();
        var likertHeight = Math.Max(14, 2 * likert.Count + 6);
        if (likert.Count > 0)
        {
            var table = new SheetTable(sheet,
                new Column[] { new("Question", 40) }.Concat(Labels.LikertAnchors.Select(a => new Column(a, 10, Workbooks.IntegerFormat))).ToList(),
                firstColumn: dataColumn, headerRow: 2);
            foreach (var q in likert)
            {
                table.Add([Shorten(q.Question), .. q.Counts.Select(c => (object?)c)]);
            }

            var categories = likert.Select(q => Shorten(q.Question)).ToList();
            var first = table.HeaderRow + 1;
            charts.Add(new ChartSpec(name, "Reaction questions: how the answers spread (share of answers)", ChartKind.Bar,
                Labels.LikertAnchors.Select((anchor, i) => new ChartSeries(anchor,
                    ExcelCharts.Range(name, dataColumn, first, table.LastRow), ExcelCharts.Range(name, dataColumn + 1 + i, first, table.LastRow),
                    categories, table.Values(1 + i), LikertColours[i])).ToList(),
                1, 3, 12, 3 + likertHeight, "0%", PercentStacked: true));
        }

        var top = 3 + likertHeight + 1;
        if (knowledge.Count > 0)
        {
            var table = new SheetTable(sheet,
                [new("Knowledge question", 40), new("Correct before", 10, Workbooks.PercentFormat), new("Correct after", 10, Workbooks.PercentFormat)],
                firstColumn: dataColumn, headerRow: top);
            foreach (var q in knowledge)
            {
                table.Add(Shorten(q.Question), q.ShareBefore, q.ShareAfter);
            }

            var categories = knowledge.Select(q => Shorten(q.Question)).ToList();
            var first = table.HeaderRow + 1;
            charts.Add(new ChartSpec(name, "Knowledge tests: share of answers correct, before and after the course", ChartKind.Bar,
            [
                new("Before", ExcelCharts.Range(name, dataColumn, first, table.LastRow), ExcelCharts.Range(name, dataColumn + 1, first, table.LastRow),
                    categories, table.Values(1), ExcelCharts.Palette[2]),
                new("After", ExcelCharts.Range(name, dataColumn, first, table.LastRow), ExcelCharts.Range(name, dataColumn + 2, first, table.LastRow),
                    categories, table.Values(2), ExcelCharts.Palette[0]),
            ], 1, top, 12, top + Math.Max(14, 3 * knowledge.Count + 5), "0%", MaxValue: 1));
            top += Math.Max(14, 3 * knowledge.Count + 5);
        }

        if (charts.Count == 0)
        {
            sheet.Cell(3, 1).SetValue("No answers to chart yet.");
        }

        sheet.PageSetup.PrintAreas.Add(1, 1, Math.Max(top, 4), 12);
        Workbooks.PrintSetup(sheet, footer, asOf, repeatRows: 1, onePage: true);
        return charts;
    }

    private static readonly string[] LikertColours = ["C00000", "F4B183", "D9D9D9", "9DC3E6", "2E75B6"];

    /// <summary>Chart categories read best short: the question cut at a word near 60 characters.</summary>
    private static string Shorten(string text)
    {
        if (text.Length <= 60)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', 57);
        return string.Concat(text.AsSpan(0, cut > 30 ? cut : 57), "…");
    }

    private static void WriteComments(
        XLWorkbook workbook, string language, IReadOnlyList<CommentRow> comments, IReadOnlyList<QuestionRow> questions,
        IReadOnlyDictionary<(int, string), QuestionTexts> texts, IReadOnlySet<(int, string)> shown, IReadOnlyList<QuestionFigures> answers,
        string footer, DateOnly asOf)
    {
        var bilingual = language != "en";
        var columns = new List<Column> { new("Form", 12, Wrap: true), new("Question (en)", 34, Wrap: true) };
        if (bilingual)
        {
            columns.Add(new($"Question ({language})", 34, Wrap: true));
        }

        columns.Add(new("Comment (in random order, not the order given)", 80, Wrap: true));
        var sheet = SheetTable.Add(workbook, "Comments", columns);
        var purposes = questions.GroupBy(q => q.FormId).ToDictionary(g => g.Key, g => g.First().Purpose);
        foreach (var c in comments.Where(c => shown.Contains((c.FormId, c.QuestionKey))))
        {
            var text = texts.GetValueOrDefault((c.FormId, c.QuestionKey));
            var values = new List<object?> { Labels.For<EvaluationPurpose>(purposes.GetValueOrDefault(c.FormId)), text?.Question("en") };
            if (bilingual)
            {
                values.Add(text?.Question(language));
            }

            values.Add(c.Text);
            sheet.Add([.. values]);
        }

        foreach (var hidden in questions.Where(q => q.Type == "text" && !shown.Contains((q.FormId, q.QuestionKey))))
        {
            var count = answers.FirstOrDefault(a => a.FormId == hidden.FormId && a.QuestionKey == hidden.QuestionKey)?.Answers ?? 0;
            if (count == 0)
            {
                continue;
            }

            var text = texts.GetValueOrDefault((hidden.FormId, hidden.QuestionKey));
            var values = new List<object?> { Labels.For<EvaluationPurpose>(hidden.Purpose), text?.Question("en") };
            if (bilingual)
            {
                values.Add(text?.Question(language));
            }

            values.Add($"{count} comment(s) not shown: fewer than {MinimumAnswersShown} answers could point at a person.");
            sheet.Add([.. values]);
        }

        sheet.Filter();
        Workbooks.PrintSetup(sheet.Sheet, footer, asOf);
    }

    /// <summary>The sector and seniority mix for everyone; beside it, for coordinators, the participants by name (never e-mails).</summary>
    private static void WriteParticipants(
        XLWorkbook workbook, IReadOnlyList<MixRow> mixRows, int enrolled, IReadOnlyList<ParticipantRow>? participants, string footer, DateOnly asOf)
    {
        var mix = SheetTable.Add(workbook, "Participants",
        [
            new("Sector or seniority", 20),
            new("Enrolled", 9, Workbooks.IntegerFormat),
            new("Trained", 9, Workbooks.IntegerFormat),
            new("Share of enrolled", 10, Workbooks.PercentFormat),
        ]);
        var bySector = mixRows.Where(m => m.Dimension == "sector").ToDictionary(s => s.Key, StringComparer.Ordinal);
        foreach (var sector in Training.Sectors.Where(bySector.ContainsKey).Concat(bySector.Keys.Except(Training.Sectors)))
        {
            var row = bySector[sector];
            mix.Add(Labels.For<Sector>(sector), row.Enrolled, row.Trained, enrolled > 0 ? row.Enrolled / (double)enrolled : null);
        }

        foreach (var row in mixRows.Where(m => m.Dimension == "seniority").OrderBy(m => Training.Seniorities.ToList().IndexOf(m.Key)))
        {
            mix.Add(Labels.For<Seniority>(row.Key), row.Enrolled, row.Trained, enrolled > 0 ? row.Enrolled / (double)enrolled : null);
        }

        Workbooks.PrintSetup(mix.Sheet, footer, asOf);
        if (participants is null)
        {
            mix.Filter();
            return;
        }

        var list = new SheetTable(workbook.Worksheet("Participants"),
        [
            new("Name", 24, Wrap: true),
            new("Organisation", 30, Wrap: true),
            new("Sector", 16),
            new("Country", 12),
            new("Seniority", 11),
            new("Sessions attended", 10, Workbooks.IntegerFormat),
            new("Sessions", 9, Workbooks.IntegerFormat),
            new("Attendance rate", 10, Workbooks.PercentFormat),
            new("Trained", 8),
        ], firstColumn: 6);
        workbook.Worksheet("Participants").Column(5).Width = 3;
        foreach (var p in participants)
        {
            list.Add(p.FullName ?? "(erased)", p.Organisation, Labels.For<Sector>(p.Sector), Labels.Country(p.CountryCode), Labels.For<Seniority>(p.Seniority),
                p.Attended, p.Sessions, p.Sessions > 0 ? p.Attended / (double)p.Sessions : null, p.Trained ? "Yes" : "No");
        }

        list.Filter();
    }

    private sealed record LikertRow(string Key, string Question, IReadOnlyList<int> Counts);

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

        public required string Funder { get; init; }

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

        public string? CorrectOption { get; init; }
    }

    private sealed record FormResponses
    {
        public int FormId { get; init; }

        public required string Purpose { get; init; }

        public int Responses { get; init; }

        public int Paper { get; init; }
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

    private sealed record MixRow
    {
        public required string Dimension { get; init; }

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

        public string? ReturnComment { get; init; }

        public int? OverallRating { get; init; }

        public DateOnly? DeliveredOn { get; init; }

        public int? ParticipantsAttended { get; init; }

        public DateTime? SubmittedAt { get; init; }

        public DateTime? AcceptedAt { get; init; }
    }
}
