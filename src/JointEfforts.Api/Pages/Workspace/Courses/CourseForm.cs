using System.Globalization;
using JointEfforts.Api.Courses;

namespace JointEfforts.Api.Pages.Workspace.Courses;

/// <summary>
/// A course's form as the browser posts it (every value text, as typed or chosen); <see cref="ToRequest"/> makes the API's
/// <see cref="CourseRequest"/> of it, so that <c>POST /api/projects/{id}/courses</c> and <c>PUT /api/courses/{id}</c> and the
/// pages check the same things in the same words. Field names are the JSON body's (camelCase).
/// </summary>
public sealed class CourseForm
{
    public string? Title { get; set; }

    public string? CountryCode { get; set; }

    public string? City { get; set; }

    public string? Venue { get; set; }

    public string? Language { get; set; }

    public string? StartDate { get; set; }

    public string? EndDate { get; set; }

    public string? MinParticipants { get; set; }

    public string? MaxParticipants { get; set; }

    public string? CountryExpertUserId { get; set; }

    public string? EvaluationFormId { get; set; }

    public string? PreTestFormId { get; set; }

    public string? PostTestFormId { get; set; }

    public string? CompletionThreshold { get; set; }

    /// <summary>A new course's form: the API's defaults filled in (25..40 participants, 80 % attendance).</summary>
    public static CourseForm New() => new()
    {
        MinParticipants = CourseRequest.DefaultMinParticipants.ToString(CultureInfo.InvariantCulture),
        MaxParticipants = CourseRequest.DefaultMaxParticipants.ToString(CultureInfo.InvariantCulture),
        CompletionThreshold = CourseRequest.DefaultCompletionThreshold.ToString(CultureInfo.InvariantCulture),
    };

    public static CourseForm Of(CourseDto course) => new()
    {
        Title = course.Title,
        CountryCode = course.CountryCode,
        City = course.City,
        Venue = course.Venue,
        Language = course.Language,
        StartDate = Date(course.StartDate),
        EndDate = Date(course.EndDate),
        MinParticipants = course.MinParticipants.ToString(CultureInfo.InvariantCulture),
        MaxParticipants = course.MaxParticipants.ToString(CultureInfo.InvariantCulture),
        CountryExpertUserId = Id(course.CountryExpertUserId),
        EvaluationFormId = Id(course.EvaluationFormId),
        PreTestFormId = Id(course.PreTestFormId),
        PostTestFormId = Id(course.PostTestFormId),
        CompletionThreshold = course.CompletionThreshold.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The request, or the fields that are not even of their type (with the API's wording for them) and the request's own rules.</summary>
    public (CourseRequest? Request, Dictionary<string, string> Errors) ToRequest()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var request = new CourseRequest(
            Blank(Title),
            Blank(CountryCode),
            Blank(City),
            Blank(Venue),
            Blank(Language),
            ParseDate("startDate", StartDate, errors),
            ParseDate("endDate", EndDate, errors),
            ParseInt("minParticipants", MinParticipants, errors),
            ParseInt("maxParticipants", MaxParticipants, errors),
            ParseInt("countryExpertUserId", CountryExpertUserId, errors),
            ParseInt("evaluationFormId", EvaluationFormId, errors),
            ParseInt("preTestFormId", PreTestFormId, errors),
            ParseInt("postTestFormId", PostTestFormId, errors),
            ParseDouble("completionThreshold", CompletionThreshold, errors));
        foreach (var (field, message) in PageValidation.Check(request))
        {
            errors.TryAdd(field, message);
        }

        return (errors.Count == 0 ? request : null, errors);
    }

    private static DateOnly? ParseDate(string field, string? text, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors[field] = $"{field} must be a date written YYYY-MM-DD (e.g. 2026-03-15), not \"{Shorten(text)}\".";
        return null;
    }

    private static int? ParseInt(string field, string? text, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors[field] = $"{field} must be a whole number, not \"{Shorten(text)}\".";
        return null;
    }

    private static double? ParseDouble(string field, string? text, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (double.TryParse(text.Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        errors[field] = $"{field} must be a number, not \"{Shorten(text)}\".";
        return null;
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Id(int? id) => id?.ToString(CultureInfo.InvariantCulture);
}
