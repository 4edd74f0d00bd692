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

        // Which tiles change, beyond the marking as last known and live again: only tiles sent again can.
        await page.EvaluateAsync(
            """
            () => {
                window.blfTouched = new Set();
                new MutationObserver(records => records
                    .filter(r => r.type !== 'attributes' || (r.attributeName !== 'data-stale' && r.attributeName !== 'aria-describedby'))
                    .forEach(r => {
                        const node = r.target.nodeType === Node.ELEMENT_NODE ? r.target : r.target.parentElement;
                        const tile = node.closest('[data-testid=blf-tile]') ?? node.querySelector(':scope > [data-testid=blf-tile]');
                        if (tile && !node.closest('.tile-since')) window.blfTouched.add(tile.dataset.guid);
                    }))
                    .observe(document.querySelector('[data-testid=blf-tiles]'), { subtree: true, childList: true, attributes: true, characterData: true });
            }
            """);
        _host.Pbx.DropConnections();
        var backoff = await _time.WaitForBackoffAsync();
        await Expect(page.Locator("[data-testid=blf-tile][data-stale=true]")).ToHaveCountAsync(10);
        await StaleTiles.ExpectLastKnownAsync(page.GetByTestId("blf-tile").First, "last known");
        Assert.Empty(await page.EvaluateAsync<string[]>("() => [...window.blfTouched]"));

        var user = _host.Pbx.Users.First(u => Lamps.Expected(u) != "busy");
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 1, alert: 0);
        _time.Advance(backoff);

        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        await Expect(page.Locator("[data-testid=blf-tile][data-stale]")).ToHaveCountAsync(0);
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "busy");
        await Expect(page.Locator("[data-testid=blf-tile]")).ToHaveCountAsync(10);

        // The resync re-sent only the tile that changed meanwhile; nothing else of any other tile changed.
        Assert.Equal([user.Guid], await page.EvaluateAsync<string[]>("() => [...window.blfTouched]"));
    }
}
