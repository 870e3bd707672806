using System.Text.Json;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace JointEfforts.Api.Participants;

public static class ParticipantsApi
{
    private const string SelectParticipant = """
        SELECT p.id AS Id, p.full_name AS FullName, CASE WHEN @contact THEN p.email END AS Email, p.organisation AS Organisation,
               p.sector AS Sector, p.country_code AS CountryCode, p.seniority AS Seniority, p.created_at AS CreatedAt,
               p.erased_at AS ErasedAt, p.version AS Version
        FROM participants p
        """;

    /// <summary>A country expert sees the participants enrolled or waitlisted in courses of their country, nobody else.</summary>
    private const string Scope = """
         AND (@country IS NULL OR EXISTS (
              SELECT 1 FROM enrolments e JOIN courses c ON c.id = e.course_id
              WHERE e.participant_id = p.id AND e.status <> 'withdrawn' AND c.country_code = @country))
        """;

    /// <summary>Routes of participants and their import.</summary>
    public static IEndpointRouteBuilder MapParticipants(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/participants")
            .WithTags("Participants")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();

        group.MapPost("/", CreateParticipant).WithName("CreateParticipant")
            .WithSummary("Register a participant (coordinator). An e-mail identifies one person: a second participant with it is a 409.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListParticipants).WithName("ListParticipants")
            .WithSummary("List participants by id; ?q= searches name, organisation and e-mail. Country experts see only participants of their country's courses; e-mails are null for the steering group.")
            .ProducesValidationProblem();
        group.MapGet("/{id:int}", GetParticipant).WithName("GetParticipant")
            .WithSummary("Read a participant. An erased one answers with fullName and email null and erasedAt set: the anonymous record stays for counts.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:int}", UpdateParticipant).WithName("UpdateParticipant")
            .WithSummary("Replace a participant's fields (coordinator). Honours If-Match; an erased participant cannot be changed (409)." + Json.PutReplaces)
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/{id:int}", EraseParticipant).WithName("EraseParticipant")
            .WithSummary("Erase a participant's personal data (coordinator): name and e-mail are removed everywhere; organisation, sector, country, seniority, enrolments, attendance and anonymous answers stay, so counts do not change. Honours If-Match; erasing twice is a 204.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/import", Import).WithName("ImportParticipants")
            .WithSummary("Import a participant list (.xlsx or CSV, header row), all or nothing (coordinator); ?dryRun=true checks without storing; ?courseId= also enrols.")
            .WithDescription("""
                Body: the raw file with Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or text/csv
                (UTF-8, comma or semicolon separated), or multipart/form-data with the file in a part named `file`. At most 10 MB,
                10,000 rows, 100 columns and 1,000 characters a cell; a workbook unpacks to at most 20 MB a part (100 MB in all) and
                500,000 shared strings. A file over a limit is refused with a 400 problem naming it, before it is read further.
                Columns (header names are matched on letters only, case-insensitive; other columns are ignored):
                fullName (or name), email (optional), organisation (or organization), sector (lawEnforcement, borderGuard, judiciary,
                health, ngo, labourInspection, socialServices, prison, other; also 'police', 'NGO', 'labour inspectorate', ...),
                countryCode (or country; ISO alpha-2, or the country's name in English: 'Poland' → PL; 'UK' is not GB's code), seniority (senior or field). Blank rows are skipped.
                A row matches an existing participant with the same e-mail, or without e-mail the same name, organisation and country:
                matched participants are not changed. With courseId (an open course) every created or matched participant is enrolled
                in file order with the usual capacity rules (waitlisted beyond maxParticipants; already enrolled ones are counted, not
                an error). Any error → nothing is stored, and the answer is a 400 problem carrying the same fields and
                errors: [{ row, column, message }] (row numbers as in the file, the header is row 1). A dry run answers exactly what the
                real import would, without storing.
                """)
            .RequireAuthorization(Policies.Coordinator)
            .AllowLargeBody()
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                var binary = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ParticipantSheet.XlsxContentType] = binary,
                        ["text/csv"] = binary,
                        ["multipart/form-data"] = new OpenApiMediaType
                        {
                            Schema = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                                Required = new HashSet<string> { "file" },
                            },
                        },
                    },
                };
                return Task.CompletedTask;
            })
            .Produces<ImportResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static async Task<Results<Created<ParticipantDto>, ValidationProblem, ProblemHttpResult>> CreateParticipant(
        ParticipantRequest request, SqliteConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        if (await EmailTakenAsync(db, transaction, request.Email, null))
        {
            return Problems.Conflict($"A participant with the e-mail {request.Email} exists already.");
        }

        var id = await db.ExecuteScalarAsync<long>(
            """
            INSERT INTO participants (full_name, email, organisation, sector, country_code, seniority)
            VALUES (@FullName, @Email, @Organisation, @Sector, @CountryCode, @Seniority) RETURNING id
            """,
            Parameters(request), transaction);
        var participant = await ReadAsync(db, id, contact: true, country: null, transaction);
        write.Commit();
        return TypedResults.Created($"/api/participants/{id}", participant!);
    }

    private static async Task<Ok<Paged<ParticipantDto>>> ListParticipants(
        [AsParameters] PageRequest paging, [AsParameters] ParticipantQuery query, Caller caller, SqliteConnection db)
    {
        const string where = """
             WHERE (@q IS NULL OR p.full_name LIKE @q ESCAPE '\' OR p.organisation LIKE @q ESCAPE '\' OR (@contact AND p.email LIKE @q ESCAPE '\'))
               AND (@countryCode IS NULL OR p.country_code = @countryCode) AND (@sector IS NULL OR p.sector = @sector)
            """ + Scope;
        var parameters = new
        {
            q = string.IsNullOrWhiteSpace(query.Q) ? null : "%" + EscapeLike(query.Q.Trim()) + "%",
            contact = caller.MaySeeContactData,
            countryCode = query.CountryCode,
            sector = query.Sector.ToWire(),
            country = caller.CountryScope,
            limit = paging.Size,
            offset = paging.Offset,
        };
        using var results = await db.QueryMultipleAsync(
            SelectParticipant + where + " ORDER BY p.id LIMIT @limit OFFSET @offset; SELECT COUNT(*) FROM participants p" + where, parameters);
        var items = await results.ReadAsync<ParticipantDto>();
        var total = await results.ReadSingleAsync<int>();
        return TypedResults.Ok(Paged<ParticipantDto>.Of(items, paging, total));
    }

    private static async Task<Results<Ok<ParticipantDto>, ProblemHttpResult>> GetParticipant(int id, Caller caller, SqliteConnection db) =>
        await ReadAsync(db, id, caller.MaySeeContactData, caller.CountryScope) is { } participant
            ? TypedResults.Ok(participant)
            : Problems.NotFound("Participant", id);

    private static async Task<Results<Ok<ParticipantDto>, ValidationProblem, ProblemHttpResult>> UpdateParticipant(
        int id, ParticipantRequest request, IfMatch ifMatch, SqliteConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var current = await db.QuerySingleOrDefaultAsync<ParticipantState>(
            "SELECT version AS Version, erased_at IS NOT NULL AS Erased FROM participants WHERE id = @id", new { id }, transaction);
        if (current is null)
        {
            return Problems.NotFound("Participant", id);
        }

        if (!ifMatch.Matches(current.Version))
        {
            return Problems.PreconditionFailed();
        }

        if (current.Erased)
        {
            return Problems.Conflict($"Participant {id} was erased; register the person anew if they come back.");
        }

        if (await EmailTakenAsync(db, transaction, request.Email, id))
        {
            return Problems.Conflict($"A participant with the e-mail {request.Email} exists already.");
        }

        var parameters = new DynamicParameters(Parameters(request));
        parameters.Add("id", id);
        await db.ExecuteAsync(
            """
            UPDATE participants SET full_name = @FullName, email = @Email, organisation = @Organisation, sector = @Sector,
                country_code = @CountryCode, seniority = @Seniority, version = version + 1
            WHERE id = @id
            """,
            parameters, transaction);
        var participant = await ReadAsync(db, id, contact: true, country: null, transaction);
        write.Commit();
        return TypedResults.Ok(participant!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> EraseParticipant(int id, IfMatch ifMatch, SqliteConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var current = await db.QuerySingleOrDefaultAsync<ErasureState>(
            "SELECT version AS Version, full_name AS FullName, email AS Email, erased_at IS NOT NULL AS Erased FROM participants WHERE id = @id",
            new { id }, transaction);
        if (current is null)
        {
            return Problems.NotFound("Participant", id);
        }

        if (!ifMatch.Matches(current.Version))
        {
            return Problems.PreconditionFailed();
        }

        if (current.Erased)
        {
            return TypedResults.NoContent();
        }

        await db.ExecuteAsync(
            """
            UPDATE participants SET full_name = NULL, email = NULL, erased_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE id = @id
            """,
            new { id }, transaction);

        // "Everywhere": Idempotency-Key replays keep response bodies for 24 hours; none may show the name or e-mail again,
        // and a retry of the creating request must not create the person anew.
        await IdempotencyMiddleware.ForgetParticipantAsync(db, transaction, id, [current.FullName, current.Email]);

        write.Commit();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Import(
        HttpRequest request, [AsParameters] ImportQuery query, SqliteConnection db, CancellationToken cancellationToken)
    {
        var (file, problem) = await ReadUploadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (table, fileError) = file!.Value.IsXlsx
            ? ParticipantSheet.ReadXlsx(new MemoryStream(file.Value.Bytes))
            : ParticipantSheet.ReadCsv(file.Value.Bytes);
        var dryRun = query.DryRun ?? false;
        var (rows, errors) = table is null ? ([], [fileError!]) : ParticipantSheet.Check(table);

        using var write = await db.BeginWriteAsync();

        var transaction = write.Transaction;
        CourseCapacity? course = null;
        if (query.CourseId is { } courseId)
        {
            course = await db.QuerySingleOrDefaultAsync<CourseCapacity>(
                "SELECT status AS Status, max_participants AS MaxParticipants FROM courses WHERE id = @courseId", new { courseId }, transaction);
            if (course is null)
            {
                return Problems.NotFound("Course", courseId);
            }

            if (course.Status != CourseStatus.Open)
            {
                return Problems.Conflict($"The course is {course.Status.ToWire()}: only an open course takes enrolments.");
            }
        }

        if (errors.Count > 0)
        {
            return ImportProblem(new ImportResult(dryRun, rows.Count, 0, 0, 0, 0, 0, errors));
        }

        var matches = await MatchAsync(db, transaction, rows);
        int created = 0, matched = 0, enrolled = 0, waitlisted = 0, alreadyEnrolled = 0;
        foreach (var row in rows)
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

        if (!dryRun)
        {
            write.Commit();
        }

        return TypedResults.Ok(new ImportResult(dryRun, rows.Count, created, matched, enrolled, waitlisted, alreadyEnrolled, []));
    }

    /// <summary>Existing participants the rows name: the same e-mail, or without e-mail the same name, organisation and country.</summary>
    private static async Task<Dictionary<int, long>> MatchAsync(SqliteConnection db, SqliteTransaction transaction, List<ImportRow> rows)
    {
        var emails = rows.Where(r => r.Email is not null).Select(r => r.Email!).ToList();
        var names = rows.Where(r => r.Email is null).Select(r => r.FullName).Distinct().ToList();
        using var results = await db.QueryMultipleAsync(
            """
            SELECT id AS Id, email AS Email FROM participants
            WHERE erased_at IS NULL AND email COLLATE NOCASE IN (SELECT value FROM json_each(@emails)) ORDER BY id;
            SELECT id AS Id, full_name AS FullName, organisation AS Organisation, country_code AS CountryCode FROM participants
            WHERE erased_at IS NULL AND full_name IN (SELECT value FROM json_each(@names)) ORDER BY id;
            """,
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

    private static async Task<((byte[] Bytes, bool IsXlsx)? File, ProblemHttpResult? Problem)> ReadUploadAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType);
        var mediaType = contentType?.MediaType.Value?.ToLowerInvariant();
        if (mediaType == "multipart/form-data")
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                return (null, FileProblem("The multipart body could not be read: " + ex.Message));
            }

            if (form.Files.GetFile("file") is not { } part)
            {
                return (null, FileProblem("Send the participant list in a multipart part named 'file'."));
            }

            using var buffer = new MemoryStream();
            await part.CopyToAsync(buffer, cancellationToken);
            var bytes = buffer.ToArray();
            var isXlsx = part.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)
                || string.Equals(part.ContentType, ParticipantSheet.XlsxContentType, StringComparison.OrdinalIgnoreCase)
                || (!part.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && bytes.AsSpan().StartsWith("PK\u0003\u0004"u8));
            return ((bytes, isXlsx), null);
        }

        if (mediaType is not (ParticipantSheet.XlsxContentType or "text/csv" or "application/csv"))
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"Send the participant list as {ParticipantSheet.XlsxContentType}, text/csv, or multipart/form-data with a part named 'file'."));
        }

        using var body = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            body.Write(chunk, 0, read);
            if (body.Length > HttpPipeline.MaxImportBodyBytes)
            {
                return (null, TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Request body too large",
                    detail: "A participant list is at most 10 MB."));
            }
        }

        return ((body.ToArray(), mediaType == ParticipantSheet.XlsxContentType), null);
    }

    private static ProblemHttpResult FileProblem(string message) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "One or more validation errors occurred.",
            detail: message,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["file"] = [message] } });

    private static ProblemHttpResult ImportProblem(ImportResult result) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "The participant list has errors",
            detail: $"{result.Errors.Count} error(s) found{(result.Errors.Count >= ParticipantSheet.MaxErrors ? " (only the first are listed)" : string.Empty)}; nothing was imported. Correct the file and send it again.",
            extensions: new Dictionary<string, object?>
            {
                ["dryRun"] = result.DryRun,
                ["rows"] = result.Rows,
                ["created"] = 0,
                ["matched"] = 0,
                ["enrolled"] = 0,
                ["waitlisted"] = 0,
                ["errors"] = result.Errors,
            });

    private static async Task<bool> EmailTakenAsync(SqliteConnection db, SqliteTransaction transaction, string? email, int? exceptId) =>
        email is not null && await db.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM participants WHERE email = @email COLLATE NOCASE AND (@exceptId IS NULL OR id <> @exceptId))",
            new { email, exceptId }, transaction);

    private static Task<ParticipantDto?> ReadAsync(SqliteConnection db, long id, bool contact, string? country, SqliteTransaction? transaction = null) =>
        db.QuerySingleOrDefaultAsync<ParticipantDto>(SelectParticipant + " WHERE p.id = @id" + Scope, new { id, contact, country }, transaction);

    private static object Parameters(ParticipantRequest request) => new
    {
        FullName = request.FullName!.Trim(),
        Email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim(),
        Organisation = request.Organisation!.Trim(),
        Sector = request.Sector!.Value.ToWire(),
        request.CountryCode,
        Seniority = request.Seniority!.Value.ToWire(),
    };

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private sealed record ParticipantState
    {
        public long Version { get; init; }

        public bool Erased { get; init; }
    }

    private sealed record ErasureState
    {
        public long Version { get; init; }

        public string? FullName { get; init; }

        public string? Email { get; init; }

        public bool Erased { get; init; }
    }

    private sealed record CourseCapacity
    {
        public CourseStatus Status { get; init; }

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
