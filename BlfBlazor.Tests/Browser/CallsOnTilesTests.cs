using System.Text;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>Who is calling whom, and who is away, as a receptionist sees it live in the browser.</summary>
[Trait("Category", "Browser")]
public sealed class CallsOnTilesTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const string Caller = "0171 2345678";
    private readonly BoardTestHost _host = new(users: 8, seed: 31, chromium: chromium);

    public Task InitializeAsync() => _host.StartWithLiveAppAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_call_rings_is_answered_held_transferred_and_hung_up_and_the_tiles_show_each_step()
    {
        var pbx = _host.Pbx;
        var (bob, carol) = (pbx.Users[1], pbx.Users[2]);
        var page = await OpenAsync();
        var bobTile = page.Locator($"[data-guid='{bob.Guid}']");
        var carolTile = page.Locator($"[data-guid='{carol.Guid}']");

        var call = pbx.StartIncomingExternalCall(bob.Guid, Caller);
        await Expect(bobTile).ToHaveAttributeAsync("data-state", "ringing");
        await Expect(bobTile).ToHaveAttributeAsync("data-call-peer", Caller);
        await Expect(bobTile).ToHaveAttributeAsync("data-call-direction", "in");
        await Expect(bobTile.Locator(".tile-call")).ToContainTextAsync($"← {Caller}");

        pbx.Answer(call.CalleeLeg);
        await Expect(bobTile).ToHaveAttributeAsync("data-state", "busy");
        await Expect(bobTile).ToHaveAttributeAsync("data-call-peer", Caller);
        await Expect(bobTile).Not.ToHaveAttributeAsync("data-call-hold", "true");

        pbx.Hold(call.CalleeLeg);
        await Expect(bobTile).ToHaveAttributeAsync("data-call-hold", "true");
        await Expect(bobTile.Locator(".tile-call")).ToContainTextAsync("on hold");

        pbx.Retrieve(call.CalleeLeg);
        await Expect(bobTile).Not.ToHaveAttributeAsync("data-call-hold", "true");
        var transferred = pbx.TransferBlind(call.CalleeLeg, carol.Guid);
        Assert.NotNull(transferred);
        await Expect(carolTile).ToHaveAttributeAsync("data-call-peer", Caller);
        await Expect(carolTile).ToHaveAttributeAsync("data-state", "ringing");
        await Expect(bobTile).Not.ToHaveAttributeAsync("data-calls", new System.Text.RegularExpressions.Regex("."));

        // The detail says who put the call through.
        await carolTile.FocusAsync();
        await Expect(carolTile.GetByTestId("blf-tile-detail")).ToBeVisibleAsync();
        await Expect(carolTile.GetByTestId("blf-tile-detail")).ToContainTextAsync(Lamps.ExpectedName(bob));

        pbx.Answer(transferred.Value);
        await Expect(carolTile).ToHaveAttributeAsync("data-state", "busy");
        pbx.HangUp(transferred.Value);
        await Expect(carolTile).Not.ToHaveAttributeAsync("data-calls", new System.Text.RegularExpressions.Regex("."));
        await Expect(carolTile).ToHaveAttributeAsync("data-state", "idle");
    }

    [Fact]
    public async Task Do_not_disturb_with_a_note_shows_beside_a_free_lamp()
    {
        var user = _host.Pbx.Users.First(u => Lamps.Expected(u) == "idle");
        var page = await OpenAsync();
        var tile = page.Locator($"[data-guid='{user.Guid}']");

        _host.Pbx.SetPresence(user.Guid, "dnd", "back at 14:00");

        await Expect(tile).ToHaveAttributeAsync("data-presence", "dnd");
        await Expect(tile).ToHaveAttributeAsync("data-presence-note", "back at 14:00");
        await Expect(tile).ToHaveAttributeAsync("data-state", "idle");
        await Expect(tile.Locator(".tile-presence")).ToHaveTextAsync("Do not disturb · back at 14:00");

        _host.Pbx.ClearPresence(user.Guid);
        await Expect(tile).Not.ToHaveAttributeAsync("data-presence", new System.Text.RegularExpressions.Regex("."));
    }

    [Fact]
    public async Task With_call_details_off_no_peer_number_reaches_the_page_or_the_circuit()
    {
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Blf:CallDetails"] = "Off" });
        var page = await chromium.NewPageAsync();
        var traffic = new StringBuilder();
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            lock (traffic)
            {
                traffic.Append(frame.Text).Append(frame.Binary is { } binary ? Encoding.UTF8.GetString(binary) : "");
            }
        };
        await page.GotoAsync(app.BaseAddress.ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");

        var user = _host.Pbx.Users[3];
        var call = _host.Pbx.StartIncomingExternalCall(user.Guid, Caller);
        _host.Pbx.Answer(call.CalleeLeg);
        var tile = page.Locator($"[data-guid='{user.Guid}']");
        await Expect(tile).ToHaveAttributeAsync("data-calls", "1");
        await Expect(tile).ToHaveAttributeAsync("data-state", "busy");
        await Expect(tile).ToHaveAttributeAsync("data-call-direction", "in");

        Assert.Null(await tile.GetAttributeAsync("data-call-peer"));
        Assert.DoesNotContain("2345678", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.True(traffic.Length > 0, "no circuit traffic was recorded");
        Assert.DoesNotContain("2345678", traffic.ToString(), StringComparison.Ordinal);
        using var http = app.CreateHttpClient();
        Assert.DoesNotContain("2345678", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)), StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Information && e.Text.Contains("2345678", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Calls_presence_and_the_detail_stay_accessible_in_both_themes(ColorScheme scheme)
    {
        var pbx = _host.Pbx;
        var users = pbx.Users;
        pbx.StartIncomingExternalCall(users[0].Guid, Caller);
        var talking = pbx.StartInternalCall(users[1].Guid, users[2].Guid);
        pbx.Answer(talking.CalleeLeg);
        var held = pbx.StartOutgoingExternalCall(users[4].Guid, "0711 4711");
        pbx.Answer(held.CalleeLeg);
        pbx.Hold(held.CallerLeg);
        pbx.SetPresence(users[5].Guid, "dnd", "back at 14:00");
        pbx.SetPresence(users[6].Guid, "away", "at the dentist");
        var page = await OpenAsync(scheme);
        await Expect(page.Locator("[data-call-hold=true]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-presence]")).ToHaveCountAsync(2);
        await Expect(page.Locator($"[data-guid='{users[0].Guid}']")).ToHaveAttributeAsync("data-call-peer", Caller);

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ReducedMotion = ReducedMotion.Reduce });
        var tile = page.Locator($"[data-guid='{users[4].Guid}']");
        await tile.FocusAsync();
        await Expect(tile.GetByTestId("blf-tile-detail")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, $"board-calls-{scheme.ToString().ToLowerInvariant()}");

        await page.AssertNoSeriousViolationsAsync();

    }

    private async Task<IPage> OpenAsync(ColorScheme scheme = ColorScheme.Light)
    {
        var page = await chromium.NewPageAsync(scheme, width: 1280, height: 560);
        await page.GotoAsync(new Uri(_host.App.BaseAddress, "/?lang=en").ToString());
        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        return page;
    }

}
