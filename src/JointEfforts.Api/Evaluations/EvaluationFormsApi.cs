using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Evaluations;

public static class EvaluationFormsApi
{
    public static RouteGroupBuilder MapEvaluationForms(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/evaluation-forms")
            .WithTags("Evaluation forms")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();

        group.MapPost("/", CreateForm).WithName("CreateEvaluationForm")
            .WithSummary("Create a multilingual form (coordinator). Every question and option has a text in each declared language (400 " +
                         "naming e.g. questions[2].text.sq otherwise). purpose preTest|postTest makes a knowledge test: singleChoice questions " +
                         "with correctOption and points; a participant's score is points earned / points possible.")
            .RequireAuthorization(Policies.Coordinator);
        group.MapGet("/", ListForms).WithName("ListEvaluationForms")
            .WithSummary("List forms by id, without their questions; filter ?purpose=. Every role reads forms (experts enter paper forms).");
        group.MapGet("/{id:int}", GetForm).WithName("GetEvaluationForm")
            .WithSummary("Read a form: all languages, or with ?lang=nl its texts in that language (400 when the form does not declare it). " +
                         "frozen is true once it has answers.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:int}", UpdateForm).WithName("UpdateEvaluationForm")
            .WithSummary("Replace a form's title, purpose, languages and questions (coordinator). Honours If-Match. A form with answers is " +
                         "frozen: 409, copy it into a new version instead. A form that a course uses keeps its purpose (409)." + Json.PutReplaces)
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPut("/{id:int}/translations/{language}", PutTranslation).WithName("PutEvaluationFormTranslation")
            .WithSummary("Add or correct a form's texts in one language (coordinator), even once the form has answers: text is not structure. " +
                         "Every question and every option needs its text; a new language is added to the form's languages. Honours If-Match." + Json.PutReplaces)
            .WithDescription("400 naming `questions.<key>` or `options.<key>.<value>` for a text missing, blank or not of the form, or `language` for a code that is not ISO 639-1.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/{id:int}/copy", CopyForm).WithName("CopyEvaluationForm")
            .WithSummary("Copy a form, frozen or not, into a new editable version (coordinator): same title, purpose, languages and " +
                         "questions, copiedFromId pointing at the original. Courses keep the form they name until changed.")
            .RequireAuthorization(Policies.Coordinator)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Created<EvaluationFormDto>, ValidationProblem>> CreateForm(EvaluationFormRequest request, DbConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var id = await EvaluationForms.InsertAsync(db, transaction, request);
        var form = await EvaluationForms.ReadAsync(db, id, transaction);
        write.Commit();
        return TypedResults.Created($"/api/evaluation-forms/{id}", form!);
    }

    private static async Task<Ok<Paged<EvaluationFormListItem>>> ListForms(
        [AsParameters] PageRequest paging, [AsParameters] FormQuery query, DbConnection db)
    {
        var total = 0;
        var items = await EvaluationForms.ListAsync(db, query.Purpose.ToWire(), paging.Size, paging.Offset, t => total = t);
        return TypedResults.Ok(Paged<EvaluationFormListItem>.Of(items, paging, total));
    }

    private static async Task<Results<Ok<EvaluationFormDto>, Ok<LocalizedFormDto>, ValidationProblem, ProblemHttpResult>> GetForm(
        int id, string? lang, DbConnection db)
    {
        var form = await EvaluationForms.ReadAsync(db, id);
        if (form is null)
        {
            return Problems.NotFound("Evaluation form", id);
        }

        if (lang is null)
        {
            return TypedResults.Ok(form);
        }

        return form.Languages.Contains(lang, StringComparer.Ordinal)
            ? TypedResults.Ok(EvaluationForms.Localize(form, lang))
            : Problems.Validation("lang", $"The form is in {string.Join(", ", form.Languages)}; not in '{lang}'.");
    }

    private static async Task<Results<Ok<EvaluationFormDto>, ValidationProblem, ProblemHttpResult>> UpdateForm(
        int id, EvaluationFormRequest request, IfMatch ifMatch, DbConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var current = await db.QuerySingleOrDefaultAsync<FormState>(
            """
            SELECT f.version AS Version, f.purpose AS Purpose,
                   EXISTS (SELECT 1 FROM evaluation_responses r WHERE r.form_id = f.id) AS Frozen,
                   EXISTS (SELECT 1 FROM courses c
                           WHERE c.evaluation_form_id = f.id OR c.pre_test_form_id = f.id OR c.post_test_form_id = f.id) AS InUse
            FROM evaluation_forms f WHERE f.id = @id
            """,
            new { id }, transaction);
        if (current is null)
        {
            return Problems.NotFound("Evaluation form", id);
        }

        if (!ifMatch.Matches(current.Version))
        {
            return Problems.PreconditionFailed();
        }

        if (current.Frozen)
        {
            return Problems.Conflict($"Evaluation form {id} has answers and is frozen: copy it (POST /api/evaluation-forms/{id}/copy) and change the copy.");
        }

        if (current.InUse && current.Purpose != request.EffectivePurpose)
        {
            return Problems.Conflict($"A course uses form {id} as its {current.Purpose.ToWire()} form; its purpose cannot change.");
        }

        await db.ExecuteAsync(
            """
            DELETE FROM form_questions WHERE form_id = @id;
            UPDATE evaluation_forms SET title = @Title, purpose = @purpose, languages = @languages, version = version + 1 WHERE id = @id;
            """,
            new { id, request.Title, purpose = request.EffectivePurpose.ToWire(), languages = System.Text.Json.JsonSerializer.Serialize(request.Languages) },
            transaction);
        await EvaluationForms.InsertQuestionsAsync(db, transaction, id, request);
        var form = await EvaluationForms.ReadAsync(db, id, transaction);
        write.Commit();
        return TypedResults.Ok(form!);
    }

    private static async Task<Results<Ok<EvaluationFormDto>, ValidationProblem, ProblemHttpResult>> PutTranslation(
        int id, string language, FormTranslationRequest request, IfMatch ifMatch, DbConnection db)
    {
        var code = language.ToLowerInvariant();
        if (!IsoCodes.IsLanguage(code))
        {
            return Problems.Validation("language", $"'{language}' is not an ISO 639-1 language code (e.g. lv, de, nl).");
        }

        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var form = await EvaluationForms.ReadAsync(db, id, transaction);
        if (form is null)
        {
            return Problems.NotFound("Evaluation form", id);
        }

        if (!ifMatch.Matches(form.Version))
        {
            return Problems.PreconditionFailed();
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        static bool Blank(string? text) => string.IsNullOrWhiteSpace(text) || text.Length > 2000;
        foreach (var question in form.Questions)
        {
            if (!request.Questions!.TryGetValue(question.Key, out var text) || Blank(text))
            {
                errors[$"questions.{question.Key}"] = [$"questions.{question.Key} needs the question's text in '{code}' (at most 2000 characters)."];
            }

            foreach (var option in question.Options ?? [])
            {
                if (request.Options!.GetValueOrDefault(question.Key)?.GetValueOrDefault(option.Value) is not { } optionText || Blank(optionText))
                {
                    errors[$"options.{question.Key}.{option.Value}"] = [$"options.{question.Key}.{option.Value} needs the option's text in '{code}'."];
                }
            }
        }

        var keys = form.Questions.ToDictionary(q => q.Key, StringComparer.Ordinal);
        foreach (var key in request.Questions!.Keys.Where(k => !keys.ContainsKey(k)))
        {
            errors[$"questions.{key}"] = [$"The form has no question '{key}'."];
        }

        foreach (var (key, options) in request.Options!)
        {
            var known = keys.GetValueOrDefault(key)?.Options?.Select(o => o.Value).ToHashSet(StringComparer.Ordinal) ?? [];
            foreach (var value in options.Keys.Where(v => !known.Contains(v)))
            {
                errors[$"options.{key}.{value}"] = [$"The form's question '{key}' has no option '{value}'."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        await db.ExecuteAsync(
            "UPDATE form_questions SET texts = @Texts, options = @Options WHERE form_id = @id AND question_key = @Key",
            form.Questions.Select(q => new
            {
                id,
                q.Key,
                Texts = System.Text.Json.JsonSerializer.Serialize(
                    new Dictionary<string, string>(q.Text, StringComparer.Ordinal) { [code] = request.Questions[q.Key].Trim() }, Json.Options),
                Options = q.Options is { Count: > 0 } options
                    ? System.Text.Json.JsonSerializer.Serialize(
                        options.Select(o => new OptionDto(o.Value, new Dictionary<string, string>(o.Text, StringComparer.Ordinal) { [code] = request.Options[q.Key][o.Value].Trim() })),
                        Json.Options)
                    : null,
            }),
            transaction);
        var languages = form.Languages.Contains(code, StringComparer.Ordinal) ? form.Languages : [.. form.Languages, code];
        await db.ExecuteAsync(
            "UPDATE evaluation_forms SET languages = @languages, version = version + 1 WHERE id = @id",
            new { id, languages = System.Text.Json.JsonSerializer.Serialize(languages) },
            transaction);
        var updated = await EvaluationForms.ReadAsync(db, id, transaction);
        write.Commit();
        return TypedResults.Ok(updated!);
    }

    private static async Task<Results<Created<EvaluationFormDto>, ProblemHttpResult>> CopyForm(int id, DbConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var original = await EvaluationForms.ReadAsync(db, id, transaction);
        if (original is null)
        {
            return Problems.NotFound("Evaluation form", id);
        }

        var copyId = await EvaluationForms.InsertAsync(db, transaction, EvaluationForms.ToRequest(original), copiedFromId: id);
        var copy = await EvaluationForms.ReadAsync(db, copyId, transaction);
        write.Commit();
        return TypedResults.Created($"/api/evaluation-forms/{copyId}", copy!);
    }

    private sealed record FormState
    {
        public long Version { get; init; }

        public EvaluationPurpose Purpose { get; init; }

        public bool Frozen { get; init; }

        public bool InUse { get; init; }
    }
}
