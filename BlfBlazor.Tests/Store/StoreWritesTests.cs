using BlfBlazor.MissedCalls;
using BlfBlazor.Store;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Store;

/// <summary>While the store is away writes wait in memory up to the bound; past it they are refused, and the log says so without a line per write.</summary>
[Trait("Category", "Unit")]
public sealed class StoreWritesTests
{
    [Fact]
    public void Writes_past_the_bound_are_refused_and_logged_once_a_minute()
    {
        var logs = new CapturedLogs();
        using var loggers = new Microsoft.Extensions.Logging.LoggerFactory([logs]);
        var time = new FakeTimeProvider();
        var status = new StoreStatus();
        var writes = new StoreWrites(Options.Create(new StoreOptions { MaxPendingWrites = 2 }), status, time, new Microsoft.Extensions.Logging.Logger<StoreWrites>(loggers));

        Assert.True(writes.Enqueue(new SaveLastCall("g1", 1)));
        Assert.True(writes.Enqueue(new SaveLastCall("g2", 2)));
        Assert.False(writes.Enqueue(new SaveLastCall("g3", 3)));
        Assert.False(writes.Enqueue(new SaveLastCall("g4", 4)));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(writes.Enqueue(new SaveLastCall("g5", 5)));

        Assert.Equal(2, status.Pending);
        var refusals = logs.Entries.Where(e => e.Text.Contains("Blf:Store:MaxPendingWrites", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, refusals.Count);
        Assert.Contains("refused 2 more", refusals[1].Text, StringComparison.Ordinal);
    }
}
