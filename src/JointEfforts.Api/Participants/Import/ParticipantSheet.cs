using System.Globalization;
using System.Text;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Participants;

/// <summary>One participant read from a sheet, with its row number in the file (the header is row 1).</summary>
public sealed record ImportRow(int Row, string FullName, string? Email, string Organisation, Sector Sector, string CountryCode, Seniority Seniority);

/// <summary>
/// Reads the participant lists coordinators keep today (.xlsx or CSV, a header row, one participant a row) and
/// checks every cell, collecting errors by row and column instead of stopping at the first.
/// </summary>
public static partial class ParticipantSheet
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const int MaxRows = 10_000;
    public const int MaxErrors = 500;
    public const int MaxColumns = 100;
    public const int MaxCellLength = 1_000;

    /// <summary>Excel's own limit for a cell: a longer shared string is not from a spreadsheet, and is refused at once.</summary>
    private const int ExcelMaxCellLength = 32_767;

    /// <summary>
    /// Unpacked size of any one part of a workbook, and of all of them. A list of 10,000 rows as Excel saves it is 1 to 3 MB
    /// of sheet XML; a small limit also bounds the time a part of empty elements can cost to read.
    /// </summary>
    public const int MaxPartBytes = 20 * 1024 * 1024;
    public const long MaxWorkbookBytes = 100L * 1024 * 1024;
    public const int MaxZipEntries = 1_000;
    public const int MaxSharedStrings = 500_000;
    public const long MaxSharedStringCharacters = 10_000_000;

    /// <summary>Excel's grid: 1,048,576 rows of 16,384 columns (A to XFD). Beyond it a file is not a spreadsheet.</summary>
    private const int GridRows = 1_048_576;
    private const int GridColumns = 16_384;

    /// <summary>
    /// Cell elements in the sheet, blank (formatted) ones included: a full list of 10,001 rows of 100 columns. Millions of
    /// &lt;c/&gt; fit in 20 MB; this stops them after ~0.3 s of CPU (docs/benchmarks.md).
    /// </summary>
    public const int MaxCellElements = (MaxRows + 1) * MaxColumns;

    /// <summary>Keeps a non-blank row; the header counts, so a full list is <see cref="MaxRows"/> + 1 rows.</summary>
    private static void AddRow(List<(int, string[])> table, int rowNumber, RowBuilder row)
    {
        if (row.HasValue)
        {
            if (table.Count == MaxRows + 1)
            {
                throw new LimitExceeded(new ImportError(rowNumber, null, $"At most {MaxRows} participants per import; split the file."));
            }

            table.Add((rowNumber, row.ToArray()));
        }

        row.Clear();
    }

    private static string CellName(int column, int? row)
    {
        var letters = string.Empty;
        for (var c = column; c > 0; c = (c - 1) / 26)
        {
            letters = (char)('A' + ((c - 1) % 26)) + letters;
        }

        return letters + row?.ToString(CultureInfo.InvariantCulture);
    }

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):N1} MB";

    private static string Letters(string? text) =>
        new((text ?? string.Empty).Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());

    private static string Clip(string text) => text.Length > 60 ? text[..60] + "…" : text;

    /// <summary>
    /// The first limit a file breaks, thrown from deep inside the streaming readers and caught at their entry points:
    /// reading stops there, so a bomb costs the server no more than the bytes read up to the limit.
    /// </summary>
    private sealed class LimitExceeded(ImportError error) : Exception(error.Message)
    {
        public ImportError Error { get; } = error;
    }

    /// <summary>The cells of one row as they are read, at most <see cref="MaxColumns"/> of them kept.</summary>
    private sealed class RowBuilder
    {
        private readonly string?[] _cells = new string?[MaxColumns];
        private int _width;

        /// <summary>Cells added so far (CSV), or the widest column set (workbook).</summary>
        public int Column { get; private set; }

        public bool HasValue { get; private set; }

        public void Set(int index, string value)
        {
            _cells[index] = value;
            _width = Math.Max(_width, index + 1);
            Column = _width;
            HasValue |= !string.IsNullOrWhiteSpace(value);
        }

        public void Add(string value, int row)
        {
            if (Column < MaxColumns)
            {
                Set(Column, value);
            }
            else if (!string.IsNullOrWhiteSpace(value))
            {
                throw new LimitExceeded(new ImportError(row, null,
                    $"Column {Column + 1} has a value: at most {MaxColumns} columns are read; remove the others."));
            }
            else
            {
                Column++;
            }
        }

        public string[] ToArray()
        {
            var cells = new string[_width];
            for (var c = 0; c < _width; c++)
            {
                cells[c] = _cells[c] ?? string.Empty;
            }

            return cells;
        }

        public void Clear()
        {
            Array.Clear(_cells, 0, _width);
            _width = 0;
            Column = 0;
            HasValue = false;
        }
    }
}
