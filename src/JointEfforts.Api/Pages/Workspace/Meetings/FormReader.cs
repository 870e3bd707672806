using System.Globalization;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Pages.Workspace.Meetings;

/// <summary>
/// Reads a posted form's text values into the types of an API request, collecting a message per field in the API's words
/// (a date, a whole number, one of the allowed values; a text with control characters as the JSON body check says it).
/// Whatever a browser or a forger posts, the result is a value or a message, never an exception.
/// </summary>
internal sealed class FormReader
{
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public DateOnly? Date(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Errors.TryAdd(field, $"{field} must be a date written YYYY-MM-DD (e.g. 2026-03-15), not \"{Shorten(text)}\".");
        return null;
    }

    public int? WholeNumber(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        Errors.TryAdd(field, $"{field} must be a whole number, not \"{Shorten(text)}\".");
        return null;
    }

    /// <summary>One of the enum's wire values (<c>expertGroup</c>), as the select posts it; anything else is the JSON body's message.</summary>
    public TEnum? Choice<TEnum>(string field, string? text) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (string.Equals(value.ToWire(), text.Trim(), StringComparison.Ordinal))
            {
                return value;
            }
        }

        Errors.TryAdd(field, $"The value of '{field}' has the wrong type or is not one of the allowed values.");
        return null;
    }

    /// <summary>A text as the JSON body check takes it: blank is absent, control characters are refused with its message.</summary>
    public string? Text(string field, string? text, bool multiLine = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = multiLine ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() : text.Trim();
        if (JsonBodyCheck.TextFault(value, multiLine) is { } fault)
        {
            Errors.TryAdd(field, $"{field} {fault}.");
            return null;
        }

        return value;
    }

    /// <summary>The request's own rules (DataAnnotations, cross-field), for the fields not already at fault.</summary>
    public void Check(object request)
    {
        foreach (var (field, message) in PageValidation.Check(request))
        {
            Errors.TryAdd(field, message);
        }
    }

    /// <summary>The version a form was shown with, as an If-Match: a missing or garbled one matches nothing (said as a change meanwhile).</summary>
    public static IfMatch Shown(string? version) =>
        new(true, false, long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var shown) ? shown : null);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
