using BlfBlazor.Callbacks;
using BlfBlazor.PersonalBoards;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Store;

/// <summary>
/// Two instances of the real app on one real PostgreSQL database, as behind a load balancer: what a
/// person changes on one (a star, a saved view, a message taken for a colleague, and each taken away
/// again) is on the other without polling.
/// </summary>
[Trait("Category", "Database")]
[Collection(PostgreSqlCollection.Name)]
public sealed class SharedBetweenInstancesTests(PostgreSqlCluster postgres) : IAsyncDisposable
{
    private const string Person = "sub-of-anna";

    private readonly BoardTestHost _host = new(users: 3, seed: 31);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_star_and_a_saved_view_made_on_one_instance_are_on_the_other_and_so_is_taking_the_star_away()
    {
        var database = await postgres.CreateDatabaseAsync();
        await _host.StartAsync();
        var a = await StartInstanceAsync(database);
        var b = await StartInstanceAsync(database);
        var colleague = _host.Pbx.Users[0].Guid;

        Assert.True(a.SetFavourite(Person, colleague, favourite: true));
        Assert.True(a.SaveView(Person, "Reception", "state=ringing"));
        await WaitAsync(b, board => board.Favourites.Contains(colleague) && board.Views.Any(view => view.Name == "Reception"), "A's star and view on B");

        // Taken away on B: A's memory must lose it too (a reload replaces, it does not merge).
        Assert.True(b.SetFavourite(Person, colleague, favourite: false));
        await WaitAsync(a, board => !board.Favourites.Contains(colleague), "the star taken away on B, on A");
        Assert.Contains(a.Of(Person).Views, view => view.Name == "Reception");
    }

    [Fact]
    public async Task A_message_taken_on_one_instance_shows_on_the_others_tile_and_done_there_clears_it_here()
    {
        var database = await postgres.CreateDatabaseAsync();
        await _host.StartAsync();
        var a = await StartAppAsync(database);
        var b = await StartAppAsync(database);
        var colleague = _host.Pbx.Users[1].Guid;
        var callback = new Callback("cb-shared", colleague, new CallPeer("Mr Keller", null, IsInternal: false), "About the invoice", CallbackUrgency.Urgent, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "olivia.op");

        Assert.Equal(CallbackResult.Done, a.Services.GetRequiredService<CallbackBook>().Take(callback));
        await b.Directory.WaitForAsync(board => OpenOf(board, colleague) == 1, "A's message on B's tile");

        Assert.Equal(CallbackResult.Done, b.Services.GetRequiredService<CallbackBook>().Done("cb-shared", "olivia.op"));
        await a.Directory.WaitForAsync(board => OpenOf(board, colleague) == 0, "the message done on B, gone from A's tile");
    }

    private static int OpenOf(DirectorySnapshot board, string guid) => board.Users.Single(user => user.Guid == guid).Callbacks.Open.Count;

    private async Task<PersonalBoardBook> StartInstanceAsync(string database) =>
        (await StartAppAsync(database)).Services.GetRequiredService<PersonalBoardBook>();

    /// <summary>An app on the database, live, with its store migrated and listening to the other instances.</summary>
    private async Task<BoardApp> StartAppAsync(string database)
    {
        var app = await _host.StartLiveAppAsync(TestStores.OnPostgreSql(database));
        await TestStores.WaitForSharedStoreAsync(app);
        return app;
    }

    private static Task<PersonalBoard> WaitAsync(PersonalBoardBook book, Func<PersonalBoard, bool> condition, string what) =>
        DirectoryWaits.WaitAsync(book.Subscribe, () => book.Of(Person), condition, board => $"Gave up waiting for {what}: {board.Favourites.Count} stars, {board.Views.Count} views.");
}
