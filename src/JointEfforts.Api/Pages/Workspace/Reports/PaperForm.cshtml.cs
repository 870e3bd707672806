using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Answering;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Reports;

/// <summary>
/// <c>/workspace/courses/{id}/paper-forms?purpose=reaction</c>: paper forms typed in, one after the other, on the course's form
/// of that purpose (the participant's questions, in the course's language), through <see cref="AnsweringApi.EnterPaperAsync"/>
/// as <c>POST /api/courses/{id}/evaluations</c>: the same answer rules and messages, never more answers than enrolled (409).
/// Coordinators and the course's country expert; another country's course is a 404 page.
/// </summary>
[Authorize(Policy = Policies.Pages.CourseStaff)]
public sealed class PaperFormModel(DbConnection db, AtRestScrubber scrubber, TimeProvider time) : WorkspacePageModel
{
    public CourseDto Course { get; private set; } = null!;

    public EvaluationPurpose Purpose { get; private set; }

    /// <summary>The course's form of this purpose in the course's language; null when it has none.</summary>
    public LocalizedFormDto? Form { get; private set; }

    public Dictionary<string, string[]> Posted { get; } = new(StringComparer.Ordinal);

    public bool Entered { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, string? purpose, bool entered = false)
    {
        if (!await LoadAsync(id, purpose))
        {
            return NotFoundPage("course");
        }

        Entered = entered;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, string? purpose)
    {
        if (!await LoadAsync(id, purpose))
        {
            return NotFoundPage("course");
        }

        if (Form is null)
        {
            Errors[""] = $"This course has no {Purpose.ToWire()} form.";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
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

        var outcome = await AnsweringApi.EnterPaperAsync(
            db, Me, scrubber, id, Purpose, Form.Language, answers, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        switch (outcome)
        {
            case Outcome<EvaluationReceipt>.Stored:
                return LocalRedirect($"/workspace/courses/{id}/paper-forms?purpose={Purpose.ToWire()}&entered=true");
            case Outcome<EvaluationReceipt>.Invalid invalid:
                foreach (var (field, message) in PageValidation.From(invalid.Errors))
                {
                    Errors[field.StartsWith("answers.", StringComparison.Ordinal) ? field["answers.".Length..] : ""] = message;
                }

                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            case Outcome<EvaluationReceipt>.Conflict conflict:
                Errors[""] = conflict.Detail;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case Outcome<EvaluationReceipt>.Forbidden forbidden:
                Errors[""] = forbidden.Detail;
                Response.StatusCode = StatusCodes.Status403Forbidden;
                return Page();
            default:
                return NotFoundPage("course");
        }
    }

    public bool Checked(string key, string value) => Posted.TryGetValue(key, out var values) && values.Contains(value, StringComparer.Ordinal);

    public string? Value(string key) => Posted.TryGetValue(key, out var values) ? values.FirstOrDefault() : null;

    /// <summary>Form fields are strings; the answer rules take JSON as the API's clients send it, by the question's type.</summary>
    private static JsonElement AsJson(QuestionType type, string[] values) => type switch
    {
        QuestionType.MultipleChoice => JsonSerializer.SerializeToElement(values),
        QuestionType.Likert5 when int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var likert) =>
            JsonSerializer.SerializeToElement(likert),
        QuestionType.Number when double.TryParse(values[0].Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) =>
            JsonSerializer.SerializeToElement(number),
        _ => JsonSerializer.SerializeToElement(values[0]),
    };

    private async Task<bool> LoadAsync(int id, string? purpose)
    {
        if (await CoursesApi.ReadAsync(db, id, Me.CountryScope) is not { } course
            || await EvaluationCourse.ReadAsync(db, id, Me) is not { } evaluationCourse)
        {
            return false;
        }

        Course = course;
        Purpose = EnumQuery<EvaluationPurpose>.TryParse(purpose, null, out var parsed) ? parsed.Value : EvaluationPurpose.Reaction;
        if (evaluationCourse.FormIdFor(Purpose) is { } formId && await EvaluationForms.ReadAsync(db, formId) is { } form)
        {
            Form = EvaluationForms.Localize(form, EvaluationForms.LanguageFor(form, evaluationCourse.Language));
        }

        return true;
    }
}
