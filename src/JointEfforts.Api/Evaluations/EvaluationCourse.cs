using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Evaluations;

/// <summary>
/// What evaluation needs of a course, read straight from the courses table, and who may act on it.
/// The course's expert is <c>courses.country_expert_user_id</c>; when a course names none, any country
/// expert of the course's country stands in (the programme has one expert per pilot country).
/// </summary>
public sealed record EvaluationCourse
{
    public const string Select = """
        SELECT c.id AS Id, c.project_id AS ProjectId, c.title AS Title, c.country_code AS CountryCode, c.language AS Language,
               c.status AS Status, c.country_expert_user_id AS CountryExpertUserId, c.start_date AS StartDate, c.end_date AS EndDate,
               c.evaluation_form_id AS EvaluationFormId, c.pre_test_form_id AS PreTestFormId, c.post_test_form_id AS PostTestFormId
        FROM courses c
        """;

    /// <summary>Course states in which participants answer forms and codes are issued.</summary>
    public static readonly IReadOnlySet<string> Answerable = new HashSet<string>(StringComparer.Ordinal) { "open", "closed", "delivered" };

    public int Id { get; init; }

    public int ProjectId { get; init; }

    public required string Title { get; init; }

    public required string CountryCode { get; init; }

    public required string Language { get; init; }

    public required string Status { get; init; }

    public int? CountryExpertUserId { get; init; }

    public DateOnly StartDate { get; init; }

    public DateOnly EndDate { get; init; }

    public int? EvaluationFormId { get; init; }

    public int? PreTestFormId { get; init; }

    public int? PostTestFormId { get; init; }

    public bool AcceptsAnswers => Answerable.Contains(Status);

    public int? FormIdFor(EvaluationPurpose purpose) => purpose switch
    {
        EvaluationPurpose.PreTest => PreTestFormId,
        EvaluationPurpose.PostTest => PostTestFormId,
        _ => EvaluationFormId,
    };

    /// <summary>The course if the caller may see it: a country expert sees only their country's courses.</summary>
    public static Task<EvaluationCourse?> ReadAsync(DbConnection db, int id, Caller caller, DbTransaction? transaction = null) =>
        db.QuerySingleOrDefaultAsync<EvaluationCourse>(
            Select + " WHERE c.id = @id AND (@country IS NULL OR c.country_code = @country)",
            new { id, country = caller.CountryScope }, transaction);

    /// <summary>The course's own country expert (see the class summary); admin stands in for anyone.</summary>
    public bool IsExpert(Caller caller) =>
        caller.Role == Role.Admin
        || (caller.Role == Role.CountryExpert && caller.CountryCode == CountryCode
            && (CountryExpertUserId is null || CountryExpertUserId == caller.UserId));

    /// <summary>Codes and paper forms: a coordinator, or the course's expert.</summary>
    public bool MayRunEvaluation(Caller caller) => caller.Role == Role.Coordinator || IsExpert(caller);
}
