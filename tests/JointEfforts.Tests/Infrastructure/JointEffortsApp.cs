using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Dapper;

namespace JointEfforts.Tests.Infrastructure;

/// <summary>
/// The API on a fresh temporary SQLite file, migrated with the real sql/ scripts. Create one per test
/// (a test class field): tests never share data.
/// <para>
/// How it stays fast (docs/benchmarks.md, "The test suite"): the file is a copy of a template made once by a real
/// start-up (<see cref="TestDatabases"/>); an app that nothing configures (environment Testing, no
/// <c>configure</c>, no database path of its own, no Kestrel, settings other than rate limits) borrows an already
/// started host from <see cref="HostPool"/>, its database put back to the template and its token cache emptied first;
/// and <see cref="CreateUserAsync"/> writes the user and the token as the admin's two requests would, audit rows included.
/// </para>
/// </summary>
public sealed class JointEffortsApp : WebApplicationFactory<Program>
{
    public const string AdminToken = "je_test_admin_token_0123456789abcdef0123456789abcdef";

    /// <summary>Settings that change only what a request answers, not what start-up writes or what a host remembers.</summary>
    private static readonly HashSet<string> SharableSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        Startup.AdminTokenSetting, Startup.SeedDemoSetting, "JointEfforts:PublicBaseUrl",
        "JointEfforts:RateLimits:PerTokenPerMinute", "JointEfforts:RateLimits:AnonymousPerMinute", "JointEfforts:RateLimits:FailedCodesPerHour",
    };

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly bool _ownsDatabase;
    private readonly Action<IWebHostBuilder>? _configure;
    private readonly List<JointEffortsApp> _derived = [];
    private HostPool.Slot? _slot;
    private (HostPool.Slot Slot, string Key)? _sharedWith;
    private bool _kestrel;
    private bool _lent;
    private int _userCounter;

    public JointEffortsApp(
        string environment = "Testing", IDictionary<string, string?>? settings = null, string? databasePath = null, Action<IWebHostBuilder>? configure = null)
    {
        _configure = configure;
        _environment = environment;
        _settings = new Dictionary<string, string?>
        {
            [Startup.AdminTokenSetting] = AdminToken,
            ["JointEfforts:RateLimits:PerTokenPerMinute"] = "1000000",
            ["JointEfforts:RateLimits:AnonymousPerMinute"] = "1000000",
            ["JointEfforts:RateLimits:FailedCodesPerHour"] = "1000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        if (databasePath is not null || _settings.ContainsKey(ConnectionSetting))
        {
            _ownsDatabase = databasePath is null; // the test that chose the file (to restart on it) removes it
            DatabasePath = databasePath ?? TestDatabases.NewPath();
        }
        else if (StartsAsTemplate(out var adminToken, out var seedDemo))
        {
            // Start-up has nothing left to do on the template, whose rows are exactly what it would write.
            var template = TestDatabases.Template(adminToken, seedDemo);
            if (IsSharable())
            {
                _slot = HostPool.Lease(PoolKey(), template);
                DatabasePath = _slot.DatabasePath;
            }
            else
            {
                _ownsDatabase = true;
                DatabasePath = TestDatabases.NewPath();
                TestDatabases.CopyTemplate(template, DatabasePath);
            }
        }
        else
        {
            // Start-up configured by the test (a clock, a logger, another environment) runs on a migrated file as on an empty one.
            _ownsDatabase = true;
            DatabasePath = TestDatabases.NewPath();
            TestDatabases.CopyTemplate(TestDatabases.Template(adminToken: null, seedDemo: false), DatabasePath);
        }

        if (TestEngine.IsPostgres)
        {
            if (!_settings.ContainsKey(ConnectionSetting) && !PostgresDatabases.Exists(DatabasePath))
            {
                PostgresDatabases.Create(DatabasePath); // a database of the test's choosing: start-up migrates it, as it would a new file
            }
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        }

        foreach (var (key, value) in TestDatabases.Settings(DatabasePath))
        {
            _settings.TryAdd(key, value);
        }
    }

    private const string ConnectionSetting = TestDatabases.ConnectionSetting;

    public string DatabasePath { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        _configure?.Invoke(builder);
    }

    /// <summary>A client holding the bootstrap admin token.</summary>
    public HttpClient CreateAdminClient() => WithToken(CreateClient(), AdminToken);

    /// <summary>A client without a token.</summary>
    public HttpClient CreateAnonymousClient() => CreateClient();

    /// <summary>A new user of this role (and country, for a country expert), holding a fresh token.</summary>
    public async Task<HttpClient> CreateClientAsync(Role role, string? countryCode = null)
    {
        var user = await CreateUserAsync(role, countryCode);
        return WithToken(CreateClient(), user.Token);
    }

    /// <summary>
    /// A new user of this role and a token of theirs, written as the admin's <c>POST /api/users</c> and
    /// <c>POST /api/users/{id}/tokens</c> write them (the same rows, audit rows included), without the two requests.
    /// A user those requests would refuse is still asked for through them, so the test sees the same failure.
    /// </summary>
    public async Task<(int Id, string Token)> CreateUserAsync(Role role, string? countryCode = null)
    {
        if (role == Role.CountryExpert)
        {
            countryCode ??= "AT";
        }

        var number = Interlocked.Increment(ref _userCounter);
        var userName = $"{role.ToWire()}.{number}";
        var displayName = $"Test {role} {number}";
        var services = Services; // start-up has run: the admin exists
        var valid = Enum.IsDefined(role) && (role == Role.CountryExpert ? IsoCodes.IsCountry(countryCode) : countryCode is null);
        if (valid && _settings.GetValueOrDefault(Startup.AdminTokenSetting) is { Length: > 0 } adminToken
            && MintUser(services, adminToken, userName, displayName, role, countryCode) is { } minted)
        {
            return minted;
        }

        using var admin = CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/api/users", new
        {
            userName,
            displayName,
            role = role.ToWire(),
            countryCode,
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var token = await admin.PostAsJsonAsync($"/api/users/{id}/tokens", new { });
        token.EnsureSuccessStatusCode();
        return (id, (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
    }

    /// <summary>The rows of the two requests, or null when the admin token has no admin (the requests would be refused).</summary>
    private (int Id, string Token)? MintUser(IServiceProvider services, string adminToken, string userName, string displayName, Role role, string? countryCode)
    {
        using var db = OpenOwnConnection();
        var adminId = db.QuerySingleOrDefault<long?>(
            """
            SELECT u.id FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = @hash AND t.revoked_at IS NULL AND u.deleted_at IS NULL AND u.role = 'admin'
              AND (t.expires_at IS NULL OR t.expires_at > @now)
            """,
            new { hash = BearerTokens.Hash(adminToken), now = Database.Timestamp(DateTime.UtcNow) });
        if (adminId is null)
        {
            return null;
        }

        // The audit triggers ask who and which request: the admin, through the two routes. SQLite asks functions of the
        // connection; PostgreSQL's je_actor()/je_request() read settings of the transaction (issue 27).
        string? request = null;
        if (db is SqliteConnection sqlite)
        {
            sqlite.CreateFunction("je_actor", () => adminId, isDeterministic: false);
            sqlite.CreateFunction("je_request", () => request, isDeterministic: false);
        }

        using var transaction = db.BeginTransaction();
        void Said(string said)
        {
            request = said;
            if (db is not SqliteConnection)
            {
                db.Execute(
                    "SELECT set_config('je.actor', @actor, true), set_config('je.request', @request, true)",
                    new { actor = adminId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), request = said },
                    transaction);
            }
        }

        Said("POST /api/users");
        var id = db.ExecuteScalar<long?>(
            """
            INSERT INTO users (user_name, display_name, role, country_code)
            SELECT @userName, @displayName, @role, @countryCode
            WHERE NOT EXISTS (SELECT 1 FROM users WHERE user_name = @userName AND deleted_at IS NULL)
            RETURNING id
            """,
            new { userName, displayName, role = role.ToWire(), countryCode }, transaction)
            ?? throw new HttpRequestException($"The user name '{userName}' is taken (409 Conflict).");
        Said($"POST /api/users/{id}/tokens");
        var token = BearerTokens.Create();
        db.Execute(
            "INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at) VALUES (@id, @hash, @createdAt, NULL)",
            new { id, hash = BearerTokens.Hash(token), createdAt = Database.Timestamp(Database.Now(services.GetRequiredService<TimeProvider>())) },
            transaction);
        transaction.Commit();
        return ((int)id, token);
    }

    public HttpClient ClientWithToken(string token) => WithToken(CreateClient(), token);

    /// <summary>A connection of its own to the test's database (no pool), configured as the API configures its own.</summary>
    private System.Data.Common.DbConnection OpenOwnConnection()
    {
        if (TestEngine.IsPostgres)
        {
            return PostgresDatabases.Open(DatabasePath);
        }

        var db = new SqliteConnection($"Data Source={DatabasePath};Pooling=False;Default Timeout={Database.BusyTimeoutSeconds}");
        db.Open();
        db.Execute($"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {Database.BusyTimeoutSeconds * 1000};");
        return db;
    }

    /// <summary>
    /// A connection to the test's database (either engine's), for arranging rows an API does not create and asserting what
    /// was stored. SQL in tests stays portable, or the test says <see cref="SqliteOnlyAttribute"/>.
    /// </summary>
    public System.Data.Common.DbConnection OpenDatabase()
    {
        _ = Server; // the app (and its migrations) must have started
        return Services.GetRequiredService<Database>().Open();
    }

    /// <summary>
    /// A factory on the same database with more configuration. On a borrowed host, a configuration that captures nothing
    /// (so that the same code always configures the same way, as <c>OnToday</c>'s clock) is kept with it for the next test.
    /// </summary>
    public new WebApplicationFactory<Program> WithWebHostBuilder(Action<IWebHostBuilder> configuration)
    {
        var derived = new JointEffortsApp(_environment, _settings, DatabasePath, builder =>
        {
            _configure?.Invoke(builder);
            configuration(builder);
        });
        if (_slot is { } slot && !_kestrel && _configure is null && CapturesNothing(configuration))
        {
            var method = configuration.Method;
            derived._sharedWith = (slot, $"{method.Module.ModuleVersionId}:{method.MetadataToken}");
        }

        _derived.Add(derived);
        return derived;
    }

    /// <summary>On a real Kestrel port: a host of its own, never a borrowed one.</summary>
    public new void UseKestrel()
    {
        _kestrel = true;
        base.UseKestrel();
    }

    /// <inheritdoc cref="UseKestrel()"/>
    public new void UseKestrel(int port)
    {
        _kestrel = true;
        base.UseKestrel(port);
    }

    /// <inheritdoc cref="UseKestrel()"/>
    public new void UseKestrel(Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions> configureKestrelOptions)
    {
        _kestrel = true;
        base.UseKestrel(configureKestrelOptions);
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        if (_kestrel || _lent || ForDerivedFactory())
        {
            return base.CreateHost(builder);
        }

        if (_slot is { } slot)
        {
            _lent = true;
            return slot.Lend(builder, base.CreateHost);
        }

        if (_sharedWith is var (parent, key))
        {
            _lent = true;
            return parent.LendDerived(key, builder, base.CreateHost);
        }

        return base.CreateHost(builder);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            foreach (var derived in _derived)
            {
                derived.Dispose();
            }

            if (Interlocked.Exchange(ref _slot, null) is { } slot)
            {
                HostPool.Return(slot);
            }
        }

        SqliteConnection.ClearAllPools();
        if (!_ownsDatabase)
        {
            return; // the test that chose the file (to restart on it) removes it; a borrowed one goes back to the pool
        }

        TestDatabases.Delete(DatabasePath);
    }

    /// <summary>Whether start-up would write exactly what a template holds: the environment Testing, nothing configured by the test.</summary>
    private bool StartsAsTemplate(out string? adminToken, out bool seedDemo)
    {
        adminToken = _settings.GetValueOrDefault(Startup.AdminTokenSetting) ?? "";
        seedDemo = false;
        if (_environment != "Testing" || _configure is not null || _settings.ContainsKey(ConnectionSetting))
        {
            return false;
        }

        var seed = _settings.GetValueOrDefault(Startup.SeedDemoSetting);
        return seed is null || bool.TryParse(seed, out seedDemo);
    }

    /// <summary>Whether a kept host may serve this app: only settings that change what a request answers, and rate limits nobody reaches.</summary>
    private bool IsSharable() =>
        _settings.All(setting => SharableSettings.Contains(setting.Key))
        && _settings.Where(s => s.Key.StartsWith("JointEfforts:RateLimits:", StringComparison.OrdinalIgnoreCase)).All(s => s.Value == "1000000");

    private string PoolKey() =>
        string.Join("|", _settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));

    private static bool CapturesNothing(Delegate configuration) =>
        configuration.Target is null
        || configuration.Target.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic).Length == 0;

    /// <summary>WebApplicationFactory's own WithWebHostBuilder (reached through the base type) asks this factory to create its host.</summary>
    private static bool ForDerivedFactory() =>
        new System.Diagnostics.StackTrace(false).GetFrames()
            .Any(frame => frame.GetMethod()?.DeclaringType?.Name.StartsWith("DelegatedWebApplicationFactory", StringComparison.Ordinal) == true);

    private static HttpClient WithToken(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
