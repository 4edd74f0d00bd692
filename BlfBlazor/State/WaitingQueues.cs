namespace BlfBlazor.State;

/// <summary>
/// The one way queue news enters the state (from the PBX connection loop only): which waiting queues
/// there are, who waits at them and how each caller left the line.
/// </summary>
internal interface IQueueStateWriter
{
    /// <summary>A connection logged in: its hourly figures start now; the queues it does not list again go at <see cref="DropUnlisted"/>.</summary>
    void BeginGeneration();

    /// <summary>A waiting queue the App object can see (new, renamed or listed again).</summary>
    void ListQueue(string guid, string cn, string name, string? number);

    /// <summary>The object is no waiting queue any more, or gone.</summary>
    void RemoveQueue(string guid);

    /// <summary>The queue's monitor on this connection answered: callers an earlier connection saw go (the PBX reports the ones still waiting again).</summary>
    void QueueMonitored(string guid);

    /// <summary>A caller waits at the queue (new, or changed: ringing at agents or not).</summary>
    void CallerWaiting(string queueGuid, QueueCaller caller);

    /// <summary>A caller left the line; counted in the hour's figures.</summary>
    void CallerLeft(string queueGuid, uint call, QueueOutcome outcome, string? by);

    /// <summary>Evidence that came after the caller left (an operator's picked leg, a forwarded leg): counted as this outcome instead.</summary>
    void Reclassify(string queueGuid, uint call, QueueOutcome outcome, string? by);

    /// <summary>The connection's user list is complete: queues no list of this connection named go.</summary>
    void DropUnlisted();
}

/// <summary>
/// The waiting queues the boards show, one instance per app: written by the PBX connection through
/// <see cref="IQueueStateWriter"/>, read by boards as a <see cref="QueuesSnapshot"/> (built once per change)
/// and woken through <see cref="Subscribe"/>. Time changes what a card says without any PBX news (a wait
/// passes the alert time, a call leaves the last hour): a timer makes a new version at those moments.
/// </summary>
public sealed class WaitingQueues : IQueueStateWriter, IDisposable
{
    /// <summary>Queues the state keeps; a PBX listing more is misconfigured, and the rest are not shown.</summary>
    public const int MaxQueues = 200;

    /// <summary>Callers per queue; beyond it the newest are not shown (the count stays right up to here).</summary>
    public const int MaxCallersPerQueue = 500;

    /// <summary>Calls remembered per queue for the hour's figures; beyond it the oldest are forgotten early.</summary>
    public const int MaxCallsPerHour = 10_000;

    private static readonly TimeSpan s_hour = TimeSpan.FromHours(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);
    private readonly ChangeSubscribers _subscribers = new();
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _alertAfter;
    private readonly ITimer _timer;
    private long _version = 1;
    private int _generation;
    private long _figuresSince;
    private QueuesSnapshot? _published;

    public WaitingQueues(TimeProvider timeProvider, int alertSeconds = QueueOptions.DefaultAlertSeconds)
    {
        _timeProvider = timeProvider;
        _alertAfter = TimeSpan.FromSeconds(alertSeconds);
        _figuresSince = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        _timer = timeProvider.CreateTimer(_ => TimePassed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The queues now, built at most once per change.</summary>
    public QueuesSnapshot Current
    {
        get
        {
            lock (_lock)
            {
                if (_published is { } published && published.Version == _version)
                {
                    return published;
                }

                var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
                // One order for every board, whatever the language of the board that happens to build it.
                var queues = _lines.Values.Select(line => line.Show(now, _alertAfter)).OrderBy(q => q.Name, StringComparer.InvariantCultureIgnoreCase).ThenBy(q => q.Guid, StringComparer.Ordinal);
                _published = new QueuesSnapshot(_version, [.. queues], _figuresSince, _generation > 1);
                return _published;
            }
        }
    }

    /// <summary>Queues known now, for <c>/healthz</c>.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>The queue of this guid now, or null.</summary>
    public WaitingQueue? Find(string guid)
    {
        foreach (var queue in Current.Queues)
        {
            if (queue.Guid == guid)
            {
                return queue;
            }
        }

        return null;
    }

    /// <summary>Subscribes to changes; starts signalled. Dispose to unsubscribe.</summary>
    public DirectorySubscription Subscribe() => _subscribers.Subscribe();

    void IQueueStateWriter.BeginGeneration() => Change(() =>
    {
        _generation++;
        _figuresSince = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var line in _lines.Values)
        {
            line.Hour.Clear();
        }

        return true;
    });

    void IQueueStateWriter.ListQueue(string guid, string cn, string name, string? number) => Change(() =>
    {
        if (_lines.TryGetValue(guid, out var line))
        {
            var changed = line.Cn != cn || line.Name != name || line.Number != number;
            (line.Cn, line.Name, line.Number, line.Generation) = (cn, name, number, _generation);
            return changed;
        }

        if (_lines.Count >= MaxQueues)
        {
            return false;
        }

        _lines[guid] = new Line(guid, cn, name, number, _generation);
        return true;
    });

    void IQueueStateWriter.RemoveQueue(string guid) => Change(() => _lines.Remove(guid));

    void IQueueStateWriter.QueueMonitored(string guid) => Change(() =>
    {
        if (!_lines.TryGetValue(guid, out var line) || line.Callers.Count == 0)
        {
            return false;
        }

        // A caller still waiting comes again with a new handle: the same call keeps its wait.
        line.Earlier.Clear();
        foreach (var caller in line.Callers)
        {
            if (caller.Conf is { } conf)
            {
                line.Earlier[conf] = caller.SinceUnixMs;
            }
        }

        line.Callers.Clear();
        return true;
    });

    void IQueueStateWriter.CallerWaiting(string queueGuid, QueueCaller caller) => Change(() =>
    {
        if (!_lines.TryGetValue(queueGuid, out var line))
        {
            return false;
        }

        var index = line.Callers.FindIndex(c => c.Call == caller.Call);
        if (index >= 0)
        {
            if (line.Callers[index] == caller)
            {
                return false;
            }

            line.Callers[index] = caller;
        }
        else
        {
            if (line.Callers.Count >= MaxCallersPerQueue)
            {
                return false;
            }

            if (caller.Conf is { } conf && line.Earlier.Remove(conf, out var since))
            {
                caller = caller with { SinceUnixMs = since };
            }

            line.Callers.Add(caller);
            line.Record(new HourCall(caller.Call, _timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), null, 0));
        }

        line.Callers.Sort(static (a, b) => a.SinceUnixMs.CompareTo(b.SinceUnixMs));
        return true;
    });

    void IQueueStateWriter.CallerLeft(string queueGuid, uint call, QueueOutcome outcome, string? by) => Change(() =>
    {
        if (!_lines.TryGetValue(queueGuid, out var line))
        {
            return false;
        }

        var index = line.Callers.FindIndex(c => c.Call == call);
        if (index < 0)
        {
            return false;
        }

        var caller = line.Callers[index];
        line.Callers.RemoveAt(index);
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        line.Leave(call, outcome, Math.Max(0, now - caller.SinceUnixMs));
        line.Last = new QueueDeparture(outcome, by, now);
        return true;
    });

    void IQueueStateWriter.Reclassify(string queueGuid, uint call, QueueOutcome outcome, string? by) => Change(() =>
    {
        if (!_lines.TryGetValue(queueGuid, out var line) || !line.Reclassify(call, outcome))
        {
            return false;
        }

        if (line.Last is { } last)
        {
            line.Last = last with { Outcome = outcome, By = by ?? last.By };
        }

        return true;
    });

    void IQueueStateWriter.DropUnlisted() => Change(() =>
    {
        var gone = _lines.Values.Where(line => line.Generation != _generation).Select(line => line.Guid).ToList();
        foreach (var guid in gone)
        {
            _lines.Remove(guid);
        }

        return gone.Count > 0;
    });

    public void Dispose() => _timer.Dispose();

    private void Change(Func<bool> change)
    {
        lock (_lock)
        {
            if (!change())
            {
                return;
            }

            _version++;
            ScheduleLocked();
        }

        _subscribers.Notify();
    }

    /// <summary>A wait passed the alert time, or a call left the last hour: a new version.</summary>
    private void TimePassed()
    {
        lock (_lock)
        {
            _version++;
            ScheduleLocked();
        }

        _subscribers.Notify();
    }

    /// <summary>Wakes at the next moment time alone changes a card: the next alert, or the oldest call leaving the hour.</summary>
    private void ScheduleLocked()
    {
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        long? next = null;
        foreach (var line in _lines.Values)
        {
            foreach (var due in line.NextChanges(now, _alertAfter, s_hour))
            {
                if (due > now && (next is null || due < next))
                {
                    next = due;
                }
            }
        }

        _timer.Change(next is { } at ? TimeSpan.FromMilliseconds(at - now) : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>One call of the hour's figures: when it arrived; when it left, how and after what wait.</summary>
    private sealed record HourCall(uint Call, long ArrivedUnixMs, QueueOutcome? Outcome, long WaitMs);

    /// <summary>One queue's line and hour, changed only under the state's lock.</summary>
    private sealed class Line(string guid, string cn, string name, string? number, int generation)
    {
        public string Guid { get; } = guid;

        public string Cn { get; set; } = cn;

        public string Name { get; set; } = name;

        public string? Number { get; set; } = number;

        public int Generation { get; set; } = generation;

        public List<QueueCaller> Callers { get; } = [];

        public List<HourCall> Hour { get; } = [];

        /// <summary>Since when the callers an earlier connection saw waited, by call, until they are reported again.</summary>
        public Dictionary<string, long> Earlier { get; } = new(StringComparer.Ordinal);

        public QueueDeparture? Last { get; set; }

        public void Record(HourCall call)
        {
            // Calls older than the hour count for nothing any more (one still waiting so long is still on the line).
            var since = call.ArrivedUnixMs - (long)s_hour.TotalMilliseconds;
            var old = Hour.FindIndex(c => c.ArrivedUnixMs >= since);
            Hour.RemoveRange(0, old < 0 ? Hour.Count : old);
            if (Hour.Count >= MaxCallsPerHour)
            {
                Hour.RemoveAt(0);
            }

            Hour.Add(call);
        }

        public void Leave(uint call, QueueOutcome outcome, long waitMs)
        {
            var index = Hour.FindLastIndex(c => c.Call == call && c.Outcome is null);
            if (index >= 0)
            {
                Hour[index] = Hour[index] with { Outcome = outcome, WaitMs = waitMs };
            }
        }

        public bool Reclassify(uint call, QueueOutcome outcome)
        {
            var index = Hour.FindLastIndex(c => c.Call == call && c.Outcome is not null);
            if (index < 0 || Hour[index].Outcome == outcome)
            {
                return false;
            }

            Hour[index] = Hour[index] with { Outcome = outcome };
            return true;
        }

        public WaitingQueue Show(long now, TimeSpan alertAfter)
        {
            var since = now - (long)s_hour.TotalMilliseconds;
            int offered = 0, answered = 0, abandoned = 0, left = 0;
            long waited = 0;
            foreach (var call in Hour)
            {
                if (call.ArrivedUnixMs < since)
                {
                    continue;
                }

                offered++;
                if (call.Outcome is QueueOutcome.Answered or QueueOutcome.Taken)
                {
                    answered++;
                }
                else if (call.Outcome is QueueOutcome.Abandoned)
                {
                    abandoned++;
                }

                if (call.Outcome is QueueOutcome.Answered or QueueOutcome.Taken or QueueOutcome.Abandoned)
                {
                    left++;
                    waited += call.WaitMs;
                }
            }

            var alert = Callers.Count > 0 && now - Callers[0].SinceUnixMs >= (long)alertAfter.TotalMilliseconds;
            return new WaitingQueue(Guid, Cn, Name, Number, [.. Callers], new QueueHour(offered, answered, abandoned, left == 0 ? null : waited / left), Last, alert);
        }

        /// <summary>When the longest caller passes the alert time, and when the oldest call of the hour leaves it.</summary>
        public IEnumerable<long> NextChanges(long now, TimeSpan alertAfter, TimeSpan hour)
        {
            if (Callers.Count > 0)
            {
                yield return Callers[0].SinceUnixMs + (long)alertAfter.TotalMilliseconds;
            }

            var since = now - (long)hour.TotalMilliseconds;
            foreach (var call in Hour)
            {
                if (call.ArrivedUnixMs >= since)
                {
                    yield return call.ArrivedUnixMs + (long)hour.TotalMilliseconds;
                    yield break;
                }
            }
        }
    }
}
