using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using JointEfforts.Api.Infrastructure;
using Microsoft.Extensions.FileProviders;

namespace JointEfforts.Api.Pages;

/// <summary>
/// The two web pages served by the API itself: the participant's form (<c>/e</c>, <c>/e/{code}</c>) and the steering
/// dashboard (<c>/dashboard</c>). Razor Pages, because a form page is what they are made for: a PageModel with OnGet and
/// OnPost, anti-forgery on every POST by default, tag helpers that encode every value. They are HTML, not API: outside
/// /api, left out of the OpenAPI document, so the access matrix and the fuzz tests (which read /api and the document)
/// do not meet them; the participant pages are anonymous like /api/evaluations, the dashboard is a static shell that
/// reads the JSON routes with the signed-in user's token.
/// </summary>
public static class PagesSetup
{
    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages();
        builder.Services.AddAuthentication() // the workspace's page session, beside the API's bearer tokens
            .AddWorkspaceSessions(context => Workspace.ErrorPage.WriteAsync(context, StatusCodes.Status403Forbidden));
        // Roșia, është, łąka as letters in the page source, not as &#x...; (HTML-encoding still escapes markup).
        builder.Services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "je-antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = "__RequestVerificationToken";
        });
        return builder;
    }

    /// <summary>Headers of every page, then the static files (stylesheet, dashboard script, Chart.js), then the pages.</summary>
    public static WebApplication MapPages(this WebApplication app)
    {
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            if (IsPage(context.Request.Path))
            {
                SetPageHeaders(context.Response.Headers);
            }

            await next(context);
        });

        // wwwroot of the content root (dotnet run, the tests), else the copy beside the binary (started from elsewhere).
        var besideBinary = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Directory.Exists(besideBinary)
                ? new CompositeFileProvider(app.Environment.WebRootFileProvider, new PhysicalFileProvider(besideBinary))
                : app.Environment.WebRootFileProvider,
        });
        app.MapRazorPages().ExcludeFromDescription();
        return app;
    }

    /// <summary>The headers of every page (also of the workspace's 403 page, written before the pages' middleware runs).</summary>
    public static void SetPageHeaders(IHeaderDictionary headers)
    {
        // Only our own files: no CDN, no inline script (HttpPipeline.PagePolicy, also Swagger UI's); Chart.js sizes its
        // canvas through the CSSOM, which CSP allows.
        headers.ContentSecurityPolicy = HttpPipeline.PagePolicy;
        headers.XFrameOptions = "DENY";
        // A participant's answers re-shown after an error, a dashboard's figures, a workspace page: no cache keeps them.
        // Said as a form's anti-forgery token says it, so that the token logs no warning for overriding it on every GET.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
    }

    private static bool IsPage(PathString path) =>
        path.StartsWithSegments("/e") || path.StartsWithSegments("/dashboard") || Workspace.WorkspacePaths.Contains(path);
}
