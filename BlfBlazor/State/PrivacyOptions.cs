namespace BlfBlazor.State;

/// <summary>
/// What the board may show of calls and presence (<c>Blf:CallDetails</c>, <c>Blf:Presence</c>).
/// Applied where PBX frames become state, so hidden detail never reaches a page, a circuit,
/// <c>/healthz</c> or the log at Information level.
/// </summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Blf";

    public CallDetails CallDetails { get; set; } = CallDetails.Full;

    public PresenceDetails Presence { get; set; } = PresenceDetails.On;
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
