using Dapper;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JointEfforts.Tests.Postgres;

/// <summary>
/// Fresh databases for the schema tests, made without the API: a PostgreSQL database from sql/postgres/*.sql (as
/// <c>psql -v ON_ERROR_STOP=1 -f</c> would), and a SQLite file migrated from sql/*.sql as the runner does.
/// </summary>
internal static class SchemaDatabases
{
    /// <summary>The repository's sql/ folder, found upwards from the test binary.</summary>
    public static string SqlFolder { get; } = FindSqlFolder();

    private static string FindSqlFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "sql");
            if (Directory.Exists(Path.Combine(candidate, "postgres")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No sql/postgres folder above " + AppContext.BaseDirectory);
    }

    /// <summary>A new PostgreSQL database with every sql/postgres script applied, each in its own transaction; dropped on dispose.</summary>
    public static ScratchPostgres Postgres() => new();

    /// <summary>A new SQLite file migrated from sql/*.sql, with je_actor()/je_request() answering <paramref name="actor"/> and <paramref name="request"/>.</summary>
    public static SqliteConnection Sqlite(string path, long? actor = null, string? request = null)
    {
        var connection = OpenSqlite(path, actor, request);
        connection.Execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name        TEXT PRIMARY KEY,
                applied_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
            );
            """);
        foreach (var file in Directory.GetFiles(SqlFolder, "*.sql").Order(StringComparer.Ordinal))
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute(File.ReadAllText(file), transaction: transaction);
            transaction.Commit();
        }

        return connection;
    }

    public static SqliteConnection OpenSqlite(string path, long? actor, string? request)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        connection.Execute("PRAGMA foreign_keys = ON");
        connection.CreateFunction("je_actor", () => actor, isDeterministic: false);
        connection.CreateFunction("je_request", () => request, isDeterministic: false);
        // PostgreSQL's je_sync_identities() (after rows with explicit ids) has nothing to do on SQLite: AUTOINCREMENT follows.
        connection.CreateFunction("je_sync_identities", () => 0L, isDeterministic: false);
        return connection;
    }

    /// <summary>A database of the tests' server (named je_test_*, as every test database: PostgresDatabases).</summary>
    internal sealed class ScratchPostgres : IDisposable
    {
        public ScratchPostgres()
        {
            Name = PostgresDatabases.NewName();
            PostgresDatabases.Create(Name);
            ConnectionString = PostgresDatabases.ConnectionString(Name, pooling: false);
            using var connection = Open();
            foreach (var file in Directory.GetFiles(Path.Combine(SqlFolder, "postgres"), "*.sql").Order(StringComparer.Ordinal))
            {
                using var transaction = connection.BeginTransaction();
                connection.Execute(File.ReadAllText(file), transaction: transaction);
                transaction.Commit();
            }
        }

        public string Name { get; }

        public string ConnectionString { get; }

        public NpgsqlConnection Open()
        {
            var connection = new NpgsqlConnection(ConnectionString);
            connection.Open();
            return connection;
        }

        public void Dispose() => PostgresDatabases.Drop(Name);
    }
}
