using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Mail;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace JointEfforts.Tests.Mail;

/// <summary>
/// The messages the workflow causes, written in the transaction of the change and received by a real SMTP server:
/// the invitation on enrolment (with the course as an .ics), the promotion from the waitlist, and the evaluation
/// report submitted (steering group) and returned (country expert).
/// </summary>
public sealed class WorkflowMailTests : IDisposable
{
    private readonly SmtpSink _smtp = SmtpSink.Start();
    private readonly JointEffortsApp _app;

    public WorkflowMailTests()
    {
        _app = new JointEffortsApp(settings: _smtp.Settings(pollSeconds: 3600));
    }

    private OutboxWorker Worker => _app.Services.GetRequiredService<OutboxWorker>();

    [Fact]
    public async Task EnrollingSendsTheInvitationInTheCourseLanguageWithJoiningInstructionsAndTheCourseAsAnIcsFile()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, "AT");
        var participantId = await CourseGiven.ParticipantAsync(coordinator, "Maria Gruber", "AT", "maria.gruber@polizei.example");

        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId })).Expect(HttpStatusCode.Created);
        // Written with the enrolment, before any send.
        Assert.Equal(1, Count("SELECT COUNT(*) FROM outbox WHERE kind = 'invitation' AND status = 'pending'"));

        Assert.Equal(1, await Worker.RunOnceAsync());
        var message = Assert.Single(_smtp.Messages);
        Assert.Equal("maria.gruber@polizei.example", message.To.Mailboxes.Single().Address);
        Assert.Equal("Ihr Platz im Kurs Pilot training AT: identifying and assisting victims of trafficking, Vienna, 2013-05-13", message.Subject);
        Assert.StartsWith("Guten Tag Maria Gruber,", message.TextBody);
        Assert.Contains("Termin: 2013-05-13 bis 2013-05-17", message.TextBody);
        Assert.Contains("Ort: Training centre, Vienna", message.TextBody);
        Assert.Contains("Hinweise zur Teilnahme", message.TextBody);

        var ics = Ics(message);
        Assert.Contains("BEGIN:VEVENT", ics);
        Assert.Contains("DTSTART;VALUE=DATE:20130513", ics);
        Assert.Contains("DTEND;VALUE=DATE:20130518", ics); // the day after the last: all-day events end exclusively
        Assert.Contains("SUMMARY:Pilot training AT: identifying and assisting victims of trafficking", ics);
        Assert.Contains("LOCATION:Training centre\\, Vienna", ics);
        Assert.Contains($"UID:course-{courseId}@jointefforts.example", ics);
        Assert.Contains("URL:https://training.example.org/", ics);
    }

    [Fact]
    public async Task TheWaitlistedGetNoInvitationAndAreToldWithTheIcsWhenASeatFreesUp()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, "NL", min: 1, max: 1);
        var first = await CourseGiven.ParticipantAsync(coordinator, "Jan de Vries", "NL", "jan@politie.example");
        var second = await CourseGiven.ParticipantAsync(coordinator, "Sanne Bakker", "NL", "sanne@ggd.example");
        var seat = await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = first })).Expect(HttpStatusCode.Created);
        var waiting = await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = second })).Expect(HttpStatusCode.Created);
        Assert.Equal("waitlisted", waiting.GetProperty("status").GetString());
        Assert.Equal(1, await Worker.RunOnceAsync());
        Assert.Equal(["jan@politie.example"], _smtp.Messages.Select(m => m.To.Mailboxes.Single().Address));

        (await coordinator.DeleteAsync($"/api/courses/{courseId}/enrolments/{seat.GetProperty("id").GetInt32()}")).EnsureSuccessStatusCode();

        Assert.Equal(1, await Worker.RunOnceAsync());
        var promotion = _smtp.Messages[1];
        Assert.Equal("sanne@ggd.example", promotion.To.Mailboxes.Single().Address);
        Assert.Equal("Er is een plaats voor u vrijgekomen: Pilot training NL: identifying and assisting victims of trafficking, Capital, 2013-05-13", promotion.Subject);
        Assert.Contains("van de wachtlijst naar de deelnemers", promotion.TextBody);
        Assert.Contains("DTSTART;VALUE=DATE:20130513", Ics(promotion));
        using var db = _app.OpenDatabase();
        Assert.Equal(["invitation", "promotion"], db.Query<string>("SELECT kind FROM outbox ORDER BY id"));
    }

    [Fact]
    public async Task NoMessageIsWrittenForSomeoneWithoutAnAddressOrForAnEnrolmentThatIsRefused()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, "SE");
        var noAddress = await CourseGiven.ParticipantAsync(coordinator, "Erik Lindqvist", "SE");
        var withAddress = await CourseGiven.ParticipantAsync(coordinator, "Karin Berg", "SE", "karin@polisen.example");
        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = noAddress })).Expect(HttpStatusCode.Created);
        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = withAddress })).Expect(HttpStatusCode.Created);
        // The same person twice is a 409: its transaction, and any message in it, rolled back.
        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = withAddress })).ExpectProblem(HttpStatusCode.Conflict);

        Assert.Equal(1, await Worker.RunOnceAsync());
        var message = Assert.Single(_smtp.Messages);
        Assert.Equal("Din plats på kursen Pilot training SE: identifying and assisting victims of trafficking, Capital, 2013-05-13", message.Subject);
    }

    [Fact]
    public async Task ASubmittedReportIsMailedToTheSteeringGroupAndAReturnedOneToTheExpertWithTheComment()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, language: "de");
        var steeringOne = await _app.CreateUserAsync(Role.SteeringGroup);
        var steeringTwo = await _app.CreateUserAsync(Role.SteeringGroup);
        var noAddress = await _app.CreateUserAsync(Role.SteeringGroup);
        using (var db = _app.OpenDatabase())
        {
            db.Execute("UPDATE users SET email = @email WHERE id = @id", new[]
            {
                new { id = steeringOne.Id, email = "chair@steering.example" },
                new { id = steeringTwo.Id, email = "member@steering.example" },
                new { id = course.ExpertId, email = "expert.at@experts.example" },
            });
            var sessionId = db.ExecuteScalar<int>(
                "INSERT INTO course_sessions (course_id, date, title, hours) VALUES (@id, '2013-05-06', 'Identification', 6) RETURNING id", new { id = course.Id });
            db.Execute("INSERT INTO attendance (session_id, participant_id, status) VALUES (@sessionId, @participantId, 'present')",
                course.ParticipantIds.Select(participantId => new { sessionId, participantId }));
        }

        _ = noAddress;
        var url = $"/api/courses/{course.Id}/evaluation-report";
        await (await course.Expert.PutAsJsonAsync(url, new
        {
            deliveredOn = "2013-05-08", participantsAttended = 3, summary = "Well received.", strengths = "Joint sessions.",
            weaknesses = "Too short.", recommendations = new[] { "Add a day" }, overallRating = 4,
        })).Expect(HttpStatusCode.Created);
        await (await course.Expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);
        Assert.Equal(2, await Worker.RunOnceAsync());
        var submitted = _smtp.Messages;
        Assert.Equal(["chair@steering.example", "member@steering.example"], submitted.Select(m => m.To.Mailboxes.Single().Address).Order());
        Assert.All(submitted, message =>
        {
            Assert.Equal("Evaluation report submitted: Pilot course, Vienna, 2013-05-06", message.Subject);
            Assert.Contains("https://training.example.org/dashboard", message.TextBody);
        });

        using var steering = _app.ClientWithToken(steeringOne.Token);
        await (await steering.PostAsJsonAsync($"{url}/return", new { comment = "Bitte die Zahlen je Sektor ergänzen." })).Expect(HttpStatusCode.OK);
        Assert.Equal(1, await Worker.RunOnceAsync());
        var returned = _smtp.Messages[2];
        Assert.Equal("expert.at@experts.example", returned.To.Mailboxes.Single().Address);
        Assert.Equal("Ihr Evaluationsbericht wurde zurückgegeben: Pilot course, Vienna, 2013-05-06", returned.Subject);
        Assert.Contains("Bitte die Zahlen je Sektor ergänzen.", returned.TextBody);
        Assert.Contains("erneut ein unter https://training.example.org/workspace.", returned.TextBody); // the expert's workspace, not the front page

        // Accepting sends nothing.
        await (await course.Expert.PostAsync($"{url}/submit", null)).Expect(HttpStatusCode.OK);
        await (await steering.PostAsync($"{url}/accept", null)).Expect(HttpStatusCode.OK);
        Assert.Equal(2, await Worker.RunOnceAsync()); // the second submission's two
        Assert.Equal(5, _smtp.Messages.Count);
    }

    private static string Ics(MimeMessage message)
    {
        var part = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("text/calendar", part.ContentType.MimeType);
        Assert.Equal("course.ics", part.FileName);
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        // Unfold (RFC 5545 3.1) before looking at lines.
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n ", "", StringComparison.Ordinal);
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
