using System.Collections.Frozen;
using System.Reflection;
using JointEfforts.Api.Documents;
using JointEfforts.Api.Pages;

namespace JointEfforts.Api.Languages;

/// <summary>
/// One participant-facing text: its key (<c>page.send</c>, <c>certificate.title</c>), what it is for (shown to translators),
/// and the built-in texts by language. <c>{0}</c>, <c>{1}</c> in a text are filled in where the description says.
/// </summary>
public sealed record TextEntry(string Key, string Description, IReadOnlyDictionary<string, string> Defaults);

/// <summary>
/// Every key a language must have to be complete, with its built-in texts: the one list (issue 26). A feature registers
/// its words by adding its entries below, in the shape of <see cref="TextEntry"/>; <see cref="TextRecord{T}"/> turns a
/// record of texts per language (as <see cref="ParticipantText"/> and <see cref="DocumentTexts"/> are written) into
/// entries and reads such a record back from the store. The e-mail templates (invitation, waitlist promotion, reminder,
/// evaluation link, report submitted/returned, sign-in link) belong here too, as <c>mail.*</c> keys.
/// </summary>
public static class TextCatalogue
{
    /// <summary>The language's own name (<c>Deutsch</c>, <c>Latviešu</c>): how <c>GET /api/languages</c> names it.</summary>
    public const string LanguageName = "language.name";

    public static readonly IReadOnlyList<TextEntry> Entries =
    [
        new(LanguageName, "The language's name in that language (Deutsch, Polski), shown in the language switch and the list of languages.",
            new Dictionary<string, string>
            {
                ["en"] = "English", ["de"] = "Deutsch", ["nl"] = "Nederlands", ["sq"] = "Shqip", ["ro"] = "Română", ["sv"] = "Svenska",
                ["pl"] = "Polski", ["hu"] = "Magyar", ["pt"] = "Português", ["fr"] = "Français",
            }),
        .. ParticipantText.Catalogue,
        .. LikertAnchors.Catalogue,
        .. DocumentTexts.Catalogue,
        .. SignInTexts.Catalogue,
        .. SignInTexts.SectorCatalogue,
        .. Mail.MailTexts.Catalogue,
    ];

    public static readonly FrozenDictionary<string, TextEntry> ByKey = Entries.ToFrozenDictionary(e => e.Key, StringComparer.Ordinal);

    /// <summary>The built-in text of a key in a language, if there is one.</summary>
    public static string? Default(string key, string language) =>
        ByKey.TryGetValue(key, out var entry) && entry.Defaults.TryGetValue(language, out var text) ? text : null;
}

/// <summary>
/// A record of texts (string properties) as catalogue entries, one key per property (<c>prefix.camelCaseName</c>), and built
/// back from any source of texts. Works for records with init properties and for positional records.
/// </summary>
public static class TextRecord<T>
    where T : class
{
    private static readonly PropertyInfo[] Properties = typeof(T)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(string) && p.CanWrite)
        .ToArray();

    public static string Key(string prefix, string property) => $"{prefix}.{char.ToLowerInvariant(property[0])}{property[1..]}";

    /// <summary>One entry per string property, its defaults read from the built-in records per language.</summary>
    public static IEnumerable<TextEntry> Entries(string prefix, IReadOnlyDictionary<string, T> builtIn, Func<string, string> describe) =>
        Properties.Select(p => new TextEntry(
            Key(prefix, p.Name),
            describe(p.Name),
            builtIn.ToDictionary(b => b.Key, b => (string)p.GetValue(b.Value)!, StringComparer.Ordinal)));

    /// <summary>The record with each property's text from <paramref name="say"/> (key → text).</summary>
    public static T Build(string prefix, Func<string, string> say)
    {
        var constructor = typeof(T).GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var parameters = constructor.GetParameters();
        var record = (T)constructor.Invoke(parameters.Select(p => (object?)say(Key(prefix, Pascal(p.Name!)))).ToArray());
        if (parameters.Length == 0)
        {
            foreach (var property in Properties)
            {
                property.SetValue(record, say(Key(prefix, property.Name)));
            }
        }

        return record;
    }

    private static string Pascal(string name) => char.ToUpperInvariant(name[0]) + name[1..];
}
