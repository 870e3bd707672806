using System.Net;
using ClosedXML.Excel;

namespace JointEfforts.Tests.Reports;

/// <summary>Reading the workbooks the API produces, the way a steering group member's Excel would.</summary>
public static class Xlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Asserts a 200 xlsx attachment with this file name and opens it.</summary>
    public static async Task<XLWorkbook> ExpectWorkbook(this HttpResponseMessage response, string fileName)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"Expected 200 but got {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        Assert.Equal(ContentType, response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.Equal("attachment", disposition?.DispositionType);
        Assert.Equal(fileName, disposition?.FileNameStar ?? disposition?.FileName?.Trim('"'));
        return new XLWorkbook(new MemoryStream(body));
    }

    public static IReadOnlyList<string> Headers(this IXLWorksheet sheet, int firstColumn = 1, int? lastColumn = null)
    {
        var last = lastColumn ?? sheet.Row(1).LastCellUsed().Address.ColumnNumber;
        return Enumerable.Range(firstColumn, last - firstColumn + 1).Select(c => sheet.Cell(1, c).GetString()).ToList();
    }

    /// <summary>The data row whose cell in <paramref name="column"/> reads <paramref name="text"/>.</summary>
    public static IXLRow RowWhere(this IXLWorksheet sheet, int column, string text) =>
        sheet.RowsUsed().Skip(1).Single(r => r.Cell(column).GetString() == text);

    public static IReadOnlyList<IXLRow> DataRows(this IXLWorksheet sheet) => sheet.RowsUsed().Skip(1).ToList();

    public static double Number(this IXLCell cell)
    {
        Assert.Equal(XLDataType.Number, cell.DataType);
        return cell.GetDouble();
    }

    public static DateTime Date(this IXLCell cell)
    {
        Assert.Equal(XLDataType.DateTime, cell.DataType);
        return cell.GetDateTime();
    }

    /// <summary>A table sheet: header bold and frozen, a filter over the table, widths set by hand.</summary>
    public static void AssertTableSheet(this IXLWorksheet sheet)
    {
        Assert.Equal(1, sheet.SheetView.SplitRow);
        Assert.True(sheet.Cell(1, 1).Style.Font.Bold, $"{sheet.Name}: the header row is bold");
        Assert.True(sheet.AutoFilter.IsEnabled, $"{sheet.Name}: the table has an auto-filter");
        Assert.All(Enumerable.Range(1, sheet.Row(1).LastCellUsed().Address.ColumnNumber),
            c => Assert.True(sheet.Column(c).Width >= 3, $"{sheet.Name}: column {c} has a width"));
    }

    /// <summary>Every non-empty cell's text, in every sheet: what someone could read in the file.</summary>
    public static IReadOnlyList<string> AllText(this XLWorkbook workbook) =>
        workbook.Worksheets.SelectMany(s => s.CellsUsed()).Select(c => c.GetString()).Where(t => t.Length > 0).ToList();
}

/// <summary>What ClosedXML does not read back: charts and print setup, read with the Open XML SDK as Excel would.</summary>
public static class XlsxParts
{
    public sealed record Series(string Name, string Categories, string Values, IReadOnlyList<string> CachedCategories, IReadOnlyList<double> CachedValues);

    public sealed record Chart(string Sheet, string Title, string Kind, IReadOnlyList<Series> Series);

    public sealed record Print(
        uint? PaperSize, string? Orientation, bool FitToPage, uint? FitToWidth, uint? FitToHeight, string? Footer, string? RepeatedRows);

    /// <summary>Asserts a 200 xlsx attachment with this file name and returns its bytes.</summary>
    public static async Task<byte[]> ExpectXlsx(this HttpResponseMessage response, string fileName)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"Expected 200 but got {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        Assert.Equal(Xlsx.ContentType, response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.Equal(fileName, disposition?.FileNameStar ?? disposition?.FileName?.Trim('"'));
        return body;
    }

    public static XLWorkbook Open(byte[] xlsx) => new(new MemoryStream(xlsx));

    public static IReadOnlyList<Chart> Charts(byte[] xlsx)
    {
        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var workbookPart = document.WorkbookPart!;
        var charts = new List<Chart>();
        foreach (var sheet in workbookPart.Workbook.Descendants<DocumentFormat.OpenXml.Spreadsheet.Sheet>())
        {
            var part = (DocumentFormat.OpenXml.Packaging.WorksheetPart)workbookPart.GetPartById(sheet.Id!);
            // The sheet must point at its drawing, or Excel shows no chart at all.
            if (part.DrawingsPart is not { } drawing)
            {
                continue;
            }

            Assert.NotNull(part.Worksheet.GetFirstChild<DocumentFormat.OpenXml.Spreadsheet.Drawing>());
            foreach (var chartPart in drawing.ChartParts)
            {
                var space = chartPart.ChartSpace;
                var title = string.Concat(space.Descendants<DocumentFormat.OpenXml.Drawing.Charts.Title>().First()
                    .Descendants<DocumentFormat.OpenXml.Drawing.Text>().Select(t => t.Text));
                var kind = space.Descendants<DocumentFormat.OpenXml.Drawing.Charts.PieChart>().Any() ? "pie"
                    : space.Descendants<DocumentFormat.OpenXml.Drawing.Charts.BarDirection>().First().Val!.Value.ToString().ToLowerInvariant();
                var series = space.Descendants<DocumentFormat.OpenXml.OpenXmlCompositeElement>()
                    .Where(e => e.LocalName == "ser")
                    .Select(s => new Series(
                        s.Descendants<DocumentFormat.OpenXml.Drawing.Charts.SeriesText>().Single().InnerText,
                        s.Descendants<DocumentFormat.OpenXml.Drawing.Charts.CategoryAxisData>().Single()
                            .Descendants<DocumentFormat.OpenXml.Drawing.Charts.Formula>().Single().Text,
                        s.Descendants<DocumentFormat.OpenXml.Drawing.Charts.Values>().Single()
                            .Descendants<DocumentFormat.OpenXml.Drawing.Charts.Formula>().Single().Text,
                        s.Descendants<DocumentFormat.OpenXml.Drawing.Charts.CategoryAxisData>().Single()
                            .Descendants<DocumentFormat.OpenXml.Drawing.Charts.NumericValue>().Select(v => v.Text).ToList(),
                        s.Descendants<DocumentFormat.OpenXml.Drawing.Charts.Values>().Single()
                            .Descendants<DocumentFormat.OpenXml.Drawing.Charts.NumericValue>()
                            .Select(v => double.Parse(v.Text, System.Globalization.CultureInfo.InvariantCulture)).ToList()))
                    .ToList();
                charts.Add(new Chart(sheet.Name!, title, kind, series));
            }
        }

        return charts;
    }

    public static IReadOnlyDictionary<string, Print> PrintSetup(byte[] xlsx)
    {
        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var workbookPart = document.WorkbookPart!;
        var sheets = workbookPart.Workbook.Descendants<DocumentFormat.OpenXml.Spreadsheet.Sheet>().ToList();
        var titles = workbookPart.Workbook.Descendants<DocumentFormat.OpenXml.Spreadsheet.DefinedName>()
            .Where(n => n.Name == "_xlnm.Print_Titles")
            .ToDictionary(n => (int)n.LocalSheetId!.Value, n => n.Text);
        var result = new Dictionary<string, Print>();
        for (var i = 0; i < sheets.Count; i++)
        {
            var worksheet = ((DocumentFormat.OpenXml.Packaging.WorksheetPart)workbookPart.GetPartById(sheets[i].Id!)).Worksheet;
            var page = worksheet.GetFirstChild<DocumentFormat.OpenXml.Spreadsheet.PageSetup>();
            var fit = worksheet.GetFirstChild<DocumentFormat.OpenXml.Spreadsheet.SheetProperties>()?.PageSetupProperties?.FitToPage?.Value ?? false;
            result[sheets[i].Name!] = new Print(
                page?.PaperSize?.Value, page?.Orientation?.InnerText, fit, page?.FitToWidth?.Value ?? 1, page?.FitToHeight?.Value ?? 1,
                worksheet.GetFirstChild<DocumentFormat.OpenXml.Spreadsheet.HeaderFooter>()?.OddFooter?.Text,
                titles.GetValueOrDefault(i));
        }

        return result;
    }

    /// <summary>Every sheet prints on A4 landscape, one page wide, with the programme, the as-of date and "Page X of Y" in its footer.</summary>
    public static void AssertPrintable(byte[] xlsx, string programme, string asOf, params string[] onePageSheets)
    {
        foreach (var (sheet, print) in PrintSetup(xlsx))
        {
            Assert.True(print.PaperSize == 9, $"{sheet}: A4 (paper size 9), not {print.PaperSize}");
            Assert.True(print.Orientation == "landscape", $"{sheet}: landscape");
            Assert.True(print.FitToPage, $"{sheet}: fitted to the page");
            Assert.True(print.FitToWidth == 1, $"{sheet}: one page wide");
            Assert.True(print.FitToHeight == (onePageSheets.Contains(sheet) ? 1u : 0u), $"{sheet}: pages tall {print.FitToHeight}");
            Assert.Contains(programme, print.Footer);
            Assert.Contains(asOf, print.Footer);
            Assert.Contains("&P", print.Footer);
            Assert.Contains("&N", print.Footer);
            if (!onePageSheets.Contains(sheet))
            {
                Assert.True(print.RepeatedRows?.Replace("$", "", StringComparison.Ordinal).EndsWith("!1:1", StringComparison.Ordinal) == true, $"{sheet}: header row repeated, not {print.RepeatedRows}");
            }
        }
    }
}
