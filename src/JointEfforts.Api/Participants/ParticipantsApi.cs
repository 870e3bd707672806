using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Participants;

public static class ParticipantsApi
{
    /// <summary>The list's filter: LIKE is case-insensitive (for ASCII) on SQLite, ILIKE on PostgreSQL.</summary>
    private static readonly DialectSql ListWhere = new(d => d.IsPostgres
        ? $"""
             WHERE (@q IS NULL OR {d.LikeIgnoreCase("p.full_name", "@q")} OR {d.LikeIgnoreCase("p.organisation", "@q")} OR (@contact AND {d.LikeIgnoreCase("p.email", "@q")}))
               AND (@countryCode IS NULL OR p.country_code = @countryCode) AND (@sector IS NULL OR p.sector = @sector)
            """ + Scope
        : """
             WHERE (@q IS NULL OR p.full_name LIKE @q ESCAPE '\' OR p.organisation LIKE @q ESCAPE '\' OR (@contact AND p.email LIKE @q ESCAPE '\'))
               AND (@countryCode IS NULL OR p.country_code = @countryCode) AND (@sector IS NULL OR p.sector = @sector)
            """ + Scope);

    private static readonly DialectSql ListSql = new(d =>
        SelectParticipant + ListWhere.For(d) + " ORDER BY p.id LIMIT @limit OFFSET @offset; SELECT COUNT(*) FROM participants p" + ListWhere.For(d));

    private static readonly DialectSql EmailTaken = new(d =>
        $"SELECT EXISTS (SELECT 1 FROM participants WHERE {d.EqualsIgnoreCase("email", "@email")} AND (@exceptId IS NULL OR id <> @exceptId))");

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

    /// <summary>Routes of participants; then their import (Import/).</summary>
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
        app.MapParticipantImport();
        return app;
    }

    private static async Task<Results<Created<ParticipantDto>, ValidationProblem, ProblemHttpResult>> CreateParticipant(
        ParticipantRequest request, DbConnection db) =>
        await CreateAsync(db, request) switch
        {
            Outcome<ParticipantDto>.Stored stored => TypedResults.Created($"/api/participants/{stored.Value.Id}", stored.Value),
            var refused => refused.Problem(),
        };

    private static async Task<Ok<Paged<ParticipantDto>>> ListParticipants(
        [AsParameters] PageRequest paging, [AsParameters] ParticipantQuery query, Caller caller, DbConnection db) =>
        TypedResults.Ok(await SearchAsync(db, caller, query, paging));

    /// <summary>Registers a participant (the JSON POST and the workspace's participants page): a taken e-mail is a conflict.</summary>
    public static async Task<Outcome<ParticipantDto>> CreateAsync(DbConnection db, ParticipantRequest request)
    {
        using var write = await db.BeginWriteAsync();
        var outcome = await CreateAsync(db, write.Transaction, request);
        if (outcome is Outcome<ParticipantDto>.Stored)
        {
            write.Commit();
        }

        return outcome;
    }

    /// <summary><see cref="CreateAsync(DbConnection, ParticipantRequest)"/> inside the caller's write transaction (which commits).</summary>
    public static async Task<Outcome<ParticipantDto>> CreateAsync(DbConnection db, DbTransaction transaction, ParticipantRequest request)
    {
        if (await EmailTakenAsync(db, transaction, request.Email, null))
        {
            return new Outcome<ParticipantDto>.Conflict($"A participant with the e-mail {request.Email} exists already.");
        }

        var id = await db.ExecuteScalarAsync<long>(
            """
            INSERT INTO participants (full_name, email, organisation, sector, country_code, seniority)
            VALUES (@FullName, @Email, @Organisation, @Sector, @CountryCode, @Seniority) RETURNING id
            """,
            Parameters(request), transaction);
        var participant = await ReadAsync(db, id, contact: true, country: null, transaction);
        return new Outcome<ParticipantDto>.Stored(participant!);
    }

    /// <summary>The search of GET /api/participants (the query validated as the route validates it), for the route and the workspace.</summary>
    public static async Task<Paged<ParticipantDto>> SearchAsync(DbConnection db, Caller caller, ParticipantQuery query, PageRequest paging)
    {
        var where = db.Sql(ListWhere);
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
            db.Sql(ListSql), parameters);
        var items = await results.ReadAsync<ParticipantDto>();
        var total = await results.ReadSingleAsync<int>();
        return Paged<ParticipantDto>.Of(items, paging, total);
    }

    private static async Task<Results<Ok<ParticipantDto>, ProblemHttpResult>> GetParticipant(int id, Caller caller, DbConnection db) =>
        await ReadAsync(db, id, caller.MaySeeContactData, caller.CountryScope) is { } participant
            ? TypedResults.Ok(participant)
            : Problems.NotFound("Participant", id);

    private static async Task<Results<Ok<ParticipantDto>, ValidationProblem, ProblemHttpResult>> UpdateParticipant(
        int id, ParticipantRequest request, IfMatch ifMatch, DbConnection db)
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

    private static async Task<Results<NoContent, ProblemHttpResult>> EraseParticipant(int id, IfMatch ifMatch, DbConnection db)
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
            db.Sql("""
            UPDATE participants SET full_name = NULL, email = NULL, erased_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE id = @id
            """),
            new { id }, transaction);

        // "Everywhere": Idempotency-Key replays keep response bodies for 24 hours; none may show the name or e-mail again,
        // and a retry of the creating request must not create the person anew.
        await IdempotencyMiddleware.ForgetParticipantAsync(db, transaction, id, [current.FullName, current.Email]);

        write.Commit();
        return TypedResults.NoContent();
    }

    private static async Task<bool> EmailTakenAsync(DbConnection db, DbTransaction transaction, string? email, int? exceptId) =>
        email is not null && await db.ExecuteScalarAsync<bool>(
            db.Sql(EmailTaken),
            new { email, exceptId }, transaction);

    private static Task<ParticipantDto?> ReadAsync(DbConnection db, long id, bool contact, string? country, DbTransaction? transaction = null) =>
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
}
