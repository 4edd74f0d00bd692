using System.Buffers;
using System.Diagnostics;
using BlfBlazor.Diagnostics;
using System.Net.WebSockets;
using BlfBlazor.State;

namespace BlfBlazor.Pbx;

/// <summary>
/// One WebSocket connection to the PBX, from connect to close: AppChallenge → AppLogin →
/// RCC Initialize, then every <c>UserInfo</c> as a typed change into the state, through the
/// <see cref="IPbxStateWriter"/> (never read back).
/// <see cref="PbxConnection"/> makes a new one for every attempt.
/// </summary>
internal sealed partial class PbxSession(
    PbxTarget target,
    PbxOptions options,
    IPbxStateWriter state,
    PrivacyOptions privacy,
    BlfMetrics metrics,
    OperatorDesk desk,
    TimeProvider timeProvider,
    ILogger logger) : IDisposable
{
    private static readonly TimeSpan s_closeGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_dropLogInterval = TimeSpan.FromSeconds(10);

    private readonly LogThrottle _dropLog = new(timeProvider, s_dropLogInterval);

    private readonly ArrayBufferWriter<byte> _sendBuffer = new(512);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private SessionPhase _phase;
    private long _initializeStarted;
    private RccUserList? _userList;
    private ClientWebSocket? _socket;
    private IUserMonitor? _calls;
    private PresenceFeed? _presence;
    private OperatorDesk.IOperatorDeskLink? _desk;
    private readonly Lock _reportLock = new();
    private MonitoringStatus? _reported;
    private Activity? _sessionSpan;
    private Activity? _loginSpan;
    private Activity? _initialListSpan;

    private enum SessionPhase
    {
        Connecting,
        AwaitingChallenge,
        AwaitingLogin,
        LoggedIn,
    }

    /// <summary>True once the PBX accepted the login (the backoff starts over after such a session).</summary>
    public bool LoggedIn => _phase == SessionPhase.LoggedIn;

    /// <summary>
    /// Runs until the PBX closes the connection (returns), the connection fails or the login is
    /// refused (throws), or <paramref name="stoppingToken"/> fires (closes politely, then throws
    /// <see cref="OperationCanceledException"/>).
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var socket = new ClientWebSocket();
        _socket = socket;
        socket.Options.KeepAliveInterval = options.KeepAliveInterval;
        socket.Options.KeepAliveTimeout = options.KeepAliveTimeout;
        var certificatePolicy = new PbxCertificatePolicy(options.CertificateThumbprint);
        socket.Options.RemoteCertificateValidationCallback = certificatePolicy.Validate;

        Log.Connecting(logger, target.Url);
        _sessionSpan = PbxTracing.Source.StartActivity("pbx.session", ActivityKind.Client);
        _sessionSpan?.SetTag("server.address", target.Url.Host);
        _sessionSpan?.SetTag("server.port", target.Url.Port);
        using (PbxTracing.Source.StartActivity("pbx.connect", ActivityKind.Client))
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            connectTimeout.CancelAfter(options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(target.Url, connectTimeout.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No WebSocket connection to {target.Url} within {options.ConnectTimeout.TotalSeconds:0} s.");
            }
            catch (WebSocketException ex) when (certificatePolicy.Refusal is { } refusal)
            {
                throw new PbxCertificateException(refusal, ex);
            }
        }

        // Cancelling a receive aborts the socket, so a stop first closes politely and only
        // cancels the receive if the PBX does not answer the close in time.
        using var hardStop = new CancellationTokenSource();
        using var registration = stoppingToken.Register(() => _ = CloseAsync(socket, hardStop));

        _phase = SessionPhase.AwaitingChallenge;
        _loginSpan = PbxTracing.Source.StartActivity("pbx.login", ActivityKind.Client);
        await SendAsync(socket, PbxRequests.WriteAppChallenge, hardStop.Token);
        await ReceiveLoopAsync(socket, hardStop.Token);
        stoppingToken.ThrowIfCancellationRequested();

        if (_phase == SessionPhase.AwaitingLogin)
        {
            throw new PbxLoginRefusedException("the PBX closed the connection instead of answering the login");
        }

        Log.ClosedByPbx(logger, socket.CloseStatus, socket.CloseStatusDescription);
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var maxFrame = options.MaxFrameBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(16 * 1024, maxFrame));
        try
        {
            while (true)
            {
                var length = 0;
                var tooLarge = false;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (tooLarge || buffer.Length >= maxFrame)
                        {
                            // Oversized: keep reading the rest into the same space and throw it away.
                            tooLarge = true;
                            length = 0;
                        }
                        else
                        {
                            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxFrame));
                            buffer.AsSpan(0, length).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (socket.State == WebSocketState.CloseReceived)
                        {
                            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                        }

                        return;
                    }

                    length += result.Count;
                    if (length > maxFrame)
                    {
                        tooLarge = true;
                        length = 0;
                    }
                }
                while (!result.EndOfMessage);

                metrics.FrameReceived();
                if (tooLarge)
                {
                    FrameDropped("oversized", $"frame larger than Pbx:MaxFrameBytes ({maxFrame} bytes)");
                }
                else if (result.MessageType == WebSocketMessageType.Binary)
                {
                    FrameDropped("binary", "binary frame");
                }
                else
                {
                    await HandleFrameAsync(socket, buffer.AsSpan(0, length), cancellationToken);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ValueTask HandleFrameAsync(ClientWebSocket socket, ReadOnlySpan<byte> utf8, CancellationToken cancellationToken)
    {
        if (!PbxFrameReader.TryRead(utf8, _userList, out var frame, out var error))
        {
            FrameDropped("malformed", error!);
            return ValueTask.CompletedTask;
        }

        switch (frame.Type)
        {
            case PbxMessageType.UserInfo or PbxMessageType.InitializeResult when _userList is not null:
                var wasComplete = _userList.IsComplete;
                if (_userList.TryApply(frame) && !wasComplete && _userList.IsComplete)
                {
                    Log.Live(logger, _userList.InitialCount, timeProvider.GetElapsedTime(_initializeStarted).TotalMilliseconds);
                    _initialListSpan?.SetTag("blf.users", _userList.InitialCount);
                    _initialListSpan?.Stop();
                }

                return frame.Type == PbxMessageType.UserInfo && (_calls is not null || _presence is not null)
                    ? TellMonitorsAsync(frame, cancellationToken)
                    : ValueTask.CompletedTask;

            case var type when type.IsMonitorMessage():
                var monitor = type.IsPresenceMessage() ? (IUserMonitor?)_presence : _calls;
                if (monitor is null && _desk is null)
                {
                    return ValueTask.CompletedTask;
                }

                if (!MonitorFrameReader.TryRead(utf8, frame.Type, out var monitorFrame, out var monitorError))
                {
                    FrameDropped("malformed", monitorError!);
                    return ValueTask.CompletedTask;
                }

                // Operators' own handles and actions first: their CallInfos are not the board's feed.
                if (_desk?.TryHandle(monitorFrame) == true)
                {
                    return ValueTask.CompletedTask;
                }

                if (monitor is null || type == PbxMessageType.ActionResult)
                {
                    FrameDropped("unmatched", $"{type} nobody waits for");
                    return ValueTask.CompletedTask;
                }

                return HandleMonitorFrameAsync(monitor, monitorFrame, cancellationToken);

            case PbxMessageType.AppChallengeResult when _phase == SessionPhase.AwaitingChallenge:
                _phase = SessionPhase.AwaitingLogin;
                var challenge = frame.Challenge!;
                return SendAsync(socket, output => PbxRequests.WriteAppLogin(output, target, challenge), cancellationToken);

            case PbxMessageType.AppLoginResult when _phase == SessionPhase.AwaitingLogin:
                if (!frame.LoginOk)
                {
                    throw new PbxLoginRefusedException(frame.LoginError is { Length: > 0 } reason
                        ? $"the PBX answered: {reason}"
                        : "the PBX did not answer ok:true");
                }

                _phase = SessionPhase.LoggedIn;
                _loginSpan?.Stop();
                _initialListSpan = PbxTracing.Source.StartActivity("pbx.initial_list", ActivityKind.Client, _sessionSpan?.Context ?? default);
                _initializeStarted = timeProvider.GetTimestamp();
                Log.LoggedIn(logger, target.App);
                _userList = new RccUserList(state);
                _userList.Begin();
                StartMonitors();
                var wholePbx = options.CallFeed == CallFeed.WholePbx;
                return StartAsync(socket, wholePbx, cancellationToken);

            case PbxMessageType.Other:
                return ValueTask.CompletedTask;

            default:
                FrameDropped("out-of-turn", $"{frame.Type} out of turn");
                return ValueTask.CompletedTask;
        }
    }

    private async ValueTask StartAsync(ClientWebSocket socket, bool wholePbx, CancellationToken cancellationToken)
    {
        await SendAsync(socket, output => PbxRequests.WriteInitialize(output, wholePbx), cancellationToken);
        await _desk!.StartAsync(cancellationToken);
    }

    /// <summary>The monitors of this connection: its handles and subscriptions die with it.</summary>
    private void StartMonitors()
    {
        var legs = new CallLegs(privacy, timeProvider);
        PbxSend send = (write, cancellationToken) => SendAsync(_socket!, write, cancellationToken);
        _desk = desk.Attach(send);
        _calls = options.CallFeed switch
        {
            CallFeed.PerUser => new PerUserCallFeed(state, legs, options.MaxMonitoredUsers, send),
            CallFeed.WholePbx => new WholePbxCallFeed(state, legs, _userList!),
            _ => null,
        };
        if (privacy.Presence != PresenceDetails.Off)
        {
            _presence = new PresenceFeed(state, privacy, options.MaxPresenceSubscriptions, options.PresenceAnswerTimeout, timeProvider, send);
            _presence.Refused += () =>
            {
                Log.PresenceRefused(logger);
                ReportMonitoring();
            };
        }

        ReportMonitoring();
    }

    private async ValueTask TellMonitorsAsync(PbxFrame frame, CancellationToken cancellationToken)
    {
        await TellAsync(_calls);
        await TellAsync(_presence);
        ReportMonitoring();

        ValueTask TellAsync(IUserMonitor? monitor) =>
            monitor is null ? ValueTask.CompletedTask
            : frame.IsDelete ? monitor.UserDeletedAsync(frame.Guid!, cancellationToken)
            : monitor.UserListedAsync(frame.User!, cancellationToken);
    }

    private async ValueTask HandleMonitorFrameAsync(IUserMonitor monitor, MonitorFrame frame, CancellationToken cancellationToken)
    {
        if (await monitor.HandleAsync(frame, cancellationToken) is { } dropped)
        {
            FrameDropped("unmatched", dropped);
        }

        ReportMonitoring();
    }

    /// <summary>Tells <c>/healthz</c> what is monitored, when that changed; a cap or refusal is logged once.</summary>
    private void ReportMonitoring()
    {
        // The receive loop and the presence refusal timer both report; one at a time.
        lock (_reportLock)
        {
            ReportMonitoringLocked();
        }
    }

    private void ReportMonitoringLocked()
    {
        var problem = _calls?.Problem ?? _presence?.Problem;
        var monitored = _calls?.Monitored ?? 0;
        var presence = _presence is null ? "off" : _presence.IsRefused ? "refused" : "on";
        var subscribed = _presence?.Monitored ?? 0;
        var previous = _reported;

        // Runs for every UserInfo: compare before allocating anything.
        if (previous is not null && previous.Monitored == monitored && previous.Subscribed == subscribed
            && previous.Presence == presence && previous.Problem == problem)
        {
            return;
        }

        var monitoring = new MonitoringStatus(options.CallFeed.ToString(), monitored, presence, subscribed, problem);

        if (problem is not null && problem != previous?.Problem)
        {
            Log.MonitoringLimited(logger, problem);
        }

        _reported = monitoring;
        state.ReportMonitoring(monitoring);
    }

    private async ValueTask SendAsync(ClientWebSocket socket, Action<IBufferWriter<byte>> write, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            _sendBuffer.ResetWrittenCount();
            write(_sendBuffer);
            await socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            // The login message holds the digest; clear it rather than leave it in a reused buffer.
            _sendBuffer.Clear();
            _sendLock.Release();
        }
    }

    private async Task CloseAsync(ClientWebSocket socket, CancellationTokenSource hardStop)
    {
        hardStop.CancelAfter(s_closeGrace);
        try
        {
            await _sendLock.WaitAsync(hardStop.Token);
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "BlfBlazor is stopping", hardStop.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is going away either way.
        }
    }

    /// <summary>Logs dropped frames at most once per interval, so a flood cannot flood the log.</summary>
    private void FrameDropped(string kind, string reason)
    {
        metrics.FrameDropped(kind);
        if (_dropLog.ShouldLog(out var suppressed))
        {
            Log.FrameDropped(logger, reason, suppressed);
        }
    }

    public void Dispose()
    {
        // Pending operator actions learn now that their connection is gone.
        _desk?.Dispose();

        // A session that ended early leaves its open spans marked, so a trace shows where it stopped.
        foreach (var span in (ReadOnlySpan<Activity?>)[_loginSpan, _initialListSpan])
        {
            if (span is { IsStopped: false })
            {
                span.SetStatus(ActivityStatusCode.Error, "the connection ended here");
                span.Stop();
            }
        }

        _sessionSpan?.Stop();
        _presence?.Dispose();
        _sendLock.Dispose();

        // Handles and subscriptions die with the socket: /healthz must not claim them any longer.
        if (_reported is { } reported)
        {
            state.ReportMonitoring(reported with { Monitored = 0, Subscribed = 0 });
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Connecting to the PBX at {Url}")]
        public static partial void Connecting(ILogger logger, Uri url);

        [LoggerMessage(2, LogLevel.Information, "Logged in to the PBX as app '{App}'; requesting the user list")]
        public static partial void LoggedIn(ILogger logger, string app);

        [LoggerMessage(3, LogLevel.Information, "Live: {Count} UserInfo messages until InitializeResult, {ElapsedMs:0} ms after login")]
        public static partial void Live(ILogger logger, int count, double elapsedMs);

        [LoggerMessage(4, LogLevel.Warning, "Dropped a PBX frame: {Reason} ({Suppressed} more dropped since the last such message)")]
        public static partial void FrameDropped(ILogger logger, string reason, int suppressed);

        [LoggerMessage(6, LogLevel.Warning, "The PBX did not answer the presence subscriptions: presence stays off until the next connection. Grant the App object the PbxApi right")]
        public static partial void PresenceRefused(ILogger logger);

        [LoggerMessage(7, LogLevel.Warning, "{Problem}")]
        public static partial void MonitoringLimited(ILogger logger, string problem);

        [LoggerMessage(5, LogLevel.Information, "The PBX closed the connection ({Status} {Description})")]
        public static partial void ClosedByPbx(ILogger logger, WebSocketCloseStatus? status, string? description);
    }
}
