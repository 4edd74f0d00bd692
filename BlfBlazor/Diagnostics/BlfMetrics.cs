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

    public BlfMetrics(IMeterFactory meterFactory, UserDirectory directory)
    {
        var meter = meterFactory.Create(MeterName);
        _framesReceived = meter.CreateCounter<long>("blf.pbx.frames.received", "{frame}", "Frames received from the PBX.");
        _framesDropped = meter.CreateCounter<long>("blf.pbx.frames.dropped", "{frame}", "PBX frames dropped as malformed, binary, oversized or out of turn.");
        _reconnects = meter.CreateCounter<long>("blf.pbx.reconnects", "{connection}", "Connection attempts to the PBX after the first.");
        _loginFailures = meter.CreateCounter<long>("blf.pbx.login_failures", "{login}", "Logins the PBX refused.");
        _boardRenders = meter.CreateCounter<long>("blf.board.renders", "{render}", "Board renders, summed over all open boards.");
        _tileRenders = meter.CreateCounter<long>("blf.tile.renders", "{render}", "Tiles whose HTML a board render changed, summed over all open boards: unchanged tiles are not sent again.");
        _actions = meter.CreateCounter<long>("blf.actions", "{action}", "Operator actions by action and result (done, refused, timeout, no-connection, forbidden, rate-limited, …).");
        meter.CreateObservableUpDownCounter("blf.boards.open", () => directory.SubscriberCount, "{board}", "Boards (browser circuits) following the directory.");
    }

    public void FrameReceived() => _framesReceived.Add(1);

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
