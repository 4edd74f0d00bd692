using System.Buffers;
using BlfBlazor.Pbx;
using BlfBlazor.Pbx.Rcc;
using BlfBlazor.State;

namespace BlfBlazor.Operators;

/// <summary>
/// The PBX side of operator actions: one RCC <c>UserInitialize</c> handle per operator's phone on the
/// live connection (the PBX does not know who clicked; everything goes through that handle), the
/// <c>User*</c> requests, and the proof that they worked: a request is done only when the
/// <c>CallInfo</c> that shows it arrives on the handle, never on its <c>…Result</c> alone. A colleague's
/// presence and forwarding (PbxApi) are set on the same connection and proven by the directory.
/// </summary>
/// <remarks>
/// A singleton that outlives connections: each logged-in connection attaches (<see cref="Attach"/>) and
/// the handles die with it; on the next connection every phone with an open board gets one again.
/// Thread-safe: boards call in from their circuits, the session feeds frames from its receive loop.
/// </remarks>
internal sealed partial class OperatorDesk : IRccCallControl
{
    private const string HandleSrcPrefix = "o:";
    private const string ActionSrcPrefix = "a:";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Line> _lines = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TaskCompletionSource<PbxMessage?>> _answers = new(StringComparer.Ordinal);
    private readonly CallLegs _legs;
    private readonly UserDirectory _directory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<OperatorDesk> _logger;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _linger;
    private Link? _link;
    private long _nextSrc;

    internal OperatorDesk(TimeSpan actionTimeout, TimeSpan handleLinger, UserDirectory directory, TimeProvider timeProvider, ILogger<OperatorDesk> logger)
    {
        _timeout = actionTimeout;
        _linger = handleLinger;
        _directory = directory;
        _timeProvider = timeProvider;
        _logger = logger;
        _legs = new CallLegs(new PrivacyOptions { CallDetails = CallDetails.Full }, timeProvider);
    }

    /// <summary>Where the desk notes the calls it asks a phone to make, so their first ring counts as no missed call.</summary>
    public OwnDials? OwnDials { get; init; }

    /// <summary>Raised (with the phone's cn) whenever a phone's calls or readiness change.</summary>
    public event Action<string>? PhoneChanged;

    /// <summary>Raised when what the PBX offers changed (<see cref="CanSetForwarding"/>).</summary>
    public event Action? CapabilitiesChanged;

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
            await link.Send(w => RccRequests.WriteUserInitialize(w, cn, HandleSrcPrefix + cn), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The session is going away: Detach fails whoever waits for this handle.
            Log.HandleRequestFailed(_logger, cn, ex.Message);
        }
    }

    private async Task<PbxMessage> SendAndAwaitAnswerAsync(Action<IBufferWriter<byte>, string> write, Action sending, CancellationToken cancellationToken)
    {
        var src = ActionSrcPrefix + Interlocked.Increment(ref _nextSrc).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<PbxMessage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Link link;
        lock (_lock)
        {
            link = _link ?? throw new ConnectionGoneException();
            _answers[src] = answer;
        }

        try
        {
            sending();
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
            _ = link.Send(w => RccRequests.WriteUserEnd(w, handle), CancellationToken.None).AsTask()
                .ContinueWith(t => Log.HandleRequestFailed(_logger, cn, t.Exception!.GetBaseException().Message), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>A logged-in session offers its socket; the desk asks for a handle for every phone with an open board.</summary>
    public IRccCallControlLink Attach(PbxSend send)
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
        string? closedOnProbe;
        lock (_lock)
        {
            if (_link != link)
            {
                return;
            }

            _link = null;
            closedOnProbe = link.Probing;
            if (closedOnProbe is not null)
            {
                _closedOnProbe.Add(closedOnProbe);
            }

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

        if (closedOnProbe is not null)
        {
            Log.ProbeClosed(_logger, closedOnProbe);
        }

        // Outside the lock: whoever waits on the directory for proof learns the connection is gone.
        link.Close();
        foreach (var cn in changed)
        {
            PhoneChanged?.Invoke(cn);
        }

        CapabilitiesChanged?.Invoke();
    }

    /// <summary>Takes the frames that belong to operators' handles and actions; false for everything else.</summary>
    private bool TryHandle(Link link, in PbxMessage frame)
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
                        line.Handle = frame.UserHandle;
                        if (frame.UserHandle != 0)
                        {
                            link.Handles[frame.UserHandle] = cn;
                            Volatile.Write(ref link.HandleCount, link.Handles.Count);
                        }
                        else
                        {
                            Log.HandleRefused(_logger, cn);
                            line.HandleRequested = false;
                        }

                        line.HandleWaiter?.TrySetResult(frame.UserHandle);
                        line.HandleWaiter = null;
                        changed = cn;
                    }

                    break;

                case PbxMessageType.CallInfo when link.Handles.TryGetValue(frame.UserHandle, out var owner):
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

    private void Apply(Line line, in PbxMessage frame)
    {
        if (frame.EndsLeg)
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

            var bits = frame.State is { } sent ? new CallStateBits(sent) : previous!.Bits;
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

    private sealed class Link(OperatorDesk desk, PbxSend send) : IRccCallControlLink
    {
        public PbxSend Send { get; } = send;

        /// <summary>Changed under the desk's lock only.</summary>
        public Dictionary<uint, string> Handles { get; } = [];

        /// <summary><see cref="Handles"/>' count, readable without the lock: no handle, no CallInfo of the desk's.</summary>
        public int HandleCount;

        public List<string> Wanted { get; set; } = [];

        /// <summary>Whether this connection's PBX lets the board set diversions; null until the probe answered.</summary>
        public bool? Diversions { get; set; }

        /// <summary>The PBX asked whether it has diversions, while the answer is awaited; null otherwise.</summary>
        public string? Probing { get; set; }

        /// <summary>Cancelled when the connection is gone: whoever waits on the directory for proof stops.</summary>
        public CancellationToken Closed => _closed.Token;

        private readonly CancellationTokenSource _closed = new();

        public async ValueTask StartAsync(CancellationToken cancellationToken)
        {
            foreach (var cn in Wanted)
            {
                await Send(w => RccRequests.WriteUserInitialize(w, cn, HandleSrcPrefix + cn), cancellationToken);
            }
        }

        public ValueTask LiveAsync(CancellationToken cancellationToken)
        {
            // Not awaited: the answer comes in on the very loop that calls this.
            _ = desk.ProbeDiversionsAsync(this);
            return ValueTask.CompletedTask;
        }

        public void Close() => _closed.Cancel();

        public bool Owns(string src) =>
            src.StartsWith(HandleSrcPrefix, StringComparison.Ordinal) || src.StartsWith(ActionSrcPrefix, StringComparison.Ordinal);

        public bool TryHandle(in PbxMessage message) => desk.TryHandle(this, message);

        public void Dispose() => desk.Detach(this);
    }

    private sealed record KnownLeg(CallStateBits Bits, CallLeg Leg, string? Cause);

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

        public bool IsHeld(uint call) => Legs.TryGetValue(call, out var leg) && leg.Bits.HeldByUser;

        public OperatorPhone Shown(string cn)
        {
            var calls = Legs.Select(l => new OperatorCall(l.Key, l.Value.Leg, l.Value.Bits.HeldByUser))
                .OrderBy(c => c.Leg.SinceUnixMs).ToArray();
            return new OperatorPhone(cn, Handle != 0, calls, Consultation);
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

        [LoggerMessage(4, LogLevel.Information, "The PBX {Pbx} lets operators set forwarding: {Supported}")]
        public static partial void DiversionsProbed(ILogger logger, string pbx, bool supported);

        [LoggerMessage(5, LogLevel.Warning, "The connection to the PBX {Pbx} closed while the board asked whether it has diversions (GetDiversion): operators cannot set forwarding there until the board restarts")]
        public static partial void ProbeClosed(ILogger logger, string pbx);
    }
}
