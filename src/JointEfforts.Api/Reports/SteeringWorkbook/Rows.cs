using System.Data.Common;
using System.Text.Json;
using ClosedXML.Excel;
using Dapper;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Evaluations.Figures;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Meetings;
using JointEfforts.Api.Participants;
using JointEfforts.Api.Programmes;

namespace JointEfforts.Api.Reports;

/// <summary>The rows the steering workbook reads.</summary>
public static partial class SteeringWorkbook
{
    private sealed record PhaseRow
    {
        public int Number { get; init; }

        public required string Name { get; init; }

        public DateOnly? PlannedStart { get; init; }

        public DateOnly? PlannedEnd { get; init; }
    }

    private sealed record MilestoneRow
    {
        public int PhaseNumber { get; init; }

        public required string PhaseKind { get; init; }

        public required string Title { get; init; }

        public required string Kind { get; init; }

        public DateOnly DueDate { get; init; }

        public DateOnly? CompletedOn { get; init; }

        public bool Overdue { get; init; }
    }

    private sealed record CourseRow
    {
        public int Id { get; init; }

        public required string Title { get; init; }

        public required string CountryCode { get; init; }

        public required string City { get; init; }

        public required string Language { get; init; }

        public required string Status { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }

        public int MinParticipants { get; init; }

        public int MaxParticipants { get; init; }

        public double CompletionThreshold { get; init; }

        public int Sessions { get; init; }

        public int Enrolled { get; init; }

        public int Waitlisted { get; init; }

        public int Trained { get; init; }

        public int Responses { get; init; }

        public int PaperResponses { get; init; }

        public double? MeanOverall { get; init; }

        public int PreTests { get; init; }

        public int PostTests { get; init; }

        public bool Released { get; init; }

        public int EnteredByViewer { get; init; }

        public int Pairs { get; init; }

        public double? MeanPre { get; init; }

        public double? MeanPost { get; init; }

        public double? MeanGain { get; init; }

        public string? ReportState { get; init; }

        public string? ReturnComment { get; init; }

        public int? ReportRating { get; init; }
    }

    private sealed record MeetingRow
    {
        public int Id { get; init; }

        public required string Kind { get; init; }

        public required string Title { get; init; }

        public required string City { get; init; }

        public required string CountryCode { get; init; }

        public DateOnly StartDate { get; init; }

        public DateOnly EndDate { get; init; }

        public string? Conclusions { get; init; }

        public int Attendees { get; init; }

        public int Organisations { get; init; }

        public int Countries { get; init; }

        public int Recommendations { get; init; }
    }

    private sealed record ReportRow
    {
        public required string Course { get; init; }

        public required string CountryCode { get; init; }

        public required string City { get; init; }

        public required string State { get; init; }

        public string? ReturnComment { get; init; }

        public int? Rating { get; init; }

        public DateOnly? DeliveredOn { get; init; }

        public int? ParticipantsAttended { get; init; }

        public string? Summary { get; init; }

        public string? Strengths { get; init; }

        public string? Weaknesses { get; init; }

        public string? Recommendations { get; init; }
    }

    private sealed record RecommendationRow
    {
        public DateOnly MeetingDate { get; init; }

        public required string MeetingTitle { get; init; }

        public required string Text { get; init; }

        public string? Owner { get; init; }

        public DateOnly? DueDate { get; init; }

        public required string Status { get; init; }

        public bool Overdue { get; init; }
    }
}

/// <summary>A knowledge-test question and the share of its answers that were correct before and after the course.</summary>
internal sealed record KnowledgeQuestion
{
    public required string QuestionKey { get; init; }

    public required string Texts { get; init; }

    public int AnswersBefore { get; init; }

    public int CorrectBefore { get; init; }

    public int AnswersAfter { get; init; }

    public int CorrectAfter { get; init; }

    public double? ShareBefore => AnswersBefore > 0 ? CorrectBefore / (double)AnswersBefore : null;

    public double? ShareAfter => AnswersAfter > 0 ? CorrectAfter / (double)AnswersAfter : null;

    /// <summary>The question in English (or the first language the form has).</summary>
    public string Question
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(Texts);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return QuestionKey;
                }

                if (root.TryGetProperty("en", out var en) && en.ValueKind == JsonValueKind.String)
                {
                    return en.GetString()!;
                }

                return root.EnumerateObject().Select(p => p.Value).FirstOrDefault(v => v.ValueKind == JsonValueKind.String).GetString() ?? QuestionKey;
            }
            catch (JsonException)
            {
                return QuestionKey;
            }
        }
    }
}
