using System.Data.Common;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Reports;

public static class ReportsApi
{
    private const string Definitions = """
        Definitions, shared by the dashboard and both workbooks:
        - **trained**: a participant with a live enrolment (status `enrolled`) in a course whose attendance rate,
          sessions attended present or late / sessions of the course, is at least the course's `completionThreshold`.
          A course without sessions, or cancelled, trains nobody.
        - **participantsEnrolled / participantsTrained** count distinct people: someone trained in two courses counts once
          (the programme's target counts people). Cancelled courses are left out of both and of `sectorMix`
          (distinct enrolled participants by sector); they still count in `coursesByStatus` and `coursesByCountry`.
        - **asOf** (`?asOf=YYYY-MM-DD` between 1900-01-01 and 2100-12-31, default today, UTC; anything else is a 400 naming `asOf`): the day the figures are judged on.
          A milestone counts as completed when `completedOn` is on or before `asOf`; **milestonesOverdue**: not completed by `asOf`
          and `dueDate` before it. `progress` = completed / milestones, 0 without any. Meetings **held**: ended on or before `asOf`;
          **upcoming**: ending after it, by start date.
        - **byCountry**: by the course's country; `courses` counts cancelled ones too (as `coursesByCountry`), people are counted once
          per country. **seniorityMix**: distinct enrolled participants by seniority. Means and shares carry 4 decimals.
        - **responses**: reaction responses (online and paper). **meanOverall**: mean of the answers (1..5) to the `likert5`
          question keyed `overall` in reaction responses; null when no form asks it. Every question's own mean is in the course workbook.
        - **knowledgeGain**: pre- and post-test responses of the same course sharing an evaluation code: `pairs`, mean scores (0..1)
          and mean gain (post − pre).
        - **Small groups**: a mean of fewer than 3 responses (programme or country) or a knowledge gain of fewer than 3 pairs is
          null for everyone but admin; the counts stay (API.md, "Anonymity of evaluations").
        """;

    /// <summary>Routes of dashboard and Excel workbooks.</summary>
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var programmes = app.MapGroup("/api/projects")
            .WithTags("Reports")
            .RequireAuthorization(Policies.Reader)
            .WithStandardProblems();
        programmes.MapGet("/{id:int}/dashboard", GetDashboard).WithName("GetProgrammeDashboard")
            .WithSummary("A programme's phase progress, training against its target, evaluation and recommendations (admin, coordinator, steering group).")
            .WithDescription(Definitions)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        programmes.MapGet("/{id:int}/steering-report.xlsx", GetSteeringReport).WithName("GetSteeringReport")
            .WithSummary("The steering group's programme workbook, printable: sheets Overview, Phases, Milestones, Courses, Evaluation, Meetings, Reports, Recommendations with charts; no participant names or e-mails (admin, coordinator, steering group).")
            .WithDescription(Definitions)
            .Produces(StatusCodes.Status200OK, typeof(Stream), Workbooks.ContentType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var courses = app.MapGroup("/api/courses")
            .WithTags("Reports")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems();
        courses.MapGet("/{id:int}/evaluation-report.xlsx", GetCourseEvaluationReport).WithName("GetCourseEvaluationWorkbook")
            .WithSummary("A course's evaluation workbook, printable: sheets Summary, Attendance, Questions (English beside the course language), Comments, Participants, with charts (admin, coordinator, steering group; a country expert for courses of their country, else 404).")
            .WithDescription(Definitions + """

                The Participants sheet holds the sector mix for everyone; admins and coordinators also get the participants
                by name and organisation with their attendance. No workbook ever holds e-mail addresses: a downloaded file
                leaves the API's access control, so contact data stays in the API. Comments are listed in random order, and a
                question with fewer than 3 answers shows only its count (admins see its figures).
                """)
            .Produces(StatusCodes.Status200OK, typeof(Stream), Workbooks.ContentType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<DashboardDto>, ProblemHttpResult, ValidationProblem>> GetDashboard(
        int id, string? asOf, Caller caller, DbConnection db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TryReadAsOf(asOf, time, out var day))
        {
            return AsOfProblem(asOf);
        }

        return await DashboardQuery.ReadAsync(db, id, day, caller.Is(Role.Admin), cancellationToken, caller.UserId, Programmes.AsOf.Or(null, time)) is { } dashboard
            ? TypedResults.Ok(dashboard)
            : Problems.NotFound("Programme", id);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult, ValidationProblem>> GetSteeringReport(
        int id, string? asOf, Caller caller, DbConnection db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TryReadAsOf(asOf, time, out var day))
        {
            return AsOfProblem(asOf);
        }

        return await SteeringWorkbook.CreateAsync(db, id, day, caller.Is(Role.Admin), cancellationToken, caller.UserId, Programmes.AsOf.Or(null, time)) is { } workbook
            ? TypedResults.File(workbook.Content, Workbooks.ContentType, workbook.FileName)
            : Problems.NotFound("Programme", id);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult, ValidationProblem>> GetCourseEvaluationReport(
        int id, string? asOf, Caller caller, DbConnection db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TryReadAsOf(asOf, time, out var day))
        {
            return AsOfProblem(asOf);
        }

        var audience = caller.Is(Role.Admin, Role.Coordinator)
            ? caller.Is(Role.Admin) ? CourseWorkbook.Audience.Admin : CourseWorkbook.Audience.Coordinator
            : CourseWorkbook.Audience.Others;
        return await CourseWorkbook.CreateAsync(db, id, caller.CountryScope, audience, day, caller.UserId, cancellationToken, Programmes.AsOf.Or(null, time)) is { } workbook
            ? TypedResults.File(workbook.Content, Workbooks.ContentType, workbook.FileName)
            : Problems.NotFound("Course", id);
    }

    /// <summary><c>?asOf=YYYY-MM-DD</c> read by the one parser of Programmes/AsOf.cs (1900-01-01..2100-12-31); today (UTC) when absent.</summary>
    private static bool TryReadAsOf(string? asOf, TimeProvider time, out DateOnly day)
    {
        if (string.IsNullOrEmpty(asOf))
        {
            day = Programmes.AsOf.Or(null, time);
            return true;
        }

        return Programmes.AsOf.TryRead(asOf, out day);
    }

    private static ValidationProblem AsOfProblem(string? asOf) => Problems.Validation("asOf", Programmes.AsOf.Message(asOf));
}
