using System.Globalization;
using JointEfforts.Api.Courses;

namespace JointEfforts.Api.Pages.Workspace.Courses;

/// <summary>A session's form as the browser posts it (every value text); <see cref="ToRequest"/> makes the API's request of it.</summary>
public sealed class SessionForm
{
    public string? Date { get; set; }

    public string? StartTime { get; set; }

    public string? EndTime { get; set; }

    public string? Title { get; set; }

    public string? Hours { get; set; }

    public string? Trainer { get; set; }

    public static SessionForm Of(SessionDto session) => new()
    {
        Date = session.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        StartTime = session.StartTime,
        EndTime = session.EndTime,
        Title = session.Title,
        Hours = session.Hours.ToString(CultureInfo.InvariantCulture),
        Trainer = session.Trainer,
    };

    /// <summary>The request, or the fields that are not even of their type (with the API's wording for them).</summary>
    public (SessionRequest? Request, Dictionary<string, string> Errors) ToRequest()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        DateOnly? date = null;
        if (!string.IsNullOrWhiteSpace(Date))
        {
            if (DateOnly.TryParseExact(Date.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                date = parsed;
            }
            else
            {
                errors["date"] = $"date must be a date written YYYY-MM-DD (e.g. 2026-03-15), not \"{Date}\".";
            }
        }

        double? hours = null;
        if (!string.IsNullOrWhiteSpace(Hours))
        {
            if (double.TryParse(Hours.Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                hours = parsed;
            }
            else
            {
                errors["hours"] = $"hours must be a number, not \"{Hours}\".";
            }
        }

        var request = new SessionRequest(date, Blank(Title), hours, Blank(StartTime), Blank(EndTime), Blank(Trainer));
        foreach (var (field, message) in PageValidation.Check(request))
        {
            errors.TryAdd(field, message);
        }

        return (errors.Count == 0 ? request : null, errors);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
