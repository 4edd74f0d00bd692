using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>The board in a portal's iframe, from a different origin: allowed only where configured.</summary>
public sealed class EmbeddingTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const string App = "rcc";
    private const string Secret = "embed-secret-3141";
    private SimulatorServer _simulator = null!;
    private PortalPage _portal = null!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { App = App, Secret = Secret, Users = 12, EventsPerSecond = 0, Seed = 8 });
        _portal = await PortalPage.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await chromium.CloseContextsAsync();
        await _portal.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task A_listed_portal_shows_the_board_live_and_updating()
    {
        await using var app = BoardApp.Start(_simulator.WebSocketUrl, App, Secret, new Dictionary<string, string?> { ["Blf:FrameAncestors"] = $"https://portal.example.com {_portal.OriginText}" });
        await app.Directory.WaitForLiveAsync(users: 12);
        Assert.NotEqual(_portal.Origin.Port, app.BaseAddress.Port);

        var page = await chromium.NewPageAsync(height: 600);
        await page.GotoAsync(_portal.PageFor(app.BaseAddress).ToString());
        var frame = page.FrameLocator("#blf");
        var board = frame.GetByTestId("blf-board");

        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        await Expect(frame.GetByTestId("blf-tile")).ToHaveCountAsync(12);

        // Framed: no page chrome (title, controls, legend), but the live status stays.
        await Expect(frame.Locator("h1")).ToBeHiddenAsync();
        await Expect(frame.GetByTestId("blf-controls")).ToBeHiddenAsync();
        await Expect(frame.GetByTestId("blf-connection")).ToBeVisibleAsync();

        var user = _simulator.Pbx.Users[2];
        _simulator.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 1);
        await Expect(frame.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "ringing");
        await Screenshots.SaveAsync(page, "board-embedded");
        await chromium.CloseContextsAsync();
    }

    [Fact]
    public async Task A_portal_that_is_not_listed_is_refused()
    {
        await using var app = BoardApp.Start(_simulator.WebSocketUrl, App, Secret, new Dictionary<string, string?> { ["Blf:FrameAncestors"] = "https://portal.example.com" });
        await app.Directory.WaitForLiveAsync(users: 12);

        var page = await chromium.NewPageAsync();
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("frame-ancestors", StringComparison.Ordinal))
            {
                refused.TrySetResult(message.Text);
            }
        };
        await page.GotoAsync(_portal.PageFor(app.BaseAddress).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        // Chromium reports the refusal on the console and shows no board in the frame.
        var report = await refused.Task.WaitAsync(TestTimeouts.Wait);
        Assert.Contains(app.BaseAddress.GetLeftPart(UriPartial.Authority), report, StringComparison.Ordinal);
        Assert.Equal(0, await page.FrameLocator("#blf").GetByTestId("blf-board").CountAsync());
        await chromium.CloseContextsAsync();
    }

    [Fact]
    public async Task The_page_sends_frame_ancestors_and_no_contradicting_x_frame_options()
    {
        await using var app = BoardApp.Start(_simulator.WebSocketUrl, App, Secret, new Dictionary<string, string?> { ["Blf:FrameAncestors"] = _portal.OriginText });
        using var http = app.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal($"frame-ancestors 'self' {_portal.OriginText}", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }
}
