using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Components;

/// <summary>
/// The security headers of every response: one Content-Security-Policy (scripts only from the board
/// itself and the page's one inline script by its hash; framing only by the board and
/// <c>Blf:FrameAncestors</c>), <c>nosniff</c>, <c>Referrer-Policy</c>, and HSTS over HTTPS.
/// </summary>
public static class BoardHeaders
{
    /// <summary>
    /// The page's one inline script (before the first paint, a framed board drops its page chrome).
    /// App.razor renders exactly this text, and the policy allows exactly this text by its hash.
    /// </summary>
    public const string FramedScript = "if (window.self !== window.top) document.documentElement.classList.add(\"framed\");";

    /// <summary>A year: browsers that once reached the board over HTTPS never try plain HTTP for it again.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>The policy for this <c>frame-ancestors</c> source list.</summary>
    public static string ContentSecurityPolicy(string frameAncestors) =>
        $"script-src 'self' '{HashSource(FramedScript)}'; object-src 'none'; base-uri 'self'; frame-ancestors {frameAncestors}";

    /// <summary>A CSP hash source (<c>sha256-…</c>) for an inline script's text.</summary>
    public static string HashSource(string script) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));

    /// <summary>
    /// Early in the pipeline (after proxy trust, so HTTPS is the browser's), so that also the
    /// sign-in's redirects, static files and the circuit's <c>/_blazor</c> carry the headers.
    /// </summary>
    public static WebApplication UseBoardHeaders(this WebApplication app)
    {
        var policy = ContentSecurityPolicy(app.Services.GetRequiredService<IOptions<BoardOptions>>().Value.FrameAncestorsPolicy);
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = StrictTransportSecurity;
            }

            return next(context);
        });
        return app;
    }
}
