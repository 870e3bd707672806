using System.Data.Common;
using Dapper;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// What runs once before the API takes requests: migrations and the bootstrap admin. Demo data is the Demo
/// slice's (<c>DemoSeed.SeedOnStart</c>, called by Program.cs after this): infrastructure knows no feature.
/// </summary>
public static class Startup
{
    public const string AdminTokenSetting = "JointEfforts:AdminToken";
    public const string SeedDemoSetting = "JointEfforts:SeedDemo";

    /// <summary>
    /// The builder's options: appsettings.json (which keeps the framework's request logs quiet) is read beside the
    /// binary, wherever the process was started from, unless a content root is given (--contentRoot, the tests' host).
    /// </summary>
    public static WebApplicationOptions Options(string[] args)
    {
        var translated = TranslateArguments(args);
        var given = translated.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT") is { Length: > 0 };
        return new WebApplicationOptions
        {
            Args = translated,
            ContentRootPath = given ? null : AppContext.BaseDirectory,
        };
    }

    /// <summary><c>--seed-demo</c> on the command line is the setting <c>JointEfforts:SeedDemo=true</c>.</summary>
    public static string[] TranslateArguments(string[] args) =>
        args.Select(arg => arg == "--seed-demo" ? $"--{SeedDemoSetting}=true" : arg).ToArray();

    /// <summary>
    /// Builds every mapped endpoint once and serves those. A route group's endpoints are not kept: each reader of the
    /// app's endpoint sources builds them anew, and each build runs RequestDelegateFactory over every handler
    /// (expression trees compiled to IL, then JIT-compiled). Two readers do so at every start: the authorization
    /// middleware's policy cache as the pipeline is built, and the router at the first request. With about a hundred
    /// handlers that second build was about 0.3 s of a 1.1 s start (docs/benchmarks.md). Call it after the last Map.
    /// The list is fixed from here on: a source that changes later (Razor Pages under hot reload) is not followed.
    /// </summary>
    public static void BuildEndpointsOnce(this WebApplication app)
    {
        var sources = ((IEndpointRouteBuilder)app).DataSources;
        var endpoints = new CompositeEndpointDataSource(sources).Endpoints;
        sources.Clear();
        sources.Add(new DefaultEndpointDataSource(endpoints));
    }

    public static void PrepareDatabase(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("JointEfforts.Startup");
        var database = app.Services.GetRequiredService<Database>();
        try
        {
            app.Services.GetRequiredService<MigrationRunner>().Apply();
        }
        catch (InvalidOperationException ex)
        {
            logger.LogCritical("Start-up stopped: {Reason}", ex.Message);
            throw;
        }

        if (app.Configuration[AdminTokenSetting] is { Length: > 0 } adminToken)
        {
            database.RunOnce(() =>
            {
                using var connection = database.Open();
                EnsureAdminToken(connection, adminToken);
                return true;
            });
        }
    }

    /// <summary>An admin user holding exactly this token exists after start-up.</summary>
    internal static void EnsureAdminToken(DbConnection connection, string token)
    {
        var hash = BearerTokens.Hash(token);
        using var transaction = connection.BeginTransaction();
        var holderRole = connection.QuerySingleOrDefault<string?>(
            """
            SELECT u.role FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = @hash AND t.revoked_at IS NULL AND u.deleted_at IS NULL
            """,
            new { hash }, transaction);
        if (holderRole == "admin")
        {
            return;
        }

        if (holderRole is not null)
        {
            throw new InvalidOperationException($"{AdminTokenSetting} is already the token of a user who is not an admin.");
        }

        var adminId = connection.QuerySingleOrDefault<long?>(
            "SELECT id FROM users WHERE user_name = 'admin' AND role = 'admin' AND deleted_at IS NULL", transaction: transaction)
            ?? connection.ExecuteScalar<long>(
                "INSERT INTO users (user_name, display_name, role) VALUES ('admin', 'Administrator', 'admin') RETURNING id",
                transaction: transaction);
        connection.Execute(
            "INSERT INTO api_tokens (user_id, token_hash) VALUES (@adminId, @hash) ON CONFLICT (token_hash) DO UPDATE SET revoked_at = NULL, user_id = @adminId",
            new { adminId, hash }, transaction);
        transaction.Commit();
    }
}
