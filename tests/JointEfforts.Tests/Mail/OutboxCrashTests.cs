using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
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

    [Fact]
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

    private sealed class ApiProcess : IDisposable
    {
        private readonly Process _process;

        private ApiProcess(Process process, string baseUrl)
        {
            _process = process;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public static async Task<ApiProcess> StartAsync(string database, string adminToken, IDictionary<string, string?> settings)
        {
            var baseUrl = $"http://127.0.0.1:{SmtpSink.FreePort()}";
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "JointEfforts.Api.dll")])
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
            start.Environment["ASPNETCORE_URLS"] = baseUrl;
            start.Environment["ConnectionStrings__JointEfforts"] = $"Data Source={database}";
            start.Environment["JointEfforts__AdminToken"] = adminToken;
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            foreach (var (key, value) in settings)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var probe = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(2) };
            for (var attempt = 0; attempt < 120; attempt++)
            {
                try
                {
                    if ((await probe.GetAsync("/health")).IsSuccessStatusCode)
                    {
                        return new ApiProcess(process, baseUrl);
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                await Task.Delay(250);
            }

            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The API process did not answer /health within 30 seconds.");
        }

        public HttpClient Client(string token)
        {
            var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        /// <summary>SIGKILL: no shutdown, no flushing, as a crash.</summary>
        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
        }
    }
}
