using JointEfforts.Api.Languages;

namespace JointEfforts.Api.Documents;

/// <summary>
/// What participants read on slips and certificates, in the course language: keys <c>document.*</c> of the languages
/// store (<see cref="LanguageTexts.Documents"/>), which starts from <see cref="BuiltIn"/>; English where a language
/// lacks a key. <see cref="HeldIn"/> takes {0} the city, {1} the first and {2} the last day, phrased so that the city
/// needs no declension ("Ort: Wien", "Miejsce: Koszalin"), since the city is stored in one form.
/// <see cref="SlipForms"/> introduces the list of the forms a slip opens; <see cref="SlipReaction"/>,
/// <see cref="SlipPreTest"/>, <see cref="SlipPostTest"/> name them.
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
    string PlaceAndDate,
    string SlipForms,
    string SlipReaction,
    string SlipPreTest,
    string SlipPostTest)
{
    public const string Prefix = "document";

    public static IEnumerable<TextEntry> Catalogue =>
        TextRecord<DocumentTexts>.Entries(Prefix, BuiltIn, name => name switch
        {
            nameof(HeldIn) => "Certificate: where and when; {0} the city, {1} the first day, {2} the last day. Phrase it so the city needs no declension (Ort: {0}).",
            nameof(SlipInstruction) => "Code slip: how to open the anonymous evaluation.",
            nameof(SlipForms) => "Code slip: introduces the list of forms the one code opens.",
            _ => $"{(name.StartsWith("Slip", StringComparison.Ordinal) ? "Code slip" : "Certificate")}: {name}.",
        });

    private static readonly DocumentTexts English = new(
        "Your anonymous evaluation: scan the QR code, or open this address and enter your code.",
        "Certificate of attendance", "This is to certify that", "attended the training course", "in {0}, {1} – {2}",
        "Hours attended", "Sessions attended", "Programme", "Funded by", "Course coordinator", "Country expert", "Place and date",
        "One code opens:", "the course evaluation", "the test before the course", "the test after the course");

    public static readonly IReadOnlyDictionary<string, DocumentTexts> BuiltIn = new Dictionary<string, DocumentTexts>(StringComparer.Ordinal)
    {
        ["en"] = English,
        ["de"] = new(
            "Ihre anonyme Bewertung: QR-Code scannen oder diese Adresse öffnen und Ihren Code eingeben.",
            "Teilnahmebestätigung", "Hiermit wird bestätigt, dass", "an der Schulung teilgenommen hat", "Ort: {0} · {1} – {2}",
            "Besuchte Stunden", "Besuchte Einheiten", "Programm", "Gefördert durch", "Kurskoordination", "Länderexpertin / Länderexperte", "Ort und Datum",
            "Ein Code für:", "die Kursbewertung", "den Wissenstest vor dem Kurs", "den Wissenstest nach dem Kurs"),
        ["nl"] = new(
            "Uw anonieme evaluatie: scan de QR-code, of open dit adres en voer uw code in.",
            "Certificaat van deelname", "Hierbij wordt verklaard dat", "heeft deelgenomen aan de training", "in {0}, {1} – {2}",
            "Bijgewoonde uren", "Bijgewoonde sessies", "Programma", "Gefinancierd door", "Cursuscoördinator", "Landendeskundige", "Plaats en datum",
            "Eén code voor:", "de evaluatie van de cursus", "de kennistoets vóór de cursus", "de kennistoets na de cursus"),
        ["sq"] = new(
            "Vlerësimi juaj anonim: skanoni kodin QR, ose hapni këtë adresë dhe shkruani kodin tuaj.",
            "Certifikatë pjesëmarrjeje", "Vërtetohet se", "ka marrë pjesë në kursin e trajnimit", "Vendi: {0} · {1} – {2}",
            "Orë të ndjekura", "Seanca të ndjekura", "Programi", "Financuar nga", "Koordinatori i kursit", "Eksperti i vendit", "Vendi dhe data",
            "Një kod për:", "vlerësimin e kursit", "testin para kursit", "testin pas kursit"),
        ["ro"] = new(
            "Evaluarea dumneavoastră anonimă: scanați codul QR sau deschideți această adresă și introduceți codul.",
            "Certificat de participare", "Se certifică faptul că", "a participat la cursul de formare", "la {0}, {1} – {2}",
            "Ore de participare", "Sesiuni frecventate", "Programul", "Finanțat de", "Coordonatorul cursului", "Expertul național", "Locul și data",
            "Un singur cod pentru:", "evaluarea cursului", "testul dinaintea cursului", "testul de după curs"),
        ["sv"] = new(
            "Din anonyma utvärdering: skanna QR-koden, eller öppna adressen och ange din kod.",
            "Intyg om deltagande", "Härmed intygas att", "har deltagit i utbildningen", "i {0}, {1} – {2}",
            "Närvarotimmar", "Närvarade pass", "Program", "Finansierat av", "Kurskoordinator", "Landsexpert", "Ort och datum",
            "En kod för:", "kursutvärderingen", "testet före kursen", "testet efter kursen"),
        ["pl"] = new(
            "Twoja anonimowa ankieta: zeskanuj kod QR lub otwórz ten adres i wpisz swój kod.",
            "Zaświadczenie o uczestnictwie", "Niniejszym zaświadcza się, że", "uczestniczył(a) w szkoleniu", "Miejsce: {0} · {1} – {2}",
            "Godziny obecności", "Sesje z obecnością", "Program", "Finansowanie", "Koordynator kursu", "Ekspert krajowy", "Miejscowość i data",
            "Jeden kod do:", "oceny szkolenia", "testu przed szkoleniem", "testu po szkoleniu"),
        ["hu"] = new(
            "Névtelen értékelése: olvassa be a QR-kódot, vagy nyissa meg ezt a címet, és írja be a kódját.",
            "Részvételi igazolás", "Igazoljuk, hogy", "részt vett a képzésen", "Helyszín: {0} · {1} – {2}",
            "Részvételi órák", "Látogatott foglalkozások", "Program", "Finanszírozó", "Kurzuskoordinátor", "Országos szakértő", "Hely és dátum",
            "Egy kód ehhez:", "a képzés értékelése", "teszt a képzés előtt", "teszt a képzés után"),
        ["pt"] = new(
            "A sua avaliação anónima: leia o código QR ou abra este endereço e introduza o seu código.",
            "Certificado de participação", "Certifica-se que", "participou no curso de formação", "em {0}, {1} – {2}",
            "Horas de presença", "Sessões frequentadas", "Programa", "Financiado por", "Coordenador do curso", "Perito nacional", "Local e data",
            "Um código para:", "a avaliação do curso", "o teste antes do curso", "o teste depois do curso"),
        ["fr"] = new(
            "Votre évaluation anonyme : scannez le code QR, ou ouvrez cette adresse et saisissez votre code.",
            "Attestation de participation", "Nous certifions que", "a suivi la formation", "à {0}, du {1} au {2}",
            "Heures de présence", "Séances suivies", "Programme", "Financé par", "Coordination du cours", "Expert national", "Lieu et date",
            "Un code pour :", "l'évaluation du cours", "le test avant le cours", "le test après le cours"),
    };
}
