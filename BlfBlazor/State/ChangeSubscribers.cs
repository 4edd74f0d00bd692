namespace BlfBlazor.State;

/// <summary>
/// Who wants to hear that the state changed. Notifying reads a copy-on-write array, so the writer
/// never waits for a subscriber and never takes a lock per change.
/// </summary>
internal sealed class ChangeSubscribers
{
    private readonly Lock _lock = new();
    private DirectorySubscription[] _subscribers = [];

    public int Count => Volatile.Read(ref _subscribers).Length;

    /// <summary>A new subscription, already signalled; disposing it unsubscribes.</summary>
    public DirectorySubscription Subscribe()
    {
        var subscription = new DirectorySubscription(Unsubscribe);
        lock (_lock)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    public void Notify()
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Notify();
        }
    }

    private void Unsubscribe(DirectorySubscription subscription)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscription)];
        }
    }
}
