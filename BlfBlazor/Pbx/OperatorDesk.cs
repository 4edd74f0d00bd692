using System.Buffers;
using BlfBlazor.State;

namespace BlfBlazor.Pbx;

/// <summary>How a desk request ended, before anyone words it for a person.</summary>
public enum DeskResult
{
    /// <summary>The PBX answered and a <c>CallInfo</c> on the operator's handle proved it.</summary>
    Done,

    /// <summary>The PBX answered with an error or a zero <c>call</c>.</summary>
    Refused,

    /// <summary>No proof within the action timeout (the answer, or the <c>CallInfo</c> after it, stayed away).</summary>
    NotConfirmed,

    /// <summary>No connection to the PBX (reconnecting), or it dropped while the request waited.</summary>
    NoConnection,

    /// <summary>The PBX gave no handle for the operator's phone (<c>UserInitialize</c> refused).</summary>
    PhoneUnavailable,

    /// <summary>The call the request is about is not (or no longer) on the operator's phone.</summary>
    NoSuchCall,
}

/// <param name="Detail">The PBX's own words, when it gave any (an error text, a cause).</param>
public sealed record DeskOutcome(DeskResult Result, string? Detail = null)
{
    public static readonly DeskOutcome Done = new(DeskResult.Done);
}

/// <summary>Whom a request reaches: a board user by <c>cn</c>, or a number as dialled.</summary>
public sealed record Destination(string? Cn, string? Number)
{
    public static Destination User(string cn) => new(cn, null);

    public static Destination Dial(string number) => new(null, number);

    public override string ToString() => Cn ?? Number ?? string.Empty;
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

/// <summary>
/// The PBX side of operator actions: one RCC <c>UserInitialize</c> handle per operator's phone on the
/// live connection (the PBX does not know who clicked; everything goes through that handle), the
/// <c>User*</c> requests, and the proof that they worked: a request is done only when the
/// <c>CallInfo</c> that shows it arrives on the handle, never on its <c>…Result</c> alone.
/// </summary>
/// <remarks>
/// A singleton that outlives connections: each logged-in session attaches (<see cref="Attach"/>) and
/// the handles die with it; on the next connection every phone with an open board gets one again.
/// Thread-safe: boards call in from their circuits, the session feeds frames from its receive loop.
/// </remarks>
public sealed partial class OperatorDesk
{
    private const int HeldByUser = 0x100;
    private const string HandleSrcPrefix = "o:";
    private const string ActionSrcPrefix = "a:";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Line> _lines = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TaskCompletionSource<MonitorFrame?>> _answers = new(StringComparer.Ordinal);
    private readonly CallLegs _legs;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<OperatorDesk> _logger;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _linger;
    private Link? _link;
    private long _nextSrc;

    internal OperatorDesk(TimeSpan actionTimeout, TimeSpan handleLinger, TimeProvider timeProvider, ILogger<OperatorDesk> logger)
    {
        _timeout = actionTimeout;
        _linger = handleLinger;
        _timeProvider = timeProvider;
        _logger = logger;
        _legs = new CallLegs(new PrivacyOptions { CallDetails = CallDetails.Full }, timeProvider);
    }

    /// <summary>Raised (with the phone's cn) whenever a phone's calls or readiness change.</summary>
    public event Action<string>? PhoneChanged;

    /// <summary>How long a request may take from click to proof.</summary>
    public TimeSpan ActionTimeout => _timeout;

    /// <summary>True while a PBX connection is logged in and can carry requests.</summary>
    public bool Connected
    {
        get
        {
            lock (_lock)
            {
                return _link is not null;
            }
        }
    }

    /// <summary>
    /// An operator's board is open for <paramref name="cn"/>: get the phone a handle now (or on the next
    /// connection) and keep it until some minutes after the last such board closed.
    /// </summary>
    public IDisposable Join(string cn)
    {
        Link? link;
        lock (_lock)
        {
            var line = LineOf(cn);
            line.Joined++;
            line.EndTimer?.Dispose();
            line.EndTimer = null;
            link = line.Handle == 0 && !line.HandleRequested ? _link : null;
            if (link is not null)
            {
                line.HandleRequested = true;
            }
        }

        if (link is not null)
        {
            _ = RequestHandleAsync(link, cn);
        }

        return new Membership(this, cn);
    }

    /// <summary>What the phone is doing now.</summary>
    public OperatorPhone Phone(string cn)
    {
        lock (_lock)
        {
            return _lines.TryGetValue(cn, out var line) ? line.Shown(cn) : new OperatorPhone(cn, false, [], null);
        }
    }

    /// <summary><c>UserCall</c>: the operator's phone calls <paramref name="to"/>; done when the new call shows on the handle.</summary>
    public Task<DeskOutcome> DialAsync(string cn, Destination to, CancellationToken cancellationToken) =>
        RunAsync(cn, async (request, handle) =>
        {
            var answer = await request.SendAsync((w, src) => PbxRequests.WriteUserCall(w, handle, to, src));
            return answer.Call == 0 ? Refused(answer) : await request.WaitAsync(line => line.Legs.ContainsKey(answer.Call), answer.Call);
        }, cancellationToken);

    /// <summary><c>UserPickup</c> of what rings at <paramref name="colleagueCn"/>; done when the picked call shows on the operator's phone.</summary>
    public Task<DeskOutcome> PickupAsync(string cn, string colleagueCn, uint ringingCall, CancellationToken cancellationToken) =>
        RunAsync(cn, async (request, handle) =>
        {
            var answer = await request.SendAsync((w, src) => PbxRequests.WriteUserPickup(w, handle, colleagueCn, ringingCall, src));
            return answer.Call == 0 ? Refused(answer) : await request.WaitAsync(line => line.Legs.ContainsKey(answer.Call), answer.Call);
        }, cancellationToken);

    /// <summary><c>UserRedirect</c>: puts the call through blind (a connected call) or deflects it (a ringing one); done when it left the phone.</summary>
    public Task<DeskOutcome> RedirectAsync(string cn, uint call, Destination to, CancellationToken cancellationToken) =>
        RunAsync(cn, async (request, _) =>
        {
            if (!request.Has(call))
            {
                return new DeskOutcome(DeskResult.NoSuchCall);
            }

            var answer = await request.SendAsync((w, src) => PbxRequests.WriteUserRedirect(w, call, to, src));
            return answer.Error is not null ? Refused(answer) : await request.WaitAsync(line => !line.Legs.ContainsKey(call));
        }, cancellationToken);

    /// <summary>Announced transfer, first half: <c>UserHold</c> the caller, then <c>UserCall</c> the colleague; done when the colleague's call shows.</summary>
    public Task<DeskOutcome> AnnounceAsync(string cn, uint call, Destination to, CancellationToken cancellationToken) =>
        RunAsync(cn, async (request, handle) =>
        {
            if (!request.Has(call))
            {
                return new DeskOutcome(DeskResult.NoSuchCall);
            }

            if (!request.IsHeld(call))
            {
                var held = await request.SendAsync((w, src) => PbxRequests.WriteUserHold(w, call, src));
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

            var answer = await request.SendAsync((w, src) => PbxRequests.WriteUserCall(w, handle, to, src));
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

            var answer = await request.SendAsync((w, src) => PbxRequests.WriteUserTransfer(w, consultation.Held, consultation.Consulting, src));
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
                var cleared = await request.SendAsync((w, src) => PbxRequests.WriteUserClear(w, consultation.Consulting, src));
                if (cleared.Error is not null)
                {
                    return Refused(cleared);
                }
            }

            var answer = await request.SendAsync((w, src) => PbxRequests.WriteUserRetrieve(w, consultation.Held, src));
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

            var answer = await request.SendAsync((w, src) => PbxRequests.WriteUserClear(w, call, src));
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

            var answer = await request.SendAsync((w, src) => PbxRequests.WriteUserConnect(w, call, src));
            return answer.Error is not null
                ? Refused(answer)
                : await request.WaitAsync(line => line.Legs.TryGetValue(call, out var leg) && leg.Leg.Phase == CallPhase.Talking);
        }, cancellationToken);

    private static DeskOutcome Refused(MonitorFrame answer) => new(DeskResult.Refused, answer.Error);

    /// <summary>Runs one request against the operator's handle, within the action timeout, mapping a lost connection.</summary>
    private async Task<DeskOutcome> RunAsync(string cn, Func<Request, uint, Task<DeskOutcome>> run, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var request = new Request(this, cn, linked.Token);
        try
        {
            var handle = await HandleAsync(cn, linked.Token);
            return handle == 0 ? new DeskOutcome(DeskResult.PhoneUnavailable) : await run(request, handle);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new DeskOutcome(DeskResult.NotConfirmed);
        }
        catch (ConnectionGoneException)
        {
            return new DeskOutcome(DeskResult.NoConnection);
        }
    }

    /// <summary>The phone's handle on the live connection, asked for if needed; 0 when the PBX refused it.</summary>
    private async Task<uint> HandleAsync(string cn, CancellationToken cancellationToken)
    {
        Task<uint> waiting;
        Link? ask = null;
        lock (_lock)
        {
            var link = _link ?? throw new ConnectionGoneException();
            var line = LineOf(cn);
            if (line.Handle != 0)
            {
                return line.Handle;
            }

            line.HandleWaiter ??= new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = line.HandleWaiter.Task;
            if (!line.HandleRequested)
            {
                line.HandleRequested = true;
                ask = link;
            }
        }

        if (ask is not null)
        {
            await RequestHandleAsync(ask, cn);
        }

        return await waiting.WaitAsync(cancellationToken);
    }

    private async Task RequestHandleAsync(Link link, string cn)
    {
        try
        {
            await link.Send(w => PbxRequests.WriteUserInitialize(w, cn, HandleSrcPrefix + cn), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The session is going away: Detach fails whoever waits for this handle.
            Log.HandleRequestFailed(_logger, cn, ex.Message);
        }
    }

    private async Task<MonitorFrame> SendAndAwaitAnswerAsync(Action<IBufferWriter<byte>, string> write, CancellationToken cancellationToken)
    {
        var src = ActionSrcPrefix + Interlocked.Increment(ref _nextSrc).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<MonitorFrame?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Link link;
        lock (_lock)
        {
            link = _link ?? throw new ConnectionGoneException();
            _answers[src] = answer;
        }

        try
        {
            await link.Send(w => write(w, src), cancellationToken);
            return await answer.Task.WaitAsync(cancellationToken) ?? throw new ConnectionGoneException();
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw new ConnectionGoneException();
        }
        finally
        {
            lock (_lock)
            {
                _answers.Remove(src);
            }
        }
    }

    private async Task<DeskOutcome> WaitForAsync(string cn, Func<Line, bool> proof, uint newCall, CancellationToken cancellationToken)
    {
        TaskCompletionSource<DeskOutcome> done;
        lock (_lock)
        {
            if (_link is null)
            {
                return new DeskOutcome(DeskResult.NoConnection);
            }

            var line = LineOf(cn);
            if (proof(line))
            {
                return Proven(line, newCall);
            }

            done = new TaskCompletionSource<DeskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            line.Watches.Add(new Watch(proof, newCall, done));
        }

        try
        {
            return await done.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_lock)
            {
                if (_lines.TryGetValue(cn, out var line))
                {
                    line.Watches.RemoveAll(w => w.Done == done);
                }
            }
        }
    }

    /// <summary>A new call proves the request, unless its first sight is already the PBX clearing it (an unknown number).</summary>
    private static DeskOutcome Proven(Line line, uint newCall) =>
        newCall != 0 && line.Legs.TryGetValue(newCall, out var leg) && leg.Leg.Phase == CallPhase.Ending
            ? new DeskOutcome(DeskResult.Refused, leg.Cause)
            : DeskOutcome.Done;

    private Line LineOf(string cn)
    {
        if (!_lines.TryGetValue(cn, out var line))
        {
            _lines[cn] = line = new Line();
        }

        return line;
    }

    private void Leave(string cn)
    {
        lock (_lock)
        {
            if (!_lines.TryGetValue(cn, out var line) || --line.Joined > 0)
            {
                return;
            }

            // Kept a while: an operator reloading the page or moving to another screen keeps the handle.
            line.EndTimer = _timeProvider.CreateTimer(_ => EndHandle(cn), null, _linger, Timeout.InfiniteTimeSpan);
        }
    }

    private void EndHandle(string cn)
    {
        Link? link = null;
        uint handle = 0;
        lock (_lock)
        {
            if (!_lines.TryGetValue(cn, out var line) || line.Joined > 0 || line.Watches.Count > 0)
            {
                return;
            }

            line.EndTimer?.Dispose();
            _lines.Remove(cn);
            if (line.Handle != 0 && _link is not null)
            {
                link = _link;
                handle = line.Handle;
                link.Handles.Remove(handle);
                Volatile.Write(ref link.HandleCount, link.Handles.Count);
            }
        }

        PhoneChanged?.Invoke(cn);
        if (link is not null)
        {
            Log.HandleEnded(_logger, cn);
            _ = link.Send(w => PbxRequests.WriteUserEnd(w, handle), CancellationToken.None).AsTask()
                .ContinueWith(t => Log.HandleRequestFailed(_logger, cn, t.Exception!.GetBaseException().Message), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>A logged-in session offers its socket; the desk asks for a handle for every phone with an open board.</summary>
    internal IOperatorDeskLink Attach(PbxSend send)
    {
        var link = new Link(this, send);
        List<string> wanted;
        lock (_lock)
        {
            _link = link;
            wanted = [];
            foreach (var (cn, line) in _lines)
            {
                if (line.Joined > 0 || line.HandleWaiter is not null)
                {
                    line.HandleRequested = true;
                    wanted.Add(cn);
                }
            }
        }

        link.Wanted = wanted;
        return link;
    }

    private void Detach(Link link)
    {
        List<string> changed = [];
        lock (_lock)
        {
            if (_link != link)
            {
                return;
            }

            _link = null;
            foreach (var answer in _answers.Values)
            {
                answer.TrySetResult(null);
            }

            foreach (var (cn, line) in _lines)
            {
                line.Handle = 0;
                line.HandleRequested = false;
                line.Legs.Clear();
                line.Consultation = null;
                line.HandleWaiter?.TrySetException(new ConnectionGoneException());
                line.HandleWaiter = null;
                foreach (var watch in line.Watches)
                {
                    watch.Done.TrySetResult(new DeskOutcome(DeskResult.NoConnection));
                }

                line.Watches.Clear();
                changed.Add(cn);
            }
        }

        foreach (var cn in changed)
        {
            PhoneChanged?.Invoke(cn);
        }
    }

    /// <summary>Takes the frames that belong to operators' handles and actions; false for everything else.</summary>
    private bool TryHandle(Link link, MonitorFrame frame)
    {
        // Runs for every call message on the receive loop: what cannot be the desk's leaves without the lock.
        if (frame.Type switch
        {
            PbxMessageType.CallInfo => Volatile.Read(ref link.HandleCount) == 0,
            PbxMessageType.UserInitializeResult => frame.Src?.StartsWith(HandleSrcPrefix, StringComparison.Ordinal) != true,
            PbxMessageType.ActionResult => false,
            _ => true,
        })
        {
            return false;
        }

        string? changed = null;
        lock (_lock)
        {
            if (_link != link)
            {
                return false;
            }

            switch (frame.Type)
            {
                case PbxMessageType.ActionResult:
                    if (frame.Src is { } src && _answers.TryGetValue(src, out var answer))
                    {
                        answer.TrySetResult(frame);
                    }

                    return true;

                case PbxMessageType.UserInitializeResult when frame.Src is { } handleSrc && handleSrc.StartsWith(HandleSrcPrefix, StringComparison.Ordinal):
                    var cn = handleSrc[HandleSrcPrefix.Length..];
                    if (_lines.TryGetValue(cn, out var line))
                    {
                        line.Handle = frame.User;
                        if (frame.User != 0)
                        {
                            link.Handles[frame.User] = cn;
                            Volatile.Write(ref link.HandleCount, link.Handles.Count);
                        }
                        else
                        {
                            Log.HandleRefused(_logger, cn);
                            line.HandleRequested = false;
                        }

                        line.HandleWaiter?.TrySetResult(frame.User);
                        line.HandleWaiter = null;
                        changed = cn;
                    }

                    break;

                case PbxMessageType.CallInfo when link.Handles.TryGetValue(frame.User, out var owner):
                    Apply(_lines[owner], frame);
                    changed = owner;
                    break;

                default:
                    return false;
            }
        }

        if (changed is not null)
        {
            PhoneChanged?.Invoke(changed);
        }

        return true;
    }

    private void Apply(Line line, MonitorFrame frame)
    {
        if (CallLegs.Ends(frame))
        {
            line.Legs.Remove(frame.Call);
            if (line.Consultation is { } consultation && (consultation.Held == frame.Call || consultation.Consulting == frame.Call)
                && !(line.Legs.ContainsKey(consultation.Held) && line.Legs.ContainsKey(consultation.Consulting)))
            {
                // The caller is gone, or the colleague hung up: what is left is an ordinary call.
                line.Consultation = null;
            }
        }
        else
        {
            var known = line.Legs.TryGetValue(frame.Call, out var previous);
            if (frame.State is null && !known)
            {
                return;
            }

            var bits = frame.State ?? previous!.Bits;
            var leg = _legs.Leg(frame.Call, bits, frame.Peer, frame.No, frame.Time, previous?.Leg);
            line.Legs[frame.Call] = new KnownLeg(bits, leg, frame.Cause ?? previous?.Cause);
        }

        // Proofs are checked on every change; the first that holds completes its request.
        for (var i = line.Watches.Count - 1; i >= 0; i--)
        {
            var watch = line.Watches[i];
            if (watch.Proof(line))
            {
                line.Watches.RemoveAt(i);
                watch.Done.TrySetResult(Proven(line, watch.NewCall));
            }
        }
    }

    /// <summary>What a session sees of the desk.</summary>
    internal interface IOperatorDeskLink : IDisposable
    {
        /// <summary>Asks for the handles of every phone with an open board (after the login).</summary>
        ValueTask StartAsync(CancellationToken cancellationToken);

        /// <summary>True when the frame belonged to an operator's handle or action (and was taken).</summary>
        bool TryHandle(MonitorFrame frame);
    }

    private sealed class Link(OperatorDesk desk, PbxSend send) : IOperatorDeskLink
    {
        public PbxSend Send { get; } = send;

        /// <summary>Changed under the desk's lock only.</summary>
        public Dictionary<uint, string> Handles { get; } = [];

        /// <summary><see cref="Handles"/>' count, readable without the lock: no handle, no CallInfo of the desk's.</summary>
        public int HandleCount;

        public List<string> Wanted { get; set; } = [];

        public async ValueTask StartAsync(CancellationToken cancellationToken)
        {
            foreach (var cn in Wanted)
            {
                await Send(w => PbxRequests.WriteUserInitialize(w, cn, HandleSrcPrefix + cn), cancellationToken);
            }
        }

        public bool TryHandle(MonitorFrame frame) => desk.TryHandle(this, frame);

        public void Dispose() => desk.Detach(this);
    }

    private sealed record KnownLeg(int Bits, CallLeg Leg, string? Cause);

    private sealed record Watch(Func<Line, bool> Proof, uint NewCall, TaskCompletionSource<DeskOutcome> Done);

    private sealed class Line
    {
        public int Joined { get; set; }

        public uint Handle { get; set; }

        public bool HandleRequested { get; set; }

        public TaskCompletionSource<uint>? HandleWaiter { get; set; }

        public Dictionary<uint, KnownLeg> Legs { get; } = [];

        public Consultation? Consultation { get; set; }

        public ITimer? EndTimer { get; set; }

        public List<Watch> Watches { get; } = [];

        public bool IsHeld(uint call) => Legs.TryGetValue(call, out var leg) && (leg.Bits & HeldByUser) != 0;

        public OperatorPhone Shown(string cn)
        {
            var calls = Legs.Select(l => new OperatorCall(l.Key, l.Value.Leg, (l.Value.Bits & HeldByUser) != 0))
                .OrderBy(c => c.Leg.SinceUnixMs).ToArray();
            return new OperatorPhone(cn, Handle != 0, calls, Consultation);
        }
    }

    /// <summary>One request's view of its operator's line: sends, waits for proof, all under its deadline.</summary>
    private sealed class Request(OperatorDesk desk, string cn, CancellationToken cancellationToken)
    {
        public Consultation? Consultation => Locked(line => line.Consultation);

        public bool Has(uint call) => Locked(line => line.Legs.ContainsKey(call));

        public bool IsHeld(uint call) => Locked(line => line.IsHeld(call));

        public void Consult(Consultation consultation)
        {
            Locked(line => line.Consultation = consultation);
            desk.PhoneChanged?.Invoke(cn);
        }

        public Task<MonitorFrame> SendAsync(Action<IBufferWriter<byte>, string> write) => desk.SendAndAwaitAnswerAsync(write, cancellationToken);

        public Task<DeskOutcome> WaitAsync(Func<Line, bool> proof, uint newCall = 0) => desk.WaitForAsync(cn, proof, newCall, cancellationToken);

        private T Locked<T>(Func<Line, T> read)
        {
            lock (desk._lock)
            {
                return read(desk.LineOf(cn));
            }
        }
    }

    private sealed class Membership(OperatorDesk desk, string cn) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                desk.Leave(cn);
            }
        }
    }

    private sealed class ConnectionGoneException : Exception;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The PBX gave no RCC handle for the operator phone '{Cn}': actions from it fail until the next connection. Is the user visible to the App object?")]
        public static partial void HandleRefused(ILogger logger, string cn);

        [LoggerMessage(2, LogLevel.Information, "Ended the RCC handle of the operator phone '{Cn}': no operator board open for it")]
        public static partial void HandleEnded(ILogger logger, string cn);

        [LoggerMessage(3, LogLevel.Debug, "A request for the operator phone '{Cn}' could not be sent: {Reason}")]
        public static partial void HandleRequestFailed(ILogger logger, string cn, string reason);
    }
}
