using System.Text.Encodings.Web;
using JointEfforts.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace JointEfforts.Api.Pages.Workspace;

/// <summary>
/// The workspace's 403 and 404 as pages (not problem JSON): a role that may not see a page (written by the cookie scheme's
/// access-denied event, which runs before any page), and a course of another country or an unknown id (returned by a
/// page's handler). Plain HTML on the one stylesheet, with the way back home.
/// </summary>
public static class ErrorPage
{
    public static async Task WriteAsync(HttpContext context, int status)
    {
        var (title, text) = Words(status, Caller.From(context.User));
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        PagesSetup.SetPageHeaders(context.Response.Headers);
        await context.Response.WriteAsync(Html(title, text));
    }

    /// <summary>A page handler's 404: "no such X" and "not in your country" alike, as the API answers.</summary>
    public static IActionResult NotFound(string what) => new ContentResult
    {
        StatusCode = StatusCodes.Status404NotFound,
        ContentType = "text/html; charset=utf-8",
        Content = Html("Not found", $"There is no such {what}, or it is not one you may see. Check the address, or start again from your home page."),
    };

    private static (string Title, string Text) Words(int status, Caller? caller) => status switch
    {
        StatusCodes.Status403Forbidden => ("Not for your role",
            $"This page is not for the role {(caller is null ? "you have" : Labels.For(caller.Role).ToLowerInvariant())}. Your home page lists what you can do."),
        _ => ("Not found", "There is no such page."),
    };

    private static string Html(string title, string text)
    {
        var encoder = HtmlEncoder.Default;
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="robots" content="noindex">
                <title>{encoder.Encode(title)} · JointEfforts</title>
                <link rel="stylesheet" href="/css/site.css">
            </head>
            <body class="workspace">
                <header class="ws-header"><a class="ws-brand" href="/workspace">JointEfforts</a></header>
                <main id="main" class="page">
                    <h1>{encoder.Encode(title)}</h1>
                    <p class="notice notice-unknown">{encoder.Encode(text)}</p>
                    <p><a class="button" href="/workspace">Go to your home page</a></p>
                </main>
            </body>
            </html>
            """;
    }
}
