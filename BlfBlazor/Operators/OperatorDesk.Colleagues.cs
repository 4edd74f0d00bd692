using BlfBlazor.Pbx.PbxApi;
using BlfBlazor.State;

namespace BlfBlazor.Operators;

/// <summary>
/// What an operator sets for a colleague rather than does with a call: presence and forwarding (PbxApi,
/// no handle needed). The PBX's answer only says it accepted; each is done when the directory shows the
/// colleague as asked (presence from the presence feed, forwarding from the user table).
/// </summary>
internal sealed partial class OperatorDesk
{
    // PBXs that closed the socket while asked whether diversions exist: an older PBX may close on an
    // unknown message, and asking again on every reconnect would make a reconnect loop.
    private readonly HashSet<string> _closedOnProbe = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the desk asks each connection's PBX if diversions can be set: only where someone can sign in
    /// to act (a board without operators has no use for the answer, and an old PBX may drop the connection over it).
    /// </summary>
    public bool AsksForDiversions { get; init; } = true;

    /// <summary>
    /// True while the live connection's PBX lets the board set and clear diversions (14r1 and later) and the
    /// user table is replicated: without the table no change could be seen, so none is offered.
    /// </summary>
    public bool CanSetForwarding
    {
        get
        {
            lock (_lock)
            {
                return _link?.Diversions == true && _directory.Monitoring.Forwarding == "on";
            }
        }
    }

    /// <summary>
    /// True while the live connection's PBX has the 14r1 PbxApi requests (the GetDiversion probe said so), and
    /// with them <c>AppNotify</c>, which came in the same release (PBXAPIS.md §3.4).
    /// </summary>
    public bool CanNotify
    {
        get
        {
            lock (_lock)
            {
                return _link?.Diversions == true;
            }
        }
    }

    /// <summary><c>AppNotify</c> to the colleague <paramref name="sip"/>'s myApps: done when the PBX answers without an error (there is no receipt).</summary>
    public Task<DeskOutcome> NotifyAsync(string sip, string title, string text, CancellationToken cancellationToken) =>
        WithinTimeoutAsync(token => new Request(this, token), async request =>
        {
            var answer = await request.SendAsync((w, src) => PbxApiRequests.WriteAppNotify(w, sip, title, text, src));
            return answer.Error is not null ? Refused(answer) : DeskOutcome.Done;
        }, cancellationToken);

    /// <summary><c>SetPresence</c> for the colleague <paramref name="sip"/>; done when <paramref name="shown"/> holds for their record.</summary>
    public Task<DeskOutcome> SetPresenceAsync(string guid, string sip, string activity, string note, Func<PbxUser, bool> shown, CancellationToken cancellationToken) =>
        ForColleagueAsync(guid, (w, src) => PbxApiRequests.WriteSetPresence(w, sip, activity, note, src), needsOk: false, shown, cancellationToken);

    /// <summary><c>AddDiversion</c>; the PBX must say <c>ok:true</c>, then done when <paramref name="shown"/> holds for the colleague's record.</summary>
    public Task<DeskOutcome> AddDiversionAsync(string guid, string sip, DiversionKind kind, DiversionTarget to, Func<PbxUser, bool> shown, CancellationToken cancellationToken) =>
        ForColleagueAsync(guid, (w, src) => PbxApiRequests.WriteAddDiversion(w, sip, kind, to, src), needsOk: true, shown, cancellationToken);

    /// <summary><c>DelDiversion</c>; the PBX must say <c>ok:true</c>, then done when the colleague's record has no diversion of <paramref name="kind"/>.</summary>
    public Task<DeskOutcome> DelDiversionAsync(string guid, string sip, DiversionKind kind, CancellationToken cancellationToken) =>
        ForColleagueAsync(guid, (w, src) => PbxApiRequests.WriteDelDiversion(w, sip, kind, src), needsOk: true, user => user.Forwarding.All(d => d.Kind != kind), cancellationToken);

    private Task<DeskOutcome> ForColleagueAsync(string guid, Action<System.Buffers.IBufferWriter<byte>, string> write, bool needsOk, Func<PbxUser, bool> shown, CancellationToken cancellationToken) =>
        WithinTimeoutAsync(token => new Request(this, token), async request =>
        {
            var answer = await request.SendAsync(write);

            // AddDiversion and DelDiversion say ok:true when they did it; anything else is a no.
            return answer.Error is not null || (needsOk && !answer.Ok) ? Refused(answer) : await request.ShownAsync(guid, shown);
        }, cancellationToken);

    /// <summary>Waits on the directory's changes until the user's record shows the proof, or the connection is gone.</summary>
    private async Task<DeskOutcome> ShownAsync(string guid, Func<PbxUser, bool> proof, CancellationToken cancellationToken)
    {
        CancellationToken closed;
        lock (_lock)
        {
            if (_link is null)
            {
                return new DeskOutcome(DeskResult.NoConnection);
            }

            closed = _link.Closed;
        }

        using var subscription = _directory.Subscribe();
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, closed);
        while (true)
        {
            foreach (var user in _directory.Current.Users)
            {
                if (user.Guid == guid && proof(user))
                {
                    return DeskOutcome.Done;
                }
            }

            try
            {
                await subscription.WaitForChangeAsync(waiting.Token);
            }
            catch (OperationCanceledException) when (closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return new DeskOutcome(DeskResult.NoConnection);
            }
        }
    }

    /// <summary>
    /// Once per connection, when its list is complete: asks <c>GetDiversion</c> of one user. Any
    /// <c>GetDiversionResult</c> means the PBX has the 14r1 diversion requests; an error, or silence within
    /// the action timeout, means it has not. A socket closed meanwhile: not, and this PBX is not asked again.
    /// </summary>
    private async Task ProbeDiversionsAsync(Link link)
    {
        if (!AsksForDiversions)
        {
            return;
        }

        var status = _directory.Status;
        string? sip = null;
        foreach (var user in _directory.Current.Users)
        {
            if (user.H323 is { Length: > 0 } h323)
            {
                sip = h323;
                break;
            }
        }

        bool asked;
        lock (_lock)
        {
            // While it waits, the link says which PBX it asks: a socket closed meanwhile marks that PBX (Detach).
            asked = sip is not null && _link == link && !_closedOnProbe.Contains(status.Pbx);
            link.Probing = asked ? status.Pbx : null;
        }

        var supported = false;
        if (asked && sip is { } asking)
        {
            using var deadline = new CancellationTokenSource(_timeout, _timeProvider);
            try
            {
                var answer = await SendAndAwaitAnswerAsync((w, src) => PbxApiRequests.WriteGetDiversion(w, asking, DiversionKind.Always, src), static () => { }, deadline.Token);
                supported = answer.Error is null;
            }
            catch (OperationCanceledException)
            {
                // Silence: an older PBX that ignores what it does not know.
            }
            catch (ConnectionGoneException)
            {
                return;
            }
        }

        lock (_lock)
        {
            link.Probing = null;
            if (_link != link)
            {
                return;
            }

            link.Diversions = supported;
        }

        Log.DiversionsProbed(_logger, status.Pbx, supported);
        CapabilitiesChanged?.Invoke();
    }
}
