using System.Data.Common;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Evaluations;

/// <summary>Reading and writing forms: the SQL shared by the form routes, the answer routes, the summary and the demo seed.</summary>
public static class EvaluationForms
{
    // Keys start with a lower-case letter and hold no dots, so that "answers.<key>" in a problem is the key as sent.
    public const string KeyPattern = "^[a-z][A-Za-z0-9_-]{0,39}$";
    public const string KeyMessage = "A key starts with a lower-case letter, then up to 39 letters, digits, '_' or '-'.";

    private const string SelectForm = """
        SELECT f.id AS Id, f.title AS Title, f.purpose AS Purpose, f.languages AS LanguagesJson, f.copied_from_id AS CopiedFromId,
               f.created_at AS CreatedAt, f.version AS Version,
               EXISTS (SELECT 1 FROM evaluation_responses r WHERE r.form_id = f.id) AS Frozen
        FROM evaluation_forms f
        """;

    private const string SelectQuestions = """
        SELECT q.form_id AS FormId, q.question_key AS Key, q.type AS Type, q.level AS Level, q.required AS Required,
               q.texts AS TextsJson, q.options AS OptionsJson, q.correct_option AS CorrectOption, q.points AS Points
        FROM form_questions q
        """;

    /// <summary>A form with its questions, or null. Two statements, one round trip.</summary>
    public static async Task<EvaluationFormDto?> ReadAsync(DbConnection db, long id, DbTransaction? transaction = null)
    {
        using var results = await db.QueryMultipleAsync(
            SelectForm + " WHERE f.id = @id; " + SelectQuestions + " WHERE q.form_id = @id ORDER BY q.position",
            new { id }, transaction);
        var form = await results.ReadSingleOrDefaultAsync<FormRow>();
        var questions = (await results.ReadAsync<QuestionRow>()).Select(q => q.ToDto()).ToList();
        return form?.ToDto(questions);
    }

    /// <summary>Several forms with their questions, by id, in two statements whatever their number.</summary>
    /// <summary>Dapper expands <c>IN @ids</c> into one parameter per id on SQLite; Npgsql takes the array itself (<c>= ANY</c>).</summary>
    private static readonly DialectSql ReadManySql = new(d => d.IsPostgres
        ? SelectForm + " WHERE f.id = ANY(@ids); " + SelectQuestions + " WHERE q.form_id = ANY(@ids) ORDER BY q.form_id, q.position"
        : SelectForm + " WHERE f.id IN @ids; " + SelectQuestions + " WHERE q.form_id IN @ids ORDER BY q.form_id, q.position");

    public static async Task<IReadOnlyDictionary<int, EvaluationFormDto>> ReadManyAsync(
        DbConnection db, IReadOnlyCollection<int> ids, DbTransaction? transaction = null)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<int, EvaluationFormDto>();
        }

        using var results = await db.QueryMultipleAsync(
            db.Sql(ReadManySql),
            new { ids = ids.ToArray() }, transaction);
        var forms = (await results.ReadAsync<FormRow>()).ToList();
        var questions = (await results.ReadAsync<QuestionRow>()).ToLookup(q => q.FormId);
        return forms.ToDictionary(f => f.Id, f => f.ToDto(questions[f.Id].Select(q => q.ToDto()).ToList()));
    }

    public static async Task<IReadOnlyList<EvaluationFormListItem>> ListAsync(
        DbConnection db, string? purpose, int limit, int offset, Action<int> total)
    {
        const string where = " WHERE (@purpose IS NULL OR f.purpose = @purpose)";
        using var results = await db.QueryMultipleAsync(
            """
            SELECT f.id AS Id, f.title AS Title, f.purpose AS Purpose, f.languages AS LanguagesJson, f.copied_from_id AS CopiedFromId,
                   f.created_at AS CreatedAt, f.version AS Version,
                   EXISTS (SELECT 1 FROM evaluation_responses r WHERE r.form_id = f.id) AS Frozen,
                   (SELECT COUNT(*) FROM form_questions q WHERE q.form_id = f.id) AS QuestionCount
            FROM evaluation_forms f
            """ + where + " ORDER BY f.id LIMIT @limit OFFSET @offset; SELECT COUNT(*) FROM evaluation_forms f" + where,
            new { purpose, limit, offset });
        var rows = (await results.ReadAsync<FormRow>()).ToList();
        total(await results.ReadSingleAsync<int>());
        return rows.Select(r => new EvaluationFormListItem
        {
            Id = r.Id,
            Title = r.Title,
            Purpose = r.Purpose,
            Languages = r.Languages,
            CopiedFromId = r.CopiedFromId,
            QuestionCount = r.QuestionCount,
            Frozen = r.Frozen,
            CreatedAt = r.CreatedAt,
        }).ToList();
    }

    /// <summary>Inserts a form and its questions; returns its id.</summary>
    public static async Task<int> InsertAsync(DbConnection db, DbTransaction transaction, EvaluationFormRequest form, int? copiedFromId = null)
    {
        var id = await db.ExecuteScalarAsync<int>(
            """
            INSERT INTO evaluation_forms (title, purpose, languages, copied_from_id)
            VALUES (@Title, @purpose, @languages, @copiedFromId) RETURNING id
            """,
            new { form.Title, purpose = form.EffectivePurpose.ToWire(), languages = JsonSerializer.Serialize(form.Languages), copiedFromId },
            transaction);
        await InsertQuestionsAsync(db, transaction, id, form);
        return id;
    }

    public static async Task InsertQuestionsAsync(DbConnection db, DbTransaction transaction, int formId, EvaluationFormRequest form)
    {
        var defaultLevel = form.EffectivePurpose == EvaluationPurpose.Reaction ? KirkpatrickLevel.Reaction : KirkpatrickLevel.Learning;
        await db.ExecuteAsync(
            """
            INSERT INTO form_questions (form_id, position, question_key, type, level, required, texts, options, correct_option, points)
            VALUES (@formId, @Position, @Key, @Type, @Level, @Required, @Texts, @Options, @CorrectOption, @Points)
            """,
            form.Questions!.Select((q, i) => new
            {
                formId,
                Position = i + 1,
                q.Key,
                Type = q.Type!.Value.ToWire(),
                Level = (q.Level ?? defaultLevel).ToWire(),
                Required = q.Required == true ? 1 : 0, // an integer column (0/1) on both engines
                Texts = JsonSerializer.Serialize(q.Text, Json.Options),
                Options = q.Options is { Count: > 0 } options
                    ? JsonSerializer.Serialize(options.Select(o => new OptionDto(o.Value!, o.Text!)), Json.Options)
                    : null,
                q.CorrectOption,
                q.Points,
            }),
            transaction);
    }

    /// <summary>The request that would create this form again: how a form is copied into a new version.</summary>
    public static EvaluationFormRequest ToRequest(EvaluationFormDto form) => new(
        form.Title,
        form.Purpose,
        form.Languages,
        form.Questions.Select(q => new QuestionRequest(
            q.Key, q.Type, q.Level, q.Required, q.Text.ToDictionary(),
            q.Options?.Select(o => new OptionRequest(o.Value, o.Text.ToDictionary())).ToList(),
            q.CorrectOption, q.Points)).ToList());

    /// <summary>The form's texts in one language; the form must declare it.</summary>
    public static LocalizedFormDto Localize(EvaluationFormDto form, string language) => new(
        form.Id, form.Title, form.Purpose, language, form.Languages, form.CopiedFromId, form.Frozen, form.CreatedAt,
        form.Questions.Select(q => new LocalizedQuestionDto(
            q.Key, q.Type, q.Level, q.Required, q.Text[language],
            q.Options?.Select(o => new LocalizedOptionDto(o.Value, o.Text[language])).ToList(),
            q.CorrectOption, q.Points)).ToList())
    {
        Version = form.Version,
    };

    /// <summary>The language to show a form in: the one asked for when the form has it, else the first the form declares.</summary>
    public static string LanguageFor(EvaluationFormDto form, string? wanted) =>
        wanted is not null && form.Languages.Contains(wanted, StringComparer.Ordinal) ? wanted : form.Languages[0];

    private sealed record FormRow
    {
        public int Id { get; init; }

        public required string Title { get; init; }

        public EvaluationPurpose Purpose { get; init; }

        public required string LanguagesJson { get; init; }

        public int? CopiedFromId { get; init; }

        public DateTime CreatedAt { get; init; }

        public long Version { get; init; }

        public bool Frozen { get; init; }

        public int QuestionCount { get; init; }

        public IReadOnlyList<string> Languages => JsonSerializer.Deserialize<List<string>>(LanguagesJson) ?? [];

        public EvaluationFormDto ToDto(IReadOnlyList<QuestionDto> questions) =>
            new(Id, Title, Purpose, Languages, CopiedFromId, Frozen, CreatedAt, questions) { Version = Version };
    }

    private sealed record QuestionRow
    {
        public int FormId { get; init; }

        public required string Key { get; init; }

        public QuestionType Type { get; init; }

        public KirkpatrickLevel Level { get; init; }

        public bool Required { get; init; }

        public required string TextsJson { get; init; }

        public string? OptionsJson { get; init; }

        public string? CorrectOption { get; init; }

        public double? Points { get; init; }

        public QuestionDto ToDto() => new(
            Key, Type, Level, Required,
            JsonSerializer.Deserialize<Dictionary<string, string>>(TextsJson, Json.Options) ?? [],
            OptionsJson is null ? null : JsonSerializer.Deserialize<List<OptionDto>>(OptionsJson, Json.Options),
            CorrectOption, Points);
    }
}
