using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using JointEfforts.Api.Documents;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Pages;

namespace JointEfforts.Api.Languages;

/// <summary>
/// The texts of every language as they stand: a language's text for a key is the one a coordinator stored, else the
/// built-in one of <see cref="TextCatalogue"/>. Read whole (a few hundred short rows) and kept until a write replaces it.
/// </summary>
public sealed class LanguageTexts
{
    public const string Fallback = "en";

    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _stored;
    private readonly ConcurrentDictionary<string, ParticipantText> _pages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DocumentTexts> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SignInTexts> _signIn = new(StringComparer.Ordinal);

    private LanguageTexts(IReadOnlyList<string> codes, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> stored)
    {
        Codes = codes;
        _stored = stored;
    }

    /// <summary>The languages the system has, in code order.</summary>
    public IReadOnlyList<string> Codes { get; }

    public static async Task<LanguageTexts> ReadAsync(DbConnection db, DbTransaction? transaction = null)
    {
        using var results = await db.QueryMultipleAsync(
            "SELECT code FROM languages ORDER BY code; SELECT language AS Language, key AS Key, text AS Text FROM language_texts;",
            transaction: transaction);
        var codes = (await results.ReadAsync<string>()).ToList();
        var stored = (await results.ReadAsync<(string Language, string Key, string Text)>())
            .GroupBy(r => r.Language, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyDictionary<string, string>)g.ToDictionary(r => r.Key, r => r.Text, StringComparer.Ordinal),
                StringComparer.Ordinal);
        return new LanguageTexts(codes, stored);
    }

    /// <summary>Whether both hold the same languages and the same stored texts (then the older one, with its built pages, is kept).</summary>
    public bool SameAs(LanguageTexts other) =>
        Codes.SequenceEqual(other.Codes, StringComparer.Ordinal)
        && _stored.Count == other._stored.Count
        && _stored.All(language => other._stored.TryGetValue(language.Key, out var texts)
            && texts.Count == language.Value.Count
            && language.Value.All(text => texts.TryGetValue(text.Key, out var same) && same == text.Value));

    public bool Has(string? language) => language is not null && Codes.Contains(language, StringComparer.Ordinal);

    /// <summary>The language's own text of a key (stored, else built in), or null: that key is missing.</summary>
    public string? Text(string language, string key) =>
        _stored.TryGetValue(language, out var texts) && texts.TryGetValue(key, out var text) ? text : TextCatalogue.Default(key, language);

    /// <summary>What a participant reads: the language's text, else the English one (an incomplete or unknown language).</summary>
    public string Say(string? language, string key) =>
        (language is null ? null : Text(language, key)) ?? Text(Fallback, key) ?? TextCatalogue.Default(key, Fallback) ?? key;

    /// <summary>Every key of the catalogue without a text in the language, in catalogue order.</summary>
    public IReadOnlyList<string> Missing(string language) =>
        Has(language) ? TextCatalogue.Entries.Where(e => Text(language, e.Key) is null).Select(e => e.Key).ToList()
        : TextCatalogue.Entries.Select(e => e.Key).ToList();

    /// <summary>The language's name in that language, or its code.</summary>
    public string Name(string language) => Text(language, TextCatalogue.LanguageName) ?? language;

    public ParticipantText Page(string? language) =>
        _pages.GetOrAdd(Known(language), l => ParticipantText.Build(key => Say(l, key), LikertAnchors(l)));

    public DocumentTexts Documents(string? language) =>
        _documents.GetOrAdd(Known(language), l => TextRecord<DocumentTexts>.Build(DocumentTexts.Prefix, key => Say(l, key)));

    public SignInTexts SignIn(string? language) =>
        _signIn.GetOrAdd(Known(language), l => TextRecord<SignInTexts>.Build(SignInTexts.Prefix, key => Say(l, key)));

    /// <summary>The Likert anchors 1..5 (very poor .. very good) in a language, for the form page and the course workbook.</summary>
    public IReadOnlyList<string> LikertAnchors(string? language) =>
        Enumerable.Range(1, 5).Select(i => Say(language, Languages.LikertAnchors.Key(i))).ToList();

    /// <summary>A sector's label (<c>lawEnforcement</c> → "Polizei").</summary>
    public string Sector(string? language, string sector) =>
        TextCatalogue.ByKey.ContainsKey("sector." + sector) ? Say(language, "sector." + sector) : Labels.For<Participants.Sector>(sector);

    private string Known(string? language) => Has(language) ? language! : Fallback;
}

/// <summary>
/// The texts of the database, kept in memory: replaced at once after a write of a language's texts through this instance,
/// and read again when they are older than <see cref="MaxAge"/>, so a text changed through another instance (API processes
/// sharing one PostgreSQL database, issue 27) is shown everywhere within <see cref="MaxAge"/> of its write, plus the time
/// of one read. The read is a few hundred short rows, once per <see cref="MaxAge"/> and instance, by one request while the
/// others go on with the texts they have; when nothing changed, the texts (and the pages built from them) are kept.
/// </summary>
public sealed class TextStore(Database database)
{
    /// <summary>How old the kept texts may be before a request reads them again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private volatile LanguageTexts? _current;
    private long _readAt;
    private int _reading;

    public LanguageTexts Current
    {
        get
        {
            var current = _current;
            if (current is not null
                && (System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref _readAt)) < MaxAge || Interlocked.Exchange(ref _reading, 1) == 1))
            {
                return current; // fresh enough, or another request is reading them now
            }

            try
            {
                var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
                using var db = database.Open();
                var read = LanguageTexts.ReadAsync(db).GetAwaiter().GetResult();
                return Keep(current is not null && current.SameAs(read) ? current : read, startedAt);
            }
            finally
            {
                Volatile.Write(ref _reading, 0);
            }
        }
    }

    /// <summary>After a write: read again, inside the writing transaction or after it.</summary>
    public async Task<LanguageTexts> ReloadAsync(DbConnection db, DbTransaction? transaction = null)
    {
        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        return Keep(await LanguageTexts.ReadAsync(db, transaction), startedAt);
    }

    /// <summary>Forgets the kept texts: the next request reads them (a test's database put back to its template).</summary>
    public void Forget() => _current = null;

    private LanguageTexts Keep(LanguageTexts texts, long readAt)
    {
        _current = texts;
        Interlocked.Exchange(ref _readAt, readAt);
        return texts;
    }
}

/// <summary>The Likert anchors (<c>likert.1</c> very poor .. <c>likert.5</c> very good) as catalogue entries.</summary>
public static class LikertAnchors
{
    public static string Key(int value) => $"likert.{value}";

    public static IEnumerable<TextEntry> Catalogue =>
        Enumerable.Range(1, 5).Select(i => new TextEntry(
            Key(i),
            $"The anchor of Likert value {i} on the form page and in the course workbook (1 very poor .. 5 very good): {ParticipantText.BuiltIn["en"].Anchors[i - 1]}.",
            ParticipantText.BuiltIn.ToDictionary(t => t.Key, t => t.Value.Anchors[i - 1], StringComparer.Ordinal)));

    /// <summary>For the figures (the course workbook): the anchors of a course's language, from the request's services.</summary>
    public static IReadOnlyList<string> For(IServiceProvider services, string? language) =>
        services.GetRequiredService<TextStore>().Current.LikertAnchors(language);
}

public static class LanguageTextsExtensions
{
    /// <summary>The texts of this request's application.</summary>
    public static LanguageTexts Texts(this HttpContext context) => context.RequestServices.GetRequiredService<TextStore>().Current;
}
