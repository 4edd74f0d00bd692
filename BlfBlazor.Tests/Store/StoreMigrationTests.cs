using BlfBlazor.MissedCalls;
using BlfBlazor.State;
using BlfBlazor.Store;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BlfBlazor.Tests.Store;

/// <summary>
/// The migrations, written once for both providers, create from an empty database everything the
/// model uses, on a real SQLite file and a real PostgreSQL; the writes the board queues are idempotent there.
/// </summary>
[Trait("Category", "Database")]
[Collection(PostgreSqlCollection.Name)]
public sealed class StoreMigrationTests(PostgreSqlCluster postgres)
{
    [Fact]
    public async Task An_empty_sqlite_file_is_migrated_and_keeps_a_missed_call_once()
    {
        using var file = TestStores.NewSqliteFile();
        await MigratesAndKeepsOnceAsync(StoreProvider.Sqlite, file.ConnectionString);
    }

    [Fact]
    public async Task An_empty_postgresql_database_is_migrated_and_keeps_a_missed_call_once()
    {
        await MigratesAndKeepsOnceAsync(StoreProvider.PostgreSql, await postgres.CreateDatabaseAsync());
    }

    private static async Task MigratesAndKeepsOnceAsync(StoreProvider provider, string connectionString)
    {
        await using (var store = TestStores.Open(provider, connectionString))
        {
            await store.Database.MigrateAsync();
            Assert.Equal(store.Database.GetMigrations(), await store.Database.GetAppliedMigrationsAsync());
            Assert.Empty(await store.Database.GetPendingMigrationsAsync());
        }

        var missed = new MissedCall("g-bob", "C301", 1_800_000_000_000, 12_000, new CallPeer(null, "007031123456", IsInternal: false), MissedOutcome.Nobody);

        // Recorded, then retried after a failed save, then upgraded: one row, the last outcome, the first time.
        await TestStores.SaveAsync(provider, connectionString, new SaveMissedCall(missed), new SaveLastCall("g-bob", 1_700_000_000_000));
        await TestStores.SaveAsync(provider, connectionString, new SaveMissedCall(missed), new SaveLastCall("g-bob", 1_600_000_000_000));
        await TestStores.SaveAsync(provider, connectionString, new SaveMissedCall(missed with { AtUnixMs = 1_800_000_000_500, Outcome = MissedOutcome.Colleague }));

        await using (var store = TestStores.Open(provider, connectionString))
        {
            // A second start finds nothing to do.
            await store.Database.MigrateAsync();

            var row = Assert.Single(await store.MissedCalls.ToListAsync());
            Assert.Equal(("g-bob", "C301", 1_800_000_000_000, 12_000L, "007031123456", "colleague"), (row.UserGuid, row.CallKey, row.AtUnixMs, row.RangMs, row.PeerNumber, row.Outcome));
            Assert.Equal(1_700_000_000_000, Assert.Single(await store.LastCalls.ToListAsync()).AtUnixMs);
        }
    }
}
