namespace JointEfforts.Api.Reports;

public static class ReportsApi
{
    /// <summary>Routes of dashboard and Excel workbooks.</summary>
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app) => app;
}
