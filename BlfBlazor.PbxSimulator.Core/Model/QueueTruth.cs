namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// What a correct queue card shows for one waiting queue, taken at one instant: its callers waiting now,
/// longest first, and since the PBX started the callers offered to it, answered (by an agent or taken by an
/// operator), abandoned (the call ended while waiting) and overflowed (sent on by the queue's cfnr).
/// </summary>
public sealed record QueueTruth(string Guid, string Cn, IReadOnlyList<WaitingCallerTruth> Waiting, int Offered, int Answered, int Abandoned, int Overflowed);

/// <summary>
/// A caller waiting at a queue: <see cref="Call"/> is the queue's leg (the handle a UserPickup names),
/// <see cref="Caller"/> the caller as a board shows a peer, <see cref="Since"/> when the caller reached the
/// queue, <see cref="RingingAtAgents"/> whether the caller rings at agents now (one caller per queue at a time).
/// </summary>
public sealed record WaitingCallerTruth(int Call, string Caller, DateTimeOffset Since, bool RingingAtAgents);
