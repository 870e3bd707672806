using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Evaluations;

/// <summary>What a form is for: the reaction form, or the knowledge test before or after the course (Kirkpatrick level 2).</summary>
public enum EvaluationPurpose
{
    Reaction,
    PreTest,
    PostTest,
}

public enum QuestionType
{
    Likert5,
    SingleChoice,
    MultipleChoice,
    Text,
    Number,
}

/// <summary>Kirkpatrick's four levels: what a question measures.</summary>
public enum KirkpatrickLevel
{
    Reaction,
    Learning,
    Behaviour,
    Results,
}

public sealed record OptionRequest(
    [property: Required, RegularExpression(EvaluationForms.KeyPattern, ErrorMessage = EvaluationForms.KeyMessage)] string? Value,
    [property: Required] Dictionary<string, string>? Text);

public sealed record QuestionRequest(
    [property: Required, RegularExpression(EvaluationForms.KeyPattern, ErrorMessage = EvaluationForms.KeyMessage)] string? Key,
    [property: Required] QuestionType? Type,
    [property: Description("reaction|learning|behaviour|results; default reaction in a reaction form, learning in a test.")]
    KirkpatrickLevel? Level,
    [property: Description("Whether an answer must be given (default false).")] bool? Required,
    [property: Required, Description("The question in every language of the form: { \"en\": \"...\", \"nl\": \"...\" }.")]
    Dictionary<string, string>? Text,
    [property: MaxLength(30), Description("singleChoice and multipleChoice only: at least two, each { value, text: { lang: ... } }.")]
    IReadOnlyList<OptionRequest>? Options,
    [property: Description("Knowledge tests only: the value of the right option.")] string? CorrectOption,
    [property: Range(0.01, 1000), Description("Knowledge tests only: the points a right answer earns.")] double? Points);

/// <summary>
/// A form's texts in one language: every question's text by key, and every option's text by question key and option value.
/// Text is not structure: it may be added or corrected after the form has answers.
/// </summary>
public sealed record FormTranslationRequest(
    [property: Required, Description("Every question's text in this language, by question key: { \"relevance\": \"...\" }.")]
    Dictionary<string, string>? Questions,
    [property: Required, Description("Every option's text in this language, by question key then option value: { \"sector\": { \"police\": \"...\" } }; {} for a form without choices.")]
    Dictionary<string, Dictionary<string, string>>? Options);

/// <summary>A form, in every language it declares. Validation of the translations needs the languages, so it lives here.</summary>
public sealed record EvaluationFormRequest(
    [property: Required, StringLength(200, MinimumLength = 1)] string? Title,
    [property: Description("reaction (default), preTest or postTest.")] EvaluationPurpose? Purpose,
    [property: Required, MinLength(1), MaxLength(12), LanguageCode, Description("ISO 639-1 codes; every question and option has a text in each.")]
    IReadOnlyList<string>? Languages,
    [property: Required, MinLength(1), MaxLength(100)] IReadOnlyList<QuestionRequest>? Questions) : IValidatableObject
{
    [JsonIgnore] // derived, not a field of the body
    public EvaluationPurpose EffectivePurpose => Purpose ?? EvaluationPurpose.Reaction;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var languages = Languages ?? [];
        foreach (var language in languages)
        {
            if (!IsoCodes.IsLanguage(language))
            {
                yield return new ValidationResult($"'{language}' is not an ISO 639-1 language code (e.g. en, de, nl).", [nameof(Languages)]);
            }
        }

        if (languages.Distinct(StringComparer.Ordinal).Count() != languages.Count)
        {
            yield return new ValidationResult("Each language is named once.", [nameof(Languages)]);
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        var questions = Questions ?? [];
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i];
            var at = $"{nameof(Questions)}[{i}]";
            if (!keys.Add(question.Key!))
            {
                yield return new ValidationResult($"The key '{question.Key}' is used by an earlier question.", [$"{at}.Key"]);
            }

            foreach (var error in Translations(question.Text!, languages, $"{at}.Text"))
            {
                yield return error;
            }

            var choice = question.Type is QuestionType.SingleChoice or QuestionType.MultipleChoice;
            var options = question.Options ?? [];
            if (choice && options.Count < 2)
            {
                yield return new ValidationResult("A choice question has at least two options.", [$"{at}.Options"]);
            }

            if (!choice && options.Count > 0)
            {
                yield return new ValidationResult($"{Wording.A(question.Type!.Value.ToWire())} question has no options.", [$"{at}.Options"]);
            }

            var values = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < options.Count; j++)
            {
                if (!values.Add(options[j].Value!))
                {
                    yield return new ValidationResult($"The option value '{options[j].Value}' is used twice.", [$"{at}.Options[{j}].Value"]);
                }

                foreach (var error in Translations(options[j].Text!, languages, $"{at}.Options[{j}].Text"))
                {
                    yield return error;
                }
            }

            if (EffectivePurpose == EvaluationPurpose.Reaction)
            {
                if (question.CorrectOption is not null)
                {
                    yield return new ValidationResult("Only knowledge tests (preTest, postTest) have a correctOption.", [$"{at}.CorrectOption"]);
                }

                if (question.Points is not null)
                {
                    yield return new ValidationResult("Only knowledge tests (preTest, postTest) have points.", [$"{at}.Points"]);
                }

                continue;
            }

            if (question.Type != QuestionType.SingleChoice)
            {
                yield return new ValidationResult("A knowledge test has singleChoice questions only, so that it can be scored.", [$"{at}.Type"]);
            }
            else if (question.CorrectOption is null || !values.Contains(question.CorrectOption))
            {
                yield return new ValidationResult("A test question names its right option: one of its option values.", [$"{at}.CorrectOption"]);
            }

            if (question.Points is null)
            {
                yield return new ValidationResult("A test question has the points a right answer earns.", [$"{at}.Points"]);
            }
        }
    }

    private static IEnumerable<ValidationResult> Translations(Dictionary<string, string> text, IReadOnlyList<string> languages, string at)
    {
        foreach (var language in languages)
        {
            if (!text.TryGetValue(language, out var value) || string.IsNullOrWhiteSpace(value))
            {
                yield return new ValidationResult($"The text in '{language}' is missing: the form declares that language.", [$"{at}.{language}"]);
            }
            else if (value.Length > 2000)
            {
                yield return new ValidationResult("A text has at most 2000 characters.", [$"{at}.{language}"]);
            }
        }

        foreach (var extra in text.Keys.Where(k => !languages.Contains(k, StringComparer.Ordinal)))
        {
            yield return new ValidationResult($"'{extra}' is not a language of this form; add it to languages first.", [$"{at}.{extra}"]);
        }
    }
}

public sealed record OptionDto(string Value, IReadOnlyDictionary<string, string> Text);

public sealed record QuestionDto(
    string Key,
    QuestionType Type,
    KirkpatrickLevel Level,
    bool Required,
    IReadOnlyDictionary<string, string> Text,
    IReadOnlyList<OptionDto>? Options,
    string? CorrectOption,
    double? Points);

/// <summary>A form with the texts of every language. <c>frozen</c>: it has answers and can no longer change (copy it instead).</summary>
public sealed record EvaluationFormDto(
    int Id,
    string Title,
    EvaluationPurpose Purpose,
    IReadOnlyList<string> Languages,
    int? CopiedFromId,
    bool Frozen,
    DateTime CreatedAt,
    IReadOnlyList<QuestionDto> Questions) : Versioned;

public sealed record LocalizedOptionDto(string Value, string Text);

public sealed record LocalizedQuestionDto(
    string Key,
    QuestionType Type,
    KirkpatrickLevel Level,
    bool Required,
    string Text,
    IReadOnlyList<LocalizedOptionDto>? Options,
    string? CorrectOption,
    double? Points);

/// <summary>A form with its texts resolved to one language (<c>?lang=</c>).</summary>
public sealed record LocalizedFormDto(
    int Id,
    string Title,
    EvaluationPurpose Purpose,
    string Language,
    IReadOnlyList<string> Languages,
    int? CopiedFromId,
    bool Frozen,
    DateTime CreatedAt,
    IReadOnlyList<LocalizedQuestionDto> Questions) : Versioned;

/// <summary>A line of the form list: no questions, just what tells forms apart.</summary>
public sealed record EvaluationFormListItem
{
    public int Id { get; init; }

    public required string Title { get; init; }

    public EvaluationPurpose Purpose { get; init; }

    public required IReadOnlyList<string> Languages { get; init; }

    public int? CopiedFromId { get; init; }

    public int QuestionCount { get; init; }

    public bool Frozen { get; init; }

    public DateTime CreatedAt { get; init; }
}

public sealed record FormQuery(
    [property: Description("Only forms of this purpose: reaction, preTest, postTest.")] EnumQuery<EvaluationPurpose>? Purpose);
