using System.Globalization;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Benchmarks;

/// <summary>
/// A programme at the size the steering group must still be served at: 500 courses in six countries, 40
/// participants each (20,000), 5 sessions (100,000 attendance rows), every participant answering a 30-question
/// reaction form (20,000 responses, 600,000 answers) and a pre- and post-test (40,000 scored responses); at
/// scale N, N times the courses, each of the same shape. Deterministic (seeded), inserted with prepared commands
/// in one transaction.
/// </summary>
internal static class Programme
{
    /// <summary>Courses at scale 1; scale N has N times as many.</summary>
    public const int CoursesPerScale = 500;
    public const int ParticipantsPerCourse = 40;
    public const int SessionsPerCourse = 5;
    public const int AnswersPerResponse = 30;

    private static readonly (string Country, string Language)[] Countries =
        [("AT", "de"), ("NL", "nl"), ("AL", "sq"), ("MD", "ro"), ("GB", "en"), ("SE", "sv")];

    private static readonly string[] Sectors =
        ["lawEnforcement", "borderGuard", "judiciary", "health", "ngo", "labourInspection", "socialServices", "prison", "other"];

    /// <summary>The repository's sql/ folder, found upwards from the binary: the real migrations, not a copy.</summary>
    public static string FindSqlDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "sql");
            if (File.Exists(Path.Combine(candidate, "0001_initial.sql")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("sql/0001_initial.sql not found above " + AppContext.BaseDirectory);
    }

    public static string Generate(Database database, int scale = 1)
    {
        var courses = CoursesPerScale * scale;
        var random = new Random(20130601);
        using var db = (SqliteConnection)database.Open(); // the generator writes SQLite files only
        using (var pragmas = db.CreateCommand())
        {
            // Generation only; the measured reads use the API's own connection settings.
            pragmas.CommandText = "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;";
            pragmas.ExecuteNonQuery();
        }

        using var transaction = db.BeginTransaction();
        var projectId = Scalar(db, transaction,
            $"""
            INSERT INTO projects (code, title, funding_programme, start_date, end_date, target_participants_trained)
            VALUES ('BENCH', 'Benchmark programme', 'EU ISEC', '2011-10-20', '2014-03-20', {16000 * scale}) RETURNING id
            """);
        var phaseIds = new List<long>();
        string[] kinds = ["planning", "preparation", "development", "testingAndImplementation", "evaluationAndConclusions"];
        for (var n = 1; n <= 5; n++)
        {
            phaseIds.Add(Scalar(db, transaction,
                $"INSERT INTO phases (project_id, number, kind, name, status) VALUES ({projectId}, {n}, '{kinds[n - 1]}', 'Phase {n}', 'inProgress') RETURNING id"));
        }

        using var milestone = Prepare(db, transaction,
            "INSERT INTO milestones (phase_id, title, kind, due_date, completed_on) VALUES ($phase, $title, 'deliverable', $due, $done)",
            "$phase", "$title", "$due", "$done");
        foreach (var phase in phaseIds)
        {
            for (var m = 0; m < 8; m++)
            {
                var due = new DateOnly(2012, 1, 1).AddDays(random.Next(0, 800));
                Run(milestone, phase, $"Milestone {m}", Date(due), random.Next(3) == 0 ? null : Date(due.AddDays(random.Next(-10, 20))));
            }
        }

        var reactionForm = ReactionForm(db, transaction);
        var preForm = Scalar(db, transaction, "INSERT INTO evaluation_forms (title, purpose, languages) VALUES ('Pre-test', 'preTest', '[\"en\"]') RETURNING id");
        var postForm = Scalar(db, transaction, "INSERT INTO evaluation_forms (title, purpose, languages) VALUES ('Post-test', 'postTest', '[\"en\"]') RETURNING id");

        using var course = Prepare(db, transaction,
            """
            INSERT INTO courses (project_id, title, country_code, city, language, start_date, end_date, status,
                                 evaluation_form_id, pre_test_form_id, post_test_form_id)
            VALUES ($project, $title, $country, 'City', $language, $start, $end, $status, $form, $pre, $post) RETURNING id
            """,
            "$project", "$title", "$country", "$language", "$start", "$end", "$status", "$form", "$pre", "$post");
        using var session = Prepare(db, transaction,
            "INSERT INTO course_sessions (course_id, date, title, hours) VALUES ($course, $date, $title, 3.5) RETURNING id",
            "$course", "$date", "$title");
        using var participant = Prepare(db, transaction,
            """
            INSERT INTO participants (full_name, email, organisation, sector, country_code, seniority)
            VALUES ($name, $email, 'Organisation', $sector, $country, 'field') RETURNING id
            """,
            "$name", "$email", "$sector", "$country");
        using var enrolment = Prepare(db, transaction,
            "INSERT INTO enrolments (course_id, participant_id, status) VALUES ($course, $participant, 'enrolled')",
            "$course", "$participant");
        using var attendance = Prepare(db, transaction,
            "INSERT INTO attendance (session_id, participant_id, status) VALUES ($session, $participant, $status)",
            "$session", "$participant", "$status");
        using var code = Prepare(db, transaction,
            "INSERT INTO evaluation_codes (course_id, code) VALUES ($course, $code) RETURNING id", "$course", "$code");
        using var response = Prepare(db, transaction,
            """
            INSERT INTO evaluation_responses (course_id, form_id, purpose, code_id, source, language, score)
            VALUES ($course, $form, $purpose, $code, 'online', 'en', $score) RETURNING id
            """,
            "$course", "$form", "$purpose", "$code", "$score");
        using var answer = Prepare(db, transaction,
            "INSERT INTO evaluation_answers (response_id, question_key, option_value, number_value, text_value) VALUES ($response, $key, $option, $number, $text)",
            "$response", "$key", "$option", "$number", "$text");
        using var report = Prepare(db, transaction,
            "INSERT INTO evaluation_reports (course_id, overall_rating, state) VALUES ($course, $rating, $state)",
            "$course", "$rating", "$state");

        long answers = 0, attendanceRows = 0;
        string[] statuses = ["draft", "open", "closed", "delivered", "evaluated", "evaluated", "evaluated"];
        string[] states = ["draft", "submitted", "accepted", "accepted"];
        for (var c = 0; c < courses; c++)
        {
            var (country, language) = Countries[c % Countries.Length];
            var start = new DateOnly(2013, 4, 1).AddDays(c % 200);
            var courseId = Convert.ToInt64(Scalar(course, projectId, $"Pilot course {c + 1}", country, language, Date(start),
                Date(start.AddDays(SessionsPerCourse - 1)), statuses[c % statuses.Length], reactionForm, preForm, postForm), CultureInfo.InvariantCulture);
            var sessions = Enumerable.Range(0, SessionsPerCourse)
                .Select(s => Convert.ToInt64(Scalar(session, courseId, Date(start.AddDays(s)), $"Day {s + 1}"), CultureInfo.InvariantCulture))
                .ToArray();
            for (var p = 0; p < ParticipantsPerCourse; p++)
            {
                var name = $"Participant {c}-{p}";
                var participantId = Convert.ToInt64(Scalar(participant, name, $"p{c}.{p}@example.org",
                    Sectors[random.Next(Sectors.Length)], country), CultureInfo.InvariantCulture);
                Run(enrolment, courseId, participantId);
                foreach (var s in sessions)
                {
                    var roll = random.Next(100);
                    Run(attendance, s, participantId, roll < 80 ? "present" : roll < 88 ? "late" : roll < 94 ? "excused" : "absent");
                    attendanceRows++;
                }

                var codeId = Convert.ToInt64(Scalar(code, courseId, $"B{c:D3}-{p:D2}-{random.Next():X8}"), CultureInfo.InvariantCulture);
                var pre = Math.Round(random.NextDouble() * 0.6, 2);
                Run(response, courseId, preForm, "preTest", codeId, pre);
                Run(response, courseId, postForm, "postTest", codeId, Math.Min(1.0, pre + Math.Round(random.NextDouble() * 0.4, 2)));
                var responseId = Convert.ToInt64(Scalar(response, courseId, reactionForm, "reaction", codeId, null), CultureInfo.InvariantCulture);
                for (var q = 0; q < AnswersPerResponse; q++)
                {
                    var (key, type) = Questions[q];
                    switch (type)
                    {
                        case "likert5":
                            Run(answer, responseId, key, null, (double)random.Next(1, 6), null);
                            break;
                        case "singleChoice":
                            Run(answer, responseId, key, "option" + random.Next(1, 5), null, null);
                            break;
                        case "number":
                            Run(answer, responseId, key, null, (double)random.Next(0, 30), null);
                            break;
                        default:
                            Run(answer, responseId, key, null, null, $"Comment {c}-{p}-{q}: the case studies were the most useful part.");
                            break;
                    }

                    answers++;
                }
            }

            Run(report, courseId, random.Next(1, 6), states[c % states.Length]);
        }

        for (var m = 0; m < 12; m++)
        {
            var meetingId = Scalar(db, transaction,
                $"INSERT INTO meetings (project_id, kind, title, city, country_code, start_date, end_date) VALUES ({projectId}, 'steeringGroup', 'Meeting {m}', 'Antwerp', 'BE', '2012-0{1 + (m % 9)}-10', '2012-0{1 + (m % 9)}-10') RETURNING id");
            string[] recommendationStatuses = ["open", "inProgress", "implemented", "dropped"];
            for (var r = 0; r < 4; r++)
            {
                Scalar(db, transaction,
                    $"INSERT INTO recommendations (meeting_id, text, status, due_date) VALUES ({meetingId}, 'Recommendation {m}.{r}', '{recommendationStatuses[(m + r) % 4]}', '2013-0{1 + r}-01') RETURNING id");
            }
        }

        // No ANALYZE: the API never runs it, so the planner works here as it will in production.
        transaction.Commit();
        using (var restore = db.CreateCommand())
        {
            // Database keeps the connection open for its next user: give it back with the API's settings.
            restore.CommandText = "PRAGMA synchronous = FULL; PRAGMA cache_size = -2000;";
            restore.ExecuteNonQuery();
        }


        return $"{courses} courses, {courses * ParticipantsPerCourse} participants, {attendanceRows} attendance rows, " +
               $"{courses * ParticipantsPerCourse * 3} responses, {answers} answers";
    }

    /// <summary>30 questions, one answer row each: overall + 21 likert, 4 single choice, 2 numbers, 2 texts.</summary>
    private static readonly (string Key, string Type)[] Questions =
    [
        ("overall", "likert5"),
        .. Enumerable.Range(1, 21).Select(i => ($"likert{i}", "likert5")),
        .. Enumerable.Range(1, 4).Select(i => ($"choice{i}", "singleChoice")),
        ("hoursPerWeek", "number"), ("yearsInService", "number"),
        ("improve", "text"), ("comments", "text"),
    ];

    private static long ReactionForm(SqliteConnection db, SqliteTransaction transaction)
    {
        var formId = Scalar(db, transaction,
            "INSERT INTO evaluation_forms (title, purpose, languages) VALUES ('Reaction', 'reaction', '[\"en\",\"de\",\"nl\",\"sq\",\"ro\",\"sv\"]') RETURNING id");
        using var question = Prepare(db, transaction,
            """
            INSERT INTO form_questions (form_id, position, question_key, type, level, texts, options)
            VALUES ($form, $position, $key, $type, 'reaction', $texts, $options)
            """,
            "$form", "$position", "$key", "$type", "$texts", "$options");
        for (var q = 0; q < Questions.Length; q++)
        {
            var (key, type) = Questions[q];
            var texts = JsonSerializer.Serialize(Countries.Select(c => c.Language).Distinct()
                .ToDictionary(l => l, l => $"[{l}] Question {q + 1} ({key})"));
            var options = type == "singleChoice"
                ? JsonSerializer.Serialize(Enumerable.Range(1, 4).Select(o => new { value = $"option{o}", text = new { en = $"Option {o}" } }))
                : null;
            Run(question, formId, q + 1, key, type, texts, options);
        }

        return formId;
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long Scalar(SqliteConnection db, SqliteTransaction transaction, string sql)
    {
        using var command = db.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Prepare(SqliteConnection db, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = db.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Bind(SqliteCommand command, object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        Bind(command, values);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteCommand command, params object?[] values)
    {
        Bind(command, values);
        return command.ExecuteScalar();
    }
}
