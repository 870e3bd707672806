using JointEfforts.Api.Languages;

namespace JointEfforts.Api.Documents;

/// <summary>
/// The sign-in sheet's words in the course language (issue 25: they were English on every course). The sheet is also the
/// funders' evidence, so its title carries the English one beneath when the course language is another.
/// <see cref="DateAndHours"/> takes {0} the date and {1} the hours; <see cref="Footer"/> {0} the city, {1} the date,
/// {2} the session's number and {3} how many are enrolled; <see cref="PageNumbers"/> {0} the page and {1} the pages.
/// </summary>
public sealed record SignInTexts(
    string Title,
    string Session,
    string When,
    string DateAndHours,
    string Venue,
    string Funding,
    string Number,
    string Name,
    string Organisation,
    string Sector,
    string Signature,
    string NoneEnrolled,
    string Footer,
    string PageNumbers)
{
    public const string Prefix = "signIn";

    public static readonly IReadOnlyDictionary<string, SignInTexts> BuiltIn = new Dictionary<string, SignInTexts>(StringComparer.Ordinal)
    {
        ["en"] = new("Sign-in sheet", "Session", "Date and hours", "{0} · {1} hours", "Venue", "Funding", "No.", "Name", "Organisation", "Sector", "Signature",
            "No participant is enrolled in this course.", "{0}, {1} · session {2} · {3} enrolled", "Page {0} of {1}"),
        ["de"] = new("Anwesenheitsliste", "Einheit", "Datum und Stunden", "{0} · {1} Stunden", "Ort", "Förderung", "Nr.", "Name", "Organisation", "Bereich", "Unterschrift",
            "Für diesen Kurs ist niemand angemeldet.", "{0}, {1} · Einheit {2} · {3} angemeldet", "Seite {0} von {1}"),
        ["nl"] = new("Presentielijst", "Sessie", "Datum en uren", "{0} · {1} uur", "Locatie", "Financiering", "Nr.", "Naam", "Organisatie", "Sector", "Handtekening",
            "Niemand is voor deze cursus ingeschreven.", "{0}, {1} · sessie {2} · {3} ingeschreven", "Pagina {0} van {1}"),
        ["sq"] = new("Lista e pjesëmarrjes", "Seanca", "Data dhe orët", "{0} · {1} orë", "Vendi", "Financimi", "Nr.", "Emri", "Organizata", "Sektori", "Nënshkrimi",
            "Askush nuk është regjistruar në këtë kurs.", "{0}, {1} · seanca {2} · {3} të regjistruar", "Faqja {0} nga {1}"),
        ["ro"] = new("Listă de prezență", "Sesiunea", "Data și orele", "{0} · {1} ore", "Locul", "Finanțare", "Nr.", "Nume", "Organizația", "Sectorul", "Semnătura",
            "Niciun participant nu este înscris la acest curs.", "{0}, {1} · sesiunea {2} · {3} înscriși", "Pagina {0} din {1}"),
        ["sv"] = new("Närvarolista", "Pass", "Datum och timmar", "{0} · {1} timmar", "Plats", "Finansiering", "Nr", "Namn", "Organisation", "Sektor", "Namnteckning",
            "Ingen deltagare är anmäld till kursen.", "{0}, {1} · pass {2} · {3} anmälda", "Sida {0} av {1}"),
        ["pl"] = new("Lista obecności", "Sesja", "Data i godziny", "{0} · godziny: {1}", "Miejsce", "Finansowanie", "Lp.", "Imię i nazwisko", "Instytucja", "Sektor", "Podpis",
            "Nikt nie jest zapisany na to szkolenie.", "{0}, {1} · sesja {2} · zapisanych: {3}", "Strona {0} z {1}"),
    };

    public static IEnumerable<TextEntry> Catalogue =>
        TextRecord<SignInTexts>.Entries(Prefix, BuiltIn, name => name switch
        {
            nameof(DateAndHours) => "Sign-in sheet: the session's date and hours; {0} is the date, {1} the number of hours.",
            nameof(Footer) => "Sign-in sheet footer; {0} city, {1} date, {2} session number, {3} number enrolled.",
            nameof(PageNumbers) => "Sign-in sheet: page numbers; {0} this page, {1} the number of pages.",
            _ => $"Sign-in sheet: {Humanise(name)}.",
        });

    /// <summary>The sectors as the sign-in sheet prints them (<c>sector.lawEnforcement</c>).</summary>
    public static IEnumerable<TextEntry> SectorCatalogue =>
        Sectors.Select(s => new TextEntry("sector." + s.Key, $"A participant's sector on the sign-in sheet: {s.Value["en"]}.", s.Value));

    private static readonly Dictionary<string, Dictionary<string, string>> Sectors = new(StringComparer.Ordinal)
    {
        ["lawEnforcement"] = new() { ["en"] = "Law enforcement", ["de"] = "Polizei", ["nl"] = "Politie", ["sq"] = "Zbatimi i ligjit", ["ro"] = "Poliție", ["sv"] = "Polis", ["pl"] = "Policja" },
        ["borderGuard"] = new() { ["en"] = "Border guard", ["de"] = "Grenzschutz", ["nl"] = "Grensbewaking", ["sq"] = "Policia kufitare", ["ro"] = "Poliția de frontieră", ["sv"] = "Gränsbevakning", ["pl"] = "Straż Graniczna" },
        ["judiciary"] = new() { ["en"] = "Judiciary", ["de"] = "Justiz", ["nl"] = "Justitie", ["sq"] = "Gjyqësori", ["ro"] = "Justiție", ["sv"] = "Rättsväsende", ["pl"] = "Wymiar sprawiedliwości" },
        ["health"] = new() { ["en"] = "Health", ["de"] = "Gesundheit", ["nl"] = "Gezondheidszorg", ["sq"] = "Shëndetësia", ["ro"] = "Sănătate", ["sv"] = "Hälso- och sjukvård", ["pl"] = "Ochrona zdrowia" },
        ["ngo"] = new() { ["en"] = "NGO", ["de"] = "NGO", ["nl"] = "Ngo", ["sq"] = "OJQ", ["ro"] = "ONG", ["sv"] = "Frivilligorganisation", ["pl"] = "Organizacja pozarządowa" },
        ["labourInspection"] = new() { ["en"] = "Labour inspection", ["de"] = "Arbeitsinspektion", ["nl"] = "Arbeidsinspectie", ["sq"] = "Inspektorati i punës", ["ro"] = "Inspecția muncii", ["sv"] = "Arbetsmiljöinspektion", ["pl"] = "Inspekcja pracy" },
        ["socialServices"] = new() { ["en"] = "Social services", ["de"] = "Soziale Dienste", ["nl"] = "Sociale diensten", ["sq"] = "Shërbimet sociale", ["ro"] = "Servicii sociale", ["sv"] = "Socialtjänst", ["pl"] = "Pomoc społeczna" },
        ["prison"] = new() { ["en"] = "Prison service", ["de"] = "Strafvollzug", ["nl"] = "Gevangeniswezen", ["sq"] = "Shërbimi i burgjeve", ["ro"] = "Sistemul penitenciar", ["sv"] = "Kriminalvård", ["pl"] = "Służba Więzienna" },
        ["other"] = new() { ["en"] = "Other", ["de"] = "Sonstige", ["nl"] = "Overig", ["sq"] = "Tjetër", ["ro"] = "Altele", ["sv"] = "Övrigt", ["pl"] = "Inne" },
    };

    private static string Humanise(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));
}
