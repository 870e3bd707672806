using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Evaluations;

public sealed record ResponseCounts(int Reaction, int PreTest, int PostTest);

/// <summary>Pre and post test of the same code, paired: scores 0..1, gain = post - pre.</summary>
public sealed record KnowledgeGainDto(int Pairs, double? MeanPre, double? MeanPost, double? MeanGain);

/// <summary>
/// One question across all answers, whatever language they were given in. <c>distribution</c> (likert5: "1".."5";
/// choice: every option value) counts answers, zeros included; <c>mean</c> is for likert5 and number; <c>texts</c>
/// (text questions) come in a fresh random order on every call, so they cannot be lined up into one respondent's
/// answers or the order they were given in. A question answered fewer than <see cref="EvaluationSummaryApi.MinGroup"/>
/// times shows its count only (<c>suppressed: true</c>), except to an admin: one or two answers are a person's.
/// </summary>
public sealed record QuestionSummaryDto(
    string Key,
    QuestionType Type,
    KirkpatrickLevel Level,
    string Text,
    int Count,
    bool Suppressed,
    double? Mean,
    IReadOnlyDictionary<string, int>? Distribution,
    IReadOnlyList<string>? Texts);

/// <summary><c>paperResponses</c>: how many of <c>responses</c> were paper forms. <c>meanScore</c> is null below 3 responses (not for admin).</summary>
public sealed record FormSummaryDto(
    EvaluationPurpose Purpose,
    int FormId,
    string Title,
    string Language,
    int Responses,
    int PaperResponses,
    double? MeanScore,
    IReadOnlyList<QuestionSummaryDto> Questions);

/// <summary>A course's evaluation in numbers. No name and no code appear in it. <c>paperResponses</c>: how many per purpose were paper.</summary>
public sealed record EvaluationSummaryDto(
    int CourseId,
    int Enrolled,
    ResponseCounts Responses,
    ResponseCounts PaperResponses,
    double? ResponseRate,
    IReadOnlyList<FormSummaryDto> Forms,
    KnowledgeGainDto? KnowledgeGain);

public static class EvaluationSummaryApi
{
    /// <summary>The smallest group whose answers are shown beyond their count (API.md: fewer than 3 shows the count only).</summary>
    public const int MinGroup = 3;

    // Answers count towards the summary when given to the form the course names now for their purpose.
    private const string CurrentForm = """
        r.course_id = @id AND r.form_id = CASE r.purpose WHEN 'reaction' THEN @reactionForm WHEN 'preTest' THEN @preForm ELSE @postForm END
        """;

    public static IEndpointRouteBuilder MapEvaluationSummary(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/courses")
            .WithTags("Evaluation (courses)")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .MapGet("/{id:int}/evaluation-summary", GetSummary).WithName("GetEvaluationSummary")
            .WithSummary("The course's evaluation: per form (reaction, preTest, postTest) and question the count, mean, distribution or " +
                         "texts, aggregated across languages (question texts in ?lang= or the course language); responses per purpose; " +
                         "responseRate = reaction responses / enrolled (null with nobody enrolled); knowledgeGain from pre/post tests " +
                         "paired by code (null unless the course has both tests; paper tests do not pair); paperResponses per purpose and form. " +
                         "Texts in random order; a question with fewer than 3 answers shows its count only, and meanScore and the " +
                         "knowledgeGain means need 3 responses or pairs (admin sees all). Coordinator, steering group, " +
                         "admin, and the country experts of the course's country (others: 404). Computed in a constant number of queries.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<EvaluationSummaryDto>, ProblemHttpResult>> GetSummary(
        int id, string? lang, Caller caller, SqliteConnection db)
    {
        var course = await EvaluationCourse.ReadAsync(db, id, caller);
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        var slots = new[]
        {
            (Purpose: EvaluationPurpose.Reaction, FormId: course.EvaluationFormId),
            (Purpose: EvaluationPurpose.PreTest, FormId: course.PreTestFormId),
            (Purpose: EvaluationPurpose.PostTest, FormId: course.PostTestFormId),
        };
        var forms = await EvaluationForms.ReadManyAsync(db, slots.Where(s => s.FormId is not null).Select(s => s.FormId!.Value).Distinct().ToList());

        var parameters = new
        {
            id,
            reactionForm = course.EvaluationFormId,
            preForm = course.PreTestFormId,
            postForm = course.PostTestFormId,
        };
        using var results = await db.QueryMultipleAsync(
            $"""
            SELECT COUNT(*) FROM enrolments WHERE course_id = @id AND status = 'enrolled';

            SELECT r.purpose AS Purpose, COUNT(*) AS Responses, SUM(r.source = 'paper') AS Paper, AVG(r.score) AS MeanScore
            FROM evaluation_responses r WHERE {CurrentForm}
            GROUP BY r.purpose;

            SELECT r.purpose AS Purpose, a.question_key AS QuestionKey, COUNT(DISTINCT a.response_id) AS Count, AVG(a.number_value) AS Mean
            FROM evaluation_answers a JOIN evaluation_responses r ON r.id = a.response_id
            WHERE {CurrentForm}
            GROUP BY r.purpose, a.question_key;

            SELECT r.purpose AS Purpose, a.question_key AS QuestionKey,
                   COALESCE(a.option_value, CAST(CAST(a.number_value AS INTEGER) AS TEXT)) AS Value, COUNT(*) AS Count
            FROM evaluation_answers a
            JOIN evaluation_responses r ON r.id = a.response_id
            JOIN form_questions q ON q.form_id = r.form_id AND q.question_key = a.question_key
            WHERE {CurrentForm} AND q.type IN ('likert5', 'singleChoice', 'multipleChoice')
            GROUP BY r.purpose, a.question_key, Value;

            SELECT r.purpose AS Purpose, a.question_key AS QuestionKey, a.text_value AS Text
            FROM evaluation_answers a JOIN evaluation_responses r ON r.id = a.response_id
            WHERE {CurrentForm} AND a.text_value IS NOT NULL;

            SELECT COUNT(*) AS Pairs, AVG(pre.score) AS MeanPre, AVG(post.score) AS MeanPost, AVG(post.score - pre.score) AS MeanGain
            FROM evaluation_responses pre
            JOIN evaluation_responses post ON post.code_id = pre.code_id AND post.purpose = 'postTest' AND post.form_id = @postForm
            WHERE pre.course_id = @id AND pre.purpose = 'preTest' AND pre.form_id = @preForm AND pre.code_id IS NOT NULL;
            """,
            parameters);
        var enrolled = await results.ReadSingleAsync<int>();
        var perPurpose = (await results.ReadAsync<PurposeRow>()).ToDictionary(r => r.Purpose);
        var perQuestion = (await results.ReadAsync<QuestionRow>()).ToDictionary(r => (r.Purpose, r.QuestionKey));
        var distribution = (await results.ReadAsync<DistributionRow>()).ToLookup(r => (r.Purpose, r.QuestionKey));
        var texts = (await results.ReadAsync<TextRow>()).ToLookup(r => (r.Purpose, r.QuestionKey));
        var gain = await results.ReadSingleAsync<GainRow>();
        var showAll = caller.Role == Role.Admin;

        var formSummaries = new List<FormSummaryDto>();
        foreach (var (purpose, formId) in slots)
        {
            if (formId is null || !forms.TryGetValue(formId.Value, out var form))
            {
                continue;
            }

            var language = EvaluationForms.LanguageFor(form, lang ?? course.Language);
            var responses = perPurpose.GetValueOrDefault(purpose);
            var responseCount = responses?.Responses ?? 0;
            formSummaries.Add(new FormSummaryDto(
                purpose, form.Id, form.Title, language, responseCount, responses?.Paper ?? 0,
                showAll || responseCount >= MinGroup ? responses?.MeanScore : null,
                form.Questions.Select(q => Summarise(q, purpose, language, showAll, perQuestion, distribution, texts)).ToList()));
        }

        var counts = new ResponseCounts(
            perPurpose.GetValueOrDefault(EvaluationPurpose.Reaction)?.Responses ?? 0,
            perPurpose.GetValueOrDefault(EvaluationPurpose.PreTest)?.Responses ?? 0,
            perPurpose.GetValueOrDefault(EvaluationPurpose.PostTest)?.Responses ?? 0);
        var paper = new ResponseCounts(
            perPurpose.GetValueOrDefault(EvaluationPurpose.Reaction)?.Paper ?? 0,
            perPurpose.GetValueOrDefault(EvaluationPurpose.PreTest)?.Paper ?? 0,
            perPurpose.GetValueOrDefault(EvaluationPurpose.PostTest)?.Paper ?? 0);
        var knowledgeGain = course.PreTestFormId is not null && course.PostTestFormId is not null
            ? showAll || gain.Pairs >= MinGroup
                ? new KnowledgeGainDto(gain.Pairs, gain.MeanPre, gain.MeanPost, gain.MeanGain)
                : new KnowledgeGainDto(gain.Pairs, null, null, null)
            : null;
        return TypedResults.Ok(new EvaluationSummaryDto(
            id, enrolled, counts, paper, enrolled == 0 ? null : (double)counts.Reaction / enrolled, formSummaries, knowledgeGain));
    }

    private static QuestionSummaryDto Summarise(
        QuestionDto question,
        EvaluationPurpose purpose,
        string language,
        bool showAll,
        Dictionary<(EvaluationPurpose, string), QuestionRow> perQuestion,
        ILookup<(EvaluationPurpose, string), DistributionRow> distribution,
        ILookup<(EvaluationPurpose, string), TextRow> texts)
    {
        var key = (purpose, question.Key);
        var row = perQuestion.GetValueOrDefault(key);
        var count = row?.Count ?? 0;
        if (!showAll && count < MinGroup)
        {
            return new QuestionSummaryDto(question.Key, question.Type, question.Level, question.Text[language], count, count > 0, null, null, null);
        }

        var counted = distribution[key].ToDictionary(d => d.Value, d => d.Count, StringComparer.Ordinal);
        IReadOnlyDictionary<string, int>? buckets = question.Type switch
        {
            QuestionType.Likert5 => Enumerable.Range(1, 5)
                .Select(i => i.ToString(CultureInfo.InvariantCulture))
                .ToDictionary(v => v, v => counted.GetValueOrDefault(v)),
            QuestionType.SingleChoice or QuestionType.MultipleChoice => question.Options!
                .ToDictionary(o => o.Value, o => counted.GetValueOrDefault(o.Value)),
            _ => null,
        };
        return new QuestionSummaryDto(
            question.Key,
            question.Type,
            question.Level,
            question.Text[language],
            count,
            false,
            question.Type is QuestionType.Likert5 or QuestionType.Number ? row?.Mean : null,
            buckets,
            question.Type == QuestionType.Text ? Shuffled(texts[key].Select(t => t.Text).ToArray()) : null);
    }

    /// <summary>A random order from the cryptographic source: neither the order of submission nor of storage shows through.</summary>
    private static string[] Shuffled(string[] texts)
    {
        RandomNumberGenerator.Shuffle(texts.AsSpan());
        return texts;
    }

    private sealed record PurposeRow
    {
        public EvaluationPurpose Purpose { get; init; }

        public int Responses { get; init; }

        public int Paper { get; init; }

        public double? MeanScore { get; init; }
    }

    private sealed record QuestionRow
    {
        public EvaluationPurpose Purpose { get; init; }

        public required string QuestionKey { get; init; }

        public int Count { get; init; }

        public double? Mean { get; init; }
    }

    private sealed record DistributionRow
    {
        public EvaluationPurpose Purpose { get; init; }

        public required string QuestionKey { get; init; }

        public required string Value { get; init; }

        public int Count { get; init; }
    }

    private sealed record TextRow
    {
        public EvaluationPurpose Purpose { get; init; }

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
}
