using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Tests.Infrastructure;

/// <summary>
/// Where the tests' databases live, and the template files they start from. A template is what a real start-up of the
/// API leaves in an empty file (the sql/ migrations, the bootstrap admin, the demo when asked), made once by a real
/// host and then copied per test (a file copy, against a migration of every script and a demo seed each time).
/// Its name is a hash of the sql/ files' names and contents, of the API build (its module id) and of today's date
/// (the demo links milestones to today), so a migration added later, or any change of the API, makes a new one.
/// <para>
/// On PostgreSQL (<see cref="TestEngine"/>) the same names stand for databases of the tests' server (<see cref="PostgresDatabases"/>):
/// a "path" is a database name, the template a database migrated and seeded once by the same real start-up, and a copy
/// <c>CREATE DATABASE x TEMPLATE t</c>. <see cref="Settings"/> gives what an app needs to open either.
/// </para>
/// </summary>
internal static class TestDatabases
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Templates = new(StringComparer.Ordinal);
    private static readonly ConcurrentBag<string> Created = [];

    static TestDatabases()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in Created)
            {
                Delete(path);
            }
        };
    }

    /// <summary>
    /// The folder of the tests' own database files: a RAM disk (/dev/shm) where there is one, as the files live only for a
    /// test and an fsync there costs nothing; the system's temp folder otherwise. JOINTEFFORTS_TEST_DATABASES overrides it.
    /// </summary>
    public static string Folder { get; } = ChooseFolder();

    /// <summary>
    /// A new, not yet existing, database path in <see cref="Folder"/> (on PostgreSQL: a database name); removed at the latest
    /// when the test process ends.
    /// </summary>
    public static string NewPath()
    {
        if (TestEngine.IsPostgres)
        {
            return PostgresDatabases.NewName();
        }

        var path = Path.Combine(Folder, $"{Guid.NewGuid():N}.db");
        Created.Add(path);
        return path;
    }

    /// <summary>
    /// The template for a start-up with this admin token and with or without the demo (a null admin token: the
    /// migrations only, for hosts whose start-up the tests configure themselves).
    /// </summary>
    public static string Template(string? adminToken, bool seedDemo) =>
        Templates.GetOrAdd($"{adminToken}|{seedDemo}", key => new Lazy<string>(() => CreateTemplate(adminToken, seedDemo))).Value;

    /// <summary>
    /// Copies a template to a new file (the main file only: a template holds no write-ahead log); on PostgreSQL makes the
    /// database from the template database.
    /// </summary>
    public static void CopyTemplate(string template, string path)
    {
        if (TestEngine.IsPostgres)
        {
            PostgresDatabases.Create(path, template);
            return;
        }

        File.Copy(template, path, overwrite: true);
    }

    /// <summary>The settings that open this database (a file, or a database of the tests' server) in an app.</summary>
    public static IReadOnlyDictionary<string, string?> Settings(string path) => TestEngine.IsPostgres
        ? new Dictionary<string, string?> { [ConnectionSetting] = PostgresDatabases.ConnectionString(path), [EngineSetting] = "postgres" }
        : new Dictionary<string, string?> { [ConnectionSetting] = $"Data Source={path}" };

    public const string ConnectionSetting = "ConnectionStrings:JointEfforts";

    /// <summary>A connection of its own (no pool) to a test's database, to arrange or assert rows outside any app.</summary>
    public static System.Data.Common.DbConnection Open(string path)
    {
        if (TestEngine.IsPostgres)
        {
            return PostgresDatabases.Open(path);
        }

        var connection = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout={Database.BusyTimeoutSeconds}");
        connection.Open();
        connection.Execute($"PRAGMA busy_timeout = {Database.BusyTimeoutSeconds * 1000};");
        return connection;
    }

    /// <summary>The API's choice of engine (<c>JointEfforts:Database</c>, issue 27).</summary>
    public const string EngineSetting = "JointEfforts:Database";

    public static void Delete(string path)
    {
        if (TestEngine.IsPostgres)
        {
            PostgresDatabases.Drop(path);
            return;
        }

        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(path + suffix);
            }
            catch (IOException)
            {
                // A file still held open is removed with the folder.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static string ChooseFolder()
    {
        var chosen = Environment.GetEnvironmentVariable("JOINTEFFORTS_TEST_DATABASES") is { Length: > 0 } given
            ? given
            : Directory.Exists("/dev/shm") ? "/dev/shm/jointefforts-tests" : Path.Combine(Path.GetTempPath(), "jointefforts-tests");
        try
        {
            Directory.CreateDirectory(chosen);
            var probe = Path.Combine(chosen, $"probe-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return chosen;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var fallback = Path.Combine(Path.GetTempPath(), "jointefforts-tests");
            Directory.CreateDirectory(fallback);
            return fallback;
        }
    }

    private static string CreateTemplate(string? adminToken, bool seedDemo)
    {
        if (TestEngine.IsPostgres)
        {
            return CreatePostgresTemplate(adminToken, seedDemo);
        }

        var folder = Path.Combine(Path.GetTempPath(), "jointefforts-tests", "templates");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Key(adminToken, seedDemo, MigrationRunner.DefaultDirectory)}.db");
        if (File.Exists(path))
        {
            return path;
        }

        RemoveOldTemplates(folder);
        var building = Path.Combine(folder, $"building-{Guid.NewGuid():N}.db");
        using (var factory = new StartUp(Settings(building), adminToken, seedDemo))
        {
            _ = factory.Services; // start-up: migrations, admin token, demo
        }

        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={building};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }

        try
        {
            File.Move(building, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another test process made the same template at the same time: theirs is as good.
        }

        Delete(building);
        return path;
    }

    /// <summary>
    /// The template database on PostgreSQL: made by a real start-up on an empty database, then renamed to its key, so that
    /// a template of that name is always complete (another test process on the same server may have made it already).
    /// </summary>
    private static string CreatePostgresTemplate(string? adminToken, bool seedDemo)
    {
        var postgres = Path.Combine(MigrationRunner.DefaultDirectory, "postgres");
        var name = PostgresDatabases.TemplatePrefix + Key(adminToken, seedDemo, Directory.Exists(postgres) ? postgres : MigrationRunner.DefaultDirectory).Replace('-', '_');
        if (PostgresDatabases.Exists(name))
        {
            return name;
        }

        var building = PostgresDatabases.TemplatePrefix + "building_" + Guid.NewGuid().ToString("N");
        PostgresDatabases.Create(building);
        try
        {
            using (var factory = new StartUp(Settings(building), adminToken, seedDemo))
            {
                _ = factory.Services; // start-up: migrations, admin token, demo
            }

            if (PostgresDatabases.TryRename(building, name))
            {
                return name;
            }
        }
        catch
        {
            PostgresDatabases.Drop(building);
            throw;
        }

        PostgresDatabases.Drop(building); // another test process made the same template at the same time: theirs is as good
        return name;
    }

    /// <summary>The template's name: a hash of the migrations in <paramref name="migrations"/>, the API build, the date and the start-up.</summary>
    internal static string Key(string? adminToken, bool seedDemo, string migrations)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        foreach (var file in Directory.GetFiles(migrations, "*.sql").Order(StringComparer.Ordinal))
        {
            Add(Path.GetFileName(file));
            hash.AppendData(File.ReadAllBytes(file));
        }

        Add(typeof(Program).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Add(adminToken ?? "(migrations only)");
        Add(seedDemo ? "demo" : "no demo");
        var name = Convert.ToHexStringLower(hash.GetHashAndReset())[..24];
        return $"{(adminToken is null ? "migrated" : seedDemo ? "demo" : "started")}-{name}";
    }

    private static void RemoveOldTemplates(string folder)
    {
        foreach (var file in Directory.GetFiles(folder))
        {
            if (File.GetLastWriteTimeUtc(file) < DateTime.UtcNow.AddDays(-1))
            {
                Delete(file);
            }
        }
    }

    /// <summary>The API started once on a template file, as the tests start it (environment Testing).</summary>
    private sealed class StartUp(IReadOnlyDictionary<string, string?> database, string? adminToken, bool seedDemo) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in database)
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting(Startup.AdminTokenSetting, adminToken ?? "");
            builder.UseSetting(Startup.SeedDemoSetting, seedDemo ? "true" : "false");
        }
    }
}
