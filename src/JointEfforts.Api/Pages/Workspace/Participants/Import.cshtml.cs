using System.Data.Common;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;
using JointEfforts.Api.Reports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Participants;

/// <summary>
/// <c>/workspace/courses/{id}/participants/import</c> (coordinators): a participant list uploaded, then a preview of every
/// row with its errors beside it — <c>POST /api/participants/import?dryRun=true&amp;courseId=</c>'s own dry run
/// (<see cref="ParticipantImport"/>), nothing saved — then "Import N participants", the real import of the same file, all
/// or nothing as the API's: a list with any error cannot be imported until it is corrected. The empty list with drop-downs
/// the API serves (<c>GET /api/participants/import-template.xlsx</c>) is one click away (<c>?handler=Template</c>).
/// </summary>
[Authorize(Policy = Policies.Pages.Coordinator)]
[LargeUpload]
[RequestFormLimits(ValueLengthLimit = (int)LargeUploadAttribute.MaxBytes, MultipartBodyLengthLimit = LargeUploadAttribute.MaxBytes)]
public sealed class ImportModel(DbConnection db) : WorkspacePageModel
{
    public CourseDto Course { get; private set; } = null!;

    /// <summary>The dry run's answer, once a list was uploaded.</summary>
    public ImportPreview? Preview { get; private set; }

    /// <summary>The uploaded list (base64), carried from the preview to the import, and its name.</summary>
    public string? Upload { get; private set; }

    public string? FileName { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id) =>
        await LoadAsync(id) ? Page() : NotFoundPage("course");

    public async Task<IActionResult> OnGetTemplateAsync(int id) =>
        await LoadAsync(id)
            ? File(ImportTemplate.Render(), Workbooks.ContentType, ImportTemplate.FileName)
            : NotFoundPage("course");

    public async Task<IActionResult> OnPostPreviewAsync(int id, IFormFile? file)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        if (file is null || file.Length == 0)
        {
            return Refuse("file", "Choose the participant list to upload: an .xlsx workbook or a CSV file.", StatusCodes.Status400BadRequest);
        }

        if (file.Length > HttpPipeline.MaxImportBodyBytes)
        {
            return Refuse("file", "A participant list is at most 10 MB.", StatusCodes.Status400BadRequest);
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, HttpContext.RequestAborted);
        var bytes = buffer.ToArray();
        return await PreviewAsync(id, bytes, ParticipantImport.IsXlsx(file.FileName, file.ContentType, bytes), Path.GetFileName(file.FileName));
    }

    public async Task<IActionResult> OnPostImportAsync(int id, [FromForm] string? upload, [FromForm] string? fileName)
    {
        if (!await LoadAsync(id))
        {
            return NotFoundPage("course");
        }

        var bytes = new byte[((upload?.Length ?? 0) * 3 / 4) + 3];
        if (upload is null || upload.Length == 0 || !Convert.TryFromBase64String(upload, bytes, out var length) || length > HttpPipeline.MaxImportBodyBytes)
        {
            return Refuse("file", "The list did not come back whole: upload it again.", StatusCodes.Status400BadRequest);
        }

        bytes = bytes[..length];
        var isXlsx = ParticipantImport.IsXlsx(fileName, null, bytes);
        var run = await ParticipantImport.RunAsync(db, bytes, isXlsx, new ImportQuery(false, id, null, null), null);
        switch (run)
        {
            case ParticipantImport.Run.Imported { Result: { Errors.Count: 0 } result }:
                return LocalRedirect($"/workspace/courses/{id}/participants?imported={result.Rows}&created={result.Created}&matched={result.Matched}"
                    + $"&seated={result.Enrolled}&waiting={result.Waitlisted}&already={result.AlreadyEnrolled}#done");
            case ParticipantImport.Run.Imported:
                // Something changed since the preview (someone registered meanwhile, a limit): the rows as they stand now.
                Errors[""] = "Nothing was imported: the list has errors now. They are shown beside their rows below.";
                return await PreviewAsync(id, bytes, isXlsx, fileName);
            case ParticipantImport.Run.Refused { Outcome: Outcome<ImportResult>.Conflict conflict }:
                return Refuse("", conflict.Detail, StatusCodes.Status409Conflict);
            default:
                return NotFoundPage("course");
        }
    }

    private async Task<IActionResult> PreviewAsync(int id, byte[] bytes, bool isXlsx, string? fileName)
    {
        var run = await ParticipantImport.RunAsync(db, bytes, isXlsx, new ImportQuery(true, id, null, null), null);
        switch (run)
        {
            case ParticipantImport.Run.Previewed previewed:
                Preview = previewed.Preview;
                FileName = string.IsNullOrWhiteSpace(fileName) ? "the list" : fileName;
                if (Preview.Valid)
                {
                    Upload = Convert.ToBase64String(bytes);
                }
                else
                {
                    Response.StatusCode = StatusCodes.Status400BadRequest;
                }

                return Page();
            case ParticipantImport.Run.Refused { Outcome: Outcome<ImportResult>.Conflict conflict }:
                return Refuse("", conflict.Detail, StatusCodes.Status409Conflict);
            default:
                return NotFoundPage("course");
        }
    }

    private IActionResult Refuse(string field, string message, int status)
    {
        Errors[field] = message;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(int id)
    {
        if (await CoursesApi.ReadAsync(db, id, Me.CountryScope) is not { } course)
        {
            return false;
        }

        Course = course;
        return true;
    }
}
