using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using ClosedXML.Excel;
using DocumentFormat.OpenXml.Packaging;

namespace JointEfforts.Api.Reports;

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
    private readonly List<(int Row, object?[] Values, double? Height)> _appended = [];

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

    /// <summary>
    /// Adds a row of a long table (one per course): the first goes through ClosedXML like <see cref="Add"/>, and its
    /// cells' styles serve every later row, which is kept as values and written straight into the saved package by
    /// <see cref="WriteAppended"/>. ClosedXML 0.95 costs about 1 KB per cell to build and as much again to save: at
    /// 5,000 courses the three per-course sheets alone took the steering workbook past 400 MB.
    /// </summary>
    public void Append(params object?[] values)
    {
        if (_lastRow == _headerRow)
        {
            Add(values);
            return;
        }

        _lastRow++;
        var wrapped = values.Take(_columnCount).Select((v, i) => (Text: v as string, _columns[i].Width, _columns[i].Wrap)).Where(c => c.Wrap).ToList();
        _appended.Add((_lastRow, values, wrapped.Count > 0 ? Workbooks.RowHeight(wrapped.Select(c => (c.Text, c.Width))) : null));
    }

    /// <summary>
    /// The saved workbook with the rows of <see cref="Append"/> written into their sheets, each cell styled as the cell
    /// above it in the table's first row; texts as inline strings, never formulas.
    /// </summary>
    public static byte[] WriteAppended(byte[] workbook, IEnumerable<SheetTable> tables)
    {
        var pending = tables.Where(t => t._appended.Count > 0).ToList();
        if (pending.Count == 0)
        {
            return workbook;
        }

        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var document = SpreadsheetDocument.Open(stream, isEditable: true))
        {
            var workbookPart = document.WorkbookPart ?? throw new InvalidOperationException("The workbook has no workbook part.");
            foreach (var table in pending)
            {
                var sheet = workbookPart.Workbook.Descendants<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == table._sheet.Name);
                var part = (WorksheetPart)workbookPart.GetPartById(sheet.Id!);
                XDocument saved;
                using (var input = part.GetStream(FileMode.Open, FileAccess.Read))
                {
                    saved = XDocument.Load(input);
                }

                using var output = part.GetStream(FileMode.Create, FileAccess.Write);
                table.Rewrite(saved).Save(output, System.Xml.Linq.SaveOptions.DisableFormatting);
            }
        }

        return stream.ToArray();
    }

    /// <summary>The worksheet as saved, its sheetData holding the appended rows between the table's first row and whatever follows it.</summary>
    private XStreamingElement Rewrite(XDocument saved)
    {
        var root = saved.Root!;
        var ns = root.Name.Namespace;
        var rows = root.Element(ns + "sheetData")!.Elements(ns + "row").ToList();
        int RowNumber(XElement row) => (int)row.Attribute("r")!;
        var firstRow = _headerRow + 1;
        var styles = rows.Where(r => RowNumber(r) == firstRow).Elements(ns + "c")
            .ToDictionary(c => Letters((string)c.Attribute("r")!), c => (string?)c.Attribute("s"), StringComparer.Ordinal);
        var lastRow = _appended[^1].Row;

        IEnumerable<XElement> Appended()
        {
            foreach (var (number, values, height) in _appended)
            {
                var row = new XElement(ns + "row", new XAttribute("r", number));
                if (height is { } h)
                {
                    row.Add(new XAttribute("ht", h), new XAttribute("customHeight", 1));
                }

                for (var i = 0; i < _columnCount; i++)
                {
                    var letters = XLHelper.GetColumnLetterFromNumber(_firstColumn + i);
                    var cell = new XElement(ns + "c", new XAttribute("r", letters + number.ToString(CultureInfo.InvariantCulture)));
                    if (styles.GetValueOrDefault(letters) is { } style)
                    {
                        cell.Add(new XAttribute("s", style));
                    }

                    Value(cell, ns, i < values.Length ? values[i] : null);
                    row.Add(cell);
                }

                yield return row;
            }
        }

        object Content(XElement element) => element.Name.LocalName switch
        {
            "dimension" => new XElement(element.Name, new XAttribute("ref", Dimension((string)element.Attribute("ref")!, lastRow))),
            "sheetData" => new XStreamingElement(element.Name, element.Attributes(),
                rows.Where(r => RowNumber(r) <= firstRow), Appended(), rows.Where(r => RowNumber(r) > firstRow)),
            _ => element,
        };

        return new XStreamingElement(root.Name, root.Attributes(), root.Elements().Select(Content));
    }

    private static void Value(XElement cell, XNamespace ns, object? value)
    {
        switch (value)
        {
            case null:
                break;
            case string text:
                cell.Add(new XAttribute("t", "inlineStr"),
                    new XElement(ns + "is", new XElement(ns + "t", new XAttribute(XNamespace.Xml + "space", "preserve"), XmlText(text))));
                break;
            case bool flag:
                cell.Add(new XAttribute("t", "b"), new XElement(ns + "v", flag ? 1 : 0));
                break;
            case DateOnly date:
                cell.Add(new XElement(ns + "v", date.ToDateTime(TimeOnly.MinValue).ToOADate()));
                break;
            case DateTime timestamp:
                cell.Add(new XElement(ns + "v", timestamp.ToOADate()));
                break;
            case int or long or double:
                cell.Add(new XElement(ns + "v", Convert.ToString(value, CultureInfo.InvariantCulture)));
                break;
            default:
                throw new ArgumentException($"No cell type for {value.GetType().Name}.", nameof(value));
        }
    }

    /// <summary>Characters XML cannot hold are written as Excel writes them, <c>_xHHHH_</c>.</summary>
    private static string XmlText(string text)
    {
        if (text.All(XmlConvert.IsXmlChar))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                result.Append(text, i++, 2);
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                result.Append(text[i]);
            }
            else
            {
                result.Append(CultureInfo.InvariantCulture, $"_x{(int)text[i]:X4}_");
            }
        }

        return result.ToString();
    }

    private static string Letters(string cellReference) => new(cellReference.TakeWhile(char.IsAsciiLetter).ToArray());

    private static string Dimension(string reference, int lastRow)
    {
        var parts = reference.Split(':');
        var end = parts[^1];
        var endRow = int.Parse(end[Letters(end).Length..], CultureInfo.InvariantCulture);
        return $"{parts[0]}:{Letters(end)}{Math.Max(endRow, lastRow).ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The numbers in one column of the table (0-based), for a chart's cache (rows of <see cref="Append"/> are not read).</summary>
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
