using System.Globalization;
using System.Xml.Linq;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace JointEfforts.Api.Reports;

internal enum ChartKind
{
    /// <summary>Vertical columns, one group per category.</summary>
    Column,

    /// <summary>Horizontal bars, one group per category (long category names read better).</summary>
    Bar,

    Pie,
}

/// <summary>
/// One series of a chart: the cell ranges it is drawn from (<c>'Sheet'!$B$2:$B$6</c>) and the values those cells
/// hold, which go into the chart as its cache so Excel and LibreOffice draw it without recalculating.
/// </summary>
internal sealed record ChartSeries(string Name, string CategoriesRange, string ValuesRange, IReadOnlyList<string> Categories, IReadOnlyList<double?> Values, string Colour);

/// <summary>A chart placed over the cells from (column, row) to (column, row), 1-based, the end exclusive.</summary>
internal sealed record ChartSpec(
    string Sheet, string Title, ChartKind Kind, IReadOnlyList<ChartSeries> Series,
    int FromColumn, int FromRow, int ToColumn, int ToRow, string ValueFormat = "General", double? MaxValue = null, bool PercentStacked = false);

/// <summary>
/// Native Excel charts for workbooks ClosedXML has written (ClosedXML 0.95 has no chart API): opens the saved
/// package with the Open XML SDK and adds, per sheet, one drawing part holding an anchor and a chart part per chart.
/// </summary>
internal static class ExcelCharts
{
    public static readonly string[] Palette = ["4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "264478", "9E480E", "636363"];

    private static readonly XNamespace C = "http://schemas.openxmlformats.org/drawingml/2006/chart";
    private static readonly XNamespace A = "http://schemas.openxmlformats.org/drawingml/2006/main";
    private static readonly XNamespace R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace Xdr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing";

    /// <summary>The workbook with the charts added; the bytes unchanged when there are none.</summary>
    public static byte[] Add(byte[] workbook, IReadOnlyList<ChartSpec> charts)
    {
        if (charts.Count == 0)
        {
            return workbook;
        }

        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var document = SpreadsheetDocument.Open(stream, isEditable: true))
        {
            var workbookPart = document.WorkbookPart ?? throw new InvalidOperationException("The workbook has no workbook part.");
            var chartNumber = 0;
            foreach (var sheetCharts in charts.GroupBy(c => c.Sheet))
            {
                var sheet = workbookPart.Workbook.Descendants<Sheet>().Single(s => s.Name == sheetCharts.Key);
                var worksheetPart = (WorksheetPart)workbookPart.GetPartById(sheet.Id!);
                var drawingsPart = worksheetPart.AddNewPart<DrawingsPart>();
                var anchors = new List<XElement>();
                foreach (var chart in sheetCharts)
                {
                    chartNumber++;
                    var chartPart = drawingsPart.AddNewPart<ChartPart>();
                    Write(chartPart, ChartSpace(chart));
                    anchors.Add(Anchor(chart, drawingsPart.GetIdOfPart(chartPart), chartNumber));
                }

                Write(drawingsPart, new XElement(Xdr + "wsDr",
                    new XAttribute(XNamespace.Xmlns + "xdr", Xdr), new XAttribute(XNamespace.Xmlns + "a", A), anchors));
                InsertDrawing(worksheetPart.Worksheet, new Drawing { Id = worksheetPart.GetIdOfPart(drawingsPart) });
                worksheetPart.Worksheet.Save();
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// <c>&lt;drawing&gt;</c> has its place in the worksheet's sequence: after the print setup, before legacy drawings,
    /// tables and extensions. Excel refuses a file with it elsewhere.
    /// </summary>
    private static void InsertDrawing(Worksheet worksheet, Drawing drawing)
    {
        var before = worksheet.ChildElements.FirstOrDefault(e =>
            e is LegacyDrawing or LegacyDrawingHeaderFooter or Picture or OleObjects or Controls or WebPublishItems
                or TableParts or WorksheetExtensionList);
        if (before is null)
        {
            worksheet.Append(drawing);
        }
        else
        {
            worksheet.InsertBefore(drawing, before);
        }
    }

    private static void Write(OpenXmlPart part, XElement root)
    {
        using var output = new MemoryStream();
        new XDocument(new XDeclaration("1.0", "UTF-8", "yes"), root).Save(output);
        output.Position = 0;
        part.FeedData(output);
    }

    private static XElement Anchor(ChartSpec chart, string relationshipId, int number) =>
        new(Xdr + "twoCellAnchor", new XAttribute("editAs", "oneCell"),
            Marker("from", chart.FromColumn, chart.FromRow),
            Marker("to", chart.ToColumn, chart.ToRow),
            new XElement(Xdr + "graphicFrame", new XAttribute("macro", ""),
                new XElement(Xdr + "nvGraphicFramePr",
                    new XElement(Xdr + "cNvPr", new XAttribute("id", number + 1), new XAttribute("name", $"Chart {number}"), new XAttribute("descr", chart.Title)),
                    new XElement(Xdr + "cNvGraphicFramePr")),
                new XElement(Xdr + "xfrm",
                    new XElement(A + "off", new XAttribute("x", 0), new XAttribute("y", 0)),
                    new XElement(A + "ext", new XAttribute("cx", 0), new XAttribute("cy", 0))),
                new XElement(A + "graphic",
                    new XElement(A + "graphicData", new XAttribute("uri", C.NamespaceName),
                        new XElement(C + "chart", new XAttribute(XNamespace.Xmlns + "c", C), new XAttribute(XNamespace.Xmlns + "r", R),
                            new XAttribute(R + "id", relationshipId))))),
            new XElement(Xdr + "clientData"));

    private static XElement Marker(string name, int column, int row) =>
        new(Xdr + name,
            new XElement(Xdr + "col", column - 1), new XElement(Xdr + "colOff", 0),
            new XElement(Xdr + "row", row - 1), new XElement(Xdr + "rowOff", 0));

    private static XElement ChartSpace(ChartSpec chart)
    {
        var plot = chart.Kind == ChartKind.Pie
            ? new XElement(C + "pieChart", Val("varyColors", 1), chart.Series.Select((s, i) => Series(chart, s, i)), Val("firstSliceAng", 0))
            : new XElement(C + "barChart",
                Val("barDir", chart.Kind == ChartKind.Bar ? "bar" : "col"),
                Val("grouping", chart.PercentStacked ? "percentStacked" : "clustered"),
                Val("varyColors", 0),
                chart.Series.Select((s, i) => Series(chart, s, i)),
                Val("gapWidth", 60),
                chart.PercentStacked ? Val("overlap", 100) : null,
                Val("axId", 1), Val("axId", 2));
        return new XElement(C + "chartSpace",
            new XAttribute(XNamespace.Xmlns + "c", C), new XAttribute(XNamespace.Xmlns + "a", A), new XAttribute(XNamespace.Xmlns + "r", R),
            Val("roundedCorners", 0),
            new XElement(C + "chart",
                new XElement(C + "title",
                    new XElement(C + "tx", new XElement(C + "rich",
                        new XElement(A + "bodyPr"),
                        new XElement(A + "p",
                            new XElement(A + "pPr", new XElement(A + "defRPr", new XAttribute("sz", 1200), new XAttribute("b", 1))),
                            new XElement(A + "r", new XElement(A + "rPr", new XAttribute("lang", "en-GB"), new XAttribute("sz", 1200), new XAttribute("b", 1)),
                                new XElement(A + "t", chart.Title))))),
                    Val("overlay", 0)),
                Val("autoTitleDeleted", 0),
                new XElement(C + "plotArea", new XElement(C + "layout"), plot, chart.Kind == ChartKind.Pie ? null : Axes(chart)),
                new XElement(C + "legend", Val("legendPos", chart.Kind == ChartKind.Pie ? "r" : "b"), Val("overlay", 0)),
                Val("plotVisOnly", 1),
                Val("dispBlanksAs", "gap")));
    }

    private static XElement Series(ChartSpec chart, ChartSeries series, int index) =>
        new(C + "ser",
            Val("idx", index), Val("order", index),
            new XElement(C + "tx", new XElement(C + "v", series.Name)),
            chart.Kind == ChartKind.Pie ? null : Fill(series.Colour),
            chart.Kind == ChartKind.Pie ? null : Val("invertIfNegative", 0),
            chart.Kind == ChartKind.Pie
                ? series.Categories.Select((_, i) => new XElement(C + "dPt", Val("idx", i), Val("bubble3D", 0), Fill(Palette[i % Palette.Length])))
                : null,
            Labels(chart),
            new XElement(C + "cat", new XElement(C + "strRef",
                new XElement(C + "f", series.CategoriesRange),
                new XElement(C + "strCache", Val("ptCount", series.Categories.Count),
                    series.Categories.Select((text, i) => new XElement(C + "pt", new XAttribute("idx", i), new XElement(C + "v", text)))))),
            new XElement(C + "val", new XElement(C + "numRef",
                new XElement(C + "f", series.ValuesRange),
                new XElement(C + "numCache",
                    new XElement(C + "formatCode", chart.ValueFormat),
                    Val("ptCount", series.Values.Count),
                    series.Values.Select((value, i) => value is { } v
                        ? new XElement(C + "pt", new XAttribute("idx", i), new XElement(C + "v", v.ToString("R", CultureInfo.InvariantCulture)))
                        : null)))));

    /// <summary>Values on the bars (in the chart's number format), percentages on pie slices.</summary>
    private static XElement Labels(ChartSpec chart) =>
        new(C + "dLbls",
            chart.Kind == ChartKind.Pie ? null : new XElement(C + "numFmt",
                new XAttribute("formatCode", chart.PercentStacked ? "0;-0;;" : chart.ValueFormat), new XAttribute("sourceLinked", 0)),
            new XElement(C + "txPr", new XElement(A + "bodyPr"), new XElement(A + "p",
                new XElement(A + "pPr", new XElement(A + "defRPr", new XAttribute("sz", 900))), new XElement(A + "endParaRPr", new XAttribute("lang", "en-GB")))),
            chart.Kind == ChartKind.Pie ? null : Val("dLblPos", chart.PercentStacked ? "ctr" : "outEnd"),
            Val("showLegendKey", 0),
            Val("showVal", chart.Kind == ChartKind.Pie ? 0 : 1),
            Val("showCatName", 0),
            Val("showSerName", 0),
            Val("showPercent", chart.Kind == ChartKind.Pie ? 1 : 0),
            Val("showBubbleSize", 0));

    private static IEnumerable<XElement> Axes(ChartSpec chart)
    {
        var horizontal = chart.Kind == ChartKind.Bar;
        yield return new XElement(C + "catAx",
            Val("axId", 1),
            new XElement(C + "scaling", Val("orientation", horizontal ? "maxMin" : "minMax")),
            Val("delete", 0),
            Val("axPos", horizontal ? "l" : "b"),
            Val("majorTickMark", "none"), Val("minorTickMark", "none"), Val("tickLblPos", "nextTo"),
            Val("crossAx", 2), Val("crosses", "autoZero"), Val("auto", 1), Val("lblAlgn", "ctr"), Val("lblOffset", 100), Val("noMultiLvlLbl", 0));
        yield return new XElement(C + "valAx",
            Val("axId", 2),
            new XElement(C + "scaling", Val("orientation", "minMax"),
                chart.MaxValue is { } max ? Val("max", max.ToString(CultureInfo.InvariantCulture)) : null,
                Val("min", 0)),
            Val("delete", 0),
            Val("axPos", horizontal ? "b" : "l"),
            new XElement(C + "majorGridlines"),
            new XElement(C + "numFmt", new XAttribute("formatCode", chart.ValueFormat), new XAttribute("sourceLinked", 0)),
            Val("majorTickMark", "out"), Val("minorTickMark", "none"), Val("tickLblPos", "nextTo"),
            Val("crossAx", 1), Val("crosses", horizontal ? "max" : "autoZero"), Val("crossBetween", "between"));
    }

    private static XElement Fill(string colour) =>
        new(C + "spPr", new XElement(A + "solidFill", new XElement(A + "srgbClr", new XAttribute("val", colour))));

    private static XElement Val(string name, object value) => new(C + name, new XAttribute("val", value));

    /// <summary>An absolute reference to a column's cells on a sheet: <c>'Overview'!$B$5:$B$9</c>.</summary>
    public static string Range(string sheet, int column, int firstRow, int lastRow)
    {
        var letter = ClosedXML.Excel.XLHelper.GetColumnLetterFromNumber(column);
        return $"'{sheet.Replace("'", "''", StringComparison.Ordinal)}'!${letter}${firstRow}:${letter}${lastRow}";
    }
}
