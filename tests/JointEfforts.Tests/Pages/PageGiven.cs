using Dapper;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Pages;

/// <summary>Arrangements for the page tests: the demo programme, and a fresh code for one of its courses.</summary>
internal static class PageGiven
{
    /// <summary>The app with the demo programmes; on a real Kestrel port (chosen by the system) for a browser.</summary>
    public static JointEffortsApp DemoApp(bool kestrel = false)
    {
        var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:SeedDemo"] = "true" });
        if (kestrel)
        {
            app.UseKestrel(0);
        }

        return app;
    }

    /// <summary>Like <c>OpenDatabase()</c>, which reaches for the in-memory TestServer; this works on Kestrel too.</summary>
    private static System.Data.Common.DbConnection Open(JointEffortsApp app) => app.Services.GetRequiredService<Database>().Open();

    /// <summary>
    /// The demo's Moldovan pilot course: taught in Romanian, delivered, so it takes answers. Its id is looked up, not assumed.
    /// </summary>
    public static int RomanianCourse(JointEffortsApp app)
    {
        using var db = Open(app);
        return db.QuerySingle<int>("SELECT id FROM courses WHERE language = 'ro' AND status = 'delivered' ORDER BY id LIMIT 1");
    }

    /// <summary>
    /// A new unused code for a course, written with SQL (a batch of one, as sql/0008 stores them): the codes route's response
    /// shape is changing, and these tests are about the pages, not about issuing codes.
    /// </summary>
    public static string NewCode(JointEffortsApp app, int courseId)
    {
        var code = EvaluationCodes.Create();
        using var db = Open(app);
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
        using var db = Open(app);
        return db.ExecuteScalar<int>("SELECT COUNT(*) FROM evaluation_responses WHERE course_id = @courseId AND purpose = 'reaction'", new { courseId });
    }
}
