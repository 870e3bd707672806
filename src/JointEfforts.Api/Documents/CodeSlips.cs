using System.Data.Common;
using Dapper;
using JointEfforts.Api.Evaluations;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using QRCoder;

namespace JointEfforts.Api.Documents;

/// <summary>
/// A batch of evaluation codes as slips to cut apart, ten to an A4 page: in the course language, the one-line
/// instruction, the form's address, the code grouped for reading (ABCD-EFGH-JK23) and a QR code that opens
/// <c>{PublicBaseUrl}/e/{code}</c> with the code filled in. Codes print in code order, which says nothing
/// about the order they were issued in (sql/0008).
/// </summary>
public static class CodeSlips
{
    /// <summary>Where participants open the form, as printed: behind a proxy the API cannot see it, so it is a setting.</summary>
    public const string PublicBaseUrlSetting = "JointEfforts:PublicBaseUrl";

    private const string SelectBatch = """
        SELECT b.id AS Id, b.issued_on AS IssuedOn,
               (SELECT COUNT(*) FROM evaluation_code_batches o WHERE o.course_id = b.course_id AND o.id <= b.id) AS Number
        FROM evaluation_code_batches b
        WHERE b.id = @batchId AND b.course_id = @id;

        SELECT code FROM evaluation_codes WHERE batch_id = @batchId AND course_id = @id ORDER BY code;
        """;

    public sealed record Batch
    {
        public int Id { get; init; }

        public DateOnly IssuedOn { get; init; }

        /// <summary>1 for the course's first batch, 2 for the next: a name for the file, not an id.</summary>
        public int Number { get; init; }
    }

    public static async Task<(Batch? Batch, IReadOnlyList<string> Codes)> ReadAsync(DbConnection db, int id, int batchId)
    {
        using var results = await db.QueryMultipleAsync(SelectBatch, new { id, batchId });
        var batch = await results.ReadSingleOrDefaultAsync<Batch>();
        var codes = (await results.ReadAsync<string>()).ToList();
        return (batch, codes);
    }

    /// <summary>
    /// The setting, or else the server's own first bound address (IServerAddressesFeature): never the request's
    /// <c>Host</c> header, which any client can forge and which would then be printed and put in every QR code
    /// (issue 23). A wildcard binding (<c>http://+:8080</c>, <c>http://[::]:8080</c>) prints as <c>localhost</c>;
    /// a server that reports no address (the in-memory test server) prints <c>http://localhost</c>. The sign-in links
    /// (Users) use it too: a forged Host must not make the system hand out a link to someone else's site.
    /// </summary>
    public static string PublicBaseUrl(IConfiguration configuration, IServer server)
    {
        if (configuration[PublicBaseUrlSetting] is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }

        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .FirstOrDefault();
        if (bound is null || !Uri.TryCreate(bound.Replace("://+", "://localhost", StringComparison.Ordinal)
                .Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return "http://localhost";
        }

        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return $"{uri.Scheme}://{host}{(uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
    }

    public static string FormAddress(string baseUrl, string code, string purpose = "reaction") =>
        purpose == "reaction" ? $"{baseUrl}/e/{code}" : $"{baseUrl}/e/{code}?purpose={purpose}";

    public static string FileName(DocumentCourse course, Batch batch) =>
        DocumentFiles.Name(course.City, course.StartDate, batch.Number == 1 ? "evaluation-codes" : $"evaluation-codes-{batch.Number}");

    /// <summary>
    /// The slips. A course with a test before or after has one QR code per form, each labelled, all with the one code (a
    /// code is used once per purpose, so the two tests of one person pair up without naming them): the reaction form at
    /// <c>/e/{code}</c>, the tests at <c>/e/{code}?purpose=preTest</c> and <c>postTest</c>. Eight such slips a page.
    /// </summary>
    public static byte[] Render(DocumentCourse course, IReadOnlyList<string> codes, string baseUrl, DocumentTexts texts)
    {
        var forms = new List<(string Label, string Purpose)>();
        if (course.HasPreTest)
        {
            forms.Add((texts.SlipPreTest, "preTest"));
        }

        if (course.HasReactionForm || forms.Count > 0 || course.HasPostTest)
        {
            forms.Add((texts.SlipReaction, "reaction"));
        }

        if (course.HasPostTest)
        {
            forms.Add((texts.SlipPostTest, "postTest"));
        }

        var several = forms.Count > 1;
        var cards = codes.Select(code => several
            ? new Card(
                [
                    new Text(course.Title, Size: 7.5, Muted: true, MaxLines: 1),
                    new Text(texts.SlipInstruction, Size: 8, MaxLines: 3),
                    new Text(texts.SlipForms, Size: 8, Bold: true, MaxLines: 1),
                ],
                Below:
                [
                    new Text(baseUrl + "/e", Size: 9, Bold: true, MaxLines: 1),
                    new Text(EvaluationCodes.Display(code), Size: 17, Bold: true, MaxLines: 1),
                ])
            {
                Row = forms.Select(f => (f.Label, Qr(FormAddress(baseUrl, code, f.Purpose)))).ToList(),
            }
            : new Card(
                [
                    new Text(course.Title, Size: 7.5, Muted: true, MaxLines: 2),
                    new Text(texts.SlipInstruction, Size: 8.5, MaxLines: 5),
                ],
                Qr(FormAddress(baseUrl, code)),
                [
                    new Text(baseUrl + "/e", Size: 9, Bold: true, MaxLines: 1),
                    new Text(EvaluationCodes.Display(code), Size: 17, Bold: true, MaxLines: 1),
                ])).ToList();
        return PdfLayout.Render(new PdfDocumentSpec($"Evaluation codes: {course.Title}", [new CutGrid(cards, Columns: 2, Rows: several ? 4 : 5)])
        {
            Footer = $"{course.City}, {DocumentCourse.Date(course.StartDate)} · {codes.Count} evaluation codes · hand out at random, one per participant",
        });
    }

    /// <summary>
    /// A QR code's modules with its quiet zone, drawn as vector squares by the renderer (no System.Drawing, and no
    /// image: PDFsharp's core build cannot read the 1-bit PNG of PngByteQRCode, and squares print sharper).
    /// </summary>
    private static bool[][] Qr(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return data.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray()).ToArray();
    }
}
