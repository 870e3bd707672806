using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace JointEfforts.Api.Pages.Workspace;

/// <summary>The message beside a field (<c>id="{field}-error"</c>, which the input's aria-describedby names).</summary>
public static class Field
{
    public static IHtmlContent Error(string field, string? message) =>
        message is null
            ? HtmlString.Empty
            : new HtmlString(
                $"<p class=\"error-message\" id=\"{HtmlEncoder.Default.Encode(field)}-error\"><span class=\"visually-hidden\">Error: </span>{HtmlEncoder.Default.Encode(message)}</p>");
}
