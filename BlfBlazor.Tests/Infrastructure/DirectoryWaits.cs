using BlfBlazor.State;

namespace BlfBlazor.Tests.Infrastructure;

public static class DirectoryWaits
{
    /// <summary>
    /// Waits, on the directory's own change notifications, until <paramref name="condition"/> holds.
    /// The timeout only turns a hang into a failure that says what the board looked like.
    /// </summary>
    public static async Task<DirectorySnapshot> WaitForAsync(this UserDirectory directory, Func<DirectorySnapshot, bool> condition, string what)
    {
        using var subscription = directory.Subscribe();
        using var timeout = new CancellationTokenSource(TestTimeouts.StateShown);
        while (true)
        {
            var snapshot = directory.Current;
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
                throw new TimeoutException($"Gave up waiting for {what}: the board is {snapshot.Status.Token} ({snapshot.Status.Problem}) with {snapshot.Users.Length} users.");
            }
        }
    }

    public static Task<DirectorySnapshot> WaitForLiveAsync(this UserDirectory directory, int users) =>
        directory.WaitForAsync(s => s.Status.State == ConnectionState.Live && s.Users.Length == users, $"live with {users} users");
}
