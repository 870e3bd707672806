using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

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
        - **milestonesOverdue**: not completed and `dueDate` before `asOf` (today, UTC). `progress` = completed / milestones, 0 without any.
        - **responses**: reaction responses (online and paper). **meanOverall**: mean of the answers (1..5) to the `likert5`
          question keyed `overall` in reaction responses; null when no form asks it. Every question's own mean is in the course workbook.
        - **knowledgeGain**: pre- and post-test responses of the same course sharing an evaluation code: `pairs`, mean scores (0..1)
          and mean gain (post − pre).
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
            .ProducesProblem(StatusCodes.Status404NotFound);
        programmes.MapGet("/{id:int}/steering-report.xlsx", GetSteeringReport).WithName("GetSteeringReport")
            .WithSummary("The steering group's programme workbook: sheets Phases, Milestones, Courses, Evaluation, Recommendations; no participant names or e-mails (admin, coordinator, steering group).")
            .WithDescription(Definitions)
            .Produces(StatusCodes.Status200OK, typeof(Stream), Workbooks.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var courses = app.MapGroup("/api/courses")
            .WithTags("Reports")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems();
        courses.MapGet("/{id:int}/evaluation-report.xlsx", GetCourseEvaluationReport).WithName("GetCourseEvaluationWorkbook")
            .WithSummary("A course's evaluation workbook: sheets Summary, Attendance, Questions (English beside the course language), Comments, Participants (admin, coordinator, steering group; a country expert for courses of their country, else 404).")
            .WithDescription(Definitions + """

                The Participants sheet holds the sector mix for everyone; admins and coordinators also get the participants
                by name and organisation with their attendance. No workbook ever holds e-mail addresses: a downloaded file
                leaves the API's access control, so contact data stays in the API.
                """)
            .Produces(StatusCodes.Status200OK, typeof(Stream), Workbooks.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<DashboardDto>, ProblemHttpResult>> GetDashboard(
        int id, SqliteConnection db, TimeProvider time, CancellationToken cancellationToken) =>
        await DashboardQuery.ReadAsync(db, id, Today(time), cancellationToken) is { } dashboard
            ? TypedResults.Ok(dashboard)
            : Problems.NotFound("Programme", id);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetSteeringReport(
        int id, SqliteConnection db, TimeProvider time, CancellationToken cancellationToken)
    {
        var today = Today(time);
        var workbook = await SteeringWorkbook.CreateAsync(db, id, today, cancellationToken);
        return workbook is null
            ? Problems.NotFound("Programme", id)
            : TypedResults.File(workbook, Workbooks.ContentType, SteeringWorkbook.FileName(id, today));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetCourseEvaluationReport(
        int id, Caller caller, SqliteConnection db, CancellationToken cancellationToken)
    {
        var withNames = caller.Is(Role.Admin, Role.Coordinator);
        var workbook = await CourseWorkbook.CreateAsync(db, id, caller.CountryScope, withNames, cancellationToken);
        return workbook is null
            ? Problems.NotFound("Course", id)
            : TypedResults.File(workbook, Workbooks.ContentType, CourseWorkbook.FileName(id));
    }

    private static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
