using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// Applies <c>sql/NNNN_name.sql</c> in order, each in its own transaction, and records it in
/// <c>schema_migrations</c> with its checksum; a second start applies nothing again. A failing script stops start-up.
/// The runner refuses to start, naming the file, when a file not yet applied sorts before the newest applied one
/// (it would run out of order on existing databases: give it the next number) or when an applied file has changed
/// since (its checksum differs: add the next number instead of editing it). Rows applied before checksums were
/// recorded (sql/0040) get theirs on the first start that knows them.
/// <para>
/// On PostgreSQL the scripts are <c>sql/postgres/NNNN_name.sql</c> (the baseline 0071 stands for sql/0001..0071), and the
/// whole run holds a session advisory lock (<see cref="Database.RunOnce"/>): two instances starting together on an empty
/// database migrate it once, the second waits and then finds everything applied.
/// </para>
/// </summary>
public sealed class MigrationRunner(Database database, ILogger<MigrationRunner> logger)
{
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "sql");

    /// <summary>The PostgreSQL scripts, beside the binary.</summary>
    public static string PostgresDirectory => Path.Combine(AppContext.BaseDirectory, "sql", "postgres");

    public IReadOnlyList<string> Apply(string? directory = null)
    {
        directory ??= database.Engine == DatabaseEngine.Postgres ? PostgresDirectory : DefaultDirectory;
        if (!Directory.Exists(directory))
        {
            throw new InvalidOperationException($"Migration folder '{directory}' does not exist.");
        }

        return database.RunOnce(() => ApplyFrom(directory));
    }

    private List<string> ApplyFrom(string directory)
    {
        using var connection = database.Open();
        if (connection.IsPostgres())
        {
            connection.Execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name        text PRIMARY KEY,
                    applied_at  text NOT NULL DEFAULT (to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                );
                """);
        }
        else
        {
            // WAL is a property of the file: set once, it holds for every later connection.
            connection.Execute("PRAGMA journal_mode = WAL;");
            connection.Execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name        TEXT PRIMARY KEY,
                    applied_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
                );
                """);
        }

        var scripts = Directory.GetFiles(directory, "*.sql")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name.Length > 5 && char.IsAsciiDigit(name[0]))
            .Order(StringComparer.Ordinal)
            .ToDictionary(name => name, name => Checksum(Path.Combine(directory, name)), StringComparer.Ordinal);
        var applied = ReadApplied(connection);
        Refuse(scripts, applied);

        var newlyApplied = new List<string>();
        foreach (var (name, checksum) in scripts.Where(script => !applied.ContainsKey(script.Key)))
        {
            var sql = File.ReadAllText(Path.Combine(directory, name));
            using var transaction = connection.BeginTransaction();
            try
            {
                connection.Execute(sql, transaction: transaction);
                connection.Execute(
                    HasChecksumColumn(connection, transaction)
                        ? "INSERT INTO schema_migrations (name, checksum) VALUES (@name, @checksum)"
                        : "INSERT INTO schema_migrations (name) VALUES (@name)",
                    new { name, checksum }, transaction);
                transaction.Commit();
            }
            catch (DbException ex)
            {
                throw new InvalidOperationException($"Migration {name} failed and was rolled back: {ex.Message}", ex);
            }

            logger.LogInformation("Applied migration {Migration}", name);
            newlyApplied.Add(name);
        }

        RecordMissingChecksums(connection, scripts);
        return newlyApplied;
    }

    /// <summary>
    /// SHA-256 of the script as text with its line ends made \n, in lower-case hex: a checkout that writes CRLF is
    /// the same file; any other change is not.
    /// </summary>
    public static string Checksum(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static Dictionary<string, string?> ReadApplied(DbConnection connection) =>
        HasChecksumColumn(connection, null)
            ? connection.Query<(string Name, string? Checksum)>("SELECT name, checksum FROM schema_migrations")
                .ToDictionary(row => row.Name, row => row.Checksum, StringComparer.Ordinal)
            : connection.Query<string>("SELECT name FROM schema_migrations")
                .ToDictionary(name => name, _ => (string?)null, StringComparer.Ordinal);

    /// <summary>Both refusals, before anything is applied: every offending file is named.</summary>
    private static void Refuse(Dictionary<string, string> scripts, Dictionary<string, string?> applied)
    {
        var faults = new List<string>();
        var newest = applied.Keys.Max(StringComparer.Ordinal);
        foreach (var name in scripts.Keys.Where(name => !applied.ContainsKey(name) && newest is not null && string.CompareOrdinal(name, newest) < 0))
        {
            faults.Add(
                $"{name} is not applied but sorts before {newest}, the newest migration this database has: it would run out of order. " +
                "Give it a number after the newest one.");
        }

        foreach (var (name, checksum) in scripts.Where(script => applied.TryGetValue(script.Key, out var stored) && stored is not null && stored != script.Value))
        {
            faults.Add(
                $"{name} was changed after it was applied (its checksum is {checksum}, the database recorded {applied[name]}). " +
                "An applied migration is never edited: undo the change and add the next number instead.");
        }

        if (faults.Count > 0)
        {
            throw new InvalidOperationException("Migrations refused: " + string.Join(" ", faults));
        }
    }

    /// <summary>Rows applied before sql/0040 recorded checksums get the checksum of the file as it is now.</summary>
    private static void RecordMissingChecksums(DbConnection connection, Dictionary<string, string> scripts)
    {
        if (!HasChecksumColumn(connection, null)
            || !connection.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE checksum IS NULL)"))
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        connection.Execute(
            "UPDATE schema_migrations SET checksum = @Value WHERE name = @Key AND checksum IS NULL",
            scripts.ToList(), transaction);
        transaction.Commit();
    }

    private static bool HasChecksumColumn(DbConnection connection, DbTransaction? transaction) =>
        connection.ExecuteScalar<bool>(
            connection.IsPostgres()
                ? "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'checksum')"
                : "SELECT EXISTS (SELECT 1 FROM pragma_table_info('schema_migrations') WHERE name = 'checksum')",
            transaction: transaction);
}
