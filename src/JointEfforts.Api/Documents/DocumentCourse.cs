using System.Globalization;
using System.Text;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace JointEfforts.Api.Documents;

/// <summary>What every document prints of a course and its programme, and who may print it.</summary>
public sealed record DocumentCourse
{
    /// <summary>The course with its programme, scoped: a country expert reads only their country's courses.</summary>
    public static readonly DialectSql Select = new(d => $"""
        SELECT c.id AS Id, c.title AS Title, c.city AS City, c.venue AS Venue, c.language AS Language,
               c.country_code AS CountryCode, c.start_date AS StartDate, c.end_date AS EndDate,
               c.country_expert_user_id AS CountryExpertUserId,
               c.evaluation_form_id IS NOT NULL AS HasReactionForm, c.pre_test_form_id IS NOT NULL AS HasPreTest,
               c.post_test_form_id IS NOT NULL AS HasPostTest,
               p.code AS ProgrammeCode, COALESCE({d.JsonTextAt("p.local_titles", "c.language")}, p.title) AS ProgrammeTitle, p.funding_programme AS FundingProgramme
        FROM courses c
        JOIN projects p ON p.id = c.project_id
        WHERE c.id = @id AND (@country IS NULL OR c.country_code = @country);
        """);

    public int Id { get; init; }

    public required string Title { get; init; }

    public required string City { get; init; }

    public string? Venue { get; init; }

    public required string Language { get; init; }

    public required string CountryCode { get; init; }

    public DateOnly StartDate { get; init; }

    public DateOnly EndDate { get; init; }

    public int? CountryExpertUserId { get; init; }

    public bool HasReactionForm { get; init; }

    public bool HasPreTest { get; init; }

    public bool HasPostTest { get; init; }

    public required string ProgrammeCode { get; init; }

    public required string ProgrammeTitle { get; init; }

    public required string FundingProgramme { get; init; }

    /// <summary>The funding line funders look for: "EU ISEC · JE-2011: Joint efforts of …".</summary>
    public string Funding => $"{FundingProgramme} · {ProgrammeCode}: {ProgrammeTitle}";

    /// <summary>Venue and city, the city once ("Bundeskriminalamt training centre, Vienna" names it already).</summary>
    public string Place =>
        string.IsNullOrWhiteSpace(Venue) ? City
        : Venue.Contains(City, StringComparison.OrdinalIgnoreCase) ? Venue
        : $"{Venue}, {City}";

    /// <summary>
    /// A coordinator, or the course's own country expert (when the course names none, any expert of its
    /// country, as for evaluation codes). Other countries' experts never get here: the scoped read is a 404.
    /// </summary>
    public bool MayPrint(Caller caller) =>
        caller.Role is Role.Admin or Role.Coordinator
        || (caller.Role == Role.CountryExpert && caller.CountryCode == CountryCode
            && (CountryExpertUserId is null || CountryExpertUserId == caller.UserId));

    public static string Date(DateOnly date) => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    public static string Hours(double hours) => hours.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>Download names that say what a file is (city and date, never ids), ASCII with an RFC 5987 twin.</summary>
public static class DocumentFiles
{
    /// <summary><c>JointEfforts-Vienna-2013-04-22-sign-in-session-1.pdf</c>; diacritics stay in the filename* twin.</summary>
    public static string Name(string city, DateOnly date, string what) =>
        $"JointEfforts-{Words(city)}-{date:yyyy-MM-dd}-{what}.pdf";

    /// <summary>Text as a file name part: words joined by dashes, anything but letters and digits dropped.</summary>
    public static string Words(string text)
    {
        var name = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                name.Append(c);
            }
            else if (name.Length > 0 && name[^1] != '-')
            {
                name.Append('-');
            }
        }

        return name.ToString().Trim('-');
    }

    /// <summary>
    /// The PDF as an attachment: <c>filename</c> in ASCII (Chișinău → Chisinau) and <c>filename*</c> in UTF-8.
    /// </summary>
    public static FileContentHttpResult Pdf(HttpResponse response, byte[] pdf, string fileName)
    {
        var ascii = string.Join('-', Ascii(fileName).Split('-', StringSplitOptions.RemoveEmptyEntries)); // a city in Cyrillic leaves no "--"
        var disposition = new ContentDispositionHeaderValue("attachment") { FileName = ascii };
        if (disposition.FileName.Value != fileName)
        {
            disposition.FileNameStar = fileName;
        }

        response.Headers.ContentDisposition = disposition.ToString();
        return TypedResults.File(pdf, PdfLayout.ContentType);
    }

    /// <summary>
    /// Name order for people: Ștefan between Sabine and Thomas, Åsa among the A's. SQLite's NOCASE and ordinal
    /// order put every marked letter after Z, and InvariantGlobalization has no culture order; the letters
    /// without their marks do.
    /// </summary>
    public static IEnumerable<T> InNameOrder<T>(IEnumerable<T> items, Func<T, string?> name) =>
        items.OrderBy(i => Ascii(name(i) ?? ""), StringComparer.OrdinalIgnoreCase).ThenBy(i => name(i), StringComparer.Ordinal);

    internal static string Ascii(string text)
    {
        var ascii = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c < 128)
            {
                ascii.Append(c);
            }
            else if (Transliterations.TryGetValue(c, out var plain))
            {
                ascii.Append(plain);
            }
        }

        return ascii.ToString();
    }

    // Latin letters of the course languages without their marks (InvariantGlobalization has no Unicode decomposition).
    private static readonly Dictionary<char, string> Transliterations = BuildTransliterations();

    private static Dictionary<char, string> BuildTransliterations()
    {
        var groups = new Dictionary<string, string>
        {
            ["a"] = "àáâãäåāăą", ["A"] = "ÀÁÂÃÄÅĀĂĄ", ["c"] = "çćčĉ", ["C"] = "ÇĆČĈ", ["d"] = "ďđ", ["D"] = "ĎĐ",
            ["e"] = "èéêëēėęě", ["E"] = "ÈÉÊËĒĖĘĚ", ["g"] = "ğ", ["G"] = "Ğ", ["i"] = "ìíîïīįı", ["I"] = "ÌÍÎÏĪĮİ",
            ["l"] = "łľĺ", ["L"] = "ŁĽĹ", ["n"] = "ñńňņ", ["N"] = "ÑŃŇŅ", ["o"] = "òóôõöøőō", ["O"] = "ÒÓÔÕÖØŐŌ",
            ["r"] = "řŕ", ["R"] = "ŘŔ", ["s"] = "śšşș", ["S"] = "ŚŠŞȘ", ["t"] = "ťţț", ["T"] = "ŤŢȚ",
            ["u"] = "ùúûüūůűų", ["U"] = "ÙÚÛÜŪŮŰŲ", ["y"] = "ýÿ", ["Y"] = "ÝŸ", ["z"] = "źżž", ["Z"] = "ŹŻŽ",
            ["ss"] = "ß", ["ae"] = "æ", ["AE"] = "Æ",
        };
        var map = new Dictionary<char, string>();
        foreach (var (plain, marked) in groups)
        {
            foreach (var c in marked)
            {
                map[c] = plain;
            }
        }

        return map;
    }
}
