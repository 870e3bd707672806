using System.Globalization;
using JointEfforts.Api.Evaluations;

namespace JointEfforts.Api.Pages.Workspace.Reports;

/// <summary>
/// The evaluation report's form as the browser posts it (every value text, recommendations one a line);
/// <see cref="ToRequest"/> makes the API's <see cref="EvaluationReportRequest"/> of it, checked by its own rules.
/// </summary>
public sealed class ReportForm
{
    public string? DeliveredOn { get; set; }

    public string? ParticipantsAttended { get; set; }

    public string? Summary { get; set; }

    public string? Strengths { get; set; }

    public string? Weaknesses { get; set; }

    public string? Recommendations { get; set; }

    public string? OverallRating { get; set; }

    public static ReportForm Of(EvaluationReportDto report) => new()
    {
        DeliveredOn = report.DeliveredOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ParticipantsAttended = report.ParticipantsAttended?.ToString(CultureInfo.InvariantCulture),
        Summary = report.Summary,
        Strengths = report.Strengths,
        Weaknesses = report.Weaknesses,
        Recommendations = string.Join('\n', report.Recommendations),
        OverallRating = report.OverallRating?.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The request, or the fields that are not even of their type (with the API's wording for them).</summary>
    public (EvaluationReportRequest? Request, Dictionary<string, string> Errors) ToRequest()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        DateOnly? deliveredOn = null;
        if (!string.IsNullOrWhiteSpace(DeliveredOn))
        {
            if (DateOnly.TryParseExact(DeliveredOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                deliveredOn = parsed;
            }
            else
            {
                errors["deliveredOn"] = $"deliveredOn must be a date written YYYY-MM-DD (e.g. 2026-03-15), not \"{DeliveredOn}\".";
            }
        }

        var attended = Number("participantsAttended", ParticipantsAttended, errors);
        var rating = Number("overallRating", OverallRating, errors);
        var recommendations = (Recommendations ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var request = new EvaluationReportRequest(deliveredOn, attended, Blank(Summary), Blank(Strengths), Blank(Weaknesses), recommendations, rating);
        foreach (var (field, message) in PageValidation.Check(request))
        {
            errors.TryAdd(field, message);
        }

        return (errors.Count == 0 ? request : null, errors);
    }

    private static int? Number(string field, string? text, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        errors[field] = $"{field} must be a whole number, not \"{text}\".";
        return null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
