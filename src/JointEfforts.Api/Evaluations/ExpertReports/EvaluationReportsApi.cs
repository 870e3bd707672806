using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Evaluations.Figures;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Evaluations;

/// <summary>
/// draft → submitted → accepted, or submitted → draft (returned with a comment). The course's country expert
/// writes and submits; the steering group accepts or returns; admin may do either. Every move reads the state and
/// writes in one BEGIN IMMEDIATE transaction, so two reviewers cannot both act on one submission.
/// </summary>
public static partial class EvaluationReportsApi
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
                         "prefilled from the data (deliveredOn = the course's end date, participantsAttended = trained; version 0, updatedAt null). " +
                         "?asOf=YYYY-MM-DD: the figures as they stood at the end of that day (400 naming asOf outside 1900-01-01..2100-12-31).")
            .ProducesValidationProblem();
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
        [AsParameters] PageRequest paging, [AsParameters] EvaluationReportQuery query, Caller caller, DbConnection db)
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

    private static async Task<Results<Ok<EvaluationReportDto>, ProblemHttpResult>> GetReport(
        int id, [Description(Snapshot.AsOfDescription)] Programmes.AsOf? asOf, Caller caller, DbConnection db, TimeProvider time) =>
        await ReportAsync(db, caller, id, new FiguresAsOf(asOf?.Date, Programmes.AsOf.Or(null, time))) is { } report
            ? TypedResults.Ok(report)
            : Problems.NotFound("Course", id);

    /// <summary>
    /// The draft an expert starts from: what the data already says (the course's last day, the number trained) so the
    /// expert corrects figures instead of copying them. Not stored until the expert writes it (version 0).
    /// </summary>
    private static async Task<EvaluationReportDto> PrefilledAsync(
        DbConnection db, EvaluationCourse course, Caller caller, DbTransaction? transaction, FiguresAsOf asOf = default)
    {
        var figures = await ReadFiguresAsync(db, course.Id, caller, transaction, asOf);
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
        int id, EvaluationReportRequest request, IfMatch ifMatch, Caller caller, DbConnection db) =>
        await WriteAsync(db, caller, id, request, ifMatch) switch
        {
            Outcome<WrittenReport>.Stored { Value.Created: true } stored => TypedResults.Created($"/api/courses/{id}/evaluation-report", stored.Value.Report),
            Outcome<WrittenReport>.Stored stored => TypedResults.Ok(stored.Value.Report),
            Outcome<WrittenReport>.Invalid invalid => invalid.ValidationProblem(),
            var other => other.Problem(),
        };

    /// <summary>
    /// The report as it stands, or the prefilled draft an expert starts from (the JSON route's GET and the workspace's report
    /// page): null when the course is not in the caller's scope. <paramref name="asOf"/>: its figures as of a day (default: now).
    /// </summary>
    public static async Task<EvaluationReportDto?> ReportAsync(DbConnection db, Caller caller, int id, FiguresAsOf asOf = default)
    {
        var course = await EvaluationCourse.ReadAsync(db, id, caller);
        return course is null ? null : (await ReadAsync(db, id, caller, null, asOf)) ?? await PrefilledAsync(db, course, caller, null, asOf);
    }

    /// <summary>
    /// Writes the draft (the JSON route's PUT and the workspace's report page): the course's country expert, a course that took
    /// place, participantsAttended at most the number enrolled, deliveredOn within the course's dates. One write.
    /// </summary>
    public static async Task<Outcome<WrittenReport>> WriteAsync(DbConnection db, Caller caller, int id, EvaluationReportRequest request, IfMatch ifMatch)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await EvaluationCourse.ReadAsync(db, id, caller, transaction);
        if (course is null)
        {
            return new Outcome<WrittenReport>.NotFound("Course", id);
        }

        if (!course.IsExpert(caller))
        {
            return new Outcome<WrittenReport>.Forbidden("Only the course's country expert writes its evaluation report.");
        }

        if (course.Status is "draft" or "cancelled")
        {
            return new Outcome<WrittenReport>.Conflict($"Course {id} is {course.Status}: there is nothing to report on.");
        }

        var figures = await ReadFiguresAsync(db, id, caller, transaction);
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
            return new Outcome<WrittenReport>.Invalid(errors);
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
                return new Outcome<WrittenReport>.PreconditionFailed();
            }

            await db.ExecuteAsync(
                """
                INSERT INTO evaluation_reports (course_id, delivered_on, participants_attended, summary, strengths, weaknesses, recommendations, overall_rating)
                VALUES (@id, @DeliveredOn, @ParticipantsAttended, @Summary, @Strengths, @Weaknesses, @recommendations, @OverallRating)
                """,
                values, transaction);
            var created = await ReadAsync(db, id, caller, transaction);
            write.Commit();
            return new Outcome<WrittenReport>.Stored(new WrittenReport(created!, true));
        }

        if (!ifMatch.Matches(current.Version))
        {
            return new Outcome<WrittenReport>.PreconditionFailed();
        }

        if (current.State != ReportState.Draft)
        {
            return new Outcome<WrittenReport>.Conflict($"The report is {current.State.ToWire()}: only a draft can be written.");
        }

        await db.ExecuteAsync(
            db.Sql("""
            UPDATE evaluation_reports SET delivered_on = @DeliveredOn, participants_attended = @ParticipantsAttended, summary = @Summary,
                strengths = @Strengths, weaknesses = @Weaknesses, recommendations = @recommendations, overall_rating = @OverallRating,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), version = version + 1
            WHERE course_id = @id
            """),
            values, transaction);
        var report = await ReadAsync(db, id, caller, transaction);
        write.Commit();
        return new Outcome<WrittenReport>.Stored(new WrittenReport(report!, false));
    }
}

/// <summary>A written report, and whether this write created it (201) or changed it (200).</summary>
public sealed record WrittenReport(EvaluationReportDto Report, bool Created);
