using System.Data.Common;
using JointEfforts.Api.Infrastructure;
using JointEfforts.Api.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace JointEfforts.Api.Pages.Workspace;

/// <summary>
/// <c>/set-password?token=...</c>: the page a sign-in link opens (<c>POST /api/users/{id}/sign-in-link</c>). A valid link
/// shows the form; an unknown, used or expired one a 404 page. The password is stored by <see cref="Passwords.SetPasswordAsync"/>
/// (the link used up in the same transaction), then this browser is signed in and every other session of the user ended.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimiting.Anonymous)]
public sealed class SetPasswordModel(DbConnection db, TimeProvider time) : WorkspacePageModel
{
    public const string LinkNotValid = "sign-in link that still works (each link works once, for a few days: ask an admin for a new one)";

    public SessionUser? ForUser { get; private set; }

    public string? Token { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? token)
    {
        Token = token;
        ForUser = await Passwords.LinkUserAsync(db, time, token);
        return ForUser is null ? NotFoundPage(LinkNotValid) : Page();
    }

    public async Task<IActionResult> OnPostAsync([FromForm] SetPasswordCommand command)
    {
        Token = command.Token;
        var (user, errors) = await Passwords.SetPasswordAsync(db, time, command);
        if (user is null)
        {
            return NotFoundPage(LinkNotValid);
        }

        if (errors.Count > 0)
        {
            ForUser = user;
            foreach (var (field, message) in errors)
            {
                Errors[field] = message;
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await SignInModel.SignInAsync(HttpContext, user);
        return LocalRedirect(WorkspacePaths.Home);
    }
}
