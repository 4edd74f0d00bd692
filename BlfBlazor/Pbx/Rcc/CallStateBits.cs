using BlfBlazor.State;

namespace BlfBlazor.Pbx.Rcc;

/// <summary>
/// The RCC <c>state</c> of a call leg: the phase in the low four bits, then flags. The one place the
/// bit layout is written; everything else asks this type.
/// </summary>
internal readonly record struct CallStateBits(int Value)
{
    private const int PhaseMask = 0x0F;
    private const int Incoming = 0x80;
    private const int HeldByUserFlag = 0x100;
    private const int HeldByPeerFlag = 0x200;
    private const int WaitingFlag = 0x400;

    // Phases in the low bits (RCC.htm): 4 alerting, 5 connected, 6/7 disconnecting, 8 parked.
    private const int Alerting = 4;
    private const int Connected = 5;
    private const int Disconnecting = 6;

    /// <summary>The phase the bits describe; unknown combinations decode bit by bit.</summary>
    public CallPhase Phase => (Value & PhaseMask) switch
    {
        6 or 7 => CallPhase.Ending,
        8 => CallPhase.Parked,
        _ when (Value & (HeldByUserFlag | HeldByPeerFlag)) != 0 => CallPhase.Held,
        Connected => CallPhase.Talking,
        _ when (Value & WaitingFlag) != 0 || (Value & Incoming) != 0 => CallPhase.Ringing,
        _ => CallPhase.Dialling,
    };

    /// <summary>The PBX's "outgoing" bit is PBX-centric: set when the PBX calls the user's phone.</summary>
    public CallDirection Direction => (Value & Incoming) != 0 ? CallDirection.In : CallDirection.Out;

    /// <summary>The monitored user put the call on hold.</summary>
    public bool HeldByUser => (Value & HeldByUserFlag) != 0;

    /// <summary>
    /// The bits after a whole-PBX <c>CallUpdate</c>'s <c>msg</c> (only <c>CallAdd</c> carries bits; after
    /// it, the message says what happened): alerting, connected, held by the peer, or clearing.
    /// </summary>
    public CallStateBits After(string? msg) => msg switch
    {
        "x-alert" or "r-alert" => new((Value & ~(PhaseMask | HeldByUserFlag | HeldByPeerFlag)) | Alerting),
        "x-conn" or "r-conn" or "r-retrieved" => new((Value & ~(PhaseMask | HeldByUserFlag | HeldByPeerFlag)) | Connected),
        "r-held" => new((Value & ~PhaseMask) | Connected | HeldByPeerFlag),
        "x-rel" or "r-rel" or "x-disc" or "r-disc" => new((Value & ~PhaseMask) | Disconnecting),
        _ => this,
    };
}
