using System.Data.Common;
using System.Text;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Demo;

/// <summary>Demo data: the six pilot courses, their sessions, participants, enrolments and attendance (issue: pilot courses).</summary>
public static class CourseDemo
{
    /// <summary>Phase 4 (April to December 2013): four courses delivered, one closed, one open with a waitlist. Names are fictitious.</summary>
    private static readonly IReadOnlyDictionary<string, CoursePlan> Plans = new Dictionary<string, CoursePlan>
    {
        ["AT"] = new(new(2013, 4, 22), 3, 32, 40, CourseStatus.Delivered, "Bundeskriminalamt",
            ["Anna", "Thomas", "Katharina", "Michael", "Sabine", "Stefan", "Julia", "Markus", "Elisabeth", "Andreas"],
            ["Huber", "Gruber", "Wagner", "Bauer", "Pichler", "Steiner", "Moser", "Mayer", "Hofer", "Leitner"]),
        ["NL"] = new(new(2013, 5, 27), 3, 28, 40, CourseStatus.Delivered, "Nationale Politie",
            ["Sanne", "Jan", "Eva", "Pieter", "Lotte", "Bram", "Femke", "Daan", "Anouk", "Joost"],
            ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vermeulen"]),
        ["AL"] = new(new(2013, 6, 17), 2, 35, 40, CourseStatus.Delivered, "Policia e Shtetit",
            ["Besnik", "Elira", "Arben", "Mimoza", "Gentian", "Blerina", "Ilir", "Anila", "Dritan", "Eriona"],
            ["Hoxha", "Shehu", "Krasniqi", "Dervishi", "Leka", "Basha", "Kola", "Gjoka", "Prifti", "Hysa"]),
        ["MD"] = new(new(2013, 9, 23), 3, 30, 40, CourseStatus.Delivered, "Inspectoratul General al Poliției",
            ["Ion", "Maria", "Vasile", "Elena", "Andrei", "Natalia", "Sergiu", "Tatiana", "Victor", "Olga"],
            ["Rusu", "Ceban", "Popa", "Lungu", "Munteanu", "Cojocaru", "Rotaru", "Ciobanu", "Turcanu", "Sirbu"]),
        ["GB"] = new(new(2013, 10, 21), 2, 27, 40, CourseStatus.Closed, "Metropolitan Police Service",
            ["Oliver", "Amelia", "James", "Sophie", "Harry", "Emily", "George", "Charlotte", "Jack", "Hannah"],
            ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts", "Walker"]),
        ["SE"] = new(new(2013, 11, 18), 3, 33, 30, CourseStatus.Open, "Polismyndigheten",
            ["Erik", "Karin", "Lars", "Anna", "Johan", "Maria", "Anders", "Eva", "Per", "Kristina"],
            ["Lindqvist", "Nilsson", "Johansson", "Andersson", "Karlsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson"]),
    };

    /// <summary>The mixed audience of the pilots: law enforcement, border guards, health, NGOs, judiciary, labour inspection, social services.</summary>
    private static readonly (Sector Sector, int Weight, string Organisation)[] SectorMix =
    [
        (Sector.LawEnforcement, 26, ""),
        (Sector.BorderGuard, 14, "Border and Migration Police"),
        (Sector.Health, 20, "University Hospital, emergency department"),
        (Sector.Ngo, 16, "Shelter for victims of trafficking"),
        (Sector.Judiciary, 10, "Public Prosecutor's Office"),
        (Sector.LabourInspection, 7, "Labour Inspectorate"),
        (Sector.SocialServices, 7, "Municipal social services"),
    ];

    private static readonly string[] Modules =
    [
        "Identifying victims: indicators across forms of exploitation",
        "Health and mental health needs of trafficked persons",
        "Cooperation, referral and support before, during and after proceedings",
    ];

    public static void Seed(DbConnection db, DbTransaction transaction, DemoContext context)
    {
        var random = new Random(2013);
        foreach (var (country, language, city) in DemoSeed.PilotCountries)
        {
            var plan = Plans[country];
            var end = plan.Start.AddDays(plan.Sessions - 1);
            var courseId = db.ExecuteScalar<long>(
                """
                INSERT INTO courses (project_id, title, country_code, city, venue, language, start_date, end_date, min_participants,
                                     max_participants, country_expert_user_id, completion_threshold, status)
                VALUES (@ProjectId, @title, @country, @city, @venue, @language, @start, @end, 25, @max, @expert, 0.8, 'draft')
                RETURNING id
                """,
                new
                {
                    context.ProjectId,
                    title = $"Joint efforts pilot training {city}: protecting and assisting victims of trafficking",
                    country,
                    city,
                    venue = $"{plan.Police} training centre, {city}",
                    language,
                    start = plan.Start,
                    end,
                    max = plan.Max,
                    expert = context.ExpertIds[country],
                },
                transaction);

            var sessionIds = Enumerable.Range(0, plan.Sessions)
                .Select(day => db.ExecuteScalar<long>(
                    "INSERT INTO course_sessions (course_id, date, title, hours) VALUES (@courseId, @date, @title, @hours) RETURNING id",
                    new
                    {
                        courseId,
                        date = plan.Start.AddDays(day),
                        title = $"Day {day + 1}: {Modules[plan.Sessions == 2 && day == 1 ? 2 : day]}",
                        hours = day == plan.Sessions - 1 ? 6.0 : 7.5,
                    },
                    transaction))
                .ToList();

            var participantIds = new List<long>();
            for (var i = 0; i < plan.Participants; i++)
            {
                var first = plan.FirstNames[i % plan.FirstNames.Length];
                var last = plan.LastNames[(i * 3 + i / plan.LastNames.Length) % plan.LastNames.Length];
                var (sector, organisation) = PickSector(random, plan.Police, city);
                participantIds.Add(db.ExecuteScalar<long>(
                    """
                    INSERT INTO participants (full_name, email, organisation, sector, country_code, seniority)
                    VALUES (@fullName, @email, @organisation, @sector, @country, @seniority) RETURNING id
                    """,
                    new
                    {
                        fullName = $"{first} {last}",
                        email = random.NextDouble() < 0.75 ? $"{Ascii(first)}.{Ascii(last)}.{i + 1}@example.org" : null,
                        organisation,
                        sector = sector.ToWire(),
                        country,
                        seniority = (random.NextDouble() < 0.35 ? Seniority.Senior : Seniority.Field).ToWire(),
                    },
                    transaction));
            }

            // Enrolments in arrival order: the first maxParticipants take the seats, the rest wait.
            db.Execute(
                "INSERT INTO enrolments (course_id, participant_id, status) VALUES (@courseId, @participantId, @status)",
                participantIds.Select((participantId, i) => new { courseId, participantId, status = i < plan.Max ? "enrolled" : "waitlisted" }),
                transaction);

            if (plan.Status == CourseStatus.Delivered)
            {
                db.Execute(
                    "INSERT INTO attendance (session_id, participant_id, status, recorded_by) VALUES (@sessionId, @participantId, @status, @expert)",
                    Register(random, sessionIds, participantIds, context.ExpertIds[country]),
                    transaction);
            }

            db.Execute("UPDATE courses SET status = @status WHERE id = @courseId", new { courseId, status = plan.Status.ToWire() }, transaction);
        }

        // Each pilot's milestone ("Pilot course Austria (Vienna)") stands for its course: due on its last day, completed by its delivery.
        db.Execute(
            """
            UPDATE milestones SET course_id = c.id, due_date = c.end_date
            FROM courses c
            WHERE c.project_id = @ProjectId AND milestones.phase_id = @phase
              AND milestones.title LIKE 'Pilot course %' AND milestones.title LIKE '%(' || c.city || ')'
            """,
            new { context.ProjectId, phase = context.PhaseIds[4] }, transaction);
    }

    /// <summary>Most attend every session (some late); about one in eight misses one, absent or excused, and does not complete.</summary>
    private static IEnumerable<object> Register(Random random, List<long> sessionIds, List<long> participantIds, long expert)
    {
        var register = new List<object>();
        foreach (var participantId in participantIds)
        {
            var missed = random.NextDouble() < 0.12 ? random.Next(sessionIds.Count) : -1;
            for (var s = 0; s < sessionIds.Count; s++)
            {
                var status = s == missed
                    ? (random.NextDouble() < 0.5 ? AttendanceStatus.Excused : AttendanceStatus.Absent)
                    : (random.NextDouble() < 0.1 ? AttendanceStatus.Late : AttendanceStatus.Present);
                register.Add(new { sessionId = sessionIds[s], participantId, status = status.ToWire(), expert });
            }
        }

        return register;
    }

    private static (Sector, string) PickSector(Random random, string police, string city)
    {
        var roll = random.Next(SectorMix.Sum(s => s.Weight));
        foreach (var (sector, weight, organisation) in SectorMix)
        {
            if (roll < weight)
            {
                return (sector, sector == Sector.LawEnforcement ? police : $"{organisation}, {city}");
            }

            roll -= weight;
        }

        return (Sector.Other, city);
    }

    private static string Ascii(string name)
    {
        var ascii = new StringBuilder();
        foreach (var ch in name.ToLowerInvariant())
        {
            ascii.Append(ch switch
            {
                'ș' or 'ş' => "s",
                'ț' or 'ţ' => "t",
                'ă' or 'â' or 'ä' or 'å' => "a",
                'î' => "i",
                'ë' or 'é' => "e",
                'ç' => "c",
                'ö' => "o",
                'ü' => "u",
                ' ' => "",
                _ when char.IsAsciiLetter(ch) => ch.ToString(),
                _ => "",
            });
        }

        return ascii.ToString();
    }

    private sealed record CoursePlan(
        DateOnly Start, int Sessions, int Participants, int Max, CourseStatus Status, string Police, string[] FirstNames, string[] LastNames);
}
