using System.Data.Common;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace JointEfforts.Api.Pages.Workspace;

/// <summary>
/// <c>/signin</c>: user name and password (<see cref="Passwords.CheckAsync"/>: the hash, the lockout), then the page session
/// cookie and the user's home page, or the page they asked for (a local address only).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimiting.Anonymous)]
public sealed class SignInModel(DbConnection db, TimeProvider time) : WorkspacePageModel
{
    public string? UserName { get; private set; }

    public string? ReturnUrl { get; private set; }

    public bool SignedOut { get; private set; }

    public void OnGet(string? returnUrl, bool signedOut = false)
    {
        ReturnUrl = returnUrl;
        SignedOut = signedOut;
    }

    public async Task<IActionResult> OnPostAsync([FromForm] SignInCommand command, [FromForm] string? returnUrl)
    {
        UserName = command.UserName;
        ReturnUrl = returnUrl;
        var outcome = await Passwords.CheckAsync(db, time, command);
        if (outcome is SignInOutcome.SignedIn signedIn)
        {
            await SignInAsync(HttpContext, signedIn.User);
            return LocalRedirect(SafeReturnUrl(returnUrl));
        }

        foreach (var (field, message) in ((SignInOutcome.Invalid)outcome).Errors)
        {
            Errors[field] = message;
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    internal static Task SignInAsync(HttpContext context, SessionUser user) =>
        context.SignInAsync(
            WorkspaceSessions.Scheme,
            WorkspaceSessions.Principal(user.Id, user.Role, user.CountryCode, user.DisplayName, user.SessionStamp),
            new AuthenticationProperties { IsPersistent = false });

    /// <summary>Only a page of this site (never <c>//evil.example</c> or an absolute address); home otherwise.</summary>
    private string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 1 } && Url.IsLocalUrl(returnUrl) && !returnUrl.StartsWith("/signin", StringComparison.OrdinalIgnoreCase)
            && !returnUrl.StartsWith("/api", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : WorkspacePaths.Home;
}
