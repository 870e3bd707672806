namespace JointEfforts.Api.Documents;

/// <summary>
/// What participants read on slips and certificates, in the course language (English when a language has no
/// translation yet). The sign-in sheet is the funders' evidence and stays in English.
/// </summary>
public sealed record DocumentTexts(
    string SlipInstruction,
    string CertificateTitle,
    string Certifies,
    string Attended,
    string HeldIn,
    string HoursAttended,
    string SessionsAttended,
    string Programme,
    string FundedBy,
    string Coordinator,
    string Expert,
    string PlaceAndDate)
{
    public static readonly DocumentTexts English = new(
        "Your anonymous evaluation: scan the QR code, or open this address and enter your code.",
        "Certificate of attendance", "This is to certify that", "attended the training course", "in {0}, {1} – {2}",
        "Hours attended", "Sessions attended", "Programme", "Funded by", "Course coordinator", "Country expert", "Place and date");

    private static readonly Dictionary<string, DocumentTexts> ByLanguage = new(StringComparer.Ordinal)
    {
        ["en"] = English,
        ["de"] = new(
            "Ihre anonyme Bewertung: QR-Code scannen oder diese Adresse öffnen und Ihren Code eingeben.",
            "Teilnahmebestätigung", "Hiermit wird bestätigt, dass", "an der Schulung teilgenommen hat", "in {0}, {1} – {2}",
            "Besuchte Stunden", "Besuchte Einheiten", "Programm", "Gefördert durch", "Kurskoordination", "Länderexpertin / Länderexperte", "Ort und Datum"),
        ["nl"] = new(
            "Uw anonieme evaluatie: scan de QR-code, of open dit adres en voer uw code in.",
            "Certificaat van deelname", "Hierbij wordt verklaard dat", "heeft deelgenomen aan de training", "in {0}, {1} – {2}",
            "Bijgewoonde uren", "Bijgewoonde sessies", "Programma", "Gefinancierd door", "Cursuscoördinator", "Landendeskundige", "Plaats en datum"),
        ["sq"] = new(
            "Vlerësimi juaj anonim: skanoni kodin QR, ose hapni këtë adresë dhe shkruani kodin tuaj.",
            "Certifikatë pjesëmarrjeje", "Vërtetohet se", "ka marrë pjesë në kursin e trajnimit", "në {0}, {1} – {2}",
            "Orë të ndjekura", "Seanca të ndjekura", "Programi", "Financuar nga", "Koordinatori i kursit", "Eksperti i vendit", "Vendi dhe data"),
        ["ro"] = new(
            "Evaluarea dumneavoastră anonimă: scanați codul QR sau deschideți această adresă și introduceți codul.",
            "Certificat de participare", "Se certifică faptul că", "a participat la cursul de formare", "la {0}, {1} – {2}",
            "Ore de participare", "Sesiuni frecventate", "Programul", "Finanțat de", "Coordonatorul cursului", "Expertul național", "Locul și data"),
        ["sv"] = new(
            "Din anonyma utvärdering: skanna QR-koden, eller öppna adressen och ange din kod.",
            "Intyg om deltagande", "Härmed intygas att", "har deltagit i utbildningen", "i {0}, {1} – {2}",
            "Närvarotimmar", "Närvarade pass", "Program", "Finansierat av", "Kurskoordinator", "Landsexpert", "Ort och datum"),
        ["pl"] = new(
            "Twoja anonimowa ankieta: zeskanuj kod QR lub otwórz ten adres i wpisz swój kod.",
            "Zaświadczenie o uczestnictwie", "Niniejszym zaświadcza się, że", "uczestniczył(a) w szkoleniu", "w {0}, {1} – {2}",
            "Godziny obecności", "Sesje z obecnością", "Program", "Finansowanie", "Koordynator kursu", "Ekspert krajowy", "Miejscowość i data"),
        ["hu"] = new(
            "Névtelen értékelése: olvassa be a QR-kódot, vagy nyissa meg ezt a címet, és írja be a kódját.",
            "Részvételi igazolás", "Igazoljuk, hogy", "részt vett a képzésen", "{0}, {1} – {2}",
            "Részvételi órák", "Látogatott foglalkozások", "Program", "Finanszírozó", "Kurzuskoordinátor", "Országos szakértő", "Hely és dátum"),
        ["pt"] = new(
            "A sua avaliação anónima: leia o código QR ou abra este endereço e introduza o seu código.",
            "Certificado de participação", "Certifica-se que", "participou no curso de formação", "em {0}, {1} – {2}",
            "Horas de presença", "Sessões frequentadas", "Programa", "Financiado por", "Coordenador do curso", "Perito nacional", "Local e data"),
        ["fr"] = new(
            "Votre évaluation anonyme : scannez le code QR, ou ouvrez cette adresse et saisissez votre code.",
            "Attestation de participation", "Nous certifions que", "a suivi la formation", "à {0}, du {1} au {2}",
            "Heures de présence", "Séances suivies", "Programme", "Financé par", "Coordination du cours", "Expert national", "Lieu et date"),
    };

    /// <summary>The texts of a course language, or English.</summary>
    public static DocumentTexts For(string? language) =>
        language is not null && ByLanguage.TryGetValue(language, out var texts) ? texts : English;

    public static bool Has(string language) => ByLanguage.ContainsKey(language);
}
