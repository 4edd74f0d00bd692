namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// The two legs of a call just started: the caller's and the callee's handles (the <c>call</c> of
/// CallInfo and CallAdd). An outside party's leg is the trunk's: it appears in the whole-PBX feed only.
/// </summary>
public sealed record StartedCall(int CallerLeg, int CalleeLeg);
