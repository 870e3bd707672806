using System.Text.Encodings.Web;
using JointEfforts.Api.Infrastructure;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
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
                var headers = context.Response.Headers;
                // Only our own files: no CDN, no inline script (HttpPipeline.PagePolicy, set for every page and Swagger UI).
                headers.ContentSecurityPolicy = HttpPipeline.PagePolicy;
                headers.XFrameOptions = "DENY";
                // A participant's answers re-shown after an error, or a dashboard's figures: no cache keeps them. Said as the
                // anti-forgery token of a form says it, so that it logs no warning for overriding the header on every GET.
                headers.CacheControl = "no-cache, no-store";
                headers.Pragma = "no-cache";
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

    private static bool IsPage(PathString path) =>
        path.StartsWithSegments("/e") || path.StartsWithSegments("/dashboard");
}
