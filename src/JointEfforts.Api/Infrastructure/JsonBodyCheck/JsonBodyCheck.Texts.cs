using System.Reflection;

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
    /// <summary>The fault of a text, or null: single-line texts refuse U+0000-U+001F and U+007F, multi-line ones allow \t \n \r.</summary>
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

        return null;
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
