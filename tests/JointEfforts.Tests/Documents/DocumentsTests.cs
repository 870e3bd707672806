using System.Net;
using System.Net.Http.Json;
using Dapper;
using JointEfforts.Api.Documents;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Languages;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Documents;

public sealed class DocumentsTests : IDisposable
{
    private const string PublicBaseUrl = "https://training.example.org/je";

    private readonly JointEffortsApp _app = new(settings: new Dictionary<string, string?> { ["JointEfforts:PublicBaseUrl"] = PublicBaseUrl });

    // Sign-in sheets -------------------------------------------------------------------------------------------

    [Fact]
    public async Task SignInSheetListsTheEnrolledInNameOrderWithSessionAndFunding()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessionIds, _) = await CourseGiven.RunningCourseAsync(coordinator, participants: 0, sessions: 2);
        var names = new[] { "Ștefan Țurcanu", "Zoë Françoise", "Åsa Ängström", "Jürgen Öztürk" };
        var ids = new List<int>();
        foreach (var name in names)
        {
            ids.Add(await EnrolAsync(coordinator, courseId, name, sector: name.StartsWith('Z') ? "ngo" : "lawEnforcement"));
        }

        var withdrawn = await EnrolAsync(coordinator, courseId, "Withdrawn Person");
        await WithdrawAsync(coordinator, courseId, withdrawn);

        using var pdf = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{courseId}/sessions/{sessionIds[1]}/sign-in-sheet.pdf"));

        Assert.Equal("JointEfforts-Vienna-2013-05-14-sign-in-session-2.pdf", pdf.FileName);
        Assert.Equal(1, pdf.Pages());
        var text = pdf.Text();
        // The AT course is given in German: the sheet speaks it, its title says "Sign-in sheet" too for the funders.
        Assert.Contains("Anwesenheitsliste · Sign-in sheet", text);
        Assert.Contains("Einheit", text);
        Assert.Contains("2. Day 2", text);
        Assert.Contains("14.05.2013 · 7 Stunden", text);
        Assert.Contains("Förderung", text);
        Assert.Contains("EU ISEC", text);
        Assert.Contains("Training centre, Vienna", text);
        Assert.Contains("Unterschrift", text);
        Assert.Contains("NGO", text);
        Assert.Contains("Polizei", text);
        Assert.DoesNotContain("Law enforcement", text);
        Assert.DoesNotContain("Signature", text);
        Assert.DoesNotContain("lawEnforcement", text);
        Assert.Contains("Vienna, 14.05.2013 · Einheit 2 · 4 angemeldet", text);
        Assert.DoesNotContain("Withdrawn Person", text);
        // Name order as people read it: marked letters among their plain ones, not after Z.
        var positions = new[] { "Åsa Ängström", "Jürgen Öztürk", "Ștefan Țurcanu", "Zoë Françoise" }.Select(n => text.IndexOf(n, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0, "every enrolled name, diacritics intact, is on the sheet"));
        Assert.Equal(positions.Order().ToList(), positions);
        Assert.Contains("Seite 1 von 1", text);
    }

    [Fact]
    public async Task FortyNamesFitOnTwoPagesWithTheHeaderOnEach()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessionIds, participantIds) = await CourseGiven.RunningCourseAsync(coordinator, participants: 40, sessions: 1);

        using var pdf = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{courseId}/sessions/{sessionIds[0]}/sign-in-sheet.pdf"));

        Assert.Equal(2, pdf.Pages());
        var text = pdf.Text();
        Assert.Equal(40, participantIds.Count(id => text.Contains($"Participant {courseId}-{participantIds.IndexOf(id) + 1}\n", StringComparison.Ordinal)));
        foreach (var page in new[] { 1, 2 })
        {
            var pageText = pdf.Text(page);
            Assert.Contains("Anwesenheitsliste · Sign-in sheet", pageText);
            Assert.Contains("Unterschrift", pageText);
            Assert.Contains("Day 1", pageText);
            Assert.Contains($"Seite {page} von 2", pageText);
        }
    }

    [Fact]
    public async Task SignInSheetIsForCourseStaffOfTheCourseOnly()
    {
        using var admin = _app.CreateAdminClient();
        var (expertId, expertToken) = await _app.CreateUserAsync(Role.CountryExpert, "AT");
        var (courseId, sessionIds, _) = await CourseGiven.RunningCourseAsync(admin, participants: 1, sessions: 1, countryExpertUserId: expertId);
        var url = $"/api/courses/{courseId}/sessions/{sessionIds[0]}/sign-in-sheet.pdf";
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        using var otherCountry = await _app.CreateClientAsync(Role.CountryExpert, "NL");
        using var otherExpertSameCountry = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        using var expert = _app.ClientWithToken(expertToken);

        await (await steering.GetAsync(url)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await otherCountry.GetAsync(url)).ExpectProblem(HttpStatusCode.NotFound);
        await (await otherExpertSameCountry.GetAsync(url)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await admin.GetAsync($"/api/courses/{courseId}/sessions/987654/sign-in-sheet.pdf")).ExpectProblem(HttpStatusCode.NotFound);
        var otherCourse = await CourseGiven.CourseAsync(admin);
        await (await admin.GetAsync($"/api/courses/{otherCourse}/sessions/{sessionIds[0]}/sign-in-sheet.pdf")).ExpectProblem(HttpStatusCode.NotFound);
        using var pdf = await Pdf.ReadAsync(await expert.GetAsync(url));
        Assert.Equal(1, pdf.Pages());
    }

    // Evaluation code slips ------------------------------------------------------------------------------------

    [Fact]
    public async Task SlipsCarryEachCodeOfTheBatchInTheCourseLanguageWithAQrCodeOpeningTheForm()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, _, _) = await CourseGiven.RunningCourseAsync(coordinator, participants: 1, sessions: 1);
        var codes = Enumerable.Range(0, 12).Select(i => EvaluationCodes.Create()).ToList();
        var batchId = ArrangeBatch(courseId, codes);
        ArrangeBatch(courseId, [EvaluationCodes.Create()]); // another batch of the course: none of its codes print

        using var pdf = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{courseId}/evaluation-codes/{batchId}/slips.pdf"));

        Assert.Equal("JointEfforts-Vienna-2013-05-13-evaluation-codes.pdf", pdf.FileName);
        Assert.Equal(2, pdf.Pages()); // ten slips a page
        var text = pdf.Text();
        Assert.Contains("Ihre anonyme Bewertung", text); // the AT course is given in German
        Assert.Contains(PublicBaseUrl + "/e", text);
        Assert.All(codes, code => Assert.Contains(EvaluationCodes.Display(code), text));
        Assert.Equal(codes.Select(c => $"{PublicBaseUrl}/e/{c}").Order(StringComparer.Ordinal), pdf.QrCodes().Order(StringComparer.Ordinal));
        var printed = codes.Select(c => text.IndexOf(EvaluationCodes.Display(c), StringComparison.Ordinal)).ToList();
        Assert.Equal(codes.Order(StringComparer.Ordinal).Select(c => text.IndexOf(EvaluationCodes.Display(c), StringComparison.Ordinal)), printed.Order());
    }

    [Fact]
    public async Task WithoutPublicBaseUrlSlipsPointAtTheServersOwnAddressNeverAtAForgedHostHeader()
    {
        using var app = new JointEffortsApp(settings: new Dictionary<string, string?> { ["JointEfforts:PublicBaseUrl"] = "" });
        using var coordinator = await app.CreateClientAsync(Role.Coordinator);
        var (courseId, _, _) = await CourseGiven.RunningCourseAsync(coordinator, "MD", participants: 1, sessions: 1);
        var code = EvaluationCodes.Create();
        var batchId = ArrangeBatch(courseId, [code], app);
        using var forged = new HttpRequestMessage(HttpMethod.Get, $"/api/courses/{courseId}/evaluation-codes/{batchId}/slips.pdf");
        forged.Headers.Host = "phishing.example.net";

        using var pdf = await Pdf.ReadAsync(await coordinator.SendAsync(forged));

        // The in-memory test server binds no address: the slips fall back to localhost, never to the header.
        Assert.Equal([$"http://localhost/e/{code}"], pdf.QrCodes());
        var text = pdf.Text();
        Assert.DoesNotContain("phishing", text);
        Assert.Contains("http://localhost/e", text);
        Assert.Contains("Evaluarea dumneavoastră anonimă", text.Replace("\n", " ", StringComparison.Ordinal)); // ă ș ț survive
        Assert.Contains("introduceți", text);
    }

    [Fact]
    public async Task SlipsOfAnUnknownEmptyOrOtherCoursesBatchAreNotFoundAndNotForTheSteeringGroup()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, _, _) = await CourseGiven.RunningCourseAsync(coordinator, participants: 1, sessions: 1);
        var (otherCourseId, _, _) = await CourseGiven.RunningCourseAsync(coordinator, participants: 1, sessions: 1);
        var batchId = ArrangeBatch(courseId, [EvaluationCodes.Create(), EvaluationCodes.Create()]);
        var otherBatchId = ArrangeBatch(otherCourseId, [EvaluationCodes.Create()]);
        var emptyBatchId = ArrangeBatch(courseId, []);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        using var otherCountry = await _app.CreateClientAsync(Role.CountryExpert, "NL");
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "AT");

        await (await coordinator.GetAsync($"/api/courses/{courseId}/evaluation-codes/987654/slips.pdf")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync($"/api/courses/{courseId}/evaluation-codes/{otherBatchId}/slips.pdf")).ExpectProblem(HttpStatusCode.NotFound);
        var empty = await (await coordinator.GetAsync($"/api/courses/{courseId}/evaluation-codes/{emptyBatchId}/slips.pdf")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Contains("batch", empty.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        var url = $"/api/courses/{courseId}/evaluation-codes/{batchId}/slips.pdf";
        await (await steering.GetAsync(url)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await otherCountry.GetAsync(url)).ExpectProblem(HttpStatusCode.NotFound);
        using var pdf = await Pdf.ReadAsync(await expert.GetAsync(url)); // the course names no expert: the country's expert prints
        Assert.Equal(1, pdf.Pages());
    }

    // Certificates ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task CertificatesGoToEveryoneWhoCompletedOnePageEach()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessionIds, _) = await CourseGiven.RunningCourseAsync(coordinator, "MD", participants: 0, sessions: 2);
        SetCity(courseId, "Chișinău");
        var present = await EnrolAsync(coordinator, courseId, "Ștefan Țurcanu", "MD");
        var late = await EnrolAsync(coordinator, courseId, "Zoë Françoise", "MD");
        var halfway = await EnrolAsync(coordinator, courseId, "Half Way", "MD");
        var erased = await EnrolAsync(coordinator, courseId, "Erased Person", "MD");
        await CourseGiven.RecordAsync(coordinator, courseId, sessionIds[0], [(present, "present"), (late, "late"), (halfway, "present"), (erased, "present")]);
        await CourseGiven.RecordAsync(coordinator, courseId, sessionIds[1], [(present, "present"), (late, "late"), (halfway, "absent"), (erased, "present")]);
        Erase(erased);

        using var pdf = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{courseId}/certificates.pdf"));

        Assert.Equal("JointEfforts-Chisinau-2013-05-13-certificates.pdf", pdf.FileName);
        Assert.Equal("JointEfforts-Chișinău-2013-05-13-certificates.pdf", pdf.Disposition?.FileNameStar);
        Assert.Equal(2, pdf.Pages());
        var first = pdf.Text(1);
        var second = pdf.Text(2);
        Assert.Contains("Ștefan Țurcanu", first); // name order: Ș among the S's, before Z
        Assert.Contains("Zoë Françoise", second);
        Assert.Contains("Certificat de participare", first); // the course language
        Assert.Contains("Certificate of attendance", first);
        Assert.Contains("Chișinău", first);
        var compact = first.Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("14/14", compact); // hours attended / hours of the course: two sessions of 7 hours
        Assert.Contains("2/2", compact);
        Assert.Contains("EU ISEC", first);
        Assert.Contains("Coordonatorul cursului", first);
        Assert.DoesNotContain("Half Way", pdf.Text());
        Assert.DoesNotContain("Erased Person", pdf.Text());
    }

    [Fact]
    public async Task CertificatesPrintWhenANoShowIsListedAfterSomeoneWhoAttended()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessionIds, _) = await CourseGiven.RunningCourseAsync(coordinator, participants: 0, sessions: 2);
        // Enrolled in this order, so the one who attended is read first and the no-show (hours NULL, then 0) after.
        var attended = await EnrolAsync(coordinator, courseId, "Anna Attended");
        var noShow = await EnrolAsync(coordinator, courseId, "Norbert Noshow");
        using (var db = _app.OpenDatabase())
        {
            db.Execute("UPDATE course_sessions SET hours = 3.5 WHERE id = @id", new { id = sessionIds[1] });
        }

        await CourseGiven.RecordAsync(coordinator, courseId, sessionIds[0], [(attended, "present"), (noShow, "absent")]);
        await CourseGiven.RecordAsync(coordinator, courseId, sessionIds[1], [(attended, "present"), (noShow, "absent")]);

        using var pdf = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{courseId}/certificates.pdf"));

        Assert.Equal(1, pdf.Pages());
        var text = pdf.Text();
        Assert.Contains("Anna Attended", text);
        Assert.DoesNotContain("Norbert Noshow", text);
        Assert.Contains("10.5/10.5", text.Replace(" ", "", StringComparison.Ordinal));
        await (await coordinator.GetAsync($"/api/courses/{courseId}/participants/{noShow}/certificate.pdf")).ExpectProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task OneCertificateForOneWhoCompletedConflictForOneWhoDidNotNotFoundForOneNotEnrolled()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessionIds, ids) = await CourseGiven.RunningCourseAsync(coordinator, participants: 2, sessions: 1);
        await CourseGiven.RecordAsync(coordinator, courseId, sessionIds[0], [(ids[0], "present"), (ids[1], "excused")]);
        var stranger = await CourseGiven.ParticipantAsync(coordinator, "Not Enrolled");

        using var pdf = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{courseId}/participants/{ids[0]}/certificate.pdf"));
        Assert.Equal($"JointEfforts-Vienna-2013-05-13-certificate-Participant-{courseId}-1.pdf", pdf.FileName);
        Assert.Equal(1, pdf.Pages());
        Assert.Contains($"Participant {courseId}-1", pdf.Text());
        Assert.Contains("Teilnahmebestätigung", pdf.Text());

        var notCompleted = await (await coordinator.GetAsync($"/api/courses/{courseId}/participants/{ids[1]}/certificate.pdf")).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Contains("0 of 1 sessions", notCompleted.GetProperty("detail").GetString());
        await (await coordinator.GetAsync($"/api/courses/{courseId}/participants/{stranger}/certificate.pdf")).ExpectProblem(HttpStatusCode.NotFound);
        await (await coordinator.GetAsync($"/api/courses/987654/participants/{ids[0]}/certificate.pdf")).ExpectProblem(HttpStatusCode.NotFound);
        Erase(ids[0]);
        await (await coordinator.GetAsync($"/api/courses/{courseId}/participants/{ids[0]}/certificate.pdf")).ExpectProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CertificatesOfACourseNobodyCompletedAreAConflictAndOnlyForCoordinators()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessionIds, ids) = await CourseGiven.RunningCourseAsync(coordinator, participants: 1, sessions: 2);
        await CourseGiven.RecordAsync(coordinator, courseId, sessionIds[0], [(ids[0], "present")]);
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);

        var problem = await (await coordinator.GetAsync($"/api/courses/{courseId}/certificates.pdf")).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Contains("completed", problem.GetProperty("detail").GetString());
        await (await coordinator.GetAsync("/api/courses/987654/certificates.pdf")).ExpectProblem(HttpStatusCode.NotFound);
        await (await expert.GetAsync($"/api/courses/{courseId}/certificates.pdf")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await steering.GetAsync($"/api/courses/{courseId}/certificates.pdf")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await expert.GetAsync($"/api/courses/{courseId}/participants/{ids[0]}/certificate.pdf")).ExpectProblem(HttpStatusCode.Forbidden);
    }

    // Layout limits --------------------------------------------------------------------------------------------

    [Fact]
    public async Task TheLongestNamesAndTitlesAllowedKeepEveryDocumentToItsPages()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var (courseId, sessionIds, ids) = await CourseGiven.RunningCourseAsync(coordinator, participants: 40, sessions: 1);
        await CourseGiven.RecordAsync(coordinator, courseId, sessionIds[0], ids.Select(id => (id, "present")));
        var codes = Enumerable.Range(0, 10).Select(_ => EvaluationCodes.Create()).ToList();
        var batchId = ArrangeBatch(courseId, codes);
        using (var db = _app.OpenDatabase())
        {
            // The longest each field may be (the request records' StringLength).
            var words = string.Join(' ', Enumerable.Repeat("Menschenhandelsbekämpfung", 20));
            db.Execute(
                """
                UPDATE courses SET title = substr(@words, 1, 300), venue = substr(@words, 1, 200), city = substr(@words, 1, 100) WHERE id = @courseId;
                UPDATE course_sessions SET title = substr(@words, 1, 300) WHERE course_id = @courseId;
                UPDATE projects SET title = substr(@words, 1, 300), funding_programme = substr(@words, 1, 200)
                WHERE id = (SELECT project_id FROM courses WHERE id = @courseId);
                UPDATE participants SET full_name = substr(id || ' ' || @words, 1, 200), organisation = substr(@words, 1, 200)
                WHERE id IN (SELECT participant_id FROM enrolments WHERE course_id = @courseId);
                """,
                new { words, courseId });
        }

        using var sheet = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{courseId}/sessions/{sessionIds[0]}/sign-in-sheet.pdf"));
        Assert.Equal(2, sheet.Pages());
        Assert.Contains("…", sheet.Text());
        using var certificates = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{courseId}/certificates.pdf"));
        Assert.Equal(40, certificates.Pages());
        using var slips = await Pdf.ReadAsync(await coordinator.GetAsync($"/api/courses/{courseId}/evaluation-codes/{batchId}/slips.pdf"));
        Assert.Equal(1, slips.Pages());
        Assert.Equal(10, slips.QrCodes().Count);
        Assert.True(sheet.FileName!.Length < 200, sheet.FileName);
    }

    [Fact]
    public void EveryKeyOfTheCatalogueHasABuiltInTextInEachOfTheSevenCourseLanguages()
    {
        foreach (var language in new[] { "en", "de", "nl", "sq", "ro", "sv", "pl" })
        {
            var missing = TextCatalogue.Entries.Where(e => TextCatalogue.Default(e.Key, language) is null).Select(e => e.Key).ToList();
            Assert.True(missing.Count == 0, $"{language} lacks {string.Join(", ", missing)}");
            Assert.Contains("QR", TextCatalogue.Default("document.slipInstruction", language));
        }

        foreach (var language in new[] { "hu", "pt", "fr" })
        {
            Assert.Contains("QR", TextCatalogue.Default("document.slipInstruction", language)); // documents only, until a coordinator completes them
        }

        Assert.Equal(TextCatalogue.Entries.Count, TextCatalogue.ByKey.Count); // no key registered twice
        Assert.Equal("JointEfforts-Chisinau-2013-09-23-certificates.pdf", DocumentFiles.Ascii(DocumentFiles.Name("Chișinău", new DateOnly(2013, 9, 23), "certificates")));
        Assert.Equal("Sao-Paulo", DocumentFiles.Ascii(DocumentFiles.Words("São Paulo")));
    }

    // Arrangements ---------------------------------------------------------------------------------------------

    private static async Task<int> EnrolAsync(HttpClient coordinator, int courseId, string name, string country = "AT", string sector = "lawEnforcement")
    {
        var id = await CourseGiven.ParticipantAsync(coordinator, name, country, sector: sector);
        await (await coordinator.PostAsJsonAsync($"/api/courses/{courseId}/enrolments", new { participantId = id })).Expect(HttpStatusCode.Created);
        return id;
    }

    private static async Task WithdrawAsync(HttpClient coordinator, int courseId, int participantId)
    {
        var enrolments = await (await coordinator.GetAsync($"/api/courses/{courseId}/enrolments?size=100")).Expect(HttpStatusCode.OK);
        var enrolmentId = enrolments.GetProperty("items").EnumerateArray()
            .Single(e => e.GetProperty("participantId").GetInt32() == participantId).GetProperty("id").GetInt32();
        var response = await coordinator.DeleteAsync($"/api/courses/{courseId}/enrolments/{enrolmentId}");
        Assert.True(response.IsSuccessStatusCode, $"withdrawal: {(int)response.StatusCode}");
    }

    /// <summary>A batch of codes as the issuing route stores it (sql/0008), whatever that route answers.</summary>
    private int ArrangeBatch(int courseId, IReadOnlyList<string> codes, JointEffortsApp? app = null)
    {
        using var db = (app ?? _app).OpenDatabase();
        using var transaction = db.BeginTransaction();
        var batchId = db.ExecuteScalar<int>(
            "INSERT INTO evaluation_code_batches (course_id, issued_on, code_count) VALUES (@courseId, '2013-05-17', @count) RETURNING id",
            new { courseId, count = Math.Max(1, codes.Count) }, transaction);
        foreach (var code in codes)
        {
            db.Execute("INSERT INTO evaluation_codes (course_id, code, batch_id) VALUES (@courseId, @code, @batchId)", new { courseId, code, batchId }, transaction);
        }

        transaction.Commit();
        return batchId;
    }

    private void SetCity(int courseId, string city)
    {
        using var db = _app.OpenDatabase();
        db.Execute("UPDATE courses SET city = @city WHERE id = @courseId", new { city, courseId });
    }

    private void Erase(int participantId)
    {
        using var db = _app.OpenDatabase();
        db.Execute("UPDATE participants SET full_name = NULL, email = NULL, erased_at = '2013-12-01T00:00:00.000Z' WHERE id = @participantId", new { participantId });
    }

    public void Dispose() => _app.Dispose();
}
