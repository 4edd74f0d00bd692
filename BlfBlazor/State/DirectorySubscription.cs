using System.Threading.Channels;

namespace BlfBlazor.State;

/// <summary>
/// One subscriber's view of "something changed". Changes are coalesced into a single pending
/// signal, so a storm of updates wakes a slow board once, and a slow board never holds up the
/// PBX connection or the other boards.
/// </summary>
public sealed class DirectorySubscription : IDisposable
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        SingleWriter = false,
    });

    private readonly Action<DirectorySubscription> _unsubscribe;

    internal DirectorySubscription(Action<DirectorySubscription> unsubscribe)
    {
        _unsubscribe = unsubscribe;

        // Start signalled: whatever changed between the subscriber's first snapshot and this
        // subscription must not be missed.
        Notify();
    }

    internal void Notify() => _signal.Writer.TryWrite(true);

    /// <summary>
    /// Waits until the directory has changed since the last call. Returns false once the
    /// subscription is disposed.
    /// </summary>
    public async ValueTask<bool> WaitForChangeAsync(CancellationToken cancellationToken)
    {
        if (!await _signal.Reader.WaitToReadAsync(cancellationToken))
        {
            return false;
        }

        _signal.Reader.TryRead(out _);
        return true;
    }

    public void Dispose()
    {
        if (_signal.Writer.TryComplete())
        {
            _unsubscribe(this);
        }
    }
}
