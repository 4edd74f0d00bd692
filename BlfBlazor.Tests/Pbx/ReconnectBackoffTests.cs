using BlfBlazor.Pbx.Connection;

namespace BlfBlazor.Tests.Pbx;

[Trait("Category", "Unit")]
public class ReconnectBackoffTests
{
    [Fact]
    public void Doubles_from_half_a_second_to_a_thirty_second_cap_with_jitter()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30), new Random(1));

        double[] bases = [0.5, 1, 2, 4, 8, 16, 30, 30, 30, 30];
        foreach (var expected in bases)
        {
            var delay = backoff.Next().TotalSeconds;
            Assert.InRange(delay, expected * 0.8, Math.Min(expected * 1.2, 30));
        }
    }

    [Fact]
    public void Starts_over_after_a_reset()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30), new Random(2));
        for (var i = 0; i < 8; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.InRange(backoff.Next().TotalSeconds, 0.4, 0.6);
    }

    [Fact]
    public void Jitter_spreads_boards_that_lost_the_pbx_at_the_same_moment()
    {
        var delays = Enumerable.Range(0, 20)
            .Select(seed => new ReconnectBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30), new Random(seed)))
            .Select(b => { b.Next(); b.Next(); return b.Next(); })
            .ToList();

        Assert.True(delays.Distinct().Count() > 15);
    }
}
