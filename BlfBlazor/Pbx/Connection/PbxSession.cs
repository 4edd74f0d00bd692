using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using BlfBlazor.Diagnostics;

namespace BlfBlazor.Pbx.Connection;

/// <summary>
/// One WebSocket connection to the PBX, from connect to close: the socket, its framing and the
/// login (AppChallenge → AppLogin). Each frame is read once into a <see cref="PbxMessage"/>; after the
/// login every message goes to the connection's <see cref="PbxDispatcher"/>, which the session starts
/// and otherwise does not look into. <see cref="PbxConnection"/> makes a new session for every attempt.
/// </summary>
/// <param name="startDispatcher">Makes the connection's dispatcher once the PBX accepted the login.</param>
internal sealed partial class PbxSession(
    PbxTarget target,
    PbxOptions options,
    Func<PbxSend, ActivityContext, PbxDispatcher> startDispatcher,
    BlfMetrics metrics,
    TimeProvider timeProvider,
    ILogger logger) : IDisposable
{
    private static readonly TimeSpan s_closeGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_dropLogInterval = TimeSpan.FromSeconds(10);

    private readonly LogThrottle _dropLog = new(timeProvider, s_dropLogInterval);

    private PbxFrameSender? _sender;
    private SessionPhase _phase;
    private PbxDispatcher? _dispatcher;
    private Activity? _sessionSpan;
    private Activity? _loginSpan;

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
        _sender = new PbxFrameSender((frame, token) => socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, token), hardStop.Token);
        using var registration = stoppingToken.Register(() => _ = CloseAsync(socket, hardStop));

        _phase = SessionPhase.AwaitingChallenge;
        _loginSpan = PbxTracing.Source.StartActivity("pbx.login", ActivityKind.Client);
        await _sender.SendAsync(LoginRequests.WriteAppChallenge, hardStop.Token);
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
                    await HandleFrameAsync(buffer.AsSpan(0, length), cancellationToken);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ValueTask HandleFrameAsync(ReadOnlySpan<byte> utf8, CancellationToken cancellationToken)
    {
        if (!PbxMessageReader.TryRead(utf8, _dispatcher?.KnownUsers, out var message, out var error))
        {
            FrameDropped("malformed", error!);
            return ValueTask.CompletedTask;
        }

        if (_dispatcher is not null && message.Api != PbxApiName.None)
        {
            return DispatchAsync(_dispatcher, message, cancellationToken);
        }

        switch (message.Type)
        {
            case PbxMessageType.AppChallengeResult when _phase == SessionPhase.AwaitingChallenge:
                _phase = SessionPhase.AwaitingLogin;
                var challenge = message.Challenge!;
                return _sender!.SendAsync(output => LoginRequests.WriteAppLogin(output, target, challenge), cancellationToken);

            case PbxMessageType.AppLoginResult when _phase == SessionPhase.AwaitingLogin:
                if (!message.LoginOk)
                {
                    throw new PbxLoginRefusedException(message.LoginError is { Length: > 0 } reason
                        ? $"the PBX answered: {reason}"
                        : "the PBX did not answer ok:true");
                }

                _phase = SessionPhase.LoggedIn;
                _loginSpan?.Stop();
                Log.LoggedIn(logger, target.App);
                _dispatcher = startDispatcher(_sender!.SendAsync, _sessionSpan?.Context ?? default);
                return _dispatcher.StartAsync(cancellationToken);

            case PbxMessageType.Other:
                return ValueTask.CompletedTask;

            default:
                FrameDropped("out-of-turn", $"{message.Type} out of turn");
                return ValueTask.CompletedTask;
        }
    }

    private async ValueTask DispatchAsync(PbxDispatcher dispatcher, PbxMessage message, CancellationToken cancellationToken)
    {
        if (await dispatcher.DispatchAsync(message, cancellationToken) is { } dropped)
        {
            FrameDropped("unmatched", dropped);
        }
    }

    private async Task CloseAsync(ClientWebSocket socket, CancellationTokenSource hardStop)
    {
        hardStop.CancelAfter(s_closeGrace);
        try
        {
            await _sender!.LastAsync(
                async () =>
                {
                    if (socket.State == WebSocketState.Open)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "BlfBlazor is stopping", hardStop.Token);
                    }
                },
                hardStop.Token);
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
        // The connection's monitors and call controls end with it.
        _dispatcher?.Dispose();

        // A session that ended early leaves its open span marked, so a trace shows where it stopped.
        if (_loginSpan is { IsStopped: false })
        {
            _loginSpan.SetStatus(ActivityStatusCode.Error, "the connection ended here");
            _loginSpan.Stop();
        }

        _sessionSpan?.Stop();
        _sender?.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Connecting to the PBX at {Url}")]
        public static partial void Connecting(ILogger logger, Uri url);

        [LoggerMessage(2, LogLevel.Information, "Logged in to the PBX as app '{App}'; requesting the user list")]
        public static partial void LoggedIn(ILogger logger, string app);

        [LoggerMessage(4, LogLevel.Warning, "Dropped a PBX frame: {Reason} ({Suppressed} more dropped since the last such message)")]
        public static partial void FrameDropped(ILogger logger, string reason, int suppressed);

        [LoggerMessage(5, LogLevel.Information, "The PBX closed the connection ({Status} {Description})")]
        public static partial void ClosedByPbx(ILogger logger, WebSocketCloseStatus? status, string? description);
    }
}
