using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Courses;

/// <summary>What a course's body refers to (country expert, forms, programme, its own sessions), checked on create and update.</summary>
internal static class CourseReferences
{
    private static readonly DialectSql ReferencesSql = new(
            """
            SELECT
              @expert IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = @expert AND role = 'countryExpert' AND country_code = @country AND deleted_at IS NULL) AS Expert,
              @evaluation IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms WHERE id = @evaluation AND purpose = 'reaction') AS Evaluation,
              @preTest IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms WHERE id = @preTest AND purpose = 'preTest') AS PreTest,
              @postTest IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms WHERE id = @postTest AND purpose = 'postTest') AS PostTest,
              @evaluation IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms f, json_each(f.languages) l
                                             WHERE f.id = @evaluation AND lower(l.value) = lower(@language)) AS EvaluationInLanguage,
              @preTest IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms f, json_each(f.languages) l
                                          WHERE f.id = @preTest AND lower(l.value) = lower(@language)) AS PreTestInLanguage,
              @postTest IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms f, json_each(f.languages) l
                                           WHERE f.id = @postTest AND lower(l.value) = lower(@language)) AS PostTestInLanguage,
              (SELECT start_date FROM projects WHERE id = @projectId) AS ProgrammeStart,
              (SELECT end_date FROM projects WHERE id = @projectId) AS ProgrammeEnd,
              (SELECT MIN(date) FROM course_sessions WHERE course_id = @courseId) AS FirstSession,
              (SELECT MAX(date) FROM course_sessions WHERE course_id = @courseId) AS LastSession
            """,
            """
            SELECT
              @expert IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = @expert AND role = 'countryExpert' AND country_code = @country AND deleted_at IS NULL) AS Expert,
              @evaluation IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms WHERE id = @evaluation AND purpose = 'reaction') AS Evaluation,
              @preTest IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms WHERE id = @preTest AND purpose = 'preTest') AS PreTest,
              @postTest IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms WHERE id = @postTest AND purpose = 'postTest') AS PostTest,
              @evaluation IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms f, jsonb_array_elements_text(CAST(f.languages AS jsonb)) AS l(value)
                                             WHERE f.id = @evaluation AND lower(l.value) = lower(@language)) AS EvaluationInLanguage,
              @preTest IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms f, jsonb_array_elements_text(CAST(f.languages AS jsonb)) AS l(value)
                                          WHERE f.id = @preTest AND lower(l.value) = lower(@language)) AS PreTestInLanguage,
              @postTest IS NULL OR EXISTS (SELECT 1 FROM evaluation_forms f, jsonb_array_elements_text(CAST(f.languages AS jsonb)) AS l(value)
                                           WHERE f.id = @postTest AND lower(l.value) = lower(@language)) AS PostTestInLanguage,
              (SELECT start_date FROM projects WHERE id = @projectId) AS ProgrammeStart,
              (SELECT end_date FROM projects WHERE id = @projectId) AS ProgrammeEnd,
              (SELECT MIN(date) FROM course_sessions WHERE course_id = @courseId) AS FirstSession,
              (SELECT MAX(date) FROM course_sessions WHERE course_id = @courseId) AS LastSession
            """);

    /// <summary>
    /// The references a course makes and its dates, checked against the database: each failure names its field. Forms
    /// must exist with the right purpose and be available in the course's language (a Polish course cannot take an
    /// English-only form: its participants would get questions they cannot read); the course lies within its programme;
    /// an existing course keeps its sessions within its dates.
    /// </summary>
    internal static async Task<Dictionary<string, string[]>> CheckAsync(
        DbConnection db, DbTransaction transaction, int projectId, int? courseId, CourseRequest request)
    {
        var found = await db.QuerySingleAsync<References>(
            db.Sql(ReferencesSql),
            new
            {
                expert = request.CountryExpertUserId,
                country = request.CountryCode,
                evaluation = request.EvaluationFormId,
                preTest = request.PreTestFormId,
                postTest = request.PostTestFormId,
                language = request.Language,
                projectId,
                courseId,
            },
            transaction);
        var errors = new Dictionary<string, string[]>();
        bool OutsideProgramme(DateOnly? date) => date < found.ProgrammeStart || date > found.ProgrammeEnd;
        var programme = $"the programme runs from {found.ProgrammeStart:yyyy-MM-dd} to {found.ProgrammeEnd:yyyy-MM-dd}";
        if (OutsideProgramme(request.StartDate))
        {
            errors["startDate"] = [$"A course lies within its programme: {programme}."];
        }
        else if (found.FirstSession is { } first && request.StartDate > first)
        {
            errors["startDate"] = [$"The course has a session on {first:yyyy-MM-dd}: it cannot start after it. Move or delete that session first."];
        }

        if (OutsideProgramme(request.EndDate))
        {
            errors["endDate"] = [$"A course lies within its programme: {programme}."];
        }
        else if (found.LastSession is { } last && request.EndDate < last)
        {
            errors["endDate"] = [$"The course has a session on {last:yyyy-MM-dd}: it cannot end before it. Move or delete that session first."];
        }

        if (found.Evaluation && !found.EvaluationInLanguage)
        {
            errors["evaluationFormId"] = [$"Evaluation form {request.EvaluationFormId} is not available in the course's language '{request.Language}': add that language to the form or choose another."];
        }

        if (found.PreTest && !found.PreTestInLanguage)
        {
            errors["preTestFormId"] = [$"Evaluation form {request.PreTestFormId} is not available in the course's language '{request.Language}': add that language to the form or choose another."];
        }

        if (found.PostTest && !found.PostTestInLanguage)
        {
            errors["postTestFormId"] = [$"Evaluation form {request.PostTestFormId} is not available in the course's language '{request.Language}': add that language to the form or choose another."];
        }

        if (await Languages.LanguagesApi.IncompleteLanguageAsync(db, transaction, request.Language) is { } language)
        {
            errors["language"] = [language]; // a course's participants read the page, slips and certificates in it (issue 26)
        }

        if (!found.Expert)
        {
            errors["countryExpertUserId"] = [$"User {request.CountryExpertUserId} is not an active country expert of {request.CountryCode}."];
        }

        if (!found.Evaluation)
        {
            errors["evaluationFormId"] = [$"Evaluation form {request.EvaluationFormId} does not exist or is not a reaction form."];
        }

        if (!found.PreTest)
        {
            errors["preTestFormId"] = [$"Evaluation form {request.PreTestFormId} does not exist or is not a preTest form."];
        }

        if (!found.PostTest)
        {
            errors["postTestFormId"] = [$"Evaluation form {request.PostTestFormId} does not exist or is not a postTest form."];
        }

        return errors;
    }

    private sealed record References
    {
        public bool Expert { get; init; }

        public bool Evaluation { get; init; }

        public bool PreTest { get; init; }

        public bool PostTest { get; init; }

        public bool EvaluationInLanguage { get; init; }

        public bool PreTestInLanguage { get; init; }

        public bool PostTestInLanguage { get; init; }

        public DateOnly? ProgrammeStart { get; init; }

        public DateOnly? ProgrammeEnd { get; init; }

        public DateOnly? FirstSession { get; init; }

        public DateOnly? LastSession { get; init; }
    }
}
