namespace BlfBlazor.State;

/// <summary>
/// A user's presence as the PBX reports it: <see cref="Activity"/> is the PBX's own word (<c>away</c>,
/// <c>busy</c>, <c>dnd</c>, <c>lunch</c>, … or empty for available), with the user's note.
/// </summary>
public sealed record UserPresence(string Activity, string? Note)
{
    /// <summary>Known and available: nothing to show beside the lamp.</summary>
    public bool IsAvailable => Activity.Length == 0;
}

/// <summary>
/// What the board knows about a user beyond the lamp: their calls (most urgent first) and presence.
/// Null on a user of whom nothing is known, so a board of idle users pays nothing for it.
/// </summary>
public sealed class UserActivity
{
    public UserActivity(IReadOnlyList<CallLeg> calls, UserPresence? presence)
    {
        Calls = calls;
        Presence = presence;
    }

    /// <summary>The user's calls, most urgent first (ringing, talking, dialling, held, parked, ending).</summary>
    public IReadOnlyList<CallLeg> Calls { get; }

    /// <summary>Null while unknown (not subscribed yet, the PBX said <c>up:false</c>, or presence is off).</summary>
    public UserPresence? Presence { get; }
}
