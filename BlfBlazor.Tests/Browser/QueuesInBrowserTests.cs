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

    private readonly BoardTestHost _host = new(users: 8, seed: 22, chromium: chromium, objects: true);

    public async Task InitializeAsync() => await _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_board_shows_each_queue_as_a_card_above_the_tiles_that_follows_its_callers_live()
    {
        var app = await _host.StartLiveAppAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(app.BaseAddress.ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");

        var reception = Card(page, "Reception");
        await Expect(reception).ToHaveAttributeAsync("data-queue-waiting", "0");
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

    private static ILocator Card(IPage page, string name) => page.Locator($"[data-testid=blf-queue][data-queue-name=\"{name}\"]");
}
