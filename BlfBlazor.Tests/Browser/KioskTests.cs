using System.Diagnostics.Metrics;
using BlfBlazor.Diagnostics;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>A wall screen nobody touches: it must heal itself and keep its timers running.</summary>
[Trait("Category", "Browser")]
public sealed class KioskTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly BoardTestHost _host = new(users: 16, seed: 6, chromium: chromium);

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task After_the_server_restarts_the_screen_comes_back_by_itself()
    {
        var first = await _host.StartLiveAppAsync();
        var port = first.BaseAddress.Port;
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
        _host.StartApp(port: port);
        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-tile")).ToHaveCountAsync(16);
        await Expect(page.Locator("html.circuit-down")).ToHaveCountAsync(0);

        // And it is live for real: a change shows without anyone touching the screen.
        var user = _host.Pbx.Users[3];
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 1);
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "ringing");
    }

    [Fact]
    public async Task Time_in_state_ticks_on_the_screen_without_the_server_rendering_tiles()
    {
        // Both clocks are fake: the server's stands still unless advanced, the browser's is paused
        // and seven minutes wrong, as a wall screen's may be. What the timers show follows from them alone.
        var serverTime = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
        // Lamps only: calls and presence would render tiles of their own accord while the clock runs.
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Pbx:CallFeed"] = "Off", ["Blf:Presence"] = "Off" }, serverTime);
        using var tileRenders = new MetricCollector<long>(app.Services.GetRequiredService<IMeterFactory>(), BlfMetrics.MeterName, "blf.tile.renders");
        var idle = _host.Pbx.Users.Where(u => Lamps.Expected(u) == "idle").Take(2).ToList();

        // One lamp turned busy 1 h 2 min 5 s before the page opens.
        var busy = await SetLampAsync(app, idle[0].Guid, channel: 1, alert: 0, LampState.Busy);
        serverTime.Advance(new TimeSpan(1, 2, 5));
        var wrongBrowserTime = serverTime.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(7);
        var page = await chromium.NewPageAsync();
        await page.Clock.InstallAsync(new ClockInstallOptions { TimeDate = wrongBrowserTime - TimeSpan.FromSeconds(1) });
        await page.Clock.PauseAtAsync(wrongBrowserTime);
        await page.GotoAsync(new Uri(app.BaseAddress, "/?kiosk").ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(StateOf(page, busy)).ToHaveTextAsync("Busy 1:02:05");

        // Another lamp changes while the page is open: its timer starts from zero at once. That is
        // one tile rendered once; the server counts it when the browser has acknowledged the batch,
        // which may be after the page shows it, so the count is awaited, not read once.
        await tileRenders.WaitForMeasurementsAsync(minCount: 1).WaitAsync(TestTimeouts.StateShown); // the page's first render
        tileRenders.Clear();
        var ringing = await SetLampAsync(app, idle[1].Guid, channel: 0, alert: 1, LampState.Ringing);
        await Expect(StateOf(page, ringing)).ToHaveTextAsync("Ringing 0:00");

        // Three seconds pass on the screen: both timers move on, while the server renders nothing more.
        await page.Clock.RunForAsync(3000);
        await Expect(StateOf(page, busy)).ToHaveTextAsync("Busy 1:02:08");
        await Expect(StateOf(page, ringing)).ToHaveTextAsync("Ringing 0:03");
        await tileRenders.WaitForMeasurementsAsync(minCount: 1).WaitAsync(TestTimeouts.StateShown);
        Assert.Equal(1, tileRenders.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    /// <summary>Changes a lamp at the PBX and waits until the app has it, so its time is the app's clock now.</summary>
    private async Task<string> SetLampAsync(BoardApp app, string guid, int channel, int alert, LampState lamp)
    {
        _host.Pbx.SetLamp(guid, registered: true, channel, alert);
        await app.Directory.WaitForAsync(s => s.Users.Single(u => u.Guid == guid).Lamp == lamp, $"{guid} {lamp}");
        return guid;
    }

    private static ILocator StateOf(IPage page, string guid) => page.Locator($"[data-guid='{guid}'] .tile-state");
}
