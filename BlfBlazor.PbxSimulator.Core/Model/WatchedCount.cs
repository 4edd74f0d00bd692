namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// A counter that can be awaited: tests wait for "n connections open" or "n frames ignored"
/// instead of sleeping. Predicates run under the counter's lock on every change, so they must be quick.
/// </summary>
internal sealed class WatchedCount
{
    private readonly Lock _gate = new();
    private readonly List<Waiter> _waiters = [];
    private int _value;

    public int Value
    {
        get { lock (_gate) { return _value; } }
    }

    public void Add(int delta)
    {
        lock (_gate)
        {
            _value += delta;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var waiter = _waiters[i];
                try
                {
                    if (!waiter.Predicate(_value))
                    {
                        continue;
                    }

                    waiter.Done.TrySetResult();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    waiter.Done.TrySetException(ex);
                }

                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>Completes when <paramref name="predicate"/>(value) holds: checked now, then on every change.</summary>
    public Task WhenAsync(Func<int, bool> predicate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var waiter = new Waiter(predicate);
        lock (_gate)
        {
            if (predicate(_value))
            {
                return Task.CompletedTask;
            }

            _waiters.Add(waiter);
        }

        if (!ct.CanBeCanceled)
        {
            return waiter.Done.Task;
        }

        var registration = ct.Register(() =>
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }

            waiter.Done.TrySetCanceled(ct);
        });
        return waiter.Done.Task.ContinueWith(
            finished =>
            {
                registration.Dispose();
                return finished;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
    }

    private sealed record Waiter(Func<int, bool> Predicate)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
