namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// The simulator's own record of a PBX user (not the client's model). The lamp follows from
/// Alert, Channel and Registered, in that order.
/// </summary>
public sealed record SimulatedUser(string Guid, string Cn, string Dn, string E164, string H323,
    string Node, string Pbx, bool Registered, int Channel, int Alert);
