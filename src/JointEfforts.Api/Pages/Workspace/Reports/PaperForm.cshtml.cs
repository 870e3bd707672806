using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Answering;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Languages;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Reports;

/// <summary>
/// <c>/workspace/courses/{id}/paper-forms?purpose=reaction</c>: paper forms typed in, one after the other, on the course's form
/// of that purpose (the participant's questions, in the course's language), through <see cref="AnsweringApi.EnterPaperAsync"/>
/// as <c>POST /api/courses/{id}/evaluations</c>: the same answer rules and messages, never more answers than enrolled (409).
/// The route's roles exactly: its policy (<see cref="Policies.CourseStaff"/>: admin, coordinator, country expert), then
/// <see cref="EvaluationCourse.MayRunEvaluation"/> (an expert must be the course's): anyone else sees the route's 403 reason and
/// no form. Another country's course is a 404 page. The count of answers of the purpose so far (paper and online) is shown.
/// </summary>
[Authorize(Policy = Policies.Pages.CourseStaff)]
public sealed class PaperFormModel(DbConnection db, AtRestScrubber scrubber, TimeProvider time) : WorkspacePageModel
{
    public CourseDto Course { get; private set; } = null!;

    public EvaluationPurpose Purpose { get; private set; }

    /// <summary>The course's form of this purpose in the course's language; null when it has none.</summary>
    public LocalizedFormDto? Form { get; private set; }

    /// <summary>The Likert anchors (1 very poor .. 5 very good) in the form's language, as the participant's page shows them.</summary>
    public IReadOnlyList<string> Anchors { get; private set; } = [];

    public Dictionary<string, string[]> Posted { get; } = new(StringComparer.Ordinal);

    public bool Entered { get; private set; }

    /// <summary>Whether the caller may type in this course's forms: the route's own check after its policy.</summary>
    public bool MayEnter { get; private set; }

    /// <summary>Answers of this purpose stored so far for the course, paper and online (one SQL count).</summary>
    public int Answered { get; private set; }

    private const string NotYours = "Only a coordinator or the course's country expert enters paper forms.";

    public async Task<IActionResult> OnGetAsync(int id, string? purpose, bool entered = false)
    {
        if (!await LoadAsync(id, purpose))
        {
            return NotFoundPage("course");
        }

        Entered = entered;
        if (!MayEnter)
        {
            Errors[""] = NotYours;
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }

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
        MayEnter = evaluationCourse.MayRunEvaluation(Me);
        Purpose = EnumQuery<EvaluationPurpose>.TryParse(purpose, null, out var parsed) ? parsed.Value : EvaluationPurpose.Reaction;
        if (evaluationCourse.FormIdFor(Purpose) is { } formId && await EvaluationForms.ReadAsync(db, formId) is { } form)
        {
            Form = EvaluationForms.Localize(form, EvaluationForms.LanguageFor(form, evaluationCourse.Language));
            Anchors = HttpContext.Texts().LikertAnchors(Form.Language);
        }

        Answered = await db.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM evaluation_responses WHERE course_id = @id AND purpose = @purpose", new { id, purpose = Purpose.ToWire() });
        return true;
    }
}
