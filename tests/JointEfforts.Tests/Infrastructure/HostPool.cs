using System.Collections.Concurrent;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace JointEfforts.Tests.Infrastructure;

/// <summary>
/// Started API hosts kept between tests, each with its own database file. Starting a host is most of what a test of
/// this suite costs (about a second of CPU: the container, about a hundred minimal-API handlers compiled, Razor Pages,
/// the first request), so a test whose host nobody configures (see <see cref="JointEffortsApp"/>) borrows one.
/// Before a test gets a host, its database is put back to the template (SQLite's backup API, a copy of every page,
/// so ids start again where a fresh database starts them) and the host's token cache is emptied: what a test sees is
/// what a fresh host on a fresh database shows. A host whose database cannot be reset, or that was stopped, is dropped.
/// </summary>
internal static class HostPool
{
    private static readonly ConcurrentDictionary<string, ConcurrentBag<Slot>> Idle = new(StringComparer.Ordinal);

    /// <summary>On PostgreSQL: each template's rows, taken once, to put a kept host's database back to it.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<PostgresDatabases.Snapshot>> Snapshots = new(StringComparer.Ordinal);

    /// <summary>A database file for a test of this kind, holding the template's rows, with the host last started on it if any.</summary>
    public static Slot Lease(string key, string template)
    {
        var idle = Idle.GetOrAdd(key, _ => []);
        while (idle.TryTake(out var slot))
        {
            if (slot.TryReset(template))
            {
                return slot;
            }

            slot.Drop();
        }

        var fresh = new Slot(key, TestDatabases.NewPath());
        TestDatabases.CopyTemplate(template, fresh.DatabasePath);
        return fresh;
    }

    /// <summary>Gives a slot back after its test (the next test resets it).</summary>
    public static void Return(Slot slot)
    {
        if (slot.Stopped)
        {
            slot.Drop();
            return;
        }

        Idle.GetOrAdd(slot.Key, _ => []).Add(slot);
    }

    internal sealed class Slot(string key, string databasePath)
    {
        public string Key { get; } = key;

        public string DatabasePath { get; } = databasePath;

        /// <summary>The host started on this file by an earlier test, kept running; null until one is.</summary>
        public IHost? Host => _main?.Host;

        private Kept? _main;

        /// <summary>Hosts on the same file with a configuration added by <c>WithWebHostBuilder</c> (a clock), by that configuration.</summary>
        private readonly Dictionary<string, Kept> _derived = new(StringComparer.Ordinal);

        private IEnumerable<Kept> All => _main is null ? _derived.Values : _derived.Values.Prepend(_main);

        /// <summary>
        /// A host for the factory: the kept one, or one built now (and kept). The factory gets a view of it with a
        /// TestServer of its own, which it may dispose at the end of the test as it disposes any.
        /// </summary>
        public IHost Lend(IHostBuilder builder, Func<IHostBuilder, IHost> build) =>
            (_main ??= Kept.Build(builder, build)).Lend();

        /// <summary>The same for a factory made by <c>WithWebHostBuilder</c> with a configuration that captures nothing, named by <paramref name="key"/>.</summary>
        public IHost LendDerived(string key, IHostBuilder builder, Func<IHostBuilder, IHost> build)
        {
            lock (_derived)
            {
                if (!_derived.TryGetValue(key, out var kept))
                {
                    kept = Kept.Build(builder, build);
                    _derived[key] = kept;
                }

                return kept.Lend();
            }
        }

        public bool Stopped => All.Any(kept => kept.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);

        /// <summary>
        /// Puts the template's pages back into this file, under the kept host's open connections, and empties its token cache.
        /// On PostgreSQL the template's rows are put back instead (<see cref="PostgresDatabases.Snapshot"/>).
        /// </summary>
        public bool TryReset(string template)
        {
            try
            {
                long users;
                if (TestEngine.IsPostgres)
                {
                    using (var target = PostgresDatabases.Open(DatabasePath))
                    {
                        users = target.ExecuteScalar<long?>("SELECT MAX(id) FROM users") ?? 0;
                    }

                    if (!Snapshots.GetOrAdd(template, name => new Lazy<PostgresDatabases.Snapshot>(() => PostgresDatabases.Snapshot.Take(name))).Value
                        .TryRestore(DatabasePath))
                    {
                        return false;
                    }
                }
                else
                {
                    using var target = new SqliteConnection($"Data Source={DatabasePath};Pooling=False;Default Timeout=10");
                    target.Open();
                    target.Execute("PRAGMA busy_timeout = 10000;");
                    users = target.ExecuteScalar<long?>("SELECT MAX(id) FROM users") ?? 0;
                    using var source = new SqliteConnection($"Data Source={template};Mode=ReadOnly;Pooling=False");
                    source.Open();
                    source.BackupDatabase(target);
                }

                foreach (var kept in All)
                {
                    // Cached tokens name their user and role: a token of the last test (the admin's, a demo user's) must be read again.
                    var tokens = kept.Host.Services.GetRequiredService<TokenCache>();
                    for (var id = 1; id <= users; id++)
                    {
                        tokens.EvictUser(id);
                    }

                    // So must the language texts a test wrote (kept up to TextStore.MaxAge otherwise).
                    kept.Host.Services.GetRequiredService<JointEfforts.Api.Languages.TextStore>().Forget();

                    // And the reads it kept: on SQLite the restore is a commit its cache would see at its next look, but on
                    // PostgreSQL the rows come back with the triggers off (no je_changed), so it is told here, for both.
                    kept.Host.Services.GetRequiredService<ReadCache>().Changed();
                }

                return true;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                return false;
            }
        }

        public void Drop()
        {
            foreach (var kept in All)
            {
                try
                {
                    kept.Host.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
                    kept.Host.Dispose();
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
                {
                }
            }

            _main = null;
            _derived.Clear();
            SqliteConnection.ClearAllPools();
            TestDatabases.Delete(DatabasePath);
        }
    }

    /// <summary>A kept host, and what its server remembered of the app's request pipeline.</summary>
    private sealed class Kept(IHost host, ApplicationCapture application)
    {
        public IHost Host { get; } = host;

        public static Kept Build(IHostBuilder builder, Func<IHostBuilder, IHost> build)
        {
            builder.ConfigureServices(services =>
            {
                services.RemoveAll<IServer>();
                services.AddSingleton<ApplicationCapture>();
                services.AddSingleton<IServer>(provider => provider.GetRequiredService<ApplicationCapture>());
            });
            var host = build(builder);
            return new Kept(host, host.Services.GetRequiredService<ApplicationCapture>());
        }

        public IHost Lend()
        {
            var services = Host.Services;
            var server = new TestServer(services, services.GetRequiredService<IOptions<TestServerOptions>>());
            application.StartOn(server).GetAwaiter().GetResult();
            return new LentHost(new LentServices(services, server));
        }
    }

    /// <summary>The kept host's server: it only remembers the app's request pipeline, to start each test's TestServer on it.</summary>
    private sealed class ApplicationCapture : IServer
    {
        private Func<IServer, Task>? _start;

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartOn(IServer server) =>
            (_start ?? throw new InvalidOperationException("The kept host was not started."))(server);

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull
        {
            _start = server => server.StartAsync(application, CancellationToken.None);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    /// <summary>What the factory holds: the kept host's services, but its own TestServer; stopping and disposing it leaves the host running.</summary>
    private sealed class LentHost(IServiceProvider services) : IHost
    {
        public IServiceProvider Services { get; } = services;

        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    private sealed class LentServices(IServiceProvider inner, TestServer server) : IServiceProvider, ISupportRequiredService, IKeyedServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IServer) || serviceType == typeof(TestServer)
            ? server
            : inner.GetService(serviceType);

        public object GetRequiredService(Type serviceType) =>
            GetService(serviceType) ?? inner.GetRequiredService(serviceType);

        public object? GetKeyedService(Type serviceType, object? serviceKey) =>
            ((IKeyedServiceProvider)inner).GetKeyedService(serviceType, serviceKey);

        public object GetRequiredKeyedService(Type serviceType, object? serviceKey) =>
            ((IKeyedServiceProvider)inner).GetRequiredKeyedService(serviceType, serviceKey);
    }
}
