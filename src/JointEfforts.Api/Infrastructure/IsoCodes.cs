using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;

namespace JointEfforts.Api.Infrastructure;

/// <summary>ISO 3166-1 alpha-2 countries and ISO 639-1 languages, checked without ICU (the app runs invariant).</summary>
public static class IsoCodes
{
    public static readonly FrozenSet<string> Countries = (
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
        "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
        "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
        "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
        "MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
        "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
        "UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW")
        .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    public static readonly FrozenSet<string> Languages = (
        "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es " +
        "et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki " +
        "kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no " +
        "nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te " +
        "tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu")
        .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>English names of the countries this tool meets; other codes are shown as the code.</summary>
    public static readonly FrozenDictionary<string, string> CountryNames = new Dictionary<string, string>
    {
        ["AL"] = "Albania", ["AT"] = "Austria", ["BE"] = "Belgium", ["BG"] = "Bulgaria", ["CZ"] = "Czechia",
        ["DE"] = "Germany", ["DK"] = "Denmark", ["EE"] = "Estonia", ["ES"] = "Spain", ["FI"] = "Finland",
        ["FR"] = "France", ["GB"] = "United Kingdom", ["GR"] = "Greece", ["HR"] = "Croatia", ["HU"] = "Hungary",
        ["IE"] = "Ireland", ["IS"] = "Iceland", ["IT"] = "Italy", ["LI"] = "Liechtenstein", ["LT"] = "Lithuania",
        ["LU"] = "Luxembourg", ["LV"] = "Latvia", ["MD"] = "Moldova", ["MT"] = "Malta", ["NL"] = "Netherlands",
        ["NO"] = "Norway", ["PL"] = "Poland", ["PT"] = "Portugal", ["RO"] = "Romania", ["RS"] = "Serbia",
        ["SE"] = "Sweden", ["SI"] = "Slovenia", ["SK"] = "Slovakia", ["UA"] = "Ukraine", ["US"] = "United States",
        ["CY"] = "Cyprus", ["BA"] = "Bosnia and Herzegovina", ["ME"] = "Montenegro", ["MK"] = "North Macedonia",
        ["XK"] = "Kosovo", ["TR"] = "Türkiye", ["CH"] = "Switzerland",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Language names in the language itself, for a participant's language switch.</summary>
    public static readonly FrozenDictionary<string, string> LanguageNames = new Dictionary<string, string>
    {
        ["en"] = "English", ["de"] = "Deutsch", ["nl"] = "Nederlands", ["sq"] = "Shqip", ["ro"] = "Română",
        ["sv"] = "Svenska", ["pl"] = "Polski", ["hu"] = "Magyar", ["pt"] = "Português", ["fr"] = "Français",
        ["bg"] = "Български", ["ru"] = "Русский", ["uk"] = "Українська", ["it"] = "Italiano", ["es"] = "Español",
        ["cs"] = "Čeština", ["sk"] = "Slovenčina", ["lt"] = "Lietuvių", ["lv"] = "Latviešu", ["no"] = "Norsk",
        ["nb"] = "Norsk bokmål", ["da"] = "Dansk", ["fi"] = "Suomi", ["el"] = "Ελληνικά", ["hr"] = "Hrvatski",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsCountry(string? code) => code is not null && Countries.Contains(code);

    public static bool IsLanguage(string? code) => code is not null && Languages.Contains(code);

    /// <summary>
    /// The code of a country named in English ("Poland" → PL, "the Netherlands" → NL), compared on letters only and
    /// case-insensitive; null for a name it does not know. Coordinators' lists name countries; the API stores codes.
    /// "UK" is deliberately not a name: it is the code ISO reserves, and GB is the United Kingdom's.
    /// </summary>
    public static string? CountryOfName(string? name) =>
        CountriesByName.TryGetValue(NameKey(name), out var code) ? code : null;

    /// <summary>CountryNames reversed, plus the other names people write (formal names, older names).</summary>
    private static readonly FrozenDictionary<string, string> CountriesByName = BuildCountriesByName();

    private static FrozenDictionary<string, string> BuildCountriesByName()
    {
        var names = new Dictionary<string, string>
        {
            ["Czech Republic"] = "CZ", ["The Netherlands"] = "NL", ["Holland"] = "NL", ["Great Britain"] = "GB", ["Britain"] = "GB",
            ["United Kingdom of Great Britain and Northern Ireland"] = "GB", ["United States of America"] = "US", ["USA"] = "US",
            ["Republic of Moldova"] = "MD", ["Moldova, Republic of"] = "MD", ["Slovak Republic"] = "SK", ["Turkey"] = "TR",
            ["Turkiye"] = "TR", ["Republic of Türkiye"] = "TR", ["Macedonia"] = "MK", ["Republic of North Macedonia"] = "MK",
            ["Bosnia & Herzegovina"] = "BA", ["Bosnia"] = "BA", ["Swiss Confederation"] = "CH", ["Federal Republic of Germany"] = "DE",
            ["Republic of Ireland"] = "IE", ["Eire"] = "IE", ["Republic of Albania"] = "AL", ["Republic of Serbia"] = "RS",
            ["Republic of Poland"] = "PL", ["Kingdom of Belgium"] = "BE", ["Kingdom of the Netherlands"] = "NL", ["Kingdom of Norway"] = "NO",
            ["Kingdom of Sweden"] = "SE", ["Kingdom of Spain"] = "ES", ["Portuguese Republic"] = "PT", ["Hellenic Republic"] = "GR",
            ["French Republic"] = "FR", ["Italian Republic"] = "IT", ["Republic of Austria"] = "AT", ["Grand Duchy of Luxembourg"] = "LU",
            ["Republic of Cyprus"] = "CY", ["Republic of Croatia"] = "HR", ["Republic of Slovenia"] = "SI", ["Republic of Bulgaria"] = "BG",
            ["Republic of Estonia"] = "EE", ["Republic of Latvia"] = "LV", ["Republic of Lithuania"] = "LT", ["Republic of Finland"] = "FI",
            ["Kingdom of Denmark"] = "DK", ["Republic of Malta"] = "MT", ["Principality of Liechtenstein"] = "LI", ["Principality of Monaco"] = "MC",
            ["Monaco"] = "MC", ["San Marino"] = "SM", ["Andorra"] = "AD", ["Vatican"] = "VA", ["Holy See"] = "VA", ["Belarus"] = "BY",
            ["Russia"] = "RU", ["Russian Federation"] = "RU", ["Georgia"] = "GE", ["Armenia"] = "AM", ["Azerbaijan"] = "AZ",
            ["Canada"] = "CA", ["Australia"] = "AU",
        };
        foreach (var (code, name) in CountryNames)
        {
            names[name] = code;
        }

        return names
            .Where(n => IsCountry(n.Value))
            .ToFrozenDictionary(n => NameKey(n.Key), n => n.Value, StringComparer.Ordinal);
    }

    private static string NameKey(string? name) =>
        new((name ?? string.Empty).Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());
}

/// <summary>
/// An ISO 3166-1 alpha-2 country code in capitals (<c>AT</c>, <c>GB</c>; not <c>UK</c>). A JSON body's
/// codes, and a <c>countryCode</c> query filter, arrive in capitals whatever the client sent.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class CountryCodeAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is null || (value is string code && IsoCodes.IsCountry(code))
            ? ValidationResult.Success
            : new ValidationResult($"'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. AT, NL, GB).", MemberNames(context));

    internal static string[] MemberNames(ValidationContext context) =>
        context.MemberName is { } name ? [name] : [];
}

/// <summary>
/// An ISO 639-1 language code in lower case (<c>en</c>, <c>nl</c>, <c>sq</c>), or a list of them. A JSON
/// body's codes arrive in lower case whatever the client sent (<see cref="JsonBodyCheck"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class LanguageCodeAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value switch
        {
            null => ValidationResult.Success,
            string code when IsoCodes.IsLanguage(code) => ValidationResult.Success,
            IEnumerable<string?> codes => codes.All(IsoCodes.IsLanguage)
                ? ValidationResult.Success
                : Invalid(codes.First(c => !IsoCodes.IsLanguage(c)), context),
            _ => Invalid(value, context),
        };

    private static ValidationResult Invalid(object? value, ValidationContext context) =>
        new($"'{value}' is not an ISO 639-1 language code (e.g. en, de, nl).", CountryCodeAttribute.MemberNames(context));
}
