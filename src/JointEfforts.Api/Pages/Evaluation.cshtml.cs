using System.Globalization;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Pages;

/// <summary>
/// <c>/e/{code}</c>: the page a slip's QR code opens. It reads the form through <see cref="EvaluationAnswersApi.GetParticipantForm"/>
/// and answers through <see cref="EvaluationAnswersApi.SubmitAnswers"/>: the very handlers of the JSON routes, so the answer
/// rules, the single use of a code and the anonymity of the stored response are one implementation. Status codes: the form
/// 200, a form re-shown with errors 400, an unknown code 404, a used code or a closed course 409 (each a page in the
/// participant's language); answers accepted: a redirect to <c>/e/thanks</c>, whose URL holds no code.
/// Anti-forgery is checked in OnPost rather than by the default filter, so that a participant whose token was lost (a
/// phone that dropped the tab's cookie) gets their answers back on the form with a fresh token, not a bare 400.
/// </summary>
[EnableRateLimiting(RateLimiting.Anonymous)]
[IgnoreAntiforgeryToken]
public sealed class EvaluationModel(SqliteConnection db, IAntiforgery antiforgery, FailedCodeLimiter failedCodes) : PageModel
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
    public Dictionary<string, string[]> Posted { get; } = new(StringComparer.Ordinal);

    /// <summary>Question key → the message shown beside it.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>The POST's anti-forgery token was missing or wrong: nothing was stored.</summary>
    public bool Expired { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, string? purpose, string? lang)
    {
        Purpose = ParsePurpose(purpose);
        await LoadAsync(code, lang);
        return Show();
    }

    public async Task<IActionResult> OnPostAsync(string code, string? lang)
    {
        Purpose = ParsePurpose(Request.Form["purpose"]);
        await LoadAsync(code, Request.Form["language"].FirstOrDefault() ?? lang);
        if (Form is null)
        {
            return Show();
        }

        var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var question in Form.Questions)
        {
            var values = Request.Form["q." + question.Key].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).ToArray();
            Posted[question.Key] = values;
            if (values.Length > 0)
            {
                answers[question.Key] = AsJson(question.Type, values);
            }
        }

        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            Expired = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // The participant's answers go through the JSON route's own handler; the failed-code limit and the log redaction of
        // /e/{code} belong to that path and the pipeline, not to this page.
        var result = await EvaluationAnswersApi.SubmitAnswers(
            new AnonymousEvaluationRequest(code, Purpose, Form.Language, answers), HttpContext, failedCodes, db);
        switch (result.Result)
        {
            case Created<EvaluationReceipt>:
                return RedirectToPage("/Thanks", new { lang = Language });
            case ValidationProblem invalid:
                ExplainErrors(invalid.ProblemDetails.Errors);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            case ProblemHttpResult { StatusCode: StatusCodes.Status409Conflict }:
                // Used meanwhile (another tab), or the course stopped taking answers: reading the form again tells which.
                await LoadAsync(code, Language);
                Shown = Shown == Outcome.Form ? Outcome.Closed : Shown;
                return Show();
            default:
                Shown = Outcome.Unknown;
                return Show();
        }
    }

    private async Task LoadAsync(string code, string? lang)
    {
        var wanted = new EnumQuery<EvaluationPurpose>(Purpose);
        var result = await EvaluationAnswersApi.GetParticipantForm(code, wanted, lang, HttpContext, failedCodes, db);
        if (result.Result is ValidationProblem { ProblemDetails.Errors: var errors } && errors.ContainsKey("lang"))
        {
            result = await EvaluationAnswersApi.GetParticipantForm(code, wanted, null, HttpContext, failedCodes, db); // a language the form lacks: its own
        }

        switch (result.Result)
        {
            case Ok<ParticipantFormDto> ok:
                Form = ok.Value!;
                Shown = Outcome.Form;
                Language = Form.Language;
                return;
            case ProblemHttpResult { StatusCode: StatusCodes.Status409Conflict }:
                Shown = Outcome.Used;
                break;
            case ProblemHttpResult { StatusCode: StatusCodes.Status429TooManyRequests }:
                // Too many unknown codes from this address: no further look-up, not even of the course's language.
                Shown = Outcome.Unknown;
                Limited = true;
                Form = null;
                Language = ParticipantText.Has(HttpContext, lang) ? lang! : ParticipantText.FromBrowser(Request);
                return;
            default:
                Shown = Outcome.Unknown;
                break;
        }

        Form = null;
        Language = ParticipantText.Has(HttpContext, lang) ? lang! : await CourseLanguageAsync(code) ?? ParticipantText.FromBrowser(Request);
    }

    /// <summary>The language of a known code's course, so that "already used" is said in the participant's language.</summary>
    private async Task<string?> CourseLanguageAsync(string code)
    {
        if (EvaluationCodes.Normalize(code) is not { } canonical)
        {
            return null;
        }

        var language = await db.QuerySingleOrDefaultAsync<string>(
            "SELECT c.language FROM evaluation_codes ec JOIN courses c ON c.id = ec.course_id WHERE ec.code = @canonical",
            new { canonical });
        return ParticipantText.Has(HttpContext, language) ? language : null;
    }

    /// <summary>The address is over its failed-code limit (<see cref="FailedCodeLimiter"/>): answered 429.</summary>
    private bool Limited { get; set; }

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

    /// <summary>Form fields are strings; the answer rules take JSON as the API's clients send it.</summary>
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
