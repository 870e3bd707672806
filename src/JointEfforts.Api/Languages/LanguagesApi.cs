using System.Data.Common;
using ClosedXML.Excel;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace JointEfforts.Api.Languages;

/// <summary>
/// Languages as data (API.md, "Languages as data"; issue 26): the list with what each lacks, a language's texts as JSON
/// and as a workbook for translators, both readable and writable by a coordinator.
/// </summary>
public static class LanguagesApi
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private const string CodePattern = "{language}"; // checked in the handlers: a bad code is a 404 to read and a 400 to write

    /// <summary>The texts store, one per application.</summary>
    public static WebApplicationBuilder AddLanguages(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TextStore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLanguages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/languages")
            .WithTags("Languages")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems();

        group.MapGet("", ListLanguages).WithName("ListLanguages")
            .WithSummary("The languages the system has, each with its name, whether it is complete and the keys it lacks (any user).")
            .WithDescription("A course can be given only in a complete language: creating or updating one in another is a 400 naming the missing keys.");

        group.MapGet($"/{CodePattern}/texts", GetTexts).WithName("GetLanguageTexts")
            .RequireAuthorization(Policies.Coordinator)
            .WithSummary("Every participant-facing text of a language: page words, Likert anchors, slips, sign-in sheets, certificates (coordinator, admin).")
            .WithDescription("`texts` holds each key's text (written by a coordinator, else built in); `missing` the keys without one; `keys` what each key is for and its English text. 404 for a language the system does not have.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut($"/{CodePattern}/texts", PutTexts).WithName("PutLanguageTexts")
            .RequireAuthorization(Policies.Coordinator)
            .WithSummary("Write a language's texts, adding the language when it is new (coordinator, admin). " + Json.PutReplaces)
            .WithDescription("The language is an ISO 639-1 code (`lv`). Every key must be one of the catalogue's (`GET .../texts` lists them), every text non-blank; a text with `{0}` must keep the placeholders of the English one. A key left out takes the built-in text where there is one. Answers as the GET.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet($"/{CodePattern}/texts.xlsx", GetWorkbook).WithName("GetLanguageTextsWorkbook")
            .RequireAuthorization(Policies.Coordinator)
            .WithSummary("A language's texts as a workbook for a translator: key, what it is for, the English text, and the language's text to write (coordinator, admin).")
            .WithDescription("A language the system does not have yet gives an empty column to fill in; 404 for a code that is not ISO 639-1. Send the filled workbook back with `PUT .../texts.xlsx`.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), XlsxContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut($"/{CodePattern}/texts.xlsx", PutWorkbook).WithName("PutLanguageTextsWorkbook")
            .RequireAuthorization(Policies.Coordinator)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // Documented here rather than with Accepts, which would answer 415 before the caller's role is checked.
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [XlsxContentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                    },
                };
                return Task.CompletedTask;
            })
            .WithSummary("Write a language's texts from the translator's workbook (coordinator, admin): the same rules as the JSON PUT.")
            .WithDescription("Body: the .xlsx of `GET .../texts.xlsx` with its fourth column filled (header row 1, key in column A, text in column D). Blank texts are left out. Errors name the row: `texts.<key>` or `file`.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static Ok<List<LanguageDto>> ListLanguages(HttpContext context)
    {
        var texts = context.Texts();
        return TypedResults.Ok(texts.Codes.Select(code => Describe(texts, code)).ToList());
    }

    private static Results<Ok<LanguageTextsDto>, ProblemHttpResult> GetTexts(string language, HttpContext context)
    {
        var texts = context.Texts();
        var code = language.ToLowerInvariant();
        return texts.Has(code) ? TypedResults.Ok(Read(texts, code)) : Problems.NotFound("Language", code);
    }

    private static async Task<Results<Ok<LanguageTextsDto>, ValidationProblem>> PutTexts(
        string language, LanguageTextsRequest request, DbConnection db, TextStore store)
    {
        return await WriteAsync(language.ToLowerInvariant(), request.Texts!, db, store);
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> GetWorkbook(string language, HttpContext context)
    {
        var texts = context.Texts();
        var code = language.ToLowerInvariant();
        if (!IsoCodes.IsLanguage(code))
        {
            return Problems.NotFound("Language", language);
        }

        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("Texts");
        string[] headers = ["Key", "What it is for", "English", code];
        for (var i = 0; i < headers.Length; i++)
        {
            sheet.Cell(1, i + 1).Value = headers[i];
        }

        var row = 2;
        foreach (var entry in TextCatalogue.Entries)
        {
            sheet.Cell(row, 1).Value = entry.Key;
            sheet.Cell(row, 2).Value = entry.Description;
            sheet.Cell(row, 3).Value = texts.Say("en", entry.Key);
            sheet.Cell(row, 4).Value = texts.Has(code) ? texts.Text(code, entry.Key) ?? "" : TextCatalogue.Default(entry.Key, code) ?? "";
            row++;
        }

        var header = sheet.Row(1);
        header.Style.Font.Bold = true;
        header.Style.Fill.BackgroundColor = XLColor.FromHtml("#DDEBF7");
        sheet.Column(1).Width = 26;
        sheet.Column(2).Width = 48;
        sheet.Column(3).Width = 48;
        sheet.Column(4).Width = 48;
        sheet.Columns(2, 4).Style.Alignment.WrapText = true;
        sheet.Range(1, 1, row - 1, 3).Style.Protection.Locked = true;
        sheet.SheetView.FreezeRows(1);
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"JointEfforts-texts-{code}.xlsx\"";
        return TypedResults.File(stream.ToArray(), XlsxContentType);
    }

    private static async Task<Results<Ok<LanguageTextsDto>, ValidationProblem, ProblemHttpResult>> PutWorkbook(
        string language, HttpRequest request, DbConnection db, TextStore store, CancellationToken cancellationToken)
    {
        var code = language.ToLowerInvariant();
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), XlsxContentType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: $"Send the workbook as {XlsxContentType}.");
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        body.Position = 0;
        var (table, error) = ParticipantSheet.ReadXlsx(body);
        if (table is null)
        {
            return Problems.Validation("file", error?.Message ?? "The file is not a readable .xlsx workbook.");
        }

        var sent = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (rowNumber, cells) in table.Where(r => r.Row > 1))
        {
            var key = cells.ElementAtOrDefault(0)?.Trim() ?? "";
            var text = cells.ElementAtOrDefault(3)?.Trim() ?? "";
            if (key.Length == 0 || text.Length == 0)
            {
                continue;
            }

            if (!sent.TryAdd(key, text))
            {
                errors[$"texts.{key}"] = [$"Row {rowNumber}: '{key}' is given more than once."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var written = await WriteAsync(code, sent, db, store);
        return written.Result switch
        {
            Ok<LanguageTextsDto> ok => ok,
            ValidationProblem invalid => invalid,
            _ => throw new InvalidOperationException("WriteAsync answers Ok or ValidationProblem."),
        };
    }

    /// <summary>Checks every text, then replaces what the language has stored, adding the language if it is new.</summary>
    private static async Task<Results<Ok<LanguageTextsDto>, ValidationProblem>> WriteAsync(
        string code, IReadOnlyDictionary<string, string> texts, DbConnection db, TextStore store)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!IsoCodes.IsLanguage(code))
        {
            errors["language"] = [$"'{code}' is not an ISO 639-1 language code (e.g. lv, de, nl)."];
        }

        foreach (var (key, text) in texts)
        {
            if (!TextCatalogue.ByKey.ContainsKey(key))
            {
                errors[$"texts.{key}"] = [$"'{key}' is not a text key. GET /api/languages/en/texts lists the keys."];
            }
            else if (string.IsNullOrWhiteSpace(text) || text.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
            {
                errors[$"texts.{key}"] = [$"texts.{key} must be a text without control characters, not blank."];
            }
            else if (text.Length > 2000)
            {
                errors[$"texts.{key}"] = [$"texts.{key} is at most 2000 characters long."];
            }
            else if (Placeholders(TextCatalogue.Default(key, "en")!).Except(Placeholders(text)).ToList() is { Count: > 0 } lost)
            {
                errors[$"texts.{key}"] = [$"texts.{key} must keep the placeholder{(lost.Count > 1 ? "s" : "")} {string.Join(", ", lost)} of the English text: they are filled in when printed or mailed."];
            }
            else if (Placeholders(text).Except(Placeholders(TextCatalogue.Default(key, "en")!)).ToList() is { Count: > 0 } extra)
            {
                errors[$"texts.{key}"] = [$"texts.{key} has {string.Join(", ", extra)}, which the English text has not: nothing would fill it in."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        LanguageTexts updated;
        using (var write = await db.BeginWriteAsync())
        {
            var transaction = write.Transaction;
            await db.ExecuteAsync("INSERT INTO languages (code) VALUES (@code) ON CONFLICT (code) DO NOTHING", new { code }, transaction);
            await db.ExecuteAsync("DELETE FROM language_texts WHERE language = @code", new { code }, transaction);
            await db.ExecuteAsync(
                "INSERT INTO language_texts (language, key, text) VALUES (@code, @Key, @Value)",
                texts.Select(t => new { code, t.Key, Value = t.Value.Trim() }),
                transaction);
            updated = await store.ReloadAsync(db, transaction);
            write.Commit();
        }

        return TypedResults.Ok(Read(updated, code));
    }

    /// <summary>
    /// A course's language must be complete: null when it is, else why not, naming the missing keys (course create and
    /// update put it under <c>language</c>). Read inside the course's write transaction.
    /// </summary>
    public static async Task<string?> IncompleteLanguageAsync(DbConnection db, DbTransaction transaction, string? language)
    {
        if (language is null)
        {
            return null;
        }

        var texts = await LanguageTexts.ReadAsync(db, transaction);
        if (!texts.Has(language))
        {
            return $"The system has no language '{language}' yet: add its texts with PUT /api/languages/{language}/texts.";
        }

        var missing = texts.Missing(language);
        return missing.Count == 0 ? null
            : $"{texts.Name(language)} ({language}) lacks {Wording.Count(missing.Count, "text")} a course needs: "
              + $"{string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", …" : "")}. Add them with PUT /api/languages/{language}/texts.";
    }

    private static LanguageDto Describe(LanguageTexts texts, string code)
    {
        var missing = texts.Missing(code);
        return new LanguageDto(code, texts.Name(code), missing.Count == 0, missing);
    }

    private static LanguageTextsDto Read(LanguageTexts texts, string code)
    {
        var missing = texts.Missing(code);
        var values = TextCatalogue.Entries
            .Select(e => (e.Key, Text: texts.Text(code, e.Key)))
            .Where(e => e.Text is not null)
            .ToDictionary(e => e.Key, e => e.Text!, StringComparer.Ordinal);
        return new LanguageTextsDto(
            code, texts.Name(code), missing.Count == 0, missing, values,
            TextCatalogue.Entries.Select(e => new TextKeyDto(e.Key, e.Description, texts.Say("en", e.Key))).ToList());
    }

    private static IEnumerable<string> Placeholders(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\{(\d|[A-Za-z]+)\}").Select(m => m.Value).Distinct();
}
