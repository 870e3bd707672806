using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace JointEfforts.Api.Pages;

/// <summary><c>/e</c>: a participant without a QR reader types the code; a well-formed one leads to <c>/e/{code}</c>.</summary>
[EnableRateLimiting(RateLimiting.Anonymous)]
public sealed class EnterCodeModel : PageModel
{
    public string Language { get; private set; } = ParticipantText.Fallback;

    public ParticipantText Text => ParticipantText.For(HttpContext, Language);

    public string? Typed { get; private set; }

    public bool Malformed { get; private set; }

    public IActionResult OnGet(string? code, string? lang)
    {
        Language = ParticipantText.Has(HttpContext, lang) ? lang! : ParticipantText.FromBrowser(Request);
        if (string.IsNullOrWhiteSpace(code))
        {
            return Page();
        }

        if (EvaluationCodes.Normalize(code) is { } canonical)
        {
            return Redirect($"/e/{EvaluationCodes.Display(canonical)}" + (ParticipantText.Has(HttpContext, lang) ? $"?lang={lang}" : ""));
        }

        Typed = code.Length > 40 ? code[..40] : code;
        Malformed = true;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
