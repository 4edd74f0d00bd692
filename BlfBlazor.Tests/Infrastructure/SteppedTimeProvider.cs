using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// Fake time that also tells when someone starts waiting on it, so a test can advance the clock
/// exactly when the app is in its backoff, instead of guessing with sleeps.
/// </summary>
public sealed class SteppedTimeProvider() : FakeTimeProvider(DateTimeOffset.UtcNow)
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits until a timer with a due time the filter accepts is created; returns that due time.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> filter)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.StateShown);
        while (true)
        {
            var due = await _timers.Reader.ReadAsync(timeout.Token);
            if (filter(due))
            {
                return due;
            }
        }
    }

    /// <summary>A reconnect backoff is between 0.4 s and 36 s (0.5 s to 30 s, ±20 % jitter).</summary>
    public Task<TimeSpan> WaitForBackoffAsync() =>
        WaitForTimerAsync(due => due >= TimeSpan.FromSeconds(0.39) && due <= TimeSpan.FromSeconds(36));
}
