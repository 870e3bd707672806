using System.Text.Json;
using OpenQA.Selenium;

namespace JointEfforts.Tests.Pages;

/// <summary>
/// axe-core (npm, package.json's devDependencies; installed by the build's <c>npm ci</c>) run inside the page by the test:
/// the page itself loads nothing of it. Returns the serious and critical violations, one line each.
/// </summary>
internal static class Axe
{
    private static readonly Lazy<string> Source = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var file = Path.Combine(folder.FullName, "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(file))
            {
                return File.ReadAllText(file);
            }
        }

        throw new FileNotFoundException("node_modules/axe-core/axe.min.js was not found above the test output: run npm ci in the repository.");
    });

    public static IReadOnlyList<string> SeriousViolations(IWebDriver driver)
    {
        var js = (IJavaScriptExecutor)driver;
        js.ExecuteScript(Source.Value);
        var json = (string?)((IJavaScriptExecutor)driver).ExecuteAsyncScript(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                   .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')))))
               .catch(e => done(JSON.stringify(['axe failed: ' + e])));
            """);
        return JsonSerializer.Deserialize<List<string>>(json ?? "[\"axe returned nothing\"]") ?? [];
    }

    public static void AssertClean(PageBrowser browser, string page)
    {
        var violations = SeriousViolations(browser.Driver);
        Assert.True(violations.Count == 0, $"axe-core on {page}:\n" + string.Join('\n', violations));
    }
}
