namespace JointEfforts.Api.Participants;

public static class ParticipantsApi
{
    /// <summary>Routes of participants and their import.</summary>
    public static IEndpointRouteBuilder MapParticipants(this IEndpointRouteBuilder app) => app;
}
