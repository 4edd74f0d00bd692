namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// One party's side of a call, the unit RCC reports (a CallInfo's <c>call</c>, a CallAdd's leg).
/// Owned by a user, or by the trunk for an outside party. Mutable, and only touched under the PBX lock.
/// </summary>
internal sealed class CallLeg(int handle, long serial, SimulatedCall call, string? ownerGuid, Connector owner, bool incoming, Connector peer, DateTimeOffset startedAt)
{
    public int Handle { get; } = handle;

    /// <summary>Creation order across the PBX: a monitor that starts later skips older legs when calls are not replayed.</summary>
    public long Serial { get; } = serial;

    public SimulatedCall Call { get; set; } = call;

    /// <summary>The <c>conf</c> this leg reports (usually its call's; see KeepConfOnTransfer).</summary>
    public string Conf { get; set; } = call.Conf;

    /// <summary>The user's guid; null for the trunk's leg of an outside party.</summary>
    public string? OwnerGuid { get; } = ownerGuid;

    public Connector Owner { get; } = owner;

    /// <summary>State bit 0x80: the PBX calls this leg's endpoint, i.e. the user was called.</summary>
    public bool Incoming { get; } = incoming;

    /// <summary>State &amp; 0x0F: 1 setup, 4 alert, 5 connected, 6 disc sent, 7 disc received.</summary>
    public int Phase { get; set; } = 1;

    public bool HeldByOwner { get; set; }

    public bool HeldByPeer { get; set; }

    public Connector Peer { get; set; } = peer;

    public IReadOnlyList<RelatedParty> Related { get; set; } = [];

    public DateTimeOffset StartedAt { get; } = startedAt;

    public string LastMsg { get; set; } = "";

    /// <summary>A third-party phone's click-to-call: the phone answered the PBX, the destination has not yet (then r-conn).</summary>
    public bool DialsOut { get; set; }

    /// <summary>While the leg rings at a user with a cfnr diversion: the timer that sends the call on (disposed when the leg ends).</summary>
    public ITimer? NoAnswer { get; set; }

    /// <summary>A queue's leg of a waiting caller that carries the waiting bit (QueueWaitingBit): state +1024.</summary>
    public bool Waiting { get; set; }

    public bool IsRinging => Phase < 5;

    /// <summary>Ringing at the owner's phone: what UserInfo's <c>alert</c> counts.</summary>
    public bool IsAlerting => Incoming && Phase < 5;

    public int State => Phase | (Incoming ? 0x80 : 0) | (HeldByOwner ? 0x100 : 0) | (HeldByPeer ? 0x200 : 0) | (Waiting ? 0x400 : 0);
}

/// <summary>The legs that talk to each other: two, except briefly during a transfer or pickup.</summary>
internal sealed class SimulatedCall(string conf, string callId)
{
    public string Conf { get; } = conf;

    public string CallId { get; } = callId;

    public List<CallLeg> Legs { get; } = [];

    /// <summary>While the call waits at a waiting queue (not yet answered or taken): its place there; null otherwise.</summary>
    public QueuedCaller? Queued { get; set; }
}
