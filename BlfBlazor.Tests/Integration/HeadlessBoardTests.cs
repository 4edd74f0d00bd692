using BlfBlazor.Benchmarks.Circuits;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.Components.Board;
using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// The benchmark's headless board (its own circuit client and render-batch decoder) against the real
/// app and simulator: what it decodes from a real circuit is what a browser would show.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HeadlessBoardTests : IAsyncLifetime
{
    private readonly BoardTestHost _host = new(users: 40, seed: 11);

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Decodes_every_tile_of_a_real_circuit_then_each_change_marked_stale_and_live_again()
    {
        var app = await _host.StartLiveAppAsync();
        using var http = new HttpClient();
        await using var board = await HeadlessBoard.OpenAsync(http, app.BaseAddress, expectedTiles: 40, CancellationToken.None);
        await board.WaitCompleteAsync(TestTimeouts.StateShown, CancellationToken.None);

        var expected = _host.Pbx.Users.ToDictionary(u => u.Guid, Lamps.Expected);
        Assert.Equal(expected, board.Tiles().ToDictionary(t => t.Key, t => t.Value.State));
        Assert.All(board.Tiles().Values, tile => Assert.False(tile.Stale));

        var user = _host.Pbx.Users.First(u => Lamps.Expected(u) != "ringing");
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 1);
        await board.WaitForTileAsync(user.Guid, tile => tile is { State: "ringing", Stale: false }, TestTimeouts.StateShown);

        // The PBX goes away and comes back: the board is marked last known as a whole (one flag, no tile
        // re-sent), then live again, so the board took every payload in between.
        _host.Pbx.DropConnections();
        await board.WaitForTileAsync(user.Guid, tile => tile.Stale, TestTimeouts.StateShown);
        await board.WaitForTileAsync(user.Guid, tile => tile is { State: "ringing", Stale: false }, TestTimeouts.StateShown);
        Assert.Null(board.Lost);
    }

    [Fact]
    public async Task Boards_of_one_view_share_its_arrangement_and_no_view_outlives_its_boards()
    {
        var app = await _host.StartLiveAppAsync();
        var arrangements = app.Services.GetRequiredService<BoardArrangements>();
        using var http = new HttpClient();

        // A page only prerendered (a crawler, a preview) shows a view of its own and then goes.
        Assert.Contains("blf-empty", await http.GetStringAsync(new Uri(app.BaseAddress, "/?q=nobody-has-this-name")), StringComparison.Ordinal);

        var boards = new List<HeadlessBoard>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var board = await HeadlessBoard.OpenAsync(http, app.BaseAddress, expectedTiles: 40, CancellationToken.None);
                boards.Add(board);
                await board.WaitCompleteAsync(TestTimeouts.StateShown, CancellationToken.None);
            }

            await Wait.UntilAsync("one view for three boards", TestTimeouts.StateShown, () => Task.FromResult(arrangements.ViewCount == 1), CancellationToken.None);

            var user = _host.Pbx.Users.First(u => Lamps.Expected(u) != "ringing");
            _host.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 1);
            foreach (var board in boards)
            {
                await board.WaitForTileAsync(user.Guid, tile => tile is { State: "ringing", Stale: false }, TestTimeouts.StateShown);
            }
        }
        finally
        {
            foreach (var board in boards)
            {
                await board.DisposeAsync();
            }
        }

        await Wait.UntilAsync("no view once every board closed", TestTimeouts.StateShown, () => Task.FromResult(arrangements.ViewCount == 0), CancellationToken.None);
    }
}
