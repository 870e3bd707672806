using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// The writers of one database file take turns in the order they arrive.
/// <para>
/// SQLite lets one writer in at a time. Left to itself, Microsoft.Data.Sqlite waits for a busy database by sleeping
/// and trying again, so under load a writer that has just arrived often gets in before those that have slept longer:
/// with 16 writers the slowest enrolment waited 1.3 s (issue 16). Here a writer first waits, without a thread,
/// in a first-in-first-out queue of this process, and only then says <c>BEGIN IMMEDIATE</c>; each waits for the
/// writers ahead of it and no longer.
/// </para>
/// <para>
/// Nothing else changes: the transaction is still <c>BEGIN IMMEDIATE</c> under <c>synchronous = FULL</c>, and the busy
/// timeout still orders this process against any other one (a backup, the sqlite3 shell). The queue is fairness, not
/// correctness: capacity, single-use codes and workflow states are still held by the database's own lock.
/// </para>
/// <para>
/// On PostgreSQL the same queue orders this process's writers, then the transaction is <c>BEGIN</c> (READ COMMITTED)
/// followed by <c>pg_advisory_xact_lock(</c><see cref="PostgresWriteLockKey"/><c>)</c>: one writer at a time across every
/// API instance on the database, held until commit or rollback, so every guarantee of SQLite's single writer holds
/// unchanged (issue 27 measured 49-50 enrolled on 40 seats without it). <c>lock_timeout</c> bounds the wait as
/// busy_timeout does (55P03, a 503), and <c>je.actor</c>/<c>je.request</c> are set for the audit triggers.
/// </para>
/// </summary>
public static class WriteQueue
{
    /// <summary>As long as a writer would wait for SQLite's busy lock (<c>busy_timeout</c>) before a 503.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(Database.BusyTimeoutSeconds);

    /// <summary>The one advisory lock every writer on PostgreSQL takes ("JEWRITE" in ASCII).</summary>
    public const long PostgresWriteLockKey = 0x4A45_5752_4954_45;

    private static readonly ConcurrentDictionary<string, Queue> Queues = new(StringComparer.Ordinal);
    private static readonly HttpContextAccessor Http = new();

    private static readonly string PostgresLockSql =
        $"SELECT set_config('lock_timeout', '{Database.BusyTimeoutSeconds}s', true), set_config('je.actor', @actor, true), " +
        $"set_config('je.request', @request, true), pg_advisory_xact_lock({PostgresWriteLockKey})";

    /// <summary>
    /// Waits for this connection's turn to write, then begins a <c>BEGIN IMMEDIATE</c> transaction. Disposing the
    /// result rolls back what was not committed and lets the next writer in.
    /// </summary>
    public static async Task<WriteTransaction> BeginWriteAsync(this DbConnection db, CancellationToken cancellationToken = default)
    {
        if (db is not (SqliteConnection or NpgsqlConnection))
        {
            throw new NotSupportedException($"No write lock for {db.GetType().Name}.");
        }

        // One queue per database file: every connection to the file, from any Database instance, waits in the same one.
        var key = QueueKey(db);
        var queue = Queues.GetOrAdd(key, _ => new Queue());
        var turn = queue.Turn;
        // SemaphoreSlim hands a released turn to the longest-waiting WaitAsync caller: first in, first out. The writer
        // is in that line once WaitAsync has returned its task, so it is counted as waiting only then: a count read
        // elsewhere never runs ahead of the line itself.
        var wait = turn.WaitAsync(MaxWait, cancellationToken);
        Interlocked.Increment(ref queue.Waiting);
        bool entered;
        try
        {
            entered = await wait;
        }
        finally
        {
            Interlocked.Decrement(ref queue.Waiting);
        }

        if (!entered)
        {
            throw new WriteQueueTimeoutException();
        }

        try
        {
            if (db is SqliteConnection sqlite)
            {
                return new WriteTransaction(sqlite.BeginTransaction(deferred: false), turn, key);
            }

            return new WriteTransaction(await BeginPostgresAsync((NpgsqlConnection)db, cancellationToken), turn, key);
        }
        catch
        {
            turn.Release();
            throw;
        }
    }

    /// <summary>
    /// BEGIN (READ COMMITTED), then the write lock and the audit context in one round trip. A transaction that fails
    /// to get the lock is rolled back and disposed here.
    /// </summary>
    private static async Task<DbTransaction> BeginPostgresAsync(NpgsqlConnection db, CancellationToken cancellationToken)
    {
        var transaction = await db.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(PostgresLockSql, db, transaction);
            var context = Http.HttpContext;
            command.Parameters.AddWithValue("actor", NpgsqlTypes.NpgsqlDbType.Text,
                (object?)Database.Actor(context)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? DBNull.Value);
            command.Parameters.AddWithValue("request", NpgsqlTypes.NpgsqlDbType.Text, (object?)Database.Request(context) ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>One queue per SQLite file, or per PostgreSQL server and database.</summary>
    internal static string QueueKey(DbConnection db) => db is NpgsqlConnection ? $"postgres:{db.DataSource}/{db.Database}" : db.DataSource;

    /// <summary>How many writers of this database file are waiting for their turn (not counting the one writing).</summary>
    public static int Waiting(DbConnection db) => Waiting(QueueKey(db));

    /// <summary>How many writers of this database file are waiting for their turn (not counting the one writing).</summary>
    public static int Waiting(string dataSource) => Queues.TryGetValue(dataSource, out var queue) ? Volatile.Read(ref queue.Waiting) : 0;

    private sealed class Queue
    {
        public readonly SemaphoreSlim Turn = new(1, 1);
        public int Waiting;
    }
}

/// <summary>
/// A write transaction that holds its connection's turn in <see cref="WriteQueue"/> until it commits or is disposed,
/// so whatever a handler reads after committing does not keep the next writer waiting.
/// </summary>
public sealed class WriteTransaction : IDisposable
{
    private readonly string _database;
    private SemaphoreSlim? _turn;

    internal WriteTransaction(DbTransaction transaction, SemaphoreSlim? turn, string database)
    {
        Transaction = transaction;
        _turn = turn;
        _database = database;
    }

    /// <summary>The transaction to pass to each command.</summary>
    public DbTransaction Transaction { get; }

    /// <summary>
    /// Commits (durably: synchronous = FULL), then lets the next writer in. Reads kept in <see cref="ReadCache"/> before
    /// the commit are not given again.
    /// </summary>
    public void Commit()
    {
        Transaction.Commit();
        ReadCache.Changed(_database);
        LetNextIn();
    }

    /// <summary>Rolls back what was not committed, then lets the next writer in.</summary>
    public void Dispose()
    {
        try
        {
            Transaction.Dispose();
        }
        finally
        {
            LetNextIn();
        }
    }

    private void LetNextIn() => Interlocked.Exchange(ref _turn, null)?.Release();
}

/// <summary>A writer waited <see cref="WriteQueue.MaxWait"/> for its turn: answered 503 with Retry-After, as SQLITE_BUSY is.</summary>
public sealed class WriteQueueTimeoutException() : Exception("The database is busy: no turn to write within the busy timeout.");
