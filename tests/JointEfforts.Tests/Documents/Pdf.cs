using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace JointEfforts.Tests.Documents;

/// <summary>
/// A downloaded PDF read the way a person would: its text (pdftotext), its pages (pdfinfo) and its QR codes
/// (pdftoppm -r 300 then zbarimg), from poppler-utils and zbar-tools, which test.sh installs. The only place
/// the tests start processes.
/// </summary>
public sealed class Pdf : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jointefforts-pdf", Guid.NewGuid().ToString("N"));

    private Pdf(byte[] bytes, ContentDispositionHeaderValue? disposition)
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllBytes(FilePath, bytes);
        Disposition = disposition;
        Bytes = bytes;
    }

    public byte[] Bytes { get; }

    public ContentDispositionHeaderValue? Disposition { get; }

    /// <summary>The ASCII download name.</summary>
    public string? FileName => Disposition?.FileName?.Trim('"');

    private string FilePath => Path.Combine(_folder, "document.pdf");

    /// <summary>Asserts a 200 PDF download (content type, attachment) and keeps it for reading.</summary>
    public static async Task<Pdf> ReadAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"Expected 200 but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.Equal("attachment", disposition?.DispositionType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
        return new Pdf(bytes, disposition);
    }

    public int Pages()
    {
        var info = Run("pdfinfo", FilePath);
        var line = info.Split('\n').Single(l => l.StartsWith("Pages:", StringComparison.Ordinal));
        return int.Parse(line["Pages:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The text of the whole document, or of one page (1-based).</summary>
    public string Text(int? page = null) =>
        page is { } p ? Run("pdftotext", "-f", $"{p}", "-l", $"{p}", FilePath, "-") : Run("pdftotext", FilePath, "-");

    /// <summary>Every QR code on every page, decoded from a 150 dpi rendering.</summary>
    public List<string> QrCodes()
    {
        // 300 dpi, as a printer puts it on paper: at 150 dpi zbar now and then missed one code of ten.
        Run("pdftoppm", "-r", "300", "-png", FilePath, Path.Combine(_folder, "page"));
        var pages = Directory.GetFiles(_folder, "page*.png").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(pages);
        return Run("zbarimg", ["-q", "--raw", .. pages]).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start (poppler-utils, zbar-tools: see test.sh).");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} exited {process.ExitCode}: {error.Result}");
        return output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp folder's own cleaning.
        }
    }
}
