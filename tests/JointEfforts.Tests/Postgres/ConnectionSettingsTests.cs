using System.Globalization;
using System.Security.Claims;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JointEfforts.Tests.Postgres;

/// <summary>
/// What the API makes of a PostgreSQL connection string (issue 27, the load benchmark): statements prepared automatically and
/// sessions kept when the operator says nothing, the operator's word when they do. NpgsqlConnectionStringBuilder.ContainsKey
/// answers true for every keyword it knows, which once left auto-preparation off whatever the string said.
/// </summary>
public sealed class ConnectionSettingsTests
{
    [Theory]
    [InlineData("Host=/tmp;Database=je", Database.DefaultMaxAutoPrepare, true)]
    [InlineData("Host=/tmp;Database=je;Max Auto Prepare=0", 0, true)]
    [InlineData("Host=/tmp;Database=je;maxautoprepare=20;No Reset On Close=false", 20, false)]
    [InlineData("Host=/tmp;Database=je;NoResetOnClose=false", Database.DefaultMaxAutoPrepare, false)]
    public void TheDefaultsApplyOnlyToWhatTheConnectionStringLeavesUnsaid(string connectionString, int maxAutoPrepare, bool noResetOnClose)
    {
        // Building the data source does not connect: no server is needed.
        using var database = new Database(connectionString, engine: DatabaseEngine.Postgres);
        var settings = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        Assert.Equal((maxAutoPrepare, noResetOnClose), (settings.MaxAutoPrepare, settings.NoResetOnClose));
    }

    [PostgresOnly("a PostgreSQL session kept between uses (No Reset On Close)")]
    public void ASessionGivenBackMidTransactionComesBackWithoutTheTransactionOrTheActor()
    {
        using var app = new JointEffortsApp();
        app.OpenDatabase().Dispose(); // started and migrated
        // The API's own settings, in a pool of one session, so that the second use gets the session the first gave back.
        var settings = app.Services.GetRequiredService<Database>().ConnectionString;
        var http = new HttpContextAccessor { HttpContext = Request("POST", userId: 42) };
        using var database = new Database(settings + ";Maximum Pool Size=1", http, DatabaseEngine.Postgres);
        int session;
        using (var db = database.Open())
        {
            session = ((NpgsqlConnection)db).ProcessID;
            Assert.Equal(42, db.ExecuteScalar<int?>("SELECT je_actor()"));
            var transaction = db.BeginTransaction(); // left open, as an exception between BEGIN and COMMIT would leave it
            db.Execute("INSERT INTO languages (code) VALUES ('fi')", transaction: transaction);
        }

        http.HttpContext = null; // outside a request
        using var again = database.Open();
        Assert.Equal(session, ((NpgsqlConnection)again).ProcessID);
        Assert.Equal(0L, again.ExecuteScalar<long>("SELECT COUNT(*) FROM languages WHERE code = 'fi'"));
        using (var transaction = again.BeginTransaction()) // not "already in a transaction"
        {
            again.Execute("INSERT INTO languages (code) VALUES ('fi')", transaction: transaction);
            transaction.Commit();
        }

        Assert.Equal(1L, again.ExecuteScalar<long>("SELECT COUNT(*) FROM languages WHERE code = 'fi'"));
        Assert.Null(again.ExecuteScalar<long?>("SELECT je_actor()"));
    }

    [PostgresOnly("a PostgreSQL session kept between uses (No Reset On Close)")]
    public void AReadGetsASessionThatSaysNoOneWhateverTheRequestBeforeItSaid()
    {
        using var app = new JointEffortsApp();
        app.OpenDatabase().Dispose();
        var settings = app.Services.GetRequiredService<Database>().ConnectionString;
        var http = new HttpContextAccessor();
        using var database = new Database(settings + ";Maximum Pool Size=1", http, DatabaseEngine.Postgres);
        var seen = new List<(string Method, int? Actor, string Request)>();
        foreach (var (method, user) in new[] { ("GET", 7), ("PUT", 42), ("GET", 7), ("GET", 7), ("DELETE", 9), ("HEAD", 7) })
        {
            http.HttpContext = Request(method, user);
            using var db = database.Open();
            seen.Add((method, db.ExecuteScalar<int?>("SELECT je_actor()"), db.ExecuteScalar<string>("SELECT current_setting('je.request', true)") ?? ""));
        }

        Assert.Equal(
            [("GET", null, ""), ("PUT", 42, "PUT /api/courses/1"), ("GET", null, ""), ("GET", null, ""), ("DELETE", 9, "DELETE /api/courses/1"), ("HEAD", null, "")],
            seen);
    }

    private static DefaultHttpContext Request(string method, int userId)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = "/api/courses/1";
        context.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, userId.ToString(CultureInfo.InvariantCulture)), new Claim(ClaimTypes.Role, "coordinator")],
            authenticationType: "test"));
        return context;
    }
}
