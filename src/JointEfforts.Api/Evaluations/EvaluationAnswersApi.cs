using System.ComponentModel;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Evaluations;

/// <summary>Codes, the anonymous form and answers, paper forms, and reading one stored response.</summary>
public static class EvaluationAnswersApi
{
    private const int SqliteConstraintUnique = 2067;

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
                         "code already used for that purpose: 409; malformed code: 400.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        anonymous.MapPost("/", SubmitAnswers).WithName("SubmitEvaluation")
            .WithSummary("Anonymous, rate limited per client IP. Answer the form with a code, once per purpose: 201 with a receipt (and the " +
                         "score of a knowledge test). Unknown code 404; code used for that purpose 409, also when submitted concurrently; " +
                         "the course no longer takes answers (not open, closed or delivered) 409; answers checked against the form, errors " +
                         "named answers.<key>. Nothing links the response to a person.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var staff = app.MapGroup("/api")
            .WithTags("Evaluation (courses)")
            .RequireAuthorization(Policies.AnyUser)
            .WithStandardProblems()
            .WithETags();
        staff.MapGet("/evaluations/{id:int}", GetResponse).WithName("GetEvaluationResponse")
            .WithSummary("Read one stored response, anonymous (no code, no name). A country expert reads those of their country's courses only.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/courses/{id:int}/evaluation-codes", IssueCodes).WithName("IssueEvaluationCodes")
            .WithSummary("Issue single-use codes for printed slips (coordinator, or the course's expert: courses.countryExpertUserId, or any " +
                         "expert of the course's country when the course names none). One code per enrolled participant: a second call " +
                         "issues only the codes missing (enrolled - already issued), 201 with just those, or 200 [] when none is missing. " +
                         "The course must be open, closed or delivered (409). Codes are stored per course, never with a participant.")
            .RequireAuthorization(Policies.CourseStaff)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapGet("/courses/{id:int}/evaluation-codes", ListCodes).WithName("ListEvaluationCodes")
            .WithSummary("All codes of a course, to print the slips again (coordinator, or the course's expert). Never who holds which.")
            .RequireAuthorization(Policies.CourseStaff)
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/courses/{id:int}/evaluations", EnterPaperForm).WithName("EnterPaperEvaluation")
            .WithSummary("Enter a paper form (coordinator, or the course's expert): the same answer rules as online, no code, so paper " +
                         "tests do not pair into knowledgeGain. The course must be open, closed or delivered (409).")
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
        SqliteConnection db)
    {
        if (EvaluationCodes.Normalize(code) is not { } canonical)
        {
            return Problems.Validation("code", EvaluationCodes.FormatMessage);
        }

        var wanted = purpose?.Value ?? EvaluationPurpose.Reaction;
        var target = await db.QuerySingleOrDefaultAsync<CodeTarget>(SelectCodeTarget, new { code = canonical, purpose = wanted.ToWire() });
        if (target is null)
        {
            return UnknownCode();
        }

        if (target.Used)
        {
            return UsedCode(wanted);
        }

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
        AnonymousEvaluationRequest request, SqliteConnection db)
    {
        if (EvaluationCodes.Normalize(request.Code) is not { } canonical)
        {
            return Problems.Validation("code", EvaluationCodes.FormatMessage);
        }

        var purpose = request.Purpose ?? EvaluationPurpose.Reaction;
        // One BEGIN IMMEDIATE transaction from reading the code to storing the answers: the form cannot change under
        // the check, and concurrent uses of one code queue here. The unique index on (code_id, purpose) is the last word.
        using var transaction = db.BeginTransaction();
        var target = await db.QuerySingleOrDefaultAsync<CodeTarget>(
            SelectCodeTarget, new { code = canonical, purpose = purpose.ToWire() }, transaction);
        if (target is null)
        {
            return UnknownCode();
        }

        if (target.Used)
        {
            return UsedCode(purpose);
        }

        if (target.FormId(purpose) is not { } formId)
        {
            return Problems.NotFound("Form", $"'{purpose.ToWire()}' of this code's course");
        }

        if (!EvaluationCourse.Answerable.Contains(target.Status))
        {
            return Problems.Conflict("This course no longer takes answers.");
        }

        var stored = await RecordAsync(db, transaction, target.CourseId, formId, purpose, target.CodeId, request.Language!, request.Answers!);
        if (stored.Problem is not null)
        {
            return stored.Problem;
        }

        if (stored.Errors is not null)
        {
            return Problems.Validation(stored.Errors);
        }

        transaction.Commit();
        return TypedResults.Created(
            $"/api/evaluations/{stored.Response!.Id}",
            new EvaluationReceipt(purpose, stored.Response.Language, stored.Response.Score, stored.Response.SubmittedAt));
    }

    private static async Task<Results<Created<EvaluationResponseDto>, ValidationProblem, ProblemHttpResult>> EnterPaperForm(
        int id, PaperEvaluationRequest request, Caller caller, SqliteConnection db)
    {
        var purpose = request.Purpose ?? EvaluationPurpose.Reaction;
        using var transaction = db.BeginTransaction();
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

        var stored = await RecordAsync(db, transaction, id, formId, purpose, codeId: null, request.Language!, request.Answers!);
        if (stored.Problem is not null)
        {
            return stored.Problem;
        }

        if (stored.Errors is not null)
        {
            return Problems.Validation(stored.Errors);
        }

        transaction.Commit();
        return TypedResults.Created($"/api/evaluations/{stored.Response!.Id}", stored.Response);
    }

    private static async Task<Results<Ok<EvaluationResponseDto>, ProblemHttpResult>> GetResponse(int id, Caller caller, SqliteConnection db)
    {
        var response = await ReadResponseAsync(db, id, caller.CountryScope);
        return response is null ? Problems.NotFound("Evaluation response", id) : TypedResults.Ok(response);
    }

    private static async Task<Results<Created<IReadOnlyList<EvaluationCodeDto>>, Ok<IReadOnlyList<EvaluationCodeDto>>, ProblemHttpResult>> IssueCodes(
        int id, Caller caller, SqliteConnection db)
    {
        using var transaction = db.BeginTransaction();
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

        var codes = await IssueMissingCodesAsync(db, transaction, id, EvaluationCodes.Create);
        transaction.Commit();
        IReadOnlyList<EvaluationCodeDto> issued = codes.Select(c => new EvaluationCodeDto(EvaluationCodes.Display(c))).ToList();
        return issued.Count == 0
            ? TypedResults.Ok(issued)
            : TypedResults.Created($"/api/courses/{id}/evaluation-codes", issued);
    }

    private static async Task<Results<Ok<IReadOnlyList<EvaluationCodeDto>>, ProblemHttpResult>> ListCodes(int id, Caller caller, SqliteConnection db)
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

        var codes = await db.QueryAsync<string>("SELECT code FROM evaluation_codes WHERE course_id = @id ORDER BY id", new { id });
        return TypedResults.Ok<IReadOnlyList<EvaluationCodeDto>>(codes.Select(c => new EvaluationCodeDto(EvaluationCodes.Display(c))).ToList());
    }

    /// <summary>Issues codes until the course has one per enrolled participant; returns the new ones (canonical form).</summary>
    public static async Task<IReadOnlyList<string>> IssueMissingCodesAsync(
        SqliteConnection db, SqliteTransaction transaction, int courseId, Func<string> newCode)
    {
        var missing = await db.ExecuteScalarAsync<int>(
            """
            SELECT (SELECT COUNT(*) FROM enrolments WHERE course_id = @courseId AND status = 'enrolled')
                 - (SELECT COUNT(*) FROM evaluation_codes WHERE course_id = @courseId)
            """,
            new { courseId }, transaction);
        var issued = new List<string>();
        while (issued.Count < missing)
        {
            var code = newCode();
            // A clash of two 59-bit codes is next to impossible; should it happen, draw again.
            var inserted = await db.ExecuteAsync(
                "INSERT INTO evaluation_codes (course_id, code) VALUES (@courseId, @code) ON CONFLICT (code) DO NOTHING",
                new { courseId, code }, transaction);
            if (inserted == 1)
            {
                issued.Add(code);
            }
        }

        return issued;
    }

    /// <summary>Checks the answers against the form and stores them: the response and all its answer rows in two statements.</summary>
    public static async Task<Recorded> RecordAsync(
        SqliteConnection db, SqliteTransaction transaction, int courseId, int formId, EvaluationPurpose purpose, int? codeId,
        string language, IReadOnlyDictionary<string, JsonElement> answers, DateTime? submittedAt = null)
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

        long responseId;
        try
        {
            responseId = await db.ExecuteScalarAsync<long>(
                """
                INSERT INTO evaluation_responses (course_id, form_id, purpose, code_id, source, language, score, submitted_at)
                VALUES (@courseId, @formId, @purpose, @codeId, @source, @language, @Score,
                        COALESCE(@submittedAt, strftime('%Y-%m-%dT%H:%M:%fZ','now')))
                RETURNING id
                """,
                new
                {
                    courseId, formId, purpose = purpose.ToWire(), codeId,
                    source = (codeId is null ? ResponseSource.Paper : ResponseSource.Online).ToWire(),
                    language, outcome.Score, submittedAt,
                },
                transaction);
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintUnique)
        {
            return new Recorded(null, null, UsedCode(purpose));
        }

        await db.ExecuteAsync(
            """
            INSERT INTO evaluation_answers (response_id, question_key, option_value, number_value, text_value)
            SELECT @responseId, j.value ->> '$.k', j.value ->> '$.o', j.value ->> '$.n', j.value ->> '$.t'
            FROM json_each(@rows) j ORDER BY j.key
            """,
            new { responseId, rows = JsonSerializer.Serialize(outcome.Rows, Json.Options) },
            transaction);
        return new Recorded(await ReadResponseAsync(db, (int)responseId, null, transaction), null, null);
    }

    private static async Task<EvaluationResponseDto?> ReadResponseAsync(SqliteConnection db, int id, string? country, SqliteTransaction? transaction = null)
    {
        using var results = await db.QueryMultipleAsync(
            """
            SELECT r.id AS Id, r.course_id AS CourseId, r.form_id AS FormId, r.purpose AS Purpose, r.source AS Source,
                   r.language AS Language, r.score AS Score, r.submitted_at AS SubmittedAt
            FROM evaluation_responses r JOIN courses c ON c.id = r.course_id
            WHERE r.id = @id AND (@country IS NULL OR c.country_code = @country);
            SELECT a.question_key AS QuestionKey, q.type AS Type, a.option_value AS OptionValue, a.number_value AS NumberValue,
                   a.text_value AS TextValue
            FROM evaluation_answers a
            JOIN evaluation_responses r ON r.id = a.response_id
            JOIN form_questions q ON q.form_id = r.form_id AND q.question_key = a.question_key
            WHERE a.response_id = @id ORDER BY q.position, a.id;
            """,
            new { id, country }, transaction);
        var response = await results.ReadSingleOrDefaultAsync<ResponseRow>();
        if (response is null)
        {
            return null;
        }

        var answers = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var group in (await results.ReadAsync<AnswerValueRow>()).GroupBy(a => a.QuestionKey))
        {
            var first = group.First();
            answers[group.Key] = first.Type switch
            {
                QuestionType.MultipleChoice => group.Select(a => a.OptionValue!).ToList(),
                QuestionType.SingleChoice => first.OptionValue!,
                QuestionType.Text => first.TextValue!,
                QuestionType.Likert5 => (int)first.NumberValue!.Value,
                _ => first.NumberValue!.Value,
            };
        }

        return new EvaluationResponseDto(
            response.Id, response.CourseId, response.FormId, response.Purpose, response.Source, response.Language, response.Score,
            response.SubmittedAt, answers);
    }

    private static ProblemHttpResult UnknownCode() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "This code is not known. Check the slip and try again.");

    private static ProblemHttpResult UsedCode(EvaluationPurpose purpose) =>
        Problems.Conflict($"This code has already been used for the {purpose.ToWire()} form.");

    private const string SelectCodeTarget = """
        SELECT ec.id AS CodeId, c.id AS CourseId, c.language AS Language, c.status AS Status,
               c.evaluation_form_id AS EvaluationFormId, c.pre_test_form_id AS PreTestFormId, c.post_test_form_id AS PostTestFormId,
               EXISTS (SELECT 1 FROM evaluation_responses r WHERE r.code_id = ec.id AND r.purpose = @purpose) AS Used
        FROM evaluation_codes ec JOIN courses c ON c.id = ec.course_id
        WHERE ec.code = @code
        """;

    public sealed record Recorded(EvaluationResponseDto? Response, Dictionary<string, string[]>? Errors, ProblemHttpResult? Problem);

    private sealed record CodeTarget
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

    private sealed record ResponseRow
    {
        public int Id { get; init; }

        public int CourseId { get; init; }

        public int FormId { get; init; }

        public EvaluationPurpose Purpose { get; init; }

        public ResponseSource Source { get; init; }

        public required string Language { get; init; }

        public double? Score { get; init; }

        public DateTime SubmittedAt { get; init; }
    }

    private sealed record AnswerValueRow
    {
        public required string QuestionKey { get; init; }

        public QuestionType Type { get; init; }

        public string? OptionValue { get; init; }

        public double? NumberValue { get; init; }

        public string? TextValue { get; init; }
    }
}
