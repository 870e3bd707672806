using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
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

    /// <summary>
    /// The same policies for the workspace pages, which authenticate with the page session (an HttpOnly cookie,
    /// <see cref="WorkspaceSessions.Scheme"/>) instead of a bearer token: the roles of each are those of its API twin.
    /// An /api route never accepts the cookie (no antiforgery there), and a page never accepts a bearer token.
    /// </summary>
    public static class Pages
    {
        public const string Admin = "page:" + Policies.Admin;
        public const string Coordinator = "page:" + Policies.Coordinator;
        public const string CourseStaff = "page:" + Policies.CourseStaff;
        public const string CountryExpert = "page:" + Policies.CountryExpert;
        public const string SteeringGroup = "page:" + Policies.SteeringGroup;
        public const string Reader = "page:" + Policies.Reader;
        public const string AnyUser = "page:" + Policies.AnyUser;
    }

    /// <summary>Each policy's roles: the one table both the API's and the pages' policies are made from.</summary>
    public static readonly IReadOnlyDictionary<string, Role[]> RolesOf = new Dictionary<string, Role[]>(StringComparer.Ordinal)
    {
        [Admin] = [Role.Admin],
        [Coordinator] = [Role.Admin, Role.Coordinator],
        [CourseStaff] = [Role.Admin, Role.Coordinator, Role.CountryExpert],
        [CountryExpert] = [Role.Admin, Role.CountryExpert],
        [SteeringGroup] = [Role.Admin, Role.SteeringGroup],
        [Reader] = [Role.Admin, Role.Coordinator, Role.SteeringGroup],
        [AnyUser] = [Role.Admin, Role.Coordinator, Role.CountryExpert, Role.SteeringGroup],
    };

    public static IServiceCollection AddJointEffortsAuthorization(this IServiceCollection services)
    {
        var builder = services.AddAuthorizationBuilder();
        foreach (var (name, roles) in RolesOf)
        {
            builder.AddPolicy(name, p => p.RequireRole(Roles(roles)));
            builder.AddPolicy("page:" + name, p => p.AddAuthenticationSchemes(WorkspaceSessions.Scheme).RequireRole(Roles(roles)));
        }

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
/// Revoking a token or changing its user evicts its entries at once on this instance; every other instance (API processes
/// sharing one PostgreSQL database, issue 27) reads the token again when its entry is a second old, so a revoked token, a
/// deleted user or a changed role is refused or seen everywhere within <see cref="Lifetime"/>. That costs one indexed
/// look-up per token and second on a busy instance, whatever the number of its requests (docs/benchmarks.md).
/// </summary>
public sealed class TokenCache(TimeProvider time)
{
    /// <summary>How long an entry is believed without asking the database again: the promise across instances.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);
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

/// <summary>
/// The workspace pages' session: a cookie made at sign-in (<c>/signin</c>), HttpOnly, SameSite=Lax, Secure when the request
/// is, 8 hours sliding. It carries the claims a bearer token gives (user id, role, country), so <see cref="Caller"/> and
/// the policies read it exactly as they read a token; every request re-reads the user, so a deleted user, a changed role
/// or country, or a new password (a new session stamp) take effect at once, as evicting a token from the cache does.
/// </summary>
public static class WorkspaceSessions
{
    public const string Scheme = "Workspace";
    public const string CookieName = "je-session";
    public const string StampClaim = "stamp";

    /// <param name="accessDenied">What a signed-in user without the role sees (the pages' 403 page): given by the pages,
    /// so that infrastructure names no feature.</param>
    public static AuthenticationBuilder AddWorkspaceSessions(this AuthenticationBuilder builder, Func<HttpContext, Task> accessDenied) =>
        builder.AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.IsEssential = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = "/signin";
            options.LogoutPath = "/signout";
            options.ReturnUrlParameter = "returnUrl";
            options.Events.OnValidatePrincipal = ValidateAsync;
            options.Events.OnRedirectToAccessDenied = context => accessDenied(context.HttpContext);
        });

    public static ClaimsPrincipal Principal(int userId, Role role, string? countryCode, string displayName, string stamp)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Role, role.ToWire()),
            new(ClaimTypes.Name, displayName),
            new(StampClaim, stamp),
        };
        if (countryCode is not null)
        {
            claims.Add(new Claim(BearerTokens.CountryClaim, countryCode));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    private sealed record SessionRow
    {
        public Role Role { get; init; }

        public string? CountryCode { get; init; }

        public required string DisplayName { get; init; }

        public required string SessionStamp { get; init; }
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var caller = context.Principal is { } principal ? Caller.From(principal) : null;
        SessionRow? row = null;
        if (caller is not null)
        {
            await using var connection = context.HttpContext.RequestServices.GetRequiredService<Database>().Open();
            row = await connection.QuerySingleOrDefaultAsync<SessionRow>(
                """
                SELECT role AS Role, country_code AS CountryCode, display_name AS DisplayName, session_stamp AS SessionStamp
                FROM users WHERE id = @id AND deleted_at IS NULL AND password_hash IS NOT NULL
                """,
                new { id = caller.UserId });
        }

        if (caller is null || row is null || row.SessionStamp != context.Principal!.FindFirstValue(StampClaim))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }

        if (row.Role != caller.Role || row.CountryCode != caller.CountryCode
            || row.DisplayName != context.Principal!.FindFirstValue(ClaimTypes.Name))
        {
            context.ReplacePrincipal(Principal(caller.UserId, row.Role, row.CountryCode, row.DisplayName, row.SessionStamp));
            context.ShouldRenew = true;
        }
    }
}
