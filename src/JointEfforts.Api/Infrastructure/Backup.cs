using Dapper;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Api.Infrastructure;

/// <summary>
/// <c>dotnet JointEfforts.Api.dll backup &lt;file&gt;</c>: an online copy of the database made with
/// <c>VACUUM INTO</c> while the API keeps running (one consistent snapshot; writers are not stopped),
/// then checked with <c>PRAGMA integrity_check</c>. <c>VACUUM INTO</c> writes every table and index anew in key
/// order, without free pages and without a WAL, so a backup carries no order of arrival of anonymous answers and no
/// transaction history (issue 23; the live file is rewritten likewise by <see cref="AtRestScrubber"/>).
/// Restore: stop the API, put the copy in place of the
/// database file (remove its -wal and -shm files), start the API.
/// <para>
/// On PostgreSQL (<c>JointEfforts:Database=postgres</c>) this command refuses and names the server's own tools:
/// <c>pg_dump -Fc</c> for a consistent online copy, <c>pg_restore</c> to put it back (README, "PostgreSQL").
/// </para>
/// </summary>
public static class Backup
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "backup";

    /// <summary>Reads the connection string as the API does: appsettings.json, then the environment.</summary>
    public static int Run(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: JointEfforts.Api backup <target-file.db>");
            return 2;
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        if (Database.ParseEngine(configuration[Database.EngineSetting]) == DatabaseEngine.Postgres)
        {
            Console.Error.WriteLine(PostgresRefusal);
            return 2;
        }

        var database = new Database(configuration.GetConnectionString("JointEfforts") ?? Database.DefaultConnectionString);
        try
        {
            var result = CopyTo(database, args[1]);
            Console.WriteLine($"Backed up {database.FilePath} to {result.Path} ({result.Bytes:N0} bytes); integrity_check: ok.");
            return 0;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"Backup failed: {ex.Message}");
            return 1;
        }
    }

    /// <summary>What the command says on PostgreSQL.</summary>
    public const string PostgresRefusal =
        "JointEfforts:Database is postgres: back up with PostgreSQL's own tools, e.g. " +
        "`pg_dump -Fc -f jointefforts.dump <database>` (a consistent online copy), and restore into an empty database with " +
        "`pg_restore -d <database> jointefforts.dump`. This command copies SQLite files only.";

    public static (string Path, long Bytes) CopyTo(Database database, string targetPath)
    {
        if (database.Engine == DatabaseEngine.Postgres)
        {
            throw new InvalidOperationException(PostgresRefusal);
        }

        var target = Path.GetFullPath(targetPath);
        if (File.Exists(target))
        {
            throw new IOException($"{target} exists already; choose a new file name.");
        }

        using (var source = database.Open())
        using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
        {
            source.Execute("VACUUM INTO @target", new { target });
            copy.Open();
            var integrity = copy.ExecuteScalar<string>("PRAGMA integrity_check");
            if (integrity != "ok")
            {
                throw new InvalidOperationException($"The copy failed its integrity check: {integrity}");
            }
        }

        return (target, new FileInfo(target).Length);
    }
}
