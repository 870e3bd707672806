using System.Data.Common;
using JointEfforts.Api.Languages;

namespace JointEfforts.Api.Mail;

/// <summary>
/// The e-mail templates as catalogue entries (issue 26, "languages as data"): <see cref="Catalogue"/> registers them in
/// <see cref="TextCatalogue"/>, so each language holds its own (built in below for en, de, nl, sq, ro, sv, pl; edited and
/// added through <c>/api/languages/{code}/texts</c> like every participant-facing text), and a message is written from the
/// texts as they stand in the database (<see cref="LanguageTexts"/>): a coordinator's correction changes the next e-mail.
/// Each kind of message has a <c>mail.{kind}.subject</c> and a <c>mail.{kind}.body</c>, with <c>{placeholders}</c> filled
/// by <see cref="Fill"/>; a key a language lacks is said in English.
/// </summary>
public static class MailTexts
{
    public const string Fallback = LanguageTexts.Fallback;

    /// <summary>What each placeholder stands for, shown to translators.</summary>
    private static readonly Dictionary<string, string> Placeholders = new(StringComparer.Ordinal)
    {
        ["invitation"] = "{name} the participant, {course}, {city}, {venue}, {startDate}, {endDate} (yyyy-MM-dd)",
        ["promotion"] = "{name} the participant, {course}, {city}, {venue}, {startDate}, {endDate} (yyyy-MM-dd)",
        ["reminder"] = "{name} the participant, {course}, {city}, {venue}, {startDate}, {endDate} (yyyy-MM-dd), {days} days before the start",
        ["evaluationLink"] = "{name} the participant, {course}, {city}, {startDate}, {endDate} (yyyy-MM-dd), {link} the evaluation page",
        ["reportSubmitted"] = "{name} the steering-group member, {course}, {city}, {startDate}, {endDate} (yyyy-MM-dd), {link} the dashboard",
        ["reportReturned"] = "{name} the country expert, {course}, {city}, {startDate}, {endDate} (yyyy-MM-dd), {comment} the steering group's, {link} the workspace",
        ["signInLink"] = "{name} the user, {userName} what they sign in with, {link} the one-time link, {expiresAt} (yyyy-MM-dd HH:mm, UTC) when it stops working",
    };

    private static readonly Dictionary<string, string> What = new(StringComparer.Ordinal)
    {
        ["invitation"] = "The invitation a participant gets on enrolment, with the course as an .ics file",
        ["promotion"] = "The message to a participant moved from the waitlist into a free seat, with the course as an .ics file",
        ["reminder"] = "The reminder to everyone enrolled, some days before the course starts",
        ["evaluationLink"] = "The evaluation link sent after the course to everyone enrolled (never only to those who have not answered)",
        ["reportSubmitted"] = "The message to the steering group when a country expert submits an evaluation report",
        ["reportReturned"] = "The message to the country expert when the steering group returns their report with a comment",
        ["signInLink"] = "The one-time link with which a user sets their workspace password (the first one, or after a reset)",
    };

    private static readonly Dictionary<string, Dictionary<string, string>> BuiltIn = new(StringComparer.Ordinal)
        {
            ["mail.invitation.subject"] = new()
            {
                ["en"] = "Your place on {course}, {city}, {startDate}",
                ["de"] = "Ihr Platz im Kurs {course}, {city}, {startDate}",
                ["nl"] = "Uw plaats in de cursus {course}, {city}, {startDate}",
                ["sq"] = "Vendi juaj në kursin {course}, {city}, {startDate}",
                ["ro"] = "Locul dumneavoastră la cursul {course}, {city}, {startDate}",
                ["sv"] = "Din plats på kursen {course}, {city}, {startDate}",
                ["pl"] = "Twoje miejsce na szkoleniu {course}, {city}, {startDate}",
            },
            ["mail.invitation.body"] = new()
            {
                ["en"] = "Dear {name},\n\nyou are enrolled in the course \"{course}\".\n\nDates: {startDate} to {endDate}\nVenue: {venue}, {city}\n\nJoining instructions: please arrive 15 minutes before the start of the first day and bring an identity document. The calendar file attached adds the course to your calendar.\n\nIf you cannot take part, please tell the course coordinator, so that your place can go to someone on the waiting list.",
                ["de"] = "Guten Tag {name},\n\nSie sind für den Kurs \"{course}\" angemeldet.\n\nTermin: {startDate} bis {endDate}\nOrt: {venue}, {city}\n\nHinweise zur Teilnahme: Bitte kommen Sie 15 Minuten vor Beginn des ersten Tages und bringen Sie einen Ausweis mit. Mit der angehängten Kalenderdatei tragen Sie den Kurs in Ihren Kalender ein.\n\nWenn Sie nicht teilnehmen können, sagen Sie bitte der Kurskoordination Bescheid, damit Ihr Platz an jemanden auf der Warteliste gehen kann.",
                ["nl"] = "Beste {name},\n\nu bent ingeschreven voor de cursus \"{course}\".\n\nData: {startDate} tot {endDate}\nLocatie: {venue}, {city}\n\nPraktische informatie: kom 15 minuten voor het begin van de eerste dag en neem een identiteitsbewijs mee. Met het bijgevoegde agendabestand zet u de cursus in uw agenda.\n\nKunt u niet deelnemen, laat het de cursuscoördinator dan weten, zodat uw plaats naar iemand op de wachtlijst kan gaan.",
                ["sq"] = "I/E nderuar {name},\n\nju jeni regjistruar në kursin \"{course}\".\n\nDatat: {startDate} deri {endDate}\nVendi: {venue}, {city}\n\nUdhëzime: ju lutemi të vini 15 minuta para fillimit të ditës së parë dhe të sillni një dokument identifikimi. Skedari i kalendarit që bashkëngjitet e shton kursin në kalendarin tuaj.\n\nNëse nuk mund të merrni pjesë, ju lutemi njoftoni koordinatorin e kursit, që vendi juaj t'i jepet dikujt nga lista e pritjes.",
                ["ro"] = "Stimate/Stimată {name},\n\nsunteți înscris(ă) la cursul „{course}”.\n\nPerioada: {startDate} – {endDate}\nLocul: {venue}, {city}\n\nInstrucțiuni de participare: vă rugăm să sosiți cu 15 minute înainte de începerea primei zile și să aveți un act de identitate. Fișierul de calendar atașat adaugă cursul în calendarul dumneavoastră.\n\nDacă nu puteți participa, vă rugăm să anunțați coordonatorul cursului, pentru ca locul să fie dat cuiva de pe lista de așteptare.",
                ["sv"] = "Hej {name},\n\ndu är anmäld till kursen \"{course}\".\n\nDatum: {startDate} till {endDate}\nPlats: {venue}, {city}\n\nPraktisk information: kom 15 minuter före starten den första dagen och ta med en identitetshandling. Den bifogade kalenderfilen lägger in kursen i din kalender.\n\nOm du inte kan delta, meddela kurskoordinatorn så att din plats kan gå till någon på väntelistan.",
                ["pl"] = "Dzień dobry {name},\n\nzostał(a) Pan/Pani zapisany(-a) na szkolenie „{course}”.\n\nTermin: {startDate} – {endDate}\nMiejsce: {venue}, {city}\n\nInformacje organizacyjne: prosimy przybyć 15 minut przed rozpoczęciem pierwszego dnia i zabrać dokument tożsamości. Załączony plik kalendarza doda szkolenie do Pana/Pani kalendarza.\n\nJeśli nie może Pan/Pani wziąć udziału, prosimy poinformować koordynatora szkolenia, aby miejsce mogła otrzymać osoba z listy rezerwowej.",
            },
            ["mail.promotion.subject"] = new()
            {
                ["en"] = "A place has become free for you: {course}, {city}, {startDate}",
                ["de"] = "Ein Platz ist für Sie frei geworden: {course}, {city}, {startDate}",
                ["nl"] = "Er is een plaats voor u vrijgekomen: {course}, {city}, {startDate}",
                ["sq"] = "Një vend është liruar për ju: {course}, {city}, {startDate}",
                ["ro"] = "S-a eliberat un loc pentru dumneavoastră: {course}, {city}, {startDate}",
                ["sv"] = "En plats har blivit ledig för dig: {course}, {city}, {startDate}",
                ["pl"] = "Zwolniło się dla Pana/Pani miejsce: {course}, {city}, {startDate}",
            },
            ["mail.promotion.body"] = new()
            {
                ["en"] = "Dear {name},\n\na place on the course \"{course}\" has become free, and it is yours: you have moved from the waiting list to the participants.\n\nDates: {startDate} to {endDate}\nVenue: {venue}, {city}\n\nJoining instructions: please arrive 15 minutes before the start of the first day and bring an identity document. The calendar file attached adds the course to your calendar.\n\nIf you can no longer take part, please tell the course coordinator.",
                ["de"] = "Guten Tag {name},\n\nim Kurs \"{course}\" ist ein Platz frei geworden, und er gehört Ihnen: Sie sind von der Warteliste zu den Teilnehmenden aufgerückt.\n\nTermin: {startDate} bis {endDate}\nOrt: {venue}, {city}\n\nHinweise zur Teilnahme: Bitte kommen Sie 15 Minuten vor Beginn des ersten Tages und bringen Sie einen Ausweis mit. Mit der angehängten Kalenderdatei tragen Sie den Kurs in Ihren Kalender ein.\n\nWenn Sie nicht mehr teilnehmen können, sagen Sie bitte der Kurskoordination Bescheid.",
                ["nl"] = "Beste {name},\n\ner is een plaats vrijgekomen in de cursus \"{course}\" en die is voor u: u gaat van de wachtlijst naar de deelnemers.\n\nData: {startDate} tot {endDate}\nLocatie: {venue}, {city}\n\nPraktische informatie: kom 15 minuten voor het begin van de eerste dag en neem een identiteitsbewijs mee. Met het bijgevoegde agendabestand zet u de cursus in uw agenda.\n\nKunt u niet meer deelnemen, laat het de cursuscoördinator dan weten.",
                ["sq"] = "I/E nderuar {name},\n\nnjë vend në kursin \"{course}\" është liruar dhe është për ju: kaloni nga lista e pritjes te pjesëmarrësit.\n\nDatat: {startDate} deri {endDate}\nVendi: {venue}, {city}\n\nUdhëzime: ju lutemi të vini 15 minuta para fillimit të ditës së parë dhe të sillni një dokument identifikimi. Skedari i kalendarit që bashkëngjitet e shton kursin në kalendarin tuaj.\n\nNëse nuk mund të merrni më pjesë, ju lutemi njoftoni koordinatorin e kursit.",
                ["ro"] = "Stimate/Stimată {name},\n\ns-a eliberat un loc la cursul „{course}” și este al dumneavoastră: ați trecut de pe lista de așteptare printre participanți.\n\nPerioada: {startDate} – {endDate}\nLocul: {venue}, {city}\n\nInstrucțiuni de participare: vă rugăm să sosiți cu 15 minute înainte de începerea primei zile și să aveți un act de identitate. Fișierul de calendar atașat adaugă cursul în calendarul dumneavoastră.\n\nDacă nu mai puteți participa, vă rugăm să anunțați coordonatorul cursului.",
                ["sv"] = "Hej {name},\n\nen plats på kursen \"{course}\" har blivit ledig och den är din: du har flyttats från väntelistan till deltagarna.\n\nDatum: {startDate} till {endDate}\nPlats: {venue}, {city}\n\nPraktisk information: kom 15 minuter före starten den första dagen och ta med en identitetshandling. Den bifogade kalenderfilen lägger in kursen i din kalender.\n\nOm du inte längre kan delta, meddela kurskoordinatorn.",
                ["pl"] = "Dzień dobry {name},\n\nna szkoleniu „{course}” zwolniło się miejsce i jest ono dla Pana/Pani: przechodzi Pan/Pani z listy rezerwowej na listę uczestników.\n\nTermin: {startDate} – {endDate}\nMiejsce: {venue}, {city}\n\nInformacje organizacyjne: prosimy przybyć 15 minut przed rozpoczęciem pierwszego dnia i zabrać dokument tożsamości. Załączony plik kalendarza doda szkolenie do Pana/Pani kalendarza.\n\nJeśli nie może już Pan/Pani wziąć udziału, prosimy poinformować koordynatora szkolenia.",
            },
            ["mail.reminder.subject"] = new()
            {
                ["en"] = "Reminder: {course} starts on {startDate}",
                ["de"] = "Erinnerung: {course} beginnt am {startDate}",
                ["nl"] = "Herinnering: {course} begint op {startDate}",
                ["sq"] = "Kujtesë: {course} fillon më {startDate}",
                ["ro"] = "Reamintire: {course} începe pe {startDate}",
                ["sv"] = "Påminnelse: {course} börjar {startDate}",
                ["pl"] = "Przypomnienie: {course} zaczyna się {startDate}",
            },
            ["mail.reminder.body"] = new()
            {
                ["en"] = "Dear {name},\n\nthe course \"{course}\" starts in {days} day(s).\n\nDates: {startDate} to {endDate}\nVenue: {venue}, {city}\n\nWe look forward to seeing you.",
                ["de"] = "Guten Tag {name},\n\nder Kurs \"{course}\" beginnt in {days} Tag(en).\n\nTermin: {startDate} bis {endDate}\nOrt: {venue}, {city}\n\nWir freuen uns auf Sie.",
                ["nl"] = "Beste {name},\n\nde cursus \"{course}\" begint over {days} dag(en).\n\nData: {startDate} tot {endDate}\nLocatie: {venue}, {city}\n\nWe kijken ernaar uit u te zien.",
                ["sq"] = "I/E nderuar {name},\n\nkursi \"{course}\" fillon pas {days} ditësh.\n\nDatat: {startDate} deri {endDate}\nVendi: {venue}, {city}\n\nJu presim me kënaqësi.",
                ["ro"] = "Stimate/Stimată {name},\n\ncursul „{course}” începe peste {days} zi(le).\n\nPerioada: {startDate} – {endDate}\nLocul: {venue}, {city}\n\nVă așteptăm cu drag.",
                ["sv"] = "Hej {name},\n\nkursen \"{course}\" börjar om {days} dag(ar).\n\nDatum: {startDate} till {endDate}\nPlats: {venue}, {city}\n\nVi ser fram emot att träffa dig.",
                ["pl"] = "Dzień dobry {name},\n\nszkolenie „{course}” zaczyna się za {days} dni.\n\nTermin: {startDate} – {endDate}\nMiejsce: {venue}, {city}\n\nDo zobaczenia.",
            },
            ["mail.evaluationLink.subject"] = new()
            {
                ["en"] = "Your opinion of {course}",
                ["de"] = "Ihre Meinung zum Kurs {course}",
                ["nl"] = "Uw mening over {course}",
                ["sq"] = "Mendimi juaj për {course}",
                ["ro"] = "Opinia dumneavoastră despre {course}",
                ["sv"] = "Vad tyckte du om {course}?",
                ["pl"] = "Pana/Pani opinia o szkoleniu {course}",
            },
            ["mail.evaluationLink.body"] = new()
            {
                ["en"] = "Dear {name},\n\nthank you for taking part in \"{course}\" ({city}, {startDate} to {endDate}). Please tell us what you thought of it: open {link} and enter the code printed on the slip you were given at the course.\n\nThe evaluation is anonymous: the code is not linked to your name, and this message goes to every participant alike.",
                ["de"] = "Guten Tag {name},\n\nvielen Dank für Ihre Teilnahme am Kurs \"{course}\" ({city}, {startDate} bis {endDate}). Bitte sagen Sie uns, wie Sie ihn fanden: Öffnen Sie {link} und geben Sie den Code von dem Zettel ein, den Sie im Kurs erhalten haben.\n\nDie Bewertung ist anonym: Der Code ist nicht mit Ihrem Namen verbunden, und diese Nachricht geht an alle Teilnehmenden gleich.",
                ["nl"] = "Beste {name},\n\nbedankt voor uw deelname aan \"{course}\" ({city}, {startDate} tot {endDate}). Laat ons weten wat u ervan vond: open {link} en vul de code in van het strookje dat u bij de cursus kreeg.\n\nDe evaluatie is anoniem: de code is niet aan uw naam gekoppeld, en dit bericht gaat naar alle deelnemers gelijk.",
                ["sq"] = "I/E nderuar {name},\n\nfaleminderit që morët pjesë në \"{course}\" ({city}, {startDate} deri {endDate}). Ju lutemi na tregoni mendimin tuaj: hapni {link} dhe shkruani kodin e shtypur në fletën që morët në kurs.\n\nVlerësimi është anonim: kodi nuk lidhet me emrin tuaj, dhe ky mesazh u dërgohet njësoj të gjithë pjesëmarrësve.",
                ["ro"] = "Stimate/Stimată {name},\n\nvă mulțumim că ați participat la „{course}” ({city}, {startDate} – {endDate}). Vă rugăm să ne spuneți părerea dumneavoastră: deschideți {link} și introduceți codul tipărit pe biletul primit la curs.\n\nEvaluarea este anonimă: codul nu este legat de numele dumneavoastră, iar acest mesaj este trimis la fel tuturor participanților.",
                ["sv"] = "Hej {name},\n\ntack för att du deltog i \"{course}\" ({city}, {startDate} till {endDate}). Berätta gärna vad du tyckte: öppna {link} och skriv in koden på lappen du fick på kursen.\n\nUtvärderingen är anonym: koden är inte kopplad till ditt namn, och detta meddelande går likadant till alla deltagare.",
                ["pl"] = "Dzień dobry {name},\n\ndziękujemy za udział w szkoleniu „{course}” ({city}, {startDate} – {endDate}). Prosimy o opinię: proszę otworzyć {link} i wpisać kod wydrukowany na kartce otrzymanej na szkoleniu.\n\nAnkieta jest anonimowa: kod nie jest powiązany z Pana/Pani nazwiskiem, a ta wiadomość trafia jednakowo do wszystkich uczestników.",
            },
            ["mail.reportSubmitted.subject"] = new()
            {
                ["en"] = "Evaluation report submitted: {course}, {city}, {startDate}",
                ["de"] = "Evaluationsbericht eingereicht: {course}, {city}, {startDate}",
                ["nl"] = "Evaluatieverslag ingediend: {course}, {city}, {startDate}",
                ["sq"] = "Raporti i vlerësimit u dorëzua: {course}, {city}, {startDate}",
                ["ro"] = "Raport de evaluare transmis: {course}, {city}, {startDate}",
                ["sv"] = "Utvärderingsrapport inskickad: {course}, {city}, {startDate}",
                ["pl"] = "Raport z ewaluacji przesłany: {course}, {city}, {startDate}",
            },
            ["mail.reportSubmitted.body"] = new()
            {
                ["en"] = "Dear {name},\n\nthe country expert has submitted the evaluation report of \"{course}\" ({city}, {startDate} to {endDate}). It awaits the steering group: accept it or return it with a comment at {link}.",
                ["de"] = "Guten Tag {name},\n\ndie Länderexpertin bzw. der Länderexperte hat den Evaluationsbericht zum Kurs \"{course}\" ({city}, {startDate} bis {endDate}) eingereicht. Er wartet auf die Steuerungsgruppe: annehmen oder mit einem Kommentar zurückgeben unter {link}.",
                ["nl"] = "Beste {name},\n\nde landendeskundige heeft het evaluatieverslag van \"{course}\" ({city}, {startDate} tot {endDate}) ingediend. Het wacht op de stuurgroep: aanvaarden of met een opmerking terugsturen via {link}.",
                ["sq"] = "I/E nderuar {name},\n\neksperti i vendit ka dorëzuar raportin e vlerësimit të \"{course}\" ({city}, {startDate} deri {endDate}). Ai pret grupin drejtues: pranojeni ose kthejeni me një koment në {link}.",
                ["ro"] = "Stimate/Stimată {name},\n\nexpertul de țară a transmis raportul de evaluare pentru „{course}” ({city}, {startDate} – {endDate}). Acesta așteaptă grupul de coordonare: acceptați-l sau returnați-l cu un comentariu la {link}.",
                ["sv"] = "Hej {name},\n\nlandexperten har skickat in utvärderingsrapporten för \"{course}\" ({city}, {startDate} till {endDate}). Den väntar på styrgruppen: godkänn den eller skicka tillbaka den med en kommentar på {link}.",
                ["pl"] = "Dzień dobry {name},\n\nekspert krajowy przesłał raport z ewaluacji szkolenia „{course}” ({city}, {startDate} – {endDate}). Raport czeka na komitet sterujący: można go przyjąć lub zwrócić z komentarzem pod adresem {link}.",
            },
            ["mail.reportReturned.subject"] = new()
            {
                ["en"] = "Your evaluation report was returned: {course}, {city}, {startDate}",
                ["de"] = "Ihr Evaluationsbericht wurde zurückgegeben: {course}, {city}, {startDate}",
                ["nl"] = "Uw evaluatieverslag is teruggestuurd: {course}, {city}, {startDate}",
                ["sq"] = "Raporti juaj i vlerësimit u kthye: {course}, {city}, {startDate}",
                ["ro"] = "Raportul dumneavoastră de evaluare a fost returnat: {course}, {city}, {startDate}",
                ["sv"] = "Din utvärderingsrapport har skickats tillbaka: {course}, {city}, {startDate}",
                ["pl"] = "Pana/Pani raport z ewaluacji został zwrócony: {course}, {city}, {startDate}",
            },
            ["mail.reportReturned.body"] = new()
            {
                ["en"] = "Dear {name},\n\nthe steering group has returned the evaluation report of \"{course}\" ({city}, {startDate} to {endDate}) with this comment:\n\n{comment}\n\nPlease revise it and submit it again at {link}.",
                ["de"] = "Guten Tag {name},\n\ndie Steuerungsgruppe hat den Evaluationsbericht zum Kurs \"{course}\" ({city}, {startDate} bis {endDate}) mit diesem Kommentar zurückgegeben:\n\n{comment}\n\nBitte überarbeiten Sie ihn und reichen Sie ihn erneut ein unter {link}.",
                ["nl"] = "Beste {name},\n\nde stuurgroep heeft het evaluatieverslag van \"{course}\" ({city}, {startDate} tot {endDate}) teruggestuurd met deze opmerking:\n\n{comment}\n\nPas het aan en dien het opnieuw in via {link}.",
                ["sq"] = "I/E nderuar {name},\n\ngrupi drejtues e ka kthyer raportin e vlerësimit të \"{course}\" ({city}, {startDate} deri {endDate}) me këtë koment:\n\n{comment}\n\nJu lutemi rishikojeni dhe dorëzojeni përsëri në {link}.",
                ["ro"] = "Stimate/Stimată {name},\n\ngrupul de coordonare a returnat raportul de evaluare pentru „{course}” ({city}, {startDate} – {endDate}) cu acest comentariu:\n\n{comment}\n\nVă rugăm să îl revizuiți și să îl transmiteți din nou la {link}.",
                ["sv"] = "Hej {name},\n\nstyrgruppen har skickat tillbaka utvärderingsrapporten för \"{course}\" ({city}, {startDate} till {endDate}) med denna kommentar:\n\n{comment}\n\nRevidera den och skicka in den igen på {link}.",
                ["pl"] = "Dzień dobry {name},\n\nkomitet sterujący zwrócił raport z ewaluacji szkolenia „{course}” ({city}, {startDate} – {endDate}) z komentarzem:\n\n{comment}\n\nProsimy o poprawienie go i ponowne przesłanie pod adresem {link}.",
            },
            ["mail.signInLink.subject"] = new()
            {
                ["en"] = "Your link to set your JointEfforts password",
                ["de"] = "Ihr Link zum Festlegen Ihres JointEfforts-Passworts",
                ["nl"] = "Uw link om uw JointEfforts-wachtwoord in te stellen",
                ["sq"] = "Lidhja juaj për të vendosur fjalëkalimin e JointEfforts",
                ["ro"] = "Linkul pentru a vă seta parola JointEfforts",
                ["sv"] = "Din länk för att välja ditt JointEfforts-lösenord",
                ["pl"] = "Link do ustawienia hasła w JointEfforts",
            },
            ["mail.signInLink.body"] = new()
            {
                ["en"] = "Dear {name},\n\nyour user name is {userName}. To set your password for the JointEfforts workspace, open this link:\n\n{link}\n\nThe link works once, until {expiresAt} (UTC). If you did not expect this message, you can ignore it.",
                ["de"] = "Guten Tag {name},\n\nIhr Benutzername ist {userName}. Um Ihr Passwort für den JointEfforts-Arbeitsbereich festzulegen, öffnen Sie diesen Link:\n\n{link}\n\nDer Link funktioniert einmal, bis {expiresAt} (UTC). Wenn Sie diese Nachricht nicht erwartet haben, können Sie sie ignorieren.",
                ["nl"] = "Beste {name},\n\nuw gebruikersnaam is {userName}. Open deze link om uw wachtwoord voor de JointEfforts-werkruimte in te stellen:\n\n{link}\n\nDe link werkt één keer, tot {expiresAt} (UTC). Verwachtte u dit bericht niet, dan kunt u het negeren.",
                ["sq"] = "I/E nderuar {name},\n\nemri juaj i përdoruesit është {userName}. Për të vendosur fjalëkalimin tuaj për hapësirën e punës JointEfforts, hapni këtë lidhje:\n\n{link}\n\nLidhja funksionon një herë, deri më {expiresAt} (UTC). Nëse nuk e prisnit këtë mesazh, mund ta shpërfillni.",
                ["ro"] = "Stimate/Stimată {name},\n\nnumele dumneavoastră de utilizator este {userName}. Pentru a vă seta parola pentru spațiul de lucru JointEfforts, deschideți acest link:\n\n{link}\n\nLinkul funcționează o singură dată, până la {expiresAt} (UTC). Dacă nu vă așteptați la acest mesaj, îl puteți ignora.",
                ["sv"] = "Hej {name},\n\nditt användarnamn är {userName}. Öppna den här länken för att välja ditt lösenord till JointEfforts arbetsyta:\n\n{link}\n\nLänken fungerar en gång, till {expiresAt} (UTC). Om du inte väntade dig det här meddelandet kan du bortse från det.",
                ["pl"] = "Dzień dobry {name},\n\nPana/Pani nazwa użytkownika to {userName}. Aby ustawić hasło do obszaru roboczego JointEfforts, proszę otworzyć ten link:\n\n{link}\n\nLink działa jednokrotnie, do {expiresAt} (UTC). Jeśli nie spodziewał(a) się Pan/Pani tej wiadomości, można ją zignorować.",
            },
        };

    /// <summary>The templates as entries of <see cref="TextCatalogue"/>: every language must have them to be complete.</summary>
    public static IEnumerable<TextEntry> Catalogue =>
        BuiltIn.Select(t =>
        {
            var kind = t.Key.Split('.')[1];
            var part = t.Key.EndsWith(".subject", StringComparison.Ordinal) ? "subject line" : "text";
            return new TextEntry(t.Key, $"E-mail, {part}: {What[kind]}. Placeholders: {Placeholders[kind]}.", t.Value);
        });

    /// <summary>The texts as they stand in this database, read in the transaction that writes the message.</summary>
    public static Task<LanguageTexts> ReadAsync(DbConnection db, DbTransaction transaction) => LanguageTexts.ReadAsync(db, transaction);

    /// <summary>The text of <paramref name="key"/> in <paramref name="language"/> (English where it has none), placeholders filled.</summary>
    public static string Fill(LanguageTexts texts, string key, string language, IReadOnlyDictionary<string, string?> values)
    {
        var text = texts.Say(language, key);
        foreach (var (name, value) in values)
        {
            text = text.Replace("{" + name + "}", value ?? "", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The language a message is written in: the course's where the system has it, else English.</summary>
    public static string LanguageFor(LanguageTexts texts, string? courseLanguage) => texts.Has(courseLanguage) ? courseLanguage! : Fallback;
}
