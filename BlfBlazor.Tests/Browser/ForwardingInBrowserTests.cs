using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using SimDiversion = BlfBlazor.PbxSimulator.Core.Model.Diversion;

namespace BlfBlazor.Tests.Browser;

/// <summary>
/// Where calls go, in a real browser against the simulator: a forwarded colleague on the board, a
/// put-through that follows the forwarding and one that breaks through it, presence and forwarding set
/// for a colleague from the board, and nothing hidden (a password column, an external number under
/// <c>Blf:CallDetails=Internal</c>) anywhere the page or its circuit reaches.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ForwardingInBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const string Caller = "007031123456";
    private const string Mobile = "00171234567";
    private static readonly TestPerson s_operator = new("olivia.op", "Olivia Operator");

    private readonly BoardTestHost _host = new(users: 5, seed: 23, chromium: chromium);

    private SimulatedUser Own => _host.Pbx.Users[0];

    private SimulatedUser Bob => _host.Pbx.Users[1];

    private SimulatedUser Carol => _host.Pbx.Users[2];

    private SimulatedUser Dave => _host.Pbx.Users[3];

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        await _host.StartIdentityProviderAsync([s_operator]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task A_forwarded_colleague_shows_where_calls_go_and_the_board_stays_accessible(ColorScheme scheme)
    {
        _host.Pbx.SetDiversions(Carol.Guid, [new SimDiversion(DiversionType.Cfu, H323: Dave.H323)]);
        _host.Pbx.SetDiversions(Bob.Guid, [new SimDiversion(DiversionType.Cfb, E164: Mobile), new SimDiversion(DiversionType.Cfnr, E164: Dave.E164)]);
        _host.Pbx.SetPresence(Dave.Guid, "dnd", "");
        var app = await _host.StartLiveAppAsync();
        var page = await chromium.NewPageAsync(scheme);

        await page.GotoAsync(app.BaseAddress.ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");

        await Expect(Tile(page, Carol)).ToHaveAttributeAsync("data-forward", "always");
        await Expect(Tile(page, Carol)).ToHaveAttributeAsync("data-forward-to", Lamps.ExpectedName(Dave));
        await Expect(Tile(page, Carol)).ToHaveAttributeAsync("data-state", "idle");
        await Expect(Tile(page, Carol).GetByTestId("blf-tile-forward")).ToHaveTextAsync($"forwarded \u2192 {Lamps.ExpectedName(Dave)}");
        await Expect(Tile(page, Bob)).ToHaveAttributeAsync("data-forward", "busy no-answer");
        await Expect(Tile(page, Bob)).ToHaveAttributeAsync("data-forward-to", Mobile);
        await Expect(Tile(page, Dave)).ToHaveAttributeAsync("data-presence", "dnd");
        await Screenshots.SaveAsync(page, $"forwarding-{scheme.ToString().ToLowerInvariant()}");

        // The change a colleague makes on their phone reaches the open board.
        _host.Pbx.ClearDiversions(Carol.Guid);
        await Expect(Tile(page, Carol)).Not.ToHaveAttributeAsync("data-forward", new System.Text.RegularExpressions.Regex("."));

        await Tile(page, Bob).FocusAsync();
        await Expect(Tile(page, Bob).GetByTestId("blf-tile-detail")).ToContainTextAsync($"When busy, calls go to {Mobile}");
        await page.AssertNoSeriousViolationsAsync();
    }

    [Fact]
    public async Task Put_through_follows_the_colleagues_forwarding_and_put_through_to_the_desk_rings_the_desk()
    {
        _host.Pbx.SetDiversions(Carol.Guid, [new SimDiversion(DiversionType.Cfu, H323: Dave.H323)]);
        var page = await OperatorBoardAsync();

        // A caller put through to Carol reaches Dave, where Carol's calls go.
        await TakeACallerAsync(page);
        var transfer = Tile(page, Carol).GetByTestId("blf-action-transfer");
        await Expect(transfer).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex($"{Lamps.ExpectedName(Carol)}.*{Lamps.ExpectedName(Dave)}"));
        await transfer.ClickAsync();
        await Expect(Item(page, Carol)).ToHaveAttributeAsync("data-action-state", "done");
        Assert.Equal(Caller, Assert.Single(_host.Pbx.Truth.Calls[Dave.Guid]).Peer);
        Assert.False(_host.Pbx.Truth.Calls.ContainsKey(Carol.Guid) && _host.Pbx.Truth.Calls[Carol.Guid].Count > 0);
        Assert.Contains(_host.Pbx.Requests, r => r.Mt == "UserReroute");

        // Past the forwarding: Carol's own desk phone rings.
        await TakeACallerAsync(page);
        await Screenshots.SaveAsync(page, "forwarding-break-through");
        await Tile(page, Carol).GetByTestId("blf-action-transfer-desk").ClickAsync();
        await Expect(Tile(page, Carol)).ToHaveAttributeAsync("data-state", "ringing");
        Assert.Equal(Caller, Assert.Single(_host.Pbx.Truth.Calls[Carol.Guid]).Peer);
        Assert.Contains(_host.Pbx.Requests, r => r.Mt == "UserRedirect");
    }

    [Fact]
    public async Task Presence_is_set_with_a_note_for_a_colleague_and_cleared_again()
    {
        _host.Pbx.SetDiversions(Carol.Guid, [new SimDiversion(DiversionType.Cfu, E164: Mobile)]);
        var page = await OperatorBoardAsync();
        await Expect(Tile(page, Carol)).ToHaveAttributeAsync("data-forward", "always");

        await Tile(page, Dave).GetByTestId("blf-action-presence").ClickAsync();
        var menu = page.GetByTestId("blf-presence-menu");
        await menu.Locator("[data-testid=blf-presence-option][data-activity=lunch]").ClickAsync();
        await menu.GetByTestId("blf-presence-note").FillAsync("back at 14:00");
        await Screenshots.SaveAsync(page, "forwarding-presence-menu");
        await page.AssertNoSeriousViolationsAsync();
        await menu.GetByTestId("blf-presence-set").ClickAsync();

        await Expect(Tile(page, Dave)).ToHaveAttributeAsync("data-presence", "lunch");
        await Expect(Tile(page, Dave)).ToHaveAttributeAsync("data-presence-note", "back at 14:00");
        await Expect(Item(page, Dave)).ToHaveAttributeAsync("data-action-state", "done");
        var set = Assert.Single(_host.Pbx.Requests, r => r.Mt == "SetPresence").Message;
        Assert.Equal((Dave.H323, "lunch", "back at 14:00"), (set.GetProperty("sip").GetString(), set.GetProperty("activity").GetString(), set.GetProperty("note").GetString()));

        await Tile(page, Dave).GetByTestId("blf-action-presence").ClickAsync();
        await page.GetByTestId("blf-presence-menu").GetByTestId("blf-presence-clear").ClickAsync();
        await Expect(Tile(page, Dave)).Not.ToHaveAttributeAsync("data-presence", new System.Text.RegularExpressions.Regex("."));
        Assert.Equal(2, _host.Pbx.Requests.Count(r => r.Mt == "SetPresence"));
    }

    [Fact]
    public async Task Forwarding_is_set_and_cleared_for_a_colleague_where_the_PBX_can()
    {
        var page = await OperatorBoardAsync();
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-forward-settable", "true");

        await Tile(page, Dave).GetByTestId("blf-action-forward").ClickAsync();
        var menu = page.GetByTestId("blf-forward-menu");
        await menu.GetByTestId("blf-forward-type").SelectOptionAsync("Always");
        await menu.GetByTestId("blf-forward-to").FillAsync("0800123");
        await Screenshots.SaveAsync(page, "forwarding-set-menu");
        await page.AssertNoSeriousViolationsAsync();
        await menu.GetByTestId("blf-forward-set").ClickAsync();

        await Expect(Tile(page, Dave)).ToHaveAttributeAsync("data-forward", "always");
        await Expect(Tile(page, Dave)).ToHaveAttributeAsync("data-forward-to", "0800123");
        await Expect(Item(page, Dave)).ToHaveAttributeAsync("data-action-state", "done");
        Assert.Equal(DiversionType.Cfu, Assert.Single(_host.Pbx.Users.Single(u => u.Guid == Dave.Guid).Diversions).Type);

        await Tile(page, Dave).GetByTestId("blf-action-forward").ClickAsync();
        await page.GetByTestId("blf-forward-menu").Locator("[data-testid=blf-forward-clear][data-forward-type=always]").ClickAsync();
        await Expect(Tile(page, Dave)).Not.ToHaveAttributeAsync("data-forward", new System.Text.RegularExpressions.Regex("."));
        Assert.Empty(_host.Pbx.Users.Single(u => u.Guid == Dave.Guid).Diversions);
    }

    [Theory]
    [InlineData(UnknownMtAnswer.Silence)]
    [InlineData(UnknownMtAnswer.Error)]
    public async Task A_13r1_PBX_gets_no_forwarding_button(UnknownMtAnswer answer)
    {
        _host.Pbx.Variants = new ProtocolVariants { PbxVersion = PbxVersion.V13r1, UnknownMt = answer };
        var probe = _host.Pbx.NextRequestAsync("GetDiversion", CancellationToken.None);
        var page = await OperatorBoardAsync(new() { ["Pbx:ActionTimeout"] = "00:00:01" });

        // The board asked; whatever the old PBX answered, nothing offers to set forwarding.
        await probe.WaitAsync(TestTimeouts.StateShown);
        await Expect(page.GetByTestId("blf-board")).Not.ToHaveAttributeAsync("data-forward-settable", "true");
        await Expect(Tile(page, Dave).GetByTestId("blf-action-presence")).ToBeVisibleAsync();
        await Expect(Tile(page, Dave).GetByTestId("blf-action-forward")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task No_password_column_and_no_hidden_number_reaches_the_page_its_circuit_healthz_or_the_log()
    {
        _host.Pbx.Variants = new ProtocolVariants { ExtraColumns = true };
        _host.Pbx.SetDiversions(Carol.Guid, [new SimDiversion(DiversionType.Cfu, E164: Mobile)]);
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Blf:CallDetails"] = "Internal" });
        var page = await chromium.NewPageAsync();
        var traffic = PageTraffic.Record(page);

        await page.GotoAsync(app.BaseAddress.ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(Tile(page, Carol)).ToHaveAttributeAsync("data-forward", "always");
        await Expect(Tile(page, Carol).GetByTestId("blf-tile-forward")).ToHaveTextAsync("forwarded \u2192 an external number");

        // A change the circuit carries, then everything it carried.
        _host.Pbx.SetDiversions(Bob.Guid, [new SimDiversion(DiversionType.Cfb, E164: Mobile)]);
        await Expect(Tile(page, Bob)).ToHaveAttributeAsync("data-forward", "busy");

        await traffic.AssertNowhereAsync(Mobile);
        await traffic.AssertNowhereAsync("secret-pwd");
        using var http = app.CreateHttpClient();
        foreach (var path in new[] { "/", "/healthz" })
        {
            var body = await http.GetByteArrayAsync(new Uri(path, UriKind.Relative));
            PageTraffic.AssertNotIn(body, Mobile, path);
            PageTraffic.AssertNotIn(body, "secret-pwd", path);
        }

        Assert.DoesNotContain(Mobile, app.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pwd", app.Logs.AllText, StringComparison.Ordinal);
    }

    /// <summary>A caller rings the operator's phone and the operator answers it from the board.</summary>
    private async Task TakeACallerAsync(IPage page)
    {
        var call = _host.Pbx.StartIncomingExternalCall(Own.Guid, Caller);
        _host.Pbx.Answer(call.CalleeLeg);
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-operator-call", "true");
    }

    private async Task<IPage> OperatorBoardAsync(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(more ?? [])
        {
            ["Blf:Operators:0:User"] = s_operator.Login,
            ["Blf:Operators:0:Phone"] = Own.Cn,
        };
        var app = await _host.StartLiveSignInAppAsync(settings);
        var page = await chromium.NewPageAsync();
        await BoardTestHost.SignInAsync(page, app, s_operator.Login);
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-operator", s_operator.Name);
        return page;
    }

    private static ILocator Tile(IPage page, SimulatedUser user) => page.Locator($"[data-testid=blf-tile][data-guid='{user.Guid}']");

    private static ILocator Item(IPage page, SimulatedUser user) => page.Locator($"li:has(> [data-testid=blf-tile][data-guid='{user.Guid}'])");
}
