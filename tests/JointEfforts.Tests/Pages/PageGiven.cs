using Dapper;
using JointEfforts.Api.Evaluations;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Pages;

/// <summary>Arrangements for the page tests: the demo programme, and a fresh code for one of its courses.</summary>
internal static class PageGiven
{
    public static JointEffortsApp DemoApp() =>
        new(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });

    /// <summary>
    /// The demo's Moldovan pilot course: taught in Romanian, delivered, so it takes answers. Its id is looked up, not assumed.
    /// </summary>
    public static int RomanianCourse(JointEffortsApp app)
    {
        using var db = app.OpenDatabase();
        return db.QuerySingle<int>("SELECT id FROM courses WHERE language = 'ro' AND status = 'delivered' ORDER BY id LIMIT 1");
    }

    /// <summary>
    /// A new unused code for a course, written with SQL (a batch of one, as sql/0008 stores them): the codes route's response
    /// shape is changing, and these tests are about the pages, not about issuing codes.
    /// </summary>
    public static string NewCode(JointEffortsApp app, int courseId)
    {
        var code = EvaluationCodes.Create();
        using var db = app.OpenDatabase();
        using var transaction = db.BeginTransaction();
        var batch = db.ExecuteScalar<long>(
            "INSERT INTO evaluation_code_batches (course_id, issued_on, code_count) VALUES (@courseId, date('now'), 1) RETURNING id",
            new { courseId }, transaction);
        db.Execute("INSERT INTO evaluation_codes (course_id, code, batch_id) VALUES (@courseId, @code, @batch)",
            new { courseId, code, batch }, transaction);
        transaction.Commit();
        return EvaluationCodes.Display(code);
    }

    public static int ReactionResponses(JointEffortsApp app, int courseId)
    {
        using var db = app.OpenDatabase();
        return db.ExecuteScalar<int>("SELECT COUNT(*) FROM evaluation_responses WHERE course_id = @courseId AND purpose = 'reaction'", new { courseId });
    }
}
