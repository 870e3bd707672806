using System.ComponentModel;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Evaluations;

/// <summary>
/// Codes in batches, the anonymous form and answers, paper forms. No route returns one response, its id or its time
/// (API.md, "Anonymity of evaluations"): answers are read only as aggregates (EvaluationSummaryApi, the workbooks).
/// </summary>
public static class EvaluationAnswersApi
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    public static IEndpointRouteBuilder MapEvaluationAnswers(this IEndpointRouteBuilder app)
    {
        // Participants hold no token: a code is their only credential, so these routes are limited per client IP.
        var anonymous = app.MapGroup("/api/evaluations")
            .WithTags("Evaluation (participants, anonymous)")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimiting.Anonymous)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        anonymous.MapGet("/form", GetParticipantForm).WithName("GetParticipantForm")
            .WithSummary("Anonymous, rate limited per client IP. The form of the code's course for ?purpose= (default reaction), in the course " +
                         "language (or ?lang= when the form has it), without right answers. Unknown code or no form of that purpose: 404; " +
                         "code already used for that purpose: 409; malformed code: 400. Unknown and malformed codes count against " +
                         "JointEfforts:RateLimits:FailedCodesPerHour per client IP; beyond it every code look-up of that IP is a 429.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        anonymous.MapPost("/", SubmitAnswers).WithName("SubmitEvaluation")
            .WithSummary("Anonymous, rate limited per client IP. Answer the form with a code, once per purpose: 201 with a receipt (the " +
                         "score of a knowledge test; no id, no time). Unknown code 404; code used for that purpose 409, also when submitted " +
                         "concurrently; the course no longer takes answers (not open, closed or delivered), or already has as many answers " +
                         "of this purpose as enrolled, 409; answers checked against the form, errors named answers.<key>. Unknown and " +
                         "malformed codes count against FailedCodesPerHour (429 beyond). A reaction response keeps no link to its code.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var staff = app.MapGroup("/api")
            .WithTags("Evaluation (courses)")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();
        staff.MapPost("/courses/{id:int}/evaluation-codes", IssueCodes).WithName("IssueEvaluationCodes")
            .WithSummary("Issue a batch of single-use codes for printed slips (coordinator, or the course's expert: courses.countryExpertUserId, " +
                         "or any expert of the course's country when the course names none). Body optional: { count } (5..500); default " +
                         "enrolled minus codes already issued, raised to 5, so no code can be told apart as the one of a late enrolment. " +
                         "201 { batchId, issuedOn, codes: [{ code }] } in random order. The course must be open, closed or delivered and " +
                         "have a reaction form (409). Codes are stored per course and batch, never with a participant.")
            .RequireAuthorization(Policies.CourseStaff)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapGet("/courses/{id:int}/evaluation-codes", ListCodeBatches).WithName("ListEvaluationCodeBatches")
            .WithSummary("The course's batches of codes, each with its codes in code order, to print the slips again (coordinator, or the " +
                         "course's expert). Paged by batch, oldest first. Never who holds which, nor which were used.")
            .RequireAuthorization(Policies.CourseStaff)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapGet("/courses/{id:int}/evaluation-codes/{batchId:int}", GetCodeBatch).WithName("GetEvaluationCodeBatch")
            .WithSummary("One batch of codes, in code order (coordinator, or the course's expert). Unknown batch or one of another course: 404.")
            .RequireAuthorization(Policies.CourseStaff)
            .ProducesProblem(StatusCodes.Status404NotFound);
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

    /// <summary>The participant's form (GET /api/evaluations/form); the participant's page (Pages/) renders the same result.</summary>
    public static async Task<Results<Ok<ParticipantFormDto>, ValidationProblem, ProblemHttpResult>> GetParticipantForm(
        [Description("The code on the slip.")] string? code,
        [Description("reaction (default), preTest, postTest.")] EnumQuery<EvaluationPurpose>? purpose,
        [Description("A language of the form; default the course language.")] string? lang,
        HttpContext http,
        FailedCodeLimiter failedCodes,
        SqliteConnection db)
    {
        var wanted = purpose?.Value ?? EvaluationPurpose.Reaction;
        var lookup = await LookUpCodeAsync(db, null, http, failedCodes, code, wanted);
        if (lookup.Problem is not null)
        {
            return lookup.Problem;
        }

        if (lookup.Errors is not null)
        {
            return Problems.Validation(lookup.Errors);
        }

        var target = lookup.Target!;
        if (target.FormId(wanted) is not { } formId || await EvaluationForms.ReadAsync(db, formId) is not { } form)
        {
            return Problems.NotFound("Form", $"'{wanted.ToWire()}' of this code's course");
        }

        if (lang is not null && !form.Languages.Contains(lang, StringComparer.Ordinal))
        {
            return Problems.Validation("lang", $"The form is in {string.Join(", ", form.Languages)}; not in '{lang}'.");
        }

        var language = EvaluationForms.LanguageFor(form, lang ?? target.Language);
        return TypedResults.Ok(new ParticipantFormDto(
            wanted, form.Title, language, form.Languages,
            form.Questions.Select(q => new ParticipantQuestionDto(
                q.Key, q.Type, q.Required, q.Text[language],
                q.Options?.Select(o => new LocalizedOptionDto(o.Value, o.Text[language])).ToList())).ToList()));
    }

    /// <summary>
    /// The one implementation of answering with a code: the JSON route (POST /api/evaluations) and the participant's page
    /// (Pages/, POST /e/{code}) both call it, so validation, storage and the anonymity rules cannot drift apart.
    /// </summary>
    public static async Task<Results<Created<EvaluationReceipt>, ValidationProblem, ProblemHttpResult>> SubmitAnswers(
        AnonymousEvaluationRequest request, HttpContext http, FailedCodeLimiter failedCodes, SqliteConnection db)
    {
        var purpose = request.Purpose ?? EvaluationPurpose.Reaction;
        // One BEGIN IMMEDIATE transaction from reading the code to storing the answers: the form cannot change under
        // the check, and concurrent uses of one code queue here. The key of evaluation_code_uses is the last word.
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var lookup = await LookUpCodeAsync(db, transaction, http, failedCodes, request.Code, purpose);
        if (lookup.Problem is not null)
        {
            return lookup.Problem;
        }

        if (lookup.Errors is not null)
        {
            return Problems.Validation(lookup.Errors);
        }

        var target = lookup.Target!;
        if (target.FormId(purpose) is not { } formId)
        {
            return Problems.NotFound("Form", $"'{purpose.ToWire()}' of this code's course");
        }

        if (!EvaluationCourse.Answerable.Contains(target.Status))
        {
            return Problems.Conflict("This course no longer takes answers.");
        }

        var stored = await RecordAsync(
            db, transaction, target.CourseId, formId, purpose, ResponseSource.Online, target.CodeId, request.Language!, request.Answers!);
        if (stored.Problem is not null)
        {
            return stored.Problem;
        }

        if (stored.Errors is not null)
        {
            return Problems.Validation(stored.Errors);
        }

        write.Commit();
        // No Location: there is no route that returns one response.
        return TypedResults.Created((string?)null, stored.Receipt!);
    }

    /// <summary>What a code look-up found: the code's course and forms, or the problem to answer.</summary>
    public sealed record CodeLookup(CodeTarget? Target, Dictionary<string, string[]>? Errors, ProblemHttpResult? Problem);

    /// <summary>
    /// The one path by which a typed code is looked up, for every route that takes one (the JSON form and submit, the
    /// participant pages): the failed-code limit first (429 with Retry-After once this IP has used its failures), then
    /// the format (400 naming code) and the code itself (404); both failures count against the IP; a code already used
    /// for the purpose is a 409 and no failure.
    /// </summary>
    public static async Task<CodeLookup> LookUpCodeAsync(
        SqliteConnection db, SqliteTransaction? transaction, HttpContext http, FailedCodeLimiter failedCodes, string? typed, EvaluationPurpose purpose)
    {
        if (!failedCodes.TryEnter(http, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = RateLimiting.RetryAfterSeconds(retryAfter);
            return new CodeLookup(null, null, TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                detail: "Too many unknown codes were tried from this address; retry after the number of seconds in Retry-After."));
        }

        if (EvaluationCodes.Normalize(typed) is not { } canonical)
        {
            failedCodes.Failed(http);
            return new CodeLookup(null, new Dictionary<string, string[]> { ["code"] = [EvaluationCodes.FormatMessage] }, null);
        }

        var target = await db.QueryPreparedFirstOrDefaultAsync<CodeTarget>(SelectCodeTarget, transaction, ("@code", canonical), ("@purpose", purpose.ToWire()));
        if (target is null)
        {
            failedCodes.Failed(http);
            return new CodeLookup(null, null, UnknownCode());
        }

        return target.Used ? new CodeLookup(null, null, UsedCode(purpose)) : new CodeLookup(target, null, null);
    }

    private static async Task<Results<Created<EvaluationReceipt>, ValidationProblem, ProblemHttpResult>> EnterPaperForm(
        int id, PaperEvaluationRequest request, Caller caller, SqliteConnection db)
    {
        var purpose = request.Purpose ?? EvaluationPurpose.Reaction;
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await EvaluationCourse.ReadAsync(db, id, caller, transaction);
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        if (!course.MayRunEvaluation(caller))
        {
            return Problems.Forbidden("Only a coordinator or the course's country expert enters paper forms.");
        }

        if (course.FormIdFor(purpose) is not { } formId)
        {
            return Problems.Conflict($"Course {id} has no {purpose.ToWire()} form.");
        }

        if (!course.AcceptsAnswers)
        {
            return Problems.Conflict($"Course {id} is {course.Status}; only open, closed or delivered courses take answers.");
        }

        var stored = await RecordAsync(db, transaction, id, formId, purpose, ResponseSource.Paper, codeId: null, request.Language!, request.Answers!);
        if (stored.Problem is not null)
        {
            return stored.Problem;
        }

        if (stored.Errors is not null)
        {
            return Problems.Validation(stored.Errors);
        }

        write.Commit();
        return TypedResults.Created($"/api/courses/{id}/evaluation-summary", stored.Receipt!);
    }

    private static async Task<Results<Created<CodeBatchDto>, ValidationProblem, ProblemHttpResult>> IssueCodes(
        int id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] IssueCodesRequest? request, Caller caller, TimeProvider time, SqliteConnection db)
    {
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var course = await EvaluationCourse.ReadAsync(db, id, caller, transaction);
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        if (!course.MayRunEvaluation(caller))
        {
            return Problems.Forbidden("Only a coordinator or the course's country expert issues evaluation codes.");
        }

        if (!course.AcceptsAnswers)
        {
            return Problems.Conflict($"Course {id} is {course.Status}; codes are issued for open, closed or delivered courses.");
        }

        if (course.EvaluationFormId is null)
        {
            return Problems.Conflict($"Course {id} has no reaction form (evaluationFormId): give it one before issuing codes.");
        }

        var batch = await IssueBatchAsync(
            db, transaction, id, request?.Count, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
            EvaluationCodes.Create, max => RandomNumberGenerator.GetInt32(max));
        write.Commit();
        return TypedResults.Created($"/api/courses/{id}/evaluation-codes/{batch.BatchId}", batch);
    }

    private static async Task<Results<Ok<Paged<CodeBatchDto>>, ProblemHttpResult>> ListCodeBatches(
        int id, [AsParameters] PageRequest paging, Caller caller, SqliteConnection db)
    {
        var course = await EvaluationCourse.ReadAsync(db, id, caller);
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        if (!course.MayRunEvaluation(caller))
        {
            return Problems.Forbidden("Only a coordinator or the course's country expert reads the evaluation codes.");
        }

        using var results = await db.QueryMultipleAsync(
            """
            SELECT COUNT(*) FROM evaluation_code_batches WHERE course_id = @id;
            SELECT b.id AS BatchId, b.issued_on AS IssuedOn, c.code AS Code
            FROM (SELECT id, issued_on FROM evaluation_code_batches WHERE course_id = @id ORDER BY id LIMIT @Size OFFSET @Offset) b
            JOIN evaluation_codes c ON c.batch_id = b.id
            ORDER BY b.id, c.code;
            """,
            new { id, paging.Size, paging.Offset });
        var total = await results.ReadSingleAsync<int>();
        var batches = Batches(await results.ReadAsync<BatchCodeRow>());
        return TypedResults.Ok(Paged<CodeBatchDto>.Of(batches, paging, total));
    }

    private static async Task<Results<Ok<CodeBatchDto>, ProblemHttpResult>> GetCodeBatch(int id, int batchId, Caller caller, SqliteConnection db)
    {
        var course = await EvaluationCourse.ReadAsync(db, id, caller);
        if (course is null)
        {
            return Problems.NotFound("Course", id);
        }

        if (!course.MayRunEvaluation(caller))
        {
            return Problems.Forbidden("Only a coordinator or the course's country expert reads the evaluation codes.");
        }

        var rows = await db.QueryAsync<BatchCodeRow>(
            """
            SELECT b.id AS BatchId, b.issued_on AS IssuedOn, c.code AS Code
            FROM evaluation_code_batches b JOIN evaluation_codes c ON c.batch_id = b.id
            WHERE b.id = @batchId AND b.course_id = @id
            ORDER BY c.code
            """,
            new { id, batchId });
        return Batches(rows) is [var batch] ? TypedResults.Ok(batch) : Problems.NotFound("Code batch", batchId);
    }

    private static List<CodeBatchDto> Batches(IEnumerable<BatchCodeRow> rows) =>
        rows.GroupBy(r => (r.BatchId, r.IssuedOn))
            .Select(g => new CodeBatchDto(g.Key.BatchId, g.Key.IssuedOn, g.Select(r => new EvaluationCodeDto(EvaluationCodes.Display(r.Code))).ToList()))
            .ToList();

    /// <summary>
    /// Issues one batch: <paramref name="count"/> codes, or by default one per enrolled participant without a code yet,
    /// at least <see cref="IssueCodesRequest.MinCount"/>. Answers them shuffled with <paramref name="next"/> (the API passes
    /// the cryptographic random source), so neither the printed order nor the stored order tells which code went to whom.
    /// </summary>
    public static async Task<CodeBatchDto> IssueBatchAsync(
        SqliteConnection db, SqliteTransaction transaction, int courseId, int? count, DateOnly issuedOn, Func<string> newCode, Func<int, int> next)
    {
        var missing = await db.ExecuteScalarAsync<int>(
            """
            SELECT (SELECT COUNT(*) FROM enrolments WHERE course_id = @courseId AND status = 'enrolled')
                 - (SELECT COUNT(*) FROM evaluation_codes WHERE course_id = @courseId)
            """,
            new { courseId }, transaction);
        var size = count ?? Math.Clamp(missing, IssueCodesRequest.MinCount, IssueCodesRequest.MaxCount);
        var batchId = await db.ExecuteScalarAsync<int>(
            "INSERT INTO evaluation_code_batches (course_id, issued_on, code_count) VALUES (@courseId, @issuedOn, @size) RETURNING id",
            new { courseId, issuedOn, size }, transaction);

        var drawn = new List<string>(size);
        while (drawn.Count < size)
        {
            var code = newCode();
            if (!drawn.Contains(code, StringComparer.Ordinal))
            {
                drawn.Add(code);
            }
        }

        // Stored in code order (ids say nothing of the order handed out), answered in a shuffled order.
        drawn.Sort(StringComparer.Ordinal);
        var issued = new List<string>(size);
        foreach (var code in drawn)
        {
            // A clash of two 59-bit codes is next to impossible; should it happen, that code is drawn again below.
            var inserted = await db.ExecuteAsync(
                """
                INSERT INTO evaluation_codes (course_id, batch_id, code, created_at) VALUES (@courseId, @batchId, @code, @issuedOn)
                ON CONFLICT (code) DO NOTHING
                """,
                new { courseId, batchId, code, issuedOn }, transaction);
            if (inserted == 1)
            {
                issued.Add(code);
            }
        }

        while (issued.Count < size)
        {
            var code = newCode();
            var inserted = await db.ExecuteAsync(
                """
                INSERT INTO evaluation_codes (course_id, batch_id, code, created_at) VALUES (@courseId, @batchId, @code, @issuedOn)
                ON CONFLICT (code) DO NOTHING
                """,
                new { courseId, batchId, code, issuedOn }, transaction);
            if (inserted == 1)
            {
                issued.Add(code);
            }
        }

        // Fisher-Yates with the given source: the API's is RandomNumberGenerator.
        for (var i = issued.Count - 1; i > 0; i--)
        {
            var j = next(i + 1);
            (issued[i], issued[j]) = (issued[j], issued[i]);
        }

        return new CodeBatchDto(batchId, issuedOn, issued.Select(c => new EvaluationCodeDto(EvaluationCodes.Display(c))).ToList());
    }

    /// <summary>
    /// Checks the answers against the form and stores them: the code's use (if any), the response and all its answer rows.
    /// Paper and coded answers of a purpose together never exceed the number enrolled (409). A reaction response is stored
    /// without its code (the code is only marked used for that purpose); tests keep it, to pair pre and post. Responses and
    /// answers get random ids and a date without time, so their order in the database says nothing of who answered when.
    /// </summary>
    public static async Task<Recorded> RecordAsync(
        SqliteConnection db, SqliteTransaction transaction, int courseId, int formId, EvaluationPurpose purpose, ResponseSource source,
        int? codeId, string language, IReadOnlyDictionary<string, JsonElement> answers, DateOnly? submittedOn = null)
    {
        var form = await EvaluationForms.ReadAsync(db, formId, transaction);
        if (form is null)
        {
            return new Recorded(null, null, Problems.NotFound("Evaluation form", formId));
        }

        if (!form.Languages.Contains(language, StringComparer.Ordinal))
        {
            return new Recorded(null, new Dictionary<string, string[]>
            {
                ["language"] = [$"The form is in {string.Join(", ", form.Languages)}; not in '{language}'."],
            }, null);
        }

        if (answers.Count > 200)
        {
            return new Recorded(null, new Dictionary<string, string[]> { ["answers"] = ["At most 200 answers."] }, null);
        }

        var outcome = AnswerRules.Check(form, answers);
        if (outcome.Errors.Count > 0)
        {
            return new Recorded(null, outcome.Errors, null);
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
            return new Recorded(null, null, Problems.Conflict(
                $"The course already has {room.Answered} {purpose.ToWire()} answers for {room.Enrolled} enrolled; paper and online " +
                "answers together cannot exceed the number enrolled."));
        }

        if (codeId is not null)
        {
            try
            {
                await db.ExecutePreparedAsync(
                    "INSERT INTO evaluation_code_uses (code_id, purpose) VALUES (@codeId, @purpose)",
                    transaction, ("@codeId", codeId), ("@purpose", purpose.ToWire()));
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey)
            {
                return new Recorded(null, null, UsedCode(purpose));
            }
        }

        var on = submittedOn ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var responseId = await InsertWithRandomIdAsync(id => db.ExecutePreparedAsync(
            """
            INSERT INTO evaluation_responses (id, course_id, form_id, purpose, code_id, source, language, score, submitted_at)
            VALUES (@id, @courseId, @formId, @purpose, @codeId, @source, @language, @score, @on)
            """,
            transaction,
            ("@id", id), ("@courseId", courseId), ("@formId", formId), ("@purpose", purpose.ToWire()),
            ("@codeId", purpose == EvaluationPurpose.Reaction ? null : codeId),
            ("@source", source.ToWire()), ("@language", language), ("@score", outcome.Score),
            ("@on", on.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));

        await InsertWithRandomIdAsync(_ => db.ExecutePreparedAsync(
            """
            INSERT INTO evaluation_answers (id, response_id, question_key, option_value, number_value, text_value)
            SELECT (abs(random()) % 9007199254740990) + 1, @responseId, j.value ->> '$.k', j.value ->> '$.o', j.value ->> '$.n', j.value ->> '$.t'
            FROM json_each(@rows) j
            """,
            transaction, ("@responseId", responseId), ("@rows", JsonSerializer.Serialize(outcome.Rows, Json.Options))));
        return new Recorded(new EvaluationReceipt(purpose, language, outcome.Score), null, null);
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
                await insert(id);
                return id;
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey && attempt < 5)
            {
            }
        }
    }

    private sealed record Room(long Enrolled, long Answered);

    private static ProblemHttpResult UnknownCode() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "This code is not known. Check the slip and try again.");

    private static ProblemHttpResult UsedCode(EvaluationPurpose purpose) =>
        Problems.Conflict($"This code has already been used for the {purpose.ToWire()} form.");

    private const string SelectCodeTarget = """
        SELECT ec.id AS CodeId, c.id AS CourseId, c.language AS Language, c.status AS Status,
               c.evaluation_form_id AS EvaluationFormId, c.pre_test_form_id AS PreTestFormId, c.post_test_form_id AS PostTestFormId,
               EXISTS (SELECT 1 FROM evaluation_code_uses u WHERE u.code_id = ec.id AND u.purpose = @purpose) AS Used
        FROM evaluation_codes ec JOIN courses c ON c.id = ec.course_id
        WHERE ec.code = @code
        """;

    public sealed record Recorded(EvaluationReceipt? Receipt, Dictionary<string, string[]>? Errors, ProblemHttpResult? Problem);

    public sealed record CodeTarget
    {
        public int CodeId { get; init; }

        public int CourseId { get; init; }

        public required string Language { get; init; }

        public required string Status { get; init; }

        public int? EvaluationFormId { get; init; }

        public int? PreTestFormId { get; init; }

        public int? PostTestFormId { get; init; }

        public bool Used { get; init; }

        public int? FormId(EvaluationPurpose purpose) => purpose switch
        {
            EvaluationPurpose.PreTest => PreTestFormId,
            EvaluationPurpose.PostTest => PostTestFormId,
            _ => EvaluationFormId,
        };
    }

    private sealed record BatchCodeRow
    {
        public int BatchId { get; init; }

        public DateOnly IssuedOn { get; init; }

        public required string Code { get; init; }
    }
}
