namespace BlfBlazor.State;

/// <summary>How far the board can be trusted right now.</summary>
public enum ConnectionState
{
    /// <summary>Never been live yet: no login, or the initial list is still arriving.</summary>
    Connecting,

    /// <summary>Logged in and the initial list is complete: the lamps are current.</summary>
    Live,

    /// <summary>Was live, lost the PBX: the lamps show their last known state.</summary>
    Reconnecting,

    /// <summary>The PBX refused the login: the app name or secret is wrong.</summary>
    AuthFailed,
}

/// <summary>The connection state, since when, and what to tell the people looking at the board.</summary>
/// <param name="State">The state.</param>
/// <param name="Since">When the board entered <paramref name="State"/>.</param>
/// <param name="Problem">A plain sentence for the board and <c>/healthz</c> when something is wrong.</param>
/// <param name="Pbx">The PBX as people know it (host name), never credentials.</param>
/// <param name="IsDemo">True when the board runs against the built-in simulated PBX.</param>
/// <param name="OnStandby">True when <paramref name="Pbx"/> is the standby PBX (<c>Pbx:StandbyUrl</c>).</param>
public sealed record ConnectionStatus(ConnectionState State, DateTimeOffset Since, string? Problem, string Pbx, bool IsDemo, bool OnStandby = false)
{
    /// <summary>The token of the public contract (<c>data-connection</c>, <c>/healthz</c>).</summary>
    public string Token => ToToken(State);

    public static string ToToken(ConnectionState state) => state switch
    {
        ConnectionState.Connecting => "connecting",
        ConnectionState.Live => "live",
        ConnectionState.Reconnecting => "reconnecting",
        ConnectionState.AuthFailed => "auth-failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}
