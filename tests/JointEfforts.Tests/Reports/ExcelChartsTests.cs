using ClosedXML.Excel;
using JointEfforts.Api.Reports;

namespace JointEfforts.Tests.Reports;

public sealed class ExcelChartsTests
{
    [Fact]
    public void ChartsAreAddedAsPartsOfTheirSheetWithTheirRangesAndCachedValues()
    {
        using var workbook = new XLWorkbook();
        var data = workbook.AddWorksheet("Data's sheet");
        workbook.AddWorksheet("Empty");
        data.Cell(1, 1).SetValue("Country");
        data.Cell(1, 2).SetValue("Trained");
        string[] countries = ["Austria", "Albania"];
        double?[] trained = [30, 31];
        for (var i = 0; i < 2; i++)
        {
            data.Cell(i + 2, 1).SetValue(countries[i]);
            data.Cell(i + 2, 2).SetValue(trained[i]!.Value);
        }

        data.Range(1, 1, 3, 2).SetAutoFilter();
        data.PageSetup.PaperSize = XLPaperSize.A4Paper;
        var categories = ExcelCharts.Range("Data's sheet", 1, 2, 3);
        var values = ExcelCharts.Range("Data's sheet", 2, 2, 3);

        var bytes = ExcelCharts.Add(Save(workbook),
        [
            new ChartSpec("Data's sheet", "Trained by country", ChartKind.Bar, [new("Trained", categories, values, countries, trained, "4472C4")], 4, 1, 10, 15),
            new ChartSpec("Data's sheet", "Share", ChartKind.Pie, [new("Trained", categories, values, countries, trained, "4472C4")], 4, 16, 10, 30),
            new ChartSpec("Data's sheet", "Columns", ChartKind.Column, [new("Trained", categories, values, countries, [30, null], "4472C4")], 11, 1, 16, 15),
        ]);

        Assert.Equal("'Data''s sheet'!$A$2:$A$3", categories);
        var charts = XlsxParts.Charts(bytes);
        Assert.Equal(["bar", "pie", "column"], charts.Select(c => c.Kind));
        Assert.All(charts, c => Assert.Equal("Data's sheet", c.Sheet));
        Assert.Equal(["Trained by country", "Share", "Columns"], charts.Select(c => c.Title));
        var series = Assert.Single(charts[0].Series);
        Assert.Equal("Trained", series.Name);
        Assert.Equal("'Data''s sheet'!$A$2:$A$3", series.Categories);
        Assert.Equal("'Data''s sheet'!$B$2:$B$3", series.Values);
        Assert.Equal(["Austria", "Albania"], series.CachedCategories);
        Assert.Equal([30.0, 31.0], series.CachedValues);
        Assert.Equal([30.0], charts[2].Series[0].CachedValues); // an empty cell is a gap, not a zero

        // The workbook still opens, with its cells, filter and print setup intact.
        using var reopened = XlsxParts.Open(bytes);
        Assert.Equal(31, reopened.Worksheet("Data's sheet").Cell(3, 2).GetDouble());
        Assert.True(reopened.Worksheet("Data's sheet").AutoFilter.IsEnabled);
        Assert.Equal(XLPaperSize.A4Paper, reopened.Worksheet("Data's sheet").PageSetup.PaperSize);
    }

    [Fact]
    public void NoChartsLeaveTheWorkbookAsItWas()
    {
        using var workbook = new XLWorkbook();
        workbook.AddWorksheet("Sheet");
        var bytes = Save(workbook);

        Assert.Same(bytes, ExcelCharts.Add(bytes, []));
    }

    private static byte[] Save(XLWorkbook workbook)
    {
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }
}
