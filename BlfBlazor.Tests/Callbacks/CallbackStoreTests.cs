using BlfBlazor.State;
using BlfBlazor.Store;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BlfBlazor.Tests.Callbacks;

/// <summary>
/// Callbacks in a real SQLite file and a real PostgreSQL: the migrations from empty create the table, a
/// restart finds the open ones again, a second instance's reload takes over what the other changed
/// (done there, gone here), and a number <c>Blf:CallDetails</c> hides is in no table.
/// </summary>
[Trait("Category", "Database")]
[Collection(PostgreSqlCollection.Name)]
public sealed class CallbackStoreTests(PostgreSqlCluster postgres) : IDisposable
{
    private readonly TestStores.SqliteFile _file = TestStores.NewSqliteFile();

    public void Dispose() => _file.Dispose();

    [Fact]
    public Task In_sqlite_callbacks_survive_a_restart_and_a_reload_replaces_what_another_instance_changed() =>
        SurvivesAndReloadsAsync(StoreProvider.Sqlite, _file.ConnectionString);

    [Fact]
    public async Task In_postgresql_callbacks_survive_a_restart_and_a_reload_replaces_what_another_instance_changed() =>
        await SurvivesAndReloadsAsync(StoreProvider.PostgreSql, await postgres.CreateDatabaseAsync());

    [Fact]
    public Task In_sqlite_no_hidden_number_is_written() => NoHiddenNumberAsync(StoreProvider.Sqlite, _file.ConnectionString);

    [Fact]
    public async Task In_postgresql_no_hidden_number_is_written() => await NoHiddenNumberAsync(StoreProvider.PostgreSql, await postgres.CreateDatabaseAsync());

    private static async Task SurvivesAndReloadsAsync(StoreProvider provider, string connectionString)
    {
        await using (var store = TestStores.Open(provider, connectionString))
        {
            await store.Database.MigrateAsync();
            Assert.Contains("20261207120000_Callbacks", await store.Database.GetAppliedMigrationsAsync());
        }

        // The first instance takes two messages for Anna; both reach the store (one retried: still one row).
        var first = new CallbackHarness();
        var invoice = first.Message("g-anna", "About the invoice", CallbackUrgency.Urgent);
        first.Book.Take(invoice);
        first.Time.Advance(TimeSpan.FromMinutes(1));
        var delivery = first.Message("g-anna", "About the delivery");
        first.Book.Take(delivery);
        var queued = first.Queued();
        await TestStores.SaveAsync(provider, connectionString, [.. queued, queued[0]]);

        // A restart (or a second instance starting) finds them open, as they were taken.
        var second = new CallbackHarness();
        await using (var store = TestStores.Open(provider, connectionString))
        {
            await second.Book.RestoreAsync(store, CancellationToken.None);
        }

        var restored = second.Shown("g-anna").Callbacks.Open;
        Assert.Equal([(delivery.Id, CallbackUrgency.Normal, "olivia"), (invoice.Id, CallbackUrgency.Urgent, "olivia")], restored.Select(c => (c.Id, c.Urgency, c.TakenBy)));
        Assert.Equal(("Mr Keller", "+4971112345", "About the invoice"), (second.Book.Find(invoice.Id)!.Caller!.Name, second.Book.Find(invoice.Id)!.Caller!.Number, second.Book.Find(invoice.Id)!.Note));

        // The first marks one done; the second, told that "callbacks" changed, reloads: it is done there too.
        first.Book.Done(invoice.Id, "anna-sub");
        await TestStores.SaveAsync(provider, connectionString, [.. first.Queued()]);
        await using (var store = TestStores.Open(provider, connectionString))
        {
            await second.Book.ReloadAsync(store, CancellationToken.None);
        }

        Assert.Equal([delivery.Id], second.Shown("g-anna").Callbacks.Open.Select(c => c.Id));
        Assert.Equal("anna-sub", second.Book.Find(invoice.Id)!.DoneBy);

        // Past the retention the done one is pruned from the store; the open one stays however old.
        first.Time.Advance(TimeSpan.FromDays(15));
        await using (var store = TestStores.Open(provider, connectionString))
        {
            await first.Book.PruneAsync(store, CancellationToken.None);
        }

        await using (var store = TestStores.Open(provider, connectionString))
        {
            Assert.Equal([delivery.Id], await store.Callbacks.Select(row => row.Id).ToListAsync());
        }
    }

    private static async Task NoHiddenNumberAsync(StoreProvider provider, string connectionString)
    {
        var pbx = new CallbackHarness(CallDetails.Internal);
        pbx.Book.Take(pbx.Message("g-anna"));
        await using (var store = TestStores.Open(provider, connectionString))
        {
            await store.Database.MigrateAsync();
            await pbx.SaveQueuedAsync(store);
        }

        await using (var store = TestStores.Open(provider, connectionString))
        {
            var texts = await TestStores.AllTextAsync(store);
            Assert.Contains("Mr Keller", texts);
            Assert.DoesNotContain(texts, text => text.Contains("4971112345", StringComparison.Ordinal));
        }
    }
}
