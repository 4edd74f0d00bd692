using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>Views chosen by URL and by hand, accessibility in both themes, and the board in German.</summary>
[Trait("Category", "Browser")]
public sealed class ViewsAndAccessibilityTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private static readonly string[] s_controlsInTabOrder = ["blf-search", "blf-filter-busy", "blf-filter-ringing", "blf-filter-idle", "blf-filter-offline", "blf-sort"];
    private static readonly string[] s_lampStates = ["offline", "idle", "busy", "ringing"];

    // A lamp's shape from its computed style s, whatever its colour (the legend's and a tile's differ).
    private const string Shape = "(s.backgroundImage + ' | ' + s.clipPath).replace(/rgba?\\([^)]*\\)/g, 'colour')";
    private readonly BoardTestHost _host = new(users: 30, seed: 12, chromium: chromium);

    public Task InitializeAsync() => _host.StartWithLiveAppAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Every_lamp_state_has_a_shape_of_its_own_not_only_a_colour()
    {
        var page = await OpenAsync("");

        // Drawn by CSS from the state class: ring, dot, square, diamond.
        var shapes = new List<string>();
        foreach (var state in s_lampStates)
        {
            var lamp = page.Locator($".legend-item--{state} .lamp");
            var box = await lamp.BoundingBoxAsync();
            Assert.True(box is { Width: > 8, Height: > 8 }, $"{state}: the lamp has no size");
            shapes.Add(await lamp.EvaluateAsync<string>($"e => {{ const s = getComputedStyle(e); return {Shape}; }}"));
        }

        Assert.Equal(4, shapes.Distinct().Count());

        // A tile draws its lamp from its data-state: the legend's shape for that state, at a size one sees.
        var shown = 0;
        foreach (var (state, shape) in s_lampStates.Zip(shapes))
        {
            var tiles = page.Locator($"[data-testid=blf-tile][data-state={state}]");
            if (await tiles.CountAsync() == 0)
            {
                continue;
            }

            var lamp = await tiles.First.EvaluateAsync<string[]>(
                $"e => {{ const s = getComputedStyle(e, '::before'); return [{Shape}, s.width, s.height]; }}");
            Assert.Equal(shape, lamp[0]);
            Assert.True(double.Parse(lamp[1].TrimEnd('p', 'x'), System.Globalization.CultureInfo.InvariantCulture) > 8, $"{state}: the tile's lamp is {lamp[1]} wide");
            Assert.True(double.Parse(lamp[2].TrimEnd('p', 'x'), System.Globalization.CultureInfo.InvariantCulture) > 8, $"{state}: the tile's lamp is {lamp[2]} high");
            shown++;
        }

        Assert.True(shown >= 3, $"only {shown} lamp states among the tiles");
    }

    [Fact]
    public async Task The_view_people_choose_goes_into_the_url_and_comes_back_from_it()
    {
        var target = _host.Pbx.Users.First(u => Lamps.Expected(u) != "offline");
        var name = Lamps.ExpectedName(target);
        var page = await OpenAsync("");

        await page.GetByTestId("blf-search").PressSequentiallyAsync(name);
        await Expect(page.GetByTestId("blf-tile")).ToHaveCountAsync(_host.Pbx.Users.Count(u => Lamps.ExpectedName(u).Contains(name, StringComparison.OrdinalIgnoreCase) || u.Cn.Contains(name, StringComparison.OrdinalIgnoreCase)));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]q="));

        await page.GetByTestId("blf-search").FillAsync("");
        await page.GetByTestId("blf-filter-offline").UncheckAsync();
        await page.GetByTestId("blf-sort").SelectOptionAsync("number");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=number"));
        var shown = _host.Pbx.Users.Count(u => Lamps.Expected(u) != "offline");
        await Expect(page.GetByTestId("blf-tile")).ToHaveCountAsync(shown);

        // A bookmark of that URL opens the same view.
        var bookmark = page.Url;
        var again = await OpenAsync(new Uri(bookmark).Query);
        await Expect(again.GetByTestId("blf-tile")).ToHaveCountAsync(shown);
        await Expect(again.GetByTestId("blf-filter-offline")).Not.ToBeCheckedAsync();
        await Expect(again.GetByTestId("blf-sort")).ToHaveValueAsync("number");
        var numbers = await again.Locator("[data-testid=blf-tile] .tile-number").AllTextContentsAsync();
        Assert.Equal(numbers.OrderBy(n => n.Length).ThenBy(n => n, StringComparer.Ordinal), numbers);
    }

    [Fact]
    public async Task Grouped_and_compact_views_come_from_the_url()
    {
        var page = await OpenAsync("?group=node&compact");

        await Expect(page.GetByTestId("blf-group")).ToHaveCountAsync(_host.Pbx.Users.Select(u => u.Node).Distinct().Count());
        await Expect(page.GetByTestId("blf-tile")).ToHaveCountAsync(30);
        await Screenshots.SaveAsync(page, "board-compact");
    }

    [Theory]
    [InlineData(ColorScheme.Light, "")]
    [InlineData(ColorScheme.Dark, "")]
    [InlineData(ColorScheme.Light, "?theme=dark&compact")]
    [InlineData(ColorScheme.Dark, "?kiosk&lang=de")]
    public async Task No_serious_or_critical_accessibility_violations(ColorScheme scheme, string query)
    {
        // Make every state appear, ringing included, so every colour pair is checked.
        var users = _host.Pbx.Users;
        _host.Pbx.SetLamp(users[0].Guid, registered: true, channel: 0, alert: 1);
        _host.Pbx.SetLamp(users[1].Guid, registered: true, channel: 1, alert: 0);
        _host.Pbx.SetLamp(users[2].Guid, registered: false, channel: 0, alert: 0);
        var page = await OpenAsync(query, scheme);
        await Expect(page.Locator("[data-testid=blf-tile][data-state=ringing]")).Not.ToHaveCountAsync(0);

        // The ringing pulse animates; check the settled colours.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ReducedMotion = ReducedMotion.Reduce });
        await page.AssertNoSeriousViolationsAsync();
    }

    [Fact]
    public async Task The_keyboard_reaches_every_control()
    {
        var page = await OpenAsync("");

        // Each Tab lands on the next control, in reading order; none is skipped or reached twice.
        foreach (var control in s_controlsInTabOrder)
        {
            await page.Keyboard.PressAsync("Tab");
            await Expect(page.GetByTestId(control)).ToBeFocusedAsync();
        }

        // After the last control the focus leaves the page: nothing hidden or stray takes a stop.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("BODY", await page.EvaluateAsync<string>("() => document.activeElement.tagName"));

        // And Shift+Tab walks the same stops back.
        foreach (var control in Enumerable.Reverse(s_controlsInTabOrder))
        {
            await page.Keyboard.PressAsync("Shift+Tab");
            await Expect(page.GetByTestId(control)).ToBeFocusedAsync();
        }

        // Space toggles a focused filter, as with any checkbox.
        await page.GetByTestId("blf-filter-busy").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("state="));
    }

    [Fact]
    public async Task German_by_lang_and_by_the_browsers_language_also_for_live_changes()
    {
        var byUrl = await OpenAsync("?lang=de");
        await Expect(byUrl.Locator("h1")).ToHaveTextAsync("Besetztlampenfeld");
        await Expect(byUrl.Locator("html")).ToHaveAttributeAsync("lang", "de");

        var context = await chromium.NewContextAsync(new BrowserNewContextOptions { Locale = "de-DE" });
        var byBrowser = await context.NewPageAsync();
        await byBrowser.GotoAsync(_host.App.BaseAddress.ToString());
        await Expect(byBrowser.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(byBrowser.GetByTestId("blf-search")).ToHaveAttributeAsync("placeholder", "Name oder Nummer");

        // What the circuit renders later is German too, on both pages.
        var user = _host.Pbx.Users[5];
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 1, alert: 0);
        foreach (var page in new[] { byUrl, byBrowser })
        {
            var tile = page.Locator($"[data-guid='{user.Guid}']");
            await Expect(tile).ToHaveAttributeAsync("data-state", "busy");
            await Expect(tile.Locator(".tile-state")).ToContainTextAsync("Besetzt");
            await Expect(tile).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex(", Besetzt$"));
        }

        var english = await OpenAsync("?lang=en");
        await Expect(english.Locator("h1")).ToHaveTextAsync("Busy lamp field");
    }

    private async Task<IPage> OpenAsync(string query, ColorScheme scheme = ColorScheme.Light)
    {
        var page = await chromium.NewPageAsync(scheme);
        await page.GotoAsync(new Uri(_host.App.BaseAddress, "/" + query).ToString());
        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        return page;
    }

}
