using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JointEfforts.Tests.Postgres;

/// <summary>
/// Runs only when the suite runs on PostgreSQL (<c>JE_TEST_DATABASE=postgres</c>, with <c>JE_TEST_POSTGRES</c> naming a server
/// where the test role may create databases); skipped on the default SQLite run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresOnlyAttribute : FactAttribute
{
    public PostgresOnlyAttribute()
    {
        if (!SchemaDatabases.OnPostgres)
        {
            Skip = "PostgreSQL only: set JE_TEST_DATABASE=postgres and JE_TEST_POSTGRES to a server's connection string.";
        }
    }
}

/// <summary>
/// Fresh databases for the schema tests, made without the API: a PostgreSQL database from sql/postgres/*.sql (as
/// <c>psql -v ON_ERROR_STOP=1 -f</c> would), and a SQLite file migrated from sql/*.sql as the runner does.
/// </summary>
internal static class SchemaDatabases
{
    public static bool OnPostgres =>
        string.Equals(Environment.GetEnvironmentVariable("JE_TEST_DATABASE"), "postgres", StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("JE_TEST_POSTGRES"));

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

    internal sealed class ScratchPostgres : IDisposable
    {
        private readonly string _server = Environment.GetEnvironmentVariable("JE_TEST_POSTGRES")!;

        public ScratchPostgres()
        {
            Name = $"je_schema_{Guid.NewGuid():N}";
            using (var admin = new NpgsqlConnection(_server))
            {
                admin.Open();
                admin.Execute($"CREATE DATABASE {Name}");
            }

            ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = Name, Pooling = false }.ConnectionString;
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

        public void Dispose()
        {
            using var admin = new NpgsqlConnection(_server);
            admin.Open();
            admin.Execute($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        }
    }
}
