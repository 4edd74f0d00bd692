namespace BlfBlazor.Pbx;

/// <summary>Turns the configured <c>Pbx:Url</c> into the AppWebsocket URI.</summary>
public static class PbxAddress
{
    /// <summary>Where innovaphone PBXs serve the AppWebsocket.</summary>
    public const string WebSocketPath = "/PBX0/APPS/websocket";

    /// <summary>
    /// Accepts <c>ws://</c>/<c>wss://</c> URLs (a URL without a path gets <see cref="WebSocketPath"/>)
    /// and bare host names with an optional port (<c>pbx.example.com</c> → <c>wss://pbx.example.com/PBX0/APPS/websocket</c>).
    /// </summary>
    public static bool TryParse(string? text, out Uri uri)
    {
        uri = null!;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed)
                || (parsed.Scheme != Uri.UriSchemeWs && parsed.Scheme != Uri.UriSchemeWss)
                || string.IsNullOrEmpty(parsed.Host))
            {
                return false;
            }

            uri = parsed.AbsolutePath == "/" && string.IsNullOrEmpty(parsed.Query)
                ? new UriBuilder(parsed) { Path = WebSocketPath }.Uri
                : parsed;
            return true;
        }

        // A bare host (optionally host:port): nothing else may be in it.
        if (text.IndexOfAny(['/', '?', '#', '@', ' ']) >= 0
            || !Uri.TryCreate($"wss://{text}{WebSocketPath}", UriKind.Absolute, out var bare)
            || string.IsNullOrEmpty(bare.Host))
        {
            return false;
        }

        uri = bare;
        return true;
    }
}
