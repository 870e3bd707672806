using System.Text;

namespace JointEfforts.Api.Participants;

/// <summary>Reading a CSV file.</summary>
public static partial class ParticipantSheet
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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
}
