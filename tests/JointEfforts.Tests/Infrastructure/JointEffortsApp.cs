using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace JointEfforts.Tests.Infrastructure;

/// <summary>
/// The API on a fresh temporary SQLite file, migrated with the real sql/ scripts. Create one per test
/// (a test class field): tests never share data.
/// </summary>
public sealed class JointEffortsApp : WebApplicationFactory<Program>
{
    public const string AdminToken = "je_test_admin_token_0123456789abcdef0123456789abcdef";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly bool _ownsDatabase;
    private readonly Action<IWebHostBuilder>? _configure;
    private int _userCounter;

    public JointEffortsApp(
        string environment = "Testing", IDictionary<string, string?>? settings = null, string? databasePath = null, Action<IWebHostBuilder>? configure = null)
    {
        _configure = configure;
        _ownsDatabase = databasePath is null;
        DatabasePath = databasePath ?? Path.Combine(Path.GetTempPath(), "jointefforts-tests", $"{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        _environment = environment;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:JointEfforts"] = $"Data Source={DatabasePath}",
            [Startup.AdminTokenSetting] = AdminToken,
            ["JointEfforts:RateLimits:PerTokenPerMinute"] = "1000000",
            ["JointEfforts:RateLimits:AnonymousPerMinute"] = "1000000",
            ["JointEfforts:RateLimits:FailedCodesPerHour"] = "1000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

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

    public async Task<(int Id, string Token)> CreateUserAsync(Role role, string? countryCode = null)
    {
        if (role == Role.CountryExpert)
        {
            countryCode ??= "AT";
        }

        using var admin = CreateAdminClient();
        var number = Interlocked.Increment(ref _userCounter);
        var created = await admin.PostAsJsonAsync("/api/users", new
        {
            userName = $"{role.ToWire()}.{number}",
            displayName = $"Test {role} {number}",
            role = role.ToWire(),
            countryCode,
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var token = await admin.PostAsJsonAsync($"/api/users/{id}/tokens", new { });
        token.EnsureSuccessStatusCode();
        return (id, (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
    }

    public HttpClient ClientWithToken(string token) => WithToken(CreateClient(), token);

    /// <summary>A connection to the test's database, for arranging rows an API does not create and asserting what was stored.</summary>
    public SqliteConnection OpenDatabase()
    {
        _ = Server; // the app (and its migrations) must have started
        return Services.GetRequiredService<Database>().Open();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (!_ownsDatabase)
        {
            return; // the test that chose the file (to restart on it) removes it
        }

        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(DatabasePath + suffix);
            }
            catch (IOException)
            {
                // A file still held open is removed with the temp folder.
            }
        }
    }

    private static HttpClient WithToken(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
