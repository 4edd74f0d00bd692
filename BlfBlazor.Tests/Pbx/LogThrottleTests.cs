using BlfBlazor.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Pbx;

/// <summary>A flood of dropped frames costs the log one line per interval, which says how many it stands for.</summary>
[Trait("Category", "Unit")]
public class LogThrottleTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void One_line_per_interval_with_the_count_of_the_suppressed()
    {
        var throttle = new LogThrottle(_time, TimeSpan.FromSeconds(10));

        Assert.True(throttle.ShouldLog(out var suppressed));
        Assert.Equal(0, suppressed);

        for (var i = 0; i < 41; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            Assert.False(throttle.ShouldLog(out _));
        }

        // 41 × 200 ms = 8.2 s after the first line: still inside the interval.
        _time.Advance(TimeSpan.FromMilliseconds(1_799));
        Assert.False(throttle.ShouldLog(out _));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(throttle.ShouldLog(out suppressed));
        Assert.Equal(42, suppressed);

        // The count starts over with each line.
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(throttle.ShouldLog(out suppressed));
        Assert.Equal(0, suppressed);
    }
}
