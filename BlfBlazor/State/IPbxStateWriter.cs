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

    /// <summary>
    /// The user table's replication (re)starts on this connection: rows applied from now on are the new
    /// table; <see cref="CompleteTableResync"/> drops the ones it did not page again.
    /// </summary>
    void BeginTableResync();

    /// <summary>One row of the user table, whole (a change replaces the row, never merges).</summary>
    void ApplyTableRow(UserTableRow row);

    /// <summary>A row left the user table.</summary>
    void RemoveTableRow(string guid);

    /// <summary>The table was paged to its end: rows an earlier connection had and this one did not page go.</summary>
    void CompleteTableResync();

    /// <summary>The table cannot be read (refused, or switched off): no forwarding is shown rather than an old one.</summary>
    void ForgetTable();

    /// <summary>The waiting queues' part of the state (queue cards).</summary>
    IQueueStateWriter Queues { get; }

    /// <summary>What the connection monitors beside the lamps, for <c>/healthz</c>.</summary>
    void ReportMonitoring(MonitoringStatus monitoring);

    /// <summary>The connection is gone (or never came up): the board shows last-known lamps.</summary>
    void ConnectionLost(string? problem);

    /// <summary>The PBX refused the login.</summary>
    void LoginRefused(string problem);
}
