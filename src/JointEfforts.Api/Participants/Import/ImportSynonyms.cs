using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace JointEfforts.Api.Participants;

/// <summary>
/// The words coordinators write in their own lists, in the seven languages of the participant pages (en, de, nl, sq,
/// ro, sv, pl) and Latvian: header names for each field, sector and seniority values, and country names. Everything is
/// compared by <see cref="Key"/>: letters only, lower case, without diacritics ("Uzvārds" = "uzvards" = "UZVARDS").
/// </summary>
public static class ImportSynonyms
{
    /// <summary>The fields a column can be mapped to. jobTitle is recognised (and then ignored): lists often carry it.</summary>
    public static readonly IReadOnlyList<string> Fields =
        ["fullName", "firstName", "lastName", "email", "organisation", "sector", "countryCode", "seniority", "jobTitle", "ignore"];

    public static readonly FrozenDictionary<string, string> Headers = Build(new Dictionary<string, string[]>
    {
        ["fullName"] =
        [
            "full name", "fullname", "name", "participant", "participant name", "name and surname",
            "vollständiger name", "vor- und nachname", "teilnehmer", "teilnehmerin", "volledige naam", "naam", "deelnemer",
            "emri i plote", "emri dhe mbiemri", "pjesemarresi", "nume si prenume", "nume complet", "participant",
            "namn", "fullständigt namn", "deltagare", "imie i nazwisko", "uczestnik", "vards uzvards", "vards, uzvards", "dalibnieks",
        ],
        ["firstName"] =
        [
            "first name", "given name", "forename", "firstname", "vorname", "voornaam", "emri", "prenume", "förnamn", "imie", "vards",
        ],
        ["lastName"] =
        [
            "last name", "surname", "family name", "lastname", "nachname", "familienname", "achternaam", "mbiemri", "nume",
            "nume de familie", "efternamn", "nazwisko", "uzvards",
        ],
        ["email"] =
        [
            "email", "e-mail", "email address", "mail", "e-mail-adresse", "e-mailadres", "adresa e emailit", "adresa email",
            "adresa de e-mail", "e-post", "e-postadress", "adres e-mail", "e-pasts", "e-pasta adrese",
        ],
        ["organisation"] =
        [
            "organisation", "organization", "agency", "institution", "employer", "behörde", "dienststelle", "arbeitgeber",
            "organisatie", "instantie", "werkgever", "organizata", "institucioni", "organizatie", "institutie", "angajator",
            "myndighet", "organisation", "arbetsgivare", "organizacja", "instytucja", "pracodawca", "iestade", "organizacija", "darbavieta",
        ],
        ["sector"] = ["sector", "sektor", "bereich", "sektori", "sektors", "nozare"],
        ["countryCode"] = ["country", "country code", "countrycode", "land", "staat", "vendi", "shteti", "tara", "kraj", "panstwo", "valsts"],
        ["seniority"] = ["seniority", "level", "seniorität", "ebene", "funktionsebene", "niveau", "niveli", "nivel", "nivå", "poziom", "limenis"],
        ["jobTitle"] =
        [
            "job title", "position", "title", "role", "funktion", "dienstgrad", "functie", "pozita", "funksioni", "functie",
            "functia", "befattning", "titel", "stanowisko", "amats", "ienemamais amats",
        ],
    });

    public static readonly FrozenDictionary<string, Sector> Sectors = Build(new Dictionary<Sector, string[]>
    {
        [Sector.LawEnforcement] =
        [
            "law enforcement", "police", "polizei", "kriminalpolizei", "politie", "policia", "politia", "polis", "polisen", "policja",
            "policija", "valsts policija", "strafverfolgung", "rechtshandhaving", "zbatimi i ligjit", "aplicarea legii",
            "brottsbekampning", "organy scigania", "tiesibaizsardziba",
        ],
        [Sector.BorderGuard] =
        [
            "border guard", "border police", "grenzschutz", "grenzpolizei", "grenswacht", "marechaussee", "policia kufitare",
            "politia de frontiera", "granspolis", "straz graniczna", "robezsardze", "valsts robezsardze",
        ],
        [Sector.Judiciary] =
        [
            "judiciary", "justice", "prosecution", "prosecutor", "court", "justiz", "staatsanwaltschaft", "gericht", "justitie",
            "openbaar ministerie", "rechtbank", "prokuroria", "gjykata", "drejtesia", "parchet", "procuratura", "instanta",
            "aklagare", "aklagarmyndigheten", "domstol", "prokuratura", "sad", "prokuratura", "tiesa", "tiesu vara",
        ],
        [Sector.Health] =
        [
            "health", "health care", "gesundheit", "gesundheitswesen", "gezondheidszorg", "zorg", "shendetesi", "sanatate",
            "sjukvard", "halso och sjukvard", "ochrona zdrowia", "sluzba zdrowia", "veseliba", "veselibas aprupe",
        ],
        [Sector.Ngo] =
        [
            "ngo", "ngos", "nro", "nichtregierungsorganisation", "ngo netwerk", "ojq", "ong", "frivilligorganisation",
            "organizacja pozarzadowa", "nvo", "nevalstiska organizacija", "biedriba",
        ],
        [Sector.LabourInspection] =
        [
            "labour inspection", "labour inspectorate", "labor inspection", "arbeitsinspektion", "arbeitsinspektorat",
            "arbeidsinspectie", "inspektorati i punes", "inspectia muncii", "arbetsmiljoverket", "inspekcja pracy", "darba inspekcija",
        ],
        [Sector.SocialServices] =
        [
            "social services", "social work", "sozialdienst", "soziale dienste", "sozialarbeit", "sociale diensten",
            "sherbime sociale", "servicii sociale", "asistenta sociala", "socialtjanst", "socialtjansten", "pomoc spoleczna",
            "sluzby spoleczne", "socialie dienesti", "socialais dienests",
        ],
        [Sector.Prison] =
        [
            "prison", "prison service", "strafvollzug", "justizanstalt", "gevangeniswezen", "gevangenis", "burgu", "sherbimi i burgjeve",
            "penitenciar", "administratia penitenciarelor", "kriminalvard", "kriminalvarden", "sluzba wiezienna",
            "ieslodzijuma vietu parvalde", "cietums",
        ],
        [Sector.Other] = ["other", "sonstige", "andere", "overig", "tjeter", "altele", "ovrigt", "inne", "cits", "citi"],
    });

    public static readonly FrozenDictionary<string, Seniority> Seniorities = Build(new Dictionary<Seniority, string[]>
    {
        [Seniority.Senior] =
        [
            "senior", "managerial", "management", "manager", "leitend", "fuhrungskraft", "leidinggevend", "drejtues", "conducere",
            "ledande", "chef", "kierownicza", "kadra kierownicza", "vadoss", "vadiba", "vaditajs",
        ],
        [Seniority.Field] =
        [
            "field", "practitioner", "field practitioner", "operativ", "praktiker", "uitvoerend", "operacional", "terren",
            "executie", "teren", "wykonawczy", "terenowy", "izpildu", "praktikis",
        ],
        [Seniority.Unknown] = ["unknown", "unbekannt", "onbekend", "e panjohur", "necunoscut", "okand", "nieznany", "nezinams", "?"],
    });

    /// <summary>Country names as written in the eight languages (ISO codes and English names are IsoCodes' own).</summary>
    public static readonly FrozenDictionary<string, string> Countries = Build(new Dictionary<string, string[]>
    {
        ["LV"] = ["latvija", "lettland", "letland", "letonia", "letonia", "łotwa", "latvia"],
        ["AT"] = ["österreich", "oostenrijk", "austria", "österrike", "austrija"],
        ["NL"] = ["nederland", "niederlande", "holanda", "tarile de jos", "nederländerna", "holandia", "niderlandy", "niderlande"],
        ["AL"] = ["shqiperia", "shqiperi", "albanien", "albanie", "albania", "albanija"],
        ["MD"] = ["moldova", "republica moldova", "moldau", "moldavie", "moldavien", "mołdawia", "moldavija"],
        ["RO"] = ["romania", "rumänien", "roemenie", "rumunia", "rumanija"],
        ["SE"] = ["sverige", "schweden", "zweden", "suedia", "szwecja", "zviedrija", "suedi"],
        ["PL"] = ["polska", "polen", "polonia", "polija", "poloni"],
        ["DE"] = ["deutschland", "duitsland", "gjermania", "germania", "tyskland", "niemcy", "vacija"],
        ["LT"] = ["lietuva", "litauen", "litouwen", "lituania", "litwa", "lituani"],
        ["EE"] = ["eesti", "estland", "estonia", "igaunija", "estoni"],
        ["BE"] = ["belgie", "belgique", "belgien", "belgia", "belgija"],
        ["GB"] = ["apvienota karaliste", "vereinigtes königreich", "verenigd koninkrijk", "mbreteria e bashkuar", "regatul unit", "storbritannien", "wielka brytania"],
    });

    /// <summary>Letters only, lower case, diacritics removed: how every header and value is compared.</summary>
    public static string Key(string? text)
    {
        var decomposed = (text ?? string.Empty).Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (char.IsLetter(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                key.Append(char.ToLowerInvariant(c));
            }
            else if (c == '?' && decomposed.Trim() == "?")
            {
                key.Append('?');
            }
        }

        return key.ToString();
    }

    /// <summary>The ISO code of a country written by its name in one of the eight languages, or null.</summary>
    public static string? Country(string? name) => Countries.TryGetValue(Key(name), out var code) ? code : null;

    private static FrozenDictionary<string, TValue> Build<TValue>(Dictionary<TValue, string[]> names)
        where TValue : notnull
    {
        var result = new Dictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var (value, words) in names)
        {
            foreach (var word in words)
            {
                result.TryAdd(Key(word), value);
            }
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
