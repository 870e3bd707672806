using System.Text.Json;
using ClosedXML.Excel;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Figures;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Reports;

/// <summary>The course workbook's Questions sheet: one row per question of every form.</summary>
public static partial class CourseWorkbook
{
    /// <summary>
    /// One row per question: its respondents and mean, the Likert answers counted under their anchors, the choices
    /// with their counts, the share correct of a knowledge question. Returns the Likert rows for the chart.
    /// </summary>
    private static IReadOnlyList<LikertRow> WriteQuestions(
        XLWorkbook workbook, string language, IReadOnlyList<QuestionRow> questions,
        IReadOnlyDictionary<(int, string), QuestionTexts> texts, CourseFigures figures, string footer, DateOnly asOf)
    {
        var bilingual = language != "en";
        var columns = new List<Column>
        {
            new("Form", 12, Wrap: true),
            new("#", 4, Workbooks.IntegerFormat),
            new("Question (en)", 36, Wrap: true),
        };
        if (bilingual)
        {
            columns.Add(new($"Question ({language})", 36, Wrap: true));
        }

        columns.AddRange(
        [
            new("Type", 10, Wrap: true),
            new("Answers", 9, Workbooks.IntegerFormat),
            new("Share of forms", 9, Workbooks.PercentFormat),
            new("Mean", 7, Workbooks.DecimalFormat),
        ]);
        columns.AddRange(Labels.LikertAnchors.Select(anchor => new Column(anchor, 12, Workbooks.IntegerFormat)));
        columns.Add(new("Choices (answers)", 34, Wrap: true));
        columns.Add(new("Share correct", 9, Workbooks.PercentFormat));
        var sheet = SheetTable.Add(workbook, "Questions", columns);
        var responsesByForm = figures.Forms.GroupBy(f => f.FormId).ToDictionary(g => g.Key, g => g.Sum(f => f.Responses));
        var correctness = questions.Where(q => q.CorrectOption is not null).ToDictionary(q => (q.FormId, q.QuestionKey), q => q.CorrectOption!);
        var likert = new List<LikertRow>();
        foreach (var q in questions)
        {
            var key = (q.FormId, q.QuestionKey);
            var text = texts[key];
            var answered = figures.Question(q.FormId, q.QuestionKey);
            var respondents = answered.Answers;
            var formResponses = responsesByForm.GetValueOrDefault(q.FormId);
            var visible = answered.Shown;
            var values = new List<object?> { Labels.For<EvaluationPurpose>(q.Purpose), q.Position, text.Question("en") };
            if (bilingual)
            {
                values.Add(text.Question(language));
            }

            values.AddRange([Labels.For<QuestionType>(q.Type), respondents, formResponses > 0 ? respondents / (double)formResponses : null]);
            var chosen = answered.Distribution;
            if (!visible)
            {
                values.Add(null);
                values.AddRange(LikertValues.Select(_ => (object?)null));
                values.Add(respondents == 0 ? null : $"not shown: fewer than {MinimumAnswersShown} answers");
                sheet.Add([.. values]);
                continue;
            }

            values.Add(q.Type is "likert5" or "number" ? answered.Mean : null);
            if (q.Type == "likert5")
            {
                var row = LikertValues.Select(v => chosen.GetValueOrDefault(v)).ToList();
                values.AddRange(row.Select(n => (object?)n));
                likert.Add(new LikertRow(q.QuestionKey, text.Question("en") ?? q.QuestionKey, row));
            }
            else
            {
                values.AddRange(LikertValues.Select(_ => (object?)null));
            }

            if (q.Type is "singleChoice" or "multipleChoice")
            {
                IReadOnlyList<string> options = text.OptionValues;
                var all = options.Concat(chosen.Keys.Where(k => !options.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal));
                values.Add(string.Join("\n", all.Select(v => $"{text.Option(v, "en")}{(correctness.GetValueOrDefault(key) == v ? " (correct)" : "")}: {chosen.GetValueOrDefault(v)}")));
                values.Add(correctness.ContainsKey(key) && respondents > 0
                    ? chosen.GetValueOrDefault(correctness[key]) / (double)respondents
                    : null);
            }

            sheet.Add([.. values]);
        }

        sheet.Filter();
        Workbooks.PrintSetup(sheet.Sheet, footer, asOf);
        return likert;
    }
}
