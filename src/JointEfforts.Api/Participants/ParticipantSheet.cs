using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Participants;

/// <summary>One participant read from a sheet, with its row number in the file (the header is row 1).</summary>
public sealed record ImportRow(int Row, string FullName, string? Email, string Organisation, Sector Sector, string CountryCode, Seniority Seniority);

/// <summary>
/// Reads the participant lists coordinators keep today (.xlsx or CSV, a header row, one participant a row) and
/// checks every cell, collecting errors by row and column instead of stopping at the first.
/// </summary>
public static class ParticipantSheet
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

    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string StrictRelationshipsNamespace = "http://purl.oclc.org/ooxml/officeDocument/relationships";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly EmailAddressAttribute EmailCheck = new();

    /// <summary>Header names accepted for each field, compared on letters only, case-insensitive ("Full name", "full_name", "FullName").</summary>
    private static readonly Dictionary<string, string> Headers = new()
    {
        ["fullname"] = "fullName", ["name"] = "fullName", ["participant"] = "fullName", ["participantname"] = "fullName",
        ["email"] = "email", ["emailaddress"] = "email", ["mail"] = "email",
        ["organisation"] = "organisation", ["organization"] = "organisation", ["agency"] = "organisation", ["institution"] = "organisation",
        ["sector"] = "sector",
        ["countrycode"] = "countryCode", ["country"] = "countryCode",
        ["seniority"] = "seniority", ["level"] = "seniority",
    };

    private static readonly string[] RequiredColumns = ["fullName", "organisation", "sector", "countryCode", "seniority"];

    private static readonly Dictionary<string, Sector> SectorNames = BuildSectorNames();

    private static readonly Dictionary<string, Seniority> SeniorityNames = new()
    {
        ["senior"] = Seniority.Senior, ["managerial"] = Seniority.Senior, ["management"] = Seniority.Senior, ["manager"] = Seniority.Senior,
        ["field"] = Seniority.Field, ["practitioner"] = Seniority.Field, ["fieldpractitioner"] = Seniority.Field,
    };

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

    /// <summary>RFC 4180 CSV in UTF-8 (a BOM is fine), comma- or semicolon-separated (Excel in much of Europe writes ';'); read as a stream with the workbook's limits.</summary>
    public static (List<(int Row, string[] Cells)>? Table, ImportError? Error) ReadCsv(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes, writable: false), StrictUtf8, detectEncodingFromByteOrderMarks: false);
        try
        {
            return ReadCsvRows(reader, CsvSeparator(bytes));
        }
        catch (DecoderFallbackException)
        {
            return (null, new ImportError(1, null, "The CSV is not UTF-8: save it as 'CSV UTF-8 (comma delimited)'."));
        }
        catch (LimitExceeded limit)
        {
            return (null, limit.Error);
        }
    }

    private static (List<(int Row, string[] Cells)>? Table, ImportError? Error) ReadCsvRows(StreamReader reader, char separator)
    {
        var table = new List<(int, string[])>();
        var row = new RowBuilder();
        var cell = new StringBuilder();
        var line = 1;
        var rowStart = 1;
        var quoted = false;
        var quoteInQuoted = false;
        var atStart = true;
        var buffer = new char[16 * 1024];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var ch = buffer[i];
                if (atStart)
                {
                    atStart = false;
                    if (ch == '\uFEFF')
                    {
                        continue;
                    }
                }

                if (quoteInQuoted)
                {
                    quoteInQuoted = false;
                    if (ch == '"')
                    {
                        AppendBounded(cell, ch, rowStart, row.Column);
                        continue;
                    }

                    quoted = false;
                }
                else if (quoted)
                {
                    if (ch == '"')
                    {
                        quoteInQuoted = true;
                        continue;
                    }

                    if (ch == '\n')
                    {
                        line++;
                    }

                    AppendBounded(cell, ch, rowStart, row.Column);
                    continue;
                }

                switch (ch)
                {
                    case '"' when cell.Length == 0:
                        quoted = true;
                        break;
                    case var s when s == separator:
                        row.Add(cell.ToString(), rowStart);
                        cell.Clear();
                        break;
                    case '\r':
                        break;
                    case '\n':
                        row.Add(cell.ToString(), rowStart);
                        cell.Clear();
                        AddRow(table, rowStart, row);
                        line++;
                        rowStart = line;
                        break;
                    default:
                        AppendBounded(cell, ch, rowStart, row.Column);
                        break;
                }
            }
        }

        if (quoted && !quoteInQuoted)
        {
            return (null, new ImportError(rowStart, null, "A quoted cell is not closed: every \" that opens a cell needs one that closes it."));
        }

        if (cell.Length > 0 || row.Column > 0)
        {
            row.Add(cell.ToString(), rowStart);
            AddRow(table, rowStart, row);
        }

        return (table, null);
    }

    /// <summary>Guessed from the header line alone, on the raw bytes (';' and ',' are one byte in UTF-8).</summary>
    private static char CsvSeparator(byte[] bytes)
    {
        var firstLine = bytes.AsSpan(0, bytes.AsSpan().IndexOfAny((byte)'\r', (byte)'\n') is var end and >= 0 ? end : bytes.Length);
        return firstLine.Count((byte)';') > firstLine.Count((byte)',') ? ';' : ',';
    }

    private static void AppendBounded(StringBuilder cell, char ch, int row, int column)
    {
        if (cell.Length == MaxCellLength)
        {
            throw new LimitExceeded(new ImportError(row, null,
                $"The cell in column {column + 1} holds more than {MaxCellLength:N0} characters: this is not a participant list."));
        }

        cell.Append(ch);
    }

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

    /// <summary>Checks the header and every row; returns the participants and every error found (at most <see cref="MaxErrors"/>).</summary>
    public static (List<ImportRow> Rows, List<ImportError> Errors) Check(List<(int Row, string[] Cells)> table)
    {
        var errors = new List<ImportError>();
        var rows = new List<ImportRow>();
        var nonBlank = table.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).ToList();
        if (nonBlank.Count == 0)
        {
            errors.Add(new ImportError(1, null, "The file is empty: a header row is expected."));
            return (rows, errors);
        }

        var (headerRow, header) = nonBlank[0];
        var columns = new Dictionary<string, int>();
        for (var c = 0; c < header.Length; c++)
        {
            if (Headers.TryGetValue(Letters(header[c]), out var field))
            {
                if (!columns.TryAdd(field, c))
                {
                    errors.Add(new ImportError(headerRow, field, $"Two columns are '{field}' (columns {columns[field] + 1} and {c + 1})."));
                }
            }
        }

        foreach (var missing in RequiredColumns.Where(f => !columns.ContainsKey(f)))
        {
            errors.Add(new ImportError(headerRow, missing,
                $"The header row has no '{missing}' column. Expected columns: fullName, email (optional), organisation, sector, countryCode, seniority."));
        }

        if (errors.Count > 0)
        {
            return (rows, errors);
        }

        if (nonBlank.Count == 1)
        {
            errors.Add(new ImportError(headerRow + 1, null, "The file has a header row but no participants."));
            return (rows, errors);
        }

        var emails = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (number, cells) in nonBlank.Skip(1))
        {
            string Cell(string field) => columns.TryGetValue(field, out var c) && c < cells.Length ? cells[c].Trim() : string.Empty;
            void Error(string field, string message)
            {
                if (errors.Count < MaxErrors)
                {
                    errors.Add(new ImportError(number, field, message));
                }
            }

            var before = errors.Count;
            var fullName = Cell("fullName");
            if (fullName.Length is 0 or > 200)
            {
                Error("fullName", "A name of 1 to 200 characters is required.");
            }

            var email = Cell("email");
            if (email.Length > 0)
            {
                if (email.Length > 254 || !EmailCheck.IsValid(email))
                {
                    Error("email", $"'{Clip(email)}' is not an e-mail address.");
                }
                else if (!emails.TryAdd(email, number))
                {
                    Error("email", $"{email} is also on row {emails[email]}: one row per person.");
                }
            }

            var organisation = Cell("organisation");
            if (organisation.Length is 0 or > 200)
            {
                Error("organisation", "An organisation of 1 to 200 characters is required.");
            }

            var sectorText = Cell("sector");
            if (!SectorNames.TryGetValue(Letters(sectorText), out var sector))
            {
                Error("sector", $"'{Clip(sectorText)}' is not a sector: lawEnforcement, borderGuard, judiciary, health, ngo, labourInspection, socialServices, prison or other.");
            }

            var countryText = Cell("countryCode");
            var country = countryText.ToUpperInvariant();
            if (!IsoCodes.IsCountry(country))
            {
                country = IsoCodes.CountryOfName(countryText) ?? country;
            }

            if (!IsoCodes.IsCountry(country))
            {
                Error("countryCode", country == "UK"
                    ? "'UK' is not an ISO 3166-1 country code: the United Kingdom's is GB."
                    : $"'{Clip(countryText)}' is neither an ISO 3166-1 alpha-2 country code (e.g. AT, NL, GB) nor a country's name in English (e.g. Poland).");
            }

            var seniorityText = Cell("seniority");
            if (!SeniorityNames.TryGetValue(Letters(seniorityText), out var seniority))
            {
                Error("seniority", $"'{Clip(seniorityText)}' is not a seniority: senior or field.");
            }

            if (errors.Count == before)
            {
                rows.Add(new ImportRow(number, fullName, email.Length == 0 ? null : email, organisation, sector, country, seniority));
            }
        }

        return (rows, errors);
    }

    private static string Letters(string? text) =>
        new((text ?? string.Empty).Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());

    private static string Clip(string text) => text.Length > 60 ? text[..60] + "…" : text;

    private static Dictionary<string, Sector> BuildSectorNames()
    {
        var names = Enum.GetValues<Sector>().ToDictionary(s => s.ToString().ToLowerInvariant(), s => s);
        names["police"] = Sector.LawEnforcement;
        names["borderguards"] = Sector.BorderGuard;
        names["borderpolice"] = Sector.BorderGuard;
        names["ngos"] = Sector.Ngo;
        names["labourinspectorate"] = Sector.LabourInspection;
        names["labourinspector"] = Sector.LabourInspection;
        names["laborinspection"] = Sector.LabourInspection;
        names["socialservice"] = Sector.SocialServices;
        names["socialwork"] = Sector.SocialServices;
        names["prisons"] = Sector.Prison;
        names["prisonservice"] = Sector.Prison;
        names["justice"] = Sector.Judiciary;
        names["healthcare"] = Sector.Health;
        return names;
    }

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
