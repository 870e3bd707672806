using Dapper;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// Applies <c>sql/NNNN_name.sql</c> in order, each in its own transaction, and records it in
/// <c>schema_migrations</c>; a second start applies nothing again. A failing script stops start-up.
/// </summary>
public sealed class MigrationRunner(Database database, ILogger<MigrationRunner> logger)
{
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "sql");

    public IReadOnlyList<string> Apply(string? directory = null)
    {
        directory ??= DefaultDirectory;
        if (!Directory.Exists(directory))
        {
            throw new InvalidOperationException($"Migration folder '{directory}' does not exist.");
        }

        using var connection = database.Open();
        // WAL is a property of the file: set once, it holds for every later connection.
        connection.Execute("PRAGMA journal_mode = WAL;");
        connection.Execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name        TEXT PRIMARY KEY,
                applied_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
            );
            """);

        var applied = connection.Query<string>("SELECT name FROM schema_migrations").ToHashSet(StringComparer.Ordinal);
        var scripts = Directory.GetFiles(directory, "*.sql")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name.Length > 5 && char.IsAsciiDigit(name[0]))
            .Order(StringComparer.Ordinal)
            .ToList();

        var newlyApplied = new List<string>();
        foreach (var name in scripts.Where(name => !applied.Contains(name)))
        {
            var sql = File.ReadAllText(Path.Combine(directory, name));
            using var transaction = connection.BeginTransaction();
            try
            {
                connection.Execute(sql, transaction: transaction);
                connection.Execute("INSERT INTO schema_migrations (name) VALUES (@name)", new { name }, transaction);
                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new InvalidOperationException($"Migration {name} failed and was rolled back: {ex.Message}", ex);
            }

            logger.LogInformation("Applied migration {Migration}", name);
            newlyApplied.Add(name);
        }

        return newlyApplied;
    }
}
