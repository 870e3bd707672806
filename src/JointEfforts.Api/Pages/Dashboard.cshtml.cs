using System.Text.Json;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Evaluations;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Meetings;
using JointEfforts.Api.Participants;
using JointEfforts.Api.Programmes;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JointEfforts.Api.Pages;

/// <summary>
/// <c>/dashboard</c>: the steering group's page. The server sends a shell and the display labels; every figure is read by the
/// browser from the JSON routes with the signed-in user's token (sessionStorage, sent as a bearer header), so the page adds
/// no second source of figures and serves nothing without a token.
/// </summary>
public sealed class DashboardModel : PageModel
{
    /// <summary>Wire value → label for every enum the dashboard shows, plus countries and languages: no wire code reaches a person.</summary>
    public static string LabelsJson { get; } = JsonSerializer.Serialize(new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["phaseKind"] = Of<PhaseKind>(),
        ["phaseStatus"] = Of<PhaseStatus>(),
        ["courseStatus"] = Of<CourseStatus>(),
        ["sector"] = Of<Sector>(),
        ["seniority"] = Of<Seniority>(),
        ["recommendationStatus"] = Of<RecommendationStatus>(),
        ["reportState"] = Of<ReportState>(),
        ["milestoneKind"] = Of<MilestoneKind>(),
        ["country"] = Labels.CountryNames,
        ["language"] = Labels.LanguageNames,
    });

    public void OnGet()
    {
    }

    private static Dictionary<string, string> Of<TEnum>() where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().ToDictionary(v => v.ToWire(), v => Labels.For(v));
}
