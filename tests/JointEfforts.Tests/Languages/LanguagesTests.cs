using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Languages;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Languages;

public sealed class LanguagesTests : IDisposable
{
    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task TheSevenCourseLanguagesAreListedCompleteWithTheirOwnNames()
    {
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);

        var languages = await (await steering.GetAsync("/api/languages")).Expect(HttpStatusCode.OK);

        var byCode = languages.EnumerateArray().ToDictionary(l => l.GetProperty("code").GetString()!);
        Assert.Equal(["de", "en", "nl", "pl", "ro", "sq", "sv"], byCode.Keys);
        Assert.Equal("Deutsch", byCode["de"].GetProperty("name").GetString());
        Assert.Equal("Polski", byCode["pl"].GetProperty("name").GetString());
        Assert.Equal("Română", byCode["ro"].GetProperty("name").GetString());
        Assert.All(byCode.Values, l =>
        {
            Assert.True(l.GetProperty("complete").GetBoolean());
            Assert.Equal(0, l.GetProperty("missing").GetArrayLength());
        });
    }

    [Fact]
    public async Task ACoordinatorCorrectsAGermanTextAndTheParticipantPageSaysItAtOnce()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var participant = _app.CreateAnonymousClient();
        Assert.Contains("Vielen Dank!", await participant.GetStringAsync("/e/thanks?lang=de"));

        var written = await (await coordinator.PutAsJsonAsync("/api/languages/de/texts", new
        {
            texts = new Dictionary<string, string> { ["page.thanksTitle"] = "Herzlichen Dank!", ["likert.3"] = "Mittel" },
        })).Expect(HttpStatusCode.OK);

        Assert.True(written.GetProperty("complete").GetBoolean()); // the other keys keep their built-in German
        Assert.Equal("Herzlichen Dank!", written.GetProperty("texts").GetProperty("page.thanksTitle").GetString());
        Assert.Equal("Antworten senden", written.GetProperty("texts").GetProperty("page.send").GetString());
        var page = await participant.GetStringAsync("/e/thanks?lang=de");
        Assert.Contains("Herzlichen Dank!", page);
        Assert.DoesNotContain("Vielen Dank!", page);
        var read = await (await coordinator.GetAsync("/api/languages/de/texts")).Expect(HttpStatusCode.OK);
        Assert.Equal("Mittel", read.GetProperty("texts").GetProperty("likert.3").GetString());
        var key = read.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("key").GetString() == "document.heldIn");
        Assert.Contains("{0}", key.GetProperty("description").GetString());
        Assert.Equal("in {0}, {1} – {2}", key.GetProperty("english").GetString());
        using var db = _app.OpenDatabase();
        Assert.Equal(2, db.ExecuteScalar<int>("SELECT COUNT(*) FROM language_texts WHERE language = 'de'"));
    }

    [Fact]
    public async Task BadTextsAreRefusedByNameAndChangeNothing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        await (await coordinator.PutAsJsonAsync("/api/languages/de/texts", new { texts = new Dictionary<string, string> { ["page.send"] = "Abschicken" } }))
            .Expect(HttpStatusCode.OK);

        async Task Refused(string code, Dictionary<string, string> texts, string field, string words)
        {
            var problem = await (await coordinator.PutAsJsonAsync($"/api/languages/{code}/texts", new { texts })).ExpectProblem(HttpStatusCode.BadRequest, field);
            Assert.Contains(words, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        }

        await Refused("de", new() { ["page.sned"] = "Abschicken" }, "texts.page.sned", "not a text key");
        await Refused("de", new() { ["page.send"] = "   " }, "texts.page.send", "not blank");
        await Refused("de", new() { ["document.heldIn"] = "Ort: {0}" }, "texts.document.heldIn", "{1}, {2}");
        await Refused("de", new() { ["page.send"] = "Senden {3}" }, "texts.page.send", "{3}");
        await Refused("xq", new() { ["page.send"] = "Send" }, "language", "ISO 639-1");
        await (await coordinator.PutAsJsonAsync("/api/languages/de/texts", new { })).ExpectProblem(HttpStatusCode.BadRequest, "texts");

        using var db = _app.OpenDatabase();
        Assert.Equal("Abschicken", db.ExecuteScalar<string>("SELECT text FROM language_texts WHERE language = 'de' AND key = 'page.send'"));
        Assert.Equal(1, db.ExecuteScalar<int>("SELECT COUNT(*) FROM language_texts"));
        Assert.Equal(0, db.ExecuteScalar<int>("SELECT COUNT(*) FROM languages WHERE code = 'xq'"));
    }

    [Fact]
    public async Task OnlyCoordinatorsAndAdminsReadAndWriteTextsAndAnUnknownLanguageIsNotFound()
    {
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        using var admin = _app.CreateAdminClient();
        using var anonymous = _app.CreateAnonymousClient();
        var body = new { texts = new Dictionary<string, string> { ["page.send"] = "Abschicken" } };

        await (await steering.PutAsJsonAsync("/api/languages/de/texts", body)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await expert.PutAsJsonAsync("/api/languages/de/texts", body)).ExpectProblem(HttpStatusCode.Forbidden);
        await (await expert.GetAsync("/api/languages/de/texts")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await steering.GetAsync("/api/languages/de/texts.xlsx")).ExpectProblem(HttpStatusCode.Forbidden);
        await (await anonymous.GetAsync("/api/languages")).ExpectProblem(HttpStatusCode.Unauthorized);
        await (await expert.GetAsync("/api/languages")).Expect(HttpStatusCode.OK);
        await (await admin.GetAsync("/api/languages/lv/texts")).ExpectProblem(HttpStatusCode.NotFound);
        await (await admin.PutAsJsonAsync("/api/languages/de/texts", body)).Expect(HttpStatusCode.OK);
        using var db = _app.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<int>("SELECT COUNT(*) FROM language_texts"));
    }

    [Fact]
    public async Task ATranslatorFillsTheWorkbookAndLatvianBecomesComplete()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var empty = await coordinator.GetAsync("/api/languages/lv/texts.xlsx");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal(LanguagesApi.XlsxContentType, empty.Content.Headers.ContentType?.MediaType);
        using var workbook = new XLWorkbook(new MemoryStream(await empty.Content.ReadAsByteArrayAsync()));
        var sheet = workbook.Worksheet(1);
        Assert.Equal(["Key", "What it is for", "English", "lv"], Enumerable.Range(1, 4).Select(c => sheet.Cell(1, c).GetString()));
        var rows = sheet.RowsUsed().Skip(1).ToList();
        Assert.Equal(TextCatalogue.Entries.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal("", r.Cell(4).GetString()));

        // Half the texts first: Latvian exists and says what it still lacks.
        var latvian = LatvianTexts.All;
        foreach (var row in rows)
        {
            row.Cell(4).Value = latvian[row.Cell(1).GetString()];
        }

        var lastKey = rows[^1].Cell(1).GetString();
        rows[^1].Cell(4).Value = "";
        var partial = await (await PutWorkbookAsync(coordinator, workbook)).Expect(HttpStatusCode.OK);
        Assert.False(partial.GetProperty("complete").GetBoolean());
        Assert.Equal([lastKey], partial.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        var listed = await (await coordinator.GetAsync("/api/languages")).Expect(HttpStatusCode.OK);
        var lv = listed.EnumerateArray().Single(l => l.GetProperty("code").GetString() == "lv");
        Assert.Equal("Latviešu", lv.GetProperty("name").GetString());
        Assert.False(lv.GetProperty("complete").GetBoolean());

        rows[^1].Cell(4).Value = latvian[lastKey];
        var complete = await (await PutWorkbookAsync(coordinator, workbook)).Expect(HttpStatusCode.OK);
        Assert.True(complete.GetProperty("complete").GetBoolean());
        Assert.Equal("Sūtīt atbildes", complete.GetProperty("texts").GetProperty("page.send").GetString());

        // The exported workbook now carries the Latvian texts back.
        var again = new XLWorkbook(new MemoryStream(await (await coordinator.GetAsync("/api/languages/lv/texts.xlsx")).Content.ReadAsByteArrayAsync()));
        Assert.Contains(again.Worksheet(1).RowsUsed(), r => r.Cell(1).GetString() == "page.send" && r.Cell(4).GetString() == "Sūtīt atbildes");
    }

    [Fact]
    public async Task AWorkbookThatIsNotOneOrNamesAnUnknownKeyIsRefused()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var garbage = new ByteArrayContent("not a zip"u8.ToArray());
        garbage.Headers.ContentType = new MediaTypeHeaderValue(LanguagesApi.XlsxContentType);
        await (await coordinator.PutAsync("/api/languages/lv/texts.xlsx", garbage)).ExpectProblem(HttpStatusCode.BadRequest, "file");
        await (await coordinator.PutAsync("/api/languages/lv/texts.xlsx", new StringContent("a,b"))).ExpectProblem(HttpStatusCode.UnsupportedMediaType);

        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("Texts");
        sheet.Cell(1, 1).Value = "Key";
        sheet.Cell(2, 1).Value = "page.nonsense";
        sheet.Cell(2, 4).Value = "Teksts";
        await (await PutWorkbookAsync(coordinator, workbook)).ExpectProblem(HttpStatusCode.BadRequest, "texts.page.nonsense");

        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<int>("SELECT COUNT(*) FROM languages WHERE code = 'lv'"));
    }

    private static async Task<HttpResponseMessage> PutWorkbookAsync(HttpClient client, XLWorkbook workbook)
    {
        var stream = new MemoryStream(); // not disposed: ClosedXML keeps the stream it last saved to and touches it on the next save
        workbook.SaveAs(stream);
        var content = new ByteArrayContent(stream.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(LanguagesApi.XlsxContentType);
        return await client.PutAsync("/api/languages/lv/texts.xlsx", content);
    }

    public void Dispose() => _app.Dispose();
}
