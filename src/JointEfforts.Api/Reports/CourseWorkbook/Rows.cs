using System.Text.Json;
using ClosedXML.Excel;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Participants;

namespace JointEfforts.Api.Reports;

/// <summary>The rows the course workbook reads.</summary>
public static partial class CourseWorkbook
{
    private sealed record LikertRow(string Key, string Question, IReadOnlyList<int> Counts);

    /// <summary>A question's texts and options, per language, from the JSON the form stores.</summary>
    private sealed class QuestionTexts
    {
        private readonly Dictionary<string, string> _question;
        private readonly List<(string Value, Dictionary<string, string> Text)> _options;

        public QuestionTexts(string texts, string? options)
        {
            _question = ReadTexts(Parse(texts));
            _options = [];
            if (Parse(options) is { ValueKind: JsonValueKind.Array } array)
            {
                foreach (var option in array.EnumerateArray().Where(o => o.ValueKind == JsonValueKind.Object))
                {
                    var value = option.TryGetProperty("value", out var v)
                        ? v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText()
                        : "";
                    _options.Add((value, option.TryGetProperty("text", out var t) ? ReadTexts(t) : []));
                }
            }
        }

        public IReadOnlyList<string> OptionValues => _options.Select(o => o.Value).ToList();

        public string? Question(string language) => _question.GetValueOrDefault(language);

        public string Option(string value, string language)
        {
            var option = _options.FirstOrDefault(o => o.Value == value);
            return option.Text?.GetValueOrDefault(language) ?? value;
        }

        private static JsonElement? Parse(string? json)
        {
            if (string.IsNullOrEmpty(json))
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(json);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return null; // a malformed text loses its translation, not the whole workbook
            }
        }

        private static Dictionary<string, string> ReadTexts(JsonElement? element) =>
            element is { ValueKind: JsonValueKind.Object } texts
                ? texts.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                    .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                : [];
    }

    private sealed record CourseRow
    {
        public int Id { get; init; }

        public required string Title { get; init; }

        public required string ProgrammeCode { get; init; }

        public required string Funder { get; init; }

        public required string CountryCode { get; init; }

        public required string City { get; init; }

        public string? Venue { get; init; }

        public required string Language { get; init; }

        public required string Status { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }

        public int MinParticipants { get; init; }

        public int MaxParticipants { get; init; }

        public double CompletionThreshold { get; init; }
    }

    private sealed record CourseCounts
    {
        public int Enrolled { get; init; }

        public int Trained { get; init; }

        public int Sessions { get; init; }

        public int Waitlisted { get; init; }
    }

    private sealed record SessionRow
    {
        public DateOnly Date { get; init; }

        public required string Title { get; init; }

        public double Hours { get; init; }

        /// <summary>The session had taken place by the as-of day.</summary>
        public bool Held { get; init; }

        public int Present { get; init; }

        public int Late { get; init; }

        public int Excused { get; init; }

        public int Absent { get; init; }
    }

    private sealed record QuestionRow
    {
        public int FormId { get; init; }

        public required string Purpose { get; init; }

        public int Position { get; init; }

        public required string QuestionKey { get; init; }

        public required string Type { get; init; }

        public required string Level { get; init; }

        public required string Texts { get; init; }

        public string? Options { get; init; }

        public string? CorrectOption { get; init; }
    }

    private sealed record MixRow
    {
        public required string Dimension { get; init; }

        public required string Key { get; init; }

        public int Enrolled { get; init; }

        public int Trained { get; init; }
    }

    private sealed record ParticipantRow
    {
        public string? FullName { get; init; }

        public required string Organisation { get; init; }

        public required string Sector { get; init; }

        public required string CountryCode { get; init; }

        public required string Seniority { get; init; }

        public int Attended { get; init; }

        public int Sessions { get; init; }

        public bool Trained { get; init; }
    }

    private sealed record ReportRow
    {
        public required string State { get; init; }

        public string? ReturnComment { get; init; }

        public int? OverallRating { get; init; }

        public DateOnly? DeliveredOn { get; init; }

        public int? ParticipantsAttended { get; init; }

        public DateTime? SubmittedAt { get; init; }

        public DateTime? AcceptedAt { get; init; }
    }
}
