using BlfBlazor.PersonalBoards;
using BlfBlazor.Store;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Store;

/// <summary>
/// Two instances of the real app on one real PostgreSQL database, as behind a load balancer: what a
/// person changes on one (a star, a saved view, taking one away) is on the other without polling.
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

    private async Task<PersonalBoardBook> StartInstanceAsync(string database)
    {
        var app = _host.StartApp(new Dictionary<string, string?> { ["Blf:Store:Provider"] = "PostgreSql", ["ConnectionStrings:Blf"] = database });
        await app.Services.GetRequiredService<StoreStatus>().WaitForAsync(s => s.IsAvailable && s.Listener == "listening", "the store migrated and listened to");
        return app.Services.GetRequiredService<PersonalBoardBook>();
    }

    private static Task<PersonalBoard> WaitAsync(PersonalBoardBook book, Func<PersonalBoard, bool> condition, string what) =>
        DirectoryWaits.WaitAsync(book.Subscribe, () => book.Of(Person), condition, board => $"Gave up waiting for {what}: {board.Favourites.Count} stars, {board.Views.Count} views.");
}
