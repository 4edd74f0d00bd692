using BlfBlazor.State;
using BlfBlazor.Store;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static BlfBlazor.Tests.MissedCalls.MissedCallHarness;

namespace BlfBlazor.Tests.MissedCalls;

/// <summary>
/// Missed calls are kept <c>Blf:MissedCalls:Days</c> and no longer, on the tile and in a real SQLite
/// store, on a fake clock; what the store kept comes back after a restart, within today's privacy.
/// </summary>
[Trait("Category", "Database")]
public sealed class MissedCallRetentionTests : IDisposable
{
    private readonly TestStores.SqliteFile _file = TestStores.NewSqliteFile();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Calls_older_than_the_retention_leave_the_tile_and_the_store_when_pruned()
    {
        using var pbx = new MissedCallHarness(days: 14);
        await pbx.ListCastAsync();
        await MissAsync(pbx, 301, "C301");
        pbx.Time.Advance(TimeSpan.FromDays(2));
        await MissAsync(pbx, 302, "C302");
        await SaveQueuedAsync(pbx);

        // Day 15 after the first: only the second is within 14 days.
        pbx.Time.Advance(TimeSpan.FromDays(13));
        Assert.Equal(["C302"], pbx.Book.Of("g-bob").Calls.Select(c => c.CallKey));

        await using (var store = await OpenAsync())
        {
            await pbx.Book.PruneAsync(store, CancellationToken.None);
        }

        await using (var store = await OpenAsync())
        {
            Assert.Equal(["C302"], await store.MissedCalls.Select(r => r.CallKey).ToListAsync());
        }
    }

    [Fact]
    public async Task After_a_restart_the_kept_calls_are_back_and_shown_within_todays_call_details()
    {
        using (var before = new MissedCallHarness(CallDetails.Full))
        {
            await before.ListCastAsync();
            await MissAsync(before, 301, "C301");
            await SaveQueuedAsync(before);
        }

        // The admin narrowed Blf:CallDetails meanwhile: the number kept under Full is not shown any more.
        using var after = new MissedCallHarness(CallDetails.Internal);
        await using (var store = await OpenAsync())
        {
            await after.Book.RestoreAsync(store, CancellationToken.None);
        }

        var missed = Assert.Single(after.Book.Of("g-bob").Calls);
        Assert.Equal(("C301", MissedOutcome.Nobody, null), (missed.CallKey, missed.Outcome, missed.Peer?.Number));
        Assert.Equal(1, after.Book.Of("g-bob").Unanswered);
    }

    [Fact]
    public async Task After_a_restart_a_call_that_rang_before_the_users_last_call_still_counts_as_seen()
    {
        using (var before = new MissedCallHarness())
        {
            await before.ListCastAsync();
            await MissAsync(before, 301, "C301");
            await before.FeedAsync(Answered(12, 401, "C401"));
            before.Time.Advance(TimeSpan.FromMinutes(1));
            await before.FeedAsync(Answered(12, 402, "C402"));

            // A caller rings Bob while he takes another call, and gives up after he answered it.
            before.Time.Advance(TimeSpan.FromMinutes(1));
            await before.FeedAsync(Rings(12, 303, "C303"));
            before.Time.Advance(TimeSpan.FromSeconds(5));
            await before.FeedAsync([.. Rings(12, 403, "C403"), CallInfo(12, 403, 133, "x-conn")]);
            before.Time.Advance(TimeSpan.FromSeconds(5));
            await before.FeedAsync(Ends(12, 303, NormalClearing));

            var bob = before.Book.Of("g-bob");
            Assert.Equal(["C303", "C301"], bob.Calls.Select(c => c.CallKey));
            Assert.Equal(0, bob.Unanswered);
            await SaveQueuedAsync(before);
        }

        using var after = new MissedCallHarness();
        await using (var store = await OpenAsync())
        {
            await after.Book.RestoreAsync(store, CancellationToken.None);
        }

        var restored = after.Book.Of("g-bob");
        Assert.Equal(["C303", "C301"], restored.Calls.Select(c => c.CallKey));
        Assert.Equal(0, restored.Unanswered);
    }

    private static async Task MissAsync(MissedCallHarness pbx, int call, string conf)
    {
        await pbx.FeedAsync(Rings(12, call, conf));
        pbx.Time.Advance(TimeSpan.FromSeconds(10));
        await pbx.FeedAsync(Ends(12, call, NormalClearing));
    }

    /// <summary>What the store service would do with the queue: stage every write and save.</summary>
    private async Task SaveQueuedAsync(MissedCallHarness pbx)
    {
        await using var store = await OpenAsync();
        while (pbx.Writes.Reader.TryRead(out var write))
        {
            await write.StageAsync(store, CancellationToken.None);
        }

        await store.SaveChangesAsync();
    }

    private async Task<BlfStore> OpenAsync()
    {
        var store = TestStores.Open(StoreProvider.Sqlite, _file.ConnectionString);
        await store.Database.MigrateAsync();
        return store;
    }
}
