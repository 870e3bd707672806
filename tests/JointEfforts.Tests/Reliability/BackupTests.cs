using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Reliability;

public sealed class BackupTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jointefforts-tests", Guid.NewGuid().ToString("N"));

    public BackupTests() => Directory.CreateDirectory(_folder);

    [SqliteOnly("SQLite's online backup route (--backup) and its file; PostgreSQL is backed up with pg_dump")]
    public async Task AnOnlineBackupTakenWhileClientsWriteRestoresToAWorkingApi()
    {
        var copy = Path.Combine(_folder, "backup.db");
        int backedUp;
        using (var live = new JointEffortsApp(databasePath: Path.Combine(_folder, "live.db")))
        {
            using var coordinator = await live.CreateClientAsync(Role.Coordinator);
            for (var i = 0; i < 5; i++)
            {
                await Given.ProjectAsync(coordinator, $"BEFORE-{i}");
            }

            var writers = Task.WhenAll(Enumerable.Range(0, 4).Select(async w =>
            {
                for (var i = 0; i < 10; i++)
                {
                    var response = await coordinator.PostAsJsonAsync("/api/projects", Given.ProjectBody($"DURING-{w}-{i}"));
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                }
            }));
            var (path, bytes) = Backup.CopyTo(live.Services.GetDatabase(), copy);
            await writers;

            Assert.Equal(copy, path);
            Assert.True(bytes > 0);
            using var backup = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={copy};Pooling=False");
            backup.Open();
            Assert.Equal("ok", backup.ExecuteScalar<string>("PRAGMA integrity_check"));
            backedUp = (int)backup.ExecuteScalar<long>("SELECT COUNT(*) FROM projects");
            Assert.InRange(backedUp, 5, 45);
        }

        using var restored = new JointEffortsApp(databasePath: copy);
        using var admin = restored.CreateAdminClient();
        var projects = await (await admin.GetAsync("/api/projects?pageSize=200")).Expect(HttpStatusCode.OK);
        Assert.Equal(backedUp, projects.GetProperty("total").GetInt32());
        Assert.Contains(projects.GetProperty("items").EnumerateArray(), p => p.GetProperty("code").GetString() == "BEFORE-0");
    }

    [SqliteOnly("SQLite's online backup route (--backup) and its file; PostgreSQL is backed up with pg_dump")]
    public void TheBackupCommandRefusesToOverwriteAFile()
    {
        var target = Path.Combine(_folder, "exists.db");
        File.WriteAllText(target, "keep me");
        Environment.SetEnvironmentVariable("ConnectionStrings__JointEfforts", $"Data Source={Path.Combine(_folder, "source.db")}");
        try
        {
            Assert.Equal(1, Backup.Run(["backup", target]));
            Assert.Equal(2, Backup.Run(["backup"]));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ConnectionStrings__JointEfforts", null);
        }

        Assert.Equal("keep me", File.ReadAllText(target));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class ServiceProviderExtensions
{
    public static Database GetDatabase(this IServiceProvider services) =>
        (Database)services.GetService(typeof(Database))!;
}
