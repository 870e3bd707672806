using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;

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
/// </summary>
public static class WriteQueue
{
    /// <summary>As long as a writer would wait for SQLite's busy lock (<c>busy_timeout</c>) before a 503.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(Database.BusyTimeoutSeconds);

    private static readonly ConcurrentDictionary<string, Queue> Queues = new(StringComparer.Ordinal);

    /// <summary>
    /// Waits for this connection's turn to write, then begins a <c>BEGIN IMMEDIATE</c> transaction. Disposing the
    /// result rolls back what was not committed and lets the next writer in.
    /// </summary>
    public static async Task<WriteTransaction> BeginWriteAsync(this DbConnection db, CancellationToken cancellationToken = default)
    {
        if (db is not SqliteConnection sqlite)
        {
            throw new NotSupportedException($"No write lock for {db.GetType().Name}.");
        }

        // One queue per database file: every connection to the file, from any Database instance, waits in the same one.
        var queue = Queues.GetOrAdd(db.DataSource, _ => new Queue());
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
            return new WriteTransaction(sqlite.BeginTransaction(deferred: false), turn);
        }
        catch
        {
            turn.Release();
            throw;
        }
    }

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
    private SemaphoreSlim? _turn;

    internal WriteTransaction(DbTransaction transaction, SemaphoreSlim? turn)
    {
        Transaction = transaction;
        _turn = turn;
    }

    /// <summary>The transaction to pass to each command.</summary>
    public DbTransaction Transaction { get; }

    /// <summary>Commits (durably: synchronous = FULL), then lets the next writer in.</summary>
    public void Commit()
    {
        Transaction.Commit();
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
