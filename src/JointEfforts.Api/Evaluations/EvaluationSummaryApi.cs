using System.Data.Common;
using System.Globalization;
using JointEfforts.Api.Evaluations.Figures;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

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

/// <summary>
/// A course's evaluation in numbers. No name and no code appear in it. <c>paperResponses</c>: how many per purpose were paper.
/// <c>released</c>: the course's evaluation has closed (evaluated or cancelled) and its results are shown; before, every
/// question shows its count only (docs/reliability.md, "Release of evaluation results").
/// </summary>
public sealed record EvaluationSummaryDto(
    int CourseId,
    int Enrolled,
    ResponseCounts Responses,
    ResponseCounts PaperResponses,
    double? ResponseRate,
    IReadOnlyList<FormSummaryDto> Forms,
    KnowledgeGainDto? KnowledgeGain,
    bool Released);

public static class EvaluationSummaryApi
{
    /// <summary>The smallest group whose answers are shown beyond their count (API.md: fewer than 3 shows the count only).</summary>
    public const int MinGroup = Release.MinGroup;

    public static IEndpointRouteBuilder MapEvaluationSummary(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/courses")
            .WithTags("Evaluation (courses)")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .MapGet("/{id:int}/evaluation-summary", GetSummary).WithName("GetEvaluationSummary")
            .WithSummary("The course's evaluation: per form (reaction, preTest, postTest) and question the count, mean, distribution or " +
                         "texts, aggregated across languages (question texts in ?lang= or the course language); responses per purpose; " +
                         "responseRate = reaction responses / enrolled (at most 1; null with nobody enrolled; before the course is delivered, the share that answered so far); knowledgeGain from pre/post tests " +
                         "paired by code (null unless the course has both tests; paper tests do not pair); paperResponses per purpose and form. " +
                         "Texts in random order; a question with fewer than 3 answers shows its count only, and meanScore and the " +
                         "knowledgeGain means need 3 responses or pairs, not counting paper forms the caller entered; every result but the " +
                         "counts is withheld until the course's evaluation closes (evaluated or cancelled; released: true). Admin sees all. Coordinator, steering group, " +
                         "admin, and the country experts of the course's country (others: 404). Computed in a constant number of queries. " +
                         "?asOf=YYYY-MM-DD: the figures as they stood at the end of that day.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<EvaluationSummaryDto>, ProblemHttpResult>> GetSummary(
        int id, string? lang, [System.ComponentModel.Description(Snapshot.AsOfDescription)] Programmes.AsOf? asOf, Caller caller, DbConnection db,
        TimeProvider time)
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
        var figures = (await CourseFigures.ReadAsync(db, id, Viewer.Of(caller), asOf?.Date, today: Programmes.AsOf.Or(null, time)))!;

        var formSummaries = new List<FormSummaryDto>();
        foreach (var (purpose, formId) in slots)
        {
            if (formId is null || !forms.TryGetValue(formId.Value, out var form))
            {
                continue;
            }

            var language = EvaluationForms.LanguageFor(form, lang ?? course.Language);
            var responses = figures.Form(form.Id, purpose);
            formSummaries.Add(new FormSummaryDto(
                purpose, form.Id, form.Title, language, responses?.Responses ?? 0, responses?.Paper ?? 0, responses?.MeanScore,
                form.Questions.Select(q => Summarise(q, language, figures.Question(form.Id, q.Key))).ToList()));
        }

        var knowledgeGain = course.PreTestFormId is not null && course.PostTestFormId is not null ? figures.KnowledgeGain : null;
        return TypedResults.Ok(new EvaluationSummaryDto(
            id, figures.Enrolled, figures.Responses, figures.PaperResponses, figures.ResponseRate, formSummaries, knowledgeGain, figures.Released));
    }

    private static QuestionSummaryDto Summarise(QuestionDto question, string language, QuestionFigures figures)
    {
        if (!figures.Shown)
        {
            return new QuestionSummaryDto(question.Key, question.Type, question.Level, question.Text[language], figures.Answers, figures.Answers > 0, null, null, null);
        }

        IReadOnlyDictionary<string, int>? buckets = question.Type switch
        {
            QuestionType.Likert5 => Enumerable.Range(1, 5)
                .Select(i => i.ToString(CultureInfo.InvariantCulture))
                .ToDictionary(v => v, v => figures.Distribution.GetValueOrDefault(v)),
            QuestionType.SingleChoice or QuestionType.MultipleChoice => question.Options!
                .ToDictionary(o => o.Value, o => figures.Distribution.GetValueOrDefault(o.Value)),
            _ => null,
        };
        return new QuestionSummaryDto(
            question.Key,
            question.Type,
            question.Level,
            question.Text[language],
            figures.Answers,
            false,
            question.Type is QuestionType.Likert5 or QuestionType.Number ? figures.Mean : null,
            buckets,
            question.Type == QuestionType.Text ? figures.Texts : null);
    }
}
