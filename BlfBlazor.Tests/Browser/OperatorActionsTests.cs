using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>
/// A signed-in operator works the switchboard in a real browser against the simulator: picks up,
/// answers, puts through announced and blind, dials, hangs up, sees failures; everyone else cannot act.
/// </summary>
[Trait("Category", "Browser")]
public sealed class OperatorActionsTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const string Caller = "007031123456";
    private static readonly TestPerson s_operator = new("olivia.op", "Olivia Operator");
    private static readonly TestPerson s_viewer = new("vera.view", "Vera Viewer");

    // The board's circuit by its id (never "-": the circuit had opened) and the browser's loopback address.
    private static readonly System.Text.RegularExpressions.Regex s_auditedOrigin = new(@", circuit [^ -][^ ]* from 127\.0\.0\.1\) ");

    private readonly BoardTestHost _host = new(users: 8, seed: 21, chromium: chromium);

    private SimulatedUser Own => _host.Pbx.Users[0];

    private SimulatedUser Bob => _host.Pbx.Users[1];

    private SimulatedUser Carol => _host.Pbx.Users[2];

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        await _host.StartIdentityProviderAsync([s_operator, s_viewer]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_operator_picks_up_a_ringing_colleague_and_puts_the_caller_through_announced()
    {
        var (app, page) = await OperatorBoardAsync();
        await Expect(Item(page, Own)).ToHaveAttributeAsync("data-own", "you");
        await Expect(Tile(page, Own).GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        _host.Pbx.StartIncomingExternalCall(Bob.Guid, Caller);
        var pickupButton = page.GetByRole(AriaRole.Button, new() { Name = $"Pick up {Bob.Dn}'s call" });
        await Expect(pickupButton).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "operator-1-ringing");
        await pickupButton.ClickAsync();

        await Expect(Item(page, Bob)).ToHaveAttributeAsync("data-action-state", "done");
        await Expect(Message(page)).ToHaveTextAsync($"Picked up {Bob.Dn}'s call");
        var pickup = Assert.Single(_host.Pbx.Requests, r => r.Mt == "UserPickup").Message;
        Assert.Equal(Bob.Cn, pickup.GetProperty("cn").GetString());

        // Picked calls arrive ringing at an innovaphone phone: answered from the board.
        var call = page.GetByTestId("blf-operator-call");
        await Expect(call).ToContainTextAsync(Caller);
        await call.GetByTestId("blf-action-answer").ClickAsync();
        await Expect(call).ToHaveAttributeAsync("data-call-phase", "talking");
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-operator-call", "true");
        await Screenshots.SaveAsync(page, "operator-2-picked-up");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Announce the call to {Carol.Dn}" }).ClickAsync();
        await Expect(Message(page)).ToHaveTextAsync($"{Carol.Dn} is on the line; your caller is on hold");
        await Screenshots.SaveAsync(page, "operator-3-announcing");
        var carolsLeg = Assert.Single(_host.Pbx.Truth.Calls[Carol.Guid]);
        _host.Pbx.Answer(carolsLeg.Call);

        await page.GetByTestId("blf-action-complete").ClickAsync();
        await Expect(Message(page)).ToHaveTextAsync("The caller is connected");
        await Expect(page.GetByTestId("blf-operator-idle")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "operator-4-put-through");
        var connected = Assert.Single(_host.Pbx.Truth.Calls[Carol.Guid]);
        Assert.Equal(Caller, connected.Peer);
        Assert.Equal(PbxSimulator.Core.Model.CallPhase.Talking, connected.Phase);
        Assert.Equal(["UserHold", "UserCall", "UserTransfer"], _host.Pbx.Requests.Select(r => r.Mt).Where(mt => mt is "UserHold" or "UserCall" or "UserTransfer"));

        // One audit line per action, in the audit's own category: who, from which board and address, what, whom, how it ended.
        // The answer's line is written when its action ends, which the page shows only through the call's phase: waited for.
        foreach (var (action, target) in new[] { ("Pickup", Bob.Cn), ("Answer", "-"), ("Announce", Carol.Cn), ("CompleteTransfer", "-") })
        {
            await app.Logs.WaitForAsync(
                e => e.Level == LogLevel.Information && e.Category == "BlfBlazor.Audit"
                    && s_auditedOrigin.IsMatch(e.Text) && e.Text.StartsWith($"Operator action: {s_operator.Login} (phone {Own.Cn}, circuit ", StringComparison.Ordinal)
                    && e.Text.Contains($") {action} {target} call ", StringComparison.Ordinal) && e.Text.Contains(": done after", StringComparison.Ordinal),
                count: 1,
                $"the {action} action audited as done");
        }
    }

    [Fact]
    public async Task The_keyboard_picks_up_with_Enter_puts_through_blind_with_Enter_and_opens_the_other_actions()
    {
        _host.Pbx.Variants = new ProtocolVariants { PickupConnected = true };
        var (_, page) = await OperatorBoardAsync(ColorScheme.Dark);
        _host.Pbx.StartIncomingExternalCall(Bob.Guid, Caller);
        await Expect(Tile(page, Bob).GetByTestId("blf-action-pickup")).ToBeVisibleAsync();

        await Tile(page, Bob).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(Message(page)).ToHaveTextAsync($"Picked up {Bob.Dn}'s call");
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-operator-call", "true");
        await Screenshots.SaveAsync(page, "operator-dark-caller");

        // The other actions: Shift+F10 moves into the tile's buttons, arrows between them, Escape back.
        var dave = _host.Pbx.Users[3];
        await Tile(page, dave).FocusAsync();
        await page.Keyboard.PressAsync("Shift+F10");
        await Expect(Tile(page, dave).GetByTestId("blf-action-transfer")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(Tile(page, dave).GetByTestId("blf-action-announce")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(Tile(page, dave)).ToBeFocusedAsync();

        await Tile(page, Carol).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(Message(page)).ToHaveTextAsync($"Put the call through to {Carol.Dn}");
        await Expect(Item(page, Carol)).ToHaveAttributeAsync("data-action-state", "done");
        var carols = Assert.Single(_host.Pbx.Truth.Calls[Carol.Guid]);
        Assert.Equal(Caller, carols.Peer);
        Assert.Equal(Own.Dn, carols.TransferredBy);
        Assert.Contains(_host.Pbx.Requests, r => r.Mt == "UserReroute");
    }

    [Fact]
    public async Task The_presence_menu_opens_from_the_keyboard_without_accessibility_violations_and_Escape_brings_the_focus_back_to_the_tile()
    {
        _host.Pbx.Variants = new ProtocolVariants { PbxVersion = PbxVersion.V13r1 };
        var (_, page) = await OperatorBoardAsync(ColorScheme.Dark);
        var dave = _host.Pbx.Users[3];

        // No caller: the tile's visible buttons are Call and Presence (Forwarding only where the PBX can set it).
        await Tile(page, dave).FocusAsync();
        await page.Keyboard.PressAsync("Shift+F10");
        await Expect(Tile(page, dave).GetByTestId("blf-action-call")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(Tile(page, dave).GetByTestId("blf-action-presence")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        var menu = page.GetByTestId("blf-presence-menu");
        await Expect(menu).ToHaveAttributeAsync("data-guid", dave.Guid);
        await Expect(menu.Locator("[data-menu-start]")).ToBeFocusedAsync();
        await Expect(menu.GetByTestId("blf-presence-option")).ToHaveCountAsync(5);
        await Screenshots.SaveAsync(page, "operator-presence-menu");
        await page.AssertNoSeriousViolationsAsync();

        await page.Keyboard.PressAsync("Escape");
        await Expect(menu).ToHaveCountAsync(0);
        await Expect(Tile(page, dave)).ToBeFocusedAsync();

        // This PBX cannot set diversions (13r1): no forwarding is offered.
        await Expect(page.GetByTestId("blf-board")).Not.ToHaveAttributeAsync("data-forward-settable", "true");
        await Expect(Tile(page, dave).GetByTestId("blf-action-forward")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_dial_box_takes_a_number_as_people_type_it_and_the_call_is_hung_up_from_the_board()
    {
        var (_, page) = await OperatorBoardAsync();

        await page.GetByTestId("blf-dial").FillAsync("Anna");
        await page.GetByTestId("blf-dial-call").ClickAsync();
        await Expect(Message(page)).ToHaveTextAsync("\u201cAnna\u201d is not a phone number.");
        await Expect(Message(page)).ToHaveAttributeAsync("data-action-state", "failed");

        await page.GetByTestId("blf-dial").FillAsync("+49 711 / 47-11");
        await page.GetByTestId("blf-dial-call").ClickAsync();
        await Expect(page.GetByTestId("blf-operator-call")).ToContainTextAsync("+497114711");
        Assert.Equal("+497114711", Assert.Single(_host.Pbx.Requests, r => r.Mt == "UserCall").Message.GetProperty("e164").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Hang up your call with +497114711" }).ClickAsync();
        await Expect(page.GetByTestId("blf-operator-idle")).ToBeVisibleAsync();
        Assert.False(_host.Pbx.Truth.Calls.ContainsKey(Own.Guid));
    }

    [Fact]
    public async Task A_refused_pickup_says_why_on_the_tile_and_a_double_click_sends_once()
    {
        _host.Pbx.Variants = new ProtocolVariants { FailAction = ActionFailure.CallZero };
        var (app, page) = await OperatorBoardAsync();
        _host.Pbx.StartIncomingExternalCall(Bob.Guid, Caller);

        await Tile(page, Bob).GetByTestId("blf-action-pickup").DblClickAsync();

        await Expect(Message(page)).ToHaveTextAsync($"{Bob.Dn}'s call was answered elsewhere before the pickup.");
        await Expect(Item(page, Bob)).ToHaveAttributeAsync("data-action-state", "failed");
        Assert.Single(_host.Pbx.Requests, r => r.Mt == "UserPickup");
        Assert.Contains(app.Logs.Entries, e => e.Text.StartsWith($"Operator action: {s_operator.Login} (phone {Own.Cn}, circuit ", StringComparison.Ordinal) && e.Text.Contains($") Pickup {Bob.Cn} call -: refused", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Anonymous_and_non_operator_viewers_have_no_buttons_and_a_forged_action_reaches_nothing(bool signedIn)
    {
        var app = await _host.StartLiveSignInAppAsync(OperatorList);
        var page = await chromium.NewPageAsync();
        if (signedIn)
        {
            await BoardTestHost.SignInAsync(page, app, s_viewer.Login);
        }
        else
        {
            await page.GotoAsync(app.BaseAddress.ToString());
            await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        }

        _host.Pbx.StartIncomingExternalCall(Bob.Guid, Caller);
        await Expect(Tile(page, Bob)).ToHaveAttributeAsync("data-state", "ringing");
        await Expect(page.Locator("[data-action]")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("blf-operator")).ToHaveCountAsync(0);

        // What a crafted page could send: the action event the operator's buttons raise.
        await Tile(page, Bob).EvaluateAsync("tile => tile.dispatchEvent(new CustomEvent('blfaction', { bubbles: true, detail: { action: 'pickup', guid: tile.dataset.guid } }))");

        // The board has no handler for it (only an operator's board has one), so nothing is sent, held or
        // logged; the server still refuses per request where a handler exists (OperatorActionsTests, Unit).
        // Proof it was processed: a search typed after it takes effect on the same circuit.
        await page.GetByTestId("blf-search").FillAsync(Bob.Cn);
        await Expect(page.GetByTestId("blf-tile")).ToHaveCountAsync(1);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Category == "BlfBlazor.Audit" && e.Text.Contains("Pickup", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Pbx.Requests, r => r.Mt == "UserPickup");
        Assert.DoesNotContain(_host.Pbx.Requests, r => r.Mt == "UserInitialize" && r.Message.GetProperty("src").GetString()!.StartsWith("o:", StringComparison.Ordinal));
        Assert.Equal(PbxSimulator.Core.Model.CallPhase.Ringing, Assert.Single(_host.Pbx.Truth.Calls[Bob.Guid]).Phase);
    }

    private Dictionary<string, string?> OperatorList => new()
    {
        ["Blf:Operators:0:User"] = s_operator.Login,
        ["Blf:Operators:0:Phone"] = Own.Cn,
    };

    [Fact]
    public async Task The_own_tile_and_an_actions_state_stay_marked_while_tiles_change_move_and_are_drawn_whole()
    {
        var (_, page) = await OperatorBoardAsync();
        _host.Pbx.StartIncomingExternalCall(Bob.Guid, Caller);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Pick up {Bob.Dn}'s call" }).ClickAsync();
        await Expect(Item(page, Bob)).ToHaveAttributeAsync("data-action-state", "done");
        await Expect(Item(page, Own)).ToHaveAttributeAsync("data-own", "you");

        // Sorted by state, lamp changes move tiles; then the page misses a version and is sent the whole list.
        await page.GetByTestId("blf-sort").SelectOptionAsync("state");
        _host.Pbx.SetLamp(Carol.Guid, registered: true, channel: 0, alert: 1);
        await Expect(Tile(page, Carol)).ToHaveAttributeAsync("data-state", "ringing");
        await page.EvaluateAsync("() => document.querySelector('[data-testid=blf-tiles]').blfVersion = -1");
        _host.Pbx.SetLamp(Carol.Guid, registered: false, channel: 0, alert: 0);
        await Expect(Tile(page, Carol)).ToHaveAttributeAsync("data-state", "offline");

        await Expect(Item(page, Bob)).ToHaveAttributeAsync("data-action-state", "done");
        await Expect(Item(page, Own)).ToHaveAttributeAsync("data-own", "you");
        await Expect(page.Locator("li[data-own]")).ToHaveCountAsync(1);
        await Expect(page.Locator("li[data-action-state]")).ToHaveCountAsync(1);
    }

    private async Task<(BoardApp App, IPage Page)> OperatorBoardAsync(ColorScheme scheme = ColorScheme.Light)
    {
        var app = await _host.StartLiveSignInAppAsync(OperatorList);
        var page = await chromium.NewPageAsync(scheme);
        await BoardTestHost.SignInAsync(page, app, s_operator.Login);
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-operator", s_operator.Name);
        return (app, page);
    }

    private static ILocator Tile(IPage page, SimulatedUser user) => page.Locator($"[data-testid=blf-tile][data-guid='{user.Guid}']");

    private static ILocator Item(IPage page, SimulatedUser user) => page.Locator($"li:has(> [data-testid=blf-tile][data-guid='{user.Guid}'])");

    private static ILocator Message(IPage page) => page.GetByTestId("blf-action-message");
}
