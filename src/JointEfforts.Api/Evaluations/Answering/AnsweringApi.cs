using System.ComponentModel;
using System.Data.Common;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Evaluations.Answering;

/// <summary>
/// The anonymous form and answers (JSON), and paper forms. No route returns one response, its id or its time (API.md,
/// "Anonymity of evaluations"): answers are read only as aggregates (EvaluationSummaryApi, the workbooks). The rules are
/// <see cref="AnsweringService"/>'s; this file says what each <see cref="AnswerOutcome"/> is on the wire.
/// </summary>
public static class AnsweringApi
{
    public static IEndpointRouteBuilder MapEvaluationAnswering(this IEndpointRouteBuilder app)
    {
        // Participants hold no token: a code is their only credential, so these routes are limited per client IP.
        var anonymous = app.MapGroup("/api/evaluations")
            .WithTags("Evaluation (participants, anonymous)")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimiting.Anonymous)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        anonymous.MapGet("/form", GetParticipantForm).WithName("GetParticipantForm")
            .WithSummary("Anonymous, rate limited per client IP. The form of the code's course for ?purpose= (default reaction), in the course " +
                         "language (or ?lang= when the form has it), without right answers. A code already used for that purpose shows the " +
                         "form too: only answers that would be stored learn it was used (no probing which slips were used, issue 23). " +
                         "Unknown code or no form of that purpose: 404; malformed code: 400. Unknown and malformed codes count against " +
                         "JointEfforts:RateLimits:FailedCodesPerHour per client IP and slip prefix (the code's first four characters) and " +
                         "FailedCodesPerAddressPerHour per client IP; beyond either, every look-up it covers is a 429.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        anonymous.MapPost("/", SubmitAnswers).WithName("SubmitEvaluation")
            .WithSummary("Anonymous, rate limited per client IP. Answer the form with a code, once per purpose: 201 with a receipt (the " +
                         "score of a knowledge test; no id, no time). Unknown code 404; answers checked against the form first (errors named " +
                         "answers.<key>, for a used code as for any), then a code used for that purpose 409, also when submitted " +
                         "concurrently, counted as a failed look-up; the course no longer takes answers (not open, closed or " +
                         "delivered), or already has as many answers of this purpose as enrolled, 409. Unknown, malformed and used codes count against FailedCodesPerHour (per client IP " +
                         "and slip prefix) and FailedCodesPerAddressPerHour (429 beyond). A reaction response keeps no link to its code.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var staff = app.MapGroup("/api")
            .WithTags("Evaluation (courses)")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();
        staff.MapPost("/courses/{id:int}/evaluations", EnterPaperForm).WithName("EnterPaperEvaluation")
            .WithSummary("Enter a paper form (coordinator, or the course's expert): the same answer rules as online, no code, so paper " +
                         "tests do not pair into knowledgeGain. 201 with a receipt (no id, no time: no route returns one response). " +
                         "The course must be open, closed or delivered (409); paper and coded answers together never exceed the " +
                         "number enrolled, per purpose (409).")
            .RequireAuthorization(Policies.CourseStaff)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Ok<ParticipantFormDto>, ValidationProblem, ProblemHttpResult>> GetParticipantForm(
        [Description("The code on the slip.")] string? code,
        [Description("reaction (default), preTest, postTest.")] EnumQuery<EvaluationPurpose>? purpose,
        [Description("A language of the form; default the course language.")] string? lang,
        HttpContext http,
        AnsweringService answering) =>
        await answering.ReadFormAsync(ClientAddress.Of(http), code, purpose?.Value ?? EvaluationPurpose.Reaction, lang) switch
        {
            AnswerOutcome.Form { Shown: var form } => TypedResults.Ok(form),
            AnswerOutcome.Invalid { Errors: var errors } => Problems.Validation(errors),
            var refused => Refusal(http, refused),
        };

    private static async Task<Results<Created<EvaluationReceipt>, ValidationProblem, ProblemHttpResult>> SubmitAnswers(
        AnonymousEvaluationRequest request, HttpContext http, AnsweringService answering)
    {
        var command = new AnswerCommand(request.Code, request.Purpose ?? EvaluationPurpose.Reaction, request.Language, _ => request.Answers!);
        return await answering.SubmitAsync(ClientAddress.Of(http), command) switch
        {
            // No Location: there is no route that returns one response.
            AnswerOutcome.Stored { Receipt: var receipt } => TypedResults.Created((string?)null, receipt),
            AnswerOutcome.Invalid { Errors: var errors } => Problems.Validation(errors),
            var refused => Refusal(http, refused),
        };
    }

    /// <summary>The problem the JSON routes answer for an outcome that is no form, no stored answers and no field errors.</summary>
    private static ProblemHttpResult Refusal(HttpContext http, AnswerOutcome outcome)
    {
        switch (outcome)
        {
            case AnswerOutcome.Limited { RetryAfter: var retryAfter }:
                http.Response.Headers.RetryAfter = RateLimiting.RetryAfterSeconds(retryAfter);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: "Too many unknown codes were tried from this address; retry after the number of seconds in Retry-After.");
            case AnswerOutcome.NoForm { Purpose: var purpose }:
                return Problems.NotFound("Form", $"'{purpose.ToWire()}' of this code's course");
            case AnswerOutcome.Used { Purpose: var purpose }:
                return Problems.Conflict($"This code has already been used for the {purpose.ToWire()} form.");
            case AnswerOutcome.Closed { Detail: var detail }:
                return Problems.Conflict(detail);
            default:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "This code is not known. Check the slip and try again.");
        }
    }

    private static async Task<Results<Created<EvaluationReceipt>, ValidationProblem, ProblemHttpResult>> EnterPaperForm(
        int id, PaperEvaluationRequest request, Caller caller, TimeProvider time, AtRestScrubber scrubber, DbConnection db) =>
        await EnterPaperAsync(db, caller, scrubber, id, request.Purpose ?? EvaluationPurpose.Reaction, request.Language!, request.Answers!,
                DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)) switch
        {
            JointEfforts.Api.Courses.Outcome<EvaluationReceipt>.Stored stored => TypedResults.Created($"/api/courses/{id}/evaluation-summary", stored.Value),
            JointEfforts.Api.Courses.Outcome<EvaluationReceipt>.Invalid invalid => invalid.ValidationProblem(),
            var other => other.Problem(),
        };

    /// <summary>
    /// A paper form typed in (the JSON route and the workspace's paper form page): a coordinator or the course's country expert,
    /// a course that takes answers and has a form of this purpose, never more answers than enrolled (409). One write.
    /// </summary>
    public static async Task<JointEfforts.Api.Courses.Outcome<EvaluationReceipt>> EnterPaperAsync(
        DbConnection db, Caller caller, AtRestScrubber scrubber, int id, EvaluationPurpose purpose, string language,
        IReadOnlyDictionary<string, JsonElement> answers, DateOnly today)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await EvaluationCourse.ReadAsync(db, id, caller, transaction);
        if (course is null)
        {
            return new JointEfforts.Api.Courses.Outcome<EvaluationReceipt>.NotFound("Course", id);
        }

        if (!course.MayRunEvaluation(caller))
        {
            return new JointEfforts.Api.Courses.Outcome<EvaluationReceipt>.Forbidden("Only a coordinator or the course's country expert enters paper forms.");
        }

        if (course.FormIdFor(purpose) is not { } formId)
        {
            return new JointEfforts.Api.Courses.Outcome<EvaluationReceipt>.Conflict($"Course {id} has no {purpose.ToWire()} form.");
        }

        if (!course.AcceptsAnswers)
        {
            return new JointEfforts.Api.Courses.Outcome<EvaluationReceipt>.Conflict($"Course {id} is {course.Status}; only open, closed or delivered courses take answers.");
        }

        var stored = await AnswerStore.RecordAsync(db, transaction, id, formId, purpose, ResponseSource.Paper, codeId: null, language, answers, today);
        switch (stored)
        {
            case AnswerOutcome.Stored { Receipt: var receipt }:
                write.Commit();
                scrubber.Committed(db);
                return new JointEfforts.Api.Courses.Outcome<EvaluationReceipt>.Stored(receipt);
            case AnswerOutcome.Invalid { Errors: var errors }:
                return new JointEfforts.Api.Courses.Outcome<EvaluationReceipt>.Invalid(errors);
            case AnswerOutcome.Closed { Detail: var detail }:
                return new JointEfforts.Api.Courses.Outcome<EvaluationReceipt>.Conflict(detail);
            default:
                return new JointEfforts.Api.Courses.Outcome<EvaluationReceipt>.NotFound("Evaluation form", formId);
        }
    }
}
