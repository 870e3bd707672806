using System.Data.Common;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Evaluations.Answering;

/// <summary>
/// A participant's answers, as the page (<c>POST /e/{code}</c>) or the JSON route (<c>POST /api/evaluations</c>) received
/// them. <paramref name="Answers"/> turns what was sent into JSON answers once the form is known (the page's fields are
/// strings; a likert answer becomes a number only when the question says so). With <paramref name="OwnLanguageIfMissing"/>
/// a language the form lacks falls back to the course's (the page) instead of being refused (the JSON route).
/// </summary>
public sealed record AnswerCommand(
    string? Code,
    EvaluationPurpose Purpose,
    string? Language,
    Func<ParticipantFormDto, IReadOnlyDictionary<string, JsonElement>> Answers,
    bool OwnLanguageIfMissing = false);

/// <summary>
/// Answering with a code, the one implementation behind the JSON routes and the participant's page: the failed-code limit,
/// the code's look-up (once per request), the form in the participant's language, the single use of a code and the storage
/// (<see cref="AnswerStore"/>). It answers an <see cref="AnswerOutcome"/>; what a client or a participant is shown of it is
/// the caller's business.
/// <para>
/// The used-code probe is closed (issue 23): someone holding slips must not learn, by trying them, which were used and
/// when. Reading the form of a used code shows the form as for an unused one; answers to a used code are checked like any
/// others (a 400 names the same errors); only answers that would have been stored learn that the code was used (the kind
/// message for a participant who reuses their slip), and that counts as a failed look-up. So a probe tells "used" only by
/// offering a complete answer, which for an unused code is stored and spends the code (its holder then finds it used), and
/// probes are limited like guesses (<see cref="FailedCodeLimiter"/>).
/// </para>
/// </summary>
public sealed class AnsweringService(DbConnection db, FailedCodeLimiter failedCodes, AtRestScrubber scrubber, TimeProvider time)
{
    /// <summary>The form of the code's course for <paramref name="purpose"/>, in <paramref name="language"/> or the course's.</summary>
    public async Task<AnswerOutcome> ReadFormAsync(
        string client, string? code, EvaluationPurpose purpose, string? language, bool ownLanguageIfMissing = false)
    {
        var (refused, target) = await LookUpAsync(client, code, transaction: null);
        if (refused is not null)
        {
            return refused;
        }

        if (target!.FormId(purpose) is not { } formId || await EvaluationForms.ReadAsync(db, formId) is not { } form)
        {
            return new AnswerOutcome.NoForm(purpose, target.Language);
        }

        if (language is not null && !form.Languages.Contains(language, StringComparer.Ordinal))
        {
            if (!ownLanguageIfMissing)
            {
                return new AnswerOutcome.Invalid(new() { ["lang"] = [$"The form is in {string.Join(", ", form.Languages)}; not in '{language}'."] });
            }

            language = null;
        }

        return new AnswerOutcome.Form(Shown(form, purpose, language ?? target.Language));
    }

    /// <summary>
    /// Checks and stores the answers. One BEGIN IMMEDIATE transaction from reading the code to storing the answers: the form
    /// cannot change under the check, and concurrent uses of one code queue here.
    /// </summary>
    public async Task<AnswerOutcome> SubmitAsync(string client, AnswerCommand command)
    {
        var purpose = command.Purpose;
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var (refused, target) = await LookUpAsync(client, command.Code, transaction);
        if (refused is not null)
        {
            return refused;
        }

        if (target!.FormId(purpose) is not { } formId)
        {
            return new AnswerOutcome.NoForm(purpose, target.Language);
        }

        if (!EvaluationCourse.Answerable.Contains(target.Status))
        {
            return new AnswerOutcome.Closed("This course no longer takes answers.", target.Language);
        }

        if (await EvaluationForms.ReadAsync(db, formId, transaction) is not { } form)
        {
            return new AnswerOutcome.NoForm(purpose, target.Language);
        }

        var language = command.Language;
        if (command.OwnLanguageIfMissing && (language is null || !form.Languages.Contains(language, StringComparer.Ordinal)))
        {
            language = EvaluationForms.LanguageFor(form, target.Language);
        }

        var shown = Shown(form, purpose, EvaluationForms.LanguageFor(form, language ?? target.Language));
        var outcome = await AnswerStore.RecordAsync(
            db, transaction, target.CourseId, formId, purpose, ResponseSource.Online, target.CodeId, language!, command.Answers(shown),
            DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), form);
        switch (outcome)
        {
            case AnswerOutcome.Stored:
                write.Commit();
                scrubber.Committed(db);
                return outcome;
            case AnswerOutcome.Invalid invalid:
                return invalid with { Shown = shown };
            case AnswerOutcome.Used used:
                // Said only to answers that would have been stored, and counted like an unknown code: probing is guessing.
                failedCodes.Failed(client, target.Code);
                return used with { Language = target.Language };
            case AnswerOutcome.Closed closed:
                return closed with { Language = target.Language };
            case AnswerOutcome.NoForm none:
                return none with { Language = target.Language };
            default:
                return outcome;
        }
    }

    /// <summary>
    /// The one path by which a typed code is looked up: the failed-code limit first (Limited once this client has used its
    /// failures for the code's prefix or at all), then the format (Invalid naming code) and the code itself (UnknownCode);
    /// both failures count against the client. Whether the code was used is not looked at here: only storing finds out.
    /// </summary>
    private async Task<(AnswerOutcome? Refused, CodeTarget? Target)> LookUpAsync(
        string client, string? typed, DbTransaction? transaction)
    {
        var canonical = EvaluationCodes.Normalize(typed);
        if (!failedCodes.TryEnter(client, canonical, out var retryAfter))
        {
            return (new AnswerOutcome.Limited(retryAfter), null);
        }

        if (canonical is null)
        {
            failedCodes.Failed(client, null);
            return (new AnswerOutcome.Invalid(new() { ["code"] = [EvaluationCodes.FormatMessage] }), null);
        }

        var target = await db.QueryPreparedFirstOrDefaultAsync<CodeTarget>(SelectCodeTarget, transaction, ("@code", canonical));
        if (target is null)
        {
            failedCodes.Failed(client, canonical);
            return (new AnswerOutcome.UnknownCode(), null);
        }

        return (null, target with { Code = canonical });
    }

    /// <summary>The form as a participant sees it: one language, no right answers.</summary>
    private static ParticipantFormDto Shown(EvaluationFormDto form, EvaluationPurpose purpose, string wanted)
    {
        var language = EvaluationForms.LanguageFor(form, wanted);
        return new ParticipantFormDto(
            purpose, form.Title, language, form.Languages,
            form.Questions.Select(q => new ParticipantQuestionDto(
                q.Key, q.Type, q.Required, q.Text[language],
                q.Options?.Select(o => new LocalizedOptionDto(o.Value, o.Text[language])).ToList())).ToList());
    }

    private const string SelectCodeTarget = """
        SELECT ec.id AS CodeId, c.id AS CourseId, c.language AS Language, c.status AS Status,
               c.evaluation_form_id AS EvaluationFormId, c.pre_test_form_id AS PreTestFormId, c.post_test_form_id AS PostTestFormId
        FROM evaluation_codes ec JOIN courses c ON c.id = ec.course_id
        WHERE ec.code = @code
        """;

    private sealed record CodeTarget
    {
        public int CodeId { get; init; }

        public int CourseId { get; init; }

        public required string Language { get; init; }

        public required string Status { get; init; }

        public int? EvaluationFormId { get; init; }

        public int? PreTestFormId { get; init; }

        public int? PostTestFormId { get; init; }

        /// <summary>The canonical code, as typed.</summary>
        public string Code { get; init; } = "";

        public int? FormId(EvaluationPurpose purpose) => purpose switch
        {
            EvaluationPurpose.PreTest => PreTestFormId,
            EvaluationPurpose.PostTest => PostTestFormId,
            _ => EvaluationFormId,
        };
    }
}

public static class AnsweringSetup
{
    /// <summary>The answering service, one per request (it holds the request's connection).</summary>
    public static IServiceCollection AddAnswering(this IServiceCollection services) => services.AddScoped<AnsweringService>();
}
