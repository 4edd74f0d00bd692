using System.Diagnostics;

namespace BlfBlazor.Benchmarks.Infrastructure;

internal static class Wait
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/>.</summary>
    public static async Task UntilAsync(string what, TimeSpan timeout, Func<Task<bool>> condition, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            while (!await condition())
            {
                await Task.Delay(s_poll, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
        }
    }

    /// <summary>
    /// Polls <paramref name="remaining"/> every 250 ms (at least once) until it counts nothing left
    /// or <paramref name="limit"/> has passed; returns what was left and, if it settled, the time from
    /// <paramref name="start"/> (a <see cref="Stopwatch"/> timestamp) in ms.
    /// </summary>
    public static async Task<(int Remaining, double SettledAfterMs)> SettledAsync(long start, TimeSpan limit, Func<Task<int>> remaining, CancellationToken ct)
    {
        while (true)
        {
            var left = await remaining();
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (left == 0 || elapsed >= limit)
            {
                return (left, left == 0 ? elapsed.TotalMilliseconds : double.NaN);
            }

            await Task.Delay(250, ct);
        }
    }
}
