namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>When a call diversion applies: always (cfu), while the user is busy (cfb), when the user does not answer in time (cfnr).</summary>
public enum DiversionType
{
    Cfu,
    Cfb,
    Cfnr,
}

/// <summary>
/// One entry of a user's call diversions (the user table's <c>cds</c>, PBXAPIS.md §1.5): where calls go, by
/// number as dialled from the user's node (<paramref name="E164"/>: an extension, or the trunk digit 0 and an
/// outside number) or by name (<paramref name="H323"/>), and the Boolean object that conditions it
/// (<paramref name="Bool"/>: only while it is on; with <paramref name="BoolNot"/>: only while it is off).
/// </summary>
/// <remarks>The simulator keeps no Boolean state, so a conditional entry is shown but never routes a call.</remarks>
public sealed record Diversion(DiversionType Type, string? E164 = null, string? H323 = null, string? Bool = null, bool BoolNot = false)
{
    public bool IsConditional => !string.IsNullOrEmpty(Bool);
}

/// <summary>
/// A user's membership of a PBX group (the user table's <c>grps</c>, PBXAPIS.md §1.6): <paramref name="Mode"/>
/// "active"; <paramref name="Dyn"/> null for a static member, "in" or "out" for a dynamic one that is now in or out.
/// </summary>
public sealed record GroupMembership(string Name, string Mode = "active", string? Dyn = null);
