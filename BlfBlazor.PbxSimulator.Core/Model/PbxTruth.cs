using System.Text.Json.Serialization;

namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// What a correct board shows, taken from the simulator at one instant: per user guid the legs
/// (absent when the user has none) and per user the presence. A snapshot: later changes do not touch it.
/// </summary>
public sealed record PbxTruth(
    IReadOnlyDictionary<string, IReadOnlyList<LegTruth>> Calls,
    IReadOnlyDictionary<string, PresenceTruth> Presence);

/// <summary>
/// One call leg of a user as a board shows it. <see cref="Direction"/> is "in" (the user was called or
/// took the call) or "out" (the user called). <see cref="Peer"/>: an internal peer's dn (else cn), an
/// outside number (e164, else h323). <see cref="TransferredBy"/>: who transferred the call here (the
/// <c>ct</c> entry, shown like a peer), also the user a call was picked up from; null when none.
/// </summary>
public sealed record LegTruth(
    int Call,
    string Direction,
    CallPhase Phase,
    bool Held,
    string Peer,
    bool PeerInternal,
    string? TransferredBy,
    bool PickedUp,
    DateTimeOffset StartedAt);

/// <summary>The leg's phase as a tile names it; Held means connected and held by either side. In JSON by name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallPhase>))]
public enum CallPhase
{
    Ringing,
    Talking,
    Held,
    Ending,
}

/// <summary>A user's presence: <see cref="Activity"/> "" = available; <see cref="Up"/> false = the PBX reports the monitor down (shown as unknown).</summary>
public sealed record PresenceTruth(string Activity, string Note, bool Up);
