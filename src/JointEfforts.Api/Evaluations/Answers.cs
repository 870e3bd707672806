using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Evaluations;

public sealed record AnonymousEvaluationRequest(
    [property: Required, StringLength(40), Description("The code on the participant's slip; case, spaces and dashes do not matter.")] string? Code,
    [property: Description("reaction (default), preTest or postTest.")] EvaluationPurpose? Purpose,
    [property: Required, LanguageCode, Description("The language the participant answered in: one of the form's languages.")] string? Language,
    [property: Required, Description("{ questionKey: value }: likert5 1..5, number, text, singleChoice option value, multipleChoice [option values].")]
    Dictionary<string, JsonElement>? Answers);

public sealed record PaperEvaluationRequest(
    [property: Description("reaction (default), preTest or postTest.")] EvaluationPurpose? Purpose,
    [property: Required, LanguageCode] string? Language,
    [property: Required] Dictionary<string, JsonElement>? Answers);

public enum ResponseSource
{
    Online,
    Paper,
}

/// <summary>What a participant (or whoever enters a paper form) gets back: nothing that names the course, the code, the response or a time.</summary>
public sealed record EvaluationReceipt(EvaluationPurpose Purpose, string Language, double? Score);

/// <summary><c>POST /api/courses/{id}/evaluation-codes</c>: an optional body.</summary>
public sealed record IssueCodesRequest(
    [property: Range(IssueCodesRequest.MinCount, IssueCodesRequest.MaxCount),
               Description("How many codes (5..500); default enrolled minus codes already issued, raised to 5.")] int? Count)
{
    public const int MinCount = 5;
    public const int MaxCount = 500;
}

/// <summary>A batch of codes, as printed on one sheet of slips.</summary>
public sealed record CodeBatchDto(int BatchId, DateOnly IssuedOn, IReadOnlyList<EvaluationCodeDto> Codes);

/// <summary>A form as a participant sees it: one language, no right answers, no course details.</summary>
public sealed record ParticipantFormDto(
    EvaluationPurpose Purpose,
    string Title,
    string Language,
    IReadOnlyList<string> Languages,
    IReadOnlyList<ParticipantQuestionDto> Questions);

public sealed record ParticipantQuestionDto(string Key, QuestionType Type, bool Required, string Text, IReadOnlyList<LocalizedOptionDto>? Options);

public sealed record EvaluationCodeDto(string Code);

/// <summary>One stored answer row: multipleChoice has one per chosen option.</summary>
public sealed record AnswerRow(string K, string? O, double? N, string? T);

/// <summary>
/// The answer rules of API.md: answers checked against the form (type, options, likert 1..5, required),
/// every error named <c>answers.&lt;key&gt;</c>. A knowledge test's score is points earned / points possible.
/// </summary>
public static class AnswerRules
{
    public const int MaxTextLength = 4000;

    public sealed record Outcome(Dictionary<string, string[]> Errors, IReadOnlyList<AnswerRow> Rows, double? Score);

    public static Outcome Check(EvaluationFormDto form, IReadOnlyDictionary<string, JsonElement> answers)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var rows = new List<AnswerRow>();
        var questions = form.Questions.ToDictionary(q => q.Key, StringComparer.Ordinal);
        foreach (var key in answers.Keys.Where(k => !questions.ContainsKey(k)))
        {
            errors["answers." + key] = [$"'{key}' is not a question of this form."];
        }

        double earned = 0, possible = 0;
        foreach (var question in form.Questions)
        {
            var given = answers.TryGetValue(question.Key, out var value) && value.ValueKind != JsonValueKind.Null;
            var (answer, error) = given ? Read(question, value) : ([], null);
            if (error is null && answer.Count == 0 && question.Required)
            {
                error = "An answer is required.";
            }

            if (error is not null)
            {
                errors["answers." + question.Key] = [error];
                continue;
            }

            rows.AddRange(answer);
            if (question.Points is { } points)
            {
                possible += points;
                if (answer.Count == 1 && answer[0].O == question.CorrectOption)
                {
                    earned += points;
                }
            }
        }

        var score = form.Purpose == EvaluationPurpose.Reaction || possible == 0 ? (double?)null : earned / possible;
        return new Outcome(errors, rows, score);
    }

    private static (IReadOnlyList<AnswerRow> Rows, string? Error) Read(QuestionDto question, JsonElement value)
    {
        var key = question.Key;
        var options = question.Options?.Select(o => o.Value).ToHashSet(StringComparer.Ordinal) ?? [];
        switch (question.Type)
        {
            case QuestionType.Likert5:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var likert) && likert is >= 1 and <= 5
                    ? ([new AnswerRow(key, null, likert, null)], null)
                    : ([], "A likert5 answer is a whole number from 1 to 5.");
            case QuestionType.Number:
                return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
                       && Math.Abs(number) <= 1e9
                    ? ([new AnswerRow(key, null, number, null)], null)
                    : ([], "A number answer is a number (at most 10^9 in size).");
            case QuestionType.Text:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return ([], "A text answer is a string.");
                }

                var text = value.GetString()!.Trim();
                return text.Length > MaxTextLength
                    ? ([], $"A text answer has at most {MaxTextLength} characters.")
                    : (text.Length == 0 ? [] : [new AnswerRow(key, null, null, text)], null);
            case QuestionType.SingleChoice:
                return value.ValueKind == JsonValueKind.String && options.Contains(value.GetString()!)
                    ? ([new AnswerRow(key, value.GetString(), null, null)], null)
                    : ([], $"The answer is one of the option values: {string.Join(", ", question.Options!.Select(o => o.Value))}.");
            case QuestionType.MultipleChoice:
                var chosen = new List<string>();
                if (value.ValueKind != JsonValueKind.Array)
                {
                    return ([], "A multipleChoice answer is an array of option values.");
                }

                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || !options.Contains(item.GetString()!))
                    {
                        return ([], $"Each chosen value is one of: {string.Join(", ", question.Options!.Select(o => o.Value))}.");
                    }

                    if (chosen.Contains(item.GetString()!, StringComparer.Ordinal))
                    {
                        return ([], $"'{item.GetString()}' is chosen twice.");
                    }

                    chosen.Add(item.GetString()!);
                }

                return (chosen.Select(c => new AnswerRow(key, c, null, null)).ToList(), null);
            default:
                return ([], $"Questions of type {question.Type.ToWire()} take no answers.");
        }
    }
}
