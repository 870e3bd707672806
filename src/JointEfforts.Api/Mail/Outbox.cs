using System.Collections.Concurrent;
using System.ComponentModel;
using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Mail;

public enum MailKind
{
    Invitation,
    Promotion,
    Reminder,
    EvaluationLink,
    ReportSubmitted,
    ReportReturned,
    SignInLink,
}

public enum OutboxStatus
{
    Pending,
    Sending,
    Sent,
    Failed,
    Cancelled,
}

/// <summary>A message to write into the outbox, in the transaction of the change that causes it.</summary>
public sealed record OutboxMessage(
    MailKind Kind,
    string Recipient,
    string Language,
    string Subject,
    string Body,
    string? Calendar = null,
    long? ParticipantId = null,
    long? UserId = null,
    long? CourseId = null,
    long? EnrolmentId = null);

/// <summary>
/// The outbox (sql/0060_outbox.sql): messages are written by <see cref="EnqueueAsync"/> inside the caller's write
/// transaction, so a message exists exactly when the change that causes it was committed; <see cref="OutboxWorker"/>
/// sends them. With e-mail off (no <c>JointEfforts:Smtp:Host</c>) nothing is written and the hooks cost one lookup.
/// </summary>
public static class Outbox
{
    // Per database (a SQLite file, or a database on a PostgreSQL server: the server's DataSource alone is the same for
    // every database on it), as WriteQueue keeps its queues: several test apps (and their settings) live in one process.
    private static readonly ConcurrentDictionary<string, MailOptions> OnFor = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, bool> UsersHaveEmail = new(StringComparer.Ordinal);

    /// <summary>Says that e-mail is on (or off, with null) for the database file this connection opened.</summary>
    public static void Register(DbConnection db, MailOptions? options)
    {
        if (options is { Enabled: true })
        {
            OnFor[Key(db)] = options;
        }
        else
        {
            OnFor.TryRemove(Key(db), out _);
        }

        UsersHaveEmail.TryRemove(Key(db), out _);
    }

    private static string Key(DbConnection db) => db.IsPostgres() ? $"postgres:{db.DataSource}/{db.Database}" : db.DataSource;

    /// <summary>The mail settings when e-mail is on for this database, else null.</summary>
    public static MailOptions? Options(DbConnection db) => OnFor.TryGetValue(Key(db), out var options) ? options : null;

    /// <summary>Writes <paramref name="message"/> in <paramref name="transaction"/>; once per enrolment and kind (a repeat is ignored).</summary>
    public static async Task EnqueueAsync(DbConnection db, DbTransaction transaction, OutboxMessage message)
    {
        if (Options(db) is not { } options || string.IsNullOrWhiteSpace(message.Recipient))
        {
            return;
        }

        await db.ExecuteAsync(
            """
            INSERT INTO outbox (kind, recipient, participant_id, user_id, course_id, enrolment_id, language, subject, body, calendar, message_id)
            VALUES (@kind, @recipient, @participantId, @userId, @courseId, @enrolmentId, @language, @subject, @body, @calendar, @messageId)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                kind = message.Kind.ToWire(),
                recipient = message.Recipient.Trim(),
                participantId = message.ParticipantId,
                userId = message.UserId,
                courseId = message.CourseId,
                enrolmentId = message.EnrolmentId,
                language = message.Language,
                subject = message.Subject,
                body = message.Body,
                calendar = message.Calendar,
                messageId = $"<{Guid.NewGuid():N}@{options.MessageIdDomain}>",
            },
            transaction);
    }

    /// <summary>
    /// Whether the users table has an <c>email</c> column yet (issue 24's sign-in adds it): until it does, messages to
    /// staff (report submitted, returned) have no address and are not written.
    /// </summary>
    internal static bool StaffHaveEmail(DbConnection db, DbTransaction transaction) =>
        UsersHaveEmail.GetOrAdd(Key(db), _ => db.ExecuteScalar<long>(
            db.IsPostgres()
                ? "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'users' AND column_name = 'email'"
                : "SELECT COUNT(*) FROM pragma_table_info('users') WHERE name = 'email'",
            transaction: transaction) > 0);
}

/// <summary><c>JointEfforts:Smtp:*</c> and <c>JointEfforts:Mail:*</c>. E-mail is on when <see cref="Host"/> is set.</summary>
public sealed record MailOptions
{
    public string? Host { get; init; }

    public int Port { get; init; } = 25;

    public string From { get; init; } = "JointEfforts <noreply@localhost>";

    public string? UserName { get; init; }

    public string? Password { get; init; }

    public SmtpSecurity Security { get; init; } = SmtpSecurity.StartTls;

    /// <summary>The address the links in messages start with (<c>JointEfforts:PublicBaseUrl</c>).</summary>
    public string PublicBaseUrl { get; init; } = "http://localhost";

    /// <summary>How often the worker looks for due messages and jobs.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The first retry waits this long; each later one twice as long as the one before (at most 6 hours).</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After this many failed attempts a message is <c>failed</c> for good.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>How long a claimed message is the claimer's: a process that dies while sending loses it after this.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The reminder goes this many days before the course starts.</summary>
    public int ReminderDaysBefore { get; init; } = 3;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public string MessageIdDomain => From.LastIndexOf('@') is var at and >= 0
        ? From[(at + 1)..].TrimEnd('>', ' ')
        : "jointefforts.local";

    public static MailOptions Read(IConfiguration configuration)
    {
        var smtp = configuration.GetSection("JointEfforts:Smtp");
        var mail = configuration.GetSection("JointEfforts:Mail");
        var options = new MailOptions
        {
            Host = smtp["Host"],
            UserName = smtp["UserName"],
            Password = smtp["Password"],
            PublicBaseUrl = (configuration["JointEfforts:PublicBaseUrl"] is { Length: > 0 } url ? url : "http://localhost").TrimEnd('/'),
        };
        if (smtp["From"] is { Length: > 0 } from)
        {
            options = options with { From = from };
        }

        if (smtp["Security"] is { Length: > 0 } security)
        {
            options = options with
            {
                Security = Enum.TryParse<SmtpSecurity>(security, ignoreCase: true, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException($"JointEfforts:Smtp:Security must be None, StartTls or SslOnConnect, not '{security}'."),
            };
        }

        options = options with
        {
            Port = smtp.GetValue("Port", options.Security == SmtpSecurity.SslOnConnect ? 465 : options.Security == SmtpSecurity.StartTls ? 587 : 25),
            PollInterval = TimeSpan.FromSeconds(mail.GetValue("PollSeconds", options.PollInterval.TotalSeconds)),
            RetryBase = TimeSpan.FromSeconds(mail.GetValue("RetryBaseSeconds", options.RetryBase.TotalSeconds)),
            MaxAttempts = mail.GetValue("MaxAttempts", options.MaxAttempts),
            Lease = TimeSpan.FromSeconds(mail.GetValue("LeaseSeconds", options.Lease.TotalSeconds)),
            ReminderDaysBefore = mail.GetValue("ReminderDaysBefore", options.ReminderDaysBefore),
        };
        return options;
    }
}

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>One row of <c>GET /api/outbox</c>.</summary>
public sealed record OutboxItem
{
    public int Id { get; init; }

    public MailKind Kind { get; init; }

    [Description("The address; empty once the participant was erased.")]
    public string Recipient { get; init; } = "";

    public int? CourseId { get; init; }

    public string Language { get; init; } = "";

    public string Subject { get; init; } = "";

    public OutboxStatus Status { get; init; }

    [Description("Attempts made so far; a failed one is retried with exponential back-off.")]
    public int Attempts { get; init; }

    [Description("What the last failed attempt was told (the SMTP server's answer), null once sent.")]
    public string? LastError { get; init; }

    public bool HasCalendar { get; init; }

    public DateTime CreatedAt { get; init; }

    [Description("When a pending message is tried next.")]
    public DateTime? NextAttemptAt { get; init; }

    public DateTime? SentAt { get; init; }
}

/// <summary>Whether e-mail is on, and where it goes.</summary>
public sealed record MailStatus(
    [property: Description("False when JointEfforts:Smtp:Host is empty: nothing is written to the outbox or sent.")] bool Enabled,
    string? Host,
    int? Port,
    string? From);

/// <summary><c>GET /api/outbox</c>: whether e-mail is on, and a page of the outbox.</summary>
public sealed record OutboxPage(MailStatus Mail, IReadOnlyList<OutboxItem> Items, int Page, int PageSize, int Total);

public sealed record OutboxQuery(
    [property: Description("Only messages in this status: pending, sending, sent, failed, cancelled.")] EnumQuery<OutboxStatus>? Status);
