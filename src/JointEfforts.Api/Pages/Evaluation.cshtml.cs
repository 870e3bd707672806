using System.Globalization;
using System.Text.Json;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Answering;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace JointEfforts.Api.Pages;

/// <summary>
/// <c>/e/{code}</c>: the page a slip's QR code opens. It reads the form and answers through <see cref="AnsweringService"/>, as
/// the JSON routes do, so the answer rules, the failed-code limit, the single use of a code and the anonymity of the stored
/// response are one implementation; this page only says each <see cref="AnswerOutcome"/> in the participant's language.
/// Status codes: the form 200, a form re-shown with errors 400, an unknown code 404, a used code or a closed course 409
/// (each a page in the participant's language); answers accepted: a redirect to <c>/e/thanks</c>, whose URL holds no code.
/// A POST binds an <see cref="EvaluationPost"/> (the form read once) and checks anti-forgery before anything else; a
/// participant whose token was lost (a phone that dropped the tab's cookie), or whose browser sent a body that is no
/// readable form, gets their answers back on the form with a fresh token (400), not a bare error. The code is looked up
/// once per request.
/// </summary>
[EnableRateLimiting(RateLimiting.Anonymous)]
[IgnoreAntiforgeryToken]
public sealed class EvaluationModel(AnsweringService answering, IAntiforgery antiforgery) : PageModel
{
    public enum Outcome
    {
        Form,
        Unknown,
        Used,
        Closed,
    }

    public Outcome Shown { get; private set; }

    public ParticipantFormDto? Form { get; private set; }

    public EvaluationPurpose Purpose { get; private set; }

    /// <summary>The language of the page: the form's when a form is shown.</summary>
    public string Language { get; private set; } = ParticipantText.Fallback;

    public ParticipantText Text => ParticipantText.For(HttpContext, Language);

    /// <summary>What the participant sent, per question, to show it again beside the errors.</summary>
    public IReadOnlyDictionary<string, string[]> Posted { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>Question key → the message shown beside it.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>The POST's anti-forgery token was missing or wrong, or its body no readable form: nothing was stored.</summary>
    public bool Expired { get; private set; }

    /// <summary>The address is over its failed-code limit (<see cref="FailedCodeLimiter"/>): answered 429.</summary>
    private bool Limited { get; set; }

    public async Task<IActionResult> OnGetAsync(string code, string? purpose, string? lang)
    {
        Purpose = ParsePurpose(purpose);
        return Show(await answering.ReadFormAsync(Client, code, Purpose, lang, ownLanguageIfMissing: true), lang);
    }

    public async Task<IActionResult> OnPostAsync(string? code, EvaluationPost? post, string? lang)
    {
        // When the framework's own reading of the form fails (a multipart body without a boundary, more fields than its
        // reader takes), it binds no parameter at all: the code and language are then taken from the route and the query.
        post ??= EvaluationPost.Broken;
        code ??= RouteData.Values["code"] as string;
        lang ??= Request.Query["lang"].FirstOrDefault();
        Purpose = ParsePurpose(post.Purpose);
        Posted = post.Answers;
        var language = post.Language ?? lang;
        if (post.Unreadable || !await antiforgery.IsRequestValidAsync(HttpContext))
        {
            // Nothing is stored; the form comes back (one look-up of the code) with the answers and a fresh token.
            var read = await answering.ReadFormAsync(Client, code, Purpose, language, ownLanguageIfMissing: true);
            if (read is AnswerOutcome.Form)
            {
                Expired = true;
                Response.StatusCode = StatusCodes.Status400BadRequest;
            }

            return Show(read, lang);
        }

        var outcome = await answering.SubmitAsync(
            Client, new AnswerCommand(code, Purpose, language, form => AsJson(form, post.Answers), OwnLanguageIfMissing: true));
        switch (outcome)
        {
            case AnswerOutcome.Stored { Receipt: var receipt }:
                return RedirectToPage("/Thanks", new { lang = receipt.Language });
            case AnswerOutcome.Invalid { Shown: { } form, Errors: var errors }:
                Show(new AnswerOutcome.Form(form), lang);
                ExplainErrors(errors);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            case AnswerOutcome.Used or AnswerOutcome.NoForm:
                // Used meanwhile (another tab), or the form went away: said like the page's GET says it.
                return Show(outcome, lang);
            case AnswerOutcome.Closed { Language: var courseLanguage }:
                Shown = Outcome.Closed;
                Language = ParticipantText.Has(HttpContext, language) ? language! : ParticipantText.Has(HttpContext, courseLanguage) ? courseLanguage : ParticipantText.FromBrowser(Request);
                return Show();
            default:
                return Show(outcome, lang);
        }
    }

    private string Client => ClientAddress.Of(HttpContext);

    /// <summary>The page for an outcome of reading the form: the form, or a notice in the best language known.</summary>
    private IActionResult Show(AnswerOutcome outcome, string? lang)
    {
        string? courseLanguage = null;
        switch (outcome)
        {
            case AnswerOutcome.Form { Shown: var form }:
                Form = form;
                Shown = Outcome.Form;
                Language = form.Language;
                return Show();
            case AnswerOutcome.Used { Language: var used }:
                Shown = Outcome.Used;
                courseLanguage = used;
                break;
            case AnswerOutcome.Limited:
                // Too many unknown codes from this address: no code was looked up, not even for the course's language.
                Shown = Outcome.Unknown;
                Limited = true;
                break;
            case AnswerOutcome.NoForm { Language: var course }:
                Shown = Outcome.Unknown;
                courseLanguage = course;
                break;
            default:
                Shown = Outcome.Unknown;
                break;
        }

        Form = null;
        Language = ParticipantText.Has(HttpContext, lang) ? lang!
            : ParticipantText.Has(HttpContext, courseLanguage) ? courseLanguage!
            : ParticipantText.FromBrowser(Request);
        return Show();
    }

    private IActionResult Show()
    {
        Response.StatusCode = Limited ? StatusCodes.Status429TooManyRequests : Shown switch
        {
            Outcome.Unknown => StatusCodes.Status404NotFound,
            Outcome.Used or Outcome.Closed => StatusCodes.Status409Conflict,
            _ => Response.StatusCode,
        };
        return Page();
    }

    /// <summary>The handler's errors (<c>answers.&lt;key&gt;</c>, in English for API clients) said in the participant's words.</summary>
    private void ExplainErrors(IDictionary<string, string[]> errors)
    {
        foreach (var question in Form!.Questions)
        {
            if (!errors.ContainsKey("answers." + question.Key))
            {
                continue;
            }

            var given = Posted.TryGetValue(question.Key, out var values) && values.Length > 0;
            Errors[question.Key] = !given ? Text.ErrorRequired
                : question.Type == QuestionType.Number ? Text.ErrorNumber
                : Text.ErrorInvalid;
        }

        if (Errors.Count == 0)
        {
            // Not about one question (the language, say): the first question carries it, so the summary still points somewhere.
            Errors[Form.Questions[0].Key] = Text.ErrorInvalid;
        }
    }

    /// <summary>Form fields are strings; the answer rules take JSON as the API's clients send it, by the question's type.</summary>
    private static IReadOnlyDictionary<string, JsonElement> AsJson(ParticipantFormDto form, IReadOnlyDictionary<string, string[]> posted)
    {
        var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var question in form.Questions)
        {
            if (posted.TryGetValue(question.Key, out var values) && values.Length > 0)
            {
                answers[question.Key] = AsJson(question.Type, values);
            }
        }

        return answers;
    }

    private static JsonElement AsJson(QuestionType type, string[] values) => type switch
    {
        QuestionType.MultipleChoice => JsonSerializer.SerializeToElement(values),
        QuestionType.Likert5 when int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var likert) =>
            JsonSerializer.SerializeToElement(likert),
        QuestionType.Number when double.TryParse(values[0].Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) =>
            JsonSerializer.SerializeToElement(number),
        _ => JsonSerializer.SerializeToElement(values[0]),
    };

    private static EvaluationPurpose ParsePurpose(string? purpose) =>
        EnumQuery<EvaluationPurpose>.TryParse(purpose, null, out var parsed) ? parsed.Value : EvaluationPurpose.Reaction;

    public string PurposeTitle => Purpose switch
    {
        EvaluationPurpose.PreTest => Text.TestBefore,
        EvaluationPurpose.PostTest => Text.TestAfter,
        _ => Text.Title,
    };

    public bool Checked(string key, string value) =>
        Posted.TryGetValue(key, out var values) && values.Contains(value, StringComparer.Ordinal);

    public string? Value(string key) => Posted.TryGetValue(key, out var values) ? values.FirstOrDefault() : null;
}
