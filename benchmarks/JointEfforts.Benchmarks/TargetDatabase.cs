using Npgsql;

namespace JointEfforts.Benchmarks;

/// <summary>
/// The fresh, empty database one engine's measurements run on, removed afterwards: a SQLite file in the temp folder, or a
/// new database on the PostgreSQL server given (its role may create databases). The API migrates it at start-up.
/// </summary>
internal sealed class TargetDatabase : IAsyncDisposable
{
    private readonly Func<Task> _remove;

    private TargetDatabase(string engine, string connectionString, Func<Task> remove)
    {
        Engine = engine;
        ConnectionString = connectionString;
        _remove = remove;
    }

    /// <summary>The value of <c>JointEfforts:Database</c>: <c>sqlite</c> or <c>postgres</c>.</summary>
    public string Engine { get; }

    /// <summary>The value of <c>ConnectionStrings:JointEfforts</c>.</summary>
    public string ConnectionString { get; }

    public static TargetDatabase Sqlite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"je-load-bench-{Guid.NewGuid():N}.db");
        return new TargetDatabase("sqlite", $"Data Source={file}", () =>
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }

            return Task.CompletedTask;
        });
    }

    public static async Task<TargetDatabase> PostgresAsync(string server)
    {
        var name = $"je_load_bench_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connection = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new TargetDatabase("postgres", connection, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        });
    }

    public async ValueTask DisposeAsync() => await _remove();
}
