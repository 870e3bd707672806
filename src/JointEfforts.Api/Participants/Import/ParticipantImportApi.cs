using System.Data.Common;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace JointEfforts.Api.Participants;

/// <summary>POST /api/participants/import: a participant list read (<see cref="ParticipantSheet"/>), matched and stored all or nothing.</summary>
public static class ParticipantImportApi
{
    public static IEndpointRouteBuilder MapParticipantImport(this IEndpointRouteBuilder app)
    {
        app.MapImportTemplate();
        var group = app.MapGroup("/api/participants")
            .WithTags("Participants")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();

        group.MapPost("/import", Import).WithName("ImportParticipants")
            .WithSummary("Import a participant list (.xlsx or CSV, header row), all or nothing (coordinator); ?dryRun=true checks without storing; ?courseId= also enrols.")
            .WithDescription("""
                Body: the raw file with Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or text/csv
                (UTF-8, comma or semicolon separated), or multipart/form-data with the file in a part named `file`. At most 10 MB,
                10,000 rows, 100 columns and 1,000 characters a cell; a workbook unpacks to at most 20 MB a part (100 MB in all) and
                500,000 shared strings. A file over a limit is refused with a 400 problem naming it, before it is read further.
                Columns (header names are matched on letters only, case- and diacritic-insensitive, in English, German, Dutch,
                Albanian, Romanian, Swedish, Polish and Latvian: 'Vārds', 'Uzvārds', 'Iestāde', 'Nozare', 'Valsts', ...; other columns,
                job titles among them, are ignored): fullName, or firstName and lastName (joined with a space), email (optional),
                organisation, sector (lawEnforcement, borderGuard, judiciary, health, ngo, labourInspection, socialServices, prison,
                other; also their names in those languages: 'Polizei', 'Prokuratūra', 'Policija', ...), countryCode (ISO alpha-2, or
                the country's name in English or in those languages: 'Poland', 'Latvija' → LV; 'UK' is not GB's code), seniority
                (optional: senior, field or unknown; an empty cell or no such column is unknown). Blank rows are skipped. A header
                the import does not know can be given a field with ?mapping= (a JSON object), which a successful import remembers for
                the programme (?projectId=, or the course's); GET /api/participants/import-template.xlsx is a list with drop-downs.
                A row matches an existing participant with the same e-mail, or without e-mail the same name, organisation and country:
                matched participants are not changed. With courseId (an open course) every created or matched participant is enrolled
                in file order with the usual capacity rules (waitlisted beyond maxParticipants; already enrolled ones are counted, not
                an error). Any error → nothing is stored, and the answer is a 400 problem carrying the same fields and
                errors: [{ row, column, message }] (row numbers as in the file, the header is row 1). A dry run (?dryRun=true) stores
                nothing and answers 200 even when the list has errors: { dryRun, valid, rows: [{ row, participant, errors }],
                duplicates: [{ row, sameAsRow, participantId, reason }] (inside the file, and people already known, who would be
                matched), errors (the file's own), columns, unrecognisedHeaders, and the counts the real import would give }.
                """)
            .RequireAuthorization(Policies.Coordinator)
            .AllowLargeBody()
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                var binary = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ParticipantSheet.XlsxContentType] = binary,
                        ["text/csv"] = binary,
                        ["multipart/form-data"] = new OpenApiMediaType
                        {
                            Schema = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                                Required = new HashSet<string> { "file" },
                            },
                        },
                    },
                };
                return Task.CompletedTask;
            })
            .Produces<ImportResult>()
            .Produces<ImportPreview>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static async Task<Results<Ok<ImportResult>, Ok<ImportPreview>, ValidationProblem, ProblemHttpResult>> Import(
        HttpRequest request, [AsParameters] ImportQuery query, DbConnection db, CancellationToken cancellationToken)
    {
        var (sentMapping, mappingError) = ImportMappings.Parse(query.Mapping);
        if (mappingError is not null)
        {
            return Problems.Validation("mapping", mappingError);
        }

        var (file, problem) = await ReadUploadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await ParticipantImport.RunAsync(db, file!.Value.Bytes, file.Value.IsXlsx, query, sentMapping) switch
        {
            ParticipantImport.Run.Refused refused => refused.Outcome.Problem(),
            ParticipantImport.Run.Previewed previewed => TypedResults.Ok(previewed.Preview),
            ParticipantImport.Run.Imported { Result.Errors.Count: > 0 } failed => ImportProblem(failed.Result),
            ParticipantImport.Run.Imported imported => TypedResults.Ok(imported.Result),
            _ => throw new InvalidOperationException("An import ends in one of its outcomes."),
        };
    }

    private static async Task<((byte[] Bytes, bool IsXlsx)? File, ProblemHttpResult? Problem)> ReadUploadAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType);
        var mediaType = contentType?.MediaType.Value?.ToLowerInvariant();
        if (mediaType == "multipart/form-data")
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                return (null, FileProblem("The multipart body could not be read: " + ex.Message));
            }

            if (form.Files.GetFile("file") is not { } part)
            {
                return (null, FileProblem("Send the participant list in a multipart part named 'file'."));
            }

            using var buffer = new MemoryStream();
            await part.CopyToAsync(buffer, cancellationToken);
            var bytes = buffer.ToArray();
            return ((bytes, ParticipantImport.IsXlsx(part.FileName, part.ContentType, bytes)), null);
        }

        if (mediaType is not (ParticipantSheet.XlsxContentType or "text/csv" or "application/csv"))
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"Send the participant list as {ParticipantSheet.XlsxContentType}, text/csv, or multipart/form-data with a part named 'file'."));
        }

        using var body = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            body.Write(chunk, 0, read);
            if (body.Length > HttpPipeline.MaxImportBodyBytes)
            {
                return (null, TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Request body too large",
                    detail: "A participant list is at most 10 MB."));
            }
        }

        return ((body.ToArray(), mediaType == ParticipantSheet.XlsxContentType), null);
    }

    private static ProblemHttpResult FileProblem(string message) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "One or more validation errors occurred.",
            detail: message,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["file"] = [message] } });

    private static ProblemHttpResult ImportProblem(ImportResult result) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "The participant list has errors",
            detail: $"{result.Errors.Count} error(s) found{(result.Errors.Count >= ParticipantSheet.MaxErrors ? " (only the first are listed)" : string.Empty)}; nothing was imported. Correct the file and send it again.",
            extensions: new Dictionary<string, object?>
            {
                ["dryRun"] = result.DryRun,
                ["rows"] = result.Rows,
                ["created"] = 0,
                ["matched"] = 0,
                ["enrolled"] = 0,
                ["waitlisted"] = 0,
                ["errors"] = result.Errors,
            });
}
