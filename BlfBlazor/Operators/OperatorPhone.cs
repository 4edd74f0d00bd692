using BlfBlazor.State;

namespace BlfBlazor.Operators;

/// <summary>How a desk request ended, before anyone words it for a person.</summary>
public enum DeskResult
{
    /// <summary>The PBX answered and a <c>CallInfo</c> on the operator's handle proved it.</summary>
    Done,

    /// <summary>The PBX answered with an error or a zero <c>call</c>.</summary>
    Refused,

    /// <summary>No proof within the action timeout (the answer, or the <c>CallInfo</c> after it, stayed away).</summary>
    NotConfirmed,

    /// <summary>No connection to the PBX (reconnecting) when the request was to be sent: nothing was sent.</summary>
    NoConnection,

    /// <summary>The connection dropped after the request was sent: the PBX may have acted, nobody can say.</summary>
    ConnectionLost,

    /// <summary>The PBX gave no handle for the operator's phone (<c>UserInitialize</c> refused).</summary>
    PhoneUnavailable,

    /// <summary>The call the request is about is not (or no longer) on the operator's phone.</summary>
    NoSuchCall,
}

/// <param name="Detail">The PBX's own words, when it gave any (an error text, a cause).</param>
internal sealed record DeskOutcome(DeskResult Result, string? Detail = null)
{
    public static readonly DeskOutcome Done = new(DeskResult.Done);
}

/// <summary>One call on the operator's own phone, as their handle reports it (never privacy-trimmed: it is their call).</summary>
public sealed record OperatorCall(uint Call, CallLeg Leg, bool HeldByOperator);

/// <summary>An announced transfer in progress: the held caller and the call to the colleague.</summary>
public sealed record Consultation(uint Held, uint Consulting, string Colleague);

/// <summary>What one operator's phone is doing now, for their board.</summary>
public sealed record OperatorPhone(string Cn, bool Ready, IReadOnlyList<OperatorCall> Calls, Consultation? Consultation)
{
    /// <summary>The call a "put through" moves: the connected one, else the one the operator holds (never the consultation).</summary>
    public OperatorCall? CurrentCall =>
        Calls.FirstOrDefault(c => c.Leg.Phase == CallPhase.Talking && c.Call != Consultation?.Consulting)
        ?? Calls.FirstOrDefault(c => c.HeldByOperator && c.Call != Consultation?.Consulting);
}
