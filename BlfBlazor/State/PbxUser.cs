namespace BlfBlazor.State;

/// <summary>
/// One PBX user as the last <c>UserInfo</c> described it, with what the board knows beside it. Every
/// <c>UserInfo</c> carries the full state, so a new one replaces the record instead of being merged into
/// it. Immutable: boards on other threads hold it while the directory publishes the next one.
/// </summary>
public sealed record PbxUser(
    string Guid,
    string? Cn,
    string? Dn,
    string? E164,
    string? H323,
    string? Node,
    string? Pbx,
    int RegisteredDevices,
    int Channel,
    int Alert)
{
    /// <summary>The name people know: <c>dn</c>, else <c>cn</c>, else the extension.</summary>
    public string DisplayName => DisplayNameOf(Dn, Cn, E164);

    internal static string DisplayNameOf(string? dn, string? cn, string? e164) =>
        !string.IsNullOrWhiteSpace(dn) ? dn
        : !string.IsNullOrWhiteSpace(cn) ? cn
        : e164 ?? string.Empty;

    /// <summary>
    /// When the lamp last changed while the board was watching, in Unix milliseconds; 0 when
    /// unknown (the user's state came with an initial list, so it may be much older).
    /// </summary>
    public long LampSinceUnixMs { get; init; }

    /// <summary>
    /// The user's calls and presence when the board knows any; null otherwise. A change of calls or
    /// presence publishes a new record, so a tile's HTML can be cached per record.
    /// </summary>
    public UserActivity? Activity { get; init; }

    /// <summary>
    /// Where the user's calls go instead (from the PBX's user table), in the order <c>always</c>, <c>busy</c>,
    /// <c>no-answer</c>; empty when none, or when the board cannot know (no TableUsers right).
    /// </summary>
    public IReadOnlyList<Diversion> Forwarding { get; init; } = [];

    /// <summary>
    /// The PBX groups the user is in now (the user table's <c>grps</c>), in the table's order; empty when
    /// none, or when the board cannot know (no TableUsers right).
    /// </summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>The user's missed calls within the retention; shown only to the viewers <c>Blf:MissedCalls:Visible</c> names.</summary>
    public UserMissedCalls Missed { get; init; } = UserMissedCalls.None;

    /// <summary>The open callbacks operators took for the user; shown to the same viewers as missed calls.</summary>
    public UserCallbacks Callbacks { get; init; } = UserCallbacks.None;

    /// <summary>The object's type as RCC's <c>UserInfo</c> gave it (<c>pseudo</c>); null or empty for a plain user.</summary>
    public string? Pseudo { get; init; }

    /// <summary>What a tile shows: see <see cref="LampRule.Of"/>.</summary>
    public LampState Lamp => LampRule.Of(Alert, Channel, RegisteredDevices);

    /// <summary>The record the directory publishes for what a <c>UserInfo</c> said.</summary>
    internal static PbxUser Of(in PbxUserInfo info, long lampSinceUnixMs, UserActivity? activity) =>
        new(info.Guid, info.Cn, info.Dn, info.E164, info.H323, info.Node, info.Pbx, info.RegisteredDevices, info.Channel, info.Alert)
        {
            LampSinceUnixMs = lampSinceUnixMs,
            Activity = activity,
            Pseudo = info.Pseudo,
        };
}
