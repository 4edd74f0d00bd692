using System.Diagnostics.Metrics;
using BlfBlazor.State;

namespace BlfBlazor.Diagnostics;

/// <summary>
/// The board's health and work in numbers, on the "BlfBlazor" meter, for <c>dotnet-counters monitor -n BlfBlazor --counters BlfBlazor</c>
/// or an OpenTelemetry exporter.
/// </summary>
public sealed class BlfMetrics
{
    public const string MeterName = "BlfBlazor";

    private readonly Counter<long> _framesReceived;
    private readonly Counter<long> _framesDropped;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _loginFailures;
    private readonly Counter<long> _boardRenders;
    private readonly Counter<long> _tileRenders;
    private readonly Counter<long> _actions;
    private readonly Histogram<double> _frameToRender;
    private readonly TimeProvider _timeProvider;
    private long _lastFrame;

    public BlfMetrics(IMeterFactory meterFactory, UserDirectory directory, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        var meter = meterFactory.Create(MeterName);
        _framesReceived = meter.CreateCounter<long>("blf.pbx.frames.received", "{frame}", "Frames received from the PBX.");
        _framesDropped = meter.CreateCounter<long>("blf.pbx.frames.dropped", "{frame}", "PBX frames dropped as malformed, binary, oversized or out of turn.");
        _reconnects = meter.CreateCounter<long>("blf.pbx.reconnects", "{connection}", "Connection attempts to the PBX after the first.");
        _loginFailures = meter.CreateCounter<long>("blf.pbx.login_failures", "{login}", "Logins the PBX refused.");
        _boardRenders = meter.CreateCounter<long>("blf.board.renders", "{render}", "Board renders, summed over all open boards.");
        _tileRenders = meter.CreateCounter<long>("blf.tile.renders", "{render}", "Tiles whose HTML a board render changed, summed over all open boards: unchanged tiles are not sent again.");
        _actions = meter.CreateCounter<long>("blf.actions", "{action}", "Operator actions by action and result (done, refused, timeout, no-connection, forbidden, rate-limited, …).");
        meter.CreateObservableUpDownCounter("blf.boards.open", () => directory.SubscriberCount, "{board}", "Boards (browser circuits) following the directory.");

        // What an operator asks first: is the PBX there, is it still talking, how many are watched.
        meter.CreateObservableGauge("blf.pbx.connection.state", () => ConnectionStates(directory.Status.State), "{state}", "1 for the PBX connection's current state (tag state: connecting, live, reconnecting, auth-failed), 0 for the others.");
        meter.CreateObservableGauge("blf.pbx.frame.age", FrameAge, "s", "Seconds since the last frame from the PBX (none before the first).");
        meter.CreateObservableUpDownCounter("blf.users", () => directory.Current.Users.Length, "{user}", "Users the board shows.");
        meter.CreateObservableUpDownCounter("blf.calls.monitored_users", () => directory.Monitoring.Monitored, "{user}", "Users whose calls are monitored.");
        meter.CreateObservableUpDownCounter("blf.presence.subscriptions", () => directory.Monitoring.Subscribed, "{user}", "Users whose presence is subscribed.");
        _frameToRender = meter.CreateHistogram("blf.board.update.duration", "s", "From the latest PBX frame to a board's render of the change it woke.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    }

    /// <summary>The timestamp (of the app's <see cref="TimeProvider"/>) of the latest PBX frame; 0 before the first.</summary>
    private long LastFrameTimestamp => Volatile.Read(ref _lastFrame);

    public void FrameReceived()
    {
        Volatile.Write(ref _lastFrame, _timeProvider.GetTimestamp());
        _framesReceived.Add(1);
    }

    /// <summary>A board rendered a change whose news the directory applied at <paramref name="frameTimestamp"/> (the snapshot says when).</summary>
    public void ChangeRendered(long frameTimestamp)
    {
        if (frameTimestamp != 0)
        {
            _frameToRender.Record(_timeProvider.GetElapsedTime(frameTimestamp).TotalSeconds);
        }
    }

    private IEnumerable<Measurement<double>> FrameAge()
    {
        var last = LastFrameTimestamp;
        return last == 0 ? [] : [new Measurement<double>(_timeProvider.GetElapsedTime(last).TotalSeconds)];
    }

    private static IEnumerable<Measurement<int>> ConnectionStates(ConnectionState current) =>
        Enum.GetValues<ConnectionState>().Select(state => new Measurement<int>(state == current ? 1 : 0, new KeyValuePair<string, object?>("state", ConnectionStatus.ToToken(state))));

    public void FrameDropped(string reason) => _framesDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Reconnecting() => _reconnects.Add(1);

    public void LoginRefused() => _loginFailures.Add(1);

    public void ActionEnded(string action, string result) =>
        _actions.Add(1, new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("result", result));

    public void BoardRendered() => _boardRenders.Add(1);

    public void TilesRendered(int count)
    {
        if (count > 0)
        {
            _tileRenders.Add(count);
        }
    }
}
