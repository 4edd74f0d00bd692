namespace BlfBlazor.State;

/// <summary>
/// One PBX user as the last <c>UserInfo</c> described it. Every <c>UserInfo</c> carries the full state,
/// so a new one replaces the record instead of being merged into it.
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
    public string DisplayName =>
        !string.IsNullOrWhiteSpace(Dn) ? Dn
        : !string.IsNullOrWhiteSpace(Cn) ? Cn
        : E164 ?? string.Empty;

    /// <summary>
    /// When the lamp last changed while the board was watching, in Unix milliseconds; 0 when
    /// unknown (the user's state came with an initial list, so it may be much older).
    /// Set by the <see cref="UserDirectory"/> before the record is shared.
    /// </summary>
    public long LampSinceUnixMs { get; internal set; }

    /// <summary>
    /// The user's calls and presence when the board knows any; null otherwise. Set by the
    /// <see cref="UserDirectory"/> before the record is shared: a change of calls or presence publishes
    /// a copy of the record, so a tile's HTML can be cached per record.
    /// </summary>
    public UserActivity? Activity { get; internal set; }

    /// <summary>
    /// The one place the lamp rule lives: ringing beats busy beats registered. An empty
    /// <c>regs</c> array means no device (innovaphone's tutorial got that wrong).
    /// </summary>
    public LampState Lamp =>
        Alert > 0 ? LampState.Ringing
        : Channel > 0 ? LampState.Busy
        : RegisteredDevices > 0 ? LampState.Idle
        : LampState.Offline;
}
