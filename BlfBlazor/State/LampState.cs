namespace BlfBlazor.State;

/// <summary>What a busy lamp shows for one user.</summary>
public enum LampState
{
    /// <summary>No phone registered (grey).</summary>
    Offline,

    /// <summary>Registered, no call (green).</summary>
    Idle,

    /// <summary>In a call (red).</summary>
    Busy,

    /// <summary>A call is ringing at the user (yellow).</summary>
    Ringing,
}

public static class LampStateTokens
{
    /// <summary>The token of the public contract (<c>data-state</c>) and of the CSS classes.</summary>
    public static string ToToken(this LampState state) => state switch
    {
        LampState.Offline => "offline",
        LampState.Idle => "idle",
        LampState.Busy => "busy",
        LampState.Ringing => "ringing",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}
