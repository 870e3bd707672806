using System.Data.Common;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Answering;
using JointEfforts.Api.Evaluations.Codes;

namespace JointEfforts.Api.Demo;

/// <summary>
/// The Poland programme's evaluation (issue 25): a Polish reaction form, one batch of codes per delivered course, answers from most
/// participants through the same anonymous storage as the API (<see cref="AnswerStore"/>: a reaction keeps no code, dates only), and
/// an evaluation report per course. The programme is completed (2016): every course's report was accepted by the steering group, so
/// every course is evaluated and its results released (Evaluations/Figures/Release), and nothing of it waits in the steering group's
/// queue of submitted reports.
/// The programme ran no before/after knowledge tests (the record names none), so it has no test figures. Illustrative: the answers and
/// the report texts (the record says the trainings took place, not how they were rated). The reports were entered by the coordinator:
/// the programme has no country expert of its own in the demo.
/// </summary>
public static class PolandEvaluationDemo
{
    /// <summary>How many of the 18 courses (in date order) are evaluated, their reports accepted: all of a completed programme.</summary>
    public const int Evaluated = 18;

    public static void Seed(DbConnection db, DbTransaction transaction, long projectId, long coordinatorId, long steeringGroupId) =>
        SeedAsync(db, transaction, projectId, coordinatorId, steeringGroupId).GetAwaiter().GetResult();

    private static async Task SeedAsync(DbConnection db, DbTransaction transaction, long projectId, long coordinatorId, long steeringGroupId)
    {
        var random = new Random(2015_03);
        var formId = await EvaluationForms.InsertAsync(db, transaction, ReactionForm());
        await db.ExecuteAsync(
            "UPDATE courses SET evaluation_form_id = @formId WHERE project_id = @projectId AND evaluation_form_id IS NULL",
            new { formId, projectId }, transaction);
        var courses = (await db.QueryAsync<(long Id, string StartDate, string EndDate)>(
            "SELECT id, start_date, end_date FROM courses WHERE project_id = @projectId AND status = 'delivered' ORDER BY start_date, id",
            new { projectId }, transaction)).ToList();

        for (var i = 0; i < courses.Count; i++)
        {
            var (courseId, startText, endText) = courses[i];
            var start = DateOnly.Parse(startText, System.Globalization.CultureInfo.InvariantCulture);
            var end = DateOnly.Parse(endText, System.Globalization.CultureInfo.InvariantCulture);
            await CodeBatchesApi.IssueBatchAsync(
                db, transaction, (int)courseId, count: null, start, () => EvaluationCodes.Create(random.Next), random.Next);
            var enrolled = await db.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM enrolments WHERE course_id = @courseId AND status = 'enrolled'", new { courseId }, transaction);
            var codes = (await db.QueryAsync<long>(
                "SELECT id FROM evaluation_codes WHERE course_id = @courseId ORDER BY code", new { courseId }, transaction)).Take(enrolled).ToList();
            foreach (var codeId in codes.Where(_ => random.NextDouble() < 0.88))
            {
                var answers = Answers(random).ToDictionary(a => a.Key, a => JsonSerializer.SerializeToElement(a.Value));
                var recorded = await AnswerStore.RecordAsync(
                    db, transaction, (int)courseId, formId, EvaluationPurpose.Reaction, ResponseSource.Online, (int)codeId, "pl", answers, end);
                if (recorded is not AnswerOutcome.Stored)
                {
                    throw new InvalidOperationException($"Polish demo answers for course {courseId} do not fit form {formId}: {recorded}");
                }
            }

            var state = i < Evaluated ? "accepted" : i % 2 == 0 ? "submitted" : "draft";
            await ReportAsync(db, transaction, courseId, end, state, coordinatorId, steeringGroupId);
            if (state == "accepted")
            {
                await db.ExecuteAsync("UPDATE courses SET status = 'evaluated' WHERE id = @courseId", new { courseId }, transaction);
            }
        }
    }

    private static Dictionary<string, object> Answers(Random random)
    {
        int Likert(double mood)
        {
            var roll = random.NextDouble() + mood;
            return roll switch { < 0.02 => 1, < 0.07 => 2, < 0.25 => 3, < 0.68 => 4, _ => 5 };
        }

        var mood = (random.NextDouble() - 0.5) * 0.2;
        var answers = new Dictionary<string, object>
        {
            ["relevance"] = Likert(mood + 0.06),
            ["trainers"] = Likert(mood + 0.08),
            ["materials"] = Likert(mood + 0.02),
            ["organisation"] = Likert(mood),
            ["overall"] = Likert(mood + 0.04),
        };
        var apply = random.NextDouble();
        answers["apply"] = apply < 0.7 ? "yes" : apply < 0.93 ? "partly" : "no";
        if (random.NextDouble() < 0.35)
        {
            answers["comments"] = Comments[random.Next(Comments.Length)];
        }

        return answers;
    }

    private static readonly string[] Comments =
    [
        "Więcej czasu na studia przypadków.",
        "Aplikacja szkoleniowa była najbardziej przydatną częścią szkolenia.",
        "Warto zaprosić przedstawicieli organizacji pozarządowych.",
    ];

    private static async Task ReportAsync(
        DbConnection db, DbTransaction transaction, long courseId, DateOnly end, string state, long coordinatorId, long steeringGroupId)
    {
        var attended = await db.ExecuteScalarAsync<int>(
            "SELECT COALESCE(SUM(completed), 0) FROM enrolment_completion WHERE course_id = @courseId", new { courseId }, transaction);
        var submitted = end.AddDays(14).ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc);
        var accepted = submitted.AddDays(10);
        await db.ExecuteAsync(
            """
            INSERT INTO evaluation_reports (course_id, delivered_on, participants_attended, summary, strengths, weaknesses, recommendations,
                                            overall_rating, state, submitted_at, submitted_by, accepted_at, accepted_by, updated_at)
            VALUES (@courseId, @end, @attended, @summary, @strengths, @weaknesses, @recommendations, 4, @dbState,
                    @submittedAt, @submittedBy, @acceptedAt, @acceptedBy, @updatedAt)
            """,
            new
            {
                courseId,
                end,
                attended,
                summary = "Two days with the interactive training application: forms and indicators of trafficking on the first day, " +
                          "cooperation, assistance and assisted voluntary return and reintegration on the second.",
                strengths = "The interactive training application kept the group working on cases; officers from several units met " +
                            "colleagues they refer victims to.",
                weaknesses = "Little time for the cases of labour exploitation; no NGO trainer in the room.",
                recommendations = JsonSerializer.Serialize(new[]
                {
                    "Invite an NGO that assists victims to the second day.",
                    "Add a case of labour exploitation to the training application.",
                }),
                dbState = state,
                submittedAt = state is "submitted" or "accepted" ? Stamp(submitted) : null,
                submittedBy = state is "submitted" or "accepted" ? coordinatorId : (long?)null,
                acceptedAt = state == "accepted" ? Stamp(accepted) : null,
                acceptedBy = state == "accepted" ? steeringGroupId : (long?)null,
                updatedAt = Stamp(state == "accepted" ? accepted : submitted),
            },
            transaction);
    }

    private static string Stamp(DateTime utc) => Infrastructure.Database.Timestamp(utc);

    private static Dictionary<string, string> Pl(string text) => new() { ["pl"] = text };

    private static QuestionRequest Likert(string key, string text) =>
        new(key, QuestionType.Likert5, KirkpatrickLevel.Reaction, true, Pl(text), null, null, null);

    private static EvaluationFormRequest ReactionForm() => new(
        "Ocena szkolenia: reakcja uczestników (PL15-0032)",
        EvaluationPurpose.Reaction,
        ["pl"],
        [
            Likert("relevance", "Szkolenie było przydatne w mojej codziennej pracy."),
            Likert("trainers", "Trenerzy byli kompetentni i angażowali grupę."),
            Likert("materials", "Materiały szkoleniowe (aplikacja szkoleniowa, podręcznik) były przydatne."),
            Likert("organisation", "Szkolenie było dobrze zorganizowane (miejsce, harmonogram)."),
            Likert("overall", "Ogólnie jestem zadowolony/zadowolona ze szkolenia."),
            new QuestionRequest("apply", QuestionType.SingleChoice, KirkpatrickLevel.Behaviour, true,
                Pl("Czy wykorzystasz zdobytą wiedzę we współpracy z innymi służbami i organizacjami pozarządowymi?"),
                [new OptionRequest("yes", Pl("Tak")), new OptionRequest("partly", Pl("Częściowo")), new OptionRequest("no", Pl("Nie"))],
                null, null),
            new QuestionRequest("comments", QuestionType.Text, KirkpatrickLevel.Reaction, false,
                Pl("Co należałoby poprawić w tym szkoleniu?"), null, null, null),
        ]);
}
