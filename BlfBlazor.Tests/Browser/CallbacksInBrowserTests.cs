using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>
/// Callbacks in a real browser against the simulator: an operator takes a message for a colleague, the
/// colleague's tile counts it, the colleague sees it in My calls (mapped by <c>Blf:PhoneClaim</c>) and
/// marks it done, and an operator marks another done from the tile.
/// </summary>
[Trait("Category", "Browser")]
public sealed class CallbacksInBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private static readonly TestPerson s_operator = new("olivia.op", "Olivia Operator");

    private readonly BoardTestHost _host = new(users: 6, seed: 23, chromium: chromium);

    private SimulatedUser Own => _host.Pbx.Users[0];

    private SimulatedUser Bob => _host.Pbx.Users[1];

    public async Task InitializeAsync()
    {
        await _host.StartAsync();

        // Bob signs in with his PBX h323 as his sub: Blf:PhoneClaim=sub maps him to his own user.
        await _host.StartIdentityProviderAsync([s_operator, new TestPerson(Bob.H323, Bob.Dn)]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_operator_takes_a_message_the_colleagues_tile_and_my_calls_show_it_and_done_clears_it()
    {
        var app = await _host.StartLiveSignInAppAsync(new Dictionary<string, string?>
        {
            ["Blf:Operators:0:User"] = s_operator.Login,
            ["Blf:Operators:0:Phone"] = Own.Cn,
            ["Blf:PhoneClaim"] = "sub",
        });
        var desk = await chromium.NewPageAsync(ColorScheme.Dark);
        await BoardTestHost.SignInAsync(desk, app, s_operator.Login);
        await Expect(desk.GetByTestId("blf-board")).ToHaveAttributeAsync("data-operator", s_operator.Name);
        await Expect(Tile(desk, Bob)).Not.ToHaveAttributeAsync("data-callbacks", new System.Text.RegularExpressions.Regex("."));

        // Typed for a colleague: the dialog from Bob's tile. The PBX (14r1: the board's probe found PbxApi's
        // diversions, so AppNotify too) also gets the message for Bob's myApps.
        await Expect(desk.GetByTestId("blf-board")).ToHaveAttributeAsync("data-forward-settable", "true");
        using var timeout = new CancellationTokenSource(TestTimeouts.StateShown);
        var notified = _host.Pbx.NextRequestAsync("AppNotify", timeout.Token);
        await TakeMessageAsync(desk, "Mr Keller", "0711 4711", "About the invoice", urgent: true);
        await Expect(Tile(desk, Bob)).ToHaveAttributeAsync("data-callbacks", "1");
        await Expect(desk.GetByTestId("blf-action-message")).ToHaveTextAsync($"Message for {Bob.Dn} taken");
        var notification = (await notified).Message;
        Assert.Equal(("PbxApi", Bob.H323, "Urgent, call back: Mr Keller", "About the invoice"), (
            notification.GetProperty("api").GetString(), notification.GetProperty("sip").GetString(),
            notification.GetProperty("title").GetString(), notification.GetProperty("text").GetString()));

        // Bob, signed in on his own board, has it in My calls, and only his.
        var bobs = await chromium.NewPageAsync();
        await BoardTestHost.SignInAsync(bobs, app, Bob.H323);
        var mine = bobs.GetByTestId("blf-mycalls");
        await Expect(mine).ToHaveAttributeAsync("data-guid", Bob.Guid);
        var callback = mine.GetByTestId("blf-callback");
        await Expect(callback).ToHaveAttributeAsync("data-callback-state", "open");
        await Expect(callback).ToHaveAttributeAsync("data-callback-urgency", "urgent");
        await Expect(callback).ToContainTextAsync("Mr Keller (0711 4711)");
        await Expect(callback).ToContainTextAsync("About the invoice");
        await bobs.AssertNoSeriousViolationsAsync();
        await Screenshots.SaveAsync(bobs, "mycalls");

        // Bob calls back from his own phone, then marks it done: the operator's tile clears.
        await callback.GetByTestId("blf-callback-call").ClickAsync();
        await Expect(mine.GetByTestId("blf-mycalls-message")).ToHaveAttributeAsync("data-action-state", "done");
        var dialled = Assert.Single(_host.Pbx.Requests, r => r.Mt == "UserCall").Message;
        Assert.Equal("07114711", dialled.GetProperty("e164").GetString());
        await callback.GetByTestId("blf-callback-done").ClickAsync();
        await Expect(mine.GetByTestId("blf-callback")).ToHaveCountAsync(0);
        await Expect(Tile(desk, Bob)).Not.ToHaveAttributeAsync("data-callbacks", new System.Text.RegularExpressions.Regex("."));

        // A call Bob missed meanwhile, and a second message, marked done by the operator from the tile's detail.
        var rang = _host.Pbx.StartIncomingExternalCall(Bob.Guid, "007031123456");
        _host.Pbx.HangUp(rang.CallerLeg);
        await Expect(Tile(desk, Bob)).ToHaveAttributeAsync("data-missed", "1");
        await TakeMessageAsync(desk, "Ms Lang", "", "Wants the offer", urgent: false);
        await Expect(Tile(desk, Bob)).ToHaveAttributeAsync("data-callbacks", "1");
        await Expect(mine.GetByTestId("blf-callback")).ToHaveCountAsync(1);
        await Tile(desk, Bob).FocusAsync();
        var onTile = Tile(desk, Bob).GetByTestId("blf-callback");
        await Expect(onTile).ToContainTextAsync("Ms Lang");
        await Screenshots.SaveAsync(desk, "tile-missed-and-callbacks");
        await Expect(onTile.GetByTestId("blf-callback-call")).ToHaveCountAsync(0);
        await onTile.GetByTestId("blf-callback-done").ClickAsync();
        await Expect(Tile(desk, Bob)).Not.ToHaveAttributeAsync("data-callbacks", new System.Text.RegularExpressions.Regex("."));
        await Expect(mine.GetByTestId("blf-callback")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Every_button_under_the_pointer_on_a_busy_or_ringing_tile_is_readable(ColorScheme scheme)
    {
        var app = await _host.StartLiveSignInAppAsync(new Dictionary<string, string?>
        {
            ["Blf:Operators:0:User"] = s_operator.Login,
            ["Blf:Operators:0:Phone"] = Own.Cn,
        });
        var desk = await chromium.NewPageAsync(scheme);
        await BoardTestHost.SignInAsync(desk, app, s_operator.Login);
        var busy = _host.Pbx.StartIncomingExternalCall(Bob.Guid, "007031123456");
        _host.Pbx.Answer(busy.CalleeLeg);
        var carol = _host.Pbx.Users[2];
        _host.Pbx.StartIncomingExternalCall(carol.Guid, "007031654321");

        foreach (var (user, lamp) in new[] { (Bob, "busy"), (carol, "ringing") })
        {
            await Expect(Tile(desk, user)).ToHaveAttributeAsync("data-state", lamp);
            var item = desk.GetByTestId("blf-tiles").Locator($"li:has(> [data-guid='{user.Guid}'])");
            var buttons = item.Locator(".tile-actions button:visible, [data-testid=blf-action-favourite]");
            await Expect(buttons.First).ToBeVisibleAsync();
            for (var i = 0; i < await buttons.CountAsync(); i++)
            {
                await buttons.Nth(i).HoverAsync();
                await desk.AssertNoSeriousViolationsAsync();
            }
        }
    }

    private async Task TakeMessageAsync(IPage desk, string name, string number, string note, bool urgent)
    {
        await Tile(desk, Bob).Locator(".tile-actions").GetByTestId("blf-action-take-message").ClickAsync();
        var menu = desk.GetByTestId("blf-message-menu");
        await Expect(menu).ToHaveAttributeAsync("data-guid", Bob.Guid);
        await Expect(menu.GetByTestId("blf-message-name")).ToBeFocusedAsync();
        await menu.GetByTestId("blf-message-name").FillAsync(name);
        await menu.GetByTestId("blf-message-number").FillAsync(number);
        await menu.GetByTestId("blf-message-note").FillAsync(note);
        await menu.GetByTestId("blf-message-urgent").SetCheckedAsync(urgent);

        await desk.AssertNoSeriousViolationsAsync();
        await Screenshots.SaveAsync(desk, "take-a-message");
        await menu.GetByTestId("blf-message-save").ClickAsync();
        await Expect(menu).ToHaveCountAsync(0);
    }

    private static ILocator Tile(IPage page, SimulatedUser user) => page.Locator($"[data-testid=blf-tile][data-guid='{user.Guid}']");
}
