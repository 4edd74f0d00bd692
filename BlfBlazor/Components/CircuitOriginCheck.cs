using BlfBlazor.Diagnostics;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Components;

public static class CircuitOriginCheckExtensions
{
    /// <summary>Before sign-in and authorization: a foreign origin is refused whoever it claims to be.</summary>
    public static WebApplication UseCircuitOriginCheck(this WebApplication app)
    {
        var check = ActivatorUtilities.CreateInstance<CircuitOriginCheck>(app.Services);
        app.Use(check.InvokeAsync);
        return app;
    }
}

/// <summary>
/// Lets a board's circuit (<c>/_blazor</c>: its negotiation, WebSocket and fallbacks) be opened only
/// from the board's own origin or an origin of <c>Blf:FrameAncestors</c>, so another site's page
/// cannot open a circuit with a visitor's browser. A request without <c>Origin</c> passes: browsers
/// send one with every WebSocket and every cross-origin request, and leave it out only on same-origin
/// GETs (the long-polling fallback); a client that is no browser can forge any header anyway.
/// </summary>
internal sealed partial class CircuitOriginCheck
{
    public static readonly PathString CircuitPath = "/_blazor";

    private static readonly TimeSpan s_logInterval = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyList<OriginPattern> _frameAncestors;
    private readonly ILogger<CircuitOriginCheck> _logger;
    private readonly LogThrottle _throttle;

    public CircuitOriginCheck(IOptions<BoardOptions> options, TimeProvider time, ILogger<CircuitOriginCheck> logger)
    {
        _frameAncestors = [.. options.Value.FrameAncestors.Select(OriginPattern.Parse)];
        _logger = logger;
        _throttle = new LogThrottle(time, s_logInterval);
    }

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments(CircuitPath) || context.Request.Headers.Origin is not [{ } origin] || IsAllowed(context.Request, origin))
        {
            return next(context);
        }

        bool log;
        int suppressed;
        lock (_throttle)
        {
            log = _throttle.ShouldLog(out suppressed);
        }

        if (log)
        {
            Log.Refused(_logger, origin, context.Connection.RemoteIpAddress?.ToString(), suppressed);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private bool IsAllowed(HttpRequest request, string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/")
        {
            // "null" (a sandboxed frame, a file) and anything that is no origin.
            return false;
        }

        // The board's own origin as the browser sees it (after proxy trust: https behind a TLS proxy).
        var own = string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == (request.Host.Port ?? DefaultPort(request.Scheme));
        return own || _frameAncestors.Any(pattern => pattern.Matches(uri));
    }

    private static int DefaultPort(string scheme) => scheme == Uri.UriSchemeHttps ? 443 : 80;

    /// <summary>One <c>Blf:FrameAncestors</c> entry: scheme, host (perhaps <c>*.</c>), port (perhaps <c>*</c>).</summary>
    private sealed record OriginPattern(string Scheme, string Host, bool AnySubdomain, int? Port, bool AnyPort)
    {
        public static OriginPattern Parse(string entry)
        {
            // Validated at start (BoardOptionsValidator): scheme://host[:port][/].
            var schemeEnd = entry.IndexOf("://", StringComparison.Ordinal);
            var scheme = entry[..schemeEnd];
            var rest = entry[(schemeEnd + 3)..].TrimEnd('/');
            var colon = rest.LastIndexOf(':');
            var host = colon < 0 ? rest : rest[..colon];
            var port = colon < 0 ? null : rest[(colon + 1)..];
            var anySubdomain = host.StartsWith("*.", StringComparison.Ordinal);
            return new OriginPattern(
                scheme,
                anySubdomain ? host[1..] : host,
                anySubdomain,
                port is null ? DefaultPort(scheme) : port == "*" ? null : int.Parse(port, System.Globalization.CultureInfo.InvariantCulture),
                port == "*");
        }

        public bool Matches(Uri origin) =>
            string.Equals(origin.Scheme, Scheme, StringComparison.OrdinalIgnoreCase)
            && (AnySubdomain ? origin.Host.EndsWith(Host, StringComparison.OrdinalIgnoreCase) : string.Equals(origin.Host, Host, StringComparison.OrdinalIgnoreCase))
            && (AnyPort || origin.Port == Port);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refused a board connection (/_blazor) from the foreign origin {Origin}, client {Client}: not the board's own origin nor in Blf:FrameAncestors ({Suppressed} more refused since the last such message)")]
        public static partial void Refused(ILogger logger, string origin, string? client, int suppressed);
    }
}
