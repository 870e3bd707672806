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
