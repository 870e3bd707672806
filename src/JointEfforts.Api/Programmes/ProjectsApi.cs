using System.Data.Common;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Programmes;

public static class ProjectsApi
{
    private const string SelectProject = """
        SELECT id AS Id, code AS Code, title AS Title, funding_programme AS FundingProgramme,
               start_date AS StartDate, end_date AS EndDate, target_participants_trained AS TargetParticipantsTrained,
               beneficiaries AS BeneficiariesJson,
               countries AS CountriesJson, status AS Status, created_at AS CreatedAt, updated_at AS UpdatedAt, version AS Version,
               budget_currency AS BudgetCurrency, budget_initial AS BudgetInitial, budget_final AS BudgetFinal,
               budget_granted AS BudgetGranted, budget_note AS BudgetNote, local_titles AS LocalTitlesJson
        FROM projects
        """;

    internal const string SelectPhase = """
        SELECT p.id AS Id, p.project_id AS ProjectId, p.number AS Number, p.kind AS Kind, p.name AS Name,
               p.planned_start AS PlannedStart, p.planned_end AS PlannedEnd, p.status AS Status,
               COALESCE((SELECT AVG(m.completed_on IS NOT NULL) FROM milestones m WHERE m.phase_id = p.id), 0.0) AS Progress,
               p.version AS Version
        FROM phases p
        """;

    /// <summary>
    /// A programme's phases as the JSON of <see cref="PhaseDto"/>s, written by SQLite (see <see cref="SqlJson{T}"/>);
    /// <c>[]</c> when there is no such programme. <c>PhasesTests</c> holds it to <c>GET /api/phases/{id}</c>, which is
    /// serialized from <see cref="PhaseDto"/>.
    /// <para>
    /// In number order: the subquery walks the (project_id, number) index and the aggregate takes its rows as they come.
    /// An ORDER BY inside json_group_array would sort them again in a temporary b-tree, 3 of the query's 16 µs.
    /// </para>
    /// </summary>
    private static readonly DialectSql PhasesOfProjectJson = new($"""
        SELECT json_group_array(json_object(
                   'id', p.id, 'projectId', p.project_id, 'number', p.number, 'kind', p.kind, 'name', p.name,
                   'plannedStart', p.planned_start, 'plannedEnd', p.planned_end, 'status', p.status,
                   'progress', (SELECT {SqlJson.Share("COUNT(m.completed_on)", "COUNT(*)")} FROM milestones m WHERE m.phase_id = p.id)))
        FROM (SELECT id, project_id, number, kind, name, planned_start, planned_end, status
              FROM phases WHERE project_id = @id ORDER BY number) p
        """,
        $$"""
        SELECT COALESCE('[' || string_agg('{"id":' || je_json(p.id) || ',"projectId":' || je_json(p.project_id) || ',"number":' || je_json(p.number)
                   || ',"kind":' || je_json(p.kind) || ',"name":' || je_json(p.name) || ',"plannedStart":' || je_json(p.planned_start)
                   || ',"plannedEnd":' || je_json(p.planned_end) || ',"status":' || je_json(p.status) || ',"progress":'
                   || je_json((SELECT {{SqlJson.Share("COUNT(m.completed_on)", "COUNT(*)", SqlDialect.Postgres)}} FROM milestones m WHERE m.phase_id = p.id))
                   || '}', ',' ORDER BY p.number) || ']', '[]')
        FROM phases p WHERE p.project_id = @id
        """);

    public static RouteGroupBuilder MapProjects(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/projects")
            .WithTags("Programmes")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();

        group.MapPost("/", CreateProject).WithName("CreateProject")
            .WithSummary("Create a programme with its five phases: planning, preparation, development, testing and implementation, evaluation and conclusions (coordinator).")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListProjects).WithName("ListProjects").CachedRead().WithSummary("List programmes, by id.");
        group.MapGet("/{id:int}", GetProject).WithName("GetProject").CachedRead().WithSummary("Read a programme.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:int}", UpdateProject).WithName("UpdateProject")
            .WithSummary("Replace a programme's fields, its participating countries and status included (coordinator). Honours If-Match." + Json.PutReplaces)
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/{id:int}", DeleteProject).WithName("DeleteProject")
            .WithSummary("Delete a programme that has no meetings and no courses yet, with its phases and milestones (coordinator). Honours If-Match.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapGet("/{id:int}/phases", ListPhases).WithName("ListPhases").CachedRead()
            .WithSummary("The programme's five phases in order, each with status and progress (share of its milestones completed).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    /// <summary>The code is unique case-insensitively: COLLATE NOCASE on SQLite, a unique index on lower(code) on PostgreSQL.</summary>
    private static readonly DialectSql InsertProject = new(
        """
            INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained, beneficiaries, countries, status,
                                  budget_currency, budget_initial, budget_final, budget_granted, budget_note, local_titles)
            VALUES (@Code, @Title, @FundingProgramme, @StartDate, @EndDate, @TargetParticipantsTrained, @Beneficiaries, @Countries, @Status,
                    @BudgetCurrency, @BudgetInitial, @BudgetFinal, @BudgetGranted, @BudgetNote, @LocalTitles)
            ON CONFLICT (code) DO NOTHING
            RETURNING id
            """,
        """
            INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained, beneficiaries, countries, status,
                                  budget_currency, budget_initial, budget_final, budget_granted, budget_note, local_titles)
            VALUES (@Code, @Title, @FundingProgramme, @StartDate, @EndDate, @TargetParticipantsTrained, @Beneficiaries, @Countries, @Status,
                    @BudgetCurrency, @BudgetInitial, @BudgetFinal, @BudgetGranted, @BudgetNote, @LocalTitles)
            ON CONFLICT (lower(code)) DO NOTHING
            RETURNING id
            """);

    private static async Task<Results<Created<ProjectDto>, ValidationProblem, ProblemHttpResult>> CreateProject(
        ProjectRequest request, DbConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var id = await db.ExecuteScalarAsync<long?>(
            db.Sql(InsertProject),
            Parameters(request), transaction);
        if (id is null)
        {
            return Problems.Conflict($"A programme with code '{request.Code}' exists already.");
        }

        await db.ExecuteAsync(
            "INSERT INTO phases (project_id, number, kind, name) VALUES (@id, @Number, @Kind, @Name)",
            Phases.Standard.Select(p => new { id, p.Number, Kind = p.Kind.ToWire(), p.Name }), transaction);
        var project = await ReadAsync(db, id.Value, transaction);
        write.Commit();
        return TypedResults.Created($"/api/projects/{id}", project!);
    }

    private static async Task<Ok<Paged<ProjectDto>>> ListProjects([AsParameters] PageRequest paging, DbConnection db)
    {
        using var results = await db.QueryMultipleAsync(
            SelectProject + " ORDER BY id LIMIT @limit OFFSET @offset; SELECT COUNT(*) FROM projects",
            new { limit = paging.Size, offset = paging.Offset });
        var rows = await results.ReadAsync<ProjectRow>();
        var total = await results.ReadSingleAsync<int>();
        return TypedResults.Ok(Paged<ProjectDto>.Of(rows.Select(r => r.ToDto()), paging, total));
    }

    private static async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> GetProject(int id, DbConnection db) =>
        await ReadAsync(db, id) is { } project ? TypedResults.Ok(project) : Problems.NotFound("Programme", id);

    private static async Task<Results<Ok<ProjectDto>, ValidationProblem, ProblemHttpResult>> UpdateProject(
        int id, ProjectRequest request, IfMatch ifMatch, DbConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var version = await db.QuerySingleOrDefaultAsync<long?>("SELECT version FROM projects WHERE id = @id", new { id }, transaction);
        if (version is null)
        {
            return Problems.NotFound("Programme", id);
        }

        if (!ifMatch.Matches(version.Value))
        {
            return Problems.PreconditionFailed();
        }

        var codeTaken = await db.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM projects WHERE code = @Code AND id <> @id)", new { request.Code, id }, transaction);
        if (codeTaken)
        {
            return Problems.Conflict($"A programme with code '{request.Code}' exists already.");
        }

        var parameters = new DynamicParameters(Parameters(request));
        parameters.Add("id", id);
        await db.ExecuteAsync(
            db.Sql("""
            UPDATE projects SET code = @Code, title = @Title, funding_programme = @FundingProgramme, start_date = @StartDate,
                end_date = @EndDate, target_participants_trained = @TargetParticipantsTrained, beneficiaries = @Beneficiaries,
                countries = @Countries, status = @Status, budget_currency = @BudgetCurrency, budget_initial = @BudgetInitial,
                budget_final = @BudgetFinal, budget_granted = @BudgetGranted, budget_note = @BudgetNote, local_titles = @LocalTitles, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE id = @id
            """),
            parameters, transaction);
        var project = await ReadAsync(db, id, transaction);
        write.Commit();
        return TypedResults.Ok(project!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteProject(int id, IfMatch ifMatch, DbConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var project = await db.QuerySingleOrDefaultAsync<DeleteState>(
            """
            SELECT version AS Version,
                   EXISTS (SELECT 1 FROM meetings WHERE project_id = @id) OR EXISTS (SELECT 1 FROM courses WHERE project_id = @id) AS InUse
            FROM projects WHERE id = @id
            """,
            new { id }, transaction);
        if (project is null)
        {
            return Problems.NotFound("Programme", id);
        }

        if (!ifMatch.Matches(project.Version))
        {
            return Problems.PreconditionFailed();
        }

        if (project.InUse)
        {
            return Problems.Conflict("The programme has meetings or courses; it can no longer be deleted.");
        }

        await db.ExecuteAsync("DELETE FROM projects WHERE id = @id", new { id }, transaction);
        write.Commit();
        return TypedResults.NoContent();
    }

    private static async Task<Results<SqlJson<IReadOnlyList<PhaseDto>>, ProblemHttpResult>> ListPhases(int id, DbConnection db)
    {
        var phases = await db.QueryPreparedFirstOrDefaultAsync<string>(db.Sql(PhasesOfProjectJson), null, ("@id", id));
        return phases is null or "[]" ? Problems.NotFound("Programme", id) : new SqlJson<IReadOnlyList<PhaseDto>>(phases);
    }

    internal static async Task<ProjectDto?> ReadAsync(DbConnection db, long id, DbTransaction? transaction = null)
    {
        var row = await db.QuerySingleOrDefaultAsync<ProjectRow>(SelectProject + " WHERE id = @id", new { id }, transaction);
        return row?.ToDto();
    }

    private static object Parameters(ProjectRequest request) => new
    {
        request.Code,
        request.Title,
        request.FundingProgramme,
        request.StartDate,
        request.EndDate,
        request.TargetParticipantsTrained,
        Beneficiaries = JsonSerializer.Serialize(request.Beneficiaries ?? []),
        Countries = JsonSerializer.Serialize(request.CanonicalCountries),
        Status = (request.Status ?? ProjectStatus.Planned).ToWire(),
        BudgetCurrency = request.Budget?.Currency,
        BudgetInitial = request.Budget?.Initial,
        BudgetFinal = request.Budget?.Final,
        BudgetGranted = request.Budget?.Granted,
        BudgetNote = request.Budget?.Note,
        LocalTitles = JsonSerializer.Serialize(request.LocalTitles ?? new Dictionary<string, string>()),
    };

    private sealed record ProjectRow
    {
        public int Id { get; init; }

        public required string Code { get; init; }

        public required string Title { get; init; }

        public required string FundingProgramme { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }

        public int TargetParticipantsTrained { get; init; }

        public required string BeneficiariesJson { get; init; }

        public required string CountriesJson { get; init; }

        public ProjectStatus Status { get; init; }

        public DateTime CreatedAt { get; init; }

        public DateTime UpdatedAt { get; init; }

        public long Version { get; init; }

        public string? BudgetCurrency { get; init; }

        public double? BudgetInitial { get; init; }

        public double? BudgetFinal { get; init; }

        public double? BudgetGranted { get; init; }

        public string? BudgetNote { get; init; }

        public string LocalTitlesJson { get; init; } = "{}";

        public ProjectDto ToDto() => new(
            Id, Code, Title, FundingProgramme, StartDate, EndDate, TargetParticipantsTrained,
            JsonSerializer.Deserialize<List<string>>(BeneficiariesJson) ?? [],
            JsonSerializer.Deserialize<List<string>>(CountriesJson) ?? [], Status, CreatedAt, UpdatedAt,
            BudgetCurrency is null ? null : new ProgrammeBudget(
                BudgetCurrency, (decimal?)BudgetInitial, (decimal?)BudgetFinal, (decimal?)BudgetGranted, BudgetNote),
            JsonSerializer.Deserialize<Dictionary<string, string>>(LocalTitlesJson) ?? []) { Version = Version };
    }

    private sealed record DeleteState
    {
        public long Version { get; init; }

        public bool InUse { get; init; }
    }
}
