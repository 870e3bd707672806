using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JointEfforts.Api.Infrastructure;

/// <summary>The database engine, chosen by <c>JointEfforts:Database</c>: <c>sqlite</c> (the default) or <c>postgres</c>.</summary>
public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Opens SQLite connections configured the same way for the app, the migrations and the tests, and keeps them open
/// between uses: a pool of its own (Microsoft.Data.Sqlite's pool is off), so that a connection is configured once
/// (foreign keys, busy timeout, synchronous = FULL, the audit functions) rather than on every request, and keeps
/// the statements it has prepared (<see cref="PreparedQueries"/>). Since a connection is configured only once, no code
/// may change its settings (a <c>PRAGMA synchronous</c> of its own would outlive the request that said it).
/// <para>
/// On PostgreSQL (<see cref="DatabaseEngine.Postgres"/>, issue 27) connections come from an <see cref="NpgsqlDataSource"/>,
/// which pools them itself; instead of <see cref="PreparedQueries"/>' cache, Npgsql prepares the statements a connection
/// runs often (<c>Max Auto Prepare</c>, 256 unless the connection string says otherwise). Who makes a change, and through
/// which request, is set per write transaction for the audit triggers (<see cref="WriteQueue"/>).
/// </para>
/// </summary>
public sealed class Database : IDisposable
{
    public const string DefaultConnectionString = "Data Source=jointefforts.db";

    /// <summary>The setting that chooses the engine: <c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public const string EngineSetting = "JointEfforts:Database";

    /// <summary>Statements Npgsql keeps prepared per connection unless the connection string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 256;

    /// <summary>How long a command waits for another process's write lock before SQLITE_BUSY (a 503).</summary>
    public const int BusyTimeoutSeconds = 30;

    /// <summary>Idle connections kept open; more than this many at once are closed when given back.</summary>
    public const int MaxIdleConnections = 64;

    private readonly IHttpContextAccessor? _http;
    private readonly ConcurrentBag<PooledConnection> _idle = [];
    private readonly NpgsqlDataSource? _dataSource;
    private readonly ConcurrentDictionary<(string? Host, int ProcessId), byte> _sessionsWithContext = new();
    private volatile bool _disposed;

    public Database(string connectionString, IHttpContextAccessor? http = null, DatabaseEngine engine = DatabaseEngine.Sqlite)
    {
        _http = http;
        Engine = engine;
        if (engine == DatabaseEngine.Postgres)
        {
            var npgsql = new NpgsqlDataSourceBuilder(connectionString);
            // NpgsqlConnectionStringBuilder.ContainsKey answers true for every keyword it knows, given or not: whether the
            // operator said something is read from the text itself.
            var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
            if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
            {
                npgsql.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            }

            // A connection given back keeps its session: its prepared statements survive (a reset would cost a round trip
            // per request and, with DISCARD ALL, every prepared statement). Open() gives every use the audit context it needs
            // (SetAuditContext), so no request inherits another's; the change listener undoes its LISTEN and name before it
            // gives its connection back, and the start-up lock is released by hand: nothing else sets session state.
            if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
            {
                npgsql.ConnectionStringBuilder.NoResetOnClose = true;
            }

            _dataSource = npgsql.Build();
            PostgresTypeHandlers.Register();
            ConnectionString = npgsql.ConnectionString;
            FilePath = "";
            return;
        }

        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            // This class pools (see above). Foreign keys are switched on in Configure.
            Pooling = false,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout: writers queue, they do not fail.
            DefaultTimeout = BusyTimeoutSeconds,
        };
        ConnectionString = builder.ToString();
        FilePath = builder.DataSource;
    }

    public string ConnectionString { get; }

    /// <summary>The SQLite file; empty on PostgreSQL.</summary>
    public string FilePath { get; }

    public DatabaseEngine Engine { get; }

    /// <summary>
    /// The engine named by <c>JointEfforts:Database</c> and the connection string <c>ConnectionStrings:JointEfforts</c>
    /// (SQLite's default file when not given; required for PostgreSQL).
    /// </summary>
    public static Database FromConfiguration(IConfiguration configuration, IHttpContextAccessor? http = null)
    {
        var engine = ParseEngine(configuration[EngineSetting]);
        var connectionString = configuration.GetConnectionString("JointEfforts");
        if (engine == DatabaseEngine.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{EngineSetting} is postgres but ConnectionStrings:JointEfforts is not set: give an Npgsql connection string " +
                "(Host=...;Port=5432;Database=...;Username=...;Password=...).");
        }

        return new Database(connectionString ?? DefaultConnectionString, http, engine);
    }

    public static DatabaseEngine ParseEngine(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseEngine.Sqlite,
        "postgres" or "postgresql" => DatabaseEngine.Postgres,
        _ => throw new InvalidOperationException($"{EngineSetting} is '{value}': it must be sqlite or postgres."),
    };

    /// <summary>
    /// The name under which this process's writers of the database queue (<see cref="WriteQueue"/>) and its kept reads are
    /// told of changes (<see cref="ReadCache"/>): the SQLite file's full path, or the PostgreSQL server and database.
    /// </summary>
    public string ChangeKey => _changeKey ??= KeyOfOpenConnection();

    private string? _changeKey;

    private string KeyOfOpenConnection()
    {
        using var connection = Open();
        return WriteQueue.QueueKey(connection);
    }

    /// <summary>
    /// A PostgreSQL connection of the pool as it is, without the audit context (<see cref="PostgresChangeListener"/>): its user
    /// gives its session back as it found it.
    /// </summary>
    internal ValueTask<NpgsqlConnection> OpenPostgresAsync(CancellationToken cancellationToken) =>
        (_dataSource ?? throw new InvalidOperationException("Not a PostgreSQL database.")).OpenConnectionAsync(cancellationToken);

    /// <summary>An open connection; disposing it gives it back (it is closed instead if a transaction was left open).</summary>
    public DbConnection Open()
    {
        if (_dataSource is not null)
        {
            var postgres = _dataSource.OpenConnection();
            SetAuditContext(postgres, _http?.HttpContext);
            return postgres;
        }

        if (_idle.TryTake(out var idle))
        {
            idle.Lend();
            return idle;
        }

        var connection = new PooledConnection(this, ConnectionString);
        connection.Open();
        Configure(connection);
        return connection;
    }

    /// <summary>The session advisory lock that start-up work holds on PostgreSQL ("JEBOOT" in ASCII).</summary>
    public const long StartupLockKey = 0x4A45_424F_4F54;

    /// <summary>
    /// Runs start-up work (migrations, the first admin, the demo seed) once across instances: on PostgreSQL under a session
    /// advisory lock held on a connection of its own, so a second instance starting at the same time waits, then finds the
    /// work done. On SQLite each step's own transaction (and the one process per file) suffices.
    /// </summary>
    public T RunOnce<T>(Func<T> work)
    {
        if (_dataSource is null)
        {
            return work();
        }

        using var holder = _dataSource.OpenConnection();
        holder.Execute($"SELECT pg_advisory_lock({StartupLockKey})");
        try
        {
            return work();
        }
        finally
        {
            holder.Execute($"SELECT pg_advisory_unlock({StartupLockKey})");
        }
    }

    /// <summary>Closes the idle connections; connections in use are closed when given back.</summary>
    public void Dispose()
    {
        _disposed = true;
        _dataSource?.Dispose();
        while (_idle.TryTake(out var connection))
        {
            connection.Retire();
        }
    }

    private bool TryKeep(PooledConnection connection)
    {
        // A connection still in a transaction (or closed) is not reused: closing it rolls the transaction back.
        if (_disposed || connection.State != ConnectionState.Open || connection.Handle is not { } handle
            || SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0 || _idle.Count >= MaxIdleConnections)
        {
            return false;
        }

        _idle.Add(connection);
        if (_disposed)
        {
            // Disposed while this one was being given back: close it (and any other) after all.
            Dispose();
        }

        return true;
    }

    private void Configure(SqliteConnection connection)
    {
        // synchronous=FULL: an acknowledged write survives a power loss as well as a process crash
        // (WAL + NORMAL would only promise the latter). The write rate of this API makes the fsync cheap.
        // secure_delete: what a write removes or moves is overwritten with zeros, not left in free space of the file
        // (anonymity at rest, see AtRestScrubber).
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText =
            $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;";
        pragmas.ExecuteNonQuery();

        // The audit triggers (sql/0006_audit.sql) ask these for who made the change, and through which request.
        connection.CreateFunction("je_actor", () => Actor(_http?.HttpContext), isDeterministic: false);
        connection.CreateFunction("je_request", () => Request(_http?.HttpContext), isDeterministic: false);
    }

    private const string PostgresAuditContextSql =
        "SELECT set_config('je.actor', @actor, false), set_config('je.request', @request, false)";

    /// <summary>
    /// On PostgreSQL the audit triggers' je_actor()/je_request() read settings, not callbacks: a connection opened for a
    /// request that may write (any method but GET, HEAD, OPTIONS) says who and which request for the session, so that a
    /// write outside <see cref="WriteQueue.BeginWriteAsync"/> (a single INSERT in autocommit, as POST /api/users) is audited
    /// with its actor as on SQLite. A write transaction sets both again for itself. The session outlives the use (No Reset
    /// On Close), so a connection opened for a read, or outside a request, says no one (empty, which je_actor() reads as
    /// null); a session known to say no one already is not told again, which spares a read its second round trip. The
    /// sessions that say someone are known by server and backend process id (a new backend says no one).
    /// </summary>
    private void SetAuditContext(NpgsqlConnection connection, HttpContext? context)
    {
        var session = (connection.Host, connection.ProcessID);
        var says = context is not null && MayWrite(context.Request.Method);
        if (!says && !_sessionsWithContext.ContainsKey(session))
        {
            return; // a read, on a session that says no one already: no round trip
        }

        using var command = new NpgsqlCommand(PostgresAuditContextSql, connection);
        command.Parameters.AddWithValue("actor", NpgsqlTypes.NpgsqlDbType.Text,
            says ? Actor(context)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "" : "");
        command.Parameters.AddWithValue("request", NpgsqlTypes.NpgsqlDbType.Text, says ? Request(context) ?? "" : "");
        command.ExecuteNonQuery();
        if (says)
        {
            _sessionsWithContext[session] = 0;
        }
        else
        {
            _sessionsWithContext.TryRemove(session, out _);
        }
    }

    /// <summary>A request by any method but GET, HEAD and OPTIONS may write (for the audit context and <see cref="ReadCache"/>).</summary>
    internal static bool MayWrite(string method) => !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    /// <summary>What the audit triggers' je_actor() gives: the caller's user id, null outside a request or when anonymous.</summary>
    internal static int? Actor(HttpContext? context) => Caller.From(context?.User ?? Anonymous)?.UserId;

    /// <summary>What the audit triggers' je_request() gives: "METHOD /path" of the request, null outside one.</summary>
    internal static string? Request(HttpContext? context) =>
        context is null ? null : $"{context.Request.Method} {context.Request.Path}";

    /// <summary>A connection of this pool: disposing it gives it back, with its prepared statements.</summary>
    internal sealed class PooledConnection(Database owner, string connectionString) : SqliteConnection(connectionString)
    {
        private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Sql, Type Row), Delegate> _parsers = [];
        private int _lent = 1;
        private bool _retiring;

        /// <summary>This connection's command for <paramref name="sql"/>, prepared on first use and kept while the connection lives.</summary>
        public SqliteCommand Prepared(string sql)
        {
            if (!_prepared.TryGetValue(sql, out var command))
            {
                command = CreateCommand();
                command.CommandText = sql;
                _prepared[sql] = command;
            }

            return command;
        }

        /// <summary>
        /// Dapper's row parser for <paramref name="sql"/>'s rows as <typeparamref name="T"/>, made from its first row and
        /// kept with the statement. Dapper would find it again on every execution by reading each column's name and type
        /// (about 10 µs of the 24 µs it took to read a programme's five phases, before SQLite wrote that list's JSON).
        /// Like Dapper's own parser for the later rows of one answer, it takes each column to keep its storage class,
        /// NULL aside (see <see cref="PreparedQueries"/>).
        /// </summary>
        public Func<DbDataReader, T> RowParser<T>(string sql, DbDataReader reader)
        {
            if (!_parsers.TryGetValue((sql, typeof(T)), out var parser))
            {
                parser = reader.GetRowParser<T>();
                _parsers[(sql, typeof(T))] = parser;
            }

            return (Func<DbDataReader, T>)parser;
        }

        public void Lend() => Volatile.Write(ref _lent, 1);

        /// <summary>Closes it for good (the pool is closing).</summary>
        public void Retire()
        {
            _retiring = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_retiring)
            {
                // Given back once only: a second Dispose must not put it in the pool twice (two users of one connection).
                if (Interlocked.Exchange(ref _lent, 0) == 0 || owner.TryKeep(this))
                {
                    return;
                }
            }

            if (disposing)
            {
                foreach (var command in _prepared.Values)
                {
                    command.Dispose();
                }

                _prepared.Clear();
                _parsers.Clear();
            }

            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
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

    /// <summary>
    /// What keeps Dapper's mapping the same on PostgreSQL, registered only in a process that opens PostgreSQL (the SQLite
    /// path keeps Dapper's own, faster mapping). SQLite hands every integer over as a long and every real as a double;
    /// PostgreSQL gives integer columns as int, COUNT as bigint, SUM of a bigint and arithmetic on 1.0 as numeric, and the
    /// 0/1 flags as int. Dapper matches a record's constructor only when each column has the parameter's exact type or a
    /// type handler, so these handlers convert: int, long, double and bool read from any of them.
    /// Parameters are bound as Dapper would bind them.
    /// </summary>
    private static class PostgresTypeHandlers
    {
        private static int _registered;

        public static void Register()
        {
            if (Interlocked.Exchange(ref _registered, 1) == 1)
            {
                return;
            }

            // Dapper hands DateOnly and DateTime to the provider itself (its type map) rather than to the handlers above:
            // Microsoft.Data.Sqlite writes and reads them as the same ISO text, Npgsql as date/timestamp types, which the
            // text columns refuse in comparisons. Without the map entries, the handlers bind and read them as text.
            SqlMapper.RemoveTypeMap(typeof(DateOnly));
            SqlMapper.RemoveTypeMap(typeof(DateOnly?));
            SqlMapper.RemoveTypeMap(typeof(DateTime));
            SqlMapper.RemoveTypeMap(typeof(DateTime?));
            SqlMapper.AddTypeHandler(new Converting<int>(DbType.Int32, v => Convert.ToInt32(v, CultureInfo.InvariantCulture)));
            SqlMapper.AddTypeHandler(new Converting<long>(DbType.Int64, v => Convert.ToInt64(v, CultureInfo.InvariantCulture)));
            SqlMapper.AddTypeHandler(new Converting<double>(DbType.Double, v => Convert.ToDouble(v, CultureInfo.InvariantCulture)));
            SqlMapper.AddTypeHandler(new Converting<bool>(DbType.Boolean, v => v is bool b ? b : Convert.ToInt64(v, CultureInfo.InvariantCulture) != 0));
        }

        private sealed class Converting<T>(DbType dbType, Func<object, T> parse) : SqlMapper.TypeHandler<T>
        {
            public override void SetValue(IDbDataParameter parameter, T? value)
            {
                parameter.DbType = dbType;
                parameter.Value = value is null ? DBNull.Value : value;
            }

            public override T Parse(object value) => value is T typed ? typed : parse(value);
        }
    }

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
    /// One <see cref="DbConnection"/> per request, opened on first use and disposed with the request.
    /// Handlers take it as a parameter: <c>static async Task&lt;...&gt; GetCourse(int id, DbConnection db)</c>.
    /// </summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton(sp => Database.FromConfiguration(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHttpContextAccessor>()));
        services.AddScoped<DbConnection>(sp => sp.GetRequiredService<Database>().Open());
        services.AddSingleton<AtRestScrubber>();
        services.AddHostedService(sp => sp.GetRequiredService<AtRestScrubber>());
        return services;
    }
}

/// <summary>
/// Leaves nothing at rest that tells in which order anonymous answers arrived (issue 23, attack 3). A WAL keeps each
/// transaction's pages in the order written, so a copy of the files would pair a code marked used with the answers of the
/// same commit; and SQLite lays a new cell below the older ones in its page, so the offsets of cells would tell the order
/// of arrival (of responses, answers, code uses, idempotency records) even after a checkpoint. So:
/// <list type="bullet">
/// <item>after each anonymous commit, when no other writer waits, the WAL is checkpointed and truncated to nothing
/// (<see cref="Committed"/>): the transaction's pages are no longer in a log of their own;</item>
/// <item>once anonymous writes pause (<see cref="Quiet"/>, at most <see cref="MaxDelay"/> after the first), the whole file is
/// rewritten with <c>VACUUM</c> (every table and index laid out anew in key order: random ids, code order) and the WAL
/// truncated again; <c>secure_delete</c> (<see cref="Database"/>) zeroes what is freed.</item>
/// </list>
/// A classroom answering at once is not slowed by the rewrite, which waits for its burst to end; the next burst re-prepares
/// its statements once (VACUUM changes the schema cookie). What this cannot cover: a copy taken inside those seconds, or
/// someone watching the live process (docs/reliability.md).
/// </summary>
public sealed class AtRestScrubber(Database database, ILogger<AtRestScrubber> logger) : BackgroundService
{
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _signal = new(0);
    private long _lastWrite;
    private int _pending;

    private int _scrubs;
    private int _running;

    /// <summary>How many times the files were rewritten since the start.</summary>
    public int Scrubs => Volatile.Read(ref _scrubs);

    /// <summary>No rewrite is due or running: the files at rest hold no order of the anonymous writes noted so far.</summary>
    public bool Settled => Volatile.Read(ref _pending) == 0 && Volatile.Read(ref _running) == 0;

    /// <summary>
    /// An anonymous write was committed on <paramref name="db"/>: when no other writer waits for its turn, the WAL is
    /// checkpointed and truncated at once (without waiting for readers: a reader in the way leaves it to the rewrite), and
    /// the file is rewritten once writes pause.
    /// </summary>
    public void Committed(DbConnection connection)
    {
        Noted();
        if (connection is not SqliteConnection db)
        {
            return;
        }

        if (WriteQueue.Waiting(db) != 0)
        {
            return; // the last writer of the queue does it
        }

        try
        {
            // busy_timeout 0 for this one statement: a reader holding the WAL must not keep a participant waiting.
            db.Execute("PRAGMA busy_timeout = 0");
            db.QuerySingle<(long, long, long)>("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException ex)
        {
            logger.LogDebug(ex, "The WAL was not truncated after an anonymous write; the rewrite will");
        }
        finally
        {
            db.Execute($"PRAGMA busy_timeout = {Database.BusyTimeoutSeconds * 1000}");
        }
    }

    /// <summary>An anonymous write was committed: the files are rewritten once writes pause.</summary>
    public void Noted()
    {
        Volatile.Write(ref _lastWrite, Environment.TickCount64);
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _signal.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync(stoppingToken);
                var first = Environment.TickCount64;
                while (true)
                {
                    var now = Environment.TickCount64;
                    var quietFor = now - Volatile.Read(ref _lastWrite);
                    if (quietFor >= Quiet.TotalMilliseconds || now - first >= MaxDelay.TotalMilliseconds)
                    {
                        break;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(10, Quiet.TotalMilliseconds - quietFor)), stoppingToken);
                }

                Volatile.Write(ref _running, 1);
                Volatile.Write(ref _pending, 0);
                try
                {
                    Scrub(database);
                    Interlocked.Increment(ref _scrubs);
                }
                catch (Exception ex) when (ex is DbException or InvalidOperationException)
                {
                    logger.LogWarning(ex, "Could not rewrite the database file after anonymous answers; trying again in a few seconds");
                    Noted();
                    await Task.Delay(TimeSpan.FromSeconds(3), stoppingToken);
                }
                finally
                {
                    Volatile.Write(ref _running, 0);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// On PostgreSQL: the schema's <c>je_scrub_anonymous()</c>, which rewrites the anonymous tables so that no system column or
    /// physical order tells the order of arrival. It takes the write lock and every table it will lock, all at once or
    /// none, itself (sql/postgres/0074), so it runs in a transaction of its own with nothing taken before it.
    /// </summary>
    public const string PostgresScrubSql = "SELECT je_scrub_anonymous()";

    /// <summary>VACUUM, then the WAL checkpointed and truncated to nothing, on a connection of its own (PostgreSQL: <see cref="PostgresScrubSql"/>).</summary>
    public static void Scrub(Database database)
    {
        if (database.Engine == DatabaseEngine.Postgres)
        {
            using var postgres = database.Open();
            postgres.Execute(PostgresScrubSql);
            return;
        }

        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        connection.Execute($"PRAGMA busy_timeout = {Database.BusyTimeoutSeconds * 1000}; PRAGMA secure_delete = ON;");
        connection.Execute("VACUUM");
        var (busy, _, _) = connection.QuerySingle<(long, long, long)>("PRAGMA wal_checkpoint(TRUNCATE)");
        if (busy != 0)
        {
            throw new InvalidOperationException("wal_checkpoint(TRUNCATE) was kept from finishing by a reader.");
        }
    }
}
