using System.Diagnostics;
using BlfBlazor.Diagnostics;
using BlfBlazor.Pbx.PbxApi;
using BlfBlazor.Pbx.Rcc;
using BlfBlazor.Pbx.TableUsers;
using BlfBlazor.State;

namespace BlfBlazor.Pbx.Connection;

/// <summary>
/// One logged-in connection's PBX APIs: hands each message, read once by the session, to the client of
/// its API (<see cref="RccClient"/> for RCC, <see cref="PresenceFeed"/> for PbxApi, <see cref="UserTableFeed"/>
/// for PbxTableUsers), tells every client
/// which users the list has, and reports to <c>/healthz</c> what is monitored. A plain class: it has no
/// socket, only a <see cref="PbxSend"/>, so tests drive it exactly as the session does.
/// </summary>
internal sealed partial class PbxDispatcher : IDisposable
{
    private readonly RccClient _rcc;
    private readonly PresenceFeed? _presence;
    private readonly UserTableFeed? _table;
    private readonly ShownObjects _shown;
    private readonly IReadOnlyList<IRccCallControlLink> _controls;
    private readonly PbxOptions _options;
    private readonly PbxSend _send;
    private readonly IPbxStateWriter _state;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _reportLock = new();
    private readonly long _started;
    private MonitoringStatus? _reported;
    private readonly Activity? _initialListSpan;

    public PbxDispatcher(
        PbxOptions options,
        PrivacyOptions privacy,
        IPbxStateWriter state,
        IEnumerable<IRccCallControl> callControls,
        PbxSend send,
        TimeProvider timeProvider,
        ILogger logger,
        ActivityContext parentSpan = default)
    {
        _options = options;
        _send = send;
        _state = state;
        _timeProvider = timeProvider;
        _logger = logger;
        _started = timeProvider.GetTimestamp();
        _initialListSpan = PbxTracing.Source.StartActivity("pbx.initial_list", ActivityKind.Client, parentSpan);

        // Everything below belongs to this connection: its handles and subscriptions die with it.
        var users = new RccUserList(state);
        var legs = new CallLegs(privacy, timeProvider);
        var calls = options.CallFeed switch
        {
            CallFeed.PerUser => new PerUserCallFeed(state, legs, options.MaxMonitoredUsers, send),
            CallFeed.WholePbx => new WholePbxCallFeed(state, legs, users),
            _ => (IUserMonitor?)null,
        };
        _controls = [.. callControls.Select(control => control.Attach(send))];
        _shown = privacy.Shown();
        _rcc = new RccClient(users, calls, new QueueCallFeed(state.Queues, legs, send), _controls, _shown);
        if (privacy.Presence != PresenceDetails.Off)
        {
            _presence = new PresenceFeed(state, privacy, options.MaxPresenceSubscriptions, options.PresenceAnswerTimeout, timeProvider, send);
            _presence.Refused += () =>
            {
                Log.PresenceRefused(logger);
                ReportMonitoring();
            };
        }

        if (privacy.Forwarding == ForwardingDetails.On)
        {
            _table = new UserTableFeed(state, privacy.CallDetails, _shown.Types, options.ActionTimeout, timeProvider, send);
            _table.Refused += () =>
            {
                Log.TableRefused(logger);
                ReportMonitoring();
            };
        }
        else
        {
            // Switched off: whatever an earlier connection replicated is not shown either.
            state.ForgetTable();
        }

        ReportMonitoring();
    }

    /// <summary>The call monitor (for tests; <c>/healthz</c> gets its figures through the state).</summary>
    internal IUserMonitor? Calls => _rcc.Calls;

    /// <summary>The presence feed; null with <c>Blf:Presence=Off</c>.</summary>
    internal PresenceFeed? Presence => _presence;

    /// <summary>The users this connection has listed, whose strings the reader reuses.</summary>
    public IKnownUserRecords KnownUsers => _rcc.Users;

    /// <summary>Asks the PBX for the user list, whatever the call controls need, and the user table.</summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        await _rcc.StartAsync(_options.CallFeed == CallFeed.WholePbx, _send, cancellationToken);
        if (_table is not null)
        {
            await _table.StartAsync(cancellationToken);
        }
    }

    /// <summary>Routes one message by its API; returns why it was dropped, or null.</summary>
    public ValueTask<string?> DispatchAsync(in PbxMessage message, CancellationToken cancellationToken) => message.Api switch
    {
        PbxApiName.Rcc => HandleRccAsync(message, cancellationToken),
        PbxApiName.PbxApi when message.Type.IsPresenceMessage() => HandlePresenceAsync(message, cancellationToken),

        // The desk's PbxApi requests (SetPresence, AddDiversion, …) are answered to the control that owns their src.
        PbxApiName.PbxApi when message.Type == PbxMessageType.ActionResult => HandleRccAsync(message, cancellationToken),
        PbxApiName.PbxTableUsers => HandleTableAsync(message, cancellationToken),

        // Other APIs' messages, and ones of ours the board does not use, are not the board's business.
        _ => ValueTask.FromResult<string?>(null),
    };

    private async ValueTask<string?> HandleRccAsync(PbxMessage message, CancellationToken cancellationToken)
    {
        var wasComplete = _rcc.Users.IsComplete;
        var dropped = await _rcc.HandleAsync(message, cancellationToken);
        if (!wasComplete && _rcc.Users.IsComplete)
        {
            Log.Live(_logger, _rcc.Users.InitialCount, _timeProvider.GetElapsedTime(_started).TotalMilliseconds);
            _initialListSpan?.SetTag("blf.users", _rcc.Users.InitialCount);
            _initialListSpan?.Stop();
        }

        if (message.Type == PbxMessageType.UserInfo && _presence is not null)
        {
            await _presence.TellAsync(message, _shown, cancellationToken);
        }

        if (message.Type == PbxMessageType.UserInfo || message.Type.IsMonitorMessage())
        {
            ReportMonitoring();
        }

        return dropped;
    }

    private async ValueTask<string?> HandlePresenceAsync(PbxMessage message, CancellationToken cancellationToken)
    {
        if (_presence is null)
        {
            return $"{message.Type} nobody waits for";
        }

        var dropped = await _presence.HandleAsync(message, cancellationToken);
        ReportMonitoring();
        return dropped;
    }

    private async ValueTask<string?> HandleTableAsync(PbxMessage message, CancellationToken cancellationToken)
    {
        if (_table is null)
        {
            return $"{message.Type} nobody waits for";
        }

        var dropped = await _table.HandleAsync(message, cancellationToken);

        // The table lists waiting queues that RCC's list may not (QueueInUserInfo): they get cards too.
        if (dropped is null)
        {
            switch (message.Type)
            {
                case PbxMessageType.ReplicateNextResult or PbxMessageType.ReplicateUpsert when message.Columns is { Guid: { } guid } row:
                    await _rcc.Queues.ObjectListedAsync(guid, row.Cn, row.Cn ?? guid, row.E164, row.Pseudo, fromTable: true, cancellationToken);
                    break;
                case PbxMessageType.ReplicateDel when message.Columns is { Guid: { } gone }:
                    await _rcc.Queues.ObjectGoneAsync(gone, fromTable: true, cancellationToken);
                    break;
            }
        }

        ReportMonitoring();
        return dropped;
    }

    /// <summary>Tells <c>/healthz</c> what is monitored, when that changed; a cap or refusal is logged once.</summary>
    private void ReportMonitoring()
    {
        // The receive loop and the presence refusal timer both report; one at a time.
        lock (_reportLock)
        {
            var calls = _rcc.Calls;
            var problem = calls?.Problem ?? _presence?.Problem ?? _table?.Problem;
            var monitored = calls?.Monitored ?? 0;
            var presence = _presence is null ? "off" : _presence.IsRefused ? "refused" : "on";
            var subscribed = _presence?.Monitored ?? 0;
            var forwarding = _table?.State ?? "off";
            var forwardingUsers = _table?.Users ?? 0;
            var queues = _rcc.Queues.Monitored;
            var previous = _reported;

            // Runs for every UserInfo: compare before allocating anything.
            if (previous is not null && previous.Monitored == monitored && previous.Subscribed == subscribed
                && previous.Presence == presence && previous.Problem == problem
                && previous.Forwarding == forwarding && previous.ForwardingUsers == forwardingUsers && previous.Queues == queues)
            {
                return;
            }

            if (problem is not null && problem != previous?.Problem)
            {
                Log.MonitoringLimited(_logger, problem);
            }

            _reported = new MonitoringStatus(_options.CallFeed.ToString(), monitored, presence, subscribed, problem)
            {
                Forwarding = forwarding,
                ForwardingUsers = forwardingUsers,
                Queues = queues,
            };
            _state.ReportMonitoring(_reported);
        }
    }

    public void Dispose()
    {
        // Pending operator actions learn now that their connection is gone.
        foreach (var control in _controls)
        {
            control.Dispose();
        }

        if (_initialListSpan is { IsStopped: false })
        {
            _initialListSpan.SetStatus(ActivityStatusCode.Error, "the connection ended here");
            _initialListSpan.Stop();
        }

        _presence?.Dispose();
        _table?.Dispose();

        // Handles and subscriptions die with the socket: /healthz must not claim them any longer.
        lock (_reportLock)
        {
            if (_reported is { } reported)
            {
                _state.ReportMonitoring(reported with { Monitored = 0, Subscribed = 0, Queues = 0 });
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3, LogLevel.Information, "Live: {Count} UserInfo messages until InitializeResult, {ElapsedMs:0} ms after login")]
        public static partial void Live(ILogger logger, int count, double elapsedMs);

        [LoggerMessage(6, LogLevel.Warning, "The PBX did not answer the presence subscriptions: presence stays off until the next connection. Grant the App object the PbxApi right")]
        public static partial void PresenceRefused(ILogger logger);

        [LoggerMessage(8, LogLevel.Warning, "The PBX refused the user table (PbxTableUsers): forwarding stays off until the next connection. Grant the App object the TableUsers right")]
        public static partial void TableRefused(ILogger logger);

        [LoggerMessage(7, LogLevel.Warning, "{Problem}")]
        public static partial void MonitoringLimited(ILogger logger, string problem);
    }
}
