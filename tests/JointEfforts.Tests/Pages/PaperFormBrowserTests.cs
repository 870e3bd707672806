using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace JointEfforts.Tests.Pages;

/// <summary>
/// Issue 24 in a real browser: paper forms typed in on the demo's Dutch course (Amsterdam, delivered) by its country expert,
/// with the keyboard alone: the form's own questions in Dutch, the Likert anchors in Dutch, saved, and the count of forms in
/// goes up by one. Also the admin, whom the route lets in as well. axe-core; screenshots at 390, 768 and 1280 px.
/// </summary>
public sealed class PaperFormBrowserTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int[] Widths = [390, 768, 1280];
    private readonly JointEffortsApp _app = PageGiven.DemoApp(kestrel: true);

    [Fact]
    public async Task TheDutchExpertTypesInAPaperFormByKeyboardInDutchAndSeesTheCountGoUp()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed: test.sh installs them (apt-get install chromium chromium-driver).");
        var (courseId, enrolled, form) = await DutchCourseAsync();
        var before = Responses(courseId);
        var paperBefore = PaperResponses(courseId);
        Assert.True(before < enrolled, $"the demo's Dutch course has room for a paper form ({before} of {enrolled})");

        using var browser = new PageBrowser(_app);
        await Keyboard.SignInAsync(_app, browser, "demo.expert.nl");
        browser.Open($"/workspace/courses/{courseId}/paper-forms");
        Assert.Equal("Type in paper forms", browser.Find("h1").Text);
        Assert.Equal($"{before} of {enrolled} forms of this purpose are in, on paper and online.", browser.Find("#answered").Text);

        // The participant's questions in the course language (Dutch), and the anchors of the scale in Dutch.
        var overall = Question(form, "overall");
        Assert.Equal(overall.GetProperty("text").GetProperty("nl").GetString(), browser.Find("#overall legend").Text);
        Assert.Equal(["1 Zeer slecht", "2 Slecht", "3 Voldoende", "4 Goed", "5 Zeer goed"],
            browser.FindAll("#overall .scale-point").Select(p => p.Text.Replace("\n", " ", StringComparison.Ordinal).Trim()).ToArray());
        var apply = Question(form, "apply");
        var firstOption = apply.GetProperty("options")[0].GetProperty("text").GetProperty("nl").GetString();
        Assert.Equal(firstOption, browser.Find("label[for='q-apply-0']").Text);
        Axe.AssertClean(browser, "paper forms (Dutch)");
        Shoot(browser, "ws-paper-form-nl");

        // Keyboard alone: Tab from question to question; in a scale, Space picks 1 and the arrows move to 4; Enter saves.
        var done = new HashSet<string>(StringComparer.Ordinal);
        var likert = form.GetProperty("questions").EnumerateArray().Where(q => q.GetProperty("type").GetString() == "likert5")
            .Select(q => "q." + q.GetProperty("key").GetString()).ToHashSet(StringComparer.Ordinal);
        var saved = false;
        for (var presses = 0; presses < 150 && !saved; presses++)
        {
            Keyboard.Press(browser, Keys.Tab);
            var focused = Keyboard.Focused(browser);
            Keyboard.AssertFocusVisible(browser, focused.TagName + " " + focused.GetAttribute("name"));
            var name = focused.GetAttribute("name") ?? "";
            if (Keyboard.Is(browser, focused, "form.ws-form button[type=submit]"))
            {
                Keyboard.Press(browser, Keys.Enter);
                saved = true;
            }
            else if (name.StartsWith("q.", StringComparison.Ordinal) && done.Add(name))
            {
                switch (focused.GetAttribute("type"))
                {
                    case "radio" when likert.Contains(name):
                        Keyboard.Press(browser, Keys.Space + Keys.ArrowRight + Keys.ArrowRight + Keys.ArrowRight);
                        break;
                    case "radio" or "checkbox":
                        Keyboard.Press(browser, Keys.Space);
                        break;
                    default:
                        Keyboard.Type(browser, "Heel bruikbaar voor de praktijk.");
                        break;
                }
            }
        }

        Assert.True(saved, "the save button was reached by Tab");
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal("The form was saved. Type in the next one.", browser.Find(".notice-thanks").Text);
        Assert.Equal($"{before + 1} of {enrolled} forms of this purpose are in, on paper and online.", browser.Find("#answered").Text);
        Assert.Equal(before + 1, Responses(courseId));

        // What was typed is what was stored: 4 on every scale, the first option, the comment, on paper in Dutch.
        using (var db = _app.Services.GetRequiredService<Database>().Open())
        {
            // Response ids say nothing of their order (anonymity): the new one is the paper response that was not there before.
            var newId = PaperResponses(courseId).Except(paperBefore).Single();
            var last = db.QuerySingle<(long Id, string Source, string Language)>(
                "SELECT id, source, language FROM evaluation_responses WHERE id = @newId", new { newId });
            Assert.Equal(("paper", "nl"), (last.Source, last.Language));
            var answers = db.Query<(string Key, string? Option, double? Number, string? Text)>(
                "SELECT question_key, option_value, number_value, text_value FROM evaluation_answers WHERE response_id = @id", new { id = last.Id }).ToList();
            Assert.All(answers.Where(a => likert.Contains("q." + a.Key)), a => Assert.Equal(4.0, a.Number));
            Assert.Equal(likert.Count, answers.Count(a => a.Number == 4.0));
            Assert.Equal("yes", answers.Single(a => a.Key == "apply").Option);
            Assert.Equal("indicators", answers.Single(a => a.Key == "topics").Option);
            Assert.Equal("Heel bruikbaar voor de praktijk.", answers.Single(a => a.Key == "comments").Text);
        }

        Axe.AssertClean(browser, "paper forms, one saved");
        Shoot(browser, "ws-paper-form-saved");

        // A required scale left empty: the API's message beside it, focus-visible, nothing stored.
        Keyboard.TabTo(browser, "form.ws-form button[type=submit]");
        Keyboard.Press(browser, Keys.Enter);
        browser.Wait(d => d.FindElements(By.CssSelector(".error-summary")).Count > 0);
        Assert.NotEmpty(browser.FindAll("#relevance-error"));
        Assert.Equal(before + 1, Responses(courseId));
        Axe.AssertClean(browser, "paper forms with errors");
        Shoot(browser, "ws-paper-form-errors");
        output.WriteLine($"screenshots in {PageBrowser.ScreenshotFolder}");
    }

    [Fact]
    public async Task TheAdminTypesInAPaperFormOnThePageAsTheRouteLetsThem()
    {
        Assert.True(PageBrowser.IsInstalled, "chromium and chromedriver are needed.");
        var (courseId, _, _) = await DutchCourseAsync();
        var before = Responses(courseId);
        using var browser = new PageBrowser(_app);
        await Keyboard.SignInAsync(_app, browser, "demo.admin");

        // From the course page's link, as the admin finds it.
        browser.Open($"/workspace/courses/{courseId}");
        browser.Find($"a[href='/workspace/courses/{courseId}/paper-forms']").Click();
        browser.Wait(d => d.Url.EndsWith("/paper-forms", StringComparison.Ordinal));
        foreach (var scale in browser.FindAll(".scale"))
        {
            scale.FindElement(By.CssSelector("label[for$='-4']")).Click(); // 5, very good
        }

        browser.Find("label[for='q-apply-1']").Click();
        browser.Find("form.ws-form button[type=submit]").Click();
        browser.Wait(d => d.FindElements(By.CssSelector(".notice-thanks")).Count > 0);
        Assert.Equal(before + 1, Responses(courseId));
    }

    /// <summary>The demo's Dutch course (Amsterdam, delivered), its number enrolled and its reaction form as the API gives it.</summary>
    private async Task<(int CourseId, int Enrolled, JsonElement Form)> DutchCourseAsync()
    {
        int courseId;
        using (var db = _app.Services.GetRequiredService<Database>().Open())
        {
            courseId = db.QuerySingle<int>("SELECT id FROM courses WHERE language = 'nl' AND status = 'delivered' ORDER BY id LIMIT 1");
        }

        using var admin = _app.CreateAdminClient();
        var course = await (await admin.GetAsync($"/api/courses/{courseId}")).Content.ReadFromJsonAsync<JsonElement>();
        var formId = course.GetProperty("evaluationFormId").GetInt32();
        var form = await (await admin.GetAsync($"/api/evaluation-forms/{formId}")).Content.ReadFromJsonAsync<JsonElement>();
        return (courseId, course.GetProperty("enrolledCount").GetInt32(), form);
    }

    private static JsonElement Question(JsonElement form, string key) =>
        form.GetProperty("questions").EnumerateArray().Single(q => q.GetProperty("key").GetString() == key);

    private int Responses(int courseId) => PageGiven.ReactionResponses(_app, courseId);

    private List<long> PaperResponses(int courseId)
    {
        using var db = _app.Services.GetRequiredService<Database>().Open();
        return db.Query<long>("SELECT id FROM evaluation_responses WHERE course_id = @courseId AND source = 'paper'", new { courseId }).ToList();
    }

    private static void Shoot(PageBrowser browser, string name)
    {
        foreach (var width in Widths)
        {
            browser.Screenshot(name, width);
        }
    }

    public void Dispose() => _app.Dispose();
}
