namespace JointEfforts.Api.Meetings;

public static class MeetingsApi
{
    /// <summary>Routes of meetings, attendees, conclusions, recommendations.</summary>
    public static IEndpointRouteBuilder MapMeetings(this IEndpointRouteBuilder app) => app;
}
