using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>A board that lost the PBX must say so, on every tile, until it is live again.</summary>
[Trait("Category", "Browser")]
public sealed class StaleBoardTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly SteppedTimeProvider _time = new();
    private readonly BoardTestHost _host = new(users: 10, seed: 9, chromium: chromium);

    public Task InitializeAsync() => _host.StartWithLiveAppAsync(time: _time);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Losing_the_pbx_marks_every_tile_last_known_and_the_board_heals_by_itself()
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(_host.App.BaseAddress.ToString());
        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        await Expect(page.Locator("[data-testid=blf-tile][data-stale]")).ToHaveCountAsync(0);

        _host.Pbx.DropConnections();
        var backoff = await _time.WaitForBackoffAsync();

        await Expect(board).ToHaveAttributeAsync("data-connection", "reconnecting");
        await Expect(page.GetByTestId("blf-connection")).ToContainTextAsync("Connection to the PBX lost at");
        await Expect(page.Locator("[data-testid=blf-tile][data-stale=true]")).ToHaveCountAsync(10);
        await StaleTiles.ExpectLastKnownAsync(page.GetByTestId("blf-tile").First, "last known");
        await Screenshots.SaveAsync(page, "board-reconnecting");

        // A change made while the board was away shows once it is back.
        var user = _host.Pbx.Users[0];
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 1, alert: 0);
        _time.Advance(backoff);

        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        await Expect(page.Locator("[data-testid=blf-tile][data-stale]")).ToHaveCountAsync(0);
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "busy");
    }

    [Fact]
    public async Task A_pbx_drop_marks_the_tiles_in_place_as_a_whole_and_the_resync_redraws_only_what_changed()
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(_host.App.BaseAddress.ToString());
        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        await Expect(page.Locator("[data-testid=blf-tile][data-stale]")).ToHaveCountAsync(0);

        // A tile's content is new elements only where the tile was sent again.
        await page.EvaluateAsync("() => document.querySelectorAll('[data-testid=blf-tile] > .tile-name').forEach(name => name.blfMark = true)");
        _host.Pbx.DropConnections();
        var backoff = await _time.WaitForBackoffAsync();
        await Expect(page.Locator("[data-testid=blf-tile][data-stale=true]")).ToHaveCountAsync(10);
        await StaleTiles.ExpectLastKnownAsync(page.GetByTestId("blf-tile").First, "last known");
        Assert.Equal(10, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('[data-testid=blf-tile] > .tile-name')].filter(name => name.blfMark).length"));

        var user = _host.Pbx.Users.First(u => Lamps.Expected(u) != "busy");
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 1, alert: 0);
        _time.Advance(backoff);

        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        await Expect(page.Locator("[data-testid=blf-tile][data-stale]")).ToHaveCountAsync(0);
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "busy");
        await Expect(page.Locator("[data-testid=blf-tile]")).ToHaveCountAsync(10);

        // The resync re-sent only the tile that changed meanwhile; the others are still the same elements.
        var redrawn = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[data-testid=blf-tile]')].filter(t => !t.querySelector(':scope > .tile-name').blfMark).map(t => t.dataset.guid)");
        Assert.Equal([user.Guid], redrawn);
    }
}
