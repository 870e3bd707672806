using System.Globalization;
using System.Reflection;
using System.Text;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// A text that may span lines (summaries, conclusions, comments, free answers): it may hold \n, \r and \t.
/// Every other text is single-line (titles, names, cities, codes) and refuses all control characters.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class MultiLineAttribute : Attribute;

/// <summary>Texts: control characters, single-line and multi-line.</summary>
public sealed partial class JsonBodyCheck
{
    /// <summary>
    /// The fault of a text, or null: single-line texts refuse U+0000-U+001F and U+007F, multi-line ones allow \t \n \r.
    /// A single-line text made only of invisible characters (a byte-order mark, zero-width spaces) is refused too: it
    /// would pass as a title or a name and print as nothing.
    /// </summary>
    public static string? TextFault(string text, bool multiLine)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (multiLine && c is '\n' or '\r' or '\t')
            {
                continue;
            }

            if (c < ' ' || c == '\u007f' || c is '\ufffe' or '\uffff')
            {
                return multiLine
                    ? $"must not contain control characters other than line breaks and tabs (found U+{(int)c:X4} at position {i + 1})"
                    : $"must be a single line without control characters (found U+{(int)c:X4} at position {i + 1})";
            }

            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
            {
                return $"must be valid Unicode text (a lone surrogate U+{(int)c:X4} at position {i + 1})";
            }

            if (char.IsHighSurrogate(c))
            {
                i++;
            }
        }

        return !multiLine && OnlyInvisible(text) is { } invisible
            ? $"must contain visible text, not only invisible characters (found U+{invisible:X4})"
            : null;
    }

    /// <summary>
    /// The first invisible character of a text that holds nothing else but white space, or null when the text shows
    /// something (or is empty or only white space: "required" rules judge those). Invisible: format characters (U+FEFF,
    /// U+200B..U+200F, U+2060, tag characters), combining marks with no base, and the blank fillers U+115F, U+1160,
    /// U+2800, U+3164, U+FFA0.
    /// </summary>
    public static int? OnlyInvisible(string text)
    {
        int? first = null;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                continue;
            }

            var invisible = Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark
                    or UnicodeCategory.EnclosingMark or UnicodeCategory.Control
                || rune.Value is 0x115F or 0x1160 or 0x2800 or 0x3164 or 0xFFA0;
            if (!invisible)
            {
                return null;
            }

            first ??= rune.Value;
        }

        return first;
    }

    /// <summary>Marks the values of a dictionary (translations, answers) as multi-line texts.</summary>
    private sealed class MultiLine : ICustomAttributeProvider
    {
        public static readonly MultiLine Instance = new();

        private static readonly object[] Attributes = [new MultiLineAttribute()];

        public object[] GetCustomAttributes(bool inherit) => Attributes;

        public object[] GetCustomAttributes(Type attributeType, bool inherit) =>
            attributeType.IsAssignableFrom(typeof(MultiLineAttribute)) ? Attributes : [];

        public bool IsDefined(Type attributeType, bool inherit) => attributeType.IsAssignableFrom(typeof(MultiLineAttribute));
    }
}
