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

    /// <summary>Applies one user's change (initial list entry, upsert or delete), in arrival order.</summary>
    void Apply(in UserChange change);

    /// <summary>The initial list is complete: drop the users it did not mention and go live.</summary>
    void CompleteResync();

    /// <summary>The connection is gone (or never came up): the board shows last-known lamps.</summary>
    void ConnectionLost(string? problem);

    /// <summary>The PBX refused the login.</summary>
    void LoginRefused(string problem);
}
