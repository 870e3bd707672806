using System.Data.Common;
using JointEfforts.Api.Courses;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Meetings;
using JointEfforts.Api.Programmes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace.Meetings;

/// <summary>
/// <c>/workspace/recommendations/{id}</c>: record a recommendation's follow-up — its status, owner, due date and text —
/// (coordinators and admin, as <c>PUT /api/recommendations/{id}</c>) through <see cref="RecommendationService.UpdateAsync"/>.
/// The status offers only the moves the lifecycle allows (open ⇄ in progress, either → implemented or dropped, which are
/// final); a forged move is refused with the API's 409 message. The form carries the version it was shown with.
/// </summary>
[Authorize(Policy = Policies.Pages.Coordinator)]
public sealed class RecommendationModel(DbConnection db, TimeProvider time) : WorkspacePageModel
{
    public RecommendationDto Recommendation { get; private set; } = null!;

    public RecommendationForm Form { get; private set; } = new();

    /// <summary>The statuses the recommendation may move to from where it is (itself included).</summary>
    public IReadOnlyList<RecommendationStatus> Statuses =>
        Enum.GetValues<RecommendationStatus>().Where(s => RecommendationService.MayMove(Recommendation.Status, s)).ToList();

    public async Task<IActionResult> OnGetAsync(int id)
    {
        if (await RecommendationService.ReadAsync(db, id, PhasesApi.Today(time)) is not { } recommendation)
        {
            return NotFoundPage("recommendation");
        }

        Recommendation = recommendation;
        Form = RecommendationForm.Of(recommendation);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, [FromForm] RecommendationForm form, [FromForm] string? version)
    {
        if (await RecommendationService.ReadAsync(db, id, PhasesApi.Today(time)) is not { } recommendation)
        {
            return NotFoundPage("recommendation");
        }

        Recommendation = recommendation;
        Form = form;
        var (request, errors) = form.ToUpdate();
        if (request is not null)
        {
            switch (await RecommendationService.UpdateAsync(db, id, request, FormReader.Shown(version), PhasesApi.Today(time)))
            {
                case Outcome<RecommendationDto>.Stored:
                    return LocalRedirect($"/workspace/meetings/{recommendation.MeetingId}?done=recommendation-changed#recommendations");
                case Outcome<RecommendationDto>.Invalid invalid:
                    errors = PageValidation.From(invalid.Errors);
                    break;
                case Outcome<RecommendationDto>.Conflict conflict:
                    errors[""] = conflict.Detail;
                    return Show(errors, StatusCodes.Status409Conflict);
                case Outcome<RecommendationDto>.PreconditionFailed:
                    errors[""] = "Someone changed this recommendation while you had it open: what you see now is what is stored. Make your change again.";
                    Form = RecommendationForm.Of(recommendation);
                    return Show(errors, StatusCodes.Status409Conflict);
                default:
                    return NotFoundPage("recommendation");
            }
        }

        return Show(errors, StatusCodes.Status400BadRequest);
    }
}
