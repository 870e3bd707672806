using System.Data.Common;
using Dapper;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JointEfforts.Api.Mail;

/// <summary>E-mail: the settings, the worker, and <c>GET /api/outbox</c>.</summary>
public static class MailApi
{
    /// <summary>Reads <c>JointEfforts:Smtp:*</c> and starts the outbox worker (which does nothing while e-mail is off).</summary>
    public static WebApplicationBuilder AddMail(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => MailOptions.Read(services.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<OutboxWorker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxWorker>());
        return builder;
    }

    public static IEndpointRouteBuilder MapMail(this IEndpointRouteBuilder app)
    {
        // The hooks inside write transactions ask, per database file, whether e-mail is on (Outbox.Options).
        using (var db = app.ServiceProvider.GetRequiredService<Database>().Open())
        {
            Outbox.Register(db, app.ServiceProvider.GetRequiredService<MailOptions>());
        }

        var group = app.MapGroup("/api/outbox")
            .WithTags("E-mail")
            .RequireAuthorization(Policies.Coordinator)
            .WithStandardProblems();
        group.MapGet("/", ListOutbox).WithName("ListOutbox")
            .WithSummary("Whether e-mail is on (mail.enabled: false when JointEfforts:Smtp:Host is empty, and then nothing is written or " +
                         "sent), and the outbox newest first: what was sent, what waits for a retry (pending, with nextAttemptAt and lastError) " +
                         "and what failed for good (coordinator, admin). Filter by status.")
            .WithDescription("Messages are written in the transaction of the change that causes them (enrolment: invitation with an .ics; " +
                             "promotion from the waitlist; report submitted: the steering group; report returned: the country expert) or " +
                             "by the worker's schedule (reminder N days before the start, JointEfforts:Mail:ReminderDaysBefore, default 3; " +
                             "the evaluation link to every enrolled participant once the course has ended). Erased participants get " +
                             "nothing, and their address leaves the outbox.");
        return app;
    }

    private static async Task<Ok<OutboxPage>> ListOutbox(
        [AsParameters] PageRequest paging, [AsParameters] OutboxQuery query, MailOptions options, DbConnection db)
    {
        const string where = " WHERE (@status IS NULL OR o.status = @status)";
        using var results = await db.QueryMultipleAsync(
            """
            SELECT o.id AS Id, o.kind AS Kind, o.recipient AS Recipient, o.course_id AS CourseId, o.language AS Language,
                   o.subject AS Subject, o.status AS Status, o.attempts AS Attempts, o.last_error AS LastError,
                   o.calendar IS NOT NULL AS HasCalendar, o.created_at AS CreatedAt,
                   CASE WHEN o.status = 'pending' THEN o.next_attempt_at END AS NextAttemptAt, o.sent_at AS SentAt
            FROM outbox o
            """ + where + " ORDER BY o.id DESC LIMIT @limit OFFSET @offset; SELECT COUNT(*) FROM outbox o" + where,
            new { status = query.Status.ToWire(), limit = paging.Size, offset = paging.Offset });
        var items = (await results.ReadAsync<OutboxItem>()).ToList();
        var total = await results.ReadSingleAsync<int>();
        var mail = options.Enabled
            ? new MailStatus(true, options.Host, options.Port, options.From)
            : new MailStatus(false, null, null, null);
        return TypedResults.Ok(new OutboxPage(mail, items, paging.PageNumber, paging.Size, total));
    }
}
