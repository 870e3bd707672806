using System.Collections.Frozen;
using JointEfforts.Api.Languages;

namespace JointEfforts.Api.Pages;

/// <summary>
/// The participant pages' own words (the questions come from the form, in the form's languages), read from the languages
/// store (<see cref="LanguageTexts"/>: keys <c>page.*</c> and <c>likert.1..5</c>), where a coordinator can correct them
/// or add a language. <see cref="BuiltIn"/> holds the texts the store starts from, in the seven course languages
/// en, de, nl, sq, ro, sv, pl. A key a language lacks falls back to English.
/// </summary>
public sealed record ParticipantText
{
    public required string Title { get; init; }
    public required string TestBefore { get; init; }
    public required string TestAfter { get; init; }
    public required string EnterIntro { get; init; }
    public required string CodeLabel { get; init; }
    public required string CodeHint { get; init; }
    public required string Continue { get; init; }
    public required string Anonymous { get; init; }
    public required string RequiredNote { get; init; }
    public required string RequiredMark { get; init; }
    public required string Language { get; init; }
    public required string ChooseAll { get; init; }
    public required string Send { get; init; }
    public required string ErrorSummary { get; init; }
    public required string ErrorRequired { get; init; }
    public required string ErrorNumber { get; init; }
    public required string ErrorInvalid { get; init; }
    public required string ErrorPrefix { get; init; }
    public required string Expired { get; init; }
    public required string ThanksTitle { get; init; }
    public required string ThanksText { get; init; }
    public required string UnknownTitle { get; init; }
    public required string UnknownText { get; init; }
    public required string UsedTitle { get; init; }
    public required string UsedText { get; init; }
    public required string ClosedTitle { get; init; }
    public required string ClosedText { get; init; }
    public required string EnterAnother { get; init; }

    /// <summary>Likert 1..5 anchors: very poor .. very good (keys <c>likert.1..5</c>, not <c>page.*</c>).</summary>
    public IReadOnlyList<string> Anchors { get; init; } = [];

    public const string Fallback = LanguageTexts.Fallback;

    public const string Prefix = "page";

    /// <summary>The keys <c>page.title</c> .. <c>page.enterAnother</c> with their built-in texts.</summary>
    public static IEnumerable<TextEntry> Catalogue =>
        TextRecord<ParticipantText>.Entries(Prefix, BuiltIn, name => name switch
        {
            nameof(CodeHint) => "Participant page: under the code field, an example code.",
            nameof(RequiredMark) => "Participant page: read aloud for the * of a required question.",
            _ => $"Participant page: {name}.",
        });

    /// <summary>The page's words from a source of texts (key → text) and the Likert anchors.</summary>
    public static ParticipantText Build(Func<string, string> say, IReadOnlyList<string> anchors) =>
        TextRecord<ParticipantText>.Build(Prefix, say) with { Anchors = anchors };

    public static readonly FrozenDictionary<string, ParticipantText> BuiltIn = new Dictionary<string, ParticipantText>
    {
        ["en"] = new()
        {
            Title = "Course evaluation", TestBefore = "Knowledge test before the course", TestAfter = "Knowledge test after the course", EnterIntro = "Enter the code printed on your slip.", CodeLabel = "Code",
            CodeHint = "12 letters and digits, for example ABCD-EFGH-JK23.", Continue = "Continue",
            Anonymous = "Your answers are anonymous: nothing links them to you.",
            RequiredNote = "Questions marked * need an answer.", RequiredMark = "required", Language = "Language",
            ChooseAll = "Choose all that apply.", Send = "Send my answers", ErrorSummary = "Please check your answers",
            ErrorRequired = "Please answer this question.", ErrorNumber = "Please enter a number.",
            ErrorInvalid = "Please check this answer.", ErrorPrefix = "Error:", Expired = "This page had expired. Your answers are below: please send them again.",
            ThanksTitle = "Thank you!", ThanksText = "Your answers have been recorded. You may close this page.",
            UnknownTitle = "Code not found", UnknownText = "We do not know this code. Check the code on your slip and try again.",
            UsedTitle = "This code has already been used",
            UsedText = "Answers have already been sent with this code, and each code can be used once. Thank you for taking part.",
            ClosedTitle = "This form is closed", ClosedText = "This course no longer takes answers. Thank you all the same.",
            EnterAnother = "Enter a code",
            Anchors = ["Very poor", "Poor", "Satisfactory", "Good", "Very good"],
        },
        ["de"] = new()
        {
            Title = "Kursbewertung", TestBefore = "Wissenstest vor dem Kurs", TestAfter = "Wissenstest nach dem Kurs", EnterIntro = "Geben Sie den Code auf Ihrem Zettel ein.", CodeLabel = "Code",
            CodeHint = "12 Buchstaben und Ziffern, zum Beispiel ABCD-EFGH-JK23.", Continue = "Weiter",
            Anonymous = "Ihre Antworten sind anonym: nichts verbindet sie mit Ihrer Person.",
            RequiredNote = "Mit * markierte Fragen müssen beantwortet werden.", RequiredMark = "Pflichtfrage", Language = "Sprache",
            ChooseAll = "Mehrere Antworten möglich.", Send = "Antworten senden", ErrorSummary = "Bitte prüfen Sie Ihre Antworten",
            ErrorRequired = "Bitte beantworten Sie diese Frage.", ErrorNumber = "Bitte geben Sie eine Zahl ein.",
            ErrorInvalid = "Bitte prüfen Sie diese Antwort.", ErrorPrefix = "Fehler:", Expired = "Diese Seite war abgelaufen. Ihre Antworten stehen unten: bitte senden Sie sie erneut.",
            ThanksTitle = "Vielen Dank!", ThanksText = "Ihre Antworten wurden gespeichert. Sie können diese Seite schließen.",
            UnknownTitle = "Code nicht gefunden", UnknownText = "Dieser Code ist uns nicht bekannt. Bitte prüfen Sie den Code auf Ihrem Zettel.",
            UsedTitle = "Dieser Code wurde bereits verwendet",
            UsedText = "Mit diesem Code wurden bereits Antworten gesendet; jeder Code gilt nur einmal. Danke für Ihre Teilnahme.",
            ClosedTitle = "Dieser Fragebogen ist geschlossen", ClosedText = "Für diesen Kurs werden keine Antworten mehr angenommen. Trotzdem vielen Dank.",
            EnterAnother = "Code eingeben",
            Anchors = ["Sehr schlecht", "Schlecht", "Befriedigend", "Gut", "Sehr gut"],
        },
        ["nl"] = new()
        {
            Title = "Evaluatie van de cursus", TestBefore = "Kennistoets vóór de cursus", TestAfter = "Kennistoets na de cursus", EnterIntro = "Vul de code in die op uw strookje staat.", CodeLabel = "Code",
            CodeHint = "12 letters en cijfers, bijvoorbeeld ABCD-EFGH-JK23.", Continue = "Verder",
            Anonymous = "Uw antwoorden zijn anoniem: niets verbindt ze met u.",
            RequiredNote = "Vragen met een * moeten worden beantwoord.", RequiredMark = "verplicht", Language = "Taal",
            ChooseAll = "Kies alles wat van toepassing is.", Send = "Antwoorden versturen", ErrorSummary = "Controleer uw antwoorden",
            ErrorRequired = "Beantwoord deze vraag.", ErrorNumber = "Vul een getal in.",
            ErrorInvalid = "Controleer dit antwoord.", ErrorPrefix = "Fout:", Expired = "Deze pagina was verlopen. Uw antwoorden staan hieronder: verstuur ze opnieuw.",
            ThanksTitle = "Hartelijk dank!", ThanksText = "Uw antwoorden zijn opgeslagen. U kunt deze pagina sluiten.",
            UnknownTitle = "Code niet gevonden", UnknownText = "Deze code kennen wij niet. Controleer de code op uw strookje en probeer het opnieuw.",
            UsedTitle = "Deze code is al gebruikt",
            UsedText = "Met deze code zijn al antwoorden verstuurd; elke code kan één keer worden gebruikt. Bedankt voor uw deelname.",
            ClosedTitle = "Deze vragenlijst is gesloten", ClosedText = "Voor deze cursus worden geen antwoorden meer aangenomen. Toch bedankt.",
            EnterAnother = "Code invullen",
            Anchors = ["Zeer slecht", "Slecht", "Voldoende", "Goed", "Zeer goed"],
        },
        ["sq"] = new()
        {
            Title = "Vlerësimi i kursit", TestBefore = "Test njohurish para kursit", TestAfter = "Test njohurish pas kursit", EnterIntro = "Shkruani kodin e shtypur në fletën tuaj.", CodeLabel = "Kodi",
            CodeHint = "12 shkronja dhe shifra, për shembull ABCD-EFGH-JK23.", Continue = "Vazhdo",
            Anonymous = "Përgjigjet tuaja janë anonime: asgjë nuk i lidh ato me ju.",
            RequiredNote = "Pyetjet e shënuara me * kërkojnë përgjigje.", RequiredMark = "e detyrueshme", Language = "Gjuha",
            ChooseAll = "Zgjidhni të gjitha që vlejnë.", Send = "Dërgo përgjigjet", ErrorSummary = "Ju lutemi kontrolloni përgjigjet tuaja",
            ErrorRequired = "Ju lutemi përgjigjuni kësaj pyetjeje.", ErrorNumber = "Ju lutemi shkruani një numër.",
            ErrorInvalid = "Ju lutemi kontrolloni këtë përgjigje.", ErrorPrefix = "Gabim:", Expired = "Kjo faqe kishte skaduar. Përgjigjet tuaja janë më poshtë: ju lutemi dërgojini përsëri.",
            ThanksTitle = "Faleminderit!", ThanksText = "Përgjigjet tuaja u regjistruan. Mund ta mbyllni këtë faqe.",
            UnknownTitle = "Kodi nuk u gjet", UnknownText = "Ky kod nuk njihet. Kontrolloni kodin në fletën tuaj dhe provoni përsëri.",
            UsedTitle = "Ky kod është përdorur tashmë",
            UsedText = "Me këtë kod janë dërguar tashmë përgjigje; çdo kod përdoret vetëm një herë. Faleminderit për pjesëmarrjen.",
            ClosedTitle = "Ky formular është mbyllur", ClosedText = "Ky kurs nuk pranon më përgjigje. Faleminderit gjithsesi.",
            EnterAnother = "Shkruani një kod",
            Anchors = ["Shumë dobët", "Dobët", "Mjaftueshëm", "Mirë", "Shumë mirë"],
        },
        ["ro"] = new()
        {
            Title = "Evaluarea cursului", TestBefore = "Test de cunoștințe înainte de curs", TestAfter = "Test de cunoștințe după curs", EnterIntro = "Introduceți codul tipărit pe biletul dumneavoastră.", CodeLabel = "Cod",
            CodeHint = "12 litere și cifre, de exemplu ABCD-EFGH-JK23.", Continue = "Continuați",
            Anonymous = "Răspunsurile dumneavoastră sunt anonime: nimic nu le leagă de dumneavoastră.",
            RequiredNote = "Întrebările marcate cu * sunt obligatorii.", RequiredMark = "obligatoriu", Language = "Limba",
            ChooseAll = "Alegeți toate variantele potrivite.", Send = "Trimiteți răspunsurile", ErrorSummary = "Vă rugăm să verificați răspunsurile",
            ErrorRequired = "Vă rugăm să răspundeți la această întrebare.", ErrorNumber = "Vă rugăm să introduceți un număr.",
            ErrorInvalid = "Vă rugăm să verificați acest răspuns.", ErrorPrefix = "Eroare:", Expired = "Această pagină expirase. Răspunsurile dumneavoastră sunt mai jos: vă rugăm să le trimiteți din nou.",
            ThanksTitle = "Vă mulțumim!", ThanksText = "Răspunsurile dumneavoastră au fost înregistrate. Puteți închide această pagină.",
            UnknownTitle = "Cod negăsit", UnknownText = "Nu cunoaștem acest cod. Verificați codul de pe bilet și încercați din nou.",
            UsedTitle = "Acest cod a fost deja folosit",
            UsedText = "Cu acest cod s-au trimis deja răspunsuri; fiecare cod poate fi folosit o singură dată. Vă mulțumim pentru participare.",
            ClosedTitle = "Acest formular este închis", ClosedText = "Acest curs nu mai primește răspunsuri. Vă mulțumim oricum.",
            EnterAnother = "Introduceți un cod",
            Anchors = ["Foarte slab", "Slab", "Satisfăcător", "Bine", "Foarte bine"],
        },
        ["sv"] = new()
        {
            Title = "Kursutvärdering", TestBefore = "Kunskapstest före kursen", TestAfter = "Kunskapstest efter kursen", EnterIntro = "Skriv in koden som står på din lapp.", CodeLabel = "Kod",
            CodeHint = "12 bokstäver och siffror, till exempel ABCD-EFGH-JK23.", Continue = "Fortsätt",
            Anonymous = "Dina svar är anonyma: ingenting kopplar dem till dig.",
            RequiredNote = "Frågor markerade med * måste besvaras.", RequiredMark = "obligatorisk", Language = "Språk",
            ChooseAll = "Välj alla som passar.", Send = "Skicka mina svar", ErrorSummary = "Kontrollera dina svar",
            ErrorRequired = "Besvara den här frågan.", ErrorNumber = "Skriv ett tal.",
            ErrorInvalid = "Kontrollera det här svaret.", ErrorPrefix = "Fel:", Expired = "Sidan hade gått ut. Dina svar finns nedan: skicka dem igen.",
            ThanksTitle = "Tack!", ThanksText = "Dina svar har sparats. Du kan stänga den här sidan.",
            UnknownTitle = "Koden hittades inte", UnknownText = "Vi känner inte till den här koden. Kontrollera koden på din lapp och försök igen.",
            UsedTitle = "Den här koden har redan använts",
            UsedText = "Svar har redan skickats med den här koden; varje kod kan användas en gång. Tack för att du deltog.",
            ClosedTitle = "Formuläret är stängt", ClosedText = "Kursen tar inte längre emot svar. Tack ändå.",
            EnterAnother = "Skriv in en kod",
            Anchors = ["Mycket dåligt", "Dåligt", "Godtagbart", "Bra", "Mycket bra"],
        },
        ["pl"] = new()
        {
            Title = "Ocena szkolenia", TestBefore = "Test wiedzy przed szkoleniem", TestAfter = "Test wiedzy po szkoleniu", EnterIntro = "Wpisz kod wydrukowany na Twojej kartce.", CodeLabel = "Kod",
            CodeHint = "12 liter i cyfr, na przykład ABCD-EFGH-JK23.", Continue = "Dalej",
            Anonymous = "Twoje odpowiedzi są anonimowe: nic nie łączy ich z Tobą.",
            RequiredNote = "Pytania oznaczone * wymagają odpowiedzi.", RequiredMark = "wymagane", Language = "Język",
            ChooseAll = "Zaznacz wszystkie pasujące odpowiedzi.", Send = "Wyślij odpowiedzi", ErrorSummary = "Sprawdź swoje odpowiedzi",
            ErrorRequired = "Odpowiedz na to pytanie.", ErrorNumber = "Wpisz liczbę.",
            ErrorInvalid = "Sprawdź tę odpowiedź.", ErrorPrefix = "Błąd:", Expired = "Ta strona wygasła. Twoje odpowiedzi są poniżej: wyślij je ponownie.",
            ThanksTitle = "Dziękujemy!", ThanksText = "Twoje odpowiedzi zostały zapisane. Możesz zamknąć tę stronę.",
            UnknownTitle = "Nie znaleziono kodu", UnknownText = "Nie znamy tego kodu. Sprawdź kod na kartce i spróbuj ponownie.",
            UsedTitle = "Ten kod został już użyty",
            UsedText = "Odpowiedzi zostały już wysłane z tym kodem; każdego kodu można użyć raz. Dziękujemy za udział.",
            ClosedTitle = "Ten formularz jest zamknięty", ClosedText = "To szkolenie nie przyjmuje już odpowiedzi. Mimo to dziękujemy.",
            EnterAnother = "Wpisz kod",
            Anchors = ["Bardzo źle", "Źle", "Dostatecznie", "Dobrze", "Bardzo dobrze"],
        },
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The page's words in a language of the store (English for one it lacks).</summary>
    public static ParticipantText For(HttpContext context, string? language) => context.Texts().Page(language);

    /// <summary>Whether the store has this language.</summary>
    public static bool Has(HttpContext context, string? language) => context.Texts().Has(language);

    /// <summary>The first language of the browser's Accept-Language that this table has, for a page before the course is known.</summary>
    public static string FromBrowser(HttpRequest request)
    {
        var texts = request.HttpContext.Texts();
        foreach (var value in request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1))
        {
            var primary = value.Value.Value?.Split('-')[0].ToLowerInvariant();
            if (texts.Has(primary))
            {
                return primary!;
            }
        }

        return Fallback;
    }
}
