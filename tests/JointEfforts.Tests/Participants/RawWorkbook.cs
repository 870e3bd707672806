using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace JointEfforts.Tests.Participants;

/// <summary>
/// Workbooks written by hand, part by part, as the Open XML format allows: the sheet's XML is streamed into the zip,
/// so a million rows or a 400 MB cell cost the test a few hundred kilobytes. Also compiled into the benchmark.
/// </summary>
public static class RawWorkbook
{
    public const string SheetEntry = "xl/worksheets/sheet1.xml";

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string DocumentRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private static readonly string[] Header = ["Full name", "E-mail", "Organisation", "Sector", "Country", "Seniority"];
    private static readonly string[] Sectors = ["lawEnforcement", "borderGuard", "judiciary", "health", "ngo", "labourInspection", "socialServices", "prison"];
    private static readonly string[] Countries = ["PL", "AT", "NL", "AL", "MD", "BG", "RO", "GB"];

    /// <summary>A workbook of one sheet whose &lt;sheetData&gt; the caller writes; with a shared-string table when given one.</summary>
    public static byte[] Create(Action<TextWriter> writeRows, IReadOnlyList<string>? sharedStrings = null)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "[Content_Types].xml", writer => writer.Write(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" +
                "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
                "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" +
                "<Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
                "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" +
                "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" +
                (sharedStrings is null ? "" : "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>") +
                "</Types>"));
            Entry(zip, "_rels/.rels", writer => writer.Write(
                $"<Relationships xmlns=\"{Relationships}\"><Relationship Id=\"rId1\" Type=\"{DocumentRelationships}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"));
            Entry(zip, "xl/workbook.xml", writer => writer.Write(
                $"<workbook xmlns=\"{Main}\" xmlns:r=\"{DocumentRelationships}\"><sheets><sheet name=\"Participants\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"));
            Entry(zip, "xl/_rels/workbook.xml.rels", writer => writer.Write(
                $"<Relationships xmlns=\"{Relationships}\"><Relationship Id=\"rId1\" Type=\"{DocumentRelationships}/worksheet\" Target=\"worksheets/sheet1.xml\"/>" +
                (sharedStrings is null ? "" : $"<Relationship Id=\"rId2\" Type=\"{DocumentRelationships}/sharedStrings\" Target=\"sharedStrings.xml\"/>") +
                "</Relationships>"));
            Entry(zip, SheetEntry, writer =>
            {
                writer.Write($"<worksheet xmlns=\"{Main}\"><sheetData>");
                writeRows(writer);
                writer.Write("</sheetData></worksheet>");
            });
            if (sharedStrings is not null)
            {
                Entry(zip, "xl/sharedStrings.xml", writer =>
                {
                    writer.Write($"<sst xmlns=\"{Main}\" count=\"{sharedStrings.Count}\" uniqueCount=\"{sharedStrings.Count}\">");
                    foreach (var text in sharedStrings)
                    {
                        writer.Write($"<si><t xml:space=\"preserve\">{SecurityElement.Escape(text)}</t></si>");
                    }

                    writer.Write("</sst>");
                });
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A row of inline strings from column A.</summary>
    public static string InlineRow(int row, params string[] cells)
    {
        var xml = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<row r=\"{row}\">");
        for (var c = 0; c < cells.Length; c++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<c r=\"{Column(c + 1)}{row}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(cells[c])}</t></is></c>");
        }

        return xml.Append("</row>").ToString();
    }

    /// <summary>
    /// The largest kind of list a coordinator sends: a header and <paramref name="participants"/> rows, as Excel writes them
    /// (every text in the shared-string table, cells referring to it by index).
    /// </summary>
    public static byte[] Participants(int participants, string countryCode = "")
    {
        var strings = new List<string>(Header);
        strings.AddRange(Sectors);
        strings.AddRange(Countries);
        strings.AddRange(["senior", "field"]);
        var first = strings.Count;
        for (var i = 0; i < participants; i++)
        {
            strings.Add($"Participant Number {i:D5}");
            strings.Add($"participant.{i:D5}@example.org");
            strings.Add($"Agency {i % 250:D3} of the Border Guard and Police");
        }

        return Create(writer =>
        {
            writer.Write(SharedRow(1, [0, 1, 2, 3, 4, 5]));
            for (var i = 0; i < participants; i++)
            {
                var country = countryCode.Length > 0 ? strings.IndexOf(countryCode) : Header.Length + Sectors.Length + (i % Countries.Length);
                writer.Write(SharedRow(i + 2, [
                    first + (3 * i), first + (3 * i) + 1, first + (3 * i) + 2,
                    Header.Length + (i % Sectors.Length), country, first - 2 + (i % 2),
                ]));
            }
        }, strings);
    }

    /// <summary>
    /// A header and a million copies of one participant as Excel would store them (texts shared): about 1 MB zipped, over
    /// 100 MB of XML unzipped. The rows carry no row or cell references (the format allows it: they count on from the
    /// previous one), so the copies are identical.
    /// </summary>
    public static byte[] MillionRows()
    {
        var row = "<row>" + string.Concat(Enumerable.Range(0, 6).Select(i => $"<c t=\"s\"><v>{i}</v></c>")) + "</row>";
        return Create(writer =>
        {
            writer.Write(InlineRow(1, Header));
            for (var i = 0; i < 1_000_000; i++)
            {
                writer.Write(row);
            }
        }, ["Anna Kowalska", "", "Straż Graniczna", "borderGuard", "PL", "field"]);
    }

    /// <summary>A header and one participant whose organisation is <paramref name="characters"/> letters long: highly compressible.</summary>
    public static byte[] HugeCell(long characters) => Create(writer =>
    {
        writer.Write(InlineRow(1, Header));
        writer.Write("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Anna Kowalska</t></is></c><c r=\"C2\" t=\"inlineStr\"><is><t>");
        var chunk = new string('A', 64 * 1024);
        for (var written = 0L; written < characters; written += chunk.Length)
        {
            writer.Write(chunk.AsSpan(0, (int)Math.Min(chunk.Length, characters - written)));
        }

        writer.Write("</t></is></c></row>");
    });

    /// <summary>The zip with <paramref name="entry"/>'s uncompressed size rewritten in its local and central headers: a bomb that lies.</summary>
    public static byte[] WithDeclaredSize(byte[] zip, string entry, uint declared)
    {
        var bytes = (byte[])zip.Clone();
        var name = Encoding.UTF8.GetBytes(entry);
        var patched = 0;
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50 && bytes.AsSpan(i + 30, name.Length).SequenceEqual(name)
                && BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 26)) == name.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), declared);
                patched++;
            }
            else if (signature == 0x02014b50 && bytes.AsSpan(i + 46, name.Length).SequenceEqual(name)
                && BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 28)) == name.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), declared);
                patched++;
            }
        }

        return patched == 2 ? bytes : throw new InvalidOperationException($"{entry}: {patched} headers found, 2 expected.");
    }

    /// <summary>A row of cells from column A, each referring to the shared-string table by index.</summary>
    public static string SharedRow(int row, params int[] indices)
    {
        var xml = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<row r=\"{row}\">");
        for (var c = 0; c < indices.Length; c++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<c r=\"{Column(c + 1)}{row}\" t=\"s\"><v>{indices[c]}</v></c>");
        }

        return xml.Append("</row>").ToString();
    }

    private static void Entry(ZipArchive zip, string name, Action<TextWriter> write)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Optimal).Open(), new UTF8Encoding(false), 64 * 1024);
        write(writer);
    }

    private static string Column(int column) =>
        column <= 26 ? ((char)('A' + column - 1)).ToString() : Column((column - 1) / 26) + (char)('A' + ((column - 1) % 26));
}
