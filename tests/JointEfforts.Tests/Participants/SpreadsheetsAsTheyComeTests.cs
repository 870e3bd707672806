using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Participants;

/// <summary>
/// Participant lists as coordinators have them (issue 26): a Latvian list (Latvian headers, first and last name in two
/// columns, "Latvija", "Prokuratūra", job titles, no seniority column), the dry run's preview with duplicates, a column
/// mapping remembered for the programme, and the template with drop-down lists.
/// </summary>
public sealed class SpreadsheetsAsTheyComeTests : IDisposable
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static readonly string[] LatvianHeader = ["Nr.", "Vārds", "Uzvārds", "Amats", "Iestāde", "Nozare", "Valsts", "E-pasts"];

    private readonly JointEffortsApp _app = new();

    /// <summary>A list as a Latvian coordinator keeps it: numbered rows, job titles, no seniority.</summary>
    private static byte[] LatvianList(params string[][] rows) => Workbook(LatvianHeader, rows);

    private static readonly string[][] Riga =
    [
        ["1", "Līga", "Bērziņa", "Prokurore", "Rīgas tiesas apgabala prokuratūra", "Prokuratūra", "Latvija", "liga.berzina@prokuratura.example"],
        ["2", "Jānis", "Kalniņš", "Inspektors", "Valsts policija", "Policija", "Latvija", "janis.kalnins@vp.example"],
        ["3", "Ilze", "Ozola", "Sociālā darbiniece", "Rīgas Sociālais dienests", "Sociālie dienesti", "LV", ""],
        ["4", "Andris", "Liepiņš", "Robežsargs", "Valsts robežsardze", "Robežsardze", "Latvija", "andris.liepins@rs.example"],
    ];

    [Fact]
    public async Task ALatvianListWithFirstAndLastNamesAndNoSeniorityIsImportedAsItComes()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var result = await (await Import(coordinator, LatvianList(Riga))).Expect(HttpStatusCode.OK);

        Assert.Equal(4, result.GetProperty("created").GetInt32());
        using var db = _app.OpenDatabase();
        var stored = db.Query<(string Name, string? Email, string Organisation, string Sector, string Country, string Seniority)>(
            "SELECT full_name, email, organisation, sector, country_code, seniority FROM participants ORDER BY id").ToList();
        Assert.Equal(
            [
                ("Līga Bērziņa", "liga.berzina@prokuratura.example", "Rīgas tiesas apgabala prokuratūra", "judiciary", "LV", "unknown"),
                ("Jānis Kalniņš", "janis.kalnins@vp.example", "Valsts policija", "lawEnforcement", "LV", "unknown"),
                ("Ilze Ozola", null, "Rīgas Sociālais dienests", "socialServices", "LV", "unknown"),
                ("Andris Liepiņš", "andris.liepins@rs.example", "Valsts robežsardze", "borderGuard", "LV", "unknown"),
            ],
            stored);
        var participant = await (await coordinator.GetAsync($"/api/participants?q=Bērziņa")).Expect(HttpStatusCode.OK);
        Assert.Equal("unknown", participant.GetProperty("items")[0].GetProperty("seniority").GetString());
    }

    [Fact]
    public async Task TheDryRunShowsEveryRowWithItsErrorsAndTheDuplicatesAndStoresNothing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var known = await CourseGiven.ParticipantAsync(coordinator, "Jānis Kalniņš", "LV", "janis.kalnins@vp.example");
        var list = LatvianList(
        [
            .. Riga,
            ["5", "Līga", "Bērziņa", "Prokurore", "Rīgas tiesas apgabala prokuratūra", "Prokuratūra", "Latvija", "liga.berzina@prokuratura.example"],
            ["6", "Pēteris", "Zariņš", "Ārsts", "Rīgas slimnīca", "Astronauti", "Latvija", ""],
        ]);

        var preview = await (await Import(coordinator, list, "?dryRun=true")).Expect(HttpStatusCode.OK);

        Assert.True(preview.GetProperty("dryRun").GetBoolean());
        Assert.False(preview.GetProperty("valid").GetBoolean());
        var rows = preview.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([2, 3, 4, 5, 6, 7], rows.Select(r => r.GetProperty("row").GetInt32()));
        var first = rows[0].GetProperty("participant");
        Assert.Equal("Līga Bērziņa", first.GetProperty("fullName").GetString());
        Assert.Equal("judiciary", first.GetProperty("sector").GetString());
        Assert.Equal("LV", first.GetProperty("countryCode").GetString());
        Assert.Equal("unknown", first.GetProperty("seniority").GetString());
        Assert.Empty(rows[0].GetProperty("errors").EnumerateArray());
        // Row 6 repeats row 2's e-mail (an error, and a duplicate); row 7's sector is not one.
        Assert.Equal("email", Assert.Single(rows[4].GetProperty("errors").EnumerateArray()).GetProperty("column").GetString());
        var sectorError = Assert.Single(rows[5].GetProperty("errors").EnumerateArray());
        Assert.Equal("sector", sectorError.GetProperty("column").GetString());
        Assert.Contains("'Astronauti' is not a sector", sectorError.GetProperty("message").GetString());
        Assert.Equal("Astronauti", rows[5].GetProperty("participant").GetProperty("sector").GetString());

        var duplicates = preview.GetProperty("duplicates").EnumerateArray()
            .Select(d => (d.GetProperty("row").GetInt32(), Int(d.GetProperty("sameAsRow")), Int(d.GetProperty("participantId")), d.GetProperty("reason").GetString()))
            .ToList();
        Assert.Equal([(3, null, known, "email"), (6, 2, null, "email")], duplicates);
        Assert.Equal("firstName", preview.GetProperty("columns").GetProperty("Vārds").GetString());
        Assert.Equal("lastName", preview.GetProperty("columns").GetProperty("Uzvārds").GetString());
        Assert.Equal(["Nr."], preview.GetProperty("unrecognisedHeaders").EnumerateArray().Select(h => h.GetString()));

        using var db = _app.OpenDatabase();
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants"));
        // The real import of the same file is refused whole: all or nothing.
        await (await Import(coordinator, list)).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal(1, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants"));
    }

    [Fact]
    public async Task AColumnMappingChosenForUnknownHeadersIsRememberedForTheProgramme()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var projectId = await Given.ProjectAsync(coordinator, "LV-2027");
        string[] header = ["Vārds", "Uzvārds", "Struktūrvienība", "Joma", "Valsts"];
        var list = Workbook(header, [["Līga", "Bērziņa", "Rīgas prokuratūra", "Prokuratūra", "Latvija"]]);

        var refused = await (await Import(coordinator, list, $"?projectId={projectId}")).ExpectProblem(HttpStatusCode.BadRequest);
        var messages = refused.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains("no 'organisation' column") && m.Contains("'Struktūrvienība', 'Joma'"));

        var mapping = Uri.EscapeDataString("""{"Struktūrvienība":"organisation","Joma":"sector"}""");
        await (await Import(coordinator, list, $"?projectId={projectId}&mapping={mapping}")).Expect(HttpStatusCode.OK);
        // The next list of the programme needs no mapping; another programme's does.
        var next = Workbook(header, [["Jānis", "Kalniņš", "Valsts policija", "Policija", "Latvija"]]);
        var again = await (await Import(coordinator, next, $"?projectId={projectId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, again.GetProperty("created").GetInt32());
        var other = await Given.ProjectAsync(coordinator, "LV-2028");
        await (await Import(coordinator, next, $"?projectId={other}")).ExpectProblem(HttpStatusCode.BadRequest);

        using var db = _app.OpenDatabase();
        Assert.Equal(("Valsts policija", "lawEnforcement"), db.QuerySingle<(string, string)>(
            "SELECT organisation, sector FROM participants WHERE full_name = 'Jānis Kalniņš'"));
        await (await Import(coordinator, next, $"?projectId={projectId}&mapping={Uri.EscapeDataString("""{"Joma":"hobby"}""")}"))
            .ExpectProblem(HttpStatusCode.BadRequest, "mapping");
        await (await Import(coordinator, next, $"?projectId={projectId}&mapping=nojson")).ExpectProblem(HttpStatusCode.BadRequest, "mapping");
        await (await Import(coordinator, next, "?projectId=999999")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("Name", "Vorname", "Nachname", "Behörde", "Bereich", "Land", "Polizei", "Österreich", "lawEnforcement", "AT")]
    [InlineData("Naam", "Voornaam", "Achternaam", "Organisatie", "Sector", "Land", "Politie", "Nederland", "lawEnforcement", "NL")]
    [InlineData("Emri", "Emri", "Mbiemri", "Institucioni", "Sektori", "Vendi", "Prokuroria", "Shqipëria", "judiciary", "AL")]
    [InlineData("Nume", "Prenume", "Nume", "Instituție", "Sector", "Țara", "Poliția de frontieră", "România", "borderGuard", "RO")]
    [InlineData("Namn", "Förnamn", "Efternamn", "Myndighet", "Sektor", "Land", "Kriminalvården", "Sverige", "prison", "SE")]
    [InlineData("Nazwisko", "Imię", "Nazwisko", "Instytucja", "Sektor", "Kraj", "Straż Graniczna", "Polska", "borderGuard", "PL")]
    [InlineData("Name", "First name", "Surname", "Agency", "Sector", "Country", "Labour inspectorate", "Latvia", "labourInspection", "LV")]
    public async Task HeadersAndValuesAreRecognisedInTheSevenPageLanguages(
        string unused, string first, string last, string organisation, string sector, string country, string sectorValue, string countryValue,
        string expectedSector, string expectedCountry)
    {
        _ = unused;
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var list = Workbook([first, last, organisation, sector, country], [["Ana", "Test", "Agency", sectorValue, countryValue]]);

        await (await Import(coordinator, list)).Expect(HttpStatusCode.OK);

        using var db = _app.OpenDatabase();
        Assert.Equal(("Ana Test", expectedSector, expectedCountry, "unknown"),
            db.QuerySingle<(string, string, string, string)>("SELECT full_name, sector, country_code, seniority FROM participants"));
    }

    [Fact]
    public async Task TheTemplateHasTheColumnsAndDropDownListsForSectorSeniorityAndCountry()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var response = await coordinator.GetAsync("/api/participants/import-template.xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Xlsx, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("participants-import-template.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        File.WriteAllBytes(Path.Combine(Path.GetTempPath(), "participants-import-template.xlsx"), bytes);

        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var sheet = workbook.Worksheet("Participants");
        Assert.Equal(
            ["fullName", "email", "organisation", "sector", "countryCode", "seniority", "jobTitle"],
            Enumerable.Range(1, 7).Select(c => sheet.Cell(1, c).GetString()));
        var lists = workbook.Worksheet("Lists");
        Assert.Equal(XLWorksheetVisibility.Hidden, lists.Visibility);
        string[] ListOf(string column)
        {
            var c = Enumerable.Range(1, 7).Single(i => sheet.Cell(1, i).GetString() == column);
            Assert.True(sheet.Cell(2, c).HasDataValidation);
            var validation = sheet.Cell(2, c).DataValidation;
            Assert.Equal(XLAllowedValues.List, validation.AllowedValues);
            Assert.True(sheet.Cell(501, c).HasDataValidation);
            var range = workbook.Range(validation.Value.TrimStart('='));
            return range.Cells().Select(cell => cell.GetString()).ToArray();
        }

        Assert.Equal(["lawEnforcement", "borderGuard", "judiciary", "health", "ngo", "labourInspection", "socialServices", "prison", "other"], ListOf("sector"));
        Assert.Equal(["senior", "field", "unknown"], ListOf("seniority"));
        var countries = ListOf("countryCode");
        Assert.Contains("LV", countries);
        Assert.Contains("AT", countries);
        Assert.True(countries.Length > 200);

        // Filled in with values from its lists, the template imports.
        sheet.Cell(2, 1).Value = "Līga Bērziņa";
        sheet.Cell(2, 3).Value = "Prokuratūra";
        sheet.Cell(2, 4).Value = "judiciary";
        sheet.Cell(2, 5).Value = "LV";
        using var filled = new MemoryStream();
        workbook.SaveAs(filled);
        await (await Import(coordinator, filled.ToArray())).Expect(HttpStatusCode.OK);

        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "LV");
        await (await expert.GetAsync("/api/participants/import-template.xlsx")).ExpectProblem(HttpStatusCode.Forbidden);
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        await (await steering.GetAsync("/api/participants/import-template.xlsx")).ExpectProblem(HttpStatusCode.Forbidden);
    }

    private static int? Int(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt32();

    private static Task<HttpResponseMessage> Import(HttpClient client, byte[] body, string query = "")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(Xlsx);
        return client.PostAsync("/api/participants/import" + query, content);
    }

    private static byte[] Workbook(string[] header, string[][] rows)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("Dalībnieki");
        for (var c = 0; c < header.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = header[c];
        }

        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                sheet.Cell(r + 2, c + 1).Value = rows[r][c];
            }
        }

        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    public void Dispose() => _app.Dispose();
}
