using System.Buffers;
using BlfBlazor.Pbx;
using BlfBlazor.Pbx.Rcc;
using BlfBlazor.State;

namespace BlfBlazor.Operators;

/// <summary>
/// The desk's call requests. Each runs against the operator's handle within the action timeout and
/// is done only when the proof it waits for shows on that handle.
/// </summary>
internal sealed partial class OperatorDesk
{
    /// <summary><c>UserCall</c>: the operator's phone calls <paramref name="to"/>; done when the new call shows on the handle.</summary>
    public Task<DeskOutcome> DialAsync(string cn, Destination to, CancellationToken cancellationToken) =>
        RunAsync(cn, async (request, handle) =>
        {
            MarkDialling(cn);
            var answer = await request.SendAsync((w, src) => RccRequests.WriteUserCall(w, handle, to, src));
            return answer.Call == 0 ? Refused(answer) : await request.WaitAsync(line => line.Legs.ContainsKey(answer.Call), answer.Call);
        }, cancellationToken);

    /// <summary><c>UserPickup</c> of what rings at <paramref name="colleagueCn"/>; done when the picked call shows on the operator's phone.</summary>
    public Task<DeskOutcome> PickupAsync(string cn, string colleagueCn, uint ringingCall, CancellationToken cancellationToken) =>
        RunAsync(cn, async (request, handle) =>
        {
            var answer = await request.SendAsync((w, src) => RccRequests.WriteUserPickup(w, handle, colleagueCn, ringingCall, src));
            return answer.Call == 0 ? Refused(answer) : await request.WaitAsync(line => line.Legs.ContainsKey(answer.Call), answer.Call);
        }, cancellationToken);

    /// <summary>
    /// Puts the call through blind: <c>UserReroute</c>, which follows the colleague's forwarding like any call
    /// to them, or with <paramref name="pastForwarding"/> <c>UserRedirect</c>, which rings their desk phone
    /// whatever the forwarding says. Done when the call left the operator's phone.
    /// </summary>
    public Task<DeskOutcome> PutThroughAsync(string cn, uint call, Destination to, bool pastForwarding, CancellationToken cancellationToken) =>
        RunAsync(cn, async (request, _) =>
        {
            if (!request.Has(call))
            {
                return new DeskOutcome(DeskResult.NoSuchCall);
            }

            var answer = await request.SendAsync((w, src) =>
            {
                if (pastForwarding)
                {
                    RccRequests.WriteUserRedirect(w, call, to, src);
                }
                else
                {
                    RccRequests.WriteUserReroute(w, call, to, src);
                }
            });
            return answer.Error is not null ? Refused(answer) : await request.WaitAsync(line => !line.Legs.ContainsKey(call));
        }, cancellationToken);

    /// <summary>
    /// Announced transfer, first half: <c>UserHold</c> the caller, then <c>UserCall</c> the colleague (with
    /// <paramref name="pastForwarding"/>: <c>ftyNoCF</c>, at their desk phone); done when the colleague's call shows.
    /// </summary>
    public Task<DeskOutcome> AnnounceAsync(string cn, uint call, Destination to, bool pastForwarding, CancellationToken cancellationToken) =>
        RunAsync(cn, async (request, handle) =>
        {
            if (!request.Has(call))
            {
                return new DeskOutcome(DeskResult.NoSuchCall);
            }

            if (!request.IsHeld(call))
            {
                var held = await request.SendAsync((w, src) => RccRequests.WriteUserHold(w, call, src));
                if (held.Error is not null)
                {
                    return Refused(held);
                }

                var onHold = await request.WaitAsync(line => line.IsHeld(call));
                if (onHold.Result != DeskResult.Done)
                {
                    return onHold;
                }
            }

            MarkDialling(cn);
            var answer = await request.SendAsync((w, src) => RccRequests.WriteUserCall(w, handle, to, src, pastForwarding));
            if (answer.Call == 0)
            {
                return Refused(answer);
            }

            var outcome = await request.WaitAsync(line => line.Legs.ContainsKey(answer.Call), answer.Call);
            if (outcome.Result == DeskResult.Done)
            {
                request.Consult(new Consultation(call, answer.Call, to.ToString()));
            }

            return outcome;
        }, cancellationToken);

    /// <summary>Announced transfer, done: <c>UserTransfer</c> joins caller and colleague; done when both leave the phone.</summary>
    public Task<DeskOutcome> CompleteTransferAsync(string cn, CancellationToken cancellationToken) =>
        RunAsync(cn, async (request, _) =>
        {
            if (request.Consultation is not { } consultation)
            {
                return new DeskOutcome(DeskResult.NoSuchCall);
            }

            var answer = await request.SendAsync((w, src) => RccRequests.WriteUserTransfer(w, consultation.Held, consultation.Consulting, src));
            return answer.Error is not null
                ? Refused(answer)
                : await request.WaitAsync(line => !line.Legs.ContainsKey(consultation.Held) && !line.Legs.ContainsKey(consultation.Consulting));
        }, cancellationToken);

    /// <summary>Announced transfer, abandoned: clears the call to the colleague (if still up) and takes the caller back.</summary>
    public Task<DeskOutcome> ReturnToCallerAsync(string cn, CancellationToken cancellationToken) =>
        RunAsync(cn, async (request, _) =>
        {
            if (request.Consultation is not { } consultation)
            {
                return new DeskOutcome(DeskResult.NoSuchCall);
            }

            if (request.Has(consultation.Consulting))
            {
                var cleared = await request.SendAsync((w, src) => RccRequests.WriteUserClear(w, consultation.Consulting, src));
                if (cleared.Error is not null)
                {
                    return Refused(cleared);
                }
            }

            var answer = await request.SendAsync((w, src) => RccRequests.WriteUserRetrieve(w, consultation.Held, src));
            return answer.Error is not null
                ? Refused(answer)
                : await request.WaitAsync(line => line.Legs.ContainsKey(consultation.Held) && !line.IsHeld(consultation.Held));
        }, cancellationToken);

    /// <summary><c>UserClear</c> (normal clearing) of one of the operator's calls; done when it is gone.</summary>
    public Task<DeskOutcome> HangUpAsync(string cn, uint call, CancellationToken cancellationToken) =>
        RunAsync(cn, async (request, _) =>
        {
            if (!request.Has(call))
            {
                return new DeskOutcome(DeskResult.NoSuchCall);
            }

            var answer = await request.SendAsync((w, src) => RccRequests.WriteUserClear(w, call, src));
            return answer.Error is not null ? Refused(answer) : await request.WaitAsync(line => !line.Legs.ContainsKey(call));
        }, cancellationToken);

    /// <summary><c>UserConnect</c>: answers a call ringing at the operator's phone; done when it is connected.</summary>
    public Task<DeskOutcome> AnswerAsync(string cn, uint call, CancellationToken cancellationToken) =>
        RunAsync(cn, async (request, _) =>
        {
            if (!request.Has(call))
            {
                return new DeskOutcome(DeskResult.NoSuchCall);
            }

            // Proof is the call answered, not talking now: the operator may already have put it on hold
            // (an announced put-through) by the time the answer's result is read.
            var answer = await request.SendAsync((w, src) => RccRequests.WriteUserConnect(w, call, src));
            return answer.Error is not null
                ? Refused(answer)
                : await request.WaitAsync(line => line.Legs.TryGetValue(call, out var leg) && leg.Leg.Answered);
        }, cancellationToken);

    private static DeskOutcome Refused(PbxMessage answer) => new(DeskResult.Refused, answer.Error);

    /// <summary>A phone that is not innovaphone's rings first on UserCall: that ring is no missed call (<see cref="OwnDials"/>).</summary>
    private void MarkDialling(string cn)
    {
        if (OwnDials is { } dials && _directory.Current.WithCn(cn) is { } phone)
        {
            dials.Dialling(phone.Guid);
        }
    }

    /// <summary>Runs one request against the operator's handle, within the action timeout, mapping a lost connection.</summary>
    private Task<DeskOutcome> RunAsync(string cn, Func<LineRequest, uint, Task<DeskOutcome>> run, CancellationToken cancellationToken) =>
        WithinTimeoutAsync(token => new LineRequest(this, cn, token), async request =>
        {
            var handle = await HandleAsync(cn, request.Token);
            return handle == 0 ? new DeskOutcome(DeskResult.PhoneUnavailable) : await run(request, handle);
        }, cancellationToken);

    /// <summary>Runs one request within the action timeout: silence is "not confirmed", a lost connection is said as such.</summary>
    private async Task<DeskOutcome> WithinTimeoutAsync<TRequest>(Func<CancellationToken, TRequest> start, Func<TRequest, Task<DeskOutcome>> run, CancellationToken cancellationToken)
        where TRequest : Request
    {
        using var deadline = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var request = start(linked.Token);
        try
        {
            var outcome = await run(request);
            return outcome.Result == DeskResult.NoConnection ? Gone(request) : outcome;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new DeskOutcome(DeskResult.NotConfirmed);
        }
        catch (ConnectionGoneException)
        {
            return Gone(request);
        }
    }

    /// <summary>Nothing sent yet: try again later. Something sent: the PBX may have acted, and only the tiles can say.</summary>
    private static DeskOutcome Gone(Request request) =>
        new(request.Sent ? DeskResult.ConnectionLost : DeskResult.NoConnection);

    /// <summary>One request under its deadline: sends, and knows whether anything went out.</summary>
    private class Request(OperatorDesk desk, CancellationToken cancellationToken)
    {
        private volatile bool _sent;

        /// <summary>A frame of this request has gone to the socket (or may have): from here a lost connection leaves the outcome unknown.</summary>
        public bool Sent => _sent;

        /// <summary>The request's deadline (and the asking board's wait).</summary>
        public CancellationToken Token => cancellationToken;

        protected OperatorDesk Desk => desk;

        public Task<PbxMessage> SendAsync(Action<IBufferWriter<byte>, string> write) => desk.SendAndAwaitAnswerAsync(write, () => _sent = true, cancellationToken);

        /// <summary>Done when the directory shows <paramref name="proof"/> on the user of <paramref name="guid"/> (at once if it already does).</summary>
        public Task<DeskOutcome> ShownAsync(string guid, Func<PbxUser, bool> proof) => desk.ShownAsync(guid, proof, cancellationToken);
    }

    /// <summary>One request's view of its operator's line: what the handle shows, and waits for proof on it.</summary>
    private sealed class LineRequest(OperatorDesk desk, string cn, CancellationToken cancellationToken) : Request(desk, cancellationToken)
    {
        public Consultation? Consultation => Locked(line => line.Consultation);

        public bool Has(uint call) => Locked(line => line.Legs.ContainsKey(call));

        public bool IsHeld(uint call) => Locked(line => line.IsHeld(call));

        public void Consult(Consultation consultation)
        {
            Locked(line => line.Consultation = consultation);
            Desk.PhoneChanged?.Invoke(cn);
        }

        public Task<DeskOutcome> WaitAsync(Func<Line, bool> proof, uint newCall = 0) => Desk.WaitForAsync(cn, proof, newCall, Token);

        private T Locked<T>(Func<Line, T> read)
        {
            lock (Desk._lock)
            {
                return read(Desk.LineOf(cn));
            }
        }
    }
}
