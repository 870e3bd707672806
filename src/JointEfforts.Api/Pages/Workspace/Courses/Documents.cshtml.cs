using System.Data.Common;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Documents;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Codes;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Courses;

/// <summary>
/// <c>/workspace/courses/{id}/documents</c>: a course's paper trail one click away — sign-in sheets per session, batches of
/// evaluation codes (issue one) with their slips, and certificates. The PDFs are the /api documents made by the same code
/// (<see cref="CourseDocuments"/>) for the same roles, served here with the page session instead of a bearer token:
/// <c>documents/SignInSheet?sessionId=</c>, <c>documents/Slips?batchId=</c>, <c>documents/Certificates</c>, and each enrolled
/// participant's own <c>documents/Certificate?participantId=</c> (as <c>/api/courses/{id}/participants/{pid}/certificate.pdf</c>,
/// through <see cref="CourseDocuments.CertificateAsync"/>). A batch is issued by
/// <see cref="CodeBatchesApi.IssueAsync"/>, as <c>POST /api/courses/{id}/evaluation-codes</c> issues it.
/// </summary>
[Authorize(Policy = Policies.Pages.CourseStaff)]
public sealed class DocumentsModel(DbConnection db, TimeProvider time) : WorkspacePageModel
{
    public CourseDto Course { get; private set; } = null!;

    public IReadOnlyList<SessionDto> Sessions { get; private set; } = [];

    public IReadOnlyList<BatchRow> Batches { get; private set; } = [];

    /// <summary>Certificates are the coordinator's: the roles of the certificate routes' policy (admin and coordinator).</summary>
    public bool MayCertify => Policies.RolesOf[Policies.Coordinator].Contains(Me.Role);

    /// <summary>The enrolled participants with their attendance, for a certificate each (read only when <see cref="MayCertify"/>).</summary>
    public IReadOnlyList<Certificates.Holder> Holders { get; private set; } = [];

    public string? Count { get; private set; }

    /// <summary>The batch just issued: its slips are the next click.</summary>
    public int? Issued { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, int? issued)
    {
        Issued = issued;
        return await LoadAsync(id) ? Page() : NotFoundPage("course");
    }

    public async Task<IActionResult> OnPostIssueAsync(int id, [FromForm] string? count)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        Count = count;
        int? size = null;
        if (!string.IsNullOrWhiteSpace(count))
        {
            if (!int.TryParse(count.Trim(), out var parsed))
            {
                return Invalid("count", "count must be a whole number.");
            }

            size = parsed;
        }

        var errors = PageValidation.Check(new IssueCodesRequest(size));
        if (errors.Count > 0)
        {
            foreach (var (field, message) in errors)
            {
                Errors[field] = message;
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        switch (await CodeBatchesApi.IssueAsync(db, Me, id, size, time))
        {
            case CodeIssue.Issued issuedBatch:
                return LocalRedirect($"/workspace/courses/{id}/documents?issued={issuedBatch.Batch.BatchId}#codes");
            case CodeIssue.Forbidden:
                return Forbid(WorkspaceSessions.Scheme);
            case CodeIssue.Conflict conflict:
                Errors[""] = conflict.Detail;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                return NotFoundPage("course");
        }
    }

    public async Task<IActionResult> OnGetSignInSheetAsync(int id, int sessionId) =>
        await FileAsync(id, await CourseDocuments.SignInSheetAsync(db, Me, id, sessionId, HttpContext));

    public async Task<IActionResult> OnGetSlipsAsync(int id, int batchId) =>
        await FileAsync(id, await CourseDocuments.CodeSlipsAsync(db, Me, id, batchId, HttpContext));

    public async Task<IActionResult> OnGetCertificatesAsync(int id) =>
        MayCertify ? await FileAsync(id, await CourseDocuments.CertificatesAsync(db, Me, id, HttpContext)) : Forbid(WorkspaceSessions.Scheme);

    public async Task<IActionResult> OnGetCertificateAsync(int id, int participantId) =>
        MayCertify ? await FileAsync(id, await CourseDocuments.CertificateAsync(db, Me, id, participantId, HttpContext)) : Forbid(WorkspaceSessions.Scheme);

    private async Task<IActionResult> FileAsync(int id, DocumentOutcome outcome)
    {
        switch (outcome)
        {
            case DocumentOutcome.Pdf pdf:
                DocumentFiles.Pdf(Response, pdf.Bytes, pdf.FileName);
                return File(pdf.Bytes, PdfLayout.ContentType);
            case DocumentOutcome.Forbidden:
                return Forbid(WorkspaceSessions.Scheme);
            case DocumentOutcome.Conflict conflict when await LoadAsync(id):
                Errors[""] = conflict.Detail;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case DocumentOutcome.NotFound notFound:
                return NotFoundPage(notFound.What == "Participant" ? "participant in this course" : notFound.What.ToLowerInvariant());
            default:
                return NotFoundPage("course");
        }
    }

    private IActionResult Invalid(string field, string message)
    {
        Errors[field] = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(int id)
    {
        if (await CoursesApi.ReadAsync(db, id, Me.CountryScope) is not { } course)
        {
            return false;
        }

        Course = course;
        using var results = await db.QueryMultipleAsync(
            SessionService.SelectSession + " WHERE s.course_id = @id ORDER BY s.date, s.start_time, s.id;" +
            " SELECT id AS Id, issued_on AS IssuedOn, code_count AS Codes FROM evaluation_code_batches WHERE course_id = @id ORDER BY id;",
            new { id });
        Sessions = (await results.ReadAsync<SessionDto>()).ToList();
        Batches = (await results.ReadAsync<BatchRow>()).ToList();
        if (MayCertify)
        {
            Holders = await Certificates.ReadAsync(db, id);
        }

        return true;
    }

    public sealed record BatchRow
    {
        public int Id { get; init; }

        public DateOnly IssuedOn { get; init; }

        public int Codes { get; init; }
    }
}
