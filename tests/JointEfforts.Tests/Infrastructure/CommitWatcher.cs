using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Tests.Infrastructure;

/// <summary>
/// Tells whether anything was committed to an app's database since the last look, by any connection (the API's, a
/// background worker's): "a rejected request changes nothing" checked on either engine. It starts once the app owes no
/// rewrite of anonymous writes (<see cref="AtRestScrubber.Settled"/>).
/// <list type="bullet">
/// <item>SQLite: <c>PRAGMA data_version</c> on a connection of its own, which changes with every other connection's commit.</item>
/// <item>PostgreSQL: per table of the schema, its row count and the newest transaction id among its rows (<c>xmin</c>): an insert
/// or an update writes a row version with a newer xmin, a delete lowers the count. Other databases of the same server (the
/// tests' parallel ones) do not count, as the server-wide WAL position or commit counters would.</item>
/// </list>
/// </summary>
internal sealed class CommitWatcher : IDisposable
{
    private readonly DbConnection _connection;
    private readonly string _sql;
    private readonly AtRestScrubber _scrubber;
    private string _last;

    public CommitWatcher(JointEffortsApp app)
    {
        _ = app.Server; // started, and migrated
        _scrubber = app.Services.GetRequiredService<AtRestScrubber>();
        WaitForTheScrubber();
        if (TestEngine.IsPostgres)
        {
            _connection = PostgresDatabases.Open(app.DatabasePath);
            var tables = _connection.Query<string>(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").ToList();
            _sql = string.Join(" || '|' || ", tables.Select(t => $"(SELECT '{t}:' || COUNT(*) || ':' || COALESCE(MAX(xmin::text::bigint), 0) FROM {t})"));
            _sql = "SELECT " + _sql;
        }
        else
        {
            _connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
            _connection.Open();
            _sql = "PRAGMA data_version";
        }

        _last = Read();
    }

    /// <summary>
    /// Waits until the app owes no rewrite of anonymous writes (<see cref="AtRestScrubber"/>: 3 s after they pause, a commit of
    /// its own that would be taken for the next request's), then looks afresh. Call it before each request watched: a request
    /// that writes anonymously is answered before its rewrite can begin, so the look after it sees only its own commits.
    /// </summary>
    public void Settle()
    {
        if (!_scrubber.Settled)
        {
            WaitForTheScrubber();
            _last = Read();
        }
    }

    private void WaitForTheScrubber()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!_scrubber.Settled)
        {
            if (waited.Elapsed > AtRestScrubber.MaxDelay + TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException("the app's AtRestScrubber did not settle");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Whether a commit happened since the watcher was made or last asked.</summary>
    public bool Changed()
    {
        var now = Read();
        var changed = now != _last;
        _last = now;
        return changed;
    }

    /// <summary>Whether the database is sound and still has its users table (SQLite: PRAGMA integrity_check too).</summary>
    public bool Sound() =>
        TestEngine.IsPostgres
            ? _connection.ExecuteScalar<bool>("SELECT to_regclass('public.users') IS NOT NULL")
            : _connection.ExecuteScalar<string>("PRAGMA integrity_check") == "ok"
              && _connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'users'") == 1;

    public void Dispose() => _connection.Dispose();

    private string Read() => Convert.ToString(_connection.ExecuteScalar(_sql), System.Globalization.CultureInfo.InvariantCulture)!;
}
