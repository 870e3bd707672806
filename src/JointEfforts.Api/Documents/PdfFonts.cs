using System.Reflection;
using PdfSharp.Fonts;

namespace JointEfforts.Api.Documents;

/// <summary>
/// DejaVu Sans, regular and bold, shipped inside the assembly (Fonts/, licence in Fonts/LICENSE): PDFsharp's
/// core build finds no system fonts on Linux, and DejaVu covers every diacritic of the course languages
/// (ș ț ë ç å ä ö ü ő ł). Every family name resolves to it, so no document can fail on a missing font.
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly Lazy<PdfFonts> Instance = new(() =>
    {
        var fonts = new PdfFonts();
        GlobalFontSettings.FontResolver = fonts;
        return fonts;
    });

    private readonly Dictionary<string, byte[]> _faces = new(StringComparer.Ordinal)
    {
        [Regular] = Load(Regular),
        [Bold] = Load(Bold),
    };

    private PdfFonts()
    {
    }

    /// <summary>Installs the resolver once per process (PDFsharp allows one, set before any font is used).</summary>
    public static void EnsureRegistered() => _ = Instance.Value;

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => _faces.GetValueOrDefault(faceName);

    private static byte[] Load(string face)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"JointEfforts.Fonts.{face}.ttf")
            ?? throw new InvalidOperationException($"The font {face}.ttf is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
