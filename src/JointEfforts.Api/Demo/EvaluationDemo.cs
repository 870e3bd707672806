using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Answering;
using JointEfforts.Api.Evaluations.Codes;

namespace JointEfforts.Api.Demo;

/// <summary>
/// Demo data: the pilot courses' reaction form in the six course languages, a knowledge pre-test and post-test,
/// codes and plausible answers for the delivered courses, and country-expert reports in every state.
/// Deterministic (one seeded Random); works whether or not the course seed has created courses.
/// </summary>
public static class EvaluationDemo
{
    private static readonly string[] Languages = ["en", "de", "nl", "sq", "ro", "sv"];

    public static void Seed(DbConnection db, DbTransaction transaction, DemoContext context) =>
        SeedAsync(db, transaction, context).GetAwaiter().GetResult();

    private static async Task SeedAsync(DbConnection db, DbTransaction transaction, DemoContext context)
    {
        var random = new Random(2013);
        var reactionId = await EvaluationForms.InsertAsync(db, transaction, ReactionForm());
        var preTestId = await EvaluationForms.InsertAsync(db, transaction, KnowledgeTest(EvaluationPurpose.PreTest));
        var postTestId = await EvaluationForms.InsertAsync(db, transaction, KnowledgeTest(EvaluationPurpose.PostTest));

        await db.ExecuteAsync(
            """
            UPDATE courses SET evaluation_form_id = COALESCE(evaluation_form_id, @reactionId),
                               pre_test_form_id = COALESCE(pre_test_form_id, @preTestId),
                               post_test_form_id = COALESCE(post_test_form_id, @postTestId)
            WHERE project_id = @ProjectId
            """,
            new { reactionId, preTestId, postTestId, context.ProjectId }, transaction);
        var courses = (await db.QueryAsync<EvaluationCourse>(
            EvaluationCourse.Select + " WHERE c.project_id = @ProjectId ORDER BY c.id", new { context.ProjectId }, transaction)).ToList();

        var reported = 0;
        foreach (var course in courses.Where(c => c.Status is "open" or "closed" or "delivered" or "evaluated"))
        {
            // One batch per course, as a coordinator prints it before the course: one slip per participant, at least 5.
            await CodeBatchesApi.IssueBatchAsync(
                db, transaction, course.Id, count: null, course.StartDate, () => EvaluationCodes.Create(random.Next), random.Next);
            if (course.Status is not ("delivered" or "evaluated"))
            {
                continue;
            }

            await AnswerAsync(db, transaction, course, random);
            var state = course.Status == "evaluated" ? "accepted" : ReportStates[reported % ReportStates.Length];
            reported++;
            await ReportAsync(db, transaction, course, state, context);
        }
    }

    private static readonly string[] ReportStates = ["accepted", "submitted", "returned", "draft"];

    /// <summary>
    /// Pre-test, post-test and reaction from most participants, through the same storage as the API (a reaction keeps no
    /// code; dates only): the codes in code order are as random as the printed slips; spare codes stay unused.
    /// </summary>
    private static async Task AnswerAsync(DbConnection db, DbTransaction transaction, EvaluationCourse course, Random random)
    {
        var enrolled = await db.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM enrolments WHERE course_id = @Id AND status = 'enrolled'", new { course.Id }, transaction);
        var codes = (await db.QueryAsync<(long Id, string Code)>(
            "SELECT id, code FROM evaluation_codes WHERE course_id = @Id ORDER BY code", new { course.Id }, transaction)).Take(enrolled).ToList();
        var language = Languages.Contains(course.Language) ? course.Language : "en";
        foreach (var (codeId, _) in codes)
        {
            var ability = 0.3 + (random.NextDouble() * 0.4);
            if (course.PreTestFormId is { } pre && random.NextDouble() < 0.9)
            {
                await RecordAsync(db, transaction, course, pre, EvaluationPurpose.PreTest, (int)codeId, language,
                    TestAnswers(random, ability), course.StartDate);
            }

            if (course.PostTestFormId is { } post && random.NextDouble() < 0.85)
            {
                await RecordAsync(db, transaction, course, post, EvaluationPurpose.PostTest, (int)codeId, language,
                    TestAnswers(random, Math.Min(0.95, ability + 0.3)), course.EndDate);
            }

            if (course.EvaluationFormId is { } reaction && random.NextDouble() < 0.85)
            {
                await RecordAsync(db, transaction, course, reaction, EvaluationPurpose.Reaction, (int)codeId, language,
                    ReactionAnswers(random, language), course.EndDate);
            }
        }
    }

    private static async Task RecordAsync(
        DbConnection db, DbTransaction transaction, EvaluationCourse course, int formId, EvaluationPurpose purpose, int codeId,
        string language, Dictionary<string, object> answers, DateOnly on)
    {
        var json = answers.ToDictionary(a => a.Key, a => JsonSerializer.SerializeToElement(a.Value));
        var recorded = await AnswerStore.RecordAsync(
            db, transaction, course.Id, formId, purpose, ResponseSource.Online, codeId, language, json, on);
        if (recorded is not AnswerOutcome.Stored)
        {
            throw new InvalidOperationException($"Demo answers for course {course.Id} do not fit form {formId}: " +
                string.Join("; ", (recorded as AnswerOutcome.Invalid)?.Errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}") ?? [recorded.ToString()]));
        }
    }

    private static Dictionary<string, object> TestAnswers(Random random, double ability)
    {
        var answers = new Dictionary<string, object>();
        foreach (var (key, correct, _, _) in TestQuestions)
        {
            answers[key] = random.NextDouble() < ability ? correct : (correct == "a" ? "b" : "a");
        }

        return answers;
    }

    private static Dictionary<string, object> ReactionAnswers(Random random, string language)
    {
        int Likert(double mood)
        {
            var roll = random.NextDouble() + mood;
            return roll switch { < 0.03 => 1, < 0.09 => 2, < 0.28 => 3, < 0.72 => 4, _ => 5 };
        }

        var mood = (random.NextDouble() - 0.5) * 0.2;
        var answers = new Dictionary<string, object>
        {
            ["relevance"] = Likert(mood + 0.05),
            ["trainers"] = Likert(mood + 0.08),
            ["materials"] = Likert(mood - 0.05),
            ["organisation"] = Likert(mood),
            ["overall"] = Likert(mood + 0.03),
        };
        var apply = random.NextDouble();
        answers["apply"] = apply < 0.68 ? "yes" : apply < 0.92 ? "partly" : "no";
        var topics = TopicOptions.Where(_ => random.NextDouble() < 0.45).Select(t => t.Value).ToList();
        if (topics.Count > 0)
        {
            answers["topics"] = topics;
        }

        if (random.NextDouble() < 0.4)
        {
            var comments = Comments[language];
            answers["comments"] = comments[random.Next(comments.Length)];
        }

        return answers;
    }

    private static async Task ReportAsync(DbConnection db, DbTransaction transaction, EvaluationCourse course, string state, DemoContext context)
    {
        var expertId = course.CountryExpertUserId ?? context.ExpertIds.GetValueOrDefault(course.CountryCode);
        // What the expert reports as attended is the number trained (the prefill of GET .../evaluation-report).
        var attended = await db.ExecuteScalarAsync<int>(
            "SELECT COALESCE(SUM(completed), 0) FROM enrolment_completion WHERE course_id = @Id", new { course.Id }, transaction);
        var report = ExpertReports.ByCountry[course.CountryCode];
        var submitted = course.EndDate.AddDays(14).ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc);
        var accepted = submitted.AddDays(10);
        await db.ExecuteAsync(
            """
            INSERT INTO evaluation_reports (course_id, delivered_on, participants_attended, summary, strengths, weaknesses, recommendations,
                                            overall_rating, state, return_comment, submitted_at, submitted_by, accepted_at, accepted_by, updated_at)
            VALUES (@Id, @EndDate, @attended, @summary, @strengths, @weaknesses, @recommendations, @rating, @dbState, @returnComment,
                    @submittedAt, @submittedBy, @acceptedAt, @acceptedBy, @updatedAt)
            """,
            new
            {
                course.Id,
                course.EndDate,
                attended,
                summary = report.Summary,
                strengths = report.Strengths,
                weaknesses = report.Weaknesses,
                recommendations = JsonSerializer.Serialize(report.Recommendations),
                rating = report.OverallRating,
                dbState = state == "returned" ? "draft" : state,
                returnComment = state == "returned"
                    ? "Please add the attendance per sector and the results of the knowledge test before we accept the report."
                    : null,
                submittedAt = state is "submitted" or "accepted" or "returned" ? Stamp(submitted) : null,
                submittedBy = state is "submitted" or "accepted" or "returned" ? expertId : (long?)null,
                acceptedAt = state == "accepted" ? Stamp(accepted) : null,
                acceptedBy = state == "accepted" ? context.SteeringGroupId : (long?)null,
                updatedAt = Stamp(state == "accepted" ? accepted : submitted),
            },
            transaction);
    }

    private static string Stamp(DateTime utc) => Infrastructure.Database.Timestamp(utc);

    // --- The forms ------------------------------------------------------------------------------------------------

    private static Dictionary<string, string> T(string en, string de, string nl, string sq, string ro, string sv) =>
        new() { ["en"] = en, ["de"] = de, ["nl"] = nl, ["sq"] = sq, ["ro"] = ro, ["sv"] = sv };

    private static QuestionRequest Likert(string key, Dictionary<string, string> text) =>
        new(key, QuestionType.Likert5, KirkpatrickLevel.Reaction, true, text, null, null, null);

    private static readonly (string Value, Dictionary<string, string> Text)[] TopicOptions =
    [
        ("indicators", T("Indicators of trafficking", "Indikatoren für Menschenhandel", "Indicatoren van mensenhandel",
            "Treguesit e trafikimit", "Indicatorii traficului de persoane", "Indikatorer på människohandel")),
        ("identification", T("Identifying and interviewing victims", "Identifizierung und Befragung von Opfern", "Identificatie en verhoren van slachtoffers",
            "Identifikimi dhe intervistimi i viktimave", "Identificarea și intervievarea victimelor", "Identifiering och intervjuer av offer")),
        ("health", T("Health and mental health care for victims", "Gesundheitsversorgung und psychische Betreuung der Opfer", "Medische en psychische zorg voor slachtoffers",
            "Kujdesi shëndetësor dhe mendor për viktimat", "Îngrijirea medicală și psihologică a victimelor", "Hälso- och sjukvård samt psykiskt stöd för offer")),
        ("referral", T("Referral and cooperation between agencies", "Verweisung und behördenübergreifende Zusammenarbeit", "Doorverwijzing en samenwerking tussen instanties",
            "Referimi dhe bashkëpunimi ndërinstitucional", "Referirea și cooperarea interinstituțională", "Hänvisning och samverkan mellan myndigheter")),
        ("minors", T("Unaccompanied minors", "Unbegleitete Minderjährige", "Alleenstaande minderjarigen",
            "Të miturit e pashoqëruar", "Minorii neînsoțiți", "Ensamkommande barn")),
    ];

    private static readonly Dictionary<string, string[]> Comments = new()
    {
        ["en"] = ["More time for case studies, please.", "The joint session with health staff was the most useful part.", "The pocket cards should be handed out on the first day."],
        ["de"] = ["Mehr Zeit für Fallbeispiele, bitte.", "Die gemeinsame Sitzung mit dem Gesundheitspersonal war am nützlichsten.", "Die Taschenkarten sollten am ersten Tag verteilt werden."],
        ["nl"] = ["Graag meer tijd voor casusbesprekingen.", "De gezamenlijke sessie met zorgverleners was het nuttigst.", "De zakkaarten zouden op de eerste dag uitgedeeld moeten worden."],
        ["sq"] = ["Më shumë kohë për rastet praktike, ju lutem.", "Seanca e përbashkët me stafin shëndetësor ishte pjesa më e dobishme.", "Kartat e xhepit duhet të shpërndahen ditën e parë."],
        ["ro"] = ["Mai mult timp pentru studii de caz, vă rog.", "Sesiunea comună cu personalul medical a fost cea mai utilă parte.", "Cardurile de buzunar ar trebui distribuite în prima zi."],
        ["sv"] = ["Mer tid för fallstudier, tack.", "Den gemensamma sessionen med vårdpersonal var den mest användbara delen.", "Fickkorten borde delas ut första dagen."],
    };

    private static EvaluationFormRequest ReactionForm() => new(
        "Pilot course evaluation: reaction",
        EvaluationPurpose.Reaction,
        Languages,
        [
            Likert("relevance", T(
                "The training was relevant to my daily work.",
                "Die Schulung war für meine tägliche Arbeit relevant.",
                "De training was relevant voor mijn dagelijkse werk.",
                "Trajnimi ishte i rëndësishëm për punën time të përditshme.",
                "Instruirea a fost relevantă pentru activitatea mea zilnică.",
                "Utbildningen var relevant för mitt dagliga arbete.")),
            Likert("trainers", T(
                "The trainers were knowledgeable and engaging.",
                "Die Trainerinnen und Trainer waren fachkundig und haben die Gruppe gut einbezogen.",
                "De trainers waren deskundig en boeiend.",
                "Trajnerët ishin të përgatitur dhe e përfshinë grupin.",
                "Formatorii au fost bine pregătiți și captivanți.",
                "Utbildarna var kunniga och engagerande.")),
            Likert("materials", T(
                "The training materials (manual, pocket cards) were useful.",
                "Die Schulungsunterlagen (Handbuch, Taschenkarten) waren nützlich.",
                "Het trainingsmateriaal (handleiding, zakkaarten) was nuttig.",
                "Materialet e trajnimit (manuali, kartat e xhepit) ishin të dobishme.",
                "Materialele de instruire (manualul, cardurile de buzunar) au fost utile.",
                "Utbildningsmaterialet (handbok, fickkort) var användbart.")),
            Likert("organisation", T(
                "The course was well organised (venue, timing, interpretation).",
                "Der Kurs war gut organisiert (Ort, Zeitplan, Dolmetschen).",
                "De cursus was goed georganiseerd (locatie, planning, tolken).",
                "Kursi ishte i organizuar mirë (vendi, orari, përkthimi).",
                "Cursul a fost bine organizat (locație, program, interpretariat).",
                "Kursen var välorganiserad (lokal, tidsplan, tolkning).")),
            Likert("overall", T(
                "Overall, I am satisfied with the training.",
                "Insgesamt bin ich mit der Schulung zufrieden.",
                "Over het geheel genomen ben ik tevreden over de training.",
                "Në përgjithësi, jam i kënaqur me trajnimin.",
                "În ansamblu, sunt mulțumit(ă) de instruire.",
                "Sammantaget är jag nöjd med utbildningen.")),
            new QuestionRequest("apply", QuestionType.SingleChoice, KirkpatrickLevel.Behaviour, true, T(
                    "Will you apply what you learned in your cooperation with police, health or NGO colleagues?",
                    "Werden Sie das Gelernte in der Zusammenarbeit mit Polizei, Gesundheitswesen oder NGOs anwenden?",
                    "Zult u het geleerde toepassen in de samenwerking met politie, gezondheidszorg of ngo's?",
                    "A do ta zbatoni atë që mësuat në bashkëpunim me policinë, shëndetësinë ose OJQ-të?",
                    "Veți aplica cele învățate în cooperarea cu poliția, sistemul de sănătate sau ONG-urile?",
                    "Kommer du att tillämpa det du lärt dig i samarbetet med polis, hälso- och sjukvård eller frivilligorganisationer?"),
                [
                    new OptionRequest("yes", T("Yes", "Ja", "Ja", "Po", "Da", "Ja")),
                    new OptionRequest("partly", T("Partly", "Teilweise", "Gedeeltelijk", "Pjesërisht", "Parțial", "Delvis")),
                    new OptionRequest("no", T("No", "Nein", "Nee", "Jo", "Nu", "Nej")),
                ],
                null, null),
            new QuestionRequest("topics", QuestionType.MultipleChoice, KirkpatrickLevel.Learning, false, T(
                    "Which topics were most useful to you? (choose any)",
                    "Welche Themen waren für Sie am nützlichsten? (Mehrfachauswahl)",
                    "Welke onderwerpen waren voor u het nuttigst? (meerdere antwoorden mogelijk)",
                    "Cilat tema ishin më të dobishmet për ju? (mund të zgjidhni disa)",
                    "Care teme v-au fost cele mai utile? (puteți alege mai multe)",
                    "Vilka ämnen var mest användbara för dig? (flera svar möjliga)"),
                TopicOptions.Select(o => new OptionRequest(o.Value, o.Text)).ToList(),
                null, null),
            new QuestionRequest("comments", QuestionType.Text, KirkpatrickLevel.Reaction, false, T(
                    "What should be improved in this training?",
                    "Was sollte an dieser Schulung verbessert werden?",
                    "Wat zou er aan deze training verbeterd moeten worden?",
                    "Çfarë duhet të përmirësohet në këtë trajnim?",
                    "Ce ar trebui îmbunătățit la această instruire?",
                    "Vad borde förbättras i den här utbildningen?"),
                null, null, null),
        ]);

    private static readonly (string Key, string Correct, double Points, (Dictionary<string, string> Question, Dictionary<string, string>[] Options) Text)[] TestQuestions =
    [
        ("labourIndicator", "a", 1, (
            T("Which of these is an indicator of trafficking for labour exploitation?",
              "Welches davon ist ein Indikator für Menschenhandel zur Arbeitsausbeutung?",
              "Welke van deze is een indicator van mensenhandel voor arbeidsuitbuiting?",
              "Cili nga këta është tregues i trafikimit për shfrytëzim në punë?",
              "Care dintre acestea este un indicator al traficului în scopul exploatării prin muncă?",
              "Vilket av följande är en indikator på människohandel för arbetskraftsexploatering?"),
            [
                T("The employer holds the person's identity documents", "Der Arbeitgeber behält die Ausweisdokumente der Person ein",
                  "De werkgever houdt de identiteitsdocumenten van de persoon vast", "Punëdhënësi mban dokumentet e identitetit të personit",
                  "Angajatorul reține actele de identitate ale persoanei", "Arbetsgivaren behåller personens identitetshandlingar"),
                T("The person sometimes works overtime", "Die Person macht gelegentlich Überstunden", "De persoon maakt af en toe overuren",
                  "Personi punon herë pas here jashtë orarit", "Persoana face ocazional ore suplimentare", "Personen arbetar ibland övertid"),
                T("The person has a fixed-term contract", "Die Person hat einen befristeten Vertrag", "De persoon heeft een tijdelijk contract",
                  "Personi ka një kontratë me afat të caktuar", "Persoana are un contract pe durată determinată", "Personen har en visstidsanställning"),
            ])),
        ("firstStep", "a", 1, (
            T("What comes first when a presumed victim has been identified?",
              "Was hat Vorrang, wenn ein mutmaßliches Opfer identifiziert wurde?",
              "Wat komt eerst wanneer een vermoedelijk slachtoffer is geïdentificeerd?",
              "Çfarë vjen e para kur është identifikuar një viktimë e mundshme?",
              "Ce are prioritate atunci când a fost identificată o presupusă victimă?",
              "Vad kommer först när ett förmodat offer har identifierats?"),
            [
                T("Safety and urgent medical care", "Sicherheit und dringende medizinische Versorgung", "Veiligheid en dringende medische zorg",
                  "Siguria dhe kujdesi mjekësor urgjent", "Siguranța și îngrijirea medicală de urgență", "Säkerhet och akut sjukvård"),
                T("A formal statement to the police", "Eine förmliche Aussage bei der Polizei", "Een formele verklaring bij de politie",
                  "Një deklaratë zyrtare në polici", "O declarație oficială la poliție", "Ett formellt polisförhör"),
                T("Return to the country of origin", "Die Rückführung in das Herkunftsland", "Terugkeer naar het land van herkomst",
                  "Kthimi në vendin e origjinës", "Returnarea în țara de origine", "Återvändande till ursprungslandet"),
            ])),
        ("directive", "a", 2, (
            T("Under the EU anti-trafficking Directive 2011/36/EU, assistance to a victim ...",
              "Nach der EU-Richtlinie 2011/36/EU zur Bekämpfung des Menschenhandels ist die Unterstützung eines Opfers ...",
              "Volgens de EU-richtlijn mensenhandel 2011/36/EU is bijstand aan een slachtoffer ...",
              "Sipas Direktivës së BE-së 2011/36/BE kundër trafikimit, ndihma për një viktimë ...",
              "Conform Directivei UE 2011/36/UE privind traficul de persoane, asistența acordată unei victime ...",
              "Enligt EU:s direktiv 2011/36/EU mot människohandel är stödet till ett offer ..."),
            [
                T("does not depend on the victim's willingness to cooperate in criminal proceedings",
                  "nicht von der Bereitschaft des Opfers abhängig, im Strafverfahren mitzuwirken",
                  "niet afhankelijk van de bereidheid van het slachtoffer om mee te werken aan de strafprocedure",
                  "nuk varet nga gatishmëria e viktimës për të bashkëpunuar në procesin penal",
                  "nu depinde de disponibilitatea victimei de a coopera în procesul penal",
                  "inte beroende av offrets vilja att medverka i brottmålet"),
                T("starts only after the trial", "erst nach dem Gerichtsverfahren möglich", "pas mogelijk na het proces",
                  "fillon vetëm pas gjyqit", "începe doar după proces", "möjligt först efter rättegången"),
                T("is reserved for EU citizens", "EU-Bürgerinnen und -Bürgern vorbehalten", "voorbehouden aan EU-burgers",
                  "u rezervohet vetëm shtetasve të BE-së", "este rezervată cetățenilor UE", "förbehållet EU-medborgare"),
            ])),
        ("interview", "a", 1, (
            T("Which approach helps a traumatised victim to tell their story?",
              "Welcher Ansatz hilft einem traumatisierten Opfer, seine Geschichte zu erzählen?",
              "Welke aanpak helpt een getraumatiseerd slachtoffer om zijn verhaal te doen?",
              "Cila qasje e ndihmon një viktimë të traumatizuar të tregojë historinë e saj?",
              "Ce abordare ajută o victimă traumatizată să își spună povestea?",
              "Vilket förhållningssätt hjälper ett traumatiserat offer att berätta sin historia?"),
            [
                T("A calm, friendly setting and time to build trust", "Eine ruhige, freundliche Umgebung und Zeit, um Vertrauen aufzubauen",
                  "Een rustige, vriendelijke omgeving en tijd om vertrouwen op te bouwen", "Një mjedis i qetë e miqësor dhe kohë për të krijuar besim",
                  "Un cadru calm și prietenos și timp pentru a construi încrederea", "En lugn, vänlig miljö och tid att bygga förtroende"),
                T("Repeated interviews by different officers", "Wiederholte Befragungen durch verschiedene Beamte",
                  "Herhaalde verhoren door verschillende agenten", "Intervista të përsëritura nga zyrtarë të ndryshëm",
                  "Interviuri repetate de către ofițeri diferiți", "Upprepade förhör med olika tjänstemän"),
                T("Confronting them with the suspect at once", "Eine sofortige Gegenüberstellung mit dem Verdächtigen",
                  "Meteen een confrontatie met de verdachte", "Ballafaqimi menjëherë me të dyshuarin",
                  "Confruntarea imediată cu suspectul", "En omedelbar konfrontation med den misstänkte"),
            ])),
    ];

    private static EvaluationFormRequest KnowledgeTest(EvaluationPurpose purpose) => new(
        purpose == EvaluationPurpose.PreTest ? "Knowledge test: before the course" : "Knowledge test: after the course",
        purpose,
        Languages,
        TestQuestions.Select(q => new QuestionRequest(
            q.Key, QuestionType.SingleChoice, KirkpatrickLevel.Learning, true, q.Text.Question,
            q.Text.Options.Select((text, i) => new OptionRequest(((char)('a' + i)).ToString(CultureInfo.InvariantCulture), text)).ToList(),
            q.Correct, q.Points)).ToList());
}
