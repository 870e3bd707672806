using System.Data.Common;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Languages;

namespace JointEfforts.Api.Pages.Workspace.Courses;

/// <summary>
/// What a course's form offers to choose from: countries, the system's languages, the active country experts, and the
/// evaluation forms of each purpose with their languages (each option says them; <c>/js/course-form.js</c> leaves only those in
/// the chosen language, and the API's own check refuses another). One round trip.
/// </summary>
public sealed record CourseFormChoices(
    IReadOnlyList<(string Code, string Name)> Countries,
    IReadOnlyList<(string Code, string Name)> Languages,
    IReadOnlyList<CourseFormChoices.Expert> Experts,
    IReadOnlyList<CourseFormChoices.Form> Forms,
    DateOnly ProgrammeStart,
    DateOnly ProgrammeEnd)
{
    public static async Task<CourseFormChoices> ReadAsync(DbConnection db, int projectId, CourseForm? current = null)
    {
        using var results = await db.QueryMultipleAsync(
            """
            SELECT id AS Id, display_name AS Name, country_code AS CountryCode FROM users
            WHERE role = 'countryExpert' AND deleted_at IS NULL ORDER BY country_code, display_name, id;
            SELECT id AS Id, title AS Title, purpose AS Purpose, languages AS LanguagesJson FROM evaluation_forms ORDER BY purpose, title, id;
            SELECT start_date AS StartDate, end_date AS EndDate FROM projects WHERE id = @projectId;
            """,
            new { projectId });
        var experts = (await results.ReadAsync<Expert>()).ToList();
        var forms = (await results.ReadAsync<FormRow>()).Select(f => new Form(f.Id, f.Title, f.Purpose, Parse(f.LanguagesJson))).ToList();
        var programme = await results.ReadSingleOrDefaultAsync<ProgrammeDates>();
        var texts = await LanguageTexts.ReadAsync(db);

        var countries = Labels.CountryNames.Select(c => (c.Key, c.Value)).ToList();
        if (current?.CountryCode is { Length: > 0 } code && !Labels.CountryNames.ContainsKey(code))
        {
            countries.Add((code, code)); // a course of a country the list does not name keeps its own
        }

        var languages = texts.Codes.Select(c => (c, texts.Name(c))).ToList();
        if (current?.Language is { Length: > 0 } language && !texts.Has(language))
        {
            languages.Add((language, language));
        }

        return new CourseFormChoices(
            countries.OrderBy(c => c.Item2, StringComparer.Ordinal).ToList(),
            languages.OrderBy(l => l.Item2, StringComparer.Ordinal).ToList(),
            experts,
            forms,
            programme?.StartDate ?? DateOnly.MinValue,
            programme?.EndDate ?? DateOnly.MaxValue);
    }

    public IEnumerable<Form> FormsFor(string purpose) => Forms.Where(f => f.Purpose == purpose);

    private static IReadOnlyList<string> Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public sealed record Expert
    {
        public int Id { get; init; }

        public required string Name { get; init; }

        public required string CountryCode { get; init; }
    }

    public sealed record Form(int Id, string Title, string Purpose, IReadOnlyList<string> Languages);

    private sealed record FormRow
    {
        public int Id { get; init; }

        public required string Title { get; init; }

        public required string Purpose { get; init; }

        public required string LanguagesJson { get; init; }
    }

    private sealed record ProgrammeDates
    {
        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }
    }
}
