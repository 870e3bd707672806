using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace JointEfforts.Tests.Infrastructure;

/// <summary>
/// The tests' databases on the PostgreSQL server of <see cref="TestEngine.PostgresServer"/> (issue 27). A test database is
/// a copy of a template database made once per migrations and build (<c>CREATE DATABASE x TEMPLATE t</c>, about a second
/// on the throwaway server); a kept host's database is put back to its template by a <see cref="Snapshot"/> of the
/// template's rows instead (tens of milliseconds: every table emptied and refilled with triggers and foreign keys off, the
/// sequences set back), as TRUNCATE of every table (0.7 s) and a new copy (1 s) were slower (docs/benchmarks.md).
/// Only databases named <c>je_test_*</c> and <c>je_tmpl_*</c> are made or dropped, so an existing server (JE_POSTGRES) keeps its own.
/// </summary>
internal static partial class PostgresDatabases
{
    public const string TestPrefix = "je_test_";
    public const string TemplatePrefix = "je_tmpl_";

    private static readonly ConcurrentBag<string> Created = [];

    static PostgresDatabases()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            NpgsqlConnection.ClearAllPools();
            foreach (var name in Created)
            {
                try
                {
                    Drop(name);
                }
                catch (NpgsqlException)
                {
                    // The server is gone (the throwaway one is removed with its folder).
                }
            }
        };
    }

    /// <summary>A new database name for a test (not made yet); dropped at the latest when the test process ends.</summary>
    public static string NewName()
    {
        var name = $"{TestPrefix}{Guid.NewGuid():N}";
        Created.Add(name);
        return name;
    }

    /// <summary>The Npgsql connection string of a database on the tests' server.</summary>
    public static string ConnectionString(string database, bool pooling = true) =>
        new NpgsqlConnectionStringBuilder(TestEngine.PostgresServer) { Database = Checked(database), Pooling = pooling }.ConnectionString;

    /// <summary>An open connection of its own (no pool: a dropped database leaves no broken connection behind).</summary>
    public static NpgsqlConnection Open(string database)
    {
        var connection = new NpgsqlConnection(ConnectionString(database, pooling: false));
        connection.Open();
        return connection;
    }

    public static bool Exists(string database)
    {
        using var server = Server();
        return server.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @database)", new { database });
    }

    /// <summary>Makes an empty database, or a copy of <paramref name="template"/> (which nobody may be connected to).</summary>
    public static void Create(string database, string? template = null)
    {
        using var server = Server();
        var sql = template is null ? $"CREATE DATABASE \"{Checked(database)}\"" : $"CREATE DATABASE \"{Checked(database)}\" TEMPLATE \"{Checked(template)}\"";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                server.Execute(sql);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
            {
                Thread.Sleep(100); // "source database is being accessed by other users": a copy of it being made, or its builder closing
            }
        }
    }

    /// <summary>Drops a database of the tests, closing whatever is still connected to it.</summary>
    public static void Drop(string database)
    {
        NpgsqlConnection.ClearAllPools();
        using var server = Server();
        server.Execute($"DROP DATABASE IF EXISTS \"{Checked(database)}\" WITH (FORCE)");
    }

    /// <summary>Renames a database (a template once complete), or false when the new name is taken.</summary>
    public static bool TryRename(string database, string newName)
    {
        NpgsqlConnection.ClearAllPools();
        using var server = Server();
        try
        {
            server.Execute($"ALTER DATABASE \"{Checked(database)}\" RENAME TO \"{Checked(newName)}\"");
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            return false;
        }
    }

    private static NpgsqlConnection Server()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestEngine.PostgresServer) { Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Only the tests' own names, which need no quoting beyond the double quotes.</summary>
    private static string Checked(string database) =>
        DatabaseName().IsMatch(database) ? database : throw new ArgumentException($"'{database}' is not a test database name.", nameof(database));

    [GeneratedRegex("^(je_test_|je_tmpl_)[a-z0-9_]{1,50}$")]
    private static partial Regex DatabaseName();

    /// <summary>
    /// The rows of every table of a database and the state of its sequences, as taken once from a template: restoring them
    /// into a copy of that template (a kept host's database after a test) gives what a fresh copy holds, ids included.
    /// </summary>
    public sealed class Snapshot
    {
        private readonly List<(string Table, byte[] Rows)> _tables;
        private readonly List<(string Sequence, long? LastValue)> _sequences;
        private readonly string _schema;

        private Snapshot(List<(string, byte[])> tables, List<(string, long?)> sequences, string schema)
        {
            _tables = tables;
            _sequences = sequences;
            _schema = schema;
        }

        /// <summary>
        /// A digest of what rows cannot carry: the tables, columns, indexes, constraints, views, triggers (and whether each is
        /// enabled) and functions of the database. A test that drops a trigger to prove a check can fail changes it; rows put
        /// back would not undo that, so such a database is not restored but replaced by a fresh copy.
        /// </summary>
        private const string SchemaDigest = """
            SELECT md5(string_agg(item, E'\n' ORDER BY item)) FROM (
                SELECT 'rel ' || c.relname || ' ' || c.relkind::text AS item FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public'
                UNION ALL
                SELECT 'col ' || a.attrelid::regclass::text || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
                UNION ALL
                SELECT 'con ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                WHERE connamespace = 'public'::regnamespace
                UNION ALL
                SELECT 'trg ' || tgrelid::regclass::text || ' ' || tgname || ' ' || tgenabled::text || ' ' || tgfoid::regproc::text FROM pg_trigger
                WHERE NOT tgisinternal
                UNION ALL
                SELECT 'fn ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
                UNION ALL
                SELECT 'view ' || c.relname || ' ' || md5(pg_get_viewdef(c.oid)) FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm')
            ) s
            """;

        public static Snapshot Take(string database)
        {
            using var connection = Open(database);
            var tables = new List<(string, byte[])>();
            foreach (var table in connection.Query<string>(
                "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
                "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1"))
            {
                using var copy = connection.BeginRawBinaryCopy($"COPY {table} TO STDOUT (FORMAT BINARY)");
                using var rows = new MemoryStream();
                copy.CopyTo(rows);
                tables.Add((table, rows.ToArray()));
            }

            var sequences = connection.Query<(string, long?)>(
                "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences ORDER BY 1").ToList();
            return new Snapshot(tables, sequences, connection.ExecuteScalar<string>(SchemaDigest)!);
        }

        /// <summary>
        /// Empties every table and puts the snapshot's rows and sequences back, in one transaction, with triggers and foreign
        /// keys off (<c>session_replication_role = replica</c>, which needs a superuser: false otherwise, and the caller makes a copy).
        /// False too when the database's schema is no longer the template's (<see cref="SchemaDigest"/>).
        /// </summary>
        public bool TryRestore(string database)
        {
            using var connection = Open(database);
            if (connection.ExecuteScalar<string>(SchemaDigest) != _schema)
            {
                return false;
            }

            try
            {
                connection.Execute("SET session_replication_role = replica");
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                return false;
            }

            using var transaction = connection.BeginTransaction();
            connection.Execute(string.Concat(_tables.Select(t => $"DELETE FROM {t.Table};")), transaction: transaction);
            foreach (var (table, rows) in _tables)
            {
                if (rows.Length <= EmptyCopyLength)
                {
                    continue;
                }

                using var copy = connection.BeginRawBinaryCopy($"COPY {table} FROM STDIN (FORMAT BINARY)");
                copy.Write(rows);
            }

            foreach (var (sequence, lastValue) in _sequences)
            {
                connection.Execute(
                    "SELECT setval(@sequence::regclass, COALESCE(@lastValue, 1), @lastValue IS NOT NULL)",
                    new { sequence, lastValue }, transaction);
            }

            transaction.Commit();
            return true;
        }

        /// <summary>The binary COPY of no rows: the 19-byte header and the 2-byte trailer.</summary>
        private const int EmptyCopyLength = 21;
    }
}
