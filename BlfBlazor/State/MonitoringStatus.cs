namespace BlfBlazor.State;

/// <summary>What the PBX connection watches beside the lamps (<c>/healthz</c>: <c>calls</c>, <c>presence</c>).</summary>
/// <param name="CallFeed">The configured call feed: <c>PerUser</c>, <c>WholePbx</c> or <c>Off</c>.</param>
/// <param name="Monitored">Users whose calls are monitored now.</param>
/// <param name="Presence"><c>on</c>, <c>refused</c> (the App object lacks PbxApi) or <c>off</c>.</param>
/// <param name="Subscribed">Users whose presence is subscribed now.</param>
/// <param name="Problem">A sentence when something is capped or refused; never a number or a name.</param>
public sealed record MonitoringStatus(string CallFeed, int Monitored, string Presence, int Subscribed, string? Problem = null)
{
    /// <summary><c>on</c>, <c>refused</c> (the App object lacks TableUsers) or <c>off</c> (<c>Blf:Forwarding=Off</c>).</summary>
    public string Forwarding { get; init; } = "off";

    /// <summary>Users whose forwarding the board knows (rows of the user table it replicates).</summary>
    public int ForwardingUsers { get; init; }

    /// <summary>Waiting queues whose callers are monitored now (queue cards).</summary>
    public int Queues { get; init; }

    public static readonly MonitoringStatus None = new("Off", 0, "off", 0);
}
