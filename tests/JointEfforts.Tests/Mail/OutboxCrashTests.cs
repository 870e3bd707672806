using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JointEfforts.Tests.Mail;

/// <summary>
/// The outbox across a crash: the API runs as a real child process (<c>dotnet JointEfforts.Api.dll</c>), is killed
/// after the enrolment committed and before its worker sent the invitation, and is started again on the same database:
/// the invitation arrives, exactly once.
/// </summary>
public sealed class OutboxCrashTests : IDisposable
{
    private const string AdminToken = "je_test_admin_token_crash_0123456789abcdef0123456789";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jointefforts-tests", "mail-crash-" + Guid.NewGuid().ToString("N"));
    private readonly SmtpSink _smtp = SmtpSink.Start();

    public OutboxCrashTests() => Directory.CreateDirectory(_folder);

    [SqliteOnly("kills and restarts an API process on a SQLite file")]
    public async Task AnInvitationCommittedBeforeTheProcessIsKilledIsSentExactlyOnceAfterTheRestart()
    {
        var database = Path.Combine(_folder, "crash.db");
        int courseId;
        using (var first = await ApiProcess.StartAsync(database, AdminToken, Settings(pollSeconds: 3600)))
        {
            // This process's worker looks once at start, then not for an hour: the message is committed, not sent, when it dies.
            using var admin = first.Client(AdminToken);
            courseId = await CourseGiven.OpenCourseAsync(admin, "AT");
            var participantId = await CourseGiven.ParticipantAsync(admin, "Lena Novak", "AT", "lena.novak@polizei.example");
            await (await admin.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId })).Expect(HttpStatusCode.Created);
            first.Kill();
        }

        Assert.Equal(("pending", 0L), Row(database));
        Assert.Empty(_smtp.Messages);

        using (var second = await ApiProcess.StartAsync(database, AdminToken, Settings(pollSeconds: 0.2)))
        {
            var message = Assert.Single(await _smtp.WaitForAsync(1));
            Assert.Equal("lena.novak@polizei.example", message.To.Mailboxes.Single().Address);
            Assert.StartsWith("Ihr Platz im Kurs", message.Subject);
            // Many more rounds of the worker: nothing goes again.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Single(_smtp.Messages);
            second.Kill();
        }

        Assert.Equal(("sent", 1L), Row(database));
        // And a third start sends nothing.
        using (var third = await ApiProcess.StartAsync(database, AdminToken, Settings(pollSeconds: 0.2)))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            third.Kill();
        }

        Assert.Single(_smtp.Messages);
        _ = courseId;
    }

    private Dictionary<string, string?> Settings(double pollSeconds)
    {
        var settings = new Dictionary<string, string?>(_smtp.Settings(pollSeconds)) { ["JointEfforts:Mail:LeaseSeconds"] = "5" };
        return settings;
    }

    private static (string Status, long Attempts) Row(string database)
    {
        using var db = new SqliteConnection($"Data Source={database};Pooling=False");
        db.Open();
        return db.QuerySingle<(string, long)>("SELECT status, attempts FROM outbox");
    }

    public void Dispose()
    {
        _smtp.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
