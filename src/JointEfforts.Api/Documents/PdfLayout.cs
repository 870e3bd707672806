using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace JointEfforts.Api.Documents;

/// <summary>The one renderer of every document: A4 portrait, DejaVu Sans, margins of 15 mm.</summary>
public static partial class PdfLayout
{
    public const string ContentType = "application/pdf";

    private const double Margin = 42;
    private const double FooterHeight = 24;
    private const double Padding = 4;

    private static readonly XColor Rule = XColor.FromArgb(140, 140, 140);
    private static readonly XColor HeaderFill = XColor.FromArgb(232, 236, 241);
    private static readonly XBrush Ink = XBrushes.Black;
    private static readonly XBrush MutedInk = new XSolidBrush(XColor.FromArgb(90, 90, 90));

    public static byte[] Render(PdfDocumentSpec spec)
    {
        PdfFonts.EnsureRegistered();
        using var document = new PdfDocument();
        document.Info.Title = spec.Title;
        document.Info.Author = "JointEfforts";
        document.Info.Creator = "JointEfforts";
        var writer = new Writer(document, spec.PageHeader);
        writer.StartPage();
        foreach (var block in spec.Body)
        {
            writer.Draw(block);
        }

        writer.Finish();
        DrawFooters(document, spec);
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    internal static XFont Font(double size, bool bold = false) =>
        new(PdfFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));

    private static void DrawFooters(PdfDocument document, PdfDocumentSpec spec)
    {
        var font = Font(8);
        for (var i = 0; i < document.PageCount; i++)
        {
            var page = document.Pages[i];
            using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var width = page.Width.Point - (2 * Margin);
            var y = page.Height.Point - Margin - 10;
            gfx.DrawLine(new XPen(Rule, 0.5), Margin, y - 4, Margin + width, y - 4);
            var numbers = spec.PageNumbers is null
                ? ""
                : string.Format(System.Globalization.CultureInfo.InvariantCulture, spec.PageNumbers, i + 1, document.PageCount);
            var numbersWidth = gfx.MeasureString(numbers, font).Width;
            if (spec.Footer is { } footer)
            {
                var left = Lines(gfx, footer, font, width - numbersWidth - 12, 1)[0];
                gfx.DrawString(left, font, MutedInk, new XRect(Margin, y, width, 10), XStringFormats.TopLeft);
            }

            gfx.DrawString(numbers, font, MutedInk, new XRect(Margin, y, width, 10), XStringFormats.TopRight);
        }
    }

    /// <summary>
    /// Words wrapped to a width, at most <paramref name="maxLines"/> lines: the last one ends in "…" when text is
    /// left over, and a word wider than the line is cut. Never returns an empty list.
    /// </summary>
    internal static List<string> Lines(XGraphics gfx, string text, XFont font, double width, int maxLines = int.MaxValue)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (gfx.MeasureString(candidate, font).Width <= width)
                {
                    line = candidate;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line);
                }

                line = word;
                while (line.Length > 1 && gfx.MeasureString(line, font).Width > width)
                {
                    var fits = line.Length - 1;
                    while (fits > 1 && gfx.MeasureString(line[..fits], font).Width > width)
                    {
                        fits--;
                    }

                    lines.Add(line[..fits]);
                    line = line[fits..];
                }
            }

            lines.Add(line);
        }

        if (lines.Count <= maxLines)
        {
            return lines;
        }

        var kept = lines.Take(maxLines).ToList();
        var last = kept[^1] + " " + lines[maxLines];
        while (last.Length > 0 && gfx.MeasureString(last + "…", font).Width > width)
        {
            last = last[..^1];
        }

        kept[^1] = last.TrimEnd() + "…";
        return kept;
    }

    private static double LineHeight(double size) => size * 1.3;

    /// <summary>Where the pen is: the page, its graphics and the next free y.</summary>
    private sealed partial class Writer(PdfDocument document, IReadOnlyList<Block> pageHeader)
    {
        private XGraphics? _gfx;
        private double _y;
        private double _contentTop;
        private double _pageHeight;

        private XGraphics Gfx => _gfx ?? throw new InvalidOperationException("No page is open.");

        private double Width { get; set; }

        private double Bottom => _pageHeight - Margin - FooterHeight;

        public void StartPage()
        {
            _gfx?.Dispose();
            var page = document.AddPage();
            page.Size = PageSize.A4;
            _pageHeight = page.Height.Point;
            Width = page.Width.Point - (2 * Margin);
            _gfx = XGraphics.FromPdfPage(page);
            _y = Margin;
            foreach (var block in pageHeader)
            {
                Draw(block);
            }

            _contentTop = _y;
        }

        public void Finish() => _gfx?.Dispose();

        public void Draw(Block block)
        {
            switch (block)
            {
                case Text text:
                    DrawText(text, Margin, Width);
                    break;
                case Fields fields:
                    DrawFields(fields);
                    break;
                case Table table:
                    DrawTable(table);
                    break;
                case Signatures signatures:
                    DrawSignatures(signatures);
                    break;
                case Space space:
                    _y += space.Height;
                    break;
                case NewPage:
                    StartPage();
                    break;
                case CutGrid grid:
                    DrawGrid(grid);
                    break;
                default:
                    throw new NotSupportedException($"No drawing for {block.GetType().Name}.");
            }
        }

        /// <summary>Starts a new page unless the height fits (or the page is still empty).</summary>
        private void Room(double height)
        {
            if (_y + height > Bottom && _y > _contentTop)
            {
                StartPage();
            }
        }

        private void DrawText(Text text, double x, double width)
        {
            var font = Font(text.Size, text.Bold);
            var lines = Lines(Gfx, text.Value, font, width, text.MaxLines);
            var lineHeight = LineHeight(text.Size);
            Room(lines.Count * lineHeight);
            foreach (var line in lines)
            {
                Gfx.DrawString(line, font, text.Muted ? MutedInk : Ink, new XRect(x, _y, width, lineHeight),
                    text.Centered ? XStringFormats.TopCenter : XStringFormats.TopLeft);
                _y += lineHeight;
            }
        }

        private void DrawFields(Fields fields)
        {
            var keyFont = Font(9.5, bold: true);
            var valueFont = Font(9.5);
            var lineHeight = LineHeight(9.5);
            var valueWidth = Width - fields.KeyWidth;
            foreach (var field in fields.Rows)
            {
                var key = Lines(Gfx, field.Key, keyFont, fields.KeyWidth - 8, 2);
                var value = Lines(Gfx, field.Value, valueFont, valueWidth, field.MaxLines ?? fields.MaxLines);
                var height = Math.Max(key.Count, value.Count) * lineHeight;
                Room(height);
                for (var i = 0; i < key.Count; i++)
                {
                    Gfx.DrawString(key[i], keyFont, Ink, new XRect(Margin, _y + (i * lineHeight), fields.KeyWidth, lineHeight), XStringFormats.TopLeft);
                }

                for (var i = 0; i < value.Count; i++)
                {
                    Gfx.DrawString(value[i], valueFont, Ink, new XRect(Margin + fields.KeyWidth, _y + (i * lineHeight), valueWidth, lineHeight), XStringFormats.TopLeft);
                }

                _y += height + 2;
            }
        }

        private void DrawTable(Table table)
        {
            var total = table.Columns.Sum(c => c.Weight);
            var widths = table.Columns.Select(c => Width * c.Weight / total).ToArray();
            var headerFont = Font(9, bold: true);
            var cellFont = Font(9);
            var pen = new XPen(Rule, 0.6);
            var headerHeight = (2 * LineHeight(9)) + (2 * Padding);

            Room(headerHeight + table.RowHeight);
            DrawRow(table.Columns.Select(c => c.Header).ToList(), headerHeight, headerFont, header: true);
            foreach (var row in table.Rows)
            {
                if (_y + table.RowHeight > Bottom)
                {
                    StartPage();
                    DrawRow(table.Columns.Select(c => c.Header).ToList(), headerHeight, headerFont, header: true);
                }

                DrawRow(row, table.RowHeight, cellFont, header: false);
            }

            _y += 6;

            void DrawRow(IReadOnlyList<string> cells, double height, XFont font, bool header)
            {
                var x = Margin;
                var lineHeight = LineHeight(font.Size);
                var maxLines = Math.Max(1, (int)Math.Floor((height - 2) / lineHeight));
                if (header)
                {
                    Gfx.DrawRectangle(new XSolidBrush(HeaderFill), Margin, _y, Width, height);
                }

                for (var i = 0; i < widths.Length; i++)
                {
                    Gfx.DrawRectangle(pen, x, _y, widths[i], height);
                    var text = i < cells.Count ? cells[i] : "";
                    var lines = Lines(Gfx, text, font, widths[i] - (2 * Padding), Math.Min(maxLines, 2));
                    var top = _y + ((height - (lines.Count * lineHeight)) / 2);
                    foreach (var line in lines)
                    {
                        var format = table.Columns[i].AlignRight ? XStringFormats.TopRight : XStringFormats.TopLeft;
                        Gfx.DrawString(line, font, Ink, new XRect(x + Padding, top, widths[i] - (2 * Padding), lineHeight), format);
                        top += lineHeight;
                    }

                    x += widths[i];
                }

                _y += height;
            }
        }

        private void DrawSignatures(Signatures signatures)
        {
            const double gap = 28;
            const double room = 46;
            var font = Font(9);
            var count = Math.Max(1, signatures.Labels.Count);
            var each = (Width - (gap * (count - 1))) / count;
            Room(room + LineHeight(9) * 2);
            var x = Margin;
            foreach (var label in signatures.Labels)
            {
                var lineY = _y + room;
                Gfx.DrawLine(new XPen(XColors.Black, 0.7), x, lineY, x + each, lineY);
                var lines = Lines(Gfx, label, font, each, 2);
                for (var i = 0; i < lines.Count; i++)
                {
                    Gfx.DrawString(lines[i], font, MutedInk, new XRect(x, lineY + 3 + (i * LineHeight(9)), each, LineHeight(9)), XStringFormats.TopLeft);
                }

                x += each + gap;
            }

            _y += room + 3 + (LineHeight(9) * 2);
        }
    }
}
