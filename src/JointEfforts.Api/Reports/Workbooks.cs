using ClosedXML.Excel;

namespace JointEfforts.Api.Reports;

/// <summary>What every JointEfforts workbook shares: typed cells, a styled frozen header, filters, set widths.</summary>
internal static class Workbooks
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public const string DateFormat = "yyyy-mm-dd";
    public const string TimestampFormat = "yyyy-mm-dd hh:mm";
    public const string PercentFormat = "0.0%";
    public const string DecimalFormat = "0.00";
    public const string IntegerFormat = "0";

    public static XLWorkbook Create(string title)
    {
        var workbook = new XLWorkbook();
        workbook.Properties.Title = title;
        workbook.Properties.Author = "JointEfforts";
        return workbook;
    }

    public static byte[] ToBytes(XLWorkbook workbook)
    {
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    /// <summary>Light red: what needs the steering group's attention (overdue, returned, under minimum).</summary>
    public static readonly XLColor Attention = XLColor.FromHtml("#F8CBAD");

    public static readonly XLColor HeaderFill = XLColor.FromHtml("#DDEBF7");

    /// <summary>
    /// How every sheet prints: A4 landscape, one page wide (as many pages long as it needs, or exactly one),
    /// the header rows repeated on every page, the sheet in the page header, and in the footer the programme,
    /// the as-of date and "Page X of Y".
    /// </summary>
    public static void PrintSetup(IXLWorksheet sheet, string programme, DateOnly asOf, int repeatRows = 1, bool onePage = false)
    {
        var page = sheet.PageSetup;
        page.PaperSize = XLPaperSize.A4Paper;
        page.PageOrientation = XLPageOrientation.Landscape;
        page.FitToPages(1, onePage ? 1 : 0);
        page.CenterHorizontally = false;
        page.Margins.Left = 0.5;
        page.Margins.Right = 0.5;
        page.Margins.Top = 0.6;
        page.Margins.Bottom = 0.6;
        page.Margins.Header = 0.25;
        page.Margins.Footer = 0.25;
        if (repeatRows > 0)
        {
            page.SetRowsToRepeatAtTop(1, repeatRows);
        }

        page.Header.Right.AddText(sheet.Name, XLHFOccurrence.AllPages);
        page.Footer.Left.AddText($"{programme} · as of {asOf:yyyy-MM-dd}", XLHFOccurrence.AllPages);
        page.Footer.Right.AddText("Page &P of &N", XLHFOccurrence.AllPages);
    }

    /// <summary>
    /// The height a row needs for its wrapped texts: lines per cell estimated from the text's length against the
    /// column's width (in characters), since measuring text needs libgdiplus, which servers lack.
    /// </summary>
    public static double RowHeight(IEnumerable<(string? Text, double Width)> cells, bool bold = false)
    {
        var lines = 1;
        foreach (var (text, width) in cells)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            var perLine = Math.Max(1, (width - 1) / (bold ? 1.0 : 0.85));
            lines = Math.Max(lines, text.Split('\n').Sum(paragraph => Math.Max(1, (int)Math.Ceiling(paragraph.Length / perLine))));
        }

        return Math.Min(409, lines == 1 ? 15 : 14 * lines + 2);
    }

    /// <summary>A sheet's title in row 1, across the printed width, wrapped onto a second line when long.</summary>
    public static void Title(IXLWorksheet sheet, string title, double width)
    {
        var columns = 1;
        var covered = sheet.Column(1).Width;
        while (covered < width - 0.5 && columns < 30)
        {
            columns++;
            covered += sheet.Column(columns).Width;
        }

        sheet.Range(1, 1, 1, columns).Merge();
        var cell = sheet.Cell(1, 1);
        cell.SetValue(title);
        cell.Style.Font.Bold = true;
        cell.Style.Font.FontSize = 15;
        cell.Style.Alignment.WrapText = true;
        cell.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        var lines = Math.Max(1, (int)Math.Ceiling(title.Length * 1.45 / width));
        sheet.Row(1).Height = 21 * lines;
    }

    /// <summary>A set of texts one per line, e.g. a report's recommendations.</summary>
    public static string Lines(IEnumerable<string> items) => string.Join("\n", items.Select(i => "• " + i));

    /// <summary>
    /// Writes a value with its real type: numbers as numbers, dates as dates, booleans as booleans.
    /// Text goes through <c>SetValue&lt;string&gt;</c>, which ClosedXML keeps as text: a comment reading
    /// "=HYPERLINK(...)" or "42" stays what the participant typed, never a formula or a number.
    /// </summary>
    public static void Set(IXLCell cell, object? value)
    {
        switch (value)
        {
            case null:
                break;
            case string text:
                cell.SetValue(text);
                break;
            case DateOnly date:
                cell.SetValue(date.ToDateTime(TimeOnly.MinValue));
                break;
            case DateTime timestamp:
                cell.SetValue(timestamp);
                break;
            case bool flag:
                cell.SetValue(flag);
                break;
            case int number:
                cell.SetValue(number);
                break;
            case long number:
                cell.SetValue(number);
                break;
            case double number:
                cell.SetValue(number);
                break;
            default:
                throw new ArgumentException($"No cell type for {value.GetType().Name}.", nameof(value));
        }
    }
}

/// <summary>A column of a sheet's table: header, width in characters, the number format of its values, whether its text wraps.</summary>
internal readonly record struct Column(string Header, double Width, string? Format = null, bool Wrap = false);

/// <summary>
/// One table on a worksheet: a bold, filled, frozen header row, then one row per <see cref="Add"/>, with
/// an auto-filter over the whole table. Widths are set, never measured: AdjustToContents needs libgdiplus.
/// </summary>
internal sealed class SheetTable
{
    private readonly IXLWorksheet _sheet;
    private readonly IReadOnlyList<Column> _columns;
    private readonly int _firstColumn;
    private readonly int _columnCount;
    private readonly int _headerRow;
    private int _lastRow;
    private IXLStyle[]? _cellStyles;

    public SheetTable(IXLWorksheet sheet, IReadOnlyList<Column> columns, int firstColumn = 1, int headerRow = 1)
    {
        _sheet = sheet;
        _columns = columns;
        _firstColumn = firstColumn;
        _columnCount = columns.Count;
        _headerRow = headerRow;
        _lastRow = headerRow;
        for (var i = 0; i < columns.Count; i++)
        {
            sheet.Column(firstColumn + i).Width = columns[i].Width;
            sheet.Cell(headerRow, firstColumn + i).SetValue(columns[i].Header);
        }

        var header = sheet.Range(headerRow, firstColumn, headerRow, firstColumn + columns.Count - 1);
        header.Style.Font.Bold = true;
        header.Style.Fill.BackgroundColor = Workbooks.HeaderFill;
        header.Style.Border.BottomBorder = XLBorderStyleValues.Thin;
        header.Style.Alignment.WrapText = true;
        header.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        var height = Workbooks.RowHeight(columns.Select(c => ((string?)c.Header, c.Width)), bold: true);
        sheet.Row(headerRow).Height = Math.Max(height, sheet.Row(headerRow).Height);
        if (headerRow == 1)
        {
            sheet.SheetView.FreezeRows(1);
        }
    }

    public static SheetTable Add(XLWorkbook workbook, string name, IReadOnlyList<Column> columns) =>
        new(workbook.AddWorksheet(name), columns);

    private static readonly XLColor RuleColour = XLColor.FromHtml("#BFBFBF");

    public int Rows => _lastRow - _headerRow;

    public int HeaderRow => _headerRow;

    public int LastRow => _lastRow;

    public IXLWorksheet Sheet => _sheet;

    /// <summary>Adds a row of values; a row holding wrapped text is made tall enough for it.</summary>
    public IXLRow Add(params object?[] values)
    {
        _lastRow++;
        var first = _cellStyles is null;
        _cellStyles ??= new IXLStyle[_columnCount];
        for (var i = 0; i < _columnCount; i++)
        {
            // Formats go on the table's own cells, not the whole column: a sheet may hold two tables.
            var cell = _sheet.Cell(_lastRow, _firstColumn + i);
            Workbooks.Set(cell, i < values.Length ? values[i] : null);
            if (!first)
            {
                // Every row of a column is styled alike: the first row's style is given whole, one look-up in ClosedXML's
                // style repository instead of five changes, each building a new style (at 5,000 courses, ~0.5 GB allocated).
                cell.Style = _cellStyles[i];
                continue;
            }

            var style = cell.Style;
            style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
            if (_columns[i].Format is { } format)
            {
                style.NumberFormat.Format = format;
            }

            if (_columns[i].Wrap)
            {
                style.Alignment.WrapText = true;
            }

            style.Border.BottomBorder = XLBorderStyleValues.Hair;
            style.Border.BottomBorderColor = RuleColour;
            _cellStyles[i] = cell.Style;
        }

        var wrapped = values.Take(_columnCount).Select((v, i) => (Text: v as string, _columns[i])).Where(c => c.Item2.Wrap).ToList();
        var row = _sheet.Row(_lastRow);
        if (wrapped.Count > 0)
        {
            row.Height = Workbooks.RowHeight(wrapped.Select(c => (c.Text, c.Item2.Width)));
        }

        return row;
    }

    /// <summary>The numbers in one column of the table (0-based), for a chart's cache.</summary>
    public IReadOnlyList<double?> Values(int column) =>
        Enumerable.Range(_headerRow + 1, Rows)
            .Select(row => _sheet.Cell(row, _firstColumn + column))
            .Select(cell => cell.DataType == XLDataType.Number && !cell.IsEmpty() ? cell.GetDouble() : (double?)null)
            .ToList();

    /// <summary>An auto-filter over the header and every row (Excel allows one per sheet).</summary>
    public void Filter() =>
        _sheet.Range(_headerRow, _firstColumn, Math.Max(_lastRow, _headerRow), _firstColumn + _columnCount - 1).SetAutoFilter();

    /// <summary>
    /// Conditional formatting: the data rows where <paramref name="formula"/> (written for the first data row, e.g.
    /// <c>$G2="Yes"</c>) holds are filled in the attention colour, and stay so when someone edits the file.
    /// </summary>
    public void Highlight(string formula)
    {
        if (_lastRow <= _headerRow)
        {
            return;
        }

        _sheet.Range(_headerRow + 1, _firstColumn, _lastRow, _firstColumn + _columnCount - 1)
            .AddConditionalFormat().WhenIsTrue(formula).Fill.SetBackgroundColor(Workbooks.Attention);
    }
}

/// <summary>A workbook as a route sends it: its bytes and the file name that says what it is.</summary>
public sealed record Workbook(byte[] Content, string FileName);
