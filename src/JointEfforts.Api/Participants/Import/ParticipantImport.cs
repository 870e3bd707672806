using System.Data.Common;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Participants;

/// <summary>
/// The import of a participant list, all or nothing, for <c>POST /api/participants/import</c> and the workspace's import
/// page alike: the file read (<see cref="ParticipantSheet"/>), every row checked, rows matched to people already known,
/// the rest created, and with a course everyone enrolled through <see cref="Enrolments"/> (waitlisted beyond the maximum),
/// in one write-queue transaction. A dry run does all of it and rolls back.
/// </summary>
public static class ParticipantImport
{
    private static readonly DialectSql MatchSql = new(
            """
            SELECT id AS Id, email AS Email FROM participants
            WHERE erased_at IS NULL AND email COLLATE NOCASE IN (SELECT value FROM json_each(@emails)) ORDER BY id;
            SELECT id AS Id, full_name AS FullName, organisation AS Organisation, country_code AS CountryCode FROM participants
            WHERE erased_at IS NULL AND full_name IN (SELECT value FROM json_each(@names)) ORDER BY id;
            """,
            """
            SELECT id AS Id, email AS Email FROM participants
            WHERE erased_at IS NULL AND lower(email) IN (SELECT lower(value) FROM jsonb_array_elements_text(CAST(@emails AS jsonb)) AS j(value)) ORDER BY id;
            SELECT id AS Id, full_name AS FullName, organisation AS Organisation, country_code AS CountryCode FROM participants
            WHERE erased_at IS NULL AND full_name IN (SELECT value FROM jsonb_array_elements_text(CAST(@names AS jsonb)) AS j(value)) ORDER BY id;
            """);

    /// <summary>What an import came to.</summary>
    public abstract record Run
    {
        private Run()
        {
        }

        /// <summary>Refused before the list was read: an unknown course or programme (not found), a course not open (conflict).</summary>
        public sealed record Refused(Outcome<ImportResult> Outcome) : Run;

        /// <summary>A dry run: every row with its errors; nothing stored.</summary>
        public sealed record Previewed(ImportPreview Preview) : Run;

        /// <summary>A real import: stored when <see cref="ImportResult.Errors"/> is empty, else nothing was.</summary>
        public sealed record Imported(ImportResult Result) : Run;
    }

    /// <summary>Whether an uploaded file is a workbook: its name, its content type, or (unless named .csv) a zip's signature.</summary>
    public static bool IsXlsx(string? fileName, string? contentType, byte[] bytes) =>
        (fileName ?? "").EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)
        || string.Equals(contentType, ParticipantSheet.XlsxContentType, StringComparison.OrdinalIgnoreCase)
        || (!(fileName ?? "").EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && bytes.AsSpan().StartsWith("PK\u0003\u0004"u8));

    public static async Task<Run> RunAsync(
        DbConnection db, byte[] bytes, bool isXlsx, ImportQuery query, Dictionary<string, string>? sentMapping)
    {
        var (table, fileError) = isXlsx
            ? ParticipantSheet.ReadXlsx(new MemoryStream(bytes))
            : ParticipantSheet.ReadCsv(bytes);
        var dryRun = query.DryRun ?? false;

        using var write = await db.BeginWriteAsync();

        var transaction = write.Transaction;
        CourseCapacity? course = null;
        if (query.CourseId is { } courseId)
        {
            course = await db.QuerySingleOrDefaultAsync<CourseCapacity>(
                "SELECT status AS Status, max_participants AS MaxParticipants, project_id AS ProjectId FROM courses WHERE id = @courseId",
                new { courseId }, transaction);
            if (course is null)
            {
                return new Run.Refused(new Outcome<ImportResult>.NotFound("Course", courseId));
            }

            if (course.Status != CourseStatus.Open)
            {
                return new Run.Refused(new Outcome<ImportResult>.Conflict($"The course is {course.Status.ToWire()}: only an open course takes enrolments."));
            }
        }

        if (query.ProjectId is { } projectId
            && !await db.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM projects WHERE id = @projectId)", new { projectId }, transaction))
        {
            return new Run.Refused(new Outcome<ImportResult>.NotFound("Programme", projectId));
        }

        var programme = query.ProjectId ?? course?.ProjectId;
        var mapping = await ImportMappings.ReadAsync(db, transaction, programme, sentMapping);
        var sheet = table is null ? null : ParticipantSheet.Check(table, mapping);
        var rows = sheet?.Rows ?? [];
        var errors = sheet?.Errors ?? [fileError!];
        if (errors.Count > 0 && !dryRun)
        {
            return new Run.Imported(new ImportResult(dryRun, rows.Count, 0, 0, 0, 0, 0, errors));
        }

        var matches = await MatchAsync(db, transaction, rows);
        int created = 0, matched = 0, enrolled = 0, waitlisted = 0, alreadyEnrolled = 0;
        foreach (var row in errors.Count > 0 ? [] : rows)
        {
            if (matches.TryGetValue(row.Row, out var participantId))
            {
                matched++;
            }
            else
            {
                participantId = await db.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO participants (full_name, email, organisation, sector, country_code, seniority)
                    VALUES (@FullName, @Email, @Organisation, @Sector, @CountryCode, @Seniority) RETURNING id
                    """,
                    new { row.FullName, row.Email, row.Organisation, Sector = row.Sector.ToWire(), row.CountryCode, Seniority = row.Seniority.ToWire() },
                    transaction);
                created++;
            }

            if (course is not null)
            {
                var (outcome, _) = await Enrolments.EnrolAsync(db, transaction, query.CourseId!.Value, participantId, course.MaxParticipants);
                _ = outcome switch
                {
                    Enrolments.Outcome.Enrolled => enrolled++,
                    Enrolments.Outcome.Waitlisted => waitlisted++,
                    _ => alreadyEnrolled++,
                };
            }
        }

        if (dryRun)
        {
            // The transaction is rolled back when disposed: a dry run stores nothing, not even the mapping.
            return new Run.Previewed(ImportMappings.Preview(sheet, errors, matches, created, matched, enrolled, waitlisted, alreadyEnrolled));
        }

        await ImportMappings.RememberAsync(db, transaction, programme, sentMapping);
        write.Commit();
        return new Run.Imported(new ImportResult(dryRun, rows.Count, created, matched, enrolled, waitlisted, alreadyEnrolled, []));
    }

    /// <summary>Existing participants the rows name: the same e-mail, or without e-mail the same name, organisation and country.</summary>
    private static async Task<Dictionary<int, long>> MatchAsync(DbConnection db, DbTransaction transaction, List<ImportRow> rows)
    {
        var emails = rows.Where(r => r.Email is not null).Select(r => r.Email!).ToList();
        var names = rows.Where(r => r.Email is null).Select(r => r.FullName).Distinct().ToList();
        using var results = await db.QueryMultipleAsync(
            db.Sql(MatchSql),
            new { emails = JsonSerializer.Serialize(emails), names = JsonSerializer.Serialize(names) }, transaction);
        var byEmail = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var found in await results.ReadAsync<Known>())
        {
            byEmail.TryAdd(found.Email!, found.Id);
        }

        var byName = new Dictionary<(string, string, string), long>();
        foreach (var found in await results.ReadAsync<Known>())
        {
            byName.TryAdd((found.FullName!, found.Organisation!.ToUpperInvariant(), found.CountryCode!), found.Id);
        }

        var matches = new Dictionary<int, long>();
        foreach (var row in rows)
        {
            if (row.Email is not null ? byEmail.TryGetValue(row.Email, out var id)
                : byName.TryGetValue((row.FullName, row.Organisation.ToUpperInvariant(), row.CountryCode), out id))
            {
                matches[row.Row] = id;
            }
        }

        return matches;
    }

    private sealed record CourseCapacity
    {
        public CourseStatus Status { get; init; }

        public int ProjectId { get; init; }

        public int MaxParticipants { get; init; }
    }

    private sealed record Known
    {
        public long Id { get; init; }

        public string? Email { get; init; }

        public string? FullName { get; init; }

        public string? Organisation { get; init; }

        public string? CountryCode { get; init; }
    }
}
