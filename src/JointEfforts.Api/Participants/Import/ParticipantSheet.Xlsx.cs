using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;

namespace JointEfforts.Api.Participants;

/// <summary>Reading an .xlsx workbook: its zip checked before it is opened, then its first worksheet streamed cell by cell.</summary>
public static partial class ParticipantSheet
{
    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string StrictRelationshipsNamespace = "http://purl.oclc.org/ooxml/officeDocument/relationships";

    /// <summary>
    /// The non-blank rows of the first worksheet with their row numbers; or the first file-level error. Read as a stream:
    /// the zip's declared sizes are checked before anything is unpacked, every part is read through a counter that stops
    /// at <see cref="MaxPartBytes"/> whatever the headers claim, and rows, columns, cell length and the shared-string table
    /// are checked while reading, so a million-row sheet or a 400 MB cell is refused after a few kilobytes of work.
    /// </summary>
    public static (List<(int Row, string[] Cells)>? Table, ImportError? Error) ReadXlsx(Stream stream)
    {
        try
        {
            if (CheckZip(stream) is { } zipError)
            {
                return (null, zipError);
            }

            stream.Position = 0;
            using var document = SpreadsheetDocument.Open(stream, isEditable: false, new OpenSettings { MaxCharactersInPart = MaxPartBytes });
            var workbook = document.WorkbookPart;
            var sheet = workbook is null ? null : FirstWorksheet(workbook);
            if (sheet is null)
            {
                return (null, new ImportError(1, null, "The workbook has no worksheet: a header row is expected."));
            }

            var shared = workbook!.SharedStringTablePart is { } sharedPart ? ReadSharedStrings(sharedPart) : [];
            var table = ReadWorksheet(sheet, shared);
            return table.Count == 0
                ? (null, new ImportError(1, null, "The workbook is empty: a header row is expected."))
                : (table, null);
        }
        catch (LimitExceeded limit)
        {
            return (null, limit.Error);
        }
#pragma warning disable CA1031 // an uploaded file can break the parser in many ways; each is the client's bad input, never a 500
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return (null, new ImportError(1, null, "The file is not a readable .xlsx workbook (save it from Excel as .xlsx, or send CSV)."));
        }
    }

    /// <summary>
    /// Refuses a zip bomb on its declared sizes before anything is unpacked. The declared sizes can lie: the runtime's
    /// inflater stops at the declared size, and <see cref="BoundedStream"/> stops at <see cref="MaxPartBytes"/> in any case.
    /// </summary>
    private static ImportError? CheckZip(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        if (zip.Entries.Count > MaxZipEntries)
        {
            return new ImportError(1, null, $"The workbook holds {zip.Entries.Count:N0} files; a participant list has a few dozen at most (limit {MaxZipEntries:N0}).");
        }

        long total = 0;
        foreach (var entry in zip.Entries)
        {
            total += entry.Length;
            if (entry.Length > MaxPartBytes || total > MaxWorkbookBytes)
            {
                return new ImportError(1, null,
                    $"The workbook unpacks to more than {Megabytes(entry.Length > MaxPartBytes ? MaxPartBytes : MaxWorkbookBytes)} " +
                    $"('{Clip(entry.FullName)}' alone is {Megabytes(entry.Length)}): this is not a participant list of at most {MaxRows:N0} rows.");
            }
        }

        return null;
    }

    /// <summary>The first sheet of the workbook that is a worksheet (not a chart), in the workbook's order.</summary>
    private static WorksheetPart? FirstWorksheet(WorkbookPart workbook)
    {
        using var xml = OpenPart(workbook);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "sheet"
                && (xml.GetAttribute("id", RelationshipsNamespace) ?? xml.GetAttribute("id", StrictRelationshipsNamespace)) is { } id
                && workbook.TryGetPartById(id, out var part) && part is WorksheetPart worksheet)
            {
                return worksheet;
            }
        }

        return null;
    }

    /// <summary>The shared-string table; a string longer than a cell may be is kept as null and refused only where a cell uses it.</summary>
    private static List<string?> ReadSharedStrings(SharedStringTablePart part)
    {
        var strings = new List<string?>();
        var text = new StringBuilder();
        var buffer = new char[1024];
        long characters = 0;
        using var xml = OpenPart(part);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "si")
            {
                continue;
            }

            if (strings.Count == MaxSharedStrings)
            {
                throw new LimitExceeded(new ImportError(1, null,
                    $"The workbook's shared-string table has more than {MaxSharedStrings:N0} entries: this is not a participant list of at most {MaxRows:N0} rows."));
            }

            text.Clear();
            if (!AppendRichText(xml, text, buffer, ExcelMaxCellLength))
            {
                throw new LimitExceeded(new ImportError(1, null,
                    $"The workbook holds a text of more than {ExcelMaxCellLength:N0} characters, more than Excel itself allows in a cell: this is not a participant list."));
            }

            var fits = text.Length <= MaxCellLength;
            characters += fits ? text.Length : 0;
            if (characters > MaxSharedStringCharacters)
            {
                throw new LimitExceeded(new ImportError(1, null,
                    $"The workbook's shared strings hold more than {MaxSharedStringCharacters:N0} characters: this is not a participant list of at most {MaxRows:N0} rows."));
            }

            strings.Add(fits ? text.ToString() : null);
        }

        return strings;
    }

    private static List<(int Row, string[] Cells)> ReadWorksheet(WorksheetPart part, List<string?> shared)
    {
        var table = new List<(int, string[])>();
        var row = new RowBuilder();
        var text = new StringBuilder();
        var buffer = new char[1024];
        var rowNumber = 0;
        var cellElements = 0;
        using var xml = OpenPart(part);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "row")
            {
                continue;
            }

            rowNumber = int.TryParse(xml.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > rowNumber ? r : rowNumber + 1;
            if (rowNumber > GridRows)
            {
                throw new LimitExceeded(new ImportError(GridRows, null, $"The sheet has more rows than Excel's {GridRows:N0}: the file is damaged or not a spreadsheet."));
            }

            if (xml.IsEmptyElement)
            {
                continue;
            }

            var depth = xml.Depth;
            var column = 0;
            xml.Read();
            while (xml.Depth > depth)
            {
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "c")
                {
                    if (++cellElements > MaxCellElements)
                    {
                        throw new LimitExceeded(new ImportError(rowNumber, null,
                            $"The sheet has more than {MaxCellElements:N0} cells, blank ones included: this is not a participant list of at most {MaxRows:N0} rows."));
                    }

                    column = ColumnOf(xml.GetAttribute("r")) is var c and > 0 ? c : column + 1;
                    if (column > GridColumns)
                    {
                        throw new LimitExceeded(new ImportError(rowNumber, null, $"Row {rowNumber} has more cells than Excel's {GridColumns:N0} columns: the file is damaged or not a spreadsheet."));
                    }

                    var value = ReadCell(xml, text, buffer, shared, rowNumber, column);
                    if (value.Length > 0)
                    {
                        if (column > MaxColumns)
                        {
                            throw new LimitExceeded(new ImportError(rowNumber, null,
                                $"Cell {CellName(column, rowNumber)} has a value beyond column {CellName(MaxColumns, null)}: at most {MaxColumns} columns are read; remove the others."));
                        }

                        row.Set(column - 1, value);
                    }
                }

                xml.Read();
            }

            AddRow(table, rowNumber, row);
        }

        return table;
    }

    /// <summary>A cell's text as a person sees it in the sheet (shared, inline or literal); the reader is left on the cell's last node.</summary>
    private static string ReadCell(XmlReader xml, StringBuilder text, char[] buffer, List<string?> shared, int row, int column)
    {
        var type = xml.GetAttribute("t");
        text.Clear();
        var fits = true;
        if (!xml.IsEmptyElement)
        {
            var depth = xml.Depth;
            xml.Read();
            while (fits && xml.Depth > depth)
            {
                // Past the limit the reader stays inside the text: reading on would scan the rest of it for nothing.
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "v" && type != "inlineStr")
                {
                    if (fits = AppendText(xml, text, buffer))
                    {
                        xml.Read();
                    }
                }
                else if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "is")
                {
                    if (fits = AppendRichText(xml, text, buffer))
                    {
                        xml.Read();
                    }
                }
                else if (xml.NodeType == XmlNodeType.Element)
                {
                    xml.Skip();
                }
                else
                {
                    xml.Read();
                }
            }
        }

        string? value = type switch
        {
            "s" when text.Length == 0 => string.Empty,
            "s" when int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < shared.Count => shared[index],
            "s" => throw new LimitExceeded(new ImportError(row, null, $"Cell {CellName(column, row)} refers to a shared string the workbook does not have: the file is damaged.")),
            "b" => text.ToString() switch { "1" => "TRUE", "0" => "FALSE", var other => other },
            _ => fits ? text.ToString() : null,
        };
        return value ?? throw new LimitExceeded(new ImportError(row, null,
            $"Cell {CellName(column, row)} holds more than {MaxCellLength:N0} characters: this is not a participant list."));
    }

    /// <summary>The runs of an &lt;si&gt; or &lt;is&gt; (phonetic guides left out); false as soon as the text passes <see cref="MaxCellLength"/>.</summary>
    private static bool AppendRichText(XmlReader xml, StringBuilder text, char[] buffer, int limit = MaxCellLength)
    {
        if (xml.IsEmptyElement)
        {
            return true;
        }

        var depth = xml.Depth;
        xml.Read();
        while (xml.Depth > depth)
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "t")
            {
                if (!AppendText(xml, text, buffer, limit))
                {
                    return false;
                }

                xml.Read();
            }
            else if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "rPh")
            {
                xml.Skip();
            }
            else
            {
                xml.Read();
            }
        }

        return true;
    }

    /// <summary>The text of a &lt;t&gt; or &lt;v&gt;, read in chunks so that a huge one is never held: false once past <see cref="MaxCellLength"/>.</summary>
    private static bool AppendText(XmlReader xml, StringBuilder text, char[] buffer, int limit = MaxCellLength)
    {
        if (xml.IsEmptyElement)
        {
            return true;
        }

        var depth = xml.Depth;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                int read;
                while ((read = xml.ReadValueChunk(buffer, 0, buffer.Length)) > 0)
                {
                    text.Append(buffer, 0, read);
                    if (text.Length > limit)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static XmlReader OpenPart(OpenXmlPart part) =>
        XmlReader.Create(new BoundedStream(part.GetStream(FileMode.Open, FileAccess.Read), MaxPartBytes, part.Uri.OriginalString), PartReaderSettings);

    private static readonly XmlReaderSettings PartReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        CloseInput = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>"B" → 2, "AA12" → 27; 0 when the reference is missing or not a cell.</summary>
    private static int ColumnOf(string? reference)
    {
        var column = 0;
        foreach (var ch in reference ?? string.Empty)
        {
            if (ch is >= 'A' and <= 'Z' && column < 100_000)
            {
                column = (column * 26) + (ch - 'A' + 1);
            }
            else
            {
                break;
            }
        }

        return column;
    }

    /// <summary>
    /// A part's unpacked bytes, counted as they are read: whatever the zip headers declare, reading stops at the limit.
    /// </summary>
    private sealed class BoundedStream(Stream inner, long limit, string name) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            _read += read;
            return _read <= limit ? read : throw new LimitExceeded(new ImportError(1, null,
                $"'{Clip(name)}' unpacks to more than {Megabytes(limit)}: this is not a participant list of at most {MaxRows:N0} rows."));
        }
    }
}
