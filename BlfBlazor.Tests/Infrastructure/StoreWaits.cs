using BlfBlazor.Store;

namespace BlfBlazor.Tests.Infrastructure;

public static class StoreWaits
{
    /// <summary>
    /// Waits, on the store service's own notifications (it signals when the store comes or goes and
    /// after every saved batch), until <paramref name="condition"/> holds. The timeout only turns a hang
    /// into a failure that says what was awaited.
    /// </summary>
    public static async Task WaitForAsync(this StoreStatus status, Func<Task<bool>> condition, string what)
    {
        using var subscription = status.Subscribe();
        using var timeout = new CancellationTokenSource(TestTimeouts.StateShown);
        while (!await condition())
        {
            try
            {
                await subscription.WaitForChangeAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting for {what}: the store is {status.State} with {status.Pending} writes waiting.");
            }
        }
    }

    public static Task WaitForAsync(this StoreStatus status, Func<StoreStatus, bool> condition, string what) =>
        status.WaitForAsync(() => Task.FromResult(condition(status)), what);
}
