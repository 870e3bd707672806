using System.Net;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Mail;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace JointEfforts.Tests.Mail;

/// <summary>
/// The outbox and its worker against a real SMTP server on loopback: the scheduled messages (reminder, evaluation
/// link), retries with back-off, permanent failures, leases, erasure, and <c>GET /api/outbox</c>.
/// </summary>
public sealed class OutboxTests : IDisposable
{
    private readonly SmtpSink _smtp = SmtpSink.Start();
    private readonly JointEffortsApp _app;

    public OutboxTests()
    {
        // The worker's own loop polls once an hour here: each test runs its rounds by hand, in a known order.
        _app = new JointEffortsApp(settings: _smtp.Settings(pollSeconds: 3600));
    }

    private OutboxWorker Worker => _app.Services.GetRequiredService<OutboxWorker>();

    [Fact]
    public async Task TheEvaluationLinkGoesToEveryoneEnrolledOnceTheCourseHasEndedAnsweredOrNotInTheCourseLanguage()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var formId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reactionFormId: formId, language: "de", participants: 3);
        // One has already answered with a code from a slip: the link still goes to all three (the outbox never knows who answered).
        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        using var anonymous = _app.CreateAnonymousClient();
        await (await EvaluationGiven.SubmitAsync(anonymous, codes[0], new { relevance = 4 })).Expect(HttpStatusCode.Created);

        Assert.Equal(3, await Worker.RunOnceAsync());
        var messages = _smtp.Messages;
        Assert.Equal(
            ["ana.popescu@example.org", "erik.lindqvist@example.org", "jan.de.vries@example.org"],
            messages.Select(m => m.To.Mailboxes.Single().Address).Order());
        Assert.All(messages, message =>
        {
            Assert.Equal("Ihre Meinung zum Kurs Pilot course", message.Subject);
            Assert.Contains("https://training.example.org/e ", message.TextBody);
            Assert.Contains("Vienna, 2013-05-06 bis 2013-05-08", message.TextBody);
            Assert.Equal("training@jointefforts.example", message.From.Mailboxes.Single().Address);
            Assert.Empty(message.Attachments);
        });
        Assert.Contains("Guten Tag Ana Popescu,", messages.Single(m => m.To.ToString().Contains("ana.popescu")).TextBody);

        // A second round (or a restarted process) writes and sends nothing again.
        Assert.Equal(0, await Worker.RunOnceAsync());
        Assert.Equal(3, _smtp.Messages.Count);
    }

    [Fact]
    public async Task NoEvaluationLinkWhileTheCourseHasNotEndedOrHasNoForm()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var formId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var withoutForm = await EvaluationGiven.CourseAsync(_app, coordinator, language: "en", participants: 1);
        var notEnded = await EvaluationGiven.CourseAsync(_app, coordinator, reactionFormId: formId, status: "open", participants: 1);
        using (var db = _app.OpenDatabase())
        {
            db.Execute("UPDATE courses SET start_date = '2099-01-10', end_date = '2099-01-12' WHERE id = @id", new { id = notEnded.Id });
        }

        Assert.Equal(0, await Worker.RunOnceAsync());
        Assert.Empty(_smtp.Messages);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM outbox"));
        _ = withoutForm;
    }

    [Fact]
    public async Task TheReminderGoesToTheEnrolledOnlyWithinTheDaysBeforeTheStartAndOnce()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, language: "sv", status: "open", participants: 2);
        var later = await EvaluationGiven.CourseAsync(_app, coordinator, language: "sv", status: "open", participants: 1);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var waitlisted = await EvaluationGiven.EnrolAsync(_app, course.Id, "Tom Baker");
        using (var db = _app.OpenDatabase())
        {
            db.Execute("UPDATE courses SET start_date = @start, end_date = @end WHERE id = @id",
                new { id = course.Id, start = today.AddDays(2), end = today.AddDays(4) });
            db.Execute("UPDATE courses SET start_date = @start, end_date = @end WHERE id = @id",
                new { id = later.Id, start = today.AddDays(10), end = today.AddDays(11) });
            db.Execute("UPDATE enrolments SET status = 'waitlisted' WHERE participant_id = @waitlisted", new { waitlisted });
        }

        Assert.Equal(2, await Worker.RunOnceAsync());
        var messages = _smtp.Messages;
        Assert.Equal(["ana.popescu@example.org", "jan.de.vries@example.org"], messages.Select(m => m.To.Mailboxes.Single().Address).Order());
        Assert.All(messages, message =>
        {
            Assert.Equal($"Påminnelse: Pilot course börjar {today.AddDays(2):yyyy-MM-dd}", message.Subject);
            Assert.Contains("börjar om 2 dag(ar)", message.TextBody);
            Assert.Contains("Plats: Danube University Krems, Vienna", message.TextBody);
        });

        Assert.Equal(0, await Worker.RunOnceAsync());
        Assert.Equal(2, _smtp.Messages.Count);
    }

    [Fact]
    public async Task ErasedParticipantsGetNothingAndTheirAddressLeavesTheOutbox()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var formId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reactionFormId: formId, status: "closed", participants: 3);
        // Erased before the schedule: never written.
        (await coordinator.DeleteAsync($"/api/participants/{course.ParticipantIds[0]}")).EnsureSuccessStatusCode();
        // Erased after the message was written, before it was sent: cancelled, and blanked.
        using (var db = _app.OpenDatabase())
        using (var write = await db.BeginWriteAsync())
        {
            await CourseMail.ScheduleAsync(db, write.Transaction, _app.Services.GetRequiredService<MailOptions>(), DateOnly.FromDateTime(DateTime.UtcNow));
            write.Commit();
        }

        Assert.Equal(2, Count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'"));
        (await coordinator.DeleteAsync($"/api/participants/{course.ParticipantIds[1]}")).EnsureSuccessStatusCode();

        Assert.Equal(1, await Worker.RunOnceAsync());
        Assert.Equal(["erik.lindqvist@example.org"], _smtp.Messages.Select(m => m.To.Mailboxes.Single().Address));
        using var check = _app.OpenDatabase();
        var erased = check.QuerySingle<(string Status, string Recipient, string Body)>(
            "SELECT status, recipient, body FROM outbox WHERE participant_id = @id", new { id = course.ParticipantIds[1] });
        Assert.Equal(("cancelled", "", ""), erased);
        Assert.Equal(0, check.ExecuteScalar<long>("SELECT COUNT(*) FROM outbox WHERE body LIKE '%Jan de Vries%' OR recipient LIKE 'jan.%'"));
    }

    [Fact]
    public async Task AnUnreachableServerIsRetriedWithExponentialBackOffAndTheOutboxSaysWhy()
    {
        var port = SmtpSink.FreePort();
        using var app = new JointEffortsApp(settings: SmtpSink.SettingsFor(port, pollSeconds: 3600));
        var worker = app.Services.GetRequiredService<OutboxWorker>();
        using var coordinator = await app.CreateClientAsync(Role.Coordinator);
        var formId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        await EvaluationGiven.CourseAsync(app, coordinator, reactionFormId: formId, participants: 1);

        Assert.Equal(0, await worker.RunOnceAsync());
        var first = await Pending(coordinator);
        Assert.Equal(1, first.GetProperty("attempts").GetInt32());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("lastError").GetString()));
        var wait1 = first.GetProperty("nextAttemptAt").GetDateTime() - first.GetProperty("createdAt").GetDateTime();

        // Not due yet: a round now makes no attempt.
        Assert.Equal(0, await worker.RunOnceAsync());
        Assert.Equal(1, (await Pending(coordinator)).GetProperty("attempts").GetInt32());

        await Task.Delay(1100);
        Assert.Equal(0, await worker.RunOnceAsync());
        var second = await Pending(coordinator);
        Assert.Equal(2, second.GetProperty("attempts").GetInt32());
        // 1 s after the first attempt, 2 s after the second.
        Assert.InRange(wait1.TotalSeconds, 0.9, 1.9);
        var wait2 = second.GetProperty("nextAttemptAt").GetDateTime() - DateTime.UtcNow;
        Assert.InRange(wait2.TotalSeconds, 1.2, 2.1);

        // The server comes up: the next due round delivers it, once.
        using var smtp = SmtpSink.Start(port);
        await Task.Delay(2100);
        Assert.Equal(1, await worker.RunOnceAsync());
        Assert.Single(await smtp.WaitForAsync(1));
        var sent = await (await coordinator.GetAsync("/api/outbox?status=sent")).Expect(HttpStatusCode.OK);
        var item = Assert.Single(sent.GetProperty("items").EnumerateArray());
        Assert.Equal(3, item.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("lastError").ValueKind);
        Assert.Equal("evaluationLink", item.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task ARecipientTheServerRefusesFailsForGoodAndIsListedAsFailed()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var formId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reactionFormId: formId, participants: 2);
        using (var db = _app.OpenDatabase())
        {
            db.Execute($"UPDATE participants SET email = 'nobody@{SmtpSink.RefusedDomain}' WHERE id = @id", new { id = course.ParticipantIds[0] });
        }

        Assert.Equal(1, await Worker.RunOnceAsync());
        var failed = await (await coordinator.GetAsync("/api/outbox?status=failed")).Expect(HttpStatusCode.OK);
        var item = Assert.Single(failed.GetProperty("items").EnumerateArray());
        Assert.Equal($"nobody@{SmtpSink.RefusedDomain}", item.GetProperty("recipient").GetString());
        Assert.Equal(1, item.GetProperty("attempts").GetInt32());
        Assert.StartsWith("550", item.GetProperty("lastError").GetString());
        Assert.Equal(1, failed.GetProperty("total").GetInt32());
        // The other one went.
        Assert.Equal(["jan.de.vries@example.org"], _smtp.Messages.Select(m => m.To.Mailboxes.Single().Address));
        Assert.Equal(0, await Worker.RunOnceAsync());
    }

    [Fact]
    public async Task AMessageClaimedByAProcessThatDiedIsSentOnceItsLeaseRunsOutAndNotBefore()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var formId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        await EvaluationGiven.CourseAsync(_app, coordinator, reactionFormId: formId, participants: 2);
        using (var db = _app.OpenDatabase())
        using (var write = await db.BeginWriteAsync())
        {
            await CourseMail.ScheduleAsync(db, write.Transaction, _app.Services.GetRequiredService<MailOptions>(), DateOnly.FromDateTime(DateTime.UtcNow));
            // Another worker claimed both and died: one lease still runs, one ran out.
            db.Execute(
                """
                UPDATE outbox SET status = 'sending', leased_by = 'dead-worker', attempts = 1,
                    lease_until = CASE WHEN id = (SELECT MIN(id) FROM outbox) THEN @future ELSE @past END
                """,
                new { future = Database.Timestamp(DateTime.UtcNow.AddMinutes(5)), past = Database.Timestamp(DateTime.UtcNow.AddSeconds(-1)) },
                write.Transaction);
            write.Commit();
        }

        Assert.Equal(1, await Worker.RunOnceAsync());
        Assert.Equal(["jan.de.vries@example.org"], _smtp.Messages.Select(m => m.To.Mailboxes.Single().Address));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM outbox WHERE status = 'sending' AND leased_by = 'dead-worker'"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND attempts = 2"));
    }

    [Fact]
    public async Task TheOutboxIsForCoordinatorsAndAdminsPagedAndFilteredByStatus()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var formId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        await EvaluationGiven.CourseAsync(_app, coordinator, reactionFormId: formId, participants: 3);
        Assert.Equal(3, await Worker.RunOnceAsync());

        var page = await (await coordinator.GetAsync("/api/outbox?pageSize=2")).Expect(HttpStatusCode.OK);
        Assert.True(page.GetProperty("mail").GetProperty("enabled").GetBoolean());
        Assert.Equal("127.0.0.1", page.GetProperty("mail").GetProperty("host").GetString());
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.True(items[0].GetProperty("id").GetInt32() > items[1].GetProperty("id").GetInt32(), "newest first");
        Assert.All(items, item =>
        {
            Assert.Equal("sent", item.GetProperty("status").GetString());
            Assert.Equal("de", item.GetProperty("language").GetString());
            Assert.NotEqual(JsonValueKind.Null, item.GetProperty("sentAt").ValueKind);
        });
        using var admin = _app.CreateAdminClient();
        Assert.Equal(0, (await (await admin.GetAsync("/api/outbox?status=pending")).Expect(HttpStatusCode.OK)).GetProperty("total").GetInt32());

        await (await coordinator.GetAsync("/api/outbox?status=lost")).ExpectProblem(HttpStatusCode.BadRequest, "status");
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        await (await expert.GetAsync("/api/outbox")).ExpectProblem(HttpStatusCode.Forbidden);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        await (await steering.GetAsync("/api/outbox")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await _app.CreateAnonymousClient().GetAsync("/api/outbox")).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WithoutAnSmtpHostMailIsOffTheApiSaysSoAndNothingIsWritten()
    {
        using var app = new JointEffortsApp();
        using var coordinator = await app.CreateClientAsync(Role.Coordinator);
        var formId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        await EvaluationGiven.CourseAsync(app, coordinator, reactionFormId: formId, participants: 2);

        Assert.Equal(0, await app.Services.GetRequiredService<OutboxWorker>().RunOnceAsync());
        var page = await (await coordinator.GetAsync("/api/outbox")).Expect(HttpStatusCode.OK);
        var mail = page.GetProperty("mail");
        Assert.False(mail.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, mail.GetProperty("host").ValueKind);
        Assert.Equal(0, page.GetProperty("total").GetInt32());
    }

    private async Task<JsonElement> Pending(HttpClient coordinator)
    {
        var page = await (await coordinator.GetAsync("/api/outbox?status=pending")).Expect(HttpStatusCode.OK);
        return Assert.Single(page.GetProperty("items").EnumerateArray());
    }

    private long Count(string sql)
    {
        using var db = _app.OpenDatabase();
        return db.ExecuteScalar<long>(sql);
    }

    public void Dispose()
    {
        _app.Dispose();
        _smtp.Dispose();
    }
}
