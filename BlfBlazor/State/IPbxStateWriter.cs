namespace BlfBlazor.State;

/// <summary>
/// The one way PBX news enters the state, used only by the PBX connection loop. Everything the PBX
/// side knows reaches the boards through these calls; nothing on the PBX side reads the state back.
/// </summary>
internal interface IPbxStateWriter
{
    /// <summary>
    /// A connection logged in and asked for the initial list. Every change applied from now on belongs
    /// to the new list; users it does not mention are dropped by <see cref="CompleteResync"/>.
    /// </summary>
    void BeginResync();

    /// <summary>
    /// The next login goes to the standby PBX of this name, or (null) to the configured one; the
    /// status names it from that login on, so the board and <c>/healthz</c> say which PBX is live.
    /// </summary>
    void NextLoginTo(string? standby);

    /// <summary>Applies one user's change (initial list entry, upsert or delete), in arrival order.</summary>
    void Apply(in UserChange change);

    /// <summary>
    /// The initial list is complete: drop the users it did not mention, and every call and presence
    /// an earlier connection reported, and go live.
    /// </summary>
    void CompleteResync();

    /// <summary>A call leg of a user began, changed or ended. False when the user is not on the board.</summary>
    bool ApplyCall(in CallChange change);

    /// <summary>A user's presence; null when it is unknown again. False when the user is not on the board.</summary>
    bool ApplyPresence(string guid, UserPresence? presence);

    /// <summary>What the connection monitors beside the lamps, for <c>/healthz</c>.</summary>
    void ReportMonitoring(MonitoringStatus monitoring);

    /// <summary>The connection is gone (or never came up): the board shows last-known lamps.</summary>
    void ConnectionLost(string? problem);

    /// <summary>The PBX refused the login.</summary>
    void LoginRefused(string problem);
}
