using BlfBlazor.Pbx.Connection;
using BlfBlazor.State;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlfBlazor.Store;

/// <summary>
/// On a shared PostgreSQL store, hears what the other instances saved (<c>LISTEN blf_store</c> on a
/// connection of its own) and reloads that part here, so a change made on one instance reaches the
/// boards on all of them without polling. Reloads run beside the listening loop: notices that arrive
/// for a part while it reloads make one more reload after it. A lost connection is reopened with
/// capped, jittered backoff, and then every shared part is reloaded once, since the notices sent
/// meanwhile were missed. Nothing here stops the host.
/// </summary>
internal sealed partial class StoreChangeListener(
    IOptions<StoreOptions> options,
    IDbContextFactory<BlfStore> stores,
    StoreStatus status,
    StoreChangeNotices notices,
    IEnumerable<ISharedInStore> shared,
    TimeProvider timeProvider,
    ILogger<StoreChangeListener> logger) : BackgroundService
{
    /// <summary>Keepalives while waiting, so a connection that died silently (no FIN) is noticed.</summary>
    public const int KeepAliveSeconds = 30;

    private readonly Dictionary<string, ISharedInStore> _parts = shared.ToDictionary(part => part.Part, StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly HashSet<string> _due = new(StringComparer.Ordinal);

    // One pending signal, however many notices arrive while the reloads run.
    private readonly DirectorySubscription _reloadDue = new(_ => { });

    public override void Dispose()
    {
        _reloadDue.Dispose();
        base.Dispose();
    }

    // Without shared parts there is nothing to hear: no connection held open for nothing.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _parts.Count == 0 ? Task.CompletedTask : Task.WhenAll(ListenAsync(stoppingToken), ReloadAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        status.Listening(false);
        var connectionString = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString)
        {
            // Which backend is whose listener, for an administrator looking at pg_stat_activity.
            ApplicationName = $"blfblazor listener {notices.Instance}",
        };
        if (connectionString.KeepAlive == 0)
        {
            connectionString.KeepAlive = KeepAliveSeconds;
        }

        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(10), Random.Shared);
        var saidLost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString.ToString());
                connection.Notification += (_, notice) => Heard(notice.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {StoreChangeNotices.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                status.Listening(true);
                Log.Listening(logger, _parts.Count);
                saidLost = false;
                backoff.Reset();

                // What changed before this LISTEN (while the connection was down, or since the first restore) was never announced here.
                MarkDue(_parts.Keys);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                status.Listening(false);
                if (!saidLost)
                {
                    Log.Lost(logger, ex.GetType().Name, ex.Message);
                    saidLost = true;
                }
            }

            await Task.Delay(backoff.Next(), timeProvider, stoppingToken);
        }
    }

    /// <summary>
    /// A notice, on the listening loop: marks its part due, unless it names no part here. This instance's own
    /// notices too: a reload for another instance's notice may have run while this one's write still waited
    /// to be saved, and replaced memory with a store that did not have it yet; the reload after its own
    /// notice brings it back (parts change seldom, so the extra reload is cheap).
    /// </summary>
    private void Heard(string payload)
    {
        if (!StoreChangeNotices.TryRead(payload, out var part, out var instance))
        {
            Log.Malformed(logger, payload.Length);
        }
        else if (!_parts.ContainsKey(part))
        {
            Log.UnknownPart(logger, part.Length > 40 ? part[..40] : part);
        }
        else
        {
            MarkDue([part]);
        }
    }

    private void MarkDue(IEnumerable<string> parts)
    {
        lock (_lock)
        {
            _due.UnionWith(parts);
        }

        _reloadDue.Notify();
    }

    private async Task ReloadAsync(CancellationToken stoppingToken)
    {
        // Not before the store service migrated and restored: a reload must neither find no tables nor race the first restore.
        using (var store = status.Subscribe())
        {
            while (!status.IsAvailable)
            {
                await store.WaitForChangeAsync(stoppingToken);
            }
        }

        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(10), Random.Shared);
        while (await _reloadDue.WaitForChangeAsync(stoppingToken))
        {
            while (TakeDue() is { } part)
            {
                if (await TryReloadAsync(part, stoppingToken))
                {
                    backoff.Reset();
                }
                else
                {
                    MarkDue([part.Part]);
                    await Task.Delay(backoff.Next(), timeProvider, stoppingToken);
                }
            }
        }
    }

    private ISharedInStore? TakeDue()
    {
        lock (_lock)
        {
            if (_due.Count == 0)
            {
                return null;
            }

            var part = _due.First();
            _due.Remove(part);
            return _parts[part];
        }
    }

    private async Task<bool> TryReloadAsync(ISharedInStore part, CancellationToken stoppingToken)
    {
        try
        {
            await using var store = await stores.CreateDbContextAsync(stoppingToken);
            await part.ReloadAsync(store, stoppingToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Log.ReloadFailed(logger, part.Part, ex.GetType().Name, ex.Message);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Listening for changes the other instances make ({Parts} shared parts)")]
        public static partial void Listening(ILogger logger, int parts);

        [LoggerMessage(2, LogLevel.Warning, "Not hearing the other instances' changes ({Error}: {Message}); reconnecting, then reloading every shared part")]
        public static partial void Lost(ILogger logger, string error, string message);

        [LoggerMessage(3, LogLevel.Warning, "Dropped a notice on blf_store that is not part:instance ({Length} characters)")]
        public static partial void Malformed(ILogger logger, int length);

        [LoggerMessage(4, LogLevel.Warning, "Dropped a notice on blf_store for a part this instance does not have ({Part})")]
        public static partial void UnknownPart(ILogger logger, string part);

        [LoggerMessage(5, LogLevel.Warning, "Reloading {Part} from the store failed ({Error}: {Message}); retried")]
        public static partial void ReloadFailed(ILogger logger, string part, string error, string message);
    }
}
