using System.Security.Cryptography;
using System.Text;

namespace JointEfforts.Api.Evaluations;

/// <summary>
/// Codes printed on slips and typed in by participants: 12 characters from an alphabet without the
/// look-alikes 0/O, 1/I/L, shown as <c>ABCD-EFGH-JKMN</c>. 31^12 ≈ 2^59, so guessing one is hopeless
/// even before the anonymous rate limit. Case, spaces and dashes do not matter when typed.
/// </summary>
public static class EvaluationCodes
{
    public const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    public const int Length = 12;
    public const string FormatMessage = "A code has 12 characters (letters and digits 2-9), e.g. ABCD-EFGH-JK23.";

    /// <summary>A new code from the system's cryptographic random source, in canonical form (no dashes).</summary>
    public static string Create() => Create(max => RandomNumberGenerator.GetInt32(max));

    /// <summary>A code drawn with the given source of integers in [0, max): the demo seed passes a seeded Random.</summary>
    public static string Create(Func<int, int> next)
    {
        var code = new StringBuilder(Length);
        for (var i = 0; i < Length; i++)
        {
            code.Append(Alphabet[next(Alphabet.Length)]);
        }

        return code.ToString();
    }

    /// <summary>The canonical form of a typed code, or null when it cannot be one.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 40)
        {
            return null;
        }

        var code = new StringBuilder(Length);
        foreach (var c in typed)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            if (!Alphabet.Contains(upper, StringComparison.Ordinal))
            {
                return null;
            }

            code.Append(upper);
        }

        return code.Length == Length ? code.ToString() : null;
    }

    /// <summary>As printed: three groups of four.</summary>
    public static string Display(string code) => $"{code[..4]}-{code[4..8]}-{code[8..]}";
}
