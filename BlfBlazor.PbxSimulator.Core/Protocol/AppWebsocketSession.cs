using System.Buffers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// One client's AppWebsocket connection, as the simulated PBX sees it: login, then RCC. Every frame
/// goes through one send queue and one send loop, since a WebSocket allows one SendAsync at a time.
/// Subscribed to the model while open: it is told of every change and writes what its client watches.
/// (Not named after the client's PbxSession: this is the other end of the wire.)
/// </summary>
/// <remarks>
/// What the session watches (<see cref="Subscription"/>, <see cref="Watches"/>) is only touched under
/// the PBX lock: in the model's calls to <see cref="IPbxObserver"/>, and in the steps a request runs
/// with <see cref="SimulatedPbx.Atomically"/>. So a read of the truth and a change of what is watched
/// are one step, and no change falls between them.
/// </remarks>
internal sealed partial class AppWebsocketSession : IPbxObserver, IDisposable
{
    private const int MaxMessageBytes = 1024 * 1024;
    private const int LimitPerTick = 50;
    private static readonly TimeSpan s_closeHandshakeTimeout = TimeSpan.FromSeconds(2);
    private static int s_lastId;

    private readonly WebSocket _socket;
    private readonly SimulatedPbx _pbx;
    private readonly PbxSessions _sessions;
    private readonly SessionSettings _settings;
    private readonly Action _abortConnection;
    private readonly ILogger _logger;
    private readonly Channel<OutboundFrame> _outbox =
        Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true });

    // _abort ends the session at once; _stopSending (linked to it) ends the send loop for a close.
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _stopSending;
    private readonly Lock _stateGate = new();
    private (WebSocketCloseStatus Status, string Description)? _close;
    private WebSocketCloseStatus? _clientClose; // set when the client's close frame came before ours
    private bool _ended;

    // Makes a batch of frames one unit in the send queue (taken after the PBX lock, never before it).
    private readonly Lock _queueGate = new();

    // Frames held back while an operator action runs (see HoldPosts); only touched under the PBX lock.
    private List<byte[]>? _heldPosts;

    private string? _challenge;
    private volatile bool _loggedIn;
    private Task _initialList = Task.CompletedTask;

    public AppWebsocketSession(WebSocket socket, SimulatedPbx pbx, SessionSettings settings, Action abortConnection, ILogger<AppWebsocketSession> logger)
    {
        _socket = socket;
        _pbx = pbx;
        _sessions = PbxSessions.Of(pbx);
        _settings = settings;
        _abortConnection = abortConnection;
        _logger = logger;
        _stopSending = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        Id = Interlocked.Increment(ref s_lastId);
    }

    public int Id { get; }

    public bool IsLoggedIn => _loggedIn;

    /// <summary>Set (under the PBX lock) once RCC Initialize arrived; from then on the session gets live updates.</summary>
    internal RccSubscription? Subscription { get; set; }

    /// <summary>The user monitors and presence subscriptions of this connection (touched under the PBX lock).</summary>
    internal SessionWatches Watches { get; } = new();

    private IPbxFaults Faults => _sessions.Faults;

    /// <summary>Runs until the client closes, the connection breaks, the session is dropped or the host stops.</summary>
    public async Task RunAsync(CancellationToken hostStopping)
    {
        _sessions.Add(this);
        var changes = _pbx.Subscribe(this);
        _pbx.CountConnectionOpened();
        Log.Opened(_logger, Id);
        try
        {
            using var onStopping = hostStopping.Register(() => RequestClose(WebSocketCloseStatus.EndpointUnavailable, "PBX shutting down"));
            var sending = SendLoopAsync();
            try
            {
                await ReceiveLoopAsync();
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                // Dropped, or the close handshake timed out.
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
            {
                // The client went away without a close (Kestrel reports an aborted connection as cancellation).
                Log.ConnectionLost(_logger, Id, ex.Message);
            }

            if (!IsCloseRequested)
            {
                CancelSafely(_abort);
            }

            await sending;
            CancelSafely(_abort);
            await _initialList;
        }
        finally
        {
            // From here on Abort must not touch the HttpContext: the request is about to finish.
            lock (_stateGate)
            {
                _ended = true;
            }

            _outbox.Writer.TryComplete();
            while (_outbox.Reader.TryRead(out var unsent))
            {
                unsent.Sent?.TrySetResult();
            }

            WebSocketCloseStatus? clientClose;
            lock (_stateGate)
            {
                clientClose = _clientClose;
            }

            if (clientClose is { } status)
            {
                _pbx.CountClientClose(status);
            }

            // Handles and subscriptions die with the connection (CALLS.md §1.2): the model stops telling this
            // session and its presence subscriptions leave the count in one step, so no reader sees one without the other.
            _pbx.Atomically(() =>
            {
                changes.Dispose();
                _pbx.CountPresenceSubscriptions(-Watches.PresenceCount);
            });
            if (_sessions.Remove(this))
            {
                _pbx.CountConnectionClosed();
            }

            Log.Closed(_logger, Id, _socket.State);
        }
    }

    /// <summary>Queues a frame the PBX produced (an answer or a live update); dropped while the PBX is stalled.</summary>
    public void Post(byte[] payload)
    {
        if (Faults.IsStalled)
        {
            return;
        }

        if (_heldPosts is { } held)
        {
            held.Add(payload);
            return;
        }

        Queue(new OutboundFrame(payload, WebSocketMessageType.Text));
    }

    /// <summary>
    /// From now on keeps what is posted to this session until <see cref="ReleasePosts"/>: an action's
    /// Result must go out before the frames the action caused, yet it is only known after them. Under the PBX lock only.
    /// </summary>
    private void HoldPosts() => _heldPosts = [];

    /// <summary>Stops holding and returns what was held, for the caller to post after the Result.</summary>
    private List<byte[]> ReleasePosts()
    {
        var held = _heldPosts ?? [];
        _heldPosts = null;
        return held;
    }

    /// <summary>Queues a frame that is held, not dropped, while the PBX is stalled.</summary>
    public void Queue(OutboundFrame frame)
    {
        lock (_queueGate)
        {
            QueueLocked(frame);
        }
    }

    /// <summary>
    /// Queues frames back to back, held (not dropped) while the PBX is stalled: no other frame of
    /// this session can land between them. The task completes once the last one has been sent or the session ended.
    /// </summary>
    public Task QueueBatch(IReadOnlyList<OutboundFrame> frames)
    {
        if (frames.Count == 0)
        {
            return Task.CompletedTask;
        }

        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_queueGate)
        {
            for (var i = 0; i < frames.Count - 1; i++)
            {
                QueueLocked(frames[i]);
            }

            QueueLocked(frames[^1] with { Sent = sent });
        }

        return sent.Task;
    }

    /// <summary>Queues an injected frame; the task completes once it has been sent or the session ended.</summary>
    public Task QueueInjected(ReadOnlyMemory<byte> payload, WebSocketMessageType type)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue(new OutboundFrame(payload, type, sent));
        return sent.Task;
    }

    /// <summary>Cuts the connection without a close handshake.</summary>
    public void Abort()
    {
        // Cancel first so the loops see a drop, not a failure; then cut the TCP connection,
        // unless the request has finished (its HttpContext must not be touched any more).
        CancelSafely(_abort);
        lock (_stateGate)
        {
            if (!_ended)
            {
                _abortConnection();
            }
        }
    }

    public void Dispose()
    {
        _stopSending.Dispose();
        _abort.Dispose();
    }

    private bool IsCloseRequested
    {
        get { lock (_stateGate) { return _close is not null; } }
    }

    /// <summary>Asks the send loop to finish with a close frame; the connection is cut if the client does not answer in time.</summary>
    private void RequestClose(WebSocketCloseStatus status, string description)
    {
        lock (_stateGate)
        {
            if (_close is not null)
            {
                return;
            }

            _close = (status, description);
        }

        try
        {
            _stopSending.Cancel();
            _abort.CancelAfter(s_closeHandshakeTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The session ended meanwhile.
        }
    }

    private void QueueLocked(OutboundFrame frame)
    {
        if (!_outbox.Writer.TryWrite(frame))
        {
            frame.Sent?.TrySetResult();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[4096];
        var message = new ArrayBufferWriter<byte>();
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer.AsMemory(), _abort.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                // The client's close, or its answer to ours; either way the handshake ends with our close frame.
                lock (_stateGate)
                {
                    if (_close is null)
                    {
                        _clientClose = _socket.CloseStatus ?? WebSocketCloseStatus.Empty;
                    }
                }

                RequestClose(WebSocketCloseStatus.NormalClosure, "");
                return;
            }

            if (message.WrittenCount + received.Count > MaxMessageBytes)
            {
                RequestClose(WebSocketCloseStatus.MessageTooBig, "message too big");
                return;
            }

            message.Write(buffer.AsSpan(0, received.Count));
            if (!received.EndOfMessage)
            {
                continue;
            }

            if (received.MessageType == WebSocketMessageType.Text)
            {
                Handle(message.WrittenMemory);
            }

            message.ResetWrittenCount();
        }
    }

    private async Task SendLoopAsync()
    {
        OutboundFrame current = default;
        try
        {
            await foreach (var frame in _outbox.Reader.ReadAllAsync(_stopSending.Token))
            {
                current = frame;
                await Faults.WhenResumedAsync(_stopSending.Token);
                await _socket.SendAsync(frame.Payload, frame.Type, endOfMessage: true, _abort.Token);
                frame.Sent?.TrySetResult();
                current = default;
            }
        }
        catch (OperationCanceledException) when (_stopSending.IsCancellationRequested)
        {
            // A close was requested or the session is being aborted.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            Log.SendFailed(_logger, Id, ex.Message);
            CancelSafely(_abort);
        }
        finally
        {
            current.Sent?.TrySetResult();
        }

        (WebSocketCloseStatus Status, string Description)? close;
        lock (_stateGate)
        {
            close = _close;
        }

        if (close is { } request && !_abort.IsCancellationRequested
            && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await _socket.CloseOutputAsync(request.Status, request.Description, _abort.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                Log.SendFailed(_logger, Id, ex.Message);
            }
        }
    }

    private void Handle(ReadOnlyMemory<byte> frame)
    {
        // A stalled PBX reads but never answers; what arrives meanwhile is lost.
        if (Faults.DiscardsReceivedFrame())
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException)
        {
            Log.InvalidJson(_logger, Id);
            return;
        }

        using (document)
        {
            var message = document.RootElement;
            var mt = message.ValueKind == JsonValueKind.Object ? StringProperty(message, "mt") : null;
            switch (mt)
            {
                case null:
                    Log.Ignored(_logger, Id, "(no mt)");
                    break;
                case "AppChallenge":
                    IssueChallenge();
                    break;
                case "AppLogin":
                    Login(message);
                    break;
                case "KeepAlive":
                    break;
                case var _ when !_loggedIn:
                    Log.IgnoredBeforeLogin(_logger, Id, mt);
                    break;
                case "Initialize" when StringProperty(message, "api") == "RCC":
                    Initialize(message);
                    break;
                case "UserInitialize" when StringProperty(message, "api") == "RCC":
                    MonitorUser(StringProperty(message, "cn"), StringProperty(message, "hw"), Src(message));
                    break;
                case "UserEnd" when StringProperty(message, "api") == "RCC":
                    EndUserMonitor(IntProperty(message, "user") ?? 0, Src(message));
                    break;
                case "Devices" when StringProperty(message, "api") == "RCC":
                    ListDevices(StringProperty(message, "cn"), Src(message));
                    break;
                case "UserCall" when StringProperty(message, "api") == "RCC":
                    CallFrom(IntProperty(message, "user") ?? 0, Dialled(message), BoolProperty(message, "ftyNoCF"), Src(message));
                    break;
                case "UserPickup" when StringProperty(message, "api") == "RCC":
                    PickupFor(IntProperty(message, "user") ?? 0, StringProperty(message, "cn"), IntProperty(message, "call") ?? 0, Src(message));
                    break;
                case "UserRedirect" or "UserReroute" when StringProperty(message, "api") == "RCC":
                    Redirect(mt, IntProperty(message, "call") ?? 0, Dialled(message), Src(message));
                    break;
                case "UserHold" or "UserRetrieve" when StringProperty(message, "api") == "RCC":
                    HoldFor(mt, IntProperty(message, "call") ?? 0, held: mt == "UserHold", Src(message));
                    break;
                case "UserTransfer" when StringProperty(message, "api") == "RCC":
                    TransferFor(IntProperty(message, "a") ?? 0, IntProperty(message, "b") ?? 0, Src(message));
                    break;
                case "UserConnect" when StringProperty(message, "api") == "RCC":
                    ConnectFor(IntProperty(message, "call") ?? 0, Src(message));
                    break;
                case "UserClear" when StringProperty(message, "api") == "RCC":
                    ClearFor(IntProperty(message, "call") ?? 0, IntProperty(message, "cause"), Src(message));
                    break;
                case "SubscribePresence" when StringProperty(message, "api") == "PbxApi":
                    SubscribePresence(StringProperty(message, "sip"), StringProperty(message, "num"), Src(message));
                    break;
                case "UnsubscribePresence" when StringProperty(message, "api") == "PbxApi":
                    UnsubscribePresence(StringProperty(message, "sip"), StringProperty(message, "num"), Src(message));
                    break;
                case "SetPresence" when StringProperty(message, "api") == "PbxApi":
                    SetPresenceFor(message, Src(message));
                    break;
                case "AddDiversion" or "DelDiversion" when StringProperty(message, "api") == "PbxApi" && _pbx.Variants.PbxVersion == PbxVersion.V14r1:
                    ChangeDiversion(mt, message, Src(message));
                    break;
                case "GetDiversion" when StringProperty(message, "api") == "PbxApi" && _pbx.Variants.PbxVersion == PbxVersion.V14r1:
                    GetDiversion(message, Src(message));
                    break;
                case "AppNotify" when StringProperty(message, "api") == "PbxApi" && _pbx.Variants.PbxVersion == PbxVersion.V14r1:
                    AppNotify(message, Src(message));
                    break;
                case "ReplicateStart" when StringProperty(message, "api") == "PbxTableUsers":
                    StartReplication(message, Src(message));
                    break;
                case "ReplicateNext" when StringProperty(message, "api") == "PbxTableUsers":
                    PageReplication();
                    break;
                default:
                    AnswerUnknown(StringProperty(message, "api"), mt, Src(message));
                    break;
            }

            // After the PBX acted on it, so a test that awaits the request finds its effect done.
            if (_loggedIn && mt is not null && StringProperty(message, "api") is "RCC" or "PbxApi" or "PbxTableUsers")
            {
                _pbx.RecordRequest(new RccRequest(Id, mt, message.Clone()));
            }
        }
    }

    /// <summary>A request this PBX does not know, after the login: answered as <see cref="ProtocolVariants.UnknownMt"/> says.</summary>
    private void AnswerUnknown(string? api, string mt, JsonElement? src)
    {
        Log.Ignored(_logger, Id, mt);
        switch (_pbx.Variants.UnknownMt)
        {
            case UnknownMtAnswer.Error:
                Post(PbxMessages.UnknownMt(api, mt, src));
                break;
            case UnknownMtAnswer.Close:
                RequestClose(WebSocketCloseStatus.PolicyViolation, "unknown message");
                break;
        }
    }

    private void IssueChallenge()
    {
        // Fresh for every request; only the latest one counts, and only for one AppLogin.
        _challenge = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        Post(PbxMessages.ChallengeResult(_challenge));
    }

    private void Login(JsonElement appLogin)
    {
        var app = StringProperty(appLogin, "app") ?? "";
        if (_loggedIn)
        {
            Log.Ignored(_logger, Id, "AppLogin (already logged in)");
            return;
        }

        var challenge = _challenge;
        _challenge = null;

        if (Faults.RefusesLogin(out var forcedAnswer))
        {
            _pbx.CountLogin(succeeded: false);
            Log.LoginRefusedByFault(_logger, Id, app);
            if (forcedAnswer is null)
            {
                RequestClose(WebSocketCloseStatus.NormalClosure, "login refused");
            }
            else
            {
                Post(forcedAnswer);
            }

            return;
        }

        var refusal = challenge is null ? "no challenge was issued"
            : !string.Equals(app, _settings.App, StringComparison.Ordinal) ? "unknown app"
            : !DigestMatches(appLogin, challenge) ? "wrong digest"
            : null;
        if (refusal is not null)
        {
            _pbx.CountLogin(succeeded: false);
            Log.LoginRefused(_logger, Id, app, refusal);
            Post(PbxMessages.LoginRefused());
            return;
        }

        _loggedIn = true;
        _pbx.CountLogin(succeeded: true);
        Log.LoggedIn(_logger, Id, app);
        Post(PbxMessages.LoginAccepted());
    }

    private bool DigestMatches(JsonElement appLogin, string challenge)
    {
        try
        {
            return LoginDigest.Matches(appLogin, challenge, _settings.Secret);
        }
        catch (InvalidOperationException)
        {
            // A string the client sent cannot be read back as text (e.g. a lone surrogate escape).
            return false;
        }
    }

    private void Initialize(JsonElement initialize)
    {
        if (Subscription is not null)
        {
            Log.Ignored(_logger, Id, "Initialize (already initialized)");
            return;
        }

        var src = Src(initialize);
        var calls = initialize.TryGetProperty("calls", out var callsValue) && callsValue.ValueKind == JsonValueKind.True;
        int? limit = initialize.TryGetProperty("limit", out var limitValue) && limitValue.ValueKind == JsonValueKind.Number
            && limitValue.TryGetInt32(out var requested) ? requested : null;
        var batchSize = Math.Clamp(Math.Min(limit ?? LimitPerTick, _settings.InitialBatchSize), 1, LimitPerTick);

        var guids = StartUserList(new RccSubscription(src, calls));
        Log.Initialized(_logger, Id, guids.Count, batchSize);
        _initialList = SendInitialListAsync(guids, batchSize);
    }

    private async Task SendInitialListAsync(IReadOnlyList<string> guids, int batchSize)
    {
        var position = 0;
        try
        {
            while (true)
            {
                await Faults.WhenResumedAsync(_abort.Token);
                (position, var finished) = QueueInitialBatch(guids, position, batchSize);
                if (finished)
                {
                    return;
                }

                await Task.Delay(_settings.InitialBatchInterval, _pbx.TimeProvider, _abort.Token);
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // The session ended before the list was complete.
        }
    }

    /// <summary>The destination of a UserCall or UserRedirect: whichever of cn, h323 and e164 the request has.</summary>
    private static DialledParty Dialled(JsonElement message) =>
        new(StringProperty(message, "cn"), StringProperty(message, "h323"), StringProperty(message, "e164"));

    /// <summary>The request's src, kept to be echoed; null when absent.</summary>
    private static JsonElement? Src(JsonElement message) =>
        message.TryGetProperty("src", out var tag) && tag.ValueKind != JsonValueKind.Null ? tag.Clone() : null;

    /// <summary>An integer sent as a number or, as working clients do, as a string (CALLS.md §1.4).</summary>
    private static int? IntProperty(JsonElement message, string name) =>
        !message.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;

    /// <summary>True for <c>true</c>, or the string "true" as loose clients send it (CALLS.md §1.4).</summary>
    private static bool BoolProperty(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value)
        && (value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), "true", StringComparison.OrdinalIgnoreCase)));

    private static string? StringProperty(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void CancelSafely(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already over.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Session {Session} opened")]
        public static partial void Opened(ILogger logger, int session);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Session {Session} ended (socket {State})")]
        public static partial void Closed(ILogger logger, int session, WebSocketState state);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Session {Session} lost its connection: {Reason}")]
        public static partial void ConnectionLost(ILogger logger, int session, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Session {Session} could not send: {Reason}")]
        public static partial void SendFailed(ILogger logger, int session, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Session {Session} ignored a frame that is not valid JSON")]
        public static partial void InvalidJson(ILogger logger, int session);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Session {Session} ignored {Mt}")]
        public static partial void Ignored(ILogger logger, int session, string mt);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Session {Session} ignored {Mt} before login")]
        public static partial void IgnoredBeforeLogin(ILogger logger, int session, string mt);

        [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session} logged in as app {App}")]
        public static partial void LoggedIn(ILogger logger, int session, string app);

        [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session} login of app {App} refused: {Reason}")]
        public static partial void LoginRefused(ILogger logger, int session, string app, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session} login of app {App} refused by an injected fault")]
        public static partial void LoginRefusedByFault(ILogger logger, int session, string app);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Session {Session} initialized RCC: {Count} users, {BatchSize} per tick")]
        public static partial void Initialized(ILogger logger, int session, int count, int batchSize);
    }
}
