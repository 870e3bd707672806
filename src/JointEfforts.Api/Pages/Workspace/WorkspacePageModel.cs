using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JointEfforts.Api.Pages.Workspace;

/// <summary>
/// A signed-in workspace page: <see cref="Me"/> is the same <see cref="Caller"/> the JSON routes take (role, country scope),
/// made from the page session's cookie. Each page declares its policy (<c>[Authorize(Policy = Policies.Pages.X)]</c>).
/// </summary>
public abstract class WorkspacePageModel : PageModel
{
    public Caller Me => Caller.From(User) ?? throw new InvalidOperationException("A workspace page was reached without a session.");

    public string DisplayName => User.Identity?.Name ?? "";

    /// <summary>Field (camelCase, as the inputs are named) → the message shown beside it; "" is the form's own.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    protected IActionResult NotFoundPage(string what) => ErrorPage.NotFound(what);

    /// <summary>The page again with <paramref name="errors"/> beside their fields, answered with <paramref name="status"/>.</summary>
    protected IActionResult Show(Dictionary<string, string> errors, int status)
    {
        foreach (var (field, message) in errors)
        {
            Errors[field] = message;
        }

        Response.StatusCode = status;
        return Page();
    }

    /// <summary>
    /// A request naming a handler the page does not have (<c>?handler=Nope</c>, or a POST to a page with only named POST
    /// handlers) is the 404 page: Razor Pages would otherwise render the page without running any handler, with nothing
    /// loaded (a 500).
    /// </summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerMethod is null)
        {
            context.Result = ErrorPage.NotFound("page");
        }
    }
}
