using System.Text.Json;
using ClosedXML.Excel;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Reports;

/// <summary>The course workbook's Comments sheet: the texts, in random order.</summary>
public static partial class CourseWorkbook
{
    private static void WriteComments(
        XLWorkbook workbook, string language, IReadOnlyList<CommentRow> comments, IReadOnlyList<QuestionRow> questions,
        IReadOnlyDictionary<(int, string), QuestionTexts> texts, IReadOnlySet<(int, string)> shown, IReadOnlyList<QuestionFigures> answers,
        string footer, DateOnly asOf)
    {
        var bilingual = language != "en";
        var columns = new List<Column> { new("Form", 12, Wrap: true), new("Question (en)", 34, Wrap: true) };
        if (bilingual)
        {
            columns.Add(new($"Question ({language})", 34, Wrap: true));
        }

        columns.Add(new("Comment (in random order, not the order given)", 80, Wrap: true));
        var sheet = SheetTable.Add(workbook, "Comments", columns);
        var purposes = questions.GroupBy(q => q.FormId).ToDictionary(g => g.Key, g => g.First().Purpose);
        foreach (var c in comments.Where(c => shown.Contains((c.FormId, c.QuestionKey))))
        {
            var text = texts.GetValueOrDefault((c.FormId, c.QuestionKey));
            var values = new List<object?> { Labels.For<EvaluationPurpose>(purposes.GetValueOrDefault(c.FormId)), text?.Question("en") };
            if (bilingual)
            {
                values.Add(text?.Question(language));
            }

            values.Add(c.Text);
            sheet.Add([.. values]);
        }

        foreach (var hidden in questions.Where(q => q.Type == "text" && !shown.Contains((q.FormId, q.QuestionKey))))
        {
            var count = answers.FirstOrDefault(a => a.FormId == hidden.FormId && a.QuestionKey == hidden.QuestionKey)?.Answers ?? 0;
            if (count == 0)
            {
                continue;
            }

            var text = texts.GetValueOrDefault((hidden.FormId, hidden.QuestionKey));
            var values = new List<object?> { Labels.For<EvaluationPurpose>(hidden.Purpose), text?.Question("en") };
            if (bilingual)
            {
                values.Add(text?.Question(language));
            }

            values.Add($"{count} comment(s) not shown: fewer than {MinimumAnswersShown} answers could point at a person.");
            sheet.Add([.. values]);
        }

        sheet.Filter();
        Workbooks.PrintSetup(sheet.Sheet, footer, asOf);
    }
}
