using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
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

    public DateTime UpdatedAt { get; init; }
}

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
            .WithSummary("Read the course's evaluation report with its state, returnComment, submittedAt and acceptedAt. Every role; a " +
                         "country expert only for their country's courses. 404 until the expert first writes it.");
        group.MapPut("/", WriteReport).WithName("WriteEvaluationReport")
            .WithSummary("Write the report (the course's country expert: courses.countryExpertUserId, or any expert of the course's country " +
                         "when it names none; others 403). 201 the first time, then 200; honours If-Match. Only a draft is written: 409 " +
                         "once submitted or accepted. A draft or cancelled course has no report (409)." + Json.PutReplaces)
            .RequireAuthorization(Policies.CountryExpert)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/submit", SubmitReport).WithName("SubmitEvaluationReport")
            .WithSummary("Submit the draft to the steering group (the course's country expert): state submitted, submittedAt now. Not a draft: 409. Honours If-Match.")
            .RequireAuthorization(Policies.CountryExpert)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/accept", AcceptReport).WithName("AcceptEvaluationReport")
            .WithSummary("Accept a submitted report (steering group): state accepted, acceptedAt now. Not submitted: 409. Honours If-Match.")
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
        return app;
    }

    private static async Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> GetReport(int id, Caller caller, SqliteConnection db)
    {
        var report = await db.QuerySingleOrDefaultAsync<ReportRow>(
            SelectReport + " JOIN courses c ON c.id = r.course_id WHERE r.course_id = @id AND (@country IS NULL OR c.country_code = @country)",
            new { id, country = caller.CountryScope });
        return report is null ? Problems.NotFound("Evaluation report of course", id) : TypedResults.Ok(report.ToDto());
    }

    private static async Task<Results<Ok<EvaluationReportDto>, Created<EvaluationReportDto>, ValidationProblem, ProblemHttpResult>> WriteReport(
        int id, EvaluationReportRequest request, IfMatch ifMatch, Caller caller, SqliteConnection db)
    {
        using var transaction = db.BeginTransaction();
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
            if (ifMatch is { Present: true, Any: false })
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
            transaction.Commit();
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
        transaction.Commit();
        return TypedResults.Ok(report!);
    }

    private static Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> SubmitReport(int id, IfMatch ifMatch, Caller caller, SqliteConnection db) =>
        MoveAsync(id, ifMatch, caller, db, ReportState.Draft,
            course => course.IsExpert(caller) ? null : "Only the course's country expert submits its evaluation report.",
            """
            UPDATE evaluation_reports SET state = 'submitted', submitted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), submitted_by = @userId,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE course_id = @id
            """,
            null);

    private static Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> AcceptReport(int id, IfMatch ifMatch, Caller caller, SqliteConnection db) =>
        MoveAsync(id, ifMatch, caller, db, ReportState.Submitted, _ => null,
            """
            UPDATE evaluation_reports SET state = 'accepted', accepted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), accepted_by = @userId,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE course_id = @id
            """,
            null);

    private static Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> ReturnReport(
        int id, ReturnReportRequest request, IfMatch ifMatch, Caller caller, SqliteConnection db) =>
        MoveAsync(id, ifMatch, caller, db, ReportState.Submitted, _ => null,
            """
            UPDATE evaluation_reports SET state = 'draft', return_comment = @comment,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE course_id = @id
            """,
            request.Comment);

    /// <summary>One workflow step: the course in the caller's scope, the caller allowed, the report in the expected state, then the update.</summary>
    private static async Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> MoveAsync(
        int id, IfMatch ifMatch, Caller caller, SqliteConnection db, ReportState from, Func<EvaluationCourse, string?> forbidden,
        string update, string? comment)
    {
        using var transaction = db.BeginTransaction();
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

        await db.ExecuteAsync(update, new { id, userId = caller.UserId, comment }, transaction);
        var report = await ReadAsync(db, id, transaction);
        transaction.Commit();
        return TypedResults.Ok(report!);
    }

    private static Task<StateRow?> ReadStateAsync(SqliteConnection db, int id, SqliteTransaction transaction) =>
        db.QuerySingleOrDefaultAsync<StateRow>(
            "SELECT state AS State, version AS Version FROM evaluation_reports WHERE course_id = @id", new { id }, transaction);

    private static async Task<EvaluationReportDto?> ReadAsync(SqliteConnection db, int id, SqliteTransaction transaction) =>
        (await db.QuerySingleOrDefaultAsync<ReportRow>(SelectReport + " WHERE r.course_id = @id", new { id }, transaction))?.ToDto();

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

        public EvaluationReportDto ToDto() => new()
        {
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
