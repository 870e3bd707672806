using System.Text.Json;
using ClosedXML.Excel;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Figures;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Reports;

/// <summary>The course workbook's Comments sheet: the texts, in random order.</summary>
public static partial class CourseWorkbook
{
    private static void WriteComments(
        XLWorkbook workbook, string language, IReadOnlyList<QuestionRow> questions,
        IReadOnlyDictionary<(int, string), QuestionTexts> texts, CourseFigures figures, string footer, DateOnly asOf)
    {
        var bilingual = language != "en";
        var columns = new List<Column> { new("Form", 12, Wrap: true), new("Question (en)", 34, Wrap: true) };
        if (bilingual)
        {
            columns.Add(new($"Question ({language})", 34, Wrap: true));
        }

        columns.Add(new("Comment (in random order, not the order given)", 80, Wrap: true));
        var sheet = SheetTable.Add(workbook, "Comments", columns);
        var textQuestions = questions.Where(q => q.Type == "text").ToList();
        foreach (var q in textQuestions.Where(q => figures.Question(q.FormId, q.QuestionKey).Shown))
        {
            var text = texts.GetValueOrDefault((q.FormId, q.QuestionKey));
            foreach (var comment in figures.Question(q.FormId, q.QuestionKey).Texts)
            {
                var values = new List<object?> { Labels.For<EvaluationPurpose>(q.Purpose), text?.Question("en") };
                if (bilingual)
                {
                    values.Add(text?.Question(language));
                }

                values.Add(comment);
                sheet.Add([.. values]);
            }
        }

        foreach (var hidden in textQuestions.Where(q => !figures.Question(q.FormId, q.QuestionKey).Shown))
        {
            var count = figures.Question(hidden.FormId, hidden.QuestionKey).Answers;
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
