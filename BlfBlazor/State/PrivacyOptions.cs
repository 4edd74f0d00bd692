namespace BlfBlazor.State;

/// <summary>
/// What the board may show of calls, presence and forwarding (<c>Blf:CallDetails</c>, <c>Blf:Presence</c>, <c>Blf:Forwarding</c>).
/// Applied where PBX frames become state, so hidden detail never reaches a page, a circuit,
/// <c>/healthz</c> or the log at Information level.
/// </summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Blf";

    public CallDetails CallDetails { get; set; } = CallDetails.Full;

    public PresenceDetails Presence { get; set; } = PresenceDetails.On;

    /// <summary>Whether the user table is replicated for forwarding (<c>On</c>) or not asked for at all (<c>Off</c>).</summary>
    public ForwardingDetails Forwarding { get; set; } = ForwardingDetails.On;

    /// <summary>
    /// The PBX object types that get a tile beside people (<c>Blf:ShowObjects</c>): e.g. <c>executive</c>
    /// (the default), <c>trunk</c>. Null: the default. A waiting queue gets a queue card, never a tile.
    /// </summary>
    public string[]? ShowObjects { get; set; }

    /// <summary>The object types shown, as the directory uses them.</summary>
    public ShownObjects Shown() => ShowObjects is null ? ShownObjects.Default : new ShownObjects(ShowObjects);
}

/// <summary>Whether the board shows where calls go.</summary>
public enum ForwardingDetails
{
    /// <summary>Forwarding from the PBX's user table (needs the TableUsers right).</summary>
    On,

    /// <summary>No forwarding; the table is not replicated.</summary>
    Off,
}

/// <summary>How much of a call's other party the board shows.</summary>
public enum CallDetails
{
    /// <summary>Internal peers by name, external peers by number.</summary>
    Full,

    /// <summary>Internal peers by name; an external peer only as "external".</summary>
    Internal,

    /// <summary>No peer at all: only direction and duration.</summary>
    Off,
}

/// <summary>How much presence the board shows.</summary>
public enum PresenceDetails
{
    /// <summary>Activity and note.</summary>
    On,

    /// <summary>Activity only.</summary>
    NotesHidden,

    /// <summary>No presence; nothing is subscribed.</summary>
    Off,
}
