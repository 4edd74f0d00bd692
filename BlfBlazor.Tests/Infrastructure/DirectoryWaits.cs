using BlfBlazor.State;

namespace BlfBlazor.Tests.Infrastructure;

public static class DirectoryWaits
{
    /// <summary>
    /// Waits, on the directory's own change notifications, until <paramref name="condition"/> holds.
    /// The timeout only turns a hang into a failure that says what the board looked like.
    /// </summary>
    public static Task<DirectorySnapshot> WaitForAsync(this UserDirectory directory, Func<DirectorySnapshot, bool> condition, string what) =>
        WaitAsync(directory.Subscribe, () => directory.Current, condition, snapshot => $"Gave up waiting for {what}: the board is {snapshot.Status.Token} ({snapshot.Status.Problem}) with {snapshot.Users.Length} users.");

    public static Task<DirectorySnapshot> WaitForLiveAsync(this UserDirectory directory, int users) =>
        directory.WaitForAsync(s => s.Status.State == ConnectionState.Live && s.Users.Length == users, $"live with {users} users");

    /// <summary>
    /// Waits until the calls of <paramref name="users"/> users are monitored: a call that rings and ends
    /// before its user's monitor is up never reaches the board (live only means the list is complete).
    /// </summary>
    public static Task<MonitoringStatus> WaitForMonitoredAsync(this UserDirectory directory, int users) =>
        WaitAsync(directory.Subscribe, () => directory.Monitoring, m => m.Monitored >= users, m => $"Gave up waiting for {users} users' calls monitored: {m.Monitored} are.");

    /// <summary>Waits, on the queues' own change notifications, until <paramref name="condition"/> holds.</summary>
    public static Task<QueuesSnapshot> WaitForAsync(this WaitingQueues queues, Func<QueuesSnapshot, bool> condition, string what) =>
        WaitAsync(queues.Subscribe, () => queues.Current, condition, snapshot => $"Gave up waiting for {what}: {snapshot.Queues.Length} queues, version {snapshot.Version}.");

    /// <summary>Waits, on <paramref name="subscribe"/>'s notifications, until <paramref name="condition"/> holds for <paramref name="current"/>.</summary>
    internal static async Task<T> WaitAsync<T>(Func<DirectorySubscription> subscribe, Func<T> current, Func<T, bool> condition, Func<T, string> gaveUp)
    {
        using var subscription = subscribe();
        using var timeout = new CancellationTokenSource(TestTimeouts.StateShown);
        while (true)
        {
            var snapshot = current();
            if (condition(snapshot))
            {
                return snapshot;
            }

            try
            {
                await subscription.WaitForChangeAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(gaveUp(snapshot));
            }
        }
    }
}
