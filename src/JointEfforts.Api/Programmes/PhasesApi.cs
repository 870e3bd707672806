namespace JointEfforts.Api.Programmes;

public static class PhasesApi
{
    /// <summary>Routes of phases, milestones.</summary>
    public static IEndpointRouteBuilder MapPhases(this IEndpointRouteBuilder app) => app;
}
