using BlfBlazor.State;

namespace BlfBlazor.MissedCalls;

/// <summary>Where the derivation reports: a missed call (new, or with a better-known outcome), and a user's talk.</summary>
internal interface IMissedCallSink
{
    /// <summary>A missed call, or the same one (same user and key) again with what became of it.</summary>
    void Missed(MissedCall call);

    /// <summary>A call counted as missed at a reconnect turned out to be answered here after all.</summary>
    void NotMissed(string userGuid, string callKey);

    /// <summary>The user talks on a call now: missed calls before it count as seen.</summary>
    /// <remarks>The sink reads the clock, and only for a user with missed calls: most calls are answered by users with none.</remarks>
    void Talked(string userGuid);
}
