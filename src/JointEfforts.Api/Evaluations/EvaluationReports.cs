using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Reports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Evaluations;

public enum ReportState
{
    Draft,
    Submitted,
    Accepted,
}

public sealed record EvaluationReportRequest(
    [property: Required, Description("The day the course was delivered (its last day).")] DateOnly? DeliveredOn,
    [property: Required, Range(0, 10_000)] int? ParticipantsAttended,
    [property: Required, StringLength(20_000, MinimumLength = 1), MultiLine] string? Summary,
    [property: StringLength(20_000), MultiLine] string? Strengths,
    [property: StringLength(20_000), MultiLine] string? Weaknesses,
    [property: MaxLength(50), MultiLine, Description("The expert's recommendations, one text each.")] IReadOnlyList<string>? Recommendations,
    [property: Required, Range(1, 5)] int? OverallRating) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Recommendations?.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 4000) == true)
        {
            yield return new ValidationResult("Each recommendation is a text of 1 to 4000 characters.", [nameof(Recommendations)]);
        }
    }
}

public sealed record ReturnReportRequest(
    [property: Required, StringLength(4000, MinimumLength = 1), MultiLine, Description("What the expert should change before submitting again.")] string? Comment);

/// <summary>A country expert's evaluation report, with where it is in its workflow.</summary>
public sealed record EvaluationReportDto : Versioned
{
    public int CourseId { get; init; }

    public DateOnly? DeliveredOn { get; init; }

    public int? ParticipantsAttended { get; init; }

    public string? Summary { get; init; }

    public string? Strengths { get; init; }

    public string? Weaknesses { get; init; }

    public IReadOnlyList<string> Recommendations { get; init; } = [];

    public int? OverallRating { get; init; }

    public ReportState State { get; init; }

    /// <summary>The steering group's comment when it last returned the report.</summary>
    public string? ReturnComment { get; init; }

    /// <summary>When the report was last submitted; kept when it is returned.</summary>
    public DateTime? SubmittedAt { get; init; }

    public DateTime? AcceptedAt { get; init; }

    /// <summary>When the report was last written; null for the prefilled draft of a course whose expert has not written yet.</summary>
    public DateTime? UpdatedAt { get; init; }

    /// <summary>What the data says about the course, computed when read (never written by the expert).</summary>
    public required ReportFigures Figures { get; init; }
}

/// <summary>
/// The course's figures beside the expert's words, by the definitions the dashboard uses (Reports/Training.cs):
/// trained = completed the course; meanOverall = mean of the likert5 question keyed "overall" of reaction responses;
/// responseRate = reaction responses / enrolled; knowledgeGain pairs pre- and post-test scores by code.
/// </summary>
public sealed record ReportFigures
{
    public int Enrolled { get; init; }

    public int Trained { get; init; }

    /// <summary>Every sector, zeros included: enrolled and trained.</summary>
    public required IReadOnlyDictionary<string, ReportHeadcount> BySector { get; init; }

    /// <summary>senior and field: enrolled and trained (the Antwerp meeting recommended targeting senior staff).</summary>
    public required IReadOnlyDictionary<string, ReportHeadcount> BySeniority { get; init; }

    public int Responses { get; init; }

    /// <summary>Reaction responses / enrolled, 0..1; null with nobody enrolled.</summary>
    public double? ResponseRate { get; init; }

    public double? MeanOverall { get; init; }

    public required Reports.KnowledgeGainDto KnowledgeGain { get; init; }
}

public sealed record ReportHeadcount(int Enrolled, int Trained);

/// <summary>One report in the list of reports awaiting (or past) the steering group, with its course and programme.</summary>
public sealed record EvaluationReportListItem
{
    public int CourseId { get; init; }

    public required string CourseTitle { get; init; }

    public required string CountryCode { get; init; }

    public CourseStatus CourseStatus { get; init; }

    public int ProjectId { get; init; }

    public required string ProjectCode { get; init; }

    public required string ProjectTitle { get; init; }

    public ReportState State { get; init; }

    public int? OverallRating { get; init; }

    public string? ReturnComment { get; init; }

    public DateTime? SubmittedAt { get; init; }

    public DateTime? AcceptedAt { get; init; }

    public DateTime UpdatedAt { get; init; }
}

public sealed record EvaluationReportQuery(
    [property: Description("Only reports in this state: draft, submitted (awaiting the steering group), accepted.")] EnumQuery<ReportState>? State,
    [property: Range(1, int.MaxValue), Description("Only reports of this programme's courses.")] int? ProjectId,
    [property: CountryCode, Description("Only reports of courses in this country (ISO 3166-1 alpha-2).")] string? CountryCode);

/// <summary>
/// draft → submitted → accepted, or submitted → draft (returned with a comment). The course's country expert
/// writes and submits; the steering group accepts or returns; admin may do either. Every move reads the state and
/// writes in one BEGIN IMMEDIATE transaction, so two reviewers cannot both act on one submission.
/// </summary>
public static class EvaluationReportsApi
{
    private const string SelectReport = """
        SELECT r.course_id AS CourseId, r.delivered_on AS DeliveredOn, r.participants_attended AS ParticipantsAttended,
               r.summary AS Summary, r.strengths AS Strengths, r.weaknesses AS Weaknesses, r.recommendations AS RecommendationsJson,
               r.overall_rating AS OverallRating, r.state AS State, r.return_comment AS ReturnComment, r.submitted_at AS SubmittedAt,
               r.accepted_at AS AcceptedAt, r.updated_at AS UpdatedAt, r.version AS Version
        FROM evaluation_reports r
        """;

    public static IEndpointRouteBuilder MapEvaluationReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/courses/{id:int}/evaluation-report")
            .WithTags("Evaluation reports")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", GetReport).WithName("GetEvaluationReport")
            .WithSummary("Read the course's evaluation report with its state, returnComment, submittedAt, acceptedAt and read-only figures. " +
                         "Every role; a country expert only for their country's courses. Before the expert first writes it: a draft " +
                         "prefilled from the data (deliveredOn = the course's end date, participantsAttended = trained; version 0, updatedAt null).");
        group.MapPut("/", WriteReport).WithName("WriteEvaluationReport")
            .WithSummary("Write the report (the course's country expert: courses.countryExpertUserId, or any expert of the course's country " +
                         "when it names none; others 403). 201 the first time, then 200; honours If-Match. Only a draft is written: 409 " +
                         "once submitted or accepted. A draft or cancelled course has no report (409). participantsAttended is at most " +
                         "the number enrolled and deliveredOn lies within the course's dates (400 naming the field)." + Json.PutReplaces)
            .RequireAuthorization(Policies.CountryExpert)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/submit", SubmitReport).WithName("SubmitEvaluationReport")
            .WithSummary("Submit the draft to the steering group (the course's country expert): state submitted, submittedAt now, the last " +
                         "return comment cleared. Not a draft, a course not delivered, or one with no attendance recorded: 409. Honours If-Match.")
            .RequireAuthorization(Policies.CountryExpert)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/accept", AcceptReport).WithName("AcceptEvaluationReport")
            .WithSummary("Accept a submitted report (steering group): state accepted, acceptedAt now, and the course moves to evaluated in the " +
                         "same transaction. Not submitted, or the course not delivered: 409. Honours If-Match.")
            .RequireAuthorization(Policies.SteeringGroup)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/return", ReturnReport).WithName("ReturnEvaluationReport")
            .WithSummary("Return a submitted report to its expert with a comment (steering group): back to draft, returnComment kept, " +
                         "submittedAt kept until the next submission. Not submitted: 409. Honours If-Match.")
            .RequireAuthorization(Policies.SteeringGroup)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        app.MapGroup("/api/evaluation-reports")
            .WithTags("Evaluation reports")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .MapGet("/", ListReports).WithName("ListEvaluationReports")
            .ProducesValidationProblem()
            .WithSummary("List evaluation reports across programmes, by course id, with course and programme: ?state=submitted is what " +
                         "awaits the steering group. Filters state, projectId, countryCode. A country expert sees their country's only.");
        return app;
    }

    private static async Task<Ok<Paged<EvaluationReportListItem>>> ListReports(
        [AsParameters] PageRequest paging, [AsParameters] EvaluationReportQuery query, Caller caller, SqliteConnection db)
    {
        const string where = """
             WHERE (@state IS NULL OR r.state = @state) AND (@projectId IS NULL OR c.project_id = @projectId)
               AND (@countryCode IS NULL OR c.country_code = @countryCode) AND (@country IS NULL OR c.country_code = @country)
            """;
        using var results = await db.QueryMultipleAsync(
            """
            SELECT r.course_id AS CourseId, c.title AS CourseTitle, c.country_code AS CountryCode, c.status AS CourseStatus,
                   c.project_id AS ProjectId, p.code AS ProjectCode, p.title AS ProjectTitle, r.state AS State,
                   r.overall_rating AS OverallRating, r.return_comment AS ReturnComment, r.submitted_at AS SubmittedAt,
                   r.accepted_at AS AcceptedAt, r.updated_at AS UpdatedAt
            FROM evaluation_reports r JOIN courses c ON c.id = r.course_id JOIN projects p ON p.id = c.project_id
            """ + where + """
             ORDER BY r.course_id LIMIT @limit OFFSET @offset;
            SELECT COUNT(*) FROM evaluation_reports r JOIN courses c ON c.id = r.course_id
            """ + where,
            new
            {
                state = query.State.ToWire(),
                projectId = query.ProjectId,
                countryCode = query.CountryCode?.ToUpperInvariant(),
                country = caller.CountryScope,
                limit = paging.Size,
                offset = paging.Offset,
            });
        var items = await results.ReadAsync<EvaluationReportListItem>();
        var total = await results.ReadSingleAsync<int>();
        return TypedResults.Ok(Paged<EvaluationReportListItem>.Of(items, paging, total));
    }

    private static async Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> GetReport(int id, Caller caller, SqliteConnection db)
    {
        var course = await EvaluationCourse.ReadAsync(db, id, caller);
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        return TypedResults.Ok((await ReadAsync(db, id, null)) ?? await PrefilledAsync(db, course, null));
    }

    /// <summary>
    /// The draft an expert starts from: what the data already says (the course's last day, the number trained) so the
    /// expert corrects figures instead of copying them. Not stored until the expert writes it (version 0).
    /// </summary>
    private static async Task<EvaluationReportDto> PrefilledAsync(SqliteConnection db, EvaluationCourse course, SqliteTransaction? transaction)
    {
        var figures = await ReadFiguresAsync(db, course.Id, transaction);
        return new EvaluationReportDto
        {
            CourseId = course.Id,
            DeliveredOn = course.EndDate,
            ParticipantsAttended = figures.Trained,
            State = ReportState.Draft,
            Figures = figures,
            Version = 0,
        };
    }

    private static async Task<Results<Ok<EvaluationReportDto>, Created<EvaluationReportDto>, ValidationProblem, ProblemHttpResult>> WriteReport(
        int id, EvaluationReportRequest request, IfMatch ifMatch, Caller caller, SqliteConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await EvaluationCourse.ReadAsync(db, id, caller, transaction);
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        if (!course.IsExpert(caller))
        {
            return Problems.Forbidden("Only the course's country expert writes its evaluation report.");
        }

        if (course.Status is "draft" or "cancelled")
        {
            return Problems.Conflict($"Course {id} is {course.Status}: there is nothing to report on.");
        }

        var figures = await ReadFiguresAsync(db, id, transaction);
        var errors = new Dictionary<string, string[]>();
        if (request.ParticipantsAttended > figures.Enrolled)
        {
            errors["participantsAttended"] = [$"{request.ParticipantsAttended} attended, but {figures.Enrolled} are enrolled: participantsAttended is at most the number enrolled."];
        }

        if (request.DeliveredOn is { } deliveredOn && (deliveredOn < course.StartDate || deliveredOn > course.EndDate))
        {
            errors["deliveredOn"] = [$"deliveredOn lies within the course's dates, {course.StartDate:yyyy-MM-dd} to {course.EndDate:yyyy-MM-dd}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var current = await ReadStateAsync(db, id, transaction);
        var values = new
        {
            id,
            request.DeliveredOn,
            request.ParticipantsAttended,
            request.Summary,
            request.Strengths,
            request.Weaknesses,
            recommendations = JsonSerializer.Serialize(request.Recommendations ?? []),
            request.OverallRating,
        };
        if (current is null)
        {
            // The prefilled draft is version 0: its ETag may be sent back to create the report.
            if (!ifMatch.Matches(0))
            {
                return Problems.PreconditionFailed();
            }

            await db.ExecuteAsync(
                """
                INSERT INTO evaluation_reports (course_id, delivered_on, participants_attended, summary, strengths, weaknesses, recommendations, overall_rating)
                VALUES (@id, @DeliveredOn, @ParticipantsAttended, @Summary, @Strengths, @Weaknesses, @recommendations, @OverallRating)
                """,
                values, transaction);
            var created = await ReadAsync(db, id, transaction);
            write.Commit();
            return TypedResults.Created($"/api/courses/{id}/evaluation-report", created!);
        }

        if (!ifMatch.Matches(current.Version))
        {
            return Problems.PreconditionFailed();
        }

        if (current.State != ReportState.Draft)
        {
            return Problems.Conflict($"The report is {current.State.ToWire()}: only a draft can be written.");
        }

        await db.ExecuteAsync(
            """
            UPDATE evaluation_reports SET delivered_on = @DeliveredOn, participants_attended = @ParticipantsAttended, summary = @Summary,
                strengths = @Strengths, weaknesses = @Weaknesses, recommendations = @recommendations, overall_rating = @OverallRating,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE course_id = @id
            """,
            values, transaction);
        var report = await ReadAsync(db, id, transaction);
        write.Commit();
        return TypedResults.Ok(report!);
    }

    // A report is on a course that took place: submitted once the course is delivered and its attendance recorded
    // (participantsAttended and the figures mean nothing before), accepted while the course is delivered.
    private static Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> SubmitReport(int id, IfMatch ifMatch, Caller caller, SqliteConnection db) =>
        MoveAsync(id, ifMatch, caller, db, ReportState.Draft,
            course => course.IsExpert(caller) ? null : "Only the course's country expert submits its evaluation report.",
            async (course, transaction) =>
                course.Status != "delivered"
                    ? $"Course {id} is {course.Status}: a report is submitted once the course is delivered."
                    : !await db.ExecuteScalarAsync<bool>(
                        "SELECT EXISTS (SELECT 1 FROM attendance a JOIN course_sessions s ON s.id = a.session_id WHERE s.course_id = @id)",
                        new { id }, transaction)
                        ? $"Course {id} has no attendance recorded: record it (PUT /api/courses/{id}/sessions/{{sessionId}}/attendance) before submitting."
                        : null,
            """
            UPDATE evaluation_reports SET state = 'submitted', submitted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), submitted_by = @userId,
                return_comment = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE course_id = @id
            """,
            null);

    private static Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> AcceptReport(int id, IfMatch ifMatch, Caller caller, SqliteConnection db) =>
        MoveAsync(id, ifMatch, caller, db, ReportState.Submitted, _ => null,
            (course, _) => Task.FromResult(course.Status != "delivered"
                ? $"Course {id} is {course.Status}: a report is accepted while its course is delivered, which acceptance makes evaluated."
                : null),
            """
            UPDATE evaluation_reports SET state = 'accepted', accepted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), accepted_by = @userId,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE course_id = @id;
            UPDATE courses SET status = 'evaluated', version = version + 1 WHERE id = @id;
            """,
            null);

    private static Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> ReturnReport(
        int id, ReturnReportRequest request, IfMatch ifMatch, Caller caller, SqliteConnection db) =>
        MoveAsync(id, ifMatch, caller, db, ReportState.Submitted, _ => null, null,
            """
            UPDATE evaluation_reports SET state = 'draft', return_comment = @comment,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE course_id = @id
            """,
            request.Comment);

    /// <summary>One workflow step: the course in the caller's scope, the caller allowed, the report in the expected state, then the update.</summary>
    private static async Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> MoveAsync(
        int id, IfMatch ifMatch, Caller caller, SqliteConnection db, ReportState from, Func<EvaluationCourse, string?> forbidden,
        Func<EvaluationCourse, SqliteTransaction, Task<string?>>? conflict, string update, string? comment)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await EvaluationCourse.ReadAsync(db, id, caller, transaction);
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        if (forbidden(course) is { } reason)
        {
            return Problems.Forbidden(reason);
        }

        var current = await ReadStateAsync(db, id, transaction);
        if (current is null)
        {
            return Problems.NotFound("Evaluation report of course", id);
        }

        if (!ifMatch.Matches(current.Version))
        {
            return Problems.PreconditionFailed();
        }

        if (current.State != from)
        {
            return Problems.Conflict($"The report is {current.State.ToWire()}; this step needs it {from.ToWire()}.");
        }

        if (conflict is not null && await conflict(course, transaction) is { } why)
        {
            return Problems.Conflict(why);
        }

        await db.ExecuteAsync(update, new { id, userId = caller.UserId, comment }, transaction);
        await Mail.ReportMail.MovedAsync(db, transaction, id); // submitted: the steering group; returned: the expert
        var report = await ReadAsync(db, id, transaction);
        write.Commit();
        return TypedResults.Ok(report!);
    }

    private static Task<StateRow?> ReadStateAsync(SqliteConnection db, int id, SqliteTransaction transaction) =>
        db.QuerySingleOrDefaultAsync<StateRow>(
            "SELECT state AS State, version AS Version FROM evaluation_reports WHERE course_id = @id", new { id }, transaction);

    private static async Task<EvaluationReportDto?> ReadAsync(SqliteConnection db, int id, SqliteTransaction? transaction)
    {
        var row = await db.QuerySingleOrDefaultAsync<ReportRow>(SelectReport + " WHERE r.course_id = @id", new { id }, transaction);
        return row is null ? null : row.ToDto(await ReadFiguresAsync(db, id, transaction));
    }

    /// <summary>
    /// Three statements in one round trip, on the shared definitions of Reports/Training.cs: completions (trained), the
    /// "overall" question, and the pre/post pairing by code that the dashboard and the course summary use.
    /// </summary>
    private const string FiguresSql = $"""
        WITH scoped AS MATERIALIZED (SELECT id FROM courses WHERE id = @id),
        {Training.CompletionsCte}
        SELECT p.sector AS Sector, p.seniority AS Seniority, COUNT(*) AS Enrolled, COALESCE(SUM(co.trained), 0) AS Trained
        FROM completions co JOIN participants p ON p.id = co.participant_id
        GROUP BY p.sector, p.seniority;

        SELECT (SELECT COUNT(*) FROM evaluation_responses r WHERE r.course_id = @id AND r.purpose = 'reaction') AS Responses,
               (SELECT ROUND(AVG(a.number_value), 4)
                FROM evaluation_responses r
                JOIN evaluation_answers a ON a.response_id = r.id AND a.question_key = '{Training.OverallQuestionKey}'
                WHERE r.course_id = @id AND r.purpose = 'reaction' AND r.form_id IN ({Training.OverallFormsSql})) AS MeanOverall;

        SELECT COUNT(*) AS Pairs, ROUND(AVG(pre.score), 4) AS MeanPre, ROUND(AVG(post.score), 4) AS MeanPost,
               ROUND(AVG(post.score - pre.score), 4) AS MeanGain
        FROM evaluation_responses pre
        JOIN evaluation_responses post ON post.code_id = pre.code_id AND post.purpose = 'postTest' AND post.course_id = pre.course_id
        WHERE pre.course_id = @id AND pre.purpose = 'preTest' AND pre.code_id IS NOT NULL AND pre.score IS NOT NULL AND post.score IS NOT NULL;
        """;

    private static async Task<ReportFigures> ReadFiguresAsync(SqliteConnection db, int id, SqliteTransaction? transaction)
    {
        using var results = await db.QueryMultipleAsync(FiguresSql, new { id }, transaction);
        var groups = (await results.ReadAsync<FigureGroup>()).ToList();
        var evaluation = await results.ReadSingleAsync<ResponseFigures>();
        var knowledge = await results.ReadSingleAsync<Reports.KnowledgeGainDto>();
        var enrolled = groups.Sum(g => g.Enrolled);
        return new ReportFigures
        {
            Enrolled = enrolled,
            Trained = groups.Sum(g => g.Trained),
            BySector = Headcounts(groups, g => g.Sector, Training.Sectors),
            BySeniority = Headcounts(groups, g => g.Seniority, Seniorities),
            Responses = evaluation.Responses,
            ResponseRate = enrolled == 0 ? null : Math.Round(evaluation.Responses * 1.0 / enrolled, 4),
            // A report travels (to the steering group, into minutes): a mean of fewer than 3 responses or pairs is one or two
            // people's answers, so the report carries its count only, for every reader.
            MeanOverall = evaluation.Responses >= EvaluationSummaryApi.MinGroup ? evaluation.MeanOverall : null,
            KnowledgeGain = knowledge.Pairs >= EvaluationSummaryApi.MinGroup
                ? knowledge
                : knowledge with { MeanPre = null, MeanPost = null, MeanGain = null },
        };
    }

    private static readonly IReadOnlyList<string> Seniorities = ["senior", "field"];

    /// <summary>The (at most 18) sector × seniority groups folded to one side, every known key present.</summary>
    private static Dictionary<string, ReportHeadcount> Headcounts(List<FigureGroup> groups, Func<FigureGroup, string> key, IReadOnlyList<string> keys)
    {
        var result = keys.ToDictionary(k => k, _ => new ReportHeadcount(0, 0), StringComparer.Ordinal);
        foreach (var g in groups.GroupBy(key))
        {
            result[g.Key] = new ReportHeadcount(g.Sum(x => x.Enrolled), g.Sum(x => x.Trained));
        }

        return result;
    }

    private sealed record FigureGroup
    {
        public required string Sector { get; init; }

        public required string Seniority { get; init; }

        public int Enrolled { get; init; }

        public int Trained { get; init; }
    }

    private sealed record ResponseFigures
    {
        public int Responses { get; init; }

        public double? MeanOverall { get; init; }
    }

    private sealed record StateRow
    {
        public ReportState State { get; init; }

        public long Version { get; init; }
    }

    private sealed record ReportRow
    {
        public int CourseId { get; init; }

        public DateOnly? DeliveredOn { get; init; }

        public int? ParticipantsAttended { get; init; }

        public string? Summary { get; init; }

        public string? Strengths { get; init; }

        public string? Weaknesses { get; init; }

        public required string RecommendationsJson { get; init; }

        public int? OverallRating { get; init; }

        public ReportState State { get; init; }

        public string? ReturnComment { get; init; }

        public DateTime? SubmittedAt { get; init; }

        public DateTime? AcceptedAt { get; init; }

        public DateTime UpdatedAt { get; init; }

        public long Version { get; init; }

        public EvaluationReportDto ToDto(ReportFigures figures) => new()
        {
            Figures = figures,
            CourseId = CourseId,
            DeliveredOn = DeliveredOn,
            ParticipantsAttended = ParticipantsAttended,
            Summary = Summary,
            Strengths = Strengths,
            Weaknesses = Weaknesses,
            Recommendations = JsonSerializer.Deserialize<List<string>>(RecommendationsJson) ?? [],
            OverallRating = OverallRating,
            State = State,
            ReturnComment = ReturnComment,
            SubmittedAt = SubmittedAt,
            AcceptedAt = AcceptedAt,
            UpdatedAt = UpdatedAt,
            Version = Version,
        };
    }
}
