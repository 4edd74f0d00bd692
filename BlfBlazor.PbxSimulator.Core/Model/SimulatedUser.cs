namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// The simulator's own record of a PBX user (not the client's model). The lamp follows from
/// Alert, Channel and Registered, in that order.
/// </summary>
/// <remarks>Diversions and Groups are compared by reference, as lists are in records: replace them whole.</remarks>
public sealed record SimulatedUser(string Guid, string Cn, string Dn, string E164, string H323,
    string Node, string Pbx, bool Registered, int Channel, int Alert)
{
    /// <summary>What kind of object this is: "" for a person, else its type as the PBX names it (executive, waiting, trunk, bool…; PBXAPIS.md §2).</summary>
    public string Pseudo { get; init; } = "";

    /// <summary>The call diversions, in the PBX's order (the first entry of a type that applies wins).</summary>
    public IReadOnlyList<Diversion> Diversions { get; init; } = [];

    /// <summary>The PBX groups the user belongs to.</summary>
    public IReadOnlyList<GroupMembership> Groups { get; init; } = [];

    /// <summary>A waiting queue's agent group: its active members logged in (<c>dyn</c> absent or "in") take its callers; null for others.</summary>
    public string? AgentGroup { get; init; }

    /// <summary>A waiting-queue object (PBXAPIS.md §5).</summary>
    public bool IsQueue => Pseudo == "waiting";

    /// <summary>A person: a plain user or an executive (PBXAPIS.md §2); queues, trunks and the like are not.</summary>
    public bool IsPerson => Pseudo is "" or "executive";
}
