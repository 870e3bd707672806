using System.ComponentModel.DataAnnotations;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Languages;

/// <summary>A language of the system: complete when every key of the catalogue has a text in it.</summary>
public sealed record LanguageDto(string Code, string Name, bool Complete, IReadOnlyList<string> Missing);

/// <summary>
/// A language's texts: every key that has one (stored, or built in), the keys still missing, and for each key what it is
/// for and its English text, so that a translator sees what to write.
/// </summary>
public sealed record LanguageTextsDto(
    string Code,
    string Name,
    bool Complete,
    IReadOnlyList<string> Missing,
    IReadOnlyDictionary<string, string> Texts,
    IReadOnlyList<TextKeyDto> Keys);

/// <summary>One key of the catalogue: what it is for, and its English text.</summary>
public sealed record TextKeyDto(string Key, string Description, string English);

/// <summary>
/// The texts of a language, key → text (<c>"page.send": "Sūtīt atbildes"</c>). A PUT replaces what was written for the
/// language; a key left out takes the built-in text where the language has one, and is missing otherwise.
/// </summary>
public sealed record LanguageTextsRequest([property: Required] Dictionary<string, string>? Texts);
