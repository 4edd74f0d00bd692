namespace BlfBlazor.State;

/// <summary>
/// What one RCC <c>UserInfo</c> says of a user, as the frame reader found it: a value, so reading a
/// frame allocates nothing beyond the strings it had to make, and nobody can change it afterwards.
/// The directory turns it into the one <see cref="PbxUser"/> record boards share.
/// </summary>
public readonly record struct PbxUserInfo(
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
    /// <summary>The object's type (<c>pseudo</c>) reduced to a word; null or empty for a plain user.</summary>
    public string? Pseudo { get; init; }

    public LampState Lamp => LampRule.Of(Alert, Channel, RegisteredDevices);

    /// <summary>As <see cref="PbxUser.DisplayName"/>.</summary>
    public string DisplayName => PbxUser.DisplayNameOf(Dn, Cn, E164);
}

public static class LampRule
{
    /// <summary>
    /// The one place the lamp rule lives: ringing beats busy beats registered. An empty
    /// <c>regs</c> array means no device (innovaphone's tutorial got that wrong).
    /// </summary>
    public static LampState Of(int alert, int channel, int registeredDevices) =>
        alert > 0 ? LampState.Ringing
        : channel > 0 ? LampState.Busy
        : registeredDevices > 0 ? LampState.Idle
        : LampState.Offline;
}
