using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace JointEfforts.Api.Infrastructure;

public enum Role
{
    Admin,
    Coordinator,
    CountryExpert,
    SteeringGroup,
}

/// <summary>Authorization policies, said once per route group.</summary>
public static class Policies
{
    /// <summary>admin only: users and tokens.</summary>
    public const string Admin = "admin";

    /// <summary>admin and coordinator: change programmes, meetings, courses, participants, forms.</summary>
    public const string Coordinator = "coordinator";

    /// <summary>admin, coordinator and country expert: course work, the expert only in their country (scoped in SQL).</summary>
    public const string CourseStaff = "courseStaff";

    /// <summary>admin and country expert: write and submit a course's evaluation report (which expert: checked per course).</summary>
    public const string CountryExpert = "countryExpert";

    /// <summary>admin and steering group: accept or return evaluation reports.</summary>
    public const string SteeringGroup = "steeringGroup";

    /// <summary>admin, coordinator and steering group: read across all countries, dashboards, exports.</summary>
    public const string Reader = "reader";

    /// <summary>every role; a country expert's reads are scoped to their country in SQL.</summary>
    public const string AnyUser = "anyUser";

    public static IServiceCollection AddJointEffortsAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Admin, p => p.RequireRole(Roles(Role.Admin)))
            .AddPolicy(Coordinator, p => p.RequireRole(Roles(Role.Admin, Role.Coordinator)))
            .AddPolicy(CourseStaff, p => p.RequireRole(Roles(Role.Admin, Role.Coordinator, Role.CountryExpert)))
            .AddPolicy(CountryExpert, p => p.RequireRole(Roles(Role.Admin, Role.CountryExpert)))
            .AddPolicy(SteeringGroup, p => p.RequireRole(Roles(Role.Admin, Role.SteeringGroup)))
            .AddPolicy(Reader, p => p.RequireRole(Roles(Role.Admin, Role.Coordinator, Role.SteeringGroup)))
            .AddPolicy(AnyUser, p => p.RequireRole(Roles(Role.Admin, Role.Coordinator, Role.CountryExpert, Role.SteeringGroup)));
        return services;
    }

    private static string[] Roles(params Role[] roles) => roles.Select(r => r.ToWire()).ToArray();
}

/// <summary>The authenticated user of a request. Handlers take it as a parameter.</summary>
public sealed record Caller(int UserId, Role Role, string? CountryCode)
{
    /// <summary>The only country a country expert may see; null for every other role.</summary>
    public string? CountryScope => Role == Role.CountryExpert ? CountryCode : null;

    /// <summary>The steering group reads everything except personal contact data (e-mails).</summary>
    public bool MaySeeContactData => Role != Role.SteeringGroup;

    public bool Is(params Role[] roles) => roles.Contains(Role);

    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult(From(context.User));

    public static Caller? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true
            || !int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            || !Enum.TryParse<Role>(user.FindFirstValue(ClaimTypes.Role), ignoreCase: true, out var role))
        {
            return null;
        }

        return new Caller(id, role, user.FindFirstValue(BearerTokens.CountryClaim));
    }
}

public sealed record CachedToken
{
    public int TokenId { get; init; }

    public int UserId { get; init; }

    public Role Role { get; init; }

    public string? CountryCode { get; init; }

    public DateTime? ExpiresAt { get; init; }
}

public static class BearerTokens
{
    public const string Scheme = "Bearer";
    public const string CountryClaim = "country";

    /// <summary>256 random bits, URL-safe, with a prefix that makes a leaked token easy to recognise.</summary>
    public static string Create() =>
        "je_" + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Where the rate limiter leaves the hash of the request's bearer token (it reads the header first).</summary>
    public const string HashItem = "JointEfforts.TokenHash";

    /// <summary>The hash of the request's bearer token: the one the rate limiter computed, or computed now.</summary>
    public static string HashOf(HttpContext context, string token) =>
        context.Items.TryGetValue(HashItem, out var hash) && hash is string known ? known : Hash(token);

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// Recently seen tokens, so a request does not cost a database round trip once its token is known.
/// Entries live a minute; revoking a token or changing its user evicts them at once.
/// </summary>
public sealed class TokenCache(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (CachedToken Token, DateTime Until)> _entries = new(StringComparer.Ordinal);

    public CachedToken? Get(string hash)
    {
        if (!_entries.TryGetValue(hash, out var entry))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (entry.Until > now && (entry.Token.ExpiresAt is null || entry.Token.ExpiresAt > now))
        {
            return entry.Token;
        }

        _entries.TryRemove(hash, out _);
        return null;
    }

    public void Add(string hash, CachedToken token)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[hash] = (token, time.GetUtcNow().UtcDateTime + Lifetime);
    }

    public void EvictToken(int tokenId)
    {
        foreach (var (hash, entry) in _entries)
        {
            if (entry.Token.TokenId == tokenId)
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }

    public void EvictUser(int userId)
    {
        foreach (var (hash, entry) in _entries)
        {
            if (entry.Token.UserId == userId)
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }
}

public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenCache cache,
    Database database,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 512)
        {
            return AuthenticateResult.Fail("The Authorization header is not 'Bearer <token>'.");
        }

        var hash = BearerTokens.HashOf(Context, header[7..].Trim());
        var token = cache.Get(hash) ?? await LookUpAsync(hash);
        if (token is null)
        {
            return AuthenticateResult.Fail("The token is unknown, expired or revoked.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, token.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Role, token.Role.ToWire()),
        };
        if (token.CountryCode is not null)
        {
            claims.Add(new Claim(BearerTokens.CountryClaim, token.CountryCode));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, BearerTokens.Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, BearerTokens.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private async Task<CachedToken?> LookUpAsync(string hash)
    {
        await using var connection = database.Open();
        var token = await connection.QuerySingleOrDefaultAsync<CachedToken>(
            """
            SELECT t.id AS TokenId, u.id AS UserId, u.role AS Role, u.country_code AS CountryCode, t.expires_at AS ExpiresAt
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = @hash AND t.revoked_at IS NULL AND u.deleted_at IS NULL
              AND (t.expires_at IS NULL OR t.expires_at > @now)
            """,
            new { hash, now = Database.Timestamp(time.GetUtcNow().UtcDateTime) });
        if (token is not null)
        {
            cache.Add(hash, token);
        }

        return token;
    }
}
