using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Meetings;
using JointEfforts.Api.Participants;
using JointEfforts.Api.Programmes;

namespace JointEfforts.Api.Demo;

/// <summary>
/// The IOM Poland programme PL15-0032 (Norway Grants) as its record states it (seed 003): completed; training sessions for the Border
/// Guard, the National Labour Inspectorate and judicial staff in which 495 people were trained; a study visit to Bulgaria where the IOM,
/// the Border Guard and the Ministry of the Interior and Administration met NGOs and their Bulgarian counterparts; an interactive
/// training application; assisted voluntary return and reintegration for 13 victims from Bulgaria, Ukraine and Romania.
/// Illustrative (the record gives none of it): the dates, the split into 18 two-day courses of 28 to 30, the venues and the names.
/// </summary>
public static class PolandDemo
{
    public const string Code = "PL15-0032";

    public const int Trained = 495;

    public const string StudyVisit = "Study visit to Bulgaria";

    private static readonly (int Number, DateOnly Start, DateOnly End)[] Plan =
    [
        (1, new(2014, 9, 1), new(2014, 11, 30)),
        (2, new(2014, 12, 1), new(2015, 2, 28)),
        (3, new(2015, 1, 5), new(2015, 3, 6)),
        (4, new(2015, 3, 9), new(2016, 2, 26)),
        (5, new(2016, 3, 1), new(2016, 4, 29)),
    ];

    private static readonly (int Phase, string Title, MilestoneKind Kind, string Due)[] Milestones =
    [
        (1, "Partnership agreement with the Border Guard Headquarters", MilestoneKind.Activity, "2014-10-31"),
        (2, "Analysis of the system of assistance for victims of trafficking, focused on voluntary return and reintegration", MilestoneKind.Deliverable, "2015-02-27"),
        (3, "Interactive Training Application: the mobile teaching aid used in the training sessions", MilestoneKind.Deliverable, "2015-03-06"),
        (4, "Pilot scheme of assisted voluntary return and reintegration for 13 victims from Bulgaria, Ukraine and Romania", MilestoneKind.Activity, "2016-01-29"),
        (5, "Final report to the Norway Grants programme operator", MilestoneKind.Deliverable, "2016-04-29"),
    ];

    private enum Audience
    {
        BorderGuard,
        LabourInspection,
        Judiciary,
    }

    // 13 courses for the Border Guard, 3 for the labour inspectorate, 2 for judges and prosecutors: 18 courses, 495 trained.
    private static readonly (Audience Audience, string City, string Venue)[] Courses =
    [
        (Audience.BorderGuard, "Koszalin", "Centralny Ośrodek Szkolenia Straży Granicznej"),
        (Audience.BorderGuard, "Kętrzyn", "Ośrodek Szkolenia Straży Granicznej"),
        (Audience.BorderGuard, "Lubań", "Ośrodek Szkoleń Specjalistycznych Straży Granicznej"),
        (Audience.BorderGuard, "Warszawa", "Komenda Główna Straży Granicznej"),
        (Audience.BorderGuard, "Chełm", "Nadbużański Oddział Straży Granicznej"),
        (Audience.BorderGuard, "Przemyśl", "Bieszczadzki Oddział Straży Granicznej"),
        (Audience.BorderGuard, "Białystok", "Podlaski Oddział Straży Granicznej"),
        (Audience.BorderGuard, "Gdańsk", "Morski Oddział Straży Granicznej"),
        (Audience.BorderGuard, "Krosno Odrzańskie", "Nadodrzański Oddział Straży Granicznej"),
        (Audience.BorderGuard, "Nowy Sącz", "Karpacki Oddział Straży Granicznej"),
        (Audience.BorderGuard, "Racibórz", "Śląski Oddział Straży Granicznej"),
        (Audience.BorderGuard, "Kętrzyn", "Warmińsko-Mazurski Oddział Straży Granicznej"),
        (Audience.BorderGuard, "Koszalin", "Centralny Ośrodek Szkolenia Straży Granicznej"),
        (Audience.LabourInspection, "Wrocław", "Ośrodek Szkolenia Państwowej Inspekcji Pracy"),
        (Audience.LabourInspection, "Wrocław", "Ośrodek Szkolenia Państwowej Inspekcji Pracy"),
        (Audience.LabourInspection, "Warszawa", "Główny Inspektorat Pracy"),
        (Audience.Judiciary, "Kraków", "Krajowa Szkoła Sądownictwa i Prokuratury"),
        (Audience.Judiciary, "Lublin", "Krajowa Szkoła Sądownictwa i Prokuratury, Ośrodek Szkolenia Ustawicznego"),
    ];

    private static readonly string[] FirstNames =
        ["Anna", "Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Paweł", "Magdalena", "Krzysztof", "Joanna", "Marcin", "Ewa", "Michał", "Małgorzata", "Łukasz", "Barbara", "Grzegorz"];

    private static readonly string[] LastNames =
        ["Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowska", "Zieliński", "Szymańska", "Woźniak", "Dąbrowski", "Kozłowska", "Jankowski", "Mazur", "Krawczyk", "Piotrowski", "Grabowska"];

    private static readonly (string FullName, string Organisation, OrganisationType Type, string Country)[] StudyVisitParticipants =
    [
        ("Joanna Kowalczyk", "International Organization for Migration, Poland", OrganisationType.InternationalOrganisation, "PL"),
        ("Marek Zieliński", "International Organization for Migration, Poland", OrganisationType.InternationalOrganisation, "PL"),
        ("Tomasz Wójcik", "Border Guard Headquarters", OrganisationType.LawEnforcement, "PL"),
        ("Agnieszka Mazur", "Border Guard Headquarters", OrganisationType.LawEnforcement, "PL"),
        ("Paweł Dąbrowski", "Nadbużański Border Guard Regional Unit", OrganisationType.LawEnforcement, "PL"),
        ("Ewa Lewandowska", "Ministry of the Interior and Administration", OrganisationType.Government, "PL"),
        ("Krzysztof Jankowski", "Ministry of the Interior and Administration", OrganisationType.Government, "PL"),
        ("Maria Ivanova", "National Commission for Combating Trafficking in Human Beings", OrganisationType.Government, "BG"),
        ("Georgi Petrov", "Border Police", OrganisationType.LawEnforcement, "BG"),
        ("Elena Dimitrova", "International Organization for Migration, Bulgaria", OrganisationType.InternationalOrganisation, "BG"),
        ("Desislava Georgieva", "Shelter for victims of trafficking, Sofia", OrganisationType.Ngo, "BG"),
        ("Nikolay Stoyanov", "Counselling centre for victims of trafficking, Varna", OrganisationType.Ngo, "BG"),
    ];

    private const string StudyVisitConclusions =
        "Representatives of the IOM, the Border Guard and the Ministry of the Interior and Administration shared their experience with " +
        "Bulgarian non-governmental organisations and their Bulgarian counterparts.\n" +
        "- Return and reintegration start before departure: the receiving organisation is contacted while the victim is still in Poland.\n" +
        "- Bulgarian shelters and counselling centres are the partners for victims returning from Poland; the referral contacts were exchanged.\n" +
        "- The pilot scheme of assisted voluntary return and reintegration (13 victims from Bulgaria, Ukraine and Romania) builds on these contacts.";

    public static void Seed(DbConnection db, DbTransaction transaction, DemoContext context)
    {
        var projectId = db.ExecuteScalar<long>(
            """
            INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained, beneficiaries, countries, status,
                                  budget_currency, budget_initial, budget_final, budget_granted, budget_note, local_titles)
            VALUES (@Code, @title, 'Norway Grants', '2014-09-01', '2016-04-30', @Trained, @beneficiaries, '["PL"]', 'completed',
                    'EUR', 338262, 306408, 255252, 'Initial and final project cost; the grant is from the Norway Grants (seed 003).',
                    '{"pl":"Współpraca i kompetencje kluczem do skutecznego zwalczania handlu ludźmi"}')
            RETURNING id
            """,
            new
            {
                Code,
                title = "Cooperation and competences as a key to efficiently combating trafficking in human beings",
                Trained,
                beneficiaries = System.Text.Json.JsonSerializer.Serialize(
                    new[] { "International Organisation for Migration (IOM) Poland", "Border Guard Headquarters" }),
            },
            transaction);

        var phaseIds = new Dictionary<int, long>();
        foreach (var (number, kind, name) in Phases.Standard)
        {
            var (_, start, end) = Plan[number - 1];
            phaseIds[number] = db.ExecuteScalar<long>(
                """
                INSERT INTO phases (project_id, number, kind, name, planned_start, planned_end, status)
                VALUES (@projectId, @number, @kind, @name, @start, @end, 'completed') RETURNING id
                """,
                new { projectId, number, kind = kind.ToWire(), name, start, end }, transaction);
        }

        db.Execute(
            "INSERT INTO milestones (phase_id, title, kind, due_date, completed_on) VALUES (@phaseId, @Title, @kind, @Due, @Due)",
            Milestones.Select(m => new { phaseId = phaseIds[m.Phase], m.Title, kind = m.Kind.ToWire(), m.Due }), transaction);

        var visit = db.ExecuteScalar<long>(
            """
            INSERT INTO meetings (project_id, phase_id, kind, title, topic, city, country_code, start_date, end_date, capacity, conclusions)
            VALUES (@projectId, @phaseId, 'studyVisit', @StudyVisit, 'Assisted voluntary return and reintegration of victims', 'Sofia', 'BG',
                    '2015-10-13', '2015-10-15', 15, @StudyVisitConclusions)
            RETURNING id
            """,
            new { projectId, phaseId = phaseIds[4], StudyVisit, StudyVisitConclusions }, transaction);
        db.Execute(
            """
            INSERT INTO meeting_attendees (meeting_id, full_name, organisation, organisation_type, country_code)
            VALUES (@visit, @FullName, @Organisation, @Type, @Country)
            """,
            StudyVisitParticipants.Select(a => new { visit, a.FullName, a.Organisation, Type = a.Type.ToWire(), a.Country }), transaction);
        db.Execute(
            """
            INSERT INTO milestones (phase_id, title, kind, due_date, meeting_id)
            VALUES (@phaseId, 'Study visit to Bulgaria: IOM, Border Guard and Ministry of the Interior with Bulgarian counterparts', 'meeting', '2015-10-15', @visit)
            """,
            new { phaseId = phaseIds[4], visit }, transaction);

        var lastCourse = SeedCourses(db, transaction, projectId);
        PolandEvaluationDemo.Seed(db, transaction, projectId, context.CoordinatorId, context.SteeringGroupId);
        db.Execute(
            """
            INSERT INTO milestones (phase_id, title, kind, due_date, course_id)
            VALUES (@phaseId, 'Training sessions for the Border Guard, the National Labour Inspectorate and judicial staff: 495 trained', 'activity',
                    (SELECT end_date FROM courses WHERE id = @lastCourse), @lastCourse)
            """,
            new { phaseId = phaseIds[4], lastCourse }, transaction);
        MilestoneLinks.SyncProgramme(db, transaction, projectId, DateOnly.FromDateTime(DateTime.UtcNow));
    }

    /// <summary>18 delivered two-day courses, every other week from March 2015; returns the last course's id.</summary>
    private static long SeedCourses(DbConnection db, DbTransaction transaction, long projectId)
    {
        var random = new Random(2015);
        long courseId = 0;
        for (var i = 0; i < Courses.Length; i++)
        {
            var (audience, city, venue) = Courses[i];
            // 9 courses of 27 trained and 9 of 28: 495; one or two more enrolled each, who missed a day and did not complete.
            var trained = i % 2 == 0 ? 27 : 28;
            var notCompleted = i % 3 == 0 ? 2 : 1;
            var start = new DateOnly(2015, 3, 16).AddDays(14 * i);
            courseId = db.ExecuteScalar<long>(
                """
                INSERT INTO courses (project_id, title, country_code, city, venue, language, start_date, end_date, min_participants,
                                     max_participants, completion_threshold, status)
                VALUES (@projectId, @title, 'PL', @city, @venue, 'pl', @start, @end, 20, 30, 0.8, 'draft')
                RETURNING id
                """,
                new { projectId, title = Title(audience, city, start), city, venue, start, end = start.AddDays(1) }, transaction);
            var sessionIds = new[]
            {
                db.ExecuteScalar<long>(
                    "INSERT INTO course_sessions (course_id, date, title, hours) VALUES (@courseId, @start, 'Dzień 1: formy handlu ludźmi i wskaźniki, z aplikacją szkoleniową', 7) RETURNING id",
                    new { courseId, start }, transaction),
                db.ExecuteScalar<long>(
                    "INSERT INTO course_sessions (course_id, date, title, hours) VALUES (@courseId, @date, 'Dzień 2: współpraca i pomoc, dobrowolny powrót i reintegracja', 6) RETURNING id",
                    new { courseId, date = start.AddDays(1) }, transaction),
            };

            var people = Enumerable.Range(0, trained + notCompleted).Select(n => new
            {
                fullName = FullName(FirstNames[random.Next(FirstNames.Length)], LastNames[random.Next(LastNames.Length)]),
                organisation = Organisation(audience, city),
                sector = SectorOf(audience).ToWire(),
                seniority = (random.NextDouble() < 0.3 ? Seniority.Senior : Seniority.Field).ToWire(),
            }).ToList();
            var participantIds = people.Select(p => db.ExecuteScalar<long>(
                """
                INSERT INTO participants (full_name, organisation, sector, country_code, seniority)
                VALUES (@fullName, @organisation, @sector, 'PL', @seniority) RETURNING id
                """,
                p, transaction)).ToList();
            db.Execute(
                "INSERT INTO enrolments (course_id, participant_id, status) VALUES (@courseId, @participantId, 'enrolled')",
                participantIds.Select(participantId => new { courseId, participantId }), transaction);
            db.Execute(
                "INSERT INTO attendance (session_id, participant_id, status) VALUES (@sessionId, @participantId, @status)",
                participantIds.SelectMany((participantId, n) => sessionIds.Select((sessionId, day) => new
                {
                    sessionId,
                    participantId,
                    // The last ones enrolled missed the second day: 1 of 2 sessions is below the 0.8 threshold.
                    status = n >= trained && day == 1 ? "absent" : random.NextDouble() < 0.08 ? "late" : "present",
                })),
                transaction);
            db.Execute("UPDATE courses SET status = 'delivered' WHERE id = @courseId", new { courseId }, transaction);
        }
        return courseId;
    }

    /// <summary>
    /// The course's title in its language (Polish: the certificates print it), with the city and dates, so that the programme's
    /// 18 course rows can be told apart (issue 25). The city is named after a colon, in the form it is stored in: no declension.
    /// </summary>
    private static string Title(Audience audience, string city, DateOnly start)
    {
        var topic = audience switch
        {
            Audience.BorderGuard => "Zapobieganie handlowi ludźmi i jego zwalczanie: szkolenie dla funkcjonariuszy Straży Granicznej",
            Audience.LabourInspection => "Identyfikacja ofiar pracy przymusowej: szkolenie dla inspektorów pracy",
            _ => "Handel ludźmi w postępowaniu karnym: szkolenie dla sędziów i prokuratorów",
        };
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{topic} ({city}, {start:dd}–{start.AddDays(1):dd.MM.yyyy})");
    }

    /// <summary>
    /// A Polish name with the surname in the form of the first name's gender: Anna Kowalska, Piotr Kowalski (-ski/-ska,
    /// -cki/-cka, -dzki/-dzka); surnames that are nouns (Nowak, Mazur) do not change. Polish women's first names end in -a.
    /// </summary>
    public static string FullName(string first, string last)
    {
        var woman = first.EndsWith('a');
        string[] adjectival = ["ski", "cki", "dzki"];
        foreach (var ending in adjectival)
        {
            var masculine = ending;
            var feminine = ending[..^1] + "a";
            if (woman && last.EndsWith(masculine, StringComparison.Ordinal))
            {
                return $"{first} {last[..^masculine.Length]}{feminine}";
            }

            if (!woman && last.EndsWith(feminine, StringComparison.Ordinal))
            {
                return $"{first} {last[..^feminine.Length]}{masculine}";
            }
        }

        return $"{first} {last}";
    }

    private static Sector SectorOf(Audience audience) => audience switch
    {
        Audience.BorderGuard => Sector.BorderGuard,
        Audience.LabourInspection => Sector.LabourInspection,
        _ => Sector.Judiciary,
    };

    private static string Organisation(Audience audience, string city) => audience switch
    {
        Audience.BorderGuard => "Straż Graniczna",
        Audience.LabourInspection => $"Państwowa Inspekcja Pracy, Okręgowy Inspektorat Pracy ({city})",
        _ => $"Sąd Okręgowy / Prokuratura Okręgowa ({city})",
    };
}
