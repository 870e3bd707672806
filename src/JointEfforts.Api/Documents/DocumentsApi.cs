using System.Data.Common;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Languages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Documents;

/// <summary>The paper trail as PDFs (API.md, "Printable documents"): sign-in sheets, evaluation code slips, certificates.</summary>
public static class DocumentsApi
{
    private const string Pdf = PdfLayout.ContentType;

    public static IEndpointRouteBuilder MapDocuments(this IEndpointRouteBuilder app)
    {
        // The documents carry names: never the steering group, and a country expert only for their own course.
        var courses = app.MapGroup("/api/courses")
            .WithTags("Documents")
            .RequireAuthorization(Policies.CourseStaff)
            .WithStandardProblems();

        courses.MapGet("/{id:int}/sessions/{sessionId:int}/sign-in-sheet.pdf", GetSignInSheet).WithName("GetSignInSheet")
            .WithSummary("A session's sign-in sheet (A4 PDF) in the course language, its title also in English: course, session, date, hours, venue, funding line, the enrolled participants in name order with organisation and sector, and an empty signature column; the header repeats on every page (admin, coordinator, the course's country expert).")
            .WithDescription("Participants whose name was erased are left off. 404 for a course or session that does not exist or, for a country expert, a course of another country; 403 for an expert of the country who is not the course's expert.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), Pdf)
            .ProducesProblem(StatusCodes.Status404NotFound);

        courses.MapGet("/{id:int}/evaluation-codes/{batchId:int}/slips.pdf", GetCodeSlips).WithName("GetEvaluationCodeSlips")
            .WithSummary("A batch of evaluation codes as slips to cut apart (A4 PDF, ten a page), in the course language: instruction, the form's address, the code and a QR code opening the form with the code filled in (admin, coordinator, the course's country expert).")
            .WithDescription($"The printed address is `{CodeSlips.PublicBaseUrlSetting}` + `/e` (when the setting is empty, the server's own bound address, never the request's `Host` header); each QR code holds `{{PublicBaseUrl}}/e/{{code}}`. Codes print in code order. 404 for an unknown batch, a batch of another course, or a batch without codes.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), Pdf)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var certificates = app.MapGroup("/api/courses")
            .WithTags("Documents")
            .RequireAuthorization(Policies.Coordinator)
            .WithStandardProblems();

        certificates.MapGet("/{id:int}/certificates.pdf", GetCertificates).WithName("GetCertificates")
            .WithSummary("Certificates of attendance (A4 PDF), one page per participant who completed the course, in the course language: name, course, dates, city, hours attended, programme, funder, signature lines (admin, coordinator).")
            .WithDescription("Completed is the one definition of the attendance matrix and dashboard (`completed`: sessions attended present or late / sessions ≥ the course's completion threshold; a cancelled course trains nobody). Participants whose name was erased get none. 409 when no participant has completed the course (yet).")
            .Produces(StatusCodes.Status200OK, typeof(Stream), Pdf)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        certificates.MapGet("/{id:int}/participants/{participantId:int}/certificate.pdf", GetCertificate).WithName("GetCertificate")
            .WithSummary("One participant's certificate of attendance (A4 PDF) for a course they completed (admin, coordinator).")
            .WithDescription("404 when the participant is not enrolled in the course (waitlisted and withdrawn count as not enrolled); 409 when they are enrolled but did not complete it, or their name was erased.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), Pdf)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetSignInSheet(
        int id, int sessionId, Caller caller, DbConnection db, HttpContext context) =>
        Answer(context, await CourseDocuments.SignInSheetAsync(db, caller, id, sessionId, context));

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetCodeSlips(
        int id, int batchId, Caller caller, DbConnection db, HttpContext context) =>
        Answer(context, await CourseDocuments.CodeSlipsAsync(db, caller, id, batchId, context));

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetCertificates(
        int id, Caller caller, DbConnection db, HttpContext context) =>
        Answer(context, await CourseDocuments.CertificatesAsync(db, caller, id, context));

    private static Results<FileContentHttpResult, ProblemHttpResult> Answer(HttpContext context, DocumentOutcome outcome) => outcome switch
    {
        DocumentOutcome.Pdf pdf => DocumentFiles.Pdf(context.Response, pdf.Bytes, pdf.FileName),
        DocumentOutcome.NotFound { Detail: { } detail } => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail),
        DocumentOutcome.NotFound notFound => Problems.NotFound(notFound.What, notFound.Id),
        DocumentOutcome.Forbidden forbidden => Problems.Forbidden(forbidden.Detail),
        DocumentOutcome.Conflict conflict => Problems.Conflict(conflict.Detail),
        _ => throw new InvalidOperationException($"Unknown document outcome {outcome.GetType().Name}."),
    };

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetCertificate(
        int id, int participantId, Caller caller, DbConnection db, HttpContext context) =>
        Answer(context, await CourseDocuments.CertificateAsync(db, caller, id, participantId, context));
}
