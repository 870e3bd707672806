using System.Drawing;
using JointEfforts.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace JointEfforts.Tests.Pages;

/// <summary>
/// Debian's chromium driven through Debian's chromedriver (nothing is downloaded: test.sh installs both), against the
/// app on a real Kestrel port. Screenshots go to <c>screenshots/</c> in the test output folder.
/// </summary>
internal sealed class PageBrowser : IDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";

    public static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private readonly ChromeDriver _driver;

    public PageBrowser(JointEffortsApp app, string? downloads = null)
    {
        app.StartServer(); // made with PageGiven.DemoApp(kestrel: true)
        BaseAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
            "--lang=en-GB", "--no-first-run", "--disable-extensions");
        if (downloads is not null)
        {
            options.AddUserProfilePreference("download.default_directory", downloads);
            options.AddUserProfilePreference("download.prompt_for_download", false);
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        _driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    public string BaseAddress { get; }

    public IWebDriver Driver => _driver;

    public static bool IsInstalled => File.Exists(Chromium) && File.Exists(ChromeDriver);

    public void Open(string path) => _driver.Navigate().GoToUrl(BaseAddress + path);

    public IWebElement Find(string css) => _driver.FindElement(By.CssSelector(css));

    public IReadOnlyList<IWebElement> FindAll(string css) => _driver.FindElements(By.CssSelector(css));

    /// <summary>
    /// Waits until <paramref name="condition"/> holds. An element read while the page is being replaced (a form posted, a
    /// redirect followed) is stale: that read is tried again, not failed, so a wait never races the navigation it awaits.
    /// </summary>
    public T Wait<T>(Func<IWebDriver, T> condition, int seconds = 20)
    {
        var wait = new WebDriverWait(_driver, TimeSpan.FromSeconds(seconds));
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    public object? Script(string script, params object[] args) => _driver.ExecuteScript(script, args);

    /// <summary>The whole page at a phone's width (390 px, a mobile viewport) or a desktop's (1280 px).</summary>
    public string Screenshot(string name, int width)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var mobile = width < 600;
        _driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width, ["height"] = mobile ? 844 : 900, ["deviceScaleFactor"] = 1, ["mobile"] = mobile,
        });
        Thread.Sleep(300); // let the layout and the charts settle at the new width
        var height = Convert.ToInt32(_driver.ExecuteScript("return Math.ceil(document.documentElement.scrollHeight);"), System.Globalization.CultureInfo.InvariantCulture);
        _driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width, ["height"] = Math.Min(height, 12000), ["deviceScaleFactor"] = 1, ["mobile"] = mobile,
        });
        Thread.Sleep(300);
        var path = Path.Combine(ScreenshotFolder, $"{name}-{width}.png");
        _driver.GetScreenshot().SaveAsFile(path);
        SaveParts(name, width, height);
        _driver.ExecuteCdpCommand("Emulation.clearDeviceMetricsOverride", new Dictionary<string, object?>());
        _driver.Manage().Window.Size = new Size(1280, 900);
        return path;
    }

    /// <summary>A long page also in parts of 1,600 px (screenshots/parts/), which an image viewer shows at a readable size.</summary>
    private void SaveParts(string name, int width, int height)
    {
        const int part = 1600;
        if (height <= part)
        {
            return;
        }

        var folder = Directory.CreateDirectory(Path.Combine(ScreenshotFolder, "parts")).FullName;
        for (var (top, i) = (0, 1); top < height; top += part, i++)
        {
            var shot = (Dictionary<string, object?>)_driver.ExecuteCdpCommand("Page.captureScreenshot", new Dictionary<string, object?>
            {
                ["format"] = "png",
                ["captureBeyondViewport"] = true,
                ["clip"] = new Dictionary<string, object?> { ["x"] = 0, ["y"] = top, ["width"] = width, ["height"] = Math.Min(part, height - top), ["scale"] = 1 },
            })!;
            File.WriteAllBytes(Path.Combine(folder, $"{name}-{width}-{i}.png"), Convert.FromBase64String((string)shot["data"]!));
        }
    }

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
    }
}
