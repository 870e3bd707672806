using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace JointEfforts.Api.Documents;

public static partial class PdfLayout
{
    /// <summary>Slips: cards in a cut grid, each with its QR codes and lines of text.</summary>
    private sealed partial class Writer
    {
        private void DrawGrid(CutGrid grid)
        {
            var perPage = grid.Columns * grid.Rows;
            for (var first = 0; first < grid.Cards.Count; first += perPage)
            {
                if (first > 0 || _y > _contentTop)
                {
                    StartPage();
                }

                var cellWidth = Width / grid.Columns;
                var cellHeight = (Bottom - _y) / grid.Rows;
                var top = _y;
                // Cut lines around the rows that hold cards: nobody cuts out empty slips.
                var cards = grid.Cards.Skip(first).Take(perPage).ToList();
                var rows = (cards.Count + grid.Columns - 1) / grid.Columns;
                var cut = new XPen(Rule, 0.6) { DashStyle = XDashStyle.Dash };
                for (var row = 0; row <= rows; row++)
                {
                    Gfx.DrawLine(cut, Margin - 12, top + (row * cellHeight), Margin + Width + 12, top + (row * cellHeight));
                }

                for (var column = 0; column <= grid.Columns; column++)
                {
                    Gfx.DrawLine(cut, Margin + (column * cellWidth), top - 12, Margin + (column * cellWidth), top + (rows * cellHeight) + 12);
                }

                var scissors = Font(10);
                Gfx.DrawString("✂", scissors, MutedInk, new XRect(Margin - 26, top - 7, 14, 14), XStringFormats.TopLeft);

                for (var i = 0; i < cards.Count; i++)
                {
                    DrawCard(cards[i], Margin + (i % grid.Columns * cellWidth), top + (i / grid.Columns * cellHeight), cellWidth, cellHeight);
                }

                _y = top + (grid.Rows * cellHeight);
            }
        }

        private void DrawCard(Card card, double x, double y, double width, double height)
        {
            const double inset = 10;
            var below = card.Below ?? [];
            var belowHeight = below.Sum(t => LineHeight(t.Size));
            var textWidth = width - (2 * inset);
            var saved = _y;
            if (card.Modules is { Length: > 0 } modules)
            {
                var side = Math.Min(height - (2 * inset) - belowHeight - 4, width * 0.42);
                DrawModules(modules, x + width - inset - side, y + inset, side);
                textWidth -= side + 8;
            }

            _y = y + inset;
            foreach (var line in card.Lines)
            {
                DrawCardText(line, x + inset, textWidth);
            }

            if (card.Row is { Count: > 0 } row)
            {
                const double gap = 10;
                var label = Font(7);
                var labelHeight = LineHeight(7) * 2;
                var room = y + height - inset - belowHeight - 4 - _y - labelHeight;
                var cell = (width - (2 * inset) - (gap * (row.Count - 1))) / row.Count;
                var side = Math.Max(0, Math.Min(room, cell));
                for (var i = 0; i < row.Count; i++)
                {
                    var left = x + inset + (i * (cell + gap));
                    DrawModules(row[i].Modules, left + ((cell - side) / 2), _y, side);
                    var lines = Lines(Gfx, row[i].Label, label, cell, 2);
                    for (var l = 0; l < lines.Count; l++)
                    {
                        Gfx.DrawString(lines[l], label, Ink, new XRect(left, _y + side + 1 + (l * LineHeight(7)), cell, LineHeight(7)), XStringFormats.TopCenter);
                    }
                }
            }

            _y = y + height - inset - belowHeight;
            foreach (var line in below)
            {
                DrawCardText(line, x + inset, width - (2 * inset));
            }

            _y = saved;
        }

        /// <summary>Dark modules as black squares, one rectangle per run in a row.</summary>
        private void DrawModules(bool[][] modules, double x, double y, double side)
        {
            var module = side / modules.Length;
            for (var row = 0; row < modules.Length; row++)
            {
                var start = -1;
                for (var column = 0; column <= modules[row].Length; column++)
                {
                    var dark = column < modules[row].Length && modules[row][column];
                    if (dark && start < 0)
                    {
                        start = column;
                    }
                    else if (!dark && start >= 0)
                    {
                        // A hair of overlap so that no white seam shows between neighbouring squares.
                        Gfx.DrawRectangle(XBrushes.Black, x + (start * module), y + (row * module), ((column - start) * module) + 0.05, module + 0.05);
                        start = -1;
                    }
                }
            }
        }

        private void DrawCardText(Text text, double x, double width)
        {
            var font = Font(text.Size, text.Bold);
            var lineHeight = LineHeight(text.Size);
            foreach (var line in Lines(Gfx, text.Value, font, width, text.MaxLines))
            {
                Gfx.DrawString(line, font, text.Muted ? MutedInk : Ink, new XRect(x, _y, width, lineHeight), XStringFormats.TopLeft);
                _y += lineHeight;
            }
        }
    }
}
