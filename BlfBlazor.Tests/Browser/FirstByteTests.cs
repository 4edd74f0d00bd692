using BlfBlazor.Components;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>A page is honest from its first byte: not live until its circuit has rendered, and saying so when the circuit never comes.</summary>
[Trait("Category", "Browser")]
public sealed class FirstByteTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const int Users = 12;
    private readonly BoardTestHost _host = new(users: Users, seed: 21, chromium: chromium);

    public Task InitializeAsync() => _host.StartWithLiveAppAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Before_its_circuit_the_board_shows_the_last_known_state_and_live_only_after()
    {
        var page = await chromium.NewPageAsync();
        var framework = await HoldFrameworkAsync(page);
        await page.GotoAsync(_host.App.BaseAddress.ToString(), new() { WaitUntil = WaitUntilState.Commit });

        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-connection", "connecting");
        await Expect(page.Locator("[data-testid=blf-tile][data-stale=true]")).ToHaveCountAsync(Users);
        await Expect(page.GetByTestId("blf-connection")).ToContainTextAsync("Connecting to the board server");

        // A change while the page waits for its circuit: the page cannot know it, and does not claim to.
        var user = _host.Pbx.Users.First(u => Lamps.Expected(u) != "busy");
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 1, alert: 0);
        await Expect(board).ToHaveAttributeAsync("data-connection", "connecting");

        framework.Release();
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        await Expect(page.Locator("[data-testid=blf-tile][data-stale]")).ToHaveCountAsync(0);
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "busy");
        await Expect(page.GetByTestId("blf-server-lost")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_page_whose_circuit_never_comes_says_it_has_no_connection()
    {
        var page = await chromium.NewPageAsync();
        await HoldFrameworkAsync(page);
        await page.GotoAsync(_host.App.BaseAddress.ToString(), new() { WaitUntil = WaitUntilState.Commit });

        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-connection", "connecting");

        // The page's own timer: within a bounded wait, the board says it has no server, not that it is live.
        var bound = new LocatorAssertionsToHaveAttributeOptions { Timeout = (float)(BoardHostingExtensions.CircuitStartTimeout + TimeSpan.FromSeconds(5)).TotalMilliseconds };
        await Expect(board).ToHaveAttributeAsync("data-connection", "reconnecting", bound);
        await Expect(page.GetByTestId("blf-server-lost")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=blf-tile][data-stale=true]")).ToHaveCountAsync(Users);
    }

    /// <summary>Holds back the framework script until released (or for good): the page as it is before its circuit.</summary>
    private static async Task<Held> HoldFrameworkAsync(IPage page)
    {
        var held = new Held();
        await page.RouteAsync("**/_framework/blazor.web.js", async route =>
        {
            await held.Released;
            await route.ContinueAsync();
        });
        return held;
    }

    private sealed class Held
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Released => _released.Task;

        public void Release() => _released.TrySetResult();
    }
}
