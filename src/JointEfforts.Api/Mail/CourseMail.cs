using System.Data.Common;
using System.Globalization;
using Dapper;
using JointEfforts.Api.Infrastructure;

namespace JointEfforts.Api.Mail;

/// <summary>
/// The messages to course participants, in the course language: the invitation on enrolment and the promotion from the
/// waitlist (each with the course as an <c>.ics</c>), and the two scheduled ones, the reminder before the course and the
/// evaluation link after it. Erased participants, and those without an address, get nothing.
/// </summary>
public static class CourseMail
{
    // One row per enrolment to write to: the person, and the course they are enrolled in.
    private const string SelectRecipients = """
        SELECT e.id AS EnrolmentId, p.id AS ParticipantId, p.full_name AS FullName, p.email AS Email,
               c.id AS CourseId, c.title AS Title, c.city AS City, c.venue AS Venue, c.language AS Language,
               c.start_date AS StartDate, c.end_date AS EndDate
        FROM enrolments e
        JOIN participants p ON p.id = e.participant_id
        JOIN courses c ON c.id = e.course_id
        """;

    private const string Addressable = " AND p.erased_at IS NULL AND p.email IS NOT NULL AND trim(p.email) <> ''";

    /// <summary>After an enrolment is written: the invitation when it is enrolled (not when waitlisted).</summary>
    public static async Task EnrolledAsync(DbConnection db, DbTransaction transaction, long enrolmentId)
    {
        if (Outbox.Options(db) is not { } options)
        {
            return;
        }

        var row = await db.QuerySingleOrDefaultAsync<Recipient>(
            SelectRecipients + " WHERE e.id = @enrolmentId AND e.status = 'enrolled'" + Addressable, new { enrolmentId }, transaction);
        if (row is not null)
        {
            var texts = await MailTexts.ReadAsync(db, transaction);
            await Outbox.EnqueueAsync(db, transaction, Compose(MailKind.Invitation, row, options, texts));
        }
    }

    /// <summary>After waitlisted enrolments moved into free seats: each promoted person is told, with the course's .ics.</summary>
    public static async Task PromotedAsync(DbConnection db, DbTransaction transaction, IReadOnlyCollection<long> enrolmentIds)
    {
        if (enrolmentIds.Count == 0 || Outbox.Options(db) is not { } options)
        {
            return;
        }

        var rows = await db.QueryAsync<Recipient>(
            SelectRecipients + " WHERE e.id IN (" + db.Sql().JsonIntegers("@ids") + ") AND e.status = 'enrolled'" + Addressable + " ORDER BY e.id",
            new { ids = System.Text.Json.JsonSerializer.Serialize(enrolmentIds) }, transaction);
        var texts = await MailTexts.ReadAsync(db, transaction);
        foreach (var row in rows)
        {
            await Outbox.EnqueueAsync(db, transaction, Compose(MailKind.Promotion, row, options, texts));
        }
    }

    /// <summary>
    /// The scheduled messages that are due on <paramref name="today"/>: a reminder to everyone enrolled in a course
    /// (open or closed) that starts within <see cref="MailOptions.ReminderDaysBefore"/> days, and the evaluation link to
    /// EVERYONE enrolled in a course that has ended (closed or delivered) and has an evaluation form, whether or not they
    /// have answered: the outbox never knows who answered (the codes are anonymous). Once per enrolment and kind
    /// (the outbox's unique index), so running twice, or in two processes, writes nothing twice.
    /// </summary>
    public static async Task<int> ScheduleAsync(DbConnection db, DbTransaction transaction, MailOptions options, DateOnly today)
    {
        var reminders = await db.QueryAsync<Recipient>(
            SelectRecipients + """
             WHERE e.status = 'enrolled' AND c.status IN ('open','closed')
               AND c.start_date > @today AND c.start_date <= @horizon
               AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.enrolment_id = e.id AND o.kind = 'reminder')
            """ + Addressable + " ORDER BY e.id",
            new { today, horizon = today.AddDays(options.ReminderDaysBefore) }, transaction);
        var links = await db.QueryAsync<Recipient>(
            SelectRecipients + """
             WHERE e.status = 'enrolled' AND c.status IN ('closed','delivered') AND c.end_date <= @today
               AND c.evaluation_form_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.enrolment_id = e.id AND o.kind = 'evaluationLink')
            """ + Addressable + " ORDER BY e.id",
            new { today }, transaction);
        var written = 0;
        var texts = await MailTexts.ReadAsync(db, transaction);
        foreach (var row in reminders)
        {
            await Outbox.EnqueueAsync(db, transaction, Compose(MailKind.Reminder, row, options, texts, today));
            written++;
        }

        foreach (var row in links)
        {
            await Outbox.EnqueueAsync(db, transaction, Compose(MailKind.EvaluationLink, row, options, texts, today));
            written++;
        }

        return written;
    }

    private static OutboxMessage Compose(MailKind kind, Recipient row, MailOptions options, Languages.LanguageTexts texts, DateOnly? today = null)
    {
        var language = MailTexts.LanguageFor(texts, row.Language);
        var values = new Dictionary<string, string?>
        {
            ["name"] = row.FullName,
            ["course"] = row.Title,
            ["city"] = row.City,
            ["venue"] = string.IsNullOrWhiteSpace(row.Venue) ? "–" : row.Venue,
            ["startDate"] = row.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["endDate"] = row.EndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["days"] = today is { } day ? (row.StartDate.DayNumber - day.DayNumber).ToString(CultureInfo.InvariantCulture) : "",
            ["link"] = options.PublicBaseUrl + "/e",
        };
        var key = "mail." + kind.ToWire();
        return new OutboxMessage(
            kind,
            row.Email!,
            language,
            MailTexts.Fill(texts, key + ".subject", language, values),
            MailTexts.Fill(texts, key + ".body", language, values),
            kind is MailKind.Invitation or MailKind.Promotion ? Calendar.ForCourse(row, options) : null,
            ParticipantId: row.ParticipantId,
            CourseId: row.CourseId,
            EnrolmentId: row.EnrolmentId);
    }

    internal sealed record Recipient
    {
        public long EnrolmentId { get; init; }

        public long ParticipantId { get; init; }

        public string? FullName { get; init; }

        public string? Email { get; init; }

        public long CourseId { get; init; }

        public string Title { get; init; } = "";

        public string City { get; init; } = "";

        public string? Venue { get; init; }

        public string Language { get; init; } = "en";

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }
    }
}
