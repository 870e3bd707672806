namespace JointEfforts.Api.Documents;

/// <summary>
/// A printable document as data: blocks drawn top to bottom on A4 pages by <see cref="PdfLayout"/>.
/// <see cref="PageHeader"/> repeats at the top of every page; the footer line and "page X of Y" sit at the bottom.
/// </summary>
public sealed record PdfDocumentSpec(string Title, IReadOnlyList<Block> Body)
{
    public IReadOnlyList<Block> PageHeader { get; init; } = [];

    /// <summary>Left of the footer, on every page (what the document is, for a loose page).</summary>
    public string? Footer { get; init; }

    /// <summary>Right of the footer: a format with {0} the page and {1} the page count; null for none.</summary>
    public string? PageNumbers { get; init; } = "Page {0} of {1}";
}

/// <summary>One part of a document.</summary>
public abstract record Block;

/// <summary>Text, wrapped to the page width; past <see cref="MaxLines"/> it ends in "…" (so a long title cannot push a page over).</summary>
public sealed record Text(string Value, double Size = 10, bool Bold = false, bool Centered = false, bool Muted = false, int MaxLines = 6) : Block;

/// <summary>A key-value table: bold keys on the left, values wrapped to at most <see cref="MaxLines"/> on the right.</summary>
public sealed record Fields(IReadOnlyList<Field> Rows, double KeyWidth = 120, int MaxLines = 4) : Block;

/// <summary>A key and its value; <see cref="MaxLines"/> overrides the block's limit for this value.</summary>
public sealed record Field(string Key, string Value, int? MaxLines = null);

/// <summary>A ruled table whose header repeats on every page it runs onto. Cells wrap to two lines, then end in "…".</summary>
public sealed record Table(IReadOnlyList<Column> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, double RowHeight = 18) : Block;

/// <summary>A column and its share of the width (weights are relative).</summary>
public sealed record Column(string Header, double Weight, bool AlignRight = false);

/// <summary>Signature lines side by side, each with its label below.</summary>
public sealed record Signatures(IReadOnlyList<string> Labels) : Block;

public sealed record Space(double Height) : Block;

public sealed record NewPage : Block;

/// <summary>Cards in a grid of columns × rows per page, with dashed cut lines around each: slips to cut apart.</summary>
public sealed record CutGrid(IReadOnlyList<Card> Cards, int Columns, int Rows) : Block;

/// <summary>
/// One slip: lines of text beside an optional square of modules on the right (a QR code, dark = true, drawn as
/// vector squares: sharp at any print or scan resolution), then lines across the full width below.
/// </summary>
public sealed record Card(IReadOnlyList<Text> Lines, bool[][]? Modules = null, IReadOnlyList<Text>? Below = null)
{
    /// <summary>
    /// Instead of <see cref="Modules"/>: several squares in a row under the lines, each with its label beneath (one QR
    /// code per form a slip opens).
    /// </summary>
    public IReadOnlyList<(string Label, bool[][] Modules)>? Row { get; init; }
}
