using BlfBlazor.State;

namespace BlfBlazor.Pbx.Rcc;

/// <summary>
/// Turns what the PBX says about a call leg into what a tile may show: the phase from the
/// <c>state</c> bits, the peer and who handed the call over, within <c>Blf:CallDetails</c>. The one
/// place where the privacy setting meets a call, so nothing hidden is ever stored.
/// </summary>
internal sealed class CallLegs(PrivacyOptions privacy, TimeProvider timeProvider)
{
    /// <summary>
    /// The leg as a tile shows it. <paramref name="previous"/> keeps what a later message does not
    /// repeat: direction, the start when the PBX sends no <c>time</c>, a peer, a clearing cause, the
    /// call's <c>conf</c>; and what the leg has been (rang in, answered), which missed calls are made of.
    /// </summary>
    public CallLeg Leg(uint handle, CallStateBits state, Connector? peer, IReadOnlyList<Connector>? no, int? time, CallLeg? previous, int? cause = null, string? conf = null)
    {
        var (viaKind, via) = Via(no);
        var direction = previous?.Direction ?? state.Direction;
        var phase = state.Phase;

        // The clock is read once, and only when a time is made: most frames of a known leg need none.
        long? now = null;
        long Now() => now ??= FirstSightUnixMs();
        return new CallLeg(
            handle,
            direction,
            phase,
            Peer(peer) ?? previous?.Peer,
            viaKind == CallVia.None && previous is not null ? previous.ViaKind : viaKind,
            via ?? previous?.Via,
            time is { } seconds ? Now() - (seconds * 1000L) : previous?.SinceUnixMs ?? Now(),
            cause ?? previous?.ClearingCause,
            conf ?? previous?.Conf,
            previous?.RangSinceUnixMs ?? (direction == CallDirection.In && phase == CallPhase.Ringing ? Now() : null),
            previous?.Answered == true || phase is CallPhase.Talking or CallPhase.Held);
    }

    /// <summary>Now, as the start of whatever the board first sees now (a leg without <c>time</c>, a caller reaching a queue).</summary>
    public long FirstSightUnixMs() => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A peer within the privacy setting: internal by name (<c>dn</c>, else <c>cn</c>), external by number.</summary>
    public CallPeer? Peer(Connector? connector)
    {
        if (connector is null || privacy.CallDetails == CallDetails.Off)
        {
            return null;
        }

        var name = connector.Dn ?? connector.Cn;
        if (connector.Cn is not null)
        {
            return new CallPeer(name, null, IsInternal: true);
        }

        var number = connector.E164 ?? connector.H323;
        if (number is null && name is null)
        {
            return null;
        }

        return privacy.CallDetails == CallDetails.Full
            ? new CallPeer(null, number ?? name, IsInternal: false)
            : new CallPeer(null, null, IsInternal: false);
    }

    /// <summary>Who handed the call over: the transferring user (<c>ct</c>), a diverting one, or a pickup.</summary>
    private (CallVia, string?) Via(IReadOnlyList<Connector>? no)
    {
        if (no is null)
        {
            return (CallVia.None, null);
        }

        var picking = no.Any(c => c.Type == "picking");
        foreach (var type in (ReadOnlySpan<string>)["ct", "leg2", "leg2orig", "leg1"])
        {
            if (no.FirstOrDefault(c => c.Type == type) is { } connector)
            {
                var kind = picking ? CallVia.PickedUp : type == "ct" ? CallVia.Transferred : CallVia.Diverted;
                return (kind, Peer(connector)?.Shown);
            }
        }

        return picking ? (CallVia.PickedUp, null) : (CallVia.None, null);
    }
}
