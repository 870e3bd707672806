using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace JointEfforts.Api.Users;

/// <summary>What the sign-in page posts. (Init properties, not a positional record: MVC's form binding validates those.)</summary>
public sealed record SignInCommand
{
    [Required(ErrorMessage = "Enter your user name.")]
    public string? UserName { get; init; }

    [Required(ErrorMessage = "Enter your password.")]
    public string? Password { get; init; }
}

/// <summary>What the set-password page posts: the link's token, the new password twice.</summary>
public sealed record SetPasswordCommand
{
    public string? Token { get; init; }

    [Required(ErrorMessage = "Choose a password of at least 10 characters.")]
    [StringLength(200, MinimumLength = Passwords.MinPasswordLength, ErrorMessage = "Choose a password of at least 10 characters (and at most 200).")]
    public string? Password { get; init; }

    [Required(ErrorMessage = "Type the password a second time.")]
    [Compare(nameof(Password), ErrorMessage = "The two passwords are not the same.")]
    public string? Confirm { get; init; }
}

/// <summary>The user a page session is made for.</summary>
public sealed record SessionUser
{
    public int Id { get; init; }

    public required string UserName { get; init; }

    public required string DisplayName { get; init; }

    public Role Role { get; init; }

    public string? CountryCode { get; init; }

    public required string SessionStamp { get; init; }
}

public abstract record SignInOutcome
{
    private SignInOutcome()
    {
    }

    public sealed record SignedIn(SessionUser User) : SignInOutcome;

    /// <summary>Field → message, beside the field (a wrong user name or password is said under <c>""</c>, for the form).</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : SignInOutcome;
}

/// <summary>
/// Passwords for the workspace pages (issue 24). Hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>
/// (PBKDF2-HMAC-SHA512, 100,000 iterations, a salt per hash). Five wrong passwords in a row lock the user out for 15 minutes;
/// a password is set only through a one-time link (<see cref="CreateLinkAsync"/>) whose token the server keeps as a SHA-256
/// hash. The hash is checked outside the write queue (it takes tens of milliseconds); what it decides is written in one
/// short write transaction.
/// </summary>
public static class Passwords
{
    public const int LinkDays = 7;
    public const int MinPasswordLength = 10;
    public const int MaxFailures = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    public const string WrongUserOrPassword = "The user name or the password is not right.";

    private static readonly PasswordHasher<SessionUser> Hasher = new();

    /// <summary>A hash of a password nobody has, checked when the user name is unknown so that the answer takes as long.</summary>
    private static readonly string Decoy = Hasher.HashPassword(null!, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    private const string SelectUser = """
        SELECT id AS Id, user_name AS UserName, display_name AS DisplayName, role AS Role, country_code AS CountryCode,
               session_stamp AS SessionStamp
        FROM users
        """;

    private sealed record Candidate
    {
        public int Id { get; init; }

        public string? PasswordHash { get; init; }

        public string? LockedUntil { get; init; }
    }

    /// <summary>
    /// A new one-time link for a user (replacing their unused ones); null when there is no such user. <paramref name="alsoInTransaction"/>
    /// (the transaction, the token, its expiry) writes what goes with the link, e.g. its e-mail into the outbox, before the commit.
    /// </summary>
    public static async Task<(string Token, DateTime ExpiresAt)?> CreateLinkAsync(
        DbConnection db, TimeProvider time, int userId, int days, Func<DbTransaction, string, DateTime, Task>? alsoInTransaction = null)
    {
        var token = BearerTokens.Create();
        var now = Database.Now(time);
        var expiresAt = now.AddDays(days);
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var exists = await db.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM users WHERE id = @userId AND deleted_at IS NULL)", new { userId }, transaction);
        if (!exists)
        {
            return null;
        }

        await db.ExecuteAsync(
            """
            UPDATE sign_in_links SET used_at = @now WHERE user_id = @userId AND used_at IS NULL;
            INSERT INTO sign_in_links (user_id, token_hash, created_at, expires_at) VALUES (@userId, @hash, @now, @expiresAt);
            """,
            new { userId, hash = BearerTokens.Hash(token), now = Database.Timestamp(now), expiresAt = Database.Timestamp(expiresAt) },
            transaction);
        if (alsoInTransaction is not null)
        {
            await alsoInTransaction(transaction, token, expiresAt);
        }

        write.Commit();
        return (token, expiresAt);
    }

    /// <summary>The user a link is for, while the link is unused and unexpired; null otherwise.</summary>
    public static async Task<SessionUser?> LinkUserAsync(DbConnection db, TimeProvider time, string? token, DbTransaction? transaction = null)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        return await db.QuerySingleOrDefaultAsync<SessionUser>(
            SelectUser + """
                 WHERE deleted_at IS NULL AND id = (
                    SELECT user_id FROM sign_in_links
                    WHERE token_hash = @hash AND used_at IS NULL AND expires_at > @now)
                """,
            new { hash = BearerTokens.Hash(token), now = Database.Timestamp(Database.Now(time)) },
            transaction);
    }

    /// <summary>
    /// Sets the password through a link: the link is used up, the password hashed, a lockout lifted, and every other
    /// session of the user ended (a new session stamp). Invalid: the messages beside the fields; null user: the link is
    /// unknown, used or expired.
    /// </summary>
    public static async Task<(SessionUser? User, IReadOnlyDictionary<string, string> Errors)> SetPasswordAsync(
        DbConnection db, TimeProvider time, SetPasswordCommand command)
    {
        var errors = Validate(command);
        var user = await LinkUserAsync(db, time, command.Token);
        if (user is null)
        {
            return (null, errors);
        }

        if (errors.Count == 0 && string.Equals(command.Password, user.UserName, StringComparison.OrdinalIgnoreCase))
        {
            errors["password"] = "Your password may not be your user name.";
        }

        if (errors.Count > 0)
        {
            return (user, errors);
        }

        var hash = Hasher.HashPassword(user, command.Password!);
        var stamp = NewStamp();
        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var used = await db.ExecuteAsync(
            "UPDATE sign_in_links SET used_at = @now WHERE token_hash = @tokenHash AND used_at IS NULL AND expires_at > @now AND user_id = @id",
            new { now = Database.Timestamp(Database.Now(time)), tokenHash = BearerTokens.Hash(command.Token!), id = user.Id }, transaction);
        if (used == 0)
        {
            return (null, errors); // used by another request a moment ago
        }

        await db.ExecuteAsync(
            """
            UPDATE users SET password_hash = @hash, failed_sign_ins = 0, locked_until = NULL, session_stamp = @stamp
            WHERE id = @Id AND deleted_at IS NULL
            """,
            new { hash, stamp, user.Id }, transaction);
        write.Commit();
        return (user with { SessionStamp = stamp }, errors);
    }

    /// <summary>Checks a user name and password; counts a wrong password towards the lockout.</summary>
    public static async Task<SignInOutcome> CheckAsync(DbConnection db, TimeProvider time, SignInCommand command)
    {
        var errors = Validate(command);
        if (errors.Count > 0)
        {
            return new SignInOutcome.Invalid(errors);
        }

        var now = Database.Now(time);
        var candidate = await db.QuerySingleOrDefaultAsync<Candidate>(
            // A user name is case-insensitive on both engines (SQLite's COLLATE NOCASE column, lower() on PostgreSQL).
            $"SELECT id AS Id, password_hash AS PasswordHash, locked_until AS LockedUntil FROM users WHERE {db.Sql().EqualsIgnoreCase("user_name", "@UserName")} AND deleted_at IS NULL",
            new { command.UserName });
        if (candidate is { LockedUntil: { } lockedText } && Locked(lockedText, now) is { } until)
        {
            return LockedOut(until);
        }

        var result = Hasher.VerifyHashedPassword(null!, candidate?.PasswordHash ?? Decoy, command.Password!);
        if (candidate?.PasswordHash is null || result == PasswordVerificationResult.Failed)
        {
            if (candidate?.PasswordHash is not null)
            {
                var lockedNow = await CountFailureAsync(db, candidate.Id, now);
                if (lockedNow is { } lockedUntil)
                {
                    return LockedOut(lockedUntil);
                }
            }

            return new SignInOutcome.Invalid(new Dictionary<string, string> { [""] = WrongUserOrPassword });
        }

        using var write = await db.BeginWriteAsync();
        var transaction = write.Transaction;
        var rehash = result == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(null!, command.Password!) : null;
        var user = await db.QuerySingleOrDefaultAsync<SessionUser>(
            $"""
            UPDATE users SET failed_sign_ins = 0, locked_until = NULL, password_hash = COALESCE(@rehash, password_hash)
            WHERE id = @Id AND deleted_at IS NULL AND (locked_until IS NULL OR locked_until <= @now)
            RETURNING id AS Id, user_name AS UserName, display_name AS DisplayName, role AS Role, country_code AS CountryCode,
                      session_stamp AS SessionStamp
            """,
            new { candidate.Id, rehash, now = Database.Timestamp(now) }, transaction);
        write.Commit();
        return user is null
            ? new SignInOutcome.Invalid(new Dictionary<string, string> { [""] = WrongUserOrPassword })
            : new SignInOutcome.SignedIn(user);
    }

    /// <summary>One more wrong password; at <see cref="MaxFailures"/> the user is locked out. Returns the lockout's end if it began now.</summary>
    private static async Task<DateTime?> CountFailureAsync(DbConnection db, int id, DateTime now)
    {
        var until = now + Lockout;
        using var write = await db.BeginWriteAsync();
        var locked = await db.ExecuteScalarAsync<string?>(
            """
            UPDATE users SET
                locked_until = CASE WHEN failed_sign_ins + 1 >= @max THEN @until ELSE locked_until END,
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @max THEN 0 ELSE failed_sign_ins + 1 END
            WHERE id = @id
            RETURNING locked_until
            """,
            new { id, max = MaxFailures, until = Database.Timestamp(until) }, write.Transaction);
        write.Commit();
        return locked is not null && Locked(locked, now) is { } lockedUntil ? lockedUntil : null;
    }

    private static DateTime? Locked(string lockedUntil, DateTime now) =>
        DateTime.TryParse(lockedUntil, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var until)
        && until > now
            ? until
            : null;

    private static SignInOutcome LockedOut(DateTime until) =>
        new SignInOutcome.Invalid(new Dictionary<string, string>
        {
            [""] = $"Too many wrong passwords: signing in is locked until {until:HH:mm} UTC. An admin's new sign-in link unlocks it at once.",
        });

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The command's DataAnnotations, by field name in camelCase (as the form's inputs are named).</summary>
    private static Dictionary<string, string> Validate(object command)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(command, new ValidationContext(command), results, validateAllProperties: true);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(""))
            {
                errors.TryAdd(Problems.JsonFieldName(member), result.ErrorMessage ?? "This is not valid.");
            }
        }

        return errors;
    }
}
