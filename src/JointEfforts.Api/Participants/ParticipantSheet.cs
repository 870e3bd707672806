using System.ComponentModel.DataAnnotations;
using System.Text;
using ClosedXML.Excel;
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
    private const int MaxColumns = 100;

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

    /// <summary>The cells of the first worksheet, row by row with their row numbers; or a file-level error.</summary>
    public static (List<(int Row, string[] Cells)>? Table, ImportError? Error) ReadXlsx(Stream stream)
    {
        try
        {
            using var workbook = new XLWorkbook(stream);
            var sheet = workbook.Worksheets.FirstOrDefault();
            var used = sheet?.RangeUsed();
            if (used is null)
            {
                return (null, new ImportError(1, null, "The workbook is empty: a header row is expected."));
            }

            if (used.RowCount() > MaxRows + 1)
            {
                return (null, new ImportError(MaxRows + 2, null, $"At most {MaxRows} participants per import; split the file."));
            }

            var columns = Math.Min(used.ColumnCount(), MaxColumns);
            var table = new List<(int, string[])>(used.RowCount());
            foreach (var row in used.Rows())
            {
                var cells = new string[columns];
                for (var c = 0; c < columns; c++)
                {
                    cells[c] = row.Cell(c + 1).GetString();
                }

                table.Add((row.RowNumber(), cells));
            }

            return (table, null);
        }
#pragma warning disable CA1031 // an uploaded file can break the parser in many ways; each is the client's bad input, never a 500
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return (null, new ImportError(1, null, "The file is not a readable .xlsx workbook (save it from Excel as .xlsx, or send CSV)."));
        }
    }

    /// <summary>RFC 4180 CSV in UTF-8 (a BOM is fine), comma- or semicolon-separated (Excel in much of Europe writes ';').</summary>
    public static (List<(int Row, string[] Cells)>? Table, ImportError? Error) ReadCsv(byte[] bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, new ImportError(1, null, "The CSV is not UTF-8: save it as 'CSV UTF-8 (comma delimited)'."));
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var firstLine = text.AsSpan(0, Math.Max(0, text.IndexOfAny(['\r', '\n']) is var end and >= 0 ? end : text.Length));
        var separator = firstLine.Count(';') > firstLine.Count(',') ? ';' : ',';
        var table = new List<(int, string[])>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var row = 1;
        var rowStart = 1;
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i += 2;
                    continue;
                }

                if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (ch == '\n')
                    {
                        row++;
                    }

                    cell.Append(ch);
                }

                i++;
                continue;
            }

            switch (ch)
            {
                case '"' when cell.Length == 0:
                    quoted = true;
                    break;
                case var s when s == separator:
                    cells.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    table.Add((rowStart, cells.ToArray()));
                    cells.Clear();
                    row++;
                    rowStart = row;
                    break;
                default:
                    cell.Append(ch);
                    break;
            }

            if (table.Count > MaxRows + 1)
            {
                return (null, new ImportError(MaxRows + 2, null, $"At most {MaxRows} participants per import; split the file."));
            }

            i++;
        }

        if (quoted)
        {
            return (null, new ImportError(rowStart, null, "A quoted cell is not closed: every \" that opens a cell needs one that closes it."));
        }

        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString());
            table.Add((rowStart, cells.ToArray()));
        }

        if (table.Count > MaxRows + 1)
        {
            return (null, new ImportError(MaxRows + 2, null, $"At most {MaxRows} participants per import; split the file."));
        }

        return (table, null);
    }

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

            var country = Cell("countryCode").ToUpperInvariant();
            if (!IsoCodes.IsCountry(country))
            {
                Error("countryCode", $"'{Clip(country)}' is not an ISO 3166-1 alpha-2 country code (e.g. AT, NL, GB).");
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
}
