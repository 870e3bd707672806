using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Evaluations.Answering;

/// <summary>
/// Stores one set of answers, online (with a code) or from paper, inside the caller's write transaction: the one place
/// that writes <c>evaluation_responses</c>, <c>evaluation_answers</c> and a code's use.
/// </summary>
public static class AnswerStore
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>
    /// Checks the answers against the form and stores them: the code's use (if any), the response and all its answer rows.
    /// Paper and coded answers of a purpose together never exceed the number enrolled (<see cref="AnswerOutcome.Closed"/>).
    /// A reaction response is stored without its code (the code is only marked used for that purpose); tests keep it, to
    /// pair pre and post. Responses and answers get random ids and a date without time, so their order in the database
    /// says nothing of who answered when. Outcomes: Stored, Invalid (no form shown), NoForm, Used, Closed (language empty).
    /// </summary>
    public static async Task<AnswerOutcome> RecordAsync(
        DbConnection db, DbTransaction transaction, int courseId, int formId, EvaluationPurpose purpose, ResponseSource source,
        int? codeId, string language, IReadOnlyDictionary<string, JsonElement> answers, DateOnly? submittedOn = null, EvaluationFormDto? form = null)
    {
        form ??= await EvaluationForms.ReadAsync(db, formId, transaction);
        if (form is null)
        {
            return new AnswerOutcome.NoForm(purpose, "");
        }

        if (!form.Languages.Contains(language, StringComparer.Ordinal))
        {
            return new AnswerOutcome.Invalid(new Dictionary<string, string[]>
            {
                ["language"] = [$"The form is in {string.Join(", ", form.Languages)}; not in '{language}'."],
            });
        }

        if (answers.Count > 200)
        {
            return new AnswerOutcome.Invalid(new Dictionary<string, string[]> { ["answers"] = ["At most 200 answers."] });
        }

        var outcome = AnswerRules.Check(form, answers);
        if (outcome.Errors.Count > 0)
        {
            return new AnswerOutcome.Invalid(outcome.Errors);
        }

        // The statements of a submission stay prepared on the connection (a classroom answers at once, issue 16): the
        // inserts compile the programs of the triggers they fire (report aggregates) when prepared.
        var room = (await db.QueryPreparedFirstOrDefaultAsync<Room>(
            """
            SELECT (SELECT COUNT(*) FROM enrolments WHERE course_id = @courseId AND status = 'enrolled') AS Enrolled,
                   (SELECT COUNT(*) FROM evaluation_responses WHERE course_id = @courseId AND purpose = @purpose) AS Answered
            """,
            transaction, ("@courseId", courseId), ("@purpose", purpose.ToWire())))!;
        if (room.Answered >= room.Enrolled)
        {
            return new AnswerOutcome.Closed(
                $"The course already has {room.Answered} {purpose.ToWire()} answers for {room.Enrolled} enrolled; paper and online " +
                "answers together cannot exceed the number enrolled.", "");
        }

        if (codeId is not null)
        {
            if (db.IsPostgres())
            {
                // PostgreSQL aborts the transaction at a unique violation: the clash is told by the count instead.
                if (await db.ExecutePreparedAsync(
                        "INSERT INTO evaluation_code_uses (code_id, purpose) VALUES (@codeId, @purpose) ON CONFLICT DO NOTHING",
                        transaction, ("@codeId", codeId), ("@purpose", purpose.ToWire())) == 0)
                {
                    return new AnswerOutcome.Used(purpose, "");
                }
            }
            else
            {
                try
                {
                    await db.ExecutePreparedAsync(
                        "INSERT INTO evaluation_code_uses (code_id, purpose) VALUES (@codeId, @purpose)",
                        transaction, ("@codeId", codeId), ("@purpose", purpose.ToWire()));
                }
                catch (SqliteException ex) when (ex.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey)
                {
                    return new AnswerOutcome.Used(purpose, "");
                }
            }
        }

        var on = submittedOn ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var responseId = await InsertWithRandomIdAsync(id => db.ExecutePreparedAsync(
            db.Sql(InsertResponse),
            transaction,
            ("@id", id), ("@courseId", courseId), ("@formId", formId), ("@purpose", purpose.ToWire()),
            ("@codeId", purpose == EvaluationPurpose.Reaction ? null : codeId),
            ("@source", source.ToWire()), ("@language", language), ("@score", outcome.Score),
            ("@on", on.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));

        await InsertWithRandomIdAsync(_ => db.ExecutePreparedAsync(
            db.Sql(InsertAnswers),
            transaction, ("@responseId", responseId), ("@rows", JsonSerializer.Serialize(outcome.Rows, Json.Options))));
        return new AnswerOutcome.Stored(new EvaluationReceipt(purpose, language, outcome.Score));
    }

    /// <summary>
    /// Runs an insert with a fresh random id in 1..2^53 until it does not clash (a clash is about as likely as guessing
    /// a code, but a failed statement is undone on its own, so trying again is safe).
    /// </summary>
    private static async Task<long> InsertWithRandomIdAsync(Func<long, Task<int>> insert)
    {
        for (var attempt = 1; ; attempt++)
        {
            var id = (long)(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) % 9007199254740990UL) + 1;
            try
            {
                // 0 rows: the id clashed (PostgreSQL's ON CONFLICT DO NOTHING; SQLite throws instead).
                if (await insert(id) != 0 || attempt >= 5)
                {
                    return id;
                }
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey && attempt < 5)
            {
            }
        }
    }

    private sealed record Room(long Enrolled, long Answered);

    private static readonly DialectSql InsertResponse = new(
        """
            INSERT INTO evaluation_responses (id, course_id, form_id, purpose, code_id, source, language, score, submitted_at)
            VALUES (@id, @courseId, @formId, @purpose, @codeId, @source, @language, @score, @on)
            """,
        """
        INSERT INTO evaluation_responses (id, course_id, form_id, purpose, code_id, source, language, score, submitted_at)
        VALUES (@id, @courseId, @formId, @purpose, @codeId, @source, @language, @score, @on) ON CONFLICT (id) DO NOTHING
        """);

    /// <summary>The answers of one response from the JSON rows; on PostgreSQL a random id that clashes fails the write (about 1 in 2^53).</summary>
    private static readonly DialectSql InsertAnswers = new(
        """
            INSERT INTO evaluation_answers (id, response_id, question_key, option_value, number_value, text_value)
            SELECT (abs(random()) % 9007199254740990) + 1, @responseId, j.value ->> '$.k', j.value ->> '$.o', j.value ->> '$.n', j.value ->> '$.t'
            FROM json_each(@rows) j
            """,
        """
        INSERT INTO evaluation_answers (id, response_id, question_key, option_value, number_value, text_value)
        SELECT CAST(floor(random() * 9007199254740990) AS bigint) + 1, @responseId, j ->> 'k', j ->> 'o', CAST(j ->> 'n' AS double precision), j ->> 't'
        FROM jsonb_array_elements(CAST(@rows AS jsonb)) j
        """);
}
