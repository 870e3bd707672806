using System.Data.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Infrastructure;

public static class Health
{
    public sealed record HealthStatus(string Status);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", CheckHealth)
            .WithName("GetHealth")
            .WithTags("Health")
            .WithSummary("200 { status: ok } once the database answers.")
            .AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> CheckHealth(DbConnection db)
    {
        var answer = await db.QueryPreparedFirstOrDefaultAsync<long>("SELECT COUNT(*) FROM schema_migrations", null);
        return answer > 0
            ? TypedResults.Ok(new HealthStatus("ok"))
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: "No migration has been applied.");
    }
}
