using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Reliability;

/// <summary>
/// Database keeps its connections open between uses, configured once and with their prepared statements (issue 16):
/// a connection is never lent to two users, never comes back inside a transaction, and never reads stale data.
/// </summary>
public sealed class ConnectionPoolTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jointefforts-tests", Guid.NewGuid().ToString("N"));
    private readonly Database _database;

    public ConnectionPoolTests()
    {
        Directory.CreateDirectory(_folder);
        _database = new Database($"Data Source={Path.Combine(_folder, "pool.db")}");
        new MigrationRunner(_database, NullLogger<MigrationRunner>.Instance).Apply();
    }

    [SqliteOnly("the SQLite connection pool and prepared statements of Database; Npgsql pools and prepares on PostgreSQL")]
    public void AConnectionGivenBackIsLentAgainConfiguredAsANewOne()
    {
        SqliteConnection first;
        using (first = (SqliteConnection)_database.Open())
        {
        }

        using var again = _database.Open();
        Assert.Same(first, again);
        Assert.Equal(1, again.ExecuteScalar<long>("PRAGMA foreign_keys"));
        Assert.Equal(2, again.ExecuteScalar<long>("PRAGMA synchronous")); // FULL
        Assert.Equal(Database.BusyTimeoutSeconds * 1000, again.ExecuteScalar<long>("PRAGMA busy_timeout"));
        Assert.Null(again.ExecuteScalar<long?>("SELECT je_actor()")); // the audit functions are still registered
    }

    [SqliteOnly("the SQLite connection pool and prepared statements of Database; Npgsql pools and prepares on PostgreSQL")]
    public void AConnectionDisposedTwiceIsLentToOneUserOnly()
    {
        var connection = _database.Open();
        connection.Dispose();
        connection.Dispose();

        using var a = _database.Open();
        using var b = _database.Open();
        Assert.NotSame(a, b);
    }

    [SqliteOnly("the SQLite connection pool and prepared statements of Database; Npgsql pools and prepares on PostgreSQL")]
    public void AConnectionGivenBackInsideATransactionIsClosedAndItsWritesRolledBack()
    {
        var connection = _database.Open();
        var transaction = connection.BeginTransaction();
        connection.Execute("INSERT INTO users (user_name, display_name, role) VALUES ('left.open', 'Left open', 'admin')", transaction: transaction);
        connection.Dispose(); // the transaction was neither committed nor disposed

        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        using var next = _database.Open();
        Assert.NotSame(connection, next);
        Assert.Equal(0, next.ExecuteScalar<long>("SELECT COUNT(*) FROM users WHERE user_name = 'left.open'"));
    }

    [SqliteOnly("the SQLite connection pool and prepared statements of Database; Npgsql pools and prepares on PostgreSQL")]
    public async Task APreparedQueryKeepsItsStatementAndSeesWhatOthersCommitted()
    {
        const string sql = "SELECT COUNT(*) FROM users WHERE role = @role";
        await using var reader = _database.Open();
        Assert.Equal(0, await reader.QueryPreparedFirstOrDefaultAsync<long>(sql, null, ("@role", "admin")));
        var kept = ((Database.PooledConnection)reader).Prepared(sql);

        await using (var writer = _database.Open())
        {
            Assert.NotSame(reader, writer);
            writer.Execute("INSERT INTO users (user_name, display_name, role) VALUES ('committed', 'Committed elsewhere', 'admin')");
        }

        Assert.Same(kept, ((Database.PooledConnection)reader).Prepared(sql));
        Assert.Equal(1, await reader.QueryPreparedFirstOrDefaultAsync<long>(sql, null, ("@role", "admin")));
        Assert.Equal(0, await reader.QueryPreparedFirstOrDefaultAsync<long>(sql, null, ("@role", "coordinator")));
    }

    [SqliteOnly("the SQLite connection pool and prepared statements of Database; Npgsql pools and prepares on PostgreSQL")]
    public async Task APreparedQueryReadsOneColumnAnswersOfEveryKind()
    {
        await using var db = _database.Open();
        Assert.Equal("wal", await db.QueryPreparedFirstOrDefaultAsync<string>("PRAGMA journal_mode", null));
        Assert.Null(await db.QueryPreparedFirstOrDefaultAsync<string>("SELECT NULL", null));
        Assert.Null(await db.QueryPreparedFirstOrDefaultAsync<long?>("SELECT id FROM users WHERE id = @id", null, ("@id", -1)));
        Assert.Equal(42L, await db.QueryPreparedFirstOrDefaultAsync<long?>("SELECT @n", null, ("@n", 42)));
        Assert.True(await db.QueryPreparedFirstOrDefaultAsync<bool?>("SELECT 1 = 1", null));
    }

    [SqliteOnly("the SQLite connection pool and prepared statements of Database; Npgsql pools and prepares on PostgreSQL")]
    public async Task AKeptRowParserReadsAColumnThatWasNullAtFirstAndAValueLaterAndTheOtherWayRound()
    {
        const string nullFirst = "SELECT CASE WHEN @empty THEN NULL ELSE 7 END AS Position, 'x' AS Name";
        const string valueFirst = "SELECT CASE WHEN @empty THEN NULL ELSE 7 END AS Position, 'y' AS Name";
        await using var db = _database.Open();

        Assert.Null((await db.QueryPreparedFirstOrDefaultAsync<Positioned>(nullFirst, null, ("@empty", 1)))!.Position);
        Assert.Equal(7, (await db.QueryPreparedFirstOrDefaultAsync<Positioned>(nullFirst, null, ("@empty", 0)))!.Position);
        Assert.Equal(7, (await db.QueryPreparedFirstOrDefaultAsync<Positioned>(valueFirst, null, ("@empty", 0)))!.Position);
        Assert.Null((await db.QueryPreparedFirstOrDefaultAsync<Positioned>(valueFirst, null, ("@empty", 1)))!.Position);
    }

    public sealed record Positioned
    {
        public int? Position { get; init; }

        public required string Name { get; init; }
    }

    [SqliteOnly("the SQLite connection pool and prepared statements of Database; Npgsql pools and prepares on PostgreSQL")]
    public void DisposingTheDatabaseClosesItsIdleConnectionsAndThoseGivenBackLater()
    {
        var idle = _database.Open();
        var inUse = _database.Open();
        idle.Dispose();

        _database.Dispose();
        Assert.Equal(System.Data.ConnectionState.Closed, idle.State);
        inUse.Dispose();
        Assert.Equal(System.Data.ConnectionState.Closed, inUse.State);
    }

    public void Dispose()
    {
        _database.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
