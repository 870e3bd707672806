using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Mail;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Documents;
using JointEfforts.Tests.Evaluations;
using JointEfforts.Tests.Infrastructure;
using JointEfforts.Tests.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace JointEfforts.Tests.Languages;

/// <summary>
/// A coordinator adds Latvian through the API alone (texts, then the forms' translations) and runs a Latvian course: the
/// participant's page, the slips, the sign-in sheet, the certificate and the invitation e-mail (received by a real SMTP
/// server) speak Latvian (issue 26).
/// </summary>
public sealed class LatvianCourseTests : IDisposable
{
    private const string PublicBaseUrl = "https://training.example.lv";

    private readonly SmtpSink _smtp = SmtpSink.Start();
    private readonly JointEffortsApp _app;

    public LatvianCourseTests()
    {
        var settings = _smtp.Settings(pollSeconds: 3600);
        settings["JointEfforts:PublicBaseUrl"] = PublicBaseUrl;
        _app = new JointEffortsApp(settings: settings);
    }

    [Fact]
    public async Task LatvianAddedThroughTheApiAloneRunsACourseWhosePagesSlipsSheetsCertificatesAndInvitationsAreLatvian()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator, "LV-2013");
        var reactionId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var preTestId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.KnowledgeTest("preTest"));
        var course = CourseGiven.CourseBody("LV");
        course["language"] = "lv";
        course["city"] = "Rīga";
        course["title"] = "Cilvēku tirdzniecības upuru identificēšana un palīdzība";
        course["evaluationFormId"] = reactionId;
        course["preTestFormId"] = preTestId;
        course["minParticipants"] = 1;

        // No Latvian yet: the course is refused, naming the language.
        var none = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", course)).ExpectProblem(HttpStatusCode.BadRequest, "language");
        Assert.Contains("no language 'lv'", none.GetProperty("errors").GetProperty("language")[0].GetString());

        // Latvian without one text: still refused, naming the key that is missing.
        var allButOne = LatvianTexts.All.Where(t => t.Key != "signIn.signature").ToDictionary(t => t.Key, t => t.Value);
        var partial = await (await coordinator.PutAsJsonAsync("/api/languages/lv/texts", new { texts = allButOne })).Expect(HttpStatusCode.OK);
        Assert.Equal(["signIn.signature"], partial.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        var incomplete = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", course)).ExpectProblem(HttpStatusCode.BadRequest, "language");
        Assert.Contains("signIn.signature", incomplete.GetProperty("errors").GetProperty("language")[0].GetString());

        // Every text: Latvian is complete. The forms still lack Latvian: refused by form.
        await (await coordinator.PutAsJsonAsync("/api/languages/lv/texts", new { texts = LatvianTexts.All })).Expect(HttpStatusCode.OK);
        await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", course)).ExpectProblem(HttpStatusCode.BadRequest, "evaluationFormId");
        await (await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{reactionId}/translations/lv", ReactionFormInLatvian)).Expect(HttpStatusCode.OK);
        await (await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{preTestId}/translations/lv", KnowledgeTestInLatvian)).Expect(HttpStatusCode.OK);
        var created = await (await coordinator.PostAsJsonAsync($"/api/projects/{projectId}/courses", course)).Expect(HttpStatusCode.Created);
        var courseId = created.GetProperty("id").GetInt32();
        await CourseGiven.MoveAsync(coordinator, courseId, "open");
        var sessionId = await CourseGiven.SessionAsync(coordinator, courseId, "2013-05-13", "1. diena: pazīmes", 6);
        var present = await EnrolAsync(coordinator, courseId, "Ilze Bērziņa", "ilze.berzina@policija.example");
        var absent = await EnrolAsync(coordinator, courseId, "Jānis Ozoliņš");

        // The invitation e-mail, from the Latvian texts: to the one with an address, with the course as an .ics.
        Assert.Equal(1, await _app.Services.GetRequiredService<OutboxWorker>().RunOnceAsync());
        var invitation = Assert.Single(_smtp.Messages);
        Assert.Equal("ilze.berzina@policija.example", invitation.To.Mailboxes.Single().Address);
        Assert.Equal("Jūsu vieta kursā Cilvēku tirdzniecības upuru identificēšana un palīdzība, Rīga, 2013-05-13", invitation.Subject);
        var letter = invitation.TextBody!.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.StartsWith("Labdien, Ilze Bērziņa!\n\nJūs esat pieteikts(-a) kursam \"Cilvēku tirdzniecības upuru identificēšana un palīdzība\".", letter);
        Assert.Contains("Datumi: 2013-05-13 – 2013-05-17\nVieta: Training centre, Rīga", letter);
        Assert.Contains("Norādījumi dalībai", letter);
        Assert.DoesNotContain("Dear", letter);
        Assert.Single(invitation.Attachments, a => a.ContentType.MimeType == "text/calendar");
        await CourseGiven.RecordAsync(coordinator, courseId, sessionId, [(present, "present"), (absent, "absent")]);

        using (var sheet = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{courseId}/sessions/{sessionId}/sign-in-sheet.pdf")))
        {
            Keep(sheet, "lv-sign-in-sheet");
            var text = sheet.Text();
            Assert.Contains("Dalībnieku saraksts · Sign-in sheet", text);
            Assert.Contains("Nodarbība", text);
            Assert.Contains("13.05.2013 · stundas: 6", text);
            Assert.Contains("Vārds, uzvārds", text);
            Assert.Contains("Paraksts", text);
            Assert.Contains("Policija", text);
            Assert.Contains("Ilze Bērziņa", text);
            Assert.Contains("Lapa 1 no 1", text);
            Assert.DoesNotContain("Signature", text);
        }

        using (var certificates = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{courseId}/certificates.pdf")))
        {
            Keep(certificates, "lv-certificates");
            var text = certificates.Text().Replace("\n", " ", StringComparison.Ordinal);
            Assert.Equal(1, certificates.Pages());
            Assert.Contains("Apliecība par dalību", text);
            Assert.Contains("Ilze Bērziņa", text);
            Assert.Contains("Cilvēku tirdzniecības upuru identificēšana", text);
            Assert.Contains("Vieta: Rīga · 13.05.2013 – 17.05.2013", text);
            Assert.Contains("Apmeklētās stundas", text);
            Assert.Contains("Kursa koordinators", text);
            Assert.DoesNotContain("Jānis Ozoliņš", text);
        }

        var batch = await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/evaluation-codes", new { count = 5 })).Expect(HttpStatusCode.Created);
        var codes = batch.GetProperty("codes").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToList();
        using (var slips = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{courseId}/evaluation-codes/{batch.GetProperty("batchId").GetInt32()}/slips.pdf")))
        {
            Keep(slips, "lv-slips");
            var text = slips.Text().Replace("\n", " ", StringComparison.Ordinal);
            Assert.Contains("Jūsu anonīmais novērtējums", text);
            Assert.Contains("Viens kods:", text);
            Assert.Contains("kursa novērtējumam", text);
            Assert.Contains("testam pirms kursa", text);
            Assert.DoesNotContain("testam pēc kursa", text); // the course has no test after
            var expected = codes.Select(EvaluationCodes.Normalize).SelectMany(c => new[] { $"{PublicBaseUrl}/e/{c}", $"{PublicBaseUrl}/e/{c}?purpose=preTest" });
            Assert.Equal(expected.Order(StringComparer.Ordinal), slips.QrCodes().Order(StringComparer.Ordinal)); // one slip, one code, every form
        }

        using var participant = _app.CreateAnonymousClient();
        var page = await participant.GetStringAsync($"/e/{codes[0]}");
        Assert.Contains("lang=\"lv\"", page);
        Assert.Contains("Kursa novērtējums", page);
        Assert.Contains("Mācības bija noderīgas.", page);
        Assert.Contains("Ļoti labi", page);
        Assert.Contains("Apmierinoši", page);
        Assert.Contains("Sūtīt atbildes", page);
        Assert.Contains(">Latviešu</a>", page); // the language switch names Latvian in Latvian, from its texts
        Assert.DoesNotContain("Very good", page);
        var test = await participant.GetStringAsync($"/e/{codes[0]}?purpose=preTest");
        Assert.Contains("Zināšanu tests pirms kursa", test);
        Assert.Contains("Jautājums q1", test);
        await (await EvaluationGiven.SubmitAsync(participant, codes[0], new { relevance = 5, apply = "yes" }, language: "lv")).Expect(HttpStatusCode.Created);
        Assert.Contains("Paldies!", await participant.GetStringAsync("/e/thanks?lang=lv"));
    }

    [Fact]
    public async Task AFormWithAnswersTakesACorrectedTranslationButNotABadOne()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var formId = await EvaluationGiven.FormAsync(coordinator, EvaluationGiven.ReactionForm());
        var course = await EvaluationGiven.CourseAsync(_app, coordinator, reactionFormId: formId, country: "NL", language: "nl", participants: 2);
        var codes = await EvaluationGiven.CodesAsync(coordinator, course.Id);
        using var anonymous = _app.CreateAnonymousClient();
        await (await EvaluationGiven.SubmitAsync(anonymous, codes[0], new { relevance = 4 }, language: "nl")).Expect(HttpStatusCode.Created);
        var frozen = await (await coordinator.GetAsync($"/api/evaluation-forms/{formId}")).Expect(HttpStatusCode.OK);
        Assert.True(frozen.GetProperty("frozen").GetBoolean());

        // A correction of the Dutch text, and a new language, on a form with answers.
        var corrected = ReactionFormInLatvian with { };
        var dutch = new Dictionary<string, string>(ReactionFormInLatvian.Questions) { ["relevance"] = "De training was relevant voor mijn werk." };
        var dutchOptions = ReactionFormInLatvian.Options.ToDictionary(o => o.Key, o => o.Value.ToDictionary(v => v.Key, v => "NL " + v.Value));
        await (await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{formId}/translations/nl", new { questions = dutch, options = dutchOptions })).Expect(HttpStatusCode.OK);
        var latvian = await (await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{formId}/translations/LV", corrected)).Expect(HttpStatusCode.OK);
        Assert.Equal(["en", "nl", "lv"], latvian.GetProperty("languages").EnumerateArray().Select(l => l.GetString()));
        var inDutch = await (await coordinator.GetAsync($"/api/evaluation-forms/{formId}?lang=nl")).Expect(HttpStatusCode.OK);
        Assert.Equal("De training was relevant voor mijn werk.", inDutch.GetProperty("questions")[0].GetProperty("text").GetString());
        var summary = await (await coordinator.GetAsync($"/api/courses/{course.Id}/evaluation-summary")).Expect(HttpStatusCode.OK);
        Assert.Contains("\"relevance\"", summary.GetRawText()); // the answers stand

        // Bad input: named, and nothing changes.
        var missing = ReactionFormInLatvian.Questions.Where(q => q.Key != "comments").ToDictionary(q => q.Key, q => q.Value);
        await (await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{formId}/translations/lv", new { questions = missing, options = ReactionFormInLatvian.Options }))
            .ExpectProblem(HttpStatusCode.BadRequest, "questions.comments");
        var extraOption = ReactionFormInLatvian.Options.ToDictionary(o => o.Key, o => new Dictionary<string, string>(o.Value));
        extraOption["apply"]["maybe"] = "Varbūt";
        await (await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{formId}/translations/lv", new { questions = ReactionFormInLatvian.Questions, options = extraOption }))
            .ExpectProblem(HttpStatusCode.BadRequest, "options.apply.maybe");
        var blank = new Dictionary<string, string>(ReactionFormInLatvian.Questions) { ["relevance"] = "  " };
        await (await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{formId}/translations/lv", new { questions = blank, options = ReactionFormInLatvian.Options }))
            .ExpectProblem(HttpStatusCode.BadRequest, "questions.relevance");
        await (await coordinator.PutAsJsonAsync($"/api/evaluation-forms/{formId}/translations/xq", corrected)).ExpectProblem(HttpStatusCode.BadRequest, "language");
        await (await coordinator.PutAsJsonAsync("/api/evaluation-forms/987654/translations/lv", corrected)).ExpectProblem(HttpStatusCode.NotFound);
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "NL");
        await (await expert.PutAsJsonAsync($"/api/evaluation-forms/{formId}/translations/lv", corrected)).ExpectProblem(HttpStatusCode.Forbidden);
        var read = await (await coordinator.GetAsync($"/api/evaluation-forms/{formId}?lang=lv")).Expect(HttpStatusCode.OK);
        Assert.Equal("Mācības bija noderīgas.", read.GetProperty("questions")[0].GetProperty("text").GetString());
    }

    /// <summary>With JOINTEFFORTS_KEEP_PDFS set to a folder, the PDFs are kept there to be looked at.</summary>
    private static void Keep(Pdf pdf, string name)
    {
        if (Environment.GetEnvironmentVariable("JOINTEFFORTS_KEEP_PDFS") is { Length: > 0 } folder)
        {
            File.WriteAllBytes(Path.Combine(folder, name + ".pdf"), pdf.Bytes);
        }
    }

    private static async Task<int> EnrolAsync(HttpClient coordinator, int courseId, string name, string? email = null)
    {
        var id = await CourseGiven.ParticipantAsync(coordinator, name, "LV", email);
        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = id })).Expect(HttpStatusCode.Created);
        return id;
    }

    private sealed record Translation(Dictionary<string, string> Questions, Dictionary<string, Dictionary<string, string>> Options);

    private static readonly Translation ReactionFormInLatvian = new(
        new()
        {
            ["relevance"] = "Mācības bija noderīgas.",
            ["apply"] = "Vai jūs to pielietosiet?",
            ["topics"] = "Noderīgas tēmas",
            ["hours"] = "Prakses stundas kopš kursa",
            ["comments"] = "Komentāri",
        },
        new()
        {
            ["apply"] = new() { ["yes"] = "Jā", ["no"] = "Nē" },
            ["topics"] = new() { ["indicators"] = "Pazīmes", ["health"] = "Veselības aprūpe", ["referral"] = "Nosūtīšana" },
        });

    private static readonly Translation KnowledgeTestInLatvian = new(
        new() { ["q1"] = "Jautājums q1", ["q2"] = "Jautājums q2" },
        new()
        {
            ["q1"] = new() { ["a"] = "Atbilde a", ["b"] = "Atbilde b", ["c"] = "Atbilde c" },
            ["q2"] = new() { ["a"] = "Atbilde a", ["b"] = "Atbilde b", ["c"] = "Atbilde c" },
        });

    public void Dispose()
    {
        _app.Dispose();
        _smtp.Dispose();
    }
}
