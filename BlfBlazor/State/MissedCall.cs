namespace BlfBlazor.State;

/// <summary>What became of a call a user missed (<c>data-missed-outcome</c>).</summary>
public enum MissedOutcome
{
    /// <summary>Nobody answered it (the caller gave up, or it was rejected).</summary>
    Nobody,

    /// <summary>Another user picked it up or answered it.</summary>
    Colleague,

    /// <summary>The user's forwarding sent it on and it was answered there.</summary>
    Forwarded,
}

/// <summary>
/// A call that rang at a user and ended without being answered there.
/// </summary>
/// <param name="CallKey">The PBX's <c>conf</c> of the call: with the user, what makes recording it twice one record.</param>
/// <param name="AtUnixMs">When the board first saw it ring.</param>
/// <param name="RangMs">From the first ring to its end at this user.</param>
/// <param name="Peer">The caller as <c>Blf:CallDetails</c> lets the board know it (already filtered).</param>
public sealed record MissedCall(string UserGuid, string CallKey, long AtUnixMs, long RangMs, CallPeer? Peer, MissedOutcome Outcome)
{
    public string OutcomeWord => Outcome switch
    {
        MissedOutcome.Colleague => "colleague",
        MissedOutcome.Forwarded => "forwarded",
        _ => "nobody",
    };

    public static MissedOutcome ParseOutcome(string word) => word switch
    {
        "colleague" => MissedOutcome.Colleague,
        "forwarded" => MissedOutcome.Forwarded,
        _ => MissedOutcome.Nobody,
    };
}

/// <summary>A user's missed calls as a tile shows them: how many since their last call, and the newest (at most <see cref="MaxListed"/>).</summary>
public sealed record UserMissedCalls(int Unanswered, IReadOnlyList<MissedCall> Calls)
{
    /// <summary>Missed calls a tile and My calls list; the book keeps more, and counts them all in <see cref="Unanswered"/>.</summary>
    public const int MaxListed = 10;

    public static readonly UserMissedCalls None = new(0, []);

    /// <summary>Which of the book's lists this is: where two race to the directory (the PBX loop and the store's service), the later wins.</summary>
    public long Version { get; init; }
}
