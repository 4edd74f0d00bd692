using System.Collections.Immutable;

namespace BlfBlazor.State;

/// <summary>A caller waiting at a queue, as a queue card shows them.</summary>
/// <param name="Call">The queue's leg (the handle a <c>UserPickup</c> names), on the current connection.</param>
/// <param name="Caller">Who waits, within <c>Blf:CallDetails</c>; null when nothing may be shown.</param>
/// <param name="SinceUnixMs">When the caller started waiting (first sight at the queue).</param>
/// <param name="RingingAtAgents">The caller rings at agents now.</param>
/// <param name="Conf">The call's guid (shared by its legs, kept across a reconnect): how a caller reported again keeps their wait.</param>
public sealed record QueueCaller(uint Call, CallPeer? Caller, long SinceUnixMs, bool RingingAtAgents, string? Conf = null);

/// <summary>How a caller left the line.</summary>
public enum QueueOutcome
{
    /// <summary>An agent answered (<see cref="QueueDeparture.By"/> names them when the board knows who).</summary>
    Answered,

    /// <summary>An operator took the caller from the queue (<c>UserPickup</c>).</summary>
    Taken,

    /// <summary>The caller hung up while waiting.</summary>
    Abandoned,

    /// <summary>The queue's own forwarding sent the caller on.</summary>
    Overflowed,
}

/// <summary>The last caller who left a queue's line, and how.</summary>
/// <param name="By">The agent or operator who took the call, as the board may name them; null when unknown.</param>
public sealed record QueueDeparture(QueueOutcome Outcome, string? By, long AtUnixMs);

/// <summary>
/// The calls of the last hour: offered (arrived), answered (by an agent or taken by an operator),
/// abandoned, and the average wait of those who left the line (answered or abandoned); null with none.
/// </summary>
public sealed record QueueHour(int Offered, int Answered, int Abandoned, long? AverageWaitMs)
{
    public static readonly QueueHour Empty = new(0, 0, 0, null);
}

/// <summary>One waiting queue as a card shows it at one instant.</summary>
/// <param name="Cn">The queue's <c>cn</c>, which a <c>UserPickup</c> from it names.</param>
/// <param name="Callers">Waiting now, longest first.</param>
/// <param name="Alert">The longest wait is past <c>Blf:Queues:AlertSeconds</c>.</param>
public sealed record WaitingQueue(
    string Guid,
    string Cn,
    string Name,
    string? Number,
    ImmutableArray<QueueCaller> Callers,
    QueueHour LastHour,
    QueueDeparture? LastDeparture,
    bool Alert)
{
    /// <summary>When the longest waiting caller started waiting; null when nobody waits.</summary>
    public long? LongestSinceUnixMs => Callers.IsDefaultOrEmpty ? null : Callers[0].SinceUnixMs;

    /// <summary>The caller "take the next caller" takes: the longest waiting.</summary>
    public QueueCaller? Next => Callers.IsDefaultOrEmpty ? null : Callers[0];
}

/// <summary>Every queue at one version: built at most once per change and shared by every board.</summary>
/// <param name="FiguresSinceUnixMs">When the hourly figures started counting (the connection's login).</param>
/// <param name="FiguresRestarted">The figures started again after a reconnect: the card says so.</param>
public sealed record QueuesSnapshot(long Version, ImmutableArray<WaitingQueue> Queues, long FiguresSinceUnixMs, bool FiguresRestarted)
{
    public static readonly QueuesSnapshot Empty = new(0, [], 0, false);
}
