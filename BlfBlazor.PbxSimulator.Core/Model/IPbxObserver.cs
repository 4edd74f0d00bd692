namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// What a subscriber of <see cref="SimulatedPbx.Subscribe"/> is told: every change of the PBX's truth,
/// in the order the changes happened. The PBX calls it under its lock (so no two changes interleave and
/// a step run with <see cref="SimulatedPbx.Atomically"/> sits wholly before or after a change): an
/// implementation must return quickly, must not block or wait, and reads what it needs before returning.
/// </summary>
internal interface IPbxObserver
{
    /// <summary>A user was added or its record changed (lamp, names).</summary>
    void UserChanged(SimulatedUser user);

    void UserRemoved(string guid);

    /// <summary>A user set a presence while the PBX reports its presence monitor up.</summary>
    void PresenceChanged(SimulatedUser user, UserPresence presence);

    /// <summary>One step of a call leg (<see cref="LegChange"/>).</summary>
    void LegChanged(LegChange change);
}

/// <summary>
/// One step of a leg: <paramref name="Msg"/> is the step (x-setup, r-alert…), <paramref name="Added"/>
/// marks the leg's first, <paramref name="Last"/> its end (the leg is gone afterwards), <paramref name="Cause"/>
/// why the peer ended it, <paramref name="At"/> when on the PBX's clock. <paramref name="Leg"/> is the live
/// leg: read it during the call, it changes after.
/// </summary>
internal readonly record struct LegChange(CallLeg Leg, string Msg, bool Added, bool Last, CallCause? Cause, DateTimeOffset At);
