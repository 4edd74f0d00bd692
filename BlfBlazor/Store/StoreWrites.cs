using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Store;

/// <summary>
/// The queue between whoever notices something worth keeping (the PBX loop among them, which must
/// never wait for a database) and <see cref="StoreService"/>. Bounded by <c>Blf:Store:MaxPendingWrites</c>:
/// while the store is away, writes wait here; past the bound they are refused and the log says so.
/// </summary>
internal sealed partial class StoreWrites
{
    private readonly Channel<StoreWrite> _channel;
    private readonly ILogger<StoreWrites> _logger;
    private int _refusedSinceLogged;
    private long _lastRefusalLogged = long.MinValue;
    private readonly TimeProvider _timeProvider;

    public StoreWrites(IOptions<StoreOptions> options, StoreStatus status, TimeProvider timeProvider, ILogger<StoreWrites> logger)
    {
        _channel = Channel.CreateBounded<StoreWrite>(new BoundedChannelOptions(options.Value.MaxPendingWrites)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of dropping silently
        });
        _logger = logger;
        _timeProvider = timeProvider;
        status.PendingCount = () => _channel.Reader.Count;
    }

    public ChannelReader<StoreWrite> Reader => _channel.Reader;

    /// <summary>Queues a write without waiting; false (and a log line, at most one a minute) when the queue is full.</summary>
    public bool Enqueue(StoreWrite write)
    {
        if (_channel.Writer.TryWrite(write))
        {
            return true;
        }

        // Called from several threads: a lost count in a race only makes the logged number a little low.
        var refused = Interlocked.Increment(ref _refusedSinceLogged);
        var now = _timeProvider.GetTimestamp();
        var last = Interlocked.Read(ref _lastRefusalLogged);
        if ((last == long.MinValue || _timeProvider.GetElapsedTime(last, now) >= TimeSpan.FromMinutes(1))
            && Interlocked.CompareExchange(ref _lastRefusalLogged, now, last) == last)
        {
            Interlocked.Exchange(ref _refusedSinceLogged, 0);
            Log.Refused(_logger, refused, _channel.Reader.Count);
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The store cannot be reached and {Pending} writes already wait: refused {Refused} more (raise Blf:Store:MaxPendingWrites, or bring the store back)")]
        public static partial void Refused(ILogger logger, int refused, int pending);
    }
}
