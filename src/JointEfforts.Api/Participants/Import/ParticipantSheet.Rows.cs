using System.ComponentModel.DataAnnotations;
using System.Globalization;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Participants;

/// <summary>Mapping the header to fields and checking every row into an <see cref="ImportRow"/>, collecting every error.</summary>
public static partial class ParticipantSheet
{
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

    /// <summary>Seniority may be missing (unknown); a name is either fullName or firstName with lastName.</summary>
    private static readonly string[] RequiredColumns = ["organisation", "sector", "countryCode"];

    private static readonly Dictionary<string, Sector> SectorNames = BuildSectorNames();

    private static readonly Dictionary<string, Seniority> SeniorityNames = new()
    {
        ["senior"] = Seniority.Senior, ["managerial"] = Seniority.Senior, ["management"] = Seniority.Senior, ["manager"] = Seniority.Senior,
        ["field"] = Seniority.Field, ["practitioner"] = Seniority.Field, ["fieldpractitioner"] = Seniority.Field,
    };

    /// <summary>Checks the header and every row; returns the participants and every error found (at most <see cref="MaxErrors"/>).</summary>
    public static (List<ImportRow> Rows, List<ImportError> Errors) Check(List<(int Row, string[] Cells)> table)
    {
        var sheet = Check(table, null);
        return (sheet.Rows, sheet.Errors);
    }

    /// <summary>
    /// Checks the header and every row, with <paramref name="mapping"/> (header → field, headers as compared by
    /// <see cref="ImportSynonyms.Key"/>) taking precedence over the synonyms: the columns a person chose for headers the
    /// import does not know.
    /// </summary>
    public static SheetCheck Check(List<(int Row, string[] Cells)> table, IReadOnlyDictionary<string, string>? mapping)
    {
        var errors = new List<ImportError>();
        var rows = new List<ImportRow>();
        var columns = new Dictionary<string, int>();
        var unrecognised = new List<string>();
        var nonBlank = table.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).ToList();
        var result = new SheetCheck(rows, errors, columns, unrecognised);
        if (nonBlank.Count == 0)
        {
            errors.Add(new ImportError(1, null, "The file is empty: a header row is expected."));
            return result;
        }

        var (headerRow, header) = nonBlank[0];
        result.Header = header;
        for (var c = 0; c < header.Length; c++)
        {
            var key = ImportSynonyms.Key(header[c]);
            string? field = mapping is not null && mapping.TryGetValue(key, out var chosen) ? chosen
                : Headers.TryGetValue(Letters(header[c]), out var known) ? known
                : ImportSynonyms.Headers.TryGetValue(key, out var synonym) ? synonym
                : null;
            if (field is null)
            {
                if (!string.IsNullOrWhiteSpace(header[c]))
                {
                    unrecognised.Add(header[c].Trim());
                }

                continue;
            }

            if (field is "jobTitle" or "ignore")
            {
                continue;
            }

            if (!columns.TryAdd(field, c))
            {
                errors.Add(new ImportError(headerRow, field, $"Two columns are '{field}' (columns {columns[field] + 1} and {c + 1})."));
            }
        }

        var hasName = columns.ContainsKey("fullName") || (columns.ContainsKey("firstName") && columns.ContainsKey("lastName"));
        var others = unrecognised.Count == 0
            ? string.Empty
            : $" Columns not recognised: {string.Join(", ", unrecognised.Select(h => $"'{Clip(h)}'"))}; send a mapping to say which field each is.";
        if (!hasName)
        {
            errors.Add(new ImportError(headerRow, "fullName",
                "The header row has no name column: a 'fullName' column, or 'firstName' and 'lastName' columns (they are joined)." + others));
        }

        foreach (var missing in RequiredColumns.Where(f => !columns.ContainsKey(f)))
        {
            errors.Add(new ImportError(headerRow, missing,
                $"The header row has no '{missing}' column. Expected columns: fullName (or firstName and lastName), email (optional), organisation, sector, countryCode, seniority (optional)." + others));
        }

        if (errors.Count > 0)
        {
            return result;
        }

        if (nonBlank.Count == 1)
        {
            errors.Add(new ImportError(headerRow + 1, null, "The file has a header row but no participants."));
            return result;
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
            var fullName = columns.ContainsKey("fullName")
                ? Cell("fullName")
                : string.Join(' ', new[] { Cell("firstName"), Cell("lastName") }.Where(part => part.Length > 0));
            if (fullName.Length is 0 or > 200)
            {
                Error("fullName", "A name of 1 to 200 characters is required.");
            }
            else if (JsonBodyCheck.OnlyInvisible(fullName) is { } invisible)
            {
                Error("fullName", $"The name holds only invisible characters (U+{invisible:X4}): a name of 1 to 200 visible characters is required.");
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
            else if (JsonBodyCheck.OnlyInvisible(organisation) is { } invisibleOrganisation)
            {
                Error("organisation", $"The organisation holds only invisible characters (U+{invisibleOrganisation:X4}): 1 to 200 visible characters are required.");
            }

            var sectorText = Cell("sector");
            if (!SectorNames.TryGetValue(Letters(sectorText), out var sector)
                && !ImportSynonyms.Sectors.TryGetValue(ImportSynonyms.Key(sectorText), out sector))
            {
                Error("sector", $"'{Clip(sectorText)}' is not a sector: lawEnforcement, borderGuard, judiciary, health, ngo, labourInspection, socialServices, prison or other.");
            }

            var countryText = Cell("countryCode");
            var country = countryText.ToUpperInvariant();
            if (!IsoCodes.IsCountry(country))
            {
                country = IsoCodes.CountryOfName(countryText) ?? ImportSynonyms.Country(countryText) ?? country;
            }

            if (!IsoCodes.IsCountry(country))
            {
                Error("countryCode", country == "UK"
                    ? "'UK' is not an ISO 3166-1 country code: the United Kingdom's is GB."
                    : $"'{Clip(countryText)}' is neither an ISO 3166-1 alpha-2 country code (e.g. AT, NL, GB) nor a country's name in English (e.g. Poland).");
            }

            var seniorityText = Cell("seniority");
            var seniority = Seniority.Unknown;
            if (seniorityText.Length > 0 && !SeniorityNames.TryGetValue(Letters(seniorityText), out seniority)
                && !ImportSynonyms.Seniorities.TryGetValue(ImportSynonyms.Key(seniorityText), out seniority))
            {
                Error("seniority", $"'{Clip(seniorityText)}' is not a seniority: senior, field, or unknown (or leave it empty).");
            }

            var rowErrors = errors.Skip(before).Select(e => e.Column).ToHashSet();
            result.Read.Add(new PreviewParticipant(
                number,
                fullName,
                email.Length == 0 ? null : email,
                organisation,
                rowErrors.Contains("sector") ? sectorText : sector.ToWire(),
                rowErrors.Contains("countryCode") ? countryText : country,
                rowErrors.Contains("seniority") ? seniorityText : seniority.ToWire()));
            if (errors.Count == before)
            {
                rows.Add(new ImportRow(number, fullName, email.Length == 0 ? null : email, organisation, sector, country, seniority));
            }
        }

        return result;
    }

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
