using System.Data.Common;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Participants;

/// <summary>
/// The column mapping a person chooses for headers the import does not recognise (<c>?mapping=</c>), remembered per
/// programme (sql/0061_import.sql) by a successful import, and the dry run's preview.
/// </summary>
public static class ImportMappings
{
    /// <summary>The sent mapping, its headers compared as <see cref="ImportSynonyms.Key"/> does; or the error naming what is wrong.</summary>
    public static (Dictionary<string, string>? Mapping, string? Error) Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return (null, null);
        }

        Dictionary<string, string>? sent;
        try
        {
            sent = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        }
        catch (JsonException)
        {
            return (null, """mapping must be a JSON object of header → field, e.g. {"Darbavieta":"organisation"}.""");
        }

        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (header, field) in sent ?? [])
        {
            var canonical = ImportSynonyms.Fields.FirstOrDefault(f => string.Equals(f, field, StringComparison.OrdinalIgnoreCase));
            if (canonical is null)
            {
                return (null, $"'{field}' (for the header '{header}') is not a field: {string.Join(", ", ImportSynonyms.Fields)}.");
            }

            if (ImportSynonyms.Key(header).Length == 0)
            {
                return (null, $"'{header}' is not a header: a header has letters.");
            }

            mapping[ImportSynonyms.Key(header)] = canonical;
        }

        return (mapping, null);
    }

    /// <summary>The programme's remembered mapping with the sent one laid over it.</summary>
    public static async Task<Dictionary<string, string>?> ReadAsync(
        DbConnection db, DbTransaction transaction, int? projectId, Dictionary<string, string>? sent)
    {
        var mapping = projectId is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : (await db.QueryAsync<(string Header, string Field)>(
                "SELECT header, field FROM import_mappings WHERE project_id = @projectId", new { projectId }, transaction))
                .ToDictionary(m => m.Header, m => m.Field, StringComparer.Ordinal);
        foreach (var (header, field) in sent ?? [])
        {
            mapping[header] = field;
        }

        return mapping.Count == 0 ? null : mapping;
    }

    /// <summary>Keeps the sent mapping for the programme, in the import's transaction.</summary>
    public static async Task RememberAsync(DbConnection db, DbTransaction transaction, int? projectId, Dictionary<string, string>? sent)
    {
        if (projectId is null || sent is null || sent.Count == 0)
        {
            return;
        }

        await db.ExecuteAsync(
            db.Sql("""
            INSERT INTO import_mappings (project_id, header, field) VALUES (@projectId, @header, @field)
            ON CONFLICT (project_id, header) DO UPDATE SET field = excluded.field, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
            """),
            sent.Select(m => new { projectId, header = m.Key, field = m.Value }), transaction);
    }

    /// <summary>The dry run's answer: every row with its errors, duplicates inside the file and against people already known.</summary>
    public static ImportPreview Preview(
        SheetCheck? sheet, List<ImportError> errors, Dictionary<int, long> matches, int created, int matched, int enrolled, int waitlisted, int alreadyEnrolled)
    {
        // A row's own faults go with the row; the rest (header, limits, an empty file) are the file's.
        var read = (sheet?.Read ?? []).Select(r => r.Row).ToHashSet();
        var rowErrors = errors.Where(e => read.Contains(e.Row)).ToLookup(e => e.Row);
        var fileErrors = errors.Where(e => !read.Contains(e.Row)).ToList();
        var rows = (sheet?.Read ?? []).Select(participant => new PreviewRow(participant.Row, participant, rowErrors[participant.Row].ToList())).ToList();

        var duplicates = new List<ImportDuplicate>();
        var byEmail = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var byName = new Dictionary<(string, string, string), int>();
        foreach (var person in sheet?.Read ?? [])
        {
            var name = (person.FullName.ToUpperInvariant(), person.Organisation.ToUpperInvariant(), person.CountryCode);
            if (person.Email is not null && !byEmail.TryAdd(person.Email, person.Row))
            {
                duplicates.Add(new ImportDuplicate(person.Row, byEmail[person.Email], null, "email"));
            }
            else if (person.FullName.Length > 0 && !byName.TryAdd(name, person.Row))
            {
                duplicates.Add(new ImportDuplicate(person.Row, byName[name], null, "name"));
            }
        }

        foreach (var row in sheet?.Rows ?? [])
        {
            if (matches.TryGetValue(row.Row, out var participantId))
            {
                duplicates.Add(new ImportDuplicate(row.Row, null, (int)participantId, row.Email is null ? "name" : "email"));
            }
        }

        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, index) in sheet?.Columns ?? [])
        {
            columns[sheet!.Header[index].Trim()] = field;
        }

        return new ImportPreview(
            DryRun: true,
            Valid: errors.Count == 0,
            rows,
            duplicates.OrderBy(d => d.Row).ToList(),
            fileErrors,
            columns,
            sheet?.Unrecognised ?? [],
            created, matched, enrolled, waitlisted, alreadyEnrolled);
    }
}
