using BlfBlazor.PersonalBoards;
using BlfBlazor.Store;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Store;

/// <summary>
/// Personal boards in a real SQLite file and a real PostgreSQL: the migration from empty creates their
/// tables, a restart (a new book restoring) keeps every favourite and view, writes repeated after a
/// failed save keep one row, and a reload (another instance saved) replaces what memory held.
/// </summary>
[Trait("Category", "Database")]
[Collection(PostgreSqlCollection.Name)]
public sealed class PersonalBoardStoreTests(PostgreSqlCluster postgres)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Sqlite_keeps_favourites_and_views_across_a_restart_and_a_reload_replaces()
    {
        using var file = TestStores.NewSqliteFile();
        await KeepsAcrossRestartAsync(StoreProvider.Sqlite, file.ConnectionString);
    }

    [Fact]
    public async Task Postgresql_keeps_favourites_and_views_across_a_restart_and_a_reload_replaces()
    {
        await KeepsAcrossRestartAsync(StoreProvider.PostgreSql, await postgres.CreateDatabaseAsync());
    }

    private async Task KeepsAcrossRestartAsync(StoreProvider provider, string connectionString)
    {
        await using (var store = TestStores.Open(provider, connectionString))
        {
            await store.Database.MigrateAsync();
            Assert.Contains("20261207130000_PersonalBoards", await store.Database.GetAppliedMigrationsAsync());
        }

        // One run: stars, views, the last view; every write saved twice (a retried batch) and once more after.
        var (first, writes) = Book();
        first.SetFavourite("sub-dora", "g-anna", favourite: true);
        first.SetFavourite("sub-dora", "g-bob", favourite: true);
        first.SetFavourite("sub-emil", "g-anna", favourite: true);
        first.SaveView("sub-dora", "Reception", "grp=reception-agents");
        first.SetLastView("sub-dora", "sort=state");
        var batch = Drain(writes);
        await SaveAsync(provider, connectionString, batch);
        await SaveAsync(provider, connectionString, batch);
        first.SetFavourite("sub-dora", "g-bob", favourite: false);
        first.SaveView("sub-dora", "Reception", "grp=reception-agents&group=pbxgroup");
        await SaveAsync(provider, connectionString, Drain(writes));

        // The restart: a new book restores what the store kept.
        var (second, _) = Book();
        await using (var store = TestStores.Open(provider, connectionString))
        {
            await second.RestoreAsync(store, CancellationToken.None);
        }

        Assert.Equal(["g-anna"], second.Of("sub-dora").Favourites);
        Assert.Equal(["g-anna"], second.Of("sub-emil").Favourites);
        Assert.Equal([new SavedView("Reception", "grp=reception-agents&group=pbxgroup")], second.Of("sub-dora").Views);
        Assert.Equal("sort=state", second.Of("sub-dora").LastView);
        await using (var store = TestStores.Open(provider, connectionString))
        {
            Assert.Equal(2, await store.Favourites.CountAsync());
        }

        // Another instance unstars: a reload here replaces (the deletion arrives), a restore would have kept it.
        var (third, thirdWrites) = Book();
        await using (var store = TestStores.Open(provider, connectionString))
        {
            await third.RestoreAsync(store, CancellationToken.None);
        }

        third.SetFavourite("sub-emil", "g-anna", favourite: false);
        await SaveAsync(provider, connectionString, Drain(thirdWrites));
        await using (var store = TestStores.Open(provider, connectionString))
        {
            await second.ReloadAsync(store, CancellationToken.None);
        }

        Assert.Empty(second.Of("sub-emil").Favourites);
        Assert.Equal(["g-anna"], second.Of("sub-dora").Favourites);
    }

    private (PersonalBoardBook Book, StoreWrites Writes) Book()
    {
        var writes = new StoreWrites(Options.Create(new StoreOptions()), new StoreStatus(), _time, NullLogger<StoreWrites>.Instance);
        return (new PersonalBoardBook(writes, Options.Create(new PersonalBoardOptions()), _time, NullLogger<PersonalBoardBook>.Instance), writes);
    }

    private static List<StoreWrite> Drain(StoreWrites writes)
    {
        var drained = new List<StoreWrite>();
        while (writes.Reader.TryRead(out var write))
        {
            drained.Add(write);
        }

        return drained;
    }

    private static async Task SaveAsync(StoreProvider provider, string connectionString, List<StoreWrite> writes)
    {
        await using var store = TestStores.Open(provider, connectionString);
        foreach (var write in writes)
        {
            await write.StageAsync(store, CancellationToken.None);
        }

        await store.SaveChangesAsync();
    }
}
