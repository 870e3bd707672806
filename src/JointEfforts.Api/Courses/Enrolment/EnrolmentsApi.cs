using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Courses;

/// <summary>Enrolments in a course: the seats, the waitlist, withdrawals.</summary>
public static class EnrolmentsApi
{
    public static IEndpointRouteBuilder MapEnrolments(this IEndpointRouteBuilder app)
    {
        var courses = app.MapGroup("/api/courses")
            .WithTags("Courses")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();
        courses.MapPost("/{id:int}/enrolments", Enrol).WithName("Enrol")
            .WithSummary("Enrol a participant in an open course (coordinator): enrolled while seats are free, else waitlisted in arrival order.")
            .WithDescription("""
                Only an open course takes enrolments (409 otherwise, also when closed: reopen it first). The count and the insert run in
                one BEGIN IMMEDIATE transaction, so no concurrency ever puts more than maxParticipants enrolled. A participant with a live
                (enrolled or waitlisted) enrolment in the course is a 409; after a withdrawal they may enrol again, at the back.
                An unknown or erased participant is a 400 naming participantId.
                """)
            .RequireAuthorization(Policies.Coordinator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        courses.MapGet("/{id:int}/enrolments", ListEnrolments).WithName("ListEnrolments")
            .WithSummary("List a course's enrolments in arrival order, with waitlist positions; filter by status. Country experts: their country only.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        courses.MapGet("/{id:int}/enrolments/{enrolmentId:int}", GetEnrolment).WithName("GetEnrolment")
            .WithSummary("Read an enrolment.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        courses.MapDelete("/{id:int}/enrolments/{enrolmentId:int}", Withdraw).WithName("WithdrawEnrolment")
            .WithSummary("Withdraw an enrolment (coordinator); a freed seat goes to the first waitlisted in the same transaction. Honours If-Match.")
            .WithDescription("The enrolment is kept as withdrawn (history and counts); withdrawing it again is a 409. Not once the course is delivered, evaluated or cancelled (409).")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return app;
    }

    private static async Task<Results<Created<EnrolmentDto>, ValidationProblem, ProblemHttpResult>> Enrol(
        int id, EnrolmentRequest request, DbConnection db) =>
        await EnrolmentService.EnrolAsync(db, id, request.ParticipantId!.Value) switch
        {
            Outcome<EnrolmentDto>.Stored stored => TypedResults.Created($"/api/courses/{id}/enrolments/{stored.Value.Id}", stored.Value),
            Outcome<EnrolmentDto>.Invalid invalid => invalid.ValidationProblem(),
            var refused => refused.Problem(),
        };

    private static async Task<Results<Ok<Paged<EnrolmentDto>>, ProblemHttpResult>> ListEnrolments(
        int id, [AsParameters] PageRequest paging, [AsParameters] EnrolmentQuery query, Caller caller, DbConnection db)
    {
        const string where = " WHERE e.course_id = @id AND (@status IS NULL OR e.status = @status)";
        using var results = await db.QueryMultipleAsync(
            "SELECT EXISTS (SELECT 1 FROM courses c WHERE c.id = @id" + CoursesApi.Scope + ");"
            + Enrolments.SelectEnrolment + where + " ORDER BY e.id LIMIT @limit OFFSET @offset;"
            + "SELECT COUNT(*) FROM enrolments e" + where,
            new { id, status = query.Status.ToWire(), country = caller.CountryScope, limit = paging.Size, offset = paging.Offset });
        if (!await results.ReadSingleAsync<bool>())
        {
            return Problems.NotFound("Course", id);
        }

        var items = await results.ReadAsync<EnrolmentDto>();
        var total = await results.ReadSingleAsync<int>();
        return TypedResults.Ok(Paged<EnrolmentDto>.Of(items, paging, total));
    }

    private static async Task<Results<Ok<EnrolmentDto>, ProblemHttpResult>> GetEnrolment(int id, int enrolmentId, Caller caller, DbConnection db)
    {
        var enrolment = await db.QuerySingleOrDefaultAsync<EnrolmentDto>(
            Enrolments.SelectEnrolment + " JOIN courses c ON c.id = e.course_id WHERE e.id = @enrolmentId AND e.course_id = @id" + CoursesApi.Scope,
            new { id, enrolmentId, country = caller.CountryScope });
        return enrolment is null ? Problems.NotFound("Enrolment", enrolmentId) : TypedResults.Ok(enrolment);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Withdraw(int id, int enrolmentId, IfMatch ifMatch, DbConnection db) =>
        await EnrolmentService.WithdrawAsync(db, id, enrolmentId, ifMatch) switch
        {
            Outcome<EnrolmentService.Withdrawal>.Stored => TypedResults.NoContent(),
            var refused => refused.Problem(),
        };
}
