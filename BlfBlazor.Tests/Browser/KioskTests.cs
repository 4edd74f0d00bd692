using System.Net.Http.Json;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>A wall screen nobody touches: it must heal itself and keep its timers running.</summary>
public sealed class KioskTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const string App = "rcc";
    private const string Secret = "kiosk-secret-1732";
    private SimulatorServer _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { App = App, Secret = Secret, Users = 16, EventsPerSecond = 0, Seed = 6 });

    public async Task DisposeAsync()
    {
        await chromium.CloseContextsAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task After_the_server_restarts_the_screen_comes_back_by_itself()
    {
        var first = BoardApp.Start(_simulator.WebSocketUrl, App, Secret);
        var port = first.BaseAddress.Port;
        await first.Directory.WaitForLiveAsync(users: 16);
        var page = await chromium.NewPageAsync(width: 1600, height: 900);
        await page.GotoAsync(new Uri(first.BaseAddress, "/?kiosk").ToString());
        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.Locator("button, input, select")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "board-kiosk");

        // The app goes away (update, crash, reboot): the page notices and keeps trying.
        await first.DisposeAsync();
        await Expect(page.Locator("html.circuit-down")).ToHaveCountAsync(1);

        // It comes back on the same address, without this page's circuit: the page reloads itself.
        await using var second = BoardApp.Start(_simulator.WebSocketUrl, App, Secret, port: port);
        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-tile")).ToHaveCountAsync(16);
        await Expect(page.Locator("html.circuit-down")).ToHaveCountAsync(0);

        // And it is live for real: a change shows without anyone touching the screen.
        var user = _simulator.Pbx.Users[3];
        _simulator.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 1);
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "ringing");
        await chromium.CloseContextsAsync();
    }

    [Fact]
    public async Task Time_in_state_ticks_without_the_server_rendering_tiles()
    {
        await using var app = BoardApp.Start(_simulator.WebSocketUrl, App, Secret, new Dictionary<string, string?> { ["Diagnostics:ExposeCounters"] = "true" });
        await app.Directory.WaitForLiveAsync(users: 16);
        using var http = app.CreateHttpClient();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/?kiosk").ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");

        var user = _simulator.Pbx.Users[4];
        _simulator.Pbx.SetLamp(user.Guid, registered: true, channel: 1, alert: 0);
        var since = page.Locator($"[data-guid='{user.Guid}'] .tile-since");
        await Expect(since).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s0:0[01]$"));
        var rendersBefore = await TileRenders(http);

        // Seconds pass on the screen, while the server renders nothing.
        await Expect(since).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s0:0[3-9]$"));
        Assert.Equal(rendersBefore, await TileRenders(http));
        await Expect(page.Locator($"[data-guid='{user.Guid}'] .tile-state")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Busy \d:\d\d$"));
        await chromium.CloseContextsAsync();
    }

    private static async Task<long> TileRenders(HttpClient http) =>
        (await http.GetFromJsonAsync<Dictionary<string, long>>(new Uri("/diagnostics/counters", UriKind.Relative)))!["blf.tile.renders"];
}
