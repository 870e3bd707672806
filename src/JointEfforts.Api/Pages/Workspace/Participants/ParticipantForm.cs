using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Pages.Workspace.Participants;

/// <summary>A new participant's form as the browser posts it (every value text); <see cref="ToRequest"/> makes the API's request of it.</summary>
public sealed class ParticipantForm
{
    public string? FullName { get; set; }

    public string? Email { get; set; }

    public string? Organisation { get; set; }

    public string? Sector { get; set; }

    public string? CountryCode { get; set; }

    public string? Seniority { get; set; }

    /// <summary>The request, or the fields that are not even of their type, then the API's own checks (in its words).</summary>
    public (ParticipantRequest? Request, Dictionary<string, string> Errors) ToRequest()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var sector = Choice<Sector>("sector", Sector, errors);
        var seniority = Choice<Seniority>("seniority", Seniority, errors);
        var request = new ParticipantRequest(
            Blank(FullName), string.IsNullOrWhiteSpace(Email) ? null : Email.Trim(), Blank(Organisation), sector,
            string.IsNullOrWhiteSpace(CountryCode) ? null : CountryCode.Trim().ToUpperInvariant(), seniority);
        foreach (var (field, message) in PageValidation.Check(request))
        {
            errors.TryAdd(field, message);
        }

        return (errors.Count == 0 ? request : null, errors);
    }

    /// <summary>An enum by its API name, as the JSON body takes it; another value is said as the API says it.</summary>
    internal static TEnum? Choice<TEnum>(string field, string? value, Dictionary<string, string> errors)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (EnumQuery<TEnum>.TryParse(value.Trim(), null, out var parsed))
        {
            return parsed.Value;
        }

        errors[field] = $"{field} must be one of: {string.Join(", ", Enum.GetValues<TEnum>().Select(v => v.ToWire()))} (not \"{value}\").";
        return null;
    }

    /// <summary>An empty input is a missing value ("is required"); spaces alone are sent on, and are "blank" as in the API.</summary>
    private static string? Blank(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
