using JointEfforts.Api.Evaluations.Answering;
using JointEfforts.Api.Evaluations.Codes;

namespace JointEfforts.Api.Evaluations;

public static class EvaluationsApi
{
    /// <summary>Routes of forms, codes, answers, summaries, reports.</summary>
    public static IEndpointRouteBuilder MapEvaluations(this IEndpointRouteBuilder app)
    {
        app.MapEvaluationForms();
        app.MapEvaluationAnswering();
        app.MapEvaluationCodes();
        app.MapEvaluationSummary();
        app.MapEvaluationReports();
        return app;
    }
}
