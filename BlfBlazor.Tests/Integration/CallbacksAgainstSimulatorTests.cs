using BlfBlazor.Callbacks;
using BlfBlazor.State;
using BlfBlazor.Store;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// The real app against the simulator with a real store (SQLite and PostgreSQL): the store service writes
/// a callback taken on the board, and after a restart of the app the colleague's tile counts it again.
/// </summary>
[Trait("Category", "Database")]
[Collection(PostgreSqlCollection.Name)]
public sealed class CallbacksAgainstSimulatorTests(PostgreSqlCluster postgres) : IAsyncDisposable
{
    private readonly BoardTestHost _host = new(users: 6, seed: 23);
    private readonly TestStores.SqliteFile _file = TestStores.NewSqliteFile();

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _file.Dispose(); // after the apps that have it open
    }

    [Fact]
    public Task In_sqlite_an_open_callback_is_on_the_tile_again_after_the_app_restarts() =>
        RestartKeepsAsync(StoreProvider.Sqlite, _file.ConnectionString);

    [Fact]
    public async Task In_postgresql_an_open_callback_is_on_the_tile_again_after_the_app_restarts() =>
        await RestartKeepsAsync(StoreProvider.PostgreSql, await postgres.CreateDatabaseAsync());

    private async Task RestartKeepsAsync(StoreProvider provider, string connectionString)
    {
        var settings = new Dictionary<string, string?> { ["Blf:Store:Provider"] = provider.ToString(), ["ConnectionStrings:Blf"] = connectionString };
        await _host.StartAsync();
        var bob = _host.Pbx.Users[1];
        var message = new Callback("cb-restart", bob.Guid, new CallPeer("Mr Keller", null, IsInternal: false), "About the invoice", CallbackUrgency.Urgent, 1_800_000_000_000, "olivia.op");
        await using (var first = await _host.StartLiveAppAsync(settings))
        {
            Assert.Equal(CallbackResult.Done, first.Services.GetRequiredService<CallbackBook>().Take(message));
            await TestStores.WaitForRowAsync(first.Services.GetRequiredService<StoreStatus>(), provider, connectionString, store => store.Callbacks.AnyAsync(row => row.Id == message.Id), "the callback in the store");
        }

        var second = await _host.StartLiveAppAsync(settings);
        await second.Services.GetRequiredService<StoreStatus>().WaitForAsync(
            _ => second.Directory.Current.Users.Single(u => u.Guid == bob.Guid).Callbacks.Open.Count == 1, "the kept callback back on Bob's tile");

        var back = Assert.Single(second.Directory.Current.Users.Single(u => u.Guid == bob.Guid).Callbacks.Open);
        Assert.Equal((message.Id, "About the invoice", CallbackUrgency.Urgent, "olivia.op"), (back.Id, back.Note, back.Urgency, back.TakenBy));
    }
}
