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

/// <summary>A column of a sheet's table: header, width in characters and the number format of its values.</summary>
internal readonly record struct Column(string Header, double Width, string? Format = null);

/// <summary>
/// One table on a worksheet: a bold, filled, frozen header row, then one row per <see cref="Add"/>, with
/// an auto-filter over the whole table. Widths are set, never measured: AdjustToContents needs libgdiplus.
/// </summary>
internal sealed class SheetTable
{
    private readonly IXLWorksheet _sheet;
    private readonly int _firstColumn;
    private readonly int _columnCount;
    private int _lastRow = 1;

    public SheetTable(IXLWorksheet sheet, IReadOnlyList<Column> columns, int firstColumn = 1)
    {
        _sheet = sheet;
        _firstColumn = firstColumn;
        _columnCount = columns.Count;
        for (var i = 0; i < columns.Count; i++)
        {
            var column = sheet.Column(firstColumn + i);
            column.Width = columns[i].Width;
            if (columns[i].Format is { } format)
            {
                column.Style.NumberFormat.Format = format;
            }

            sheet.Cell(1, firstColumn + i).SetValue(columns[i].Header);
        }

        var header = sheet.Range(1, firstColumn, 1, firstColumn + columns.Count - 1);
        header.Style.Font.Bold = true;
        header.Style.Fill.BackgroundColor = XLColor.FromHtml("#DDEBF7");
        header.Style.Border.BottomBorder = XLBorderStyleValues.Thin;
        header.Style.Alignment.WrapText = true;
        header.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        sheet.SheetView.FreezeRows(1);
    }

    public static SheetTable Add(XLWorkbook workbook, string name, IReadOnlyList<Column> columns) =>
        new(workbook.AddWorksheet(name), columns);

    public int Rows => _lastRow - 1;

    public void Add(params object?[] values)
    {
        _lastRow++;
        for (var i = 0; i < values.Length && i < _columnCount; i++)
        {
            Workbooks.Set(_sheet.Cell(_lastRow, _firstColumn + i), values[i]);
        }
    }

    /// <summary>An auto-filter over the header and every row (Excel allows one per sheet).</summary>
    public void Filter() =>
        _sheet.Range(1, _firstColumn, Math.Max(_lastRow, 1), _firstColumn + _columnCount - 1).SetAutoFilter();
}
