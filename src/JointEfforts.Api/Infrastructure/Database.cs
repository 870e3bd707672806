using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Infrastructure;

/// <summary>Opens SQLite connections configured the same way for the app, the migrations and the tests.</summary>
public sealed class Database
{
    public const string DefaultConnectionString = "Data Source=jointefforts.db";

    /// <summary>How long a command waits for another process's write lock before SQLITE_BUSY (a 503).</summary>
    public const int BusyTimeoutSeconds = 30;

    private readonly IHttpContextAccessor? _http;

    public Database(string connectionString, IHttpContextAccessor? http = null)
    {
        _http = http;
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout: writers queue, they do not fail.
            DefaultTimeout = BusyTimeoutSeconds,
        };
        ConnectionString = builder.ToString();
        FilePath = builder.DataSource;
    }

    public string ConnectionString { get; }

    public string FilePath { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        // synchronous=FULL: an acknowledged write survives a power loss as well as a process crash
        // (WAL + NORMAL would only promise the latter). The write rate of this API makes the fsync cheap.
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;";
        pragmas.ExecuteNonQuery();

        // The audit triggers (sql/0006_audit.sql) ask these for who made the change, and through which request.
        connection.CreateFunction("je_actor", () => Caller.From(_http?.HttpContext?.User ?? Anonymous)?.UserId, isDeterministic: false);
        connection.CreateFunction("je_request", () => _http?.HttpContext is { } context
            ? $"{context.Request.Method} {context.Request.Path}"
            : null, isDeterministic: false);
        return connection;
    }

    private static readonly System.Security.Claims.ClaimsPrincipal Anonymous = new();

    static Database()
    {
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new NullableDateOnlyHandler());
        SqlMapper.AddTypeHandler(new UtcDateTimeHandler());
    }

    /// <summary>Now, in UTC, at the millisecond precision the database keeps.</summary>
    public static DateTime Now(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    /// <summary>The timestamp format of every *_at column: UTC ISO 8601 with milliseconds and 'Z'.</summary>
    public static string Timestamp(DateTime utc) =>
        utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        public override DateOnly Parse(object value) =>
            DateOnly.ParseExact((string)value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private sealed class NullableDateOnlyHandler : SqlMapper.TypeHandler<DateOnly?>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly? value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value is { } date ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value;
        }

        public override DateOnly? Parse(object value) =>
            value is string text ? DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
    }

    private sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(IDbDataParameter parameter, DateTime value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = Timestamp(value);
        }

        public override DateTime Parse(object value) => DateTime.Parse(
            (string)value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }
}

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="SqliteConnection"/> per request, opened on first use and disposed with the request.
    /// Handlers take it as a parameter: <c>static async Task&lt;...&gt; GetCourse(int id, SqliteConnection db)</c>.
    /// </summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton(sp => new Database(
            sp.GetRequiredService<IConfiguration>().GetConnectionString("JointEfforts") ?? Database.DefaultConnectionString,
            sp.GetRequiredService<IHttpContextAccessor>()));
        services.AddScoped(sp => sp.GetRequiredService<Database>().Open());
        return services;
    }
}
