using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// Answers a hot read again from memory while nothing in the database has changed since it was read (issue 27). A read
/// that goes to the server costs at least one round trip, and on two shared cores PostgreSQL answered about 6,000 a
/// second, 0.08 of bare Kestrel; from memory the same read costs what authentication and the JSON cost.
/// <para>
/// What is kept, and for whom: the 200 of a route marked <see cref="ReadCacheExtensions.CachedRead{TBuilder}"/>, a GET
/// whose answer depends only on the database, the route and query, the caller and the day. The key holds the caller's
/// user id, role and country, the path and query, <c>Accept-Language</c> and today's date; no answer is ever given to
/// another user. Authentication and authorization run first on every request, so a revoked token is refused as before.
/// </para>
/// <para>
/// When an answer is no longer given: every change moves one number, <see cref="Generation"/>; an answer is kept with the
/// number read before its database read began and given only while the number has not moved, and for at most
/// <see cref="MaxAge"/>. The number moves
/// <list type="bullet">
/// <item>when a write transaction of this process commits (<see cref="WriteTransaction.Commit"/>), before its answer;</item>
/// <item>when a request that may write (any method but GET, HEAD, OPTIONS) starts its answer and when it ends;</item>
/// <item>on SQLite, when <c>PRAGMA data_version</c> of a connection kept for it says another connection committed,
///   which is checked before each cached read: any writer at all, the sqlite3 shell included;</item>
/// <item>on PostgreSQL, when a <c>je_changed</c> notification arrives (sql/postgres/0075: every table notifies, after
///   each statement, at commit). Another instance's writes, or psql's, are seen as soon as the notification is
///   delivered (milliseconds), and a read is never older than <see cref="MaxAge"/>. While this instance is not
///   listening (at start, after its connection broke), nothing is answered from memory.</item>
/// </list>
/// So one instance never answers a read with less than what it has itself acknowledged, on either engine; between
/// instances a read may lag another instance's write by the notification's delivery (docs/reliability.md). Off with
/// <c>JointEfforts:ReadCache=false</c>.
/// </para>
/// </summary>
public sealed class ReadCache : IDisposable
{
    public const string EnabledSetting = "JointEfforts:ReadCache";

    /// <summary>The longest an answer is given from memory, however quiet the database.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    /// <summary>Answers kept at most; past it they are all dropped and kept again as they are read.</summary>
    public const int MaxEntries = 10_000;

    private static readonly ConcurrentDictionary<string, Counter> Generations = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Counter _generation;
    private readonly SqliteChangeWatch? _sqlite;
    private readonly bool _postgres;
    private volatile bool _listening;
    private int _count;
    private long _hits;

    public ReadCache(Database database, IConfiguration configuration)
    {
        _generation = CounterOf(database.ChangeKey);
        Enabled = configuration.GetValue(EnabledSetting, defaultValue: true);
        if (!Enabled)
        {
            return;
        }

        _postgres = database.Engine == DatabaseEngine.Postgres;
        if (!_postgres)
        {
            _sqlite = new SqliteChangeWatch(database.ConnectionString, this);
        }
    }

    public bool Enabled { get; }

    /// <summary>
    /// On PostgreSQL: <see cref="PostgresChangeListener"/> listens now, so every change committed from here on moves the
    /// generation. Nothing is answered from memory while it does not.
    /// </summary>
    public bool Listening
    {
        get => _listening;
        internal set => _listening = value;
    }

    /// <summary>Moves with every change to this cache's database seen by this process.</summary>
    public long Generation => Volatile.Read(ref _generation.Value);

    /// <summary>This cache's database changed (or may have): no answer kept before now is given again.</summary>
    public void Changed() => Interlocked.Increment(ref _generation.Value);

    /// <summary>
    /// The database known by <paramref name="database"/> (<see cref="Database.ChangeKey"/>) changed: no answer read from it
    /// before now is given again, by any cache of this process.
    /// </summary>
    public static void Changed(string database) => Interlocked.Increment(ref CounterOf(database).Value);

    private static Counter CounterOf(string database) => Generations.GetOrAdd(database, static _ => new Counter());

    /// <summary>
    /// The generation a read beginning now belongs to, or null when nothing may be answered from memory (off, or
    /// PostgreSQL's listener not listening). On SQLite a commit by any connection since the last look moves it first.
    /// </summary>
    public long? Begin()
    {
        if (!Enabled || (_postgres && !_listening))
        {
            return null;
        }

        _sqlite?.Look();
        return Generation;
    }

    /// <summary>Reads answered from memory since the start.</summary>
    public long Hits => Volatile.Read(ref _hits);

    public bool TryGet(string key, long generation, out Entry entry)
    {
        if (_entries.TryGetValue(key, out entry!) && entry.Generation == generation && Stopwatch.GetElapsedTime(entry.Stamp) < MaxAge)
        {
            Interlocked.Increment(ref _hits);
            return true;
        }

        return false;
    }

    public void Keep(string key, long generation, IResult result, string? etag)
    {
        if (generation != Generation)
        {
            return; // already out of date
        }

        var entry = new Entry(generation, Stopwatch.GetTimestamp(), result, etag);
        if (!_entries.TryAdd(key, entry))
        {
            _entries[key] = entry; // a newer answer for a key kept before
        }
        else if (Interlocked.Increment(ref _count) > MaxEntries)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _count, 0);
        }
    }

    public void Dispose() => _sqlite?.Dispose();

    private sealed class Counter
    {
        public long Value;
    }

    /// <summary>An answer: the handler's result, executed again for each request it answers, and its ETag.</summary>
    public sealed record Entry(long Generation, long Stamp, IResult Result, string? ETag);

    /// <summary>
    /// A connection of its own that only asks <c>PRAGMA data_version</c>, whose value changes when any other connection
    /// (of this process or another) commits. About a microsecond, under a lock.
    /// </summary>
    private sealed class SqliteChangeWatch : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _dataVersion;
        private readonly ReadCache _cache;
        private long _last = -1;
        private bool _disposed;

        public SqliteChangeWatch(string connectionString, ReadCache cache)
        {
            _cache = cache;
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            _connection.Open();
            _dataVersion = _connection.CreateCommand();
            _dataVersion.CommandText = "PRAGMA data_version";
            _dataVersion.Prepare();
        }

        public void Look()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    _cache.Changed(); // shutting down: nothing kept is trusted
                    return;
                }

                var version = (long)_dataVersion.ExecuteScalar()!;
                if (version != _last)
                {
                    _last = version;
                    _cache.Changed();
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _dataVersion.Dispose();
                _connection.Dispose();
            }
        }
    }
}

/// <summary>
/// Listens for <c>je_changed</c> (sql/postgres/0075) on a connection held for it, from the moment the API has started, and
/// moves <see cref="ReadCache.Generation"/> on each notification; <see cref="ReadCache.Listening"/> says whether it does. A
/// connection that breaks, or does not answer the check made after 5 quiet seconds, stops the cache until a new one listens.
/// </summary>
public sealed class PostgresChangeListener(
    Database database, ReadCache cache, IHostApplicationLifetime lifetime, ILogger<PostgresChangeListener> logger)
    : BackgroundService
{
    public const string Channel = "je_changed";

    /// <summary>How the listening session names itself to the server (pg_stat_activity).</summary>
    public const string ApplicationName = "JointEfforts je_changed listener";

    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private static async Task ForgetAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var unlisten = new NpgsqlCommand("UNLISTEN *; RESET application_name", connection) { CommandTimeout = 5 };
            await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
        {
            // Broken: disposing it closes it rather than giving it back.
        }
    }


    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Engine != DatabaseEngine.Postgres || !cache.Enabled)
        {
            return;
        }

        // Not before the API answers: until it listens the cache is off, and the start is not slowed by it.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetResult()))
        {
            await started.Task;
        }

        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A connection of the API's pool (a pool of its own would cost the start about 250 ms), given back as it
                // came: without the LISTEN or the name (or closed, when broken).
                await using var connection = await database.OpenPostgresAsync(stoppingToken);
                connection.Notification += (_, _) => cache.Changed();
                try
                {
                    await using (var listen = new NpgsqlCommand($"SET application_name = '{ApplicationName}'; LISTEN {Channel}", connection))
                    {
                        await listen.ExecuteNonQueryAsync(stoppingToken);
                    }

                    // Whatever was kept before the LISTEN may have missed a change.
                    cache.Changed();
                    cache.Listening = true;
                    while (true)
                    {
                        if (!await connection.WaitAsync(Quiet, stoppingToken))
                        {
                            await using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = (int)Quiet.TotalSeconds };
                            await ping.ExecuteScalarAsync(stoppingToken);
                        }
                    }
                }
                finally
                {
                    cache.Listening = false;
                    cache.Changed();
                    await ForgetAsync(connection);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
            {
                logger.LogWarning(ex, "Not listening for {Channel}: reads go to the database until the connection is back", Channel);
            }

            try
            {
                await Task.Delay(Retry, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>Serves marked reads from <see cref="ReadCache"/>, and moves its generation when a request may write.</summary>
public sealed class ReadCacheMiddleware(RequestDelegate next, ReadCache cache, TimeProvider time)
{
    internal const string ResultSlot = "JointEfforts.ReadCache.Result";

    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        if (Database.MayWrite(method))
        {
            // A write answers only after it committed (WriteTransaction.Commit moved the number already); a write outside
            // a write transaction is covered here, before its answer starts and again when it ends.
            context.Response.OnStarting(static state =>
            {
                ((ReadCache)state).Changed();
                return Task.CompletedTask;
            }, cache);
            try
            {
                await next(context);
            }
            finally
            {
                cache.Changed();
            }

            return;
        }

        if (!HttpMethods.IsGet(method) || context.GetEndpoint()?.Metadata.GetMetadata<CachedReadMetadata>() is null
            || Caller.From(context.User) is not { } caller || cache.Begin() is not { } generation)
        {
            await next(context);
            return;
        }

        var key = string.Join('\n', caller.UserId, caller.Role, caller.CountryCode, context.Request.Path.Value,
            context.Request.QueryString.Value, context.Request.Headers.AcceptLanguage.ToString(), Today());
        if (cache.TryGet(key, generation, out var entry))
        {
            if (entry.ETag is { } etag)
            {
                context.Response.Headers.ETag = etag;
            }

            await entry.Result.ExecuteAsync(context);
            return;
        }

        context.Items[ResultSlot] = null;
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status200OK && context.Items[ResultSlot] is IResult result)
        {
            var etag = context.Response.Headers.ETag.ToString();
            cache.Keep(key, generation, result, etag.Length == 0 ? null : etag);
        }

        string Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).DayNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Marks a GET whose 200 <see cref="ReadCache"/> may give again.</summary>
public sealed class CachedReadMetadata;

public static class ReadCacheExtensions
{
    /// <summary>
    /// The route's 200 may be answered again from memory until the database changes (<see cref="ReadCache"/>). Only for
    /// a GET whose answer is a function of the database, the route and query, the caller and the day: nothing of the
    /// clock finer than the day, no other header than Accept-Language, and no write.
    /// </summary>
    public static TBuilder CachedRead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new CachedReadMetadata());
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var items = context.HttpContext.Items;
            if (items.ContainsKey(ReadCacheMiddleware.ResultSlot))
            {
                items[ReadCacheMiddleware.ResultSlot] = result;
            }

            return result;
        });
    }

    public static IServiceCollection AddReadCache(this IServiceCollection services)
    {
        services.AddSingleton<ReadCache>();
        services.AddHostedService<PostgresChangeListener>(); // on PostgreSQL only; returns at once on SQLite
        return services;
    }
}
