using System.Globalization;
using BlfBlazor.Components.Board;
using BlfBlazor.Resources;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>
/// A page that lost the board server itself (the app stopped, the network path went silent) must
/// never look live: every view says so and marks every lamp last known, and heals by itself.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ServerLossTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const int Users = 12;

    // Records when the page's board turned "reconnecting", by the page's clock (the same machine's).
    private const string WatchForLoss = """
        () => {
            window.blfLostAt = null;
            new MutationObserver(() => {
                const board = document.querySelector("[data-testid=blf-board]");
                if (window.blfLostAt === null && board?.dataset.connection === "reconnecting") {
                    window.blfLostAt = Date.now();
                }
            }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-connection"] });
        }
        """;

    private readonly BoardTestHost _host = new(Users, seed: 27, chromium: chromium);
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
    public async Task When_the_app_goes_away_every_view_shows_last_known_and_comes_back_live_by_itself()
    {
        var settings = new Dictionary<string, string?> { ["Blf:FrameAncestors"] = _portal.OriginText };

        // A user without an extension: the script's stale label must leave the number out, as the server's does.
        _host.Pbx.Upsert(_host.Pbx.Users[2] with { E164 = "" });
        var first = await _host.StartLiveAppAsync(settings);
        var port = first.BaseAddress.Port;

        var boards = new[]
        {
            await OpenAsync("normal", new Uri(first.BaseAddress, "/?lang=en"), "en"),
            await OpenAsync("kiosk", new Uri(first.BaseAddress, "/?kiosk&lang=en"), "en", width: 1600, height: 900),
            await OpenAsync("compact", new Uri(first.BaseAddress, "/?compact&lang=de"), "de"),
            await OpenAsync("embedded", _portal.PageFor(new Uri(first.BaseAddress, "/?embed&lang=en")), "en"),
        };

        // One lamp with a running time-in-state timer on every board.
        var busy = _host.Pbx.SetLamp(_host.Pbx.Users[1].Guid, registered: true, channel: 1, alert: 0);
        foreach (var board in boards)
        {
            await Expect(board.Frame.Locator($"[data-guid='{busy.Guid}'] .tile-since")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s\d:\d\d$"));
            await board.Frame.EvaluateAsync(WatchForLoss);
        }

        var shown = (await first.Directory.WaitForAsync(s => s.Users.Any(u => u.Guid == busy.Guid && u.Lamp == LampState.Busy), "the busy lamp")).Users;

        // The app goes away under the open pages.
        var goneAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var stopping = first.DisposeAsync().AsTask();
        foreach (var board in boards)
        {
            await ExpectLastKnownAsync(board);
            var lostAt = await board.Frame.EvaluateAsync<long>("() => window.blfLostAt");
            output.WriteLine($"{board.View}: data-connection=reconnecting {lostAt - goneAt} ms after the app began to stop");
        }

        // Exactly the tile the server builds for a lost PBX, in either language.
        await ExpectServersStaleTilesAsync(boards[0], shown);
        await ExpectServersStaleTilesAsync(boards[2], shown);

        // People get "Reload"; a wall screen gets no button nobody will press.
        await Expect(boards[0].Frame.GetByRole(AriaRole.Button, new() { Name = "Reload" })).ToBeVisibleAsync();
        await Expect(boards[2].Frame.GetByRole(AriaRole.Button, new() { Name = "Neu laden" })).ToBeVisibleAsync();
        await Expect(boards[1].Frame.Locator("button")).ToHaveCountAsync(0);
        await SaveScreenshotsAsync(boards[0].Page, "server-lost");
        await SaveScreenshotsAsync(boards[1].Page, "server-lost-kiosk");
        await stopping;

        // Meanwhile the PBX moved on.
        _host.Pbx.SetLamp(_host.Pbx.Users[5].Guid, registered: true, channel: 0, alert: 1);
        _host.Pbx.SetLamp(busy.Guid, registered: true, channel: 0, alert: 0);

        // The app comes back where the pages expect it; nobody touches them.
        _host.StartApp(settings, port: port);
        foreach (var board in boards)
        {
            var root = board.Frame.GetByTestId("blf-board");
            await Expect(root).ToHaveAttributeAsync("data-connection", "live");
            await Expect(root).ToHaveAttributeAsync("data-interactive", "true");
            await Expect(board.Frame.Locator("[data-testid=blf-tile][data-stale]")).ToHaveCountAsync(0);
            await Expect(board.Frame.GetByTestId("blf-server-lost")).ToBeHiddenAsync();
            foreach (var user in _host.Pbx.Users)
            {
                await Expect(board.Frame.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", Lamps.Expected(user));
            }
        }
    }

    [Fact]
    public async Task When_the_network_path_goes_silent_and_comes_back_the_same_page_resumes_live()
    {
        var app = await _host.StartLiveAppAsync();
        await using var path = new LoopbackTcpProxy(app.BaseAddress);
        var board = await OpenAsync("normal", path.Via(app.BaseAddress), "en");

        // Marks this very document: a reload would lose it.
        await board.Frame.EvaluateAsync("() => { window.blfSamePage = true; }");
        await board.Frame.EvaluateAsync(WatchForLoss);

        var cutAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        path.Freeze();
        await ExpectLastKnownAsync(board);
        var lostAt = await board.Frame.EvaluateAsync<long>("() => window.blfLostAt");
        output.WriteLine($"silent path: data-connection=reconnecting {lostAt - cutAt} ms after the cut");

        // A change the server could not deliver while the path was silent.
        var ringing = _host.Pbx.SetLamp(_host.Pbx.Users[7].Guid, registered: true, channel: 0, alert: 1);
        await app.Directory.WaitForAsync(s => s.Users.Any(u => u.Guid == ringing.Guid && u.Lamp == LampState.Ringing), "the ringing lamp");

        path.Resume();
        var root = board.Frame.GetByTestId("blf-board");
        await Expect(root).ToHaveAttributeAsync("data-connection", "live");
        await Expect(root).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(board.Frame.Locator("[data-testid=blf-tile][data-stale]")).ToHaveCountAsync(0);
        await Expect(board.Frame.GetByTestId("blf-server-lost")).ToBeHiddenAsync();
        await Expect(board.Frame.Locator($"[data-guid='{ringing.Guid}']")).ToHaveAttributeAsync("data-state", "ringing");
        Assert.True(await board.Frame.EvaluateAsync<bool>("() => window.blfSamePage === true"), "the page reloaded instead of resuming its circuit");

        // Its timers run again, and it is live for real: the next change arrives by itself.
        await Expect(board.Frame.Locator($"[data-guid='{ringing.Guid}'] .tile-since")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s\d:\d\d$"));
        var busy = _host.Pbx.SetLamp(_host.Pbx.Users[8].Guid, registered: true, channel: 1, alert: 0);
        await Expect(board.Frame.Locator($"[data-guid='{busy.Guid}']")).ToHaveAttributeAsync("data-state", "busy");
    }

    private async Task<OpenBoard> OpenAsync(string view, Uri url, string language, int width = 1280, int height = 800)
    {
        var page = await chromium.NewPageAsync(width: width, height: height);
        await page.GotoAsync(url.ToString());
        var frame = view == "embedded"
            ? await (await page.Locator("#blf").ElementHandleAsync()).ContentFrameAsync() ?? throw new InvalidOperationException("no board frame")
            : page.MainFrame;
        var root = frame.GetByTestId("blf-board");
        await Expect(root).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(root).ToHaveAttributeAsync("data-connection", "live");
        await Expect(frame.GetByTestId("blf-tile")).ToHaveCountAsync(Users);
        await Expect(frame.GetByTestId("blf-server-lost")).ToBeHiddenAsync();
        return new OpenBoard(view, page, frame, language);
    }

    /// <summary>What a board must show without its server: nothing live, every lamp last known, no timer counting on.</summary>
    private static async Task ExpectLastKnownAsync(OpenBoard board)
    {
        var frame = board.Frame;
        var german = board.Language == "de";
        await Expect(frame.GetByTestId("blf-board")).ToHaveAttributeAsync("data-connection", "reconnecting");
        await Expect(frame.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "false");
        await Expect(frame.GetByTestId("blf-connection")).ToContainTextAsync(german ? "Server des Lampenfelds seit" : "Board server unreachable since");
        await Expect(frame.Locator("[data-testid=blf-tile][data-stale=true]")).ToHaveCountAsync(Users);
        var lastKnown = german ? "zuletzt bekannt" : "last known";
        await StaleTiles.ExpectLastKnownAsync(frame.GetByTestId("blf-tile").First, lastKnown);
        await StaleTiles.ExpectLastKnownAsync(frame.GetByTestId("blf-tile").Last, lastKnown);
        var notice = frame.GetByTestId("blf-server-lost");
        await Expect(notice).ToBeVisibleAsync();
        await Expect(notice).ToContainTextAsync(german ? "Keine Verbindung zum Server des Lampenfelds" : "No connection to the board server");
    }

    /// <summary>
    /// Every tile the script marked equals the HTML <see cref="LampTile"/> builds for a stale board
    /// (attribute order aside, and the hidden timers' text, which the script filled while live).
    /// </summary>
    private static async Task ExpectServersStaleTilesAsync(OpenBoard board, IEnumerable<PbxUser> users)
    {
        var text = CultureTexts<BoardText>.In(CultureInfo.GetCultureInfo(board.Language));
        var expected = users.ToDictionary(u => u.Guid, u => new LampTile().Html(u, stale: true, text).Value);
        var differing = await board.Frame.EvaluateAsync<string[]>(
            """
            expected => Object.entries(expected).filter(([guid, html]) => {
                const built = document.createElement("template");
                built.innerHTML = html;
                const shown = document.querySelector(`[data-guid="${CSS.escape(guid)}"]`)?.cloneNode(true);
                shown?.querySelectorAll(".tile-since").forEach(timer => timer.textContent = "");
                return !shown || !shown.isEqualNode(built.content.firstElementChild);
            }).map(([guid]) => document.querySelector(`[data-guid="${CSS.escape(guid)}"]`)?.outerHTML ?? guid)
            """,
            expected);
        Assert.Empty(differing);
    }

    private static async Task SaveScreenshotsAsync(IPage page, string name)
    {
        await Screenshots.SaveAsync(page, name + "-light");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await Screenshots.SaveAsync(page, name + "-dark");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
    }

    private sealed record OpenBoard(string View, IPage Page, IFrame Frame, string Language);
}
