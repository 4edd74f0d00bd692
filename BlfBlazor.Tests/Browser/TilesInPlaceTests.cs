using System.Text.Json;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>
/// The page's own tile list (tiles in place): it adopts the prerendered tiles, applies each change the
/// server sends for its view, and recovers when it was not where the server thought.
/// </summary>
[Trait("Category", "Browser")]
public sealed class TilesInPlaceTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly BoardTestHost _host = new(users: 40, seed: 21, chromium: chromium);

    public Task InitializeAsync() => _host.StartWithLiveAppAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_prerendered_tiles_are_the_same_elements_once_the_circuit_runs()
    {
        var page = await chromium.NewPageAsync();

        // The circuit waits until the prerendered tiles carry a mark only these very elements can have.
        var marked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/_blazor/negotiate**", async route =>
        {
            await marked.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync(_host.App.BaseAddress.ToString(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var prerendered = await page.EvaluateAsync<int>(
            "() => { const tiles = [...document.querySelectorAll('[data-testid=blf-tile]')]; tiles.forEach(t => { t.blfMark = true; t.parentElement.blfMark = true; }); return tiles.length; }");
        Assert.Equal(40, prerendered);
        Assert.Equal("false", await page.GetByTestId("blf-board").GetAttributeAsync("data-interactive"));
        marked.SetResult();

        await ExpectLiveAsync(page);
        await Expect(page.Locator("[data-testid=blf-tile][data-stale]")).ToHaveCountAsync(0);
        Assert.Equal(40, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('[data-testid=blf-tile]')].filter(t => t.blfMark && t.parentElement.blfMark).length"));

        // A lamp change sets the tile's attributes: still the same element.
        var user = _host.Pbx.Users.First(u => u.Registered && u.Channel == 0 && u.Alert == 0);
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 1, alert: 0);
        var tile = page.Locator($"[data-testid=blf-tile][data-guid='{user.Guid}']");
        await Expect(tile).ToHaveAttributeAsync("data-state", "busy");
        Assert.True(await tile.EvaluateAsync<bool>("t => t.blfMark === true"));
    }

    [Theory]
    [InlineData("/?sort=state&state=idle,busy,ringing")]
    [InlineData("/?sort=number&group=node&q=1")]
    public async Task After_many_random_changes_a_filtered_sorted_board_equals_the_simulator_and_a_fresh_page(string view)
    {
        var page = await OpenAsync(view);
        var random = new Random(2100);
        var users = _host.Pbx.Users.Select(u => u.Guid).ToList();
        for (var i = 0; i < 2000; i++)
        {
            var guid = users[random.Next(users.Count)];
            var lamp = random.Next(4);
            _host.Pbx.SetLamp(guid, registered: lamp != 0, channel: lamp == 2 ? 1 : 0, alert: lamp == 3 ? 1 : 0);
        }

        await ExpectShowsSimulatorAsync(page, view);
        await ExpectSameAsFreshPageAsync(page, view);

        // The header's counts and "shown" line came with the same payloads, without a render of the board.
        var expected = _host.Pbx.Users.Select(Lamps.Expected).ToList();
        (string State, string Word)[] order = [("busy", "busy"), ("ringing", "ringing"), ("idle", "free"), ("offline", "offline")];
        await Expect(page.Locator("[data-testid=blf-counts] .count-text")).ToHaveTextAsync(
            [.. order.Select(o => $"{expected.Count(e => e == o.State)} {o.Word}")]);
        var shown = await page.GetByTestId("blf-tile").CountAsync();
        if (shown != expected.Count)
        {
            await Expect(page.GetByTestId("blf-shown")).ToHaveTextAsync($"{shown} of {expected.Count} shown");
        }
    }

    [Fact]
    public async Task A_board_whose_tiles_are_not_where_the_server_thinks_gets_the_whole_list_and_recovers()
    {
        var page = await OpenAsync("/?sort=state");

        // As if the page had missed a change: the next delta does not fit, the page refuses it.
        await page.EvaluateAsync("() => document.querySelector('[data-testid=blf-tiles]').blfVersion = -1");
        var users = _host.Pbx.Users;
        _host.Pbx.SetLamp(users[3].Guid, registered: true, channel: 0, alert: 1);
        _host.Pbx.SetLamp(users[17].Guid, registered: false, channel: 0, alert: 0);

        await ExpectShowsSimulatorAsync(page, "/?sort=state");
        await ExpectSameAsFreshPageAsync(page, "/?sort=state");
    }

    [Fact]
    public async Task A_view_chosen_on_the_page_is_drawn_whole_and_then_follows_changes()
    {
        var page = await OpenAsync("/");
        await page.GetByTestId("blf-sort").SelectOptionAsync("state");
        await page.GetByTestId("blf-filter-offline").UncheckAsync();
        var users = _host.Pbx.Users;
        _host.Pbx.SetLamp(users[5].Guid, registered: true, channel: 0, alert: 1);
        _host.Pbx.SetLamp(users[6].Guid, registered: false, channel: 0, alert: 0);

        await ExpectShowsSimulatorAsync(page, "/?sort=state&state=idle,busy,ringing");
        await ExpectSameAsFreshPageAsync(page, "/?sort=state&state=idle,busy,ringing");
    }

    private async Task<IPage> OpenAsync(string view)
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(_host.App.BaseAddress, view).ToString());
        await ExpectLiveAsync(page);
        return page;
    }

    private static async Task ExpectLiveAsync(IPage page)
    {
        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(board).ToHaveAttributeAsync("data-connection", "live");

        // The header's state comes with Blazor's render, the tiles with their own payload: both arrived.
        await Expect(page.Locator("[data-testid=blf-tile][data-stale]")).ToHaveCountAsync(0);
    }

    /// <summary>Waits until every tile the view shows has the simulator's lamp, and the view shows exactly the users its state filter lets through.</summary>
    private async Task ExpectShowsSimulatorAsync(IPage page, string view)
    {
        var states = System.Web.HttpUtility.ParseQueryString(new Uri(_host.App.BaseAddress, view).Query)["state"]?.Split(',') ?? ["offline", "idle", "busy", "ringing"];
        var expected = _host.Pbx.Users.ToDictionary(u => u.Guid, Lamps.Expected);
        var shown = expected.Where(e => states.Contains(e.Value)).Select(e => e.Key).ToHashSet();
        await page.WaitForFunctionAsync(
            """
            ([expected, filtered, shownCount]) => {
                const tiles = [...document.querySelectorAll('[data-testid=blf-tile]')];
                return tiles.every(t => expected[t.dataset.guid] === t.dataset.state && !t.hasAttribute('data-stale'))
                    && (!filtered || new Set(tiles.map(t => t.dataset.guid)).size === shownCount);
            }
            """,
            new object[] { expected, view.Contains("state=", StringComparison.Ordinal), shown.Count },
            new() { Timeout = (float)TestTimeouts.StateShown.TotalMilliseconds });
    }

    /// <summary>The page equals what the server renders afresh for the same view: sections, order, and each tile's attributes.</summary>
    private async Task ExpectSameAsFreshPageAsync(IPage page, string view)
    {
        var fresh = await OpenAsync(view);
        var expected = await DescribeAsync(fresh);
        await Expect(page.GetByTestId("blf-tiles")).ToBeVisibleAsync();
        Assert.Equal(expected, await DescribeAsync(page));
        await fresh.CloseAsync();
    }

    private static async Task<string> DescribeAsync(IPage page) =>
        JsonSerializer.Serialize(await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('[data-testid=blf-tiles] section')].flatMap(s => [
                'section ' + s.getAttribute('aria-label') + ' ' + (s.querySelector('h2')?.textContent ?? ''),
                ...[...s.querySelectorAll('li')].map(li => {
                    const t = li.firstElementChild;
                    return [...t.attributes].filter(a => a.name !== 'data-since').map(a => a.name + '=' + a.value).join(' ');
                })])
            """));
}
