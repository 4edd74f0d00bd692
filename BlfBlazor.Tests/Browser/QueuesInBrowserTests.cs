using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Scenario;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>
/// Waiting queues in a real browser against the simulator: the cards above the tiles and on the wall view
/// follow the PBX live, alert past the alert time, stay accessible in both themes, and the wall view reads
/// at 1920×1080 (its screenshots are the README's).
/// </summary>
[Trait("Category", "Browser")]
public sealed class QueuesInBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const string Caller = "007031123456";
    private static readonly TestPerson s_operator = new("olivia.op", "Olivia Operator");

    private readonly BoardTestHost _host = new(users: 8, seed: 22, chromium: chromium, objects: true);

    public async Task InitializeAsync() => await _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_board_shows_each_queue_as_a_card_above_the_tiles_that_follows_its_callers_live()
    {
        var (app, page, reception) = await OpenBoardAsync();
        await Expect(page.GetByTestId("blf-queue")).ToHaveCountAsync(2);

        // Queues get cards, never person tiles.
        await Expect(page.Locator($"[data-testid=blf-tile][data-guid=\"{UserGenerator.ReceptionGuid}\"]")).ToHaveCountAsync(0);

        var started = _host.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);
        await Expect(reception).ToHaveAttributeAsync("data-queue-waiting", "1");
        var waiting = reception.GetByTestId("blf-queue-caller");
        await Expect(waiting).ToHaveAttributeAsync("data-call-peer", Caller);
        await Expect(waiting).ToHaveAttributeAsync("data-call", started.CalleeLeg.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(reception).ToHaveAttributeAsync("data-queue-longest-since", new System.Text.RegularExpressions.Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        await Expect(reception).ToHaveAttributeAsync("data-queue-offered", "1");

        // The caller gives up: gone from the card, counted as abandoned.
        Assert.True(_host.Pbx.AbandonQueueCall(started.CalleeLeg));
        await Expect(reception).ToHaveAttributeAsync("data-queue-waiting", "0");
        await Expect(reception).ToHaveAttributeAsync("data-queue-abandoned", "1");
        await Expect(reception.GetByTestId("blf-queue-caller")).ToHaveCountAsync(0);

        // The URL can hide the section, or limit it to some queues.
        await page.GotoAsync(new Uri(app.BaseAddress, "?queues=off").ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-queue")).ToHaveCountAsync(0);
        await page.GotoAsync(new Uri(app.BaseAddress, "?queue=support").ToString());
        await Expect(page.GetByTestId("blf-queue")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("blf-queue")).ToHaveAttributeAsync("data-queue-name", "Support");
    }

    [Fact]
    public async Task A_lost_pbx_marks_the_cards_last_known_and_the_resync_shows_who_waits_now_with_the_figures_restarted()
    {
        var (_, page, reception) = await OpenBoardAsync();
        await Expect(page.Locator("[data-testid=blf-queue][data-stale]")).ToHaveCountAsync(0);

        _host.Pbx.DropConnections();
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-connection", "reconnecting");
        await Expect(page.Locator("[data-testid=blf-queue][data-stale=true]")).ToHaveCountAsync(2);
        await Expect(reception).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("last known$"));

        // A caller who reached the queue while the board was away is there once it is back, and the card
        // says its hourly figures start again (the board did not see what happened meanwhile).
        _host.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-connection", "live");
        await Expect(page.Locator("[data-testid=blf-queue][data-stale]")).ToHaveCountAsync(0);
        await Expect(reception).ToHaveAttributeAsync("data-queue-waiting", "1");
        await Expect(reception.GetByTestId("blf-queue-caller")).ToHaveAttributeAsync("data-call-peer", Caller);
        await Expect(page.GetByTestId("blf-queue-figures")).ToHaveAttributeAsync("data-restarted", "true");
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task The_wall_view_shows_only_the_cards_live_alerts_past_the_alert_time_and_stays_accessible(ColorScheme scheme)
    {
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Blf:Queues:AlertSeconds"] = "1" });
        var page = await chromium.NewPageAsync(scheme, width: 1920, height: 1080);
        await page.GotoAsync(new Uri(app.BaseAddress, "?view=queues").ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-queue")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("blf-tile")).ToHaveCountAsync(0);

        _host.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);
        _host.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, "00891234567");
        _host.Pbx.StartQueueCall(UserGenerator.SupportGuid, "004930123456");
        var reception = Card(page, "Reception");
        await Expect(reception).ToHaveAttributeAsync("data-queue-waiting", "2");
        await Expect(Card(page, "Support")).ToHaveAttributeAsync("data-queue-waiting", "1");

        // Past the alert time the card says so in words, not only in colour.
        await Expect(reception).ToHaveAttributeAsync("data-queue-alert", "true");
        await Expect(reception.Locator(".queue-alert")).ToHaveTextAsync("Waiting too long");
        Assert.True(await reception.Locator(".queue-alert").EvaluateAsync<bool>("e => e.checkVisibility()"));

        await page.AssertNoSeriousViolationsAsync();
        await Screenshots.SaveAsync(page, $"queues-wall-{scheme.ToString().ToLowerInvariant()}");
    }

    [Fact]
    public async Task Take_the_next_caller_brings_the_longest_waiting_caller_to_the_operators_phone()
    {
        var page = await OperatorBoardAsync();
        var first = _host.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);
        _host.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, "00891234567");
        var reception = Card(page, "Reception");
        await Expect(reception).ToHaveAttributeAsync("data-queue-waiting", "2");

        // Keyboard first: the card's button is reached and pressed like any button.
        await reception.Locator(".queue-take").FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(reception).ToHaveAttributeAsync("data-action-state", "done");
        await Expect(reception).ToHaveAttributeAsync("data-queue-waiting", "1");
        await Expect(reception).ToHaveAttributeAsync("data-queue-answered", "1");
        var request = Assert.Single(_host.Pbx.Requests, r => r.Mt == "UserPickup");
        Assert.Equal("Reception", request.Message.GetProperty("cn").GetString());
        Assert.Equal(first.CalleeLeg, request.Message.GetProperty("call").GetInt32());
        Assert.Contains(_host.Pbx.Truth.Calls[Operator.Guid], leg => leg.Peer == Caller);
        await Expect(page.GetByTestId("blf-operator-call")).ToContainTextAsync(Caller);
        await page.AssertNoSeriousViolationsAsync();
        await Screenshots.SaveAsync(page, "queues-board");
    }

    [Fact]
    public async Task A_caller_taken_elsewhere_first_gives_a_sentence_and_a_double_click_sends_once()
    {
        var page = await OperatorBoardAsync();
        var started = _host.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);
        var reception = Card(page, "Reception");
        await Expect(reception.GetByTestId("blf-queue-caller")).ToHaveCountAsync(1);

        // The PBX no longer has the caller when the request arrives (an agent answered first).
        _host.Pbx.Variants = new ProtocolVariants { FailAction = ActionFailure.CallZero };
        await reception.GetByTestId("blf-queue-caller").GetByTestId("blf-action-take").DblClickAsync();

        await Expect(page.GetByTestId("blf-action-message")).ToHaveTextAsync("The caller at Reception was taken elsewhere before you could take it; nothing else was sent.");
        await Expect(reception).ToHaveAttributeAsync("data-action-state", "failed");
        var request = Assert.Single(_host.Pbx.Requests, r => r.Mt == "UserPickup");
        Assert.Equal(started.CalleeLeg, request.Message.GetProperty("call").GetInt32());
    }

    private SimulatedUser Operator => _host.Pbx.Users.Where(user => user.IsPerson).ElementAt(3);

    private async Task<IPage> OperatorBoardAsync()
    {
        await _host.StartIdentityProviderAsync([s_operator]);
        var app = await _host.StartLiveSignInAppAsync(new Dictionary<string, string?>
        {
            ["Blf:Operators:0:User"] = s_operator.Login,
            ["Blf:Operators:0:Phone"] = Operator.Cn,
        });
        var page = await chromium.NewPageAsync();
        await BoardTestHost.SignInAsync(page, app, s_operator.Login);
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-operator", s_operator.Name);
        return page;
    }

    /// <summary>An app, and a board open on it and interactive, with Reception's card showing nobody waiting.</summary>
    private async Task<(BoardApp App, IPage Page, ILocator Reception)> OpenBoardAsync()
    {
        var app = await _host.StartLiveAppAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(app.BaseAddress.ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        var reception = Card(page, "Reception");
        await Expect(reception).ToHaveAttributeAsync("data-queue-waiting", "0");
        return (app, page, reception);
    }

    private static ILocator Card(IPage page, string name) => page.Locator($"[data-testid=blf-queue][data-queue-name=\"{name}\"]");
}
