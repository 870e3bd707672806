using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace JointEfforts.Api.Pages;

/// <summary>
/// What the participant's form posts (<c>POST /e/{code}</c>): the hidden purpose and language, and each question's
/// values under <c>q.&lt;key&gt;</c> (blank values dropped). <see cref="Unreadable"/> when the body is no form this page can
/// read (not a form content type, a multipart body without a boundary, more fields than the form reader takes, a NUL):
/// the page then answers 400 and stores nothing, as for a lost anti-forgery token, without an exception in the log.
/// </summary>
[ModelBinder(typeof(EvaluationPostBinder))]
public sealed record EvaluationPost(string? Purpose, string? Language, IReadOnlyDictionary<string, string[]> Answers, bool Unreadable = false)
{
    /// <summary>More fields than any form has: a question is one field, a multiple choice one per option, plus three.</summary>
    public const int MaxFields = 1000;

    public static readonly EvaluationPost Broken = new(null, null, new Dictionary<string, string[]>(), Unreadable: true);
}

/// <summary>Binds <see cref="EvaluationPost"/> from the form, reading it once; a body that is no readable form binds as <see cref="EvaluationPost.Broken"/>.</summary>
public sealed class EvaluationPostBinder : IModelBinder
{
    public async Task BindModelAsync(ModelBindingContext bindingContext)
    {
        bindingContext.Result = ModelBindingResult.Success(await ReadAsync(bindingContext.HttpContext.Request));
    }

    private static async Task<EvaluationPost> ReadAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return EvaluationPost.Broken;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            // No boundary, too many fields, a key or value over the reader's limits: what a browser never sends.
            return EvaluationPost.Broken;
        }

        if (form.Count > EvaluationPost.MaxFields || form.Files.Count > 0 || form.Any(f => f.Value.Any(HasControl) || HasControl(f.Key)))
        {
            return EvaluationPost.Broken;
        }

        var answers = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, values) in form)
        {
            if (key.StartsWith("q.", StringComparison.Ordinal))
            {
                answers[key[2..]] = values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).ToArray();
            }
        }

        return new EvaluationPost(form["purpose"].FirstOrDefault(), form["language"].FirstOrDefault(), answers);
    }

    /// <summary>A control character a text field of a browser's form never holds (line breaks and tabs aside): NUL, ESC...</summary>
    private static bool HasControl(string? value) =>
        value is not null && value.Any(c => (char.IsControl(c) && c is not ('\n' or '\r' or '\t')) || c is '\uFFFE' or '\uFFFF');
}
