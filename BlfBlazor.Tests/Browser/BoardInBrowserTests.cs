using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>What a person sees: the real app, the real simulator, a real Chromium.</summary>
[Trait("Category", "Browser")]
public sealed class BoardInBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private static readonly string[] s_allStates = ["offline", "idle", "busy", "ringing"];
    private readonly BoardTestHost _host = new(users: 12, seed: 3, chromium: chromium);

    public Task InitializeAsync() => _host.StartWithLiveAppAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_board_shows_every_user_and_a_tile_changes_colour_live_without_a_reload()
    {
        var page = await OpenBoardAsync();
        var tiles = page.GetByTestId("blf-tile");
        await Expect(tiles).ToHaveCountAsync(12);

        var user = _host.Pbx.Users.First(u => u.Registered && u.Channel == 0 && u.Alert == 0);
        var tile = page.Locator($"[data-testid=blf-tile][data-guid='{user.Guid}']");
        await Expect(tile).ToHaveAttributeAsync("data-state", "idle");
        await Expect(tile).ToContainTextAsync(Lamps.ExpectedName(user));
        var idleColour = await BackgroundOf(tile);

        // A marker that a reload would wipe out.
        await page.EvaluateAsync("() => window.__sameDocument = true");

        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 1, alert: 0);

        await Expect(tile).ToHaveAttributeAsync("data-state", "busy");
        await Expect(tile).ToContainTextAsync("Busy");
        var busyColour = await BackgroundOf(tile);
        Assert.NotEqual(idleColour, busyColour);
        Assert.Equal("rgb(192, 40, 45)", busyColour);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"));
        await Screenshots.SaveAsync(page, "board-light");
    }

    [Fact]
    public async Task Each_state_has_its_own_colour_in_the_dark_theme_too()
    {
        var users = _host.Pbx.Users.Take(4).ToList();
        _host.Pbx.SetLamp(users[0].Guid, registered: false, channel: 0, alert: 0);
        _host.Pbx.SetLamp(users[1].Guid, registered: true, channel: 0, alert: 0);
        _host.Pbx.SetLamp(users[2].Guid, registered: true, channel: 1, alert: 0);
        _host.Pbx.SetLamp(users[3].Guid, registered: true, channel: 0, alert: 1);

        var page = await OpenBoardAsync(ColorScheme.Dark);
        var colours = new List<string>();
        foreach (var (user, state) in users.Zip(s_allStates))
        {
            var tile = page.Locator($"[data-testid=blf-tile][data-guid='{user.Guid}']");
            await Expect(tile).ToHaveAttributeAsync("data-state", state);
            colours.Add(await BackgroundOf(tile));
        }

        Assert.Equal(4, colours.Distinct().Count());
        await Screenshots.SaveAsync(page, "board-dark");
    }

    [Fact]
    public async Task Markup_in_a_display_name_is_shown_as_text()
    {
        var user = _host.Pbx.Users[0];
        _host.Pbx.Upsert(user with { Dn = "<img src=x onerror=\"window.__pwned=1\"><b>Eve</b>" });
        var page = await OpenBoardAsync();

        var tile = page.Locator($"[data-testid=blf-tile][data-guid='{user.Guid}']");
        await Expect(tile).ToContainTextAsync("<img src=x onerror=\"window.__pwned=1\"><b>Eve</b>");
        await Expect(tile.Locator("img, b")).ToHaveCountAsync(0);
        Assert.False(await page.EvaluateAsync<bool>("() => window.__pwned === 1"));
    }

    private async Task<IPage> OpenBoardAsync(ColorScheme colorScheme = ColorScheme.Light)
    {
        var page = await chromium.NewPageAsync(colorScheme);
        await page.GotoAsync(_host.App.BaseAddress.ToString());
        var board = page.GetByTestId("blf-board");

        // Interactive means the circuit is up and will push changes; before that it is a static page.
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        return page;
    }

    private static Task<string> BackgroundOf(ILocator tile) =>
        tile.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
}
