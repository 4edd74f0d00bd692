using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>The board in a portal's iframe, from a different origin: allowed only where configured.</summary>
[Trait("Category", "Browser")]
public sealed class EmbeddingTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly BoardTestHost _host = new(users: 12, seed: 8, chromium: chromium);
    private PortalPage _portal = null!;

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        _portal = await PortalPage.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _portal.DisposeAsync();
    }

    [Fact]
    public async Task A_listed_portal_shows_the_board_live_and_updating()
    {
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Blf:FrameAncestors"] = $"https://portal.example.com {_portal.OriginText}" });
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

        var user = _host.Pbx.Users[2];
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 1);
        await Expect(frame.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "ringing");
        await Screenshots.SaveAsync(page, "board-embedded");
    }

    [Fact]
    public async Task A_portal_that_is_not_listed_is_refused()
    {
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Blf:FrameAncestors"] = "https://portal.example.com" });

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
        var report = await refused.Task.WaitAsync(TestTimeouts.BrowserWait);
        Assert.Contains(app.BaseAddress.GetLeftPart(UriPartial.Authority), report, StringComparison.Ordinal);
        Assert.Equal(0, await page.FrameLocator("#blf").GetByTestId("blf-board").CountAsync());
    }

    [Fact]
    public async Task The_page_sends_frame_ancestors_and_no_contradicting_x_frame_options()
    {
        var app = _host.StartApp(new Dictionary<string, string?> { ["Blf:FrameAncestors"] = _portal.OriginText });
        using var http = app.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.EndsWith($"; frame-ancestors 'self' {_portal.OriginText}", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }
}
