namespace BlfBlazor.Pbx;

/// <summary>The <c>Pbx</c> configuration section: which PBX to watch and how to log in.</summary>
public sealed class PbxOptions
{
    public const string SectionName = "Pbx";

    /// <summary>
    /// <c>ws://</c> or <c>wss://</c> URL of the PBX's AppWebsocket, or a bare host name
    /// (meaning <c>wss://host/PBX0/APPS/websocket</c>). Empty: run the built-in demo PBX.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>
    /// The standby PBX that takes over when the master fails, in the same forms as <see cref="Url"/>.
    /// When the current PBX cannot be reached or drops, the next attempt goes to the other one.
    /// </summary>
    public string? StandbyUrl { get; set; }

    /// <summary>The name of the PBX App object the board logs in as.</summary>
    public string? App { get; set; }

    /// <summary>The App object's password. Keep it out of appsettings.json: use <c>Pbx__Secret</c> or user-secrets.</summary>
    public string? Secret { get; set; }

    /// <summary>The PBX domain, hashed into the login when set.</summary>
    public string? Domain { get; set; }

    /// <summary>
    /// SHA-256 thumbprint (hex; colons and spaces allowed) of the PBX's TLS certificate, to trust
    /// exactly that certificate (e.g. a self-signed one). Empty: normal certificate validation.
    /// </summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>Frames larger than this are discarded without being buffered whole.</summary>
    public int MaxFrameBytes { get; set; } = 1024 * 1024;

    /// <summary>WebSocket ping interval; with <see cref="KeepAliveTimeout"/> it finds dead connections.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an unanswered ping may wait before the connection counts as dead.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for the TCP/TLS/WebSocket handshake.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Where the calls on the tiles come from: one monitor per user, the whole PBX, or none.</summary>
    public CallFeed CallFeed { get; set; } = CallFeed.PerUser;

    /// <summary>With <see cref="CallFeed.PerUser"/>: users beyond this keep their lamps without call detail.</summary>
    public int MaxMonitoredUsers { get; set; } = 2000;

    /// <summary>Users beyond this keep their lamps without presence.</summary>
    public int MaxPresenceSubscriptions { get; set; } = 2000;

    /// <summary>How long the first presence subscriptions may go unanswered before PbxApi counts as refused.</summary>
    public TimeSpan PresenceAnswerTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an operator action may take from click to the <c>CallInfo</c> that proves it.</summary>
    public TimeSpan ActionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an operator phone's RCC handle is kept after the last operator board for it closed.</summary>
    public TimeSpan OperatorHandleLinger { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Uppercase hex without separators, or null when none is set.</summary>
    public static string? NormalizeThumbprint(string? thumbprint)
    {
        if (string.IsNullOrWhiteSpace(thumbprint))
        {
            return null;
        }

        return string.Concat(thumbprint.Where(c => c is not (':' or ' ' or '-'))).ToUpperInvariant();
    }

    /// <summary>True when no PBX is configured, so the board runs against the built-in simulator.</summary>
    public bool IsDemo => string.IsNullOrWhiteSpace(Url);
}

/// <summary>Where the calls on the tiles come from (<c>Pbx:CallFeed</c>).</summary>
public enum CallFeed
{
    /// <summary>RCC <c>UserInitialize</c> per user on the board, <c>CallInfo</c> per leg.</summary>
    PerUser,

    /// <summary><c>calls:true</c> on the RCC <c>Initialize</c>: <c>CallAdd</c>/<c>CallUpdate</c>/<c>CallDel</c> for every leg.</summary>
    WholePbx,

    /// <summary>Lamps only.</summary>
    Off,
}
