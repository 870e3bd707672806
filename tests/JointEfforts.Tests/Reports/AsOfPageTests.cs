using System.Globalization;
using JointEfforts.Tests.Infrastructure;
using JointEfforts.Tests.Pages;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Reports;

/// <summary>
/// Issue 25: the dashboard page, moved through the demo's days, shows the figures of <see cref="AsOfFiguresTests.Days"/>: the
/// course table with each course's status on that day (not today's), "not recorded" where no register was taken, and the
/// programme's trained, enrolled, responses, meetings held and overdue recommendations. Printed to PDF and screenshotted
/// (screenshots/ in the test output folder) to be looked at.
/// </summary>
public sealed class AsOfPageTests(ITestOutputHelper output) : IDisposable
{
    private const string SteeringToken = "je_demo_steering_2c7a9e4b6d1f8350a3b9e7c1d5f2a8e4";

    private readonly JointEffortsApp _app = PageGiven.DemoApp(kestrel: true);

    [Fact]
    public void TheDashboardPageShowsTheHandCountedFiguresAndEachCoursesStatusAsTheyStoodOnEachDay()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed: test.sh installs them (apt-get install chromium chromium-driver).");
        using var browser = new PageBrowser(_app);
        browser.Open("/dashboard");
        browser.Find("#token").SendKeys(SteeringToken);
        browser.Find("#signInForm button").Click();
        var picker = browser.Wait(d => d.FindElement(By.Id("programme")).Displayed ? d.FindElement(By.Id("programme")) : null);
        picker!.FindElements(By.TagName("option")).Single(o => o.Text.StartsWith("ISEC-JOINT-EFFORTS", StringComparison.Ordinal)).Click();
        browser.Wait(d => d.FindElement(By.Id("programmeTitle")).Text.StartsWith("Joint efforts", StringComparison.Ordinal));

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var day in AsOfFiguresTests.Days(today))
        {
            var at = $"as of {day.Date}";
            browser.Script(
                "const input = document.getElementById('asOf'); input.value = arguments[0]; input.dispatchEvent(new Event('change'));", day.Date);
            var rows = browser.Wait(d =>
                d.FindElements(By.CssSelector("#courses thead th")).Any(h => h.Text == $"Status on {day.Date}")
                && d.FindElements(By.CssSelector("#courses tbody tr")) is { Count: 6 } found ? found : null, seconds: 30)!;
            browser.Wait(d => d.FindElement(By.Id("status")).Text == $"ISEC-JOINT-EFFORTS, as of {day.Date}.");

            Assert.Equal($"{day.Trained} of 160 target", browser.Find("#trained").Text);
            Assert.StartsWith($"{day.Enrolled} enrolled;", browser.Find("#enrolled").Text, StringComparison.Ordinal);
            Assert.Equal($"{day.Responses} reaction responses.", browser.Find("#responses").Text);
            Assert.Equal($"{day.MeetingsHeld} held", browser.Find("#meetings p.figure").Text);
            Assert.True(day.RecommendationsOverdue == browser.FindAll("#recommendations span.overdue").Count, $"{at}: overdue recommendations, page");
            // Amsterdam's report, submitted 2013-06-12 and still awaiting the steering group, was not awaiting anyone before then.
            var awaiting = browser.Wait(d => d.FindElement(By.Id("reports")).Text is { Length: > 0 } text ? text : null)!;
            Assert.True(day.ReportsSubmitted == (awaiting.Contains("Amsterdam", StringComparison.Ordinal) ? 1 : 0), $"{at}: reports awaiting, page ({awaiting})");
            for (var i = 0; i < day.Courses.Length; i++)
            {
                var expected = day.Courses[i];
                var cells = rows[i].FindElements(By.TagName("td")).Select(c => c.Text).ToList();
                var because = $"{expected.City} {at}";
                var delivered = expected.Status is "delivered" or "evaluated";
                Assert.True(AsOfFiguresTests.StatusLabels[expected.Status] == cells[1], $"{because}: status, page ({cells[1]})");
                Assert.True(expected.Enrolled.ToString(CultureInfo.InvariantCulture) == cells[2], $"{because}: enrolled, page ({cells[2]})");
                var trained = expected.AttendanceMissing ? "not recorded"
                    : day.Date.CompareTo("2013-04-22") < 0 || (expected.City != "Vienna" && expected.Enrolled == 0) ? "–"
                    : expected.Trained.ToString(CultureInfo.InvariantCulture);
                Assert.True(trained == cells[3], $"{because}: trained, page ({cells[3]})");
                Assert.True(expected.Responses.ToString(CultureInfo.InvariantCulture) == cells[4], $"{because}: responses, page ({cells[4]})");
                var rate = delivered ? $"{Math.Round(expected.Rate!.Value * 100, MidpointRounding.AwayFromZero)} %" : "not delivered";
                Assert.True(rate == cells[5], $"{because}: response rate, page ({cells[5]})");
            }

            if (day.Date == "2013-11-30")
            {
                // The countries whose courses were held without a register: their trained is not known, not 0.
                var countries = browser.FindAll("#countries tbody tr")
                    .ToDictionary(r => r.FindElement(By.TagName("th")).Text, r => r.FindElements(By.TagName("td"))[2].Text);
                Assert.Equal("not recorded", countries["United Kingdom"]);
                Assert.Equal("not recorded", countries["Sweden"]);
                Assert.Equal("30", countries["Austria"]);
            }

            if (day.Date is "2012-06-30" or "2013-11-30")
            {
                foreach (var width in new[] { 390, 768, 1280 })
                {
                    browser.Screenshot($"dashboard-as-of-{day.Date}", width);
                }

                var pdf = (Dictionary<string, object?>)((OpenQA.Selenium.Chromium.ChromiumDriver)browser.Driver).ExecuteCdpCommand("Page.printToPDF",
                    new Dictionary<string, object?> { ["printBackground"] = true, ["preferCSSPageSize"] = true, ["paperWidth"] = 8.27, ["paperHeight"] = 11.69 })!;
                var path = Path.Combine(PageBrowser.ScreenshotFolder, $"dashboard-as-of-{day.Date}.pdf");
                File.WriteAllBytes(path, Convert.FromBase64String((string)pdf["data"]!));
                output.WriteLine($"printed {path}");
            }
        }
    }

    public void Dispose() => _app.Dispose();
}
