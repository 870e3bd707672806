using System.Globalization;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Meetings;

namespace JointEfforts.Api.Pages.Workspace.Meetings;

/// <summary>A meeting's form as the browser posts it (every value text); <see cref="ToRequest"/> makes the API's <see cref="MeetingRequest"/>.</summary>
public sealed class MeetingForm
{
    public string? Kind { get; set; }

    public string? Title { get; set; }

    public string? Topic { get; set; }

    public string? PhaseId { get; set; }

    public string? City { get; set; }

    public string? CountryCode { get; set; }

    public string? StartDate { get; set; }

    public string? EndDate { get; set; }

    public string? Capacity { get; set; }

    public static MeetingForm Of(MeetingDto meeting) => new()
    {
        Kind = meeting.Kind.ToWire(),
        Title = meeting.Title,
        Topic = meeting.Topic,
        PhaseId = meeting.PhaseId?.ToString(CultureInfo.InvariantCulture),
        City = meeting.City,
        CountryCode = meeting.CountryCode,
        StartDate = meeting.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        EndDate = meeting.EndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Capacity = meeting.Capacity?.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The request, or the fields at fault (with the API's wording for them).</summary>
    public (MeetingRequest? Request, Dictionary<string, string> Errors) ToRequest()
    {
        var read = new FormReader();
        var request = new MeetingRequest(
            read.Choice<MeetingKind>("kind", Kind),
            read.Text("title", Title),
            read.Text("topic", Topic),
            read.WholeNumber("phaseId", PhaseId),
            read.Text("city", City),
            read.Text("countryCode", CountryCode)?.ToUpperInvariant(),
            read.Date("startDate", StartDate),
            read.Date("endDate", EndDate),
            read.WholeNumber("capacity", Capacity));
        read.Check(request);
        return (read.Errors.Count == 0 ? request : null, read.Errors);
    }
}

/// <summary>An attendee's form; <see cref="ToRequest"/> makes the API's <see cref="AttendeeRequest"/>.</summary>
public sealed class AttendeeForm
{
    public string? FullName { get; set; }

    public string? Organisation { get; set; }

    public string? OrganisationType { get; set; }

    public string? CountryCode { get; set; }

    public (AttendeeRequest? Request, Dictionary<string, string> Errors) ToRequest()
    {
        var read = new FormReader();
        var request = new AttendeeRequest(
            read.Text("fullName", FullName),
            read.Text("organisation", Organisation),
            read.Choice<OrganisationType>("organisationType", OrganisationType),
            read.Text("countryCode", CountryCode)?.ToUpperInvariant());
        read.Check(request);
        return (read.Errors.Count == 0 ? request : null, read.Errors);
    }
}

/// <summary>A recommendation's form: on the meeting page a new one (no status), on its own page its follow-up (with the status).</summary>
public sealed class RecommendationForm
{
    public string? Text { get; set; }

    public string? Owner { get; set; }

    public string? DueDate { get; set; }

    public string? Status { get; set; }

    public static RecommendationForm Of(RecommendationDto recommendation) => new()
    {
        Text = recommendation.Text,
        Owner = recommendation.Owner,
        DueDate = recommendation.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Status = recommendation.Status.ToWire(),
    };

    public (RecommendationRequest? Request, Dictionary<string, string> Errors) ToNewRequest()
    {
        var read = new FormReader();
        var request = new RecommendationRequest(read.Text("text", Text, multiLine: true), read.Text("owner", Owner), read.Date("dueDate", DueDate));
        read.Check(request);
        return (read.Errors.Count == 0 ? request : null, read.Errors);
    }

    public (RecommendationUpdate? Request, Dictionary<string, string> Errors) ToUpdate()
    {
        var read = new FormReader();
        var request = new RecommendationUpdate(
            read.Text("text", Text, multiLine: true), read.Text("owner", Owner), read.Date("dueDate", DueDate),
            read.Choice<RecommendationStatus>("status", Status));
        read.Check(request);
        return (read.Errors.Count == 0 ? request : null, read.Errors);
    }
}
