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

    /// <summary>"(1‑5)" with a non-breaking hyphen, so a wrapped header never splits into "(1-" and "5)".</summary>
    public const string OneToFive = "(1\u20115)";

    /// <summary>A share (0..1) difference as percentage points with one decimal: 0.265 → 26.5.</summary>
    public static double? Points(double? share) => share is { } s ? Math.Round(s * 100, 1, MidpointRounding.AwayFromZero) : null;

    /// <summary>A knowledge gain in percentage points (the value is already × 100): "+26.5 points".</summary>
    public const string PointsFormat = "+0.0\" points\";-0.0\" points\";0.0\" points\"";
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

            // Wrapped as a spreadsheet wraps, at word boundaries (a long German word moves whole to the next line), with a
            // margin for wide letters: counting characters alone cut the German text of Vienna's Questions!D7.
            var perLine = Math.Max(1, (int)((width - 1) / (bold ? 1.1 : 0.95)));
            lines = Math.Max(lines, text.Split('\n').Sum(paragraph => WrappedLines(paragraph, perLine)));
        }

        return Math.Min(409, lines == 1 ? 15 : 14 * lines + 2);
    }

    /// <summary>How many lines <paramref name="paragraph"/> takes when wrapped at spaces into lines of <paramref name="perLine"/> characters.</summary>
    private static int WrappedLines(string paragraph, int perLine)
    {
        var lines = 1;
        var used = 0;
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var length = word.Length;
            if (used > 0 && used + 1 + length > perLine)
            {
                lines++;
                used = 0;
            }

            used += (used > 0 ? 1 : 0) + length;
            while (used > perLine)
            {
                lines++;
                used -= perLine;
            }
        }

        return lines;
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

/// <summary>A workbook as a route sends it: its bytes and the file name that says what it is.</summary>
public sealed record Workbook(byte[] Content, string FileName);
