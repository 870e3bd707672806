using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace;

/// <summary><c>/signout</c>: a POST (with its antiforgery token, as every POST) ends the page session.</summary>
[Authorize(Policy = Policies.Pages.AnyUser)]
public sealed class SignOutModel : WorkspacePageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(WorkspaceSessions.Scheme);
        return LocalRedirect("/signin?signedOut=true");
    }
}
