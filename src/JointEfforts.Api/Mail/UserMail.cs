using System.Data.Common;
using System.Globalization;
using Dapper;

namespace JointEfforts.Api.Mail;

/// <summary>
/// The messages to users of the workspace (issue 24): the one-time link that sets a password, mailed when e-mail is on
/// and the user has an address, in the transaction that creates the link. Users have no language of their own, so the
/// message is in English, the programme's working language (the steering group's messages are too).
/// </summary>
public static class UserMail
{
    /// <summary>After a sign-in link was written in <paramref name="transaction"/>: the link, to the user's address.</summary>
    public static async Task SignInLinkAsync(
        DbConnection db, DbTransaction transaction, long userId, string url, DateTime expiresAt)
    {
        if (Outbox.Options(db) is null || !Outbox.StaffHaveEmail(db, transaction))
        {
            return;
        }

        var user = await db.QuerySingleOrDefaultAsync<UserRow>(
            """
            SELECT id AS Id, user_name AS UserName, display_name AS Name, email AS Email FROM users
            WHERE id = @userId AND deleted_at IS NULL AND email IS NOT NULL AND trim(email) <> ''
            """,
            new { userId }, transaction);
        if (user is null)
        {
            return;
        }

        var texts = await MailTexts.ReadAsync(db, transaction);
        var language = MailTexts.Fallback;
        var values = new Dictionary<string, string?>
        {
            ["name"] = user.Name,
            ["userName"] = user.UserName,
            ["link"] = url,
            ["expiresAt"] = expiresAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        };
        const string key = "mail.signInLink";
        await Outbox.EnqueueAsync(db, transaction, new OutboxMessage(
            MailKind.SignInLink, user.Email, language,
            MailTexts.Fill(texts, key + ".subject", language, values), MailTexts.Fill(texts, key + ".body", language, values),
            UserId: user.Id));
    }

    private sealed record UserRow
    {
        public long Id { get; init; }

        public string UserName { get; init; } = "";

        public string Name { get; init; } = "";

        public string Email { get; init; } = "";
    }
}
