using BlfBlazor.Pbx.Connection;
using Microsoft.EntityFrameworkCore;

namespace BlfBlazor.Store;

/// <summary>
/// The one writer to the store: migrates it, restores what it kept, then saves queued writes in
/// batches and prunes hourly. A store that fails (down, disk full) only makes it wait and retry with
/// capped backoff and jitter; the writes wait in <see cref="StoreWrites"/>. Nothing here stops the host.
/// On PostgreSQL, a saved batch that changed shared parts is announced to the other instances
/// (<see cref="StoreChangeListener"/> hears it there).
/// </summary>
internal sealed partial class StoreService(
    IDbContextFactory<BlfStore> stores,
    StoreWrites writes,
    StoreStatus status,
    IEnumerable<IKeptInStore> kept,
    StoreChangeNotices notices,
    TimeProvider timeProvider,
    ILogger<StoreService> logger) : BackgroundService
{
    public const int MaxBatch = 200;
    public static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly List<StoreWrite> _batch = new(MaxBatch);
    private long _nextPrune;
    private bool _saidUnavailable;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(10), Random.Shared);
        while (!stoppingToken.IsCancellationRequested && !await AttemptAsync(StartAsync, stoppingToken))
        {
            await Task.Delay(backoff.Next(), timeProvider, stoppingToken);
        }

        backoff.Reset();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (_batch.Count == 0)
            {
                await WaitForWorkAsync(stoppingToken);
            }

            while (_batch.Count < MaxBatch && writes.Reader.TryRead(out var write))
            {
                _batch.Add(write);
            }

            if (await AttemptAsync(SaveAsync, stoppingToken))
            {
                backoff.Reset();
            }
            else
            {
                // The batch stays: it is tried again as a whole, and its writes are idempotent.
                await Task.Delay(backoff.Next(), timeProvider, stoppingToken);
            }
        }
    }

    private async Task StartAsync(BlfStore store, CancellationToken cancellationToken)
    {
        await store.Database.MigrateAsync(cancellationToken);
        foreach (var part in kept)
        {
            await part.RestoreAsync(store, cancellationToken);
        }

        Log.Ready(logger, store.Database.ProviderName ?? "?");
    }

    private async Task SaveAsync(BlfStore store, CancellationToken cancellationToken)
    {
        if (timeProvider.GetTimestamp() >= _nextPrune)
        {
            foreach (var part in kept)
            {
                await part.PruneAsync(store, cancellationToken);
            }

            _nextPrune = timeProvider.GetTimestamp() + (long)(PruneInterval.TotalSeconds * timeProvider.TimestampFrequency);
        }

        foreach (var write in _batch)
        {
            await write.StageAsync(store, cancellationToken);
        }

        await store.SaveChangesAsync(cancellationToken);
        var shared = _batch.Select(write => write.SharedPart).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        _batch.Clear();
        if (shared.Count > 0 && store.Database.IsNpgsql())
        {
            await NotifyOtherInstancesAsync(store, shared, cancellationToken);
        }
    }

    /// <summary>
    /// One notice per changed part, after the save: a notice that fails is logged, never a reason to
    /// save the batch again. The others then show the change after their next reload of that part.
    /// </summary>
    private async Task NotifyOtherInstancesAsync(BlfStore store, List<string> parts, CancellationToken cancellationToken)
    {
        foreach (var part in parts)
        {
            try
            {
                await store.Database.ExecuteSqlAsync($"SELECT pg_notify({StoreChangeNotices.Channel}, {notices.PayloadOf(part)})", cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.NotNotified(logger, part, ex.GetType().Name, ex.Message);
            }
        }
    }

    /// <summary>Until a write is queued or the next prune is due.</summary>
    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        var untilPrune = timeProvider.GetElapsedTime(timeProvider.GetTimestamp(), _nextPrune);
        if (untilPrune <= TimeSpan.Zero)
        {
            return;
        }

        // On the app's clock, so a test's fake time decides when the prune is due.
        using var due = new CancellationTokenSource(untilPrune > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : untilPrune, timeProvider);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, due.Token);
        try
        {
            await writes.Reader.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Time to prune.
        }
    }

    /// <summary>Runs one unit of work in a fresh context; false, with the store marked unavailable, when it failed.</summary>
    private async Task<bool> AttemptAsync(Func<BlfStore, CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        try
        {
            var saving = _batch.Count;
            await using var store = await stores.CreateDbContextAsync(stoppingToken);
            await work(store, stoppingToken);
            if (_saidUnavailable)
            {
                Log.Back(logger, writes.Reader.Count + _batch.Count);
            }

            _saidUnavailable = false;
            status.Available(saving - _batch.Count);

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Once per outage, not per retry.
            if (!_saidUnavailable)
            {
                Log.Unavailable(logger, ex.GetType().Name, ex.Message);
                _saidUnavailable = true;
            }

            status.Unavailable();
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "The store ({Provider}) is migrated and restored")]
        public static partial void Ready(ILogger logger, string provider);

        [LoggerMessage(2, LogLevel.Warning, "The store cannot be reached ({Error}: {Message}); the board goes on, writes wait in memory and are retried")]
        public static partial void Unavailable(ILogger logger, string error, string message);

        [LoggerMessage(3, LogLevel.Information, "The store is reachable again; {Pending} writes waiting")]
        public static partial void Back(ILogger logger, int pending);

        [LoggerMessage(4, LogLevel.Warning, "Saved a change to {Part} but could not tell the other instances ({Error}: {Message}); they show it after their next reload of it")]
        public static partial void NotNotified(ILogger logger, string part, string error, string message);
    }
}
