namespace BlfBlazor.State;

/// <summary>Which way a call goes, seen from the user on the tile.</summary>
public enum CallDirection
{
    /// <summary>The user is being called, or took the call.</summary>
    In,

    /// <summary>The user called.</summary>
    Out,
}

/// <summary>Where a call leg stands, as a tile shows it; the order is the tile's urgency, most urgent first.</summary>
public enum CallPhase
{
    /// <summary>Ringing at the user's phone.</summary>
    Ringing,

    /// <summary>Connected.</summary>
    Talking,

    /// <summary>The user dialled; the far end has not answered yet (or is ringing).</summary>
    Dialling,

    /// <summary>Held by either side.</summary>
    Held,

    /// <summary>Parked.</summary>
    Parked,

    /// <summary>Being cleared (a disconnect was sent or received); the end follows.</summary>
    Ending,
}

/// <summary>
/// The other party of a call as the board may show it. <see cref="Name"/> for an internal peer,
/// <see cref="Number"/> for an external one; either may be withheld by <c>Blf:CallDetails</c>, and
/// then the board knows no more than what is here.
/// </summary>
public sealed record CallPeer(string? Name, string? Number, bool IsInternal)
{
    /// <summary>What the tile says: the name, else the number; null when nothing may be shown.</summary>
    public string? Shown => Name ?? Number;
}

/// <summary>One call leg of a user, as the PBX last described it.</summary>
/// <param name="Handle">The PBX's handle for this leg (constant for the leg's life).</param>
/// <param name="Peer">The other party; null when <c>Blf:CallDetails=Off</c> or the PBX did not say.</param>
/// <param name="Via">Who transferred, diverted or handed the call over, as the board may show them.</param>
/// <param name="SinceUnixMs">When the call started (from the PBX's <c>time</c>, else when the board first saw it).</param>
/// <param name="ClearingCause">The last clearing cause the PBX gave for the leg (<c>info</c>'s cause, e.g. 26 "non-selected user clearing": the call went elsewhere).</param>
/// <param name="Conf">The PBX's id of the whole call (<c>conf</c>), shared by its legs and kept across reconnects; null when not sent.</param>
/// <param name="RangSinceUnixMs">When the board first saw the leg ring in at the user; null if it never did.</param>
/// <param name="Answered">Whether the leg was ever connected (talking or held) at the user.</param>
public sealed record CallLeg(
    uint Handle,
    CallDirection Direction,
    CallPhase Phase,
    CallPeer? Peer,
    CallVia ViaKind,
    string? Via,
    long SinceUnixMs,
    int? ClearingCause = null,
    string? Conf = null,
    long? RangSinceUnixMs = null,
    bool Answered = false)
{
    public bool IsHeld => Phase == CallPhase.Held;
}

/// <summary>How a call came to the user other than directly.</summary>
public enum CallVia
{
    None,

    /// <summary>Someone transferred it (<c>ct</c>).</summary>
    Transferred,

    /// <summary>Someone's forwarding diverted it (<c>leg2</c>, <c>leg2orig</c>, <c>leg1</c>).</summary>
    Diverted,

    /// <summary>The user picked it up from a ringing colleague (<c>picking</c>).</summary>
    PickedUp,
}
