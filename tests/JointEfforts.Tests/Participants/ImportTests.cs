using System.Net;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Courses;
using JointEfforts.Tests.Infrastructure;

namespace JointEfforts.Tests.Participants;

public sealed class ImportTests : IDisposable
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static readonly string[] Header = ["Full name", "E-mail", "Organisation", "Sector", "Country", "Seniority"];

    private readonly JointEffortsApp _app = new();

    [Fact]
    public async Task AWorkbookAsCoordinatorsKeepThemIsImported()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var workbook = Workbook(
            ["Besnik Hoxha", "b.hoxha@example.org", "Border Police Tirana", "Border guard", "AL", "Senior"],
            ["Elira Shehu", "", "Shelter 'Different and Equal'", "NGO", "al", "field"],
            [null, null, null, null, null, null],
            ["Arben Krasniqi", "a.krasniqi@example.org", "Tirana University Hospital", "health", "AL", "field"]);

        var result = await (await Import(coordinator, workbook, Xlsx)).Expect(HttpStatusCode.OK);

        Assert.Equal(3, result.GetProperty("created").GetInt32());
        Assert.Equal(0, result.GetProperty("matched").GetInt32());
        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        using var db = _app.OpenDatabase();
        var stored = db.Query<(string Name, string Sector, string Country, string Seniority)>(
            "SELECT full_name, sector, country_code, seniority FROM participants ORDER BY id").ToList();
        Assert.Equal(("Besnik Hoxha", "borderGuard", "AL", "senior"), stored[0]);
        Assert.Equal(("Elira Shehu", "ngo", "AL", "field"), stored[1]);
        Assert.Equal(("Arben Krasniqi", "health", "AL", "field"), stored[2]);
    }

    [Fact]
    public async Task ACsvIsImportedAndASecondImportMatchesInsteadOfDuplicating()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        const string csv = """
            fullName,email,organisation,sector,countryCode,seniority
            Jan de Vries,jan.devries@example.org,Nationale Politie,lawEnforcement,NL,senior
            "Bakker, Sanne",,"GGD Amsterdam",health,NL,field
            """;

        var first = await (await Import(coordinator, Encoding.UTF8.GetBytes(csv), "text/csv")).Expect(HttpStatusCode.OK);
        var second = await (await Import(coordinator, Encoding.UTF8.GetBytes(csv.Replace("jan.devries@", "JAN.DEVRIES@", StringComparison.Ordinal)), "text/csv")).Expect(HttpStatusCode.OK);

        Assert.Equal(2, first.GetProperty("created").GetInt32());
        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.Equal(2, second.GetProperty("matched").GetInt32());
        using var db = _app.OpenDatabase();
        Assert.Equal(["Jan de Vries", "Bakker, Sanne"], db.Query<string>("SELECT full_name FROM participants ORDER BY id").ToList());
    }

    [Fact]
    public async Task ASemicolonCsvWithABomAndMultipartUploadAreAccepted()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var csv = "\uFEFFName;Organisation;Sector;Country;Level\r\nMaria Huber;Bundeskriminalamt;Police;AT;managerial\r\n";
        using var multipart = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        multipart.Add(file, "file", "teilnehmer.csv");

        var result = await (await coordinator.PostAsync("/api/participants/import", multipart)).Expect(HttpStatusCode.OK);

        Assert.Equal(1, result.GetProperty("created").GetInt32());
        using var db = _app.OpenDatabase();
        Assert.Equal("lawEnforcement", db.ExecuteScalar<string>("SELECT sector FROM participants WHERE full_name = 'Maria Huber'"));
    }

    [Fact]
    public async Task AnyErrorImportsNothingAndListsEveryErrorByRowAndColumn()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var workbook = Workbook(
            ["Good Person", "good@example.org", "Police", "lawEnforcement", "GB", "field"],
            ["", "not-an-email", "Police", "astronaut", "UK", "boss"],
            ["Twice", "good@example.org", "Police", "health", "GB", "senior"]);

        var response = await Import(coordinator, workbook, Xlsx);

        var problem = await response.ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal(0, problem.GetProperty("created").GetInt32());
        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString())).ToList();
        Assert.Equal([(3, "fullName"), (3, "email"), (3, "sector"), (3, "countryCode"), (3, "seniority"), (4, "email")], errors);
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants"));
    }

    [Fact]
    public async Task ADryRunCountsButStoresNothing()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, "GB", min: 1, max: 1);
        var workbook = Workbook(
            ["Oliver Smith", "o.smith@example.org", "Metropolitan Police", "lawEnforcement", "GB", "field"],
            ["Amelia Jones", "a.jones@example.org", "NHS London", "health", "GB", "field"]);

        var result = await (await Import(coordinator, workbook, Xlsx, $"?dryRun=true&courseId={courseId}")).Expect(HttpStatusCode.OK);

        Assert.True(result.GetProperty("dryRun").GetBoolean());
        Assert.Equal(2, result.GetProperty("created").GetInt32());
        Assert.Equal(1, result.GetProperty("enrolled").GetInt32());
        Assert.Equal(1, result.GetProperty("waitlisted").GetInt32());
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants"));
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM enrolments"));
    }

    [Fact]
    public async Task ImportingIntoACourseEnrolsWithTheCapacityRules()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var courseId = await CourseGiven.OpenCourseAsync(coordinator, "SE", min: 1, max: 2);
        var already = await CourseGiven.ParticipantAsync(coordinator, "Erik Lindqvist", "SE", "erik@example.org");
        await (await coordinator.PostAsync($"/api/courses/{courseId}/enrolments", Http.RawJson($$"""{"participantId":{{already}}}"""))).Expect(HttpStatusCode.Created);
        var csv = """
            fullName,email,organisation,sector,countryCode,seniority
            Erik Lindqvist,erik@example.org,Polisen,lawEnforcement,SE,field
            Karin Nilsson,karin@example.org,Socialtjänsten Stockholm,socialServices,SE,field
            Lars Johansson,lars@example.org,Arbetsmiljöverket,labourInspection,SE,senior
            """;

        var result = await (await Import(coordinator, Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"?courseId={courseId}")).Expect(HttpStatusCode.OK);

        Assert.Equal(2, result.GetProperty("created").GetInt32());
        Assert.Equal(1, result.GetProperty("matched").GetInt32());
        Assert.Equal(1, result.GetProperty("alreadyEnrolled").GetInt32());
        Assert.Equal(1, result.GetProperty("enrolled").GetInt32());
        Assert.Equal(1, result.GetProperty("waitlisted").GetInt32());
        var course = await (await coordinator.GetAsync($"/api/courses/{courseId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, course.GetProperty("enrolledCount").GetInt32());
        Assert.Equal(1, course.GetProperty("waitlistedCount").GetInt32());
    }

    [Fact]
    public async Task ImportingIntoACourseThatIsNotOpenIsAConflict()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var draft = await CourseGiven.CourseAsync(coordinator);
        var csv = Encoding.UTF8.GetBytes("fullName,organisation,sector,countryCode,seniority\nA,B,health,AT,field\n");

        await (await Import(coordinator, csv, "text/csv", $"?courseId={draft}")).ExpectProblem(HttpStatusCode.Conflict);
        await (await Import(coordinator, csv, "text/csv", "?courseId=404")).ExpectProblem(HttpStatusCode.NotFound);
        await (await Import(coordinator, csv, "text/csv", "?courseId=abc")).ExpectProblem(HttpStatusCode.BadRequest, "courseId");
        await (await Import(coordinator, csv, "text/csv", "?dryRun=maybe")).ExpectProblem(HttpStatusCode.BadRequest, "dryRun");
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("fullName,organisation,sector,countryCode,seniority\n")]
    [InlineData("name,age\nAnna,40\n")]
    [InlineData("fullName,organisation,sector,countryCode,seniority\n\"unclosed,B,health,AT,field\n")]
    [InlineData("just some text without structure")]
    public async Task BrokenCsvFilesAreProblemsNeverErrors(string csv)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var problem = await (await Import(coordinator, Encoding.UTF8.GetBytes(csv), "text/csv")).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.GetProperty("errors").EnumerateArray());
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants"));
    }

    [Fact]
    public async Task BrokenWorkbooksAreProblemsNeverErrors()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var emptyBook = new XLWorkbook();
        emptyBook.AddWorksheet("Empty");
        using var emptyStream = new MemoryStream();
        emptyBook.SaveAs(emptyStream);

        foreach (var bytes in new[] { emptyStream.ToArray(), Encoding.UTF8.GetBytes("PK\u0003\u0004 not really a zip"), [], Encoding.Latin1.GetBytes("Name;Müller") })
        {
            var problem = await (await Import(coordinator, bytes, Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);
            Assert.Equal(JsonValueKind.Array, problem.GetProperty("errors").ValueKind);
        }

        var latin1 = await (await Import(coordinator, Encoding.Latin1.GetBytes("fullName,organisation,sector,countryCode,seniority\nMüller,B,health,AT,field\n"), "text/csv")).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains("UTF-8", latin1.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task WrongContentTypesAndMissingPartsAreRefused()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        await (await coordinator.PostAsync("/api/participants/import", Http.RawJson("[]"))).ExpectProblem(HttpStatusCode.UnsupportedMediaType);
        using var multipart = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        await (await coordinator.PostAsync("/api/participants/import", multipart)).ExpectProblem(HttpStatusCode.BadRequest, "file");
        using var steering = await _app.CreateClientAsync(Role.SteeringGroup);
        await (await Import(steering, Encoding.UTF8.GetBytes("fullName\n"), "text/csv")).ExpectProblem(HttpStatusCode.Forbidden);
        using var expert = await _app.CreateClientAsync(Role.CountryExpert, "AT");
        await (await Import(expert, Encoding.UTF8.GetBytes("fullName\n"), "text/csv")).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AFileOverTenMegabytesIs413()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var response = await Import(coordinator, new byte[(10 * 1024 * 1024) + 1], "text/csv");

        await response.ExpectProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task TenThousandRowsAreImportedInOneGo()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var csv = new StringBuilder("fullName,email,organisation,sector,countryCode,seniority\n");
        for (var i = 0; i < 10_000; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"Person {i},person{i}@example.org,Agency {i % 40},health,PL,field\n");
        }

        var result = await (await Import(coordinator, Encoding.UTF8.GetBytes(csv.ToString()), "text/csv")).Expect(HttpStatusCode.OK);

        Assert.Equal(10_000, result.GetProperty("created").GetInt32());
        csv.Append("One too many,extra@example.org,Agency,health,PL,field\n");
        var tooMany = await (await Import(coordinator, Encoding.UTF8.GetBytes(csv.ToString()), "text/csv")).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains("10000", tooMany.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task AMillionRowWorkbookOfAboutAMegabyteIsRefusedBeforeItIsUnpacked()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var workbook = RawWorkbook.MillionRows();
        Assert.InRange(workbook.Length, 100_000, 1_500_000);

        var problem = await (await Import(coordinator, workbook, Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);

        var message = FirstError(problem);
        Assert.Contains("'xl/worksheets/sheet1.xml' alone is", message);
        Assert.Contains("unpacks to more than 20.0 MB", message);
        AssertNothingStored();
    }

    [Fact]
    public async Task AMillionRowWorkbookWhoseZipUnderstatesItsSizeStopsAtTheRowLimit()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var workbook = RawWorkbook.WithDeclaredSize(RawWorkbook.MillionRows(), RawWorkbook.SheetEntry, 19_000_000);

        var problem = await (await Import(coordinator, workbook, Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Equal(10_002, problem.GetProperty("errors")[0].GetProperty("row").GetInt32());
        Assert.Equal("At most 10000 participants per import; split the file.", FirstError(problem));
        AssertNothingStored();
    }

    [Fact]
    public async Task A400MegabyteCellInASmallFileIsRefused()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var workbook = RawWorkbook.HugeCell(400L * 1024 * 1024);
        Assert.InRange(workbook.Length, 1, 1_000_000);

        var problem = await (await Import(coordinator, workbook, Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Contains("'xl/worksheets/sheet1.xml' alone is 400.0 MB", FirstError(problem));
        AssertNothingStored();
    }

    [Theory]
    [InlineData(1_024u)]
    [InlineData(19_000_000u)]
    public async Task AZipBombWhoseHeadersLieIsRefusedOnTheBytesActuallyUnpacked(uint declared)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var bomb = RawWorkbook.WithDeclaredSize(RawWorkbook.HugeCell(60L * 1024 * 1024), RawWorkbook.SheetEntry, declared);

        var problem = await (await Import(coordinator, bomb, Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Equal(JsonValueKind.Array, problem.GetProperty("errors").ValueKind);
        Assert.NotEmpty(FirstError(problem));
        AssertNothingStored();
    }

    [Fact]
    public async Task AZipBombInAPartTheImportNeverReadsIsRefusedOnItsDeclaredSize()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        using var buffer = new MemoryStream();
        buffer.Write(RawWorkbook.Participants(3));
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var styles = zip.CreateEntry("xl/styles.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 300; i++)
            {
                styles.Write(zeros);
            }
        }

        Assert.InRange(buffer.Length, 1, 2_000_000);

        var problem = await (await Import(coordinator, buffer.ToArray(), Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Contains("'xl/styles.xml' alone is 300.0 MB", FirstError(problem));
        AssertNothingStored();
    }

    [Theory]
    [InlineData("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF")]
    [InlineData("fullName,organisation,sector,countryCode,seniority\nA,B,health,AT,field\n")]
    public async Task AFileThatIsNotAZipIsAProblem(string text)
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var problem = await (await Import(coordinator, Encoding.UTF8.GetBytes(text), Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Contains("not a readable .xlsx", FirstError(problem));
        AssertNothingStored();
    }

    [Fact]
    public async Task TheLargestLegalWorkbookIsImportedAndOneRowMoreIsRefused()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);

        var tooMany = await (await Import(coordinator, RawWorkbook.Participants(10_001), Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal(10_002, tooMany.GetProperty("errors")[0].GetProperty("row").GetInt32());
        Assert.Contains("At most 10000 participants", FirstError(tooMany));
        AssertNothingStored();

        var result = await (await Import(coordinator, RawWorkbook.Participants(10_000), Xlsx)).Expect(HttpStatusCode.OK);

        Assert.Equal(10_000, result.GetProperty("created").GetInt32());
        using var db = _app.OpenDatabase();
        Assert.Equal(10_000, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants"));
        var last = db.QuerySingle<(string Name, string Email, string Sector, string Country, string Seniority)>(
            "SELECT full_name, email, sector, country_code, seniority FROM participants ORDER BY id DESC LIMIT 1");
        Assert.Equal(("Participant Number 09999", "participant.09999@example.org", "prison", "GB", "field"), last);
    }

    [Fact]
    public async Task ACellOverAThousandCharactersOrAValueBeyondColumnCVIsRefusedByName()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var longCell = RawWorkbook.Create(w => w.Write(
            RawWorkbook.InlineRow(1, Header) + RawWorkbook.InlineRow(2, "Anna Kowalska", "", new string('x', 1_001), "health", "PL", "field")));
        var wide = RawWorkbook.Create(w => w.Write(
            RawWorkbook.InlineRow(1, Header) + "<row r=\"2\"><c r=\"CW2\" t=\"inlineStr\"><is><t>stray</t></is></c></row>"));

        var tooLong = await (await Import(coordinator, longCell, Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);
        var tooWide = await (await Import(coordinator, wide, Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);
        var offTheGrid = await (await Import(coordinator, RawWorkbook.Create(w => w.Write(
            RawWorkbook.InlineRow(1, Header) + RawWorkbook.InlineRow(1_048_577, "Anna Kowalska"))), Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);
        var blankCells = await (await Import(coordinator, RawWorkbook.Create(w =>
        {
            w.Write(RawWorkbook.InlineRow(1, Header));
            var blankRow = "<row>" + string.Concat(Enumerable.Repeat("<c s=\"1\"/>", 10_000)) + "</row>";
            for (var i = 0; i < 101; i++)
            {
                w.Write(blankRow);
            }
        }), Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);
        var csvTooLong = await (await Import(coordinator, Encoding.UTF8.GetBytes($"fullName,organisation\nAnna,\"{new string('x', 1_001)}\"\n"), "text/csv")).ExpectProblem(HttpStatusCode.BadRequest);
        var csvTooWide = await (await Import(coordinator, Encoding.UTF8.GetBytes("fullName" + new string(',', 100) + "stray\n"), "text/csv")).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Equal("Cell C2 holds more than 1,000 characters: this is not a participant list.", FirstError(tooLong));
        Assert.Equal("Cell CW2 has a value beyond column CV: at most 100 columns are read; remove the others.", FirstError(tooWide));
        Assert.Equal("The sheet has more rows than Excel's 1,048,576: the file is damaged or not a spreadsheet.", FirstError(offTheGrid));
        Assert.Equal("The sheet has more than 1,000,100 cells, blank ones included: this is not a participant list of at most 10,000 rows.", FirstError(blankCells));
        Assert.Equal("The cell in column 2 holds more than 1,000 characters: this is not a participant list.", FirstError(csvTooLong));
        Assert.Equal(2, csvTooLong.GetProperty("errors")[0].GetProperty("row").GetInt32());
        Assert.Equal("Column 101 has a value: at most 100 columns are read; remove the others.", FirstError(csvTooWide));
        AssertNothingStored();
    }

    [Fact]
    public async Task ASharedStringOverAThousandCharactersIsRefusedWhereACellUsesItAndOneOverExcelsLimitAtOnce()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        string[] strings = [.. Header, "Anna Kowalska", new string('x', 1_500), "health", "PL", "field", "anna@example.org", "Straż Graniczna"];
        var usesLong = RawWorkbook.Create(w => w.Write(RawWorkbook.SharedRow(1, 0, 1, 2, 3, 4, 5) + RawWorkbook.SharedRow(2, 6, 11, 7, 8, 9, 10)), strings);
        var longUnused = RawWorkbook.Create(w => w.Write(RawWorkbook.SharedRow(1, 0, 1, 2, 3, 4, 5) + RawWorkbook.SharedRow(2, 6, 11, 12, 8, 9, 10)), strings);
        var overExcel = RawWorkbook.Create(w => w.Write(RawWorkbook.SharedRow(1, 0, 1, 2, 3, 4, 5)), [.. strings, new string('z', 40_000)]);

        var problem = await (await Import(coordinator, usesLong, Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);
        var excel = await (await Import(coordinator, overExcel, Xlsx)).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Equal("Cell C2 holds more than 1,000 characters: this is not a participant list.", FirstError(problem));
        Assert.Equal("The workbook holds a text of more than 32,767 characters, more than Excel itself allows in a cell: this is not a participant list.", FirstError(excel));
        AssertNothingStored();
        var result = await (await Import(coordinator, longUnused, Xlsx)).Expect(HttpStatusCode.OK);
        Assert.Equal(1, result.GetProperty("created").GetInt32());
        using var db = _app.OpenDatabase();
        Assert.Equal("Straż Graniczna", db.ExecuteScalar<string>("SELECT organisation FROM participants WHERE email = 'anna@example.org'"));
    }

    [Fact]
    public async Task CountriesNamedInEnglishAreStoredAsTheirCodes()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        var csv = """
            fullName,organisation,sector,countryCode,seniority
            Anna Kowalska,Straż Graniczna,borderGuard,Poland,field
            Oliver Smith,Home Office,lawEnforcement,united kingdom,senior
            Jan de Vries,Nationale Politie,lawEnforcement,The Netherlands,field
            Petr Novák,Policie ČR,lawEnforcement,Czech Republic,field
            Ion Popescu,Inspectoratul General al Poliției,lawEnforcement,  MOLDOVA ,field
            Piotr Nowak,Państwowa Inspekcja Pracy,labourInspection,pl,field
            """;

        await (await Import(coordinator, Encoding.UTF8.GetBytes(csv), "text/csv")).Expect(HttpStatusCode.OK);

        using var db = _app.OpenDatabase();
        Assert.Equal(["PL", "GB", "NL", "CZ", "MD", "PL"], db.Query<string>("SELECT country_code FROM participants ORDER BY id").ToList());
    }

    [Fact]
    public async Task UkAndUnknownCountryNamesAreErrorsThatSayWhatIsExpected()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        const string csv = """
            fullName,organisation,sector,countryCode,seniority
            Oliver Smith,Home Office,lawEnforcement,UK,senior
            Tumnus,Cair Paravel,other,Narnia,field
            """;

        var problem = await (await Import(coordinator, Encoding.UTF8.GetBytes(csv), "text/csv")).ExpectProblem(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("message").GetString())).ToList();
        Assert.Equal(
            [
                (2, "countryCode", "'UK' is not an ISO 3166-1 country code: the United Kingdom's is GB."),
                (3, "countryCode", "'Narnia' is neither an ISO 3166-1 alpha-2 country code (e.g. AT, NL, GB) nor a country's name in English (e.g. Poland)."),
            ],
            errors);
        AssertNothingStored();
    }

    [Fact]
    public async Task NamesAndOrganisationsOfOnlyInvisibleCharactersAreErrorsByRowAndColumn()
    {
        using var coordinator = await _app.CreateClientAsync(Role.Coordinator);
        const string csv = "fullName,organisation,sector,countryCode,seniority\n" +
            "\uFEFF,Police,lawEnforcement,AT,senior\n" +
            "Anna Nowak,\u200B\u200B,ngo,PL,field\n" +
            "\u2060Jan Kowalski,Straz Graniczna,borderGuard,PL,field\n";

        var problem = await (await Import(coordinator, Encoding.UTF8.GetBytes(csv), "text/csv")).ExpectProblem(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("message").GetString())).ToList();
        Assert.Equal(
            [
                (2, "fullName", "The name holds only invisible characters (U+FEFF): a name of 1 to 200 visible characters is required."),
                (3, "organisation", "The organisation holds only invisible characters (U+200B): 1 to 200 visible characters are required."),
            ],
            errors);
        AssertNothingStored();
    }

    private static string FirstError(JsonElement problem) => problem.GetProperty("errors")[0].GetProperty("message").GetString()!;

    private void AssertNothingStored()
    {
        using var db = _app.OpenDatabase();
        Assert.Equal(0, db.ExecuteScalar<long>("SELECT COUNT(*) FROM participants"));
    }

    private static Task<HttpResponseMessage> Import(HttpClient client, byte[] body, string contentType, string query = "")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.PostAsync("/api/participants/import" + query, content);
    }

    /// <summary>A real .xlsx, as Excel would save it: a header row, then one participant per row.</summary>
    private static byte[] Workbook(params string?[][] rows)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("Participants");
        for (var c = 0; c < Header.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = Header[c];
        }

        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                if (rows[r][c] is { } value)
                {
                    sheet.Cell(r + 2, c + 1).Value = value;
                }
            }
        }

        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    public void Dispose() => _app.Dispose();
}
