namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// The two legs of a call just started: the caller's and the callee's handles (the <c>call</c> of
/// CallInfo and CallAdd). An outside party's leg is the trunk's: it appears in the whole-PBX feed only.
/// The callee's leg is where the call rings after the forwarding: at another user, or the trunk's when it
/// went to an outside number; 0 when the PBX refused the call (do-not-disturb) and the caller's leg ended.
/// </summary>
public sealed record StartedCall(int CallerLeg, int CalleeLeg)
{
    /// <summary>The user whose phone rings (after the forwarding); null when the call went outside or was refused.</summary>
    public string? CalleeGuid { get; init; }
}
