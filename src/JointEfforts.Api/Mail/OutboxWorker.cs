using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace JointEfforts.Api.Mail;

/// <summary>
/// Sends the outbox. Each round it writes the scheduled messages that are due (<see cref="CourseMail.ScheduleAsync"/>),
/// then claims a batch of due rows in one write transaction (status <c>sending</c>, its own id in <c>leased_by</c>, a
/// lease in <c>lease_until</c>), sends them over one SMTP connection, and marks each <c>sent</c> the moment the server
/// has accepted it. A process that dies after its commit and before the send leaves the row <c>pending</c> (or
/// <c>sending</c> until its lease runs out), and the next worker, in this process after a restart or in another one,
/// sends it: never lost. Never sent twice: a row is claimed by one worker at a time, and marked sent in the statement
/// right after the server's 250; the only window left is a crash between that 250 and that statement, in which the
/// message goes again with the same Message-ID (which receiving servers and clients use to drop duplicates).
/// A failed attempt waits <see cref="MailOptions.RetryBase"/> × 2^(attempts − 1) (at most 6 hours) before the next;
/// after <see cref="MailOptions.MaxAttempts"/>, or at once when the server refuses the recipient for good, it is
/// <c>failed</c>.
/// </summary>
public sealed class OutboxWorker(Database database, MailOptions options, TimeProvider time, ILogger<OutboxWorker> logger) : BackgroundService
{
    private const int BatchSize = 20;
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromHours(6);

    private readonly string _workerId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.PollInterval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is SqliteException or WriteQueueTimeoutException or InvalidOperationException)
            {
                logger.LogWarning(ex, "The outbox round failed; the next round tries again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: write what the schedule makes due, then send what is due. Returns how many were sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        if (!options.Enabled)
        {
            return 0;
        }

        await using var db = database.Open();
        await ScheduleAsync(db, cancellationToken);
        var sent = 0;
        while (true)
        {
            var batch = await ClaimAsync(db, cancellationToken);
            if (batch.Count == 0)
            {
                return sent;
            }

            sent += await SendAsync(db, batch, cancellationToken);
            if (batch.Count < BatchSize)
            {
                return sent;
            }
        }
    }

    private async Task ScheduleAsync(DbConnection db, CancellationToken cancellationToken)
    {
        using var write = await db.BeginWriteAsync(cancellationToken);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (await CourseMail.ScheduleAsync(db, write.Transaction, options, today) > 0)
        {
            write.Commit();
        }
    }

    private async Task<List<Claimed>> ClaimAsync(DbConnection db, CancellationToken cancellationToken)
    {
        var now = Database.Now(time);
        using var write = await db.BeginWriteAsync(cancellationToken);
        var claimed = (await db.QueryAsync<Claimed>(
            """
            UPDATE outbox SET status = 'sending', leased_by = @worker, lease_until = @leaseUntil, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM outbox
                WHERE (status = 'pending' AND next_attempt_at <= @now) OR (status = 'sending' AND lease_until < @now)
                ORDER BY id LIMIT @limit)
            RETURNING id AS Id, recipient AS Recipient, subject AS Subject, body AS Body, calendar AS Calendar,
                      message_id AS MessageId, attempts AS Attempts
            """,
            new { worker = _workerId, leaseUntil = Database.Timestamp(now + options.Lease), now = Database.Timestamp(now), limit = BatchSize },
            write.Transaction)).OrderBy(row => row.Id).ToList();
        write.Commit();
        return claimed;
    }

    private async Task<int> SendAsync(DbConnection db, List<Claimed> batch, CancellationToken cancellationToken)
    {
        using var smtp = new SmtpClient();
        try
        {
            await smtp.ConnectAsync(options.Host!, options.Port, options.Security switch
            {
                SmtpSecurity.None => SecureSocketOptions.None,
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            }, cancellationToken);
            if (!string.IsNullOrEmpty(options.UserName))
            {
                await smtp.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("E-mail server {Host}:{Port} not reached: {Error}", options.Host, options.Port, ex.Message);
            foreach (var message in batch)
            {
                await FailedAsync(db, message, ex.Message, permanent: false, cancellationToken);
            }

            return 0;
        }

        var sent = 0;
        foreach (var message in batch)
        {
            // Cancelled since the claim (its participant erased): not sent.
            if (await db.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM outbox WHERE id = @id AND status = 'sending' AND leased_by = @worker",
                    new { id = message.Id, worker = _workerId }) == 0)
            {
                continue;
            }

            try
            {
                await smtp.SendAsync(Compose(message), cancellationToken);
            }
            catch (ParseException ex)
            {
                await FailedAsync(db, message, $"Not an address or header MimeKit can write: {ex.Message}", permanent: true, cancellationToken);
                continue;
            }
            catch (SmtpCommandException ex) when (ex.StatusCode >= SmtpStatusCode.MailboxUnavailable
                                                  && ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted)
            {
                await FailedAsync(db, message, $"{(int)ex.StatusCode} {ex.Message}", permanent: true, cancellationToken);
                continue;
            }
            catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException)
            {
                await FailedAsync(db, message, ex.Message, permanent: false, cancellationToken);
                if (!smtp.IsConnected)
                {
                    // The rest of the batch waits for its lease to run out, or is failed here so it is retried by back-off.
                    foreach (var rest in batch.SkipWhile(other => other.Id != message.Id).Skip(1))
                    {
                        await FailedAsync(db, rest, ex.Message, permanent: false, cancellationToken);
                    }

                    return sent;
                }

                continue;
            }

            // Marked sent right after the server's 250 (see the class comment for the one window left).
            using (var write = await db.BeginWriteAsync(CancellationToken.None))
            {
                await db.ExecuteAsync(
                    """
                    UPDATE outbox SET status = 'sent', sent_at = @now, lease_until = NULL, last_error = NULL
                    WHERE id = @id AND leased_by = @worker AND status = 'sending'
                    """,
                    new { id = message.Id, worker = _workerId, now = Database.Timestamp(Database.Now(time)) }, write.Transaction);
                write.Commit();
            }

            sent++;
        }

        await smtp.DisconnectAsync(quit: true, CancellationToken.None);
        return sent;
    }

    private async Task FailedAsync(DbConnection db, Claimed message, string error, bool permanent, CancellationToken cancellationToken)
    {
        var backOff = TimeSpan.FromTicks(Math.Min(
            MaxBackOff.Ticks, options.RetryBase.Ticks * (long)Math.Pow(2, Math.Min(30, Math.Max(0, message.Attempts - 1)))));
        using var write = await db.BeginWriteAsync(cancellationToken);
        await db.ExecuteAsync(
            """
            UPDATE outbox SET status = CASE WHEN @permanent OR attempts >= @maxAttempts THEN 'failed' ELSE 'pending' END,
                next_attempt_at = @next, lease_until = NULL, last_error = @error
            WHERE id = @id AND leased_by = @worker AND status = 'sending'
            """,
            new
            {
                id = message.Id, worker = _workerId, permanent, maxAttempts = options.MaxAttempts,
                next = Database.Timestamp(Database.Now(time) + backOff), error = error.Length > 500 ? error[..500] : error,
            },
            write.Transaction);
        write.Commit();
        logger.LogInformation("Outbox message {Id} not sent (attempt {Attempt}): {Error}", message.Id, message.Attempts, error);
    }

    private MimeMessage Compose(Claimed row)
    {
        var message = new MimeMessage { Subject = row.Subject, MessageId = row.MessageId.Trim('<', '>') };
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(row.Recipient));
        var body = new BodyBuilder { TextBody = row.Body };
        if (row.Calendar is { } calendar)
        {
            var attachment = body.Attachments.Add(
                "course.ics", System.Text.Encoding.UTF8.GetBytes(calendar), new ContentType("text", "calendar"));
            attachment.ContentType.Parameters.Add("method", "PUBLISH");
            attachment.ContentType.Charset = "utf-8";
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    private sealed record Claimed
    {
        public long Id { get; init; }

        public string Recipient { get; init; } = "";

        public string Subject { get; init; } = "";

        public string Body { get; init; } = "";

        public string? Calendar { get; init; }

        public string MessageId { get; init; } = "";

        public long Attempts { get; init; }
    }
}
