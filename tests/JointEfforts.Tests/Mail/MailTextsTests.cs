using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Mail;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;
using JointEfforts.Tests.Workspace;
using Microsoft.Extensions.DependencyInjection;

namespace JointEfforts.Tests.Mail;

/// <summary>
/// The e-mail templates are language data (issue 26): held per language in the text catalogue, edited through
/// <c>/api/languages/{code}/texts</c>, and read by the mail from the store; and the sign-in link mailed to its user (issue 24).
/// </summary>
public sealed class MailTextsTests : IDisposable
{
    private readonly SmtpSink _smtp = SmtpSink.Start();
    private readonly JointEffortsApp _app;

    public MailTextsTests()
    {
        _app = new JointEffortsApp(settings: _smtp.Settings(pollSeconds: 3600));
    }

    private OutboxWorker Worker => _app.Services.GetRequiredService<OutboxWorker>();

    [Fact]
    public async Task TheMailTemplatesAreTextsOfEveryLanguageWithTheirPlaceholdersDescribedForTranslators()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var german = await (await coordinator.GetAsync("/api/languages/de/texts")).Expect(HttpStatusCode.OK);

        var texts = german.GetProperty("texts");
        Assert.Equal("Ihr Platz im Kurs {course}, {city}, {startDate}", texts.GetProperty("mail.invitation.subject").GetString());
        Assert.StartsWith("Guten Tag {name},", texts.GetProperty("mail.signInLink.body").GetString(), StringComparison.Ordinal);
        var keys = german.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("key").GetString()!);
        var mailKeys = keys.Keys.Where(k => k.StartsWith("mail.", StringComparison.Ordinal)).ToList();
        Assert.Equal(14, mailKeys.Count); // seven kinds, a subject and a body each
        Assert.All(Enum.GetValues<MailKind>(), kind =>
        {
            Assert.Contains($"mail.{kind.ToWire()}.subject", mailKeys);
            Assert.Contains($"mail.{kind.ToWire()}.body", mailKeys);
        });
        Assert.Contains("{link} the one-time link", keys["mail.signInLink.body"].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(german.GetProperty("complete").GetBoolean());
    }

    [Fact]
    public async Task ACoordinatorsCorrectionOfAGermanTemplateChangesTheNextInvitation()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, "AT");
        var first = await CourseGiven.ParticipantAsync(coordinator, "Maria Gruber", "AT", "maria.gruber@polizei.example");
        var second = await CourseGiven.ParticipantAsync(coordinator, "Lukas Huber", "AT", "lukas.huber@ngo.example");
        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = first })).Expect(HttpStatusCode.Created);

        await (await coordinator.PutAsJsonAsync("/api/languages/de/texts", new
        {
            texts = new Dictionary<string, string>
            {
                ["mail.invitation.subject"] = "Willkommen im Kurs {course} ({city}, ab {startDate})",
                ["mail.invitation.body"] = "Liebe/r {name},\n\nwir freuen uns auf Sie im Kurs \"{course}\", {startDate} bis {endDate}, {venue}, {city}.",
            },
        })).Expect(HttpStatusCode.OK);
        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = second })).Expect(HttpStatusCode.Created);

        Assert.Equal(2, await Worker.RunOnceAsync());
        var byRecipient = _smtp.Messages.ToDictionary(m => m.To.Mailboxes.Single().Address);
        // Written before the correction: the built-in text. After it: the coordinator's.
        Assert.StartsWith("Ihr Platz im Kurs Pilot training AT", byRecipient["maria.gruber@polizei.example"].Subject, StringComparison.Ordinal);
        var corrected = byRecipient["lukas.huber@ngo.example"];
        Assert.Equal("Willkommen im Kurs Pilot training AT: identifying and assisting victims of trafficking (Vienna, ab 2013-05-13)", corrected.Subject);
        Assert.Equal(
            "Liebe/r Lukas Huber,\n\nwir freuen uns auf Sie im Kurs \"Pilot training AT: identifying and assisting victims of trafficking\", 2013-05-13 bis 2013-05-17, Training centre, Vienna.",
            corrected.TextBody!.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd());
    }

    [Fact]
    public async Task AMailTemplateThatLosesAPlaceholderIsRefusedNamingTheKeyAndNothingChanges()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var refused = await (await coordinator.PutAsJsonAsync("/api/languages/de/texts", new
        {
            texts = new Dictionary<string, string>
            {
                ["mail.evaluationLink.body"] = "Guten Tag {name}, bitte bewerten Sie den Kurs {course}.",
                ["page.send"] = "Absenden",
            },
        })).ExpectProblem(HttpStatusCode.BadRequest, "texts.mail.evaluationLink.body");

        Assert.Contains("{link}", refused.GetProperty("errors").GetProperty("texts.mail.evaluationLink.body")[0].GetString(), StringComparison.Ordinal);
        var german = await (await coordinator.GetAsync("/api/languages/de/texts")).Expect(HttpStatusCode.OK);
        Assert.Equal("Antworten senden", german.GetProperty("texts").GetProperty("page.send").GetString());
        Assert.Contains("{link}", german.GetProperty("texts").GetProperty("mail.evaluationLink.body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASignInLinkIsMailedToAUserWithAnAddressAndTheLinkInTheMailSetsTheirPassword()
    {
        using var admin = _app.CreateAdminClient();
        var created = await (await admin.PostAsJsonAsync("/api/users", new
        {
            userName = "ilze.expert",
            displayName = "Ilze Bērziņa",
            role = "countryExpert",
            countryCode = "LV",
            email = "ilze@experts.example",
        })).Expect(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32();

        var answer = await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { expiresInDays = 3 })).Expect(HttpStatusCode.Created);
        var url = answer.GetProperty("url").GetString()!;
        Assert.StartsWith("https://training.example.org/set-password?token=je_", url, StringComparison.Ordinal);
        // Written with the link, before any send.
        Assert.Equal(1, Count("SELECT COUNT(*) FROM outbox WHERE kind = 'signInLink' AND status = 'pending' AND user_id = " + id));

        Assert.Equal(1, await Worker.RunOnceAsync());
        var message = Assert.Single(_smtp.Messages);
        Assert.Equal("ilze@experts.example", message.To.Mailboxes.Single().Address);
        Assert.Equal("Your link to set your JointEfforts password", message.Subject);
        Assert.StartsWith("Dear Ilze Bērziņa,", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("your user name is ilze.expert.", message.TextBody, StringComparison.Ordinal);
        var expires = answer.GetProperty("expiresAt").GetDateTime().ToUniversalTime();
        Assert.Contains($"until {expires:yyyy-MM-dd HH:mm} (UTC)", message.TextBody, StringComparison.Ordinal);
        var mailed = message.TextBody!.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("https://", StringComparison.Ordinal));
        Assert.Equal(url, mailed);

        // The mailed link sets the password, and the user signs in with it.
        using var browser = WorkspaceGiven.Browser(_app);
        var link = new Uri(mailed).PathAndQuery;
        var form = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        var token = Uri.UnescapeDataString(link.Split("token=")[1]);
        var set = await browser.PostAsync("/set-password",
            WorkspaceGiven.Form(html, ("token", token), ("password", WorkspaceGiven.Password), ("confirm", WorkspaceGiven.Password)));
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal("/workspace", set.Headers.Location?.OriginalString);
        using var fresh = WorkspaceGiven.Browser(_app);
        var signedIn = await WorkspaceGiven.SignInAsync(fresh, "ilze.expert", WorkspaceGiven.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.StartsWith("AQAAAA", Scalar<string>("SELECT password_hash FROM users WHERE id = " + id));
    }

    [Fact]
    public async Task AUserWithoutAnAddressGetsTheLinkInTheAnswerOnlyAndAnUnknownUserNothing()
    {
        var (id, _) = await _app.CreateUserAsync(Role.Coordinator);
        using var admin = _app.CreateAdminClient();

        await (await admin.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).Expect(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync("/api/users/99999/sign-in-link", new { })).ExpectProblem(HttpStatusCode.NotFound);
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        await (await coordinator.PostAsJsonAsync($"/api/users/{id}/sign-in-link", new { })).ExpectProblem(HttpStatusCode.Forbidden);

        Assert.Equal(0, Count("SELECT COUNT(*) FROM outbox"));
        Assert.Equal(0, await Worker.RunOnceAsync());
        Assert.Empty(_smtp.Messages);
    }

    private long Count(string sql) => Scalar<long>(sql);

    private T Scalar<T>(string sql)
    {
        using var db = _app.OpenDatabase();
        return db.ExecuteScalar<T>(sql)!;
    }

    public void Dispose()
    {
        _app.Dispose();
        _smtp.Dispose();
    }
}
