using BlfBlazor.PbxSimulator.Core.Scenario;
using BlfBlazor.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>
/// A signed-in person's own board in a real browser, signed in through the real test OpenID provider:
/// a star puts a colleague first, in every view and after a reload; and the PBX's own groups as a filter.
/// </summary>
[Trait("Category", "Browser")]
public sealed class PersonalBoardsInBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private static readonly TestPerson s_person = new("dora.desk", "Dora Desk");

    private readonly BoardTestHost _host = new(users: 8, seed: 12, chromium: chromium, objects: true);

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        await _host.StartIdentityProviderAsync([s_person]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_star_puts_the_colleague_first_in_every_view_and_after_a_reload()
    {
        var app = await _host.StartLiveSignInAppAsync();
        var page = await chromium.NewPageAsync();
        await BoardTestHost.SignInAsync(page, app, s_person.Login);

        // The last colleague in the board's order, so "first" can only come from the star.
        var colleague = _host.Pbx.Users.Where(user => user.IsPerson).OrderBy(user => user.Dn, StringComparer.CurrentCulture).Last();
        var tiles = page.GetByTestId("blf-tiles");
        var star = tiles.Locator($"li:has(> [data-guid=\"{colleague.Guid}\"]) > [data-testid=blf-action-favourite]");
        await Expect(star).ToHaveAttributeAsync("aria-pressed", "false");
        var favourites = page.Locator("[data-section=favourites]");
        await Expect(favourites).ToHaveCountAsync(0);

        await star.ClickAsync();

        await Expect(star).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(favourites.GetByTestId("blf-tile")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("blf-tile").First).ToHaveAttributeAsync("data-guid", colleague.Guid);
        await Expect(page.Locator($"li[data-favourite=true] > [data-guid=\"{colleague.Guid}\"]")).ToHaveCountAsync(2);
        await page.AssertNoSeriousViolationsAsync();
        await Screenshots.SaveAsync(page, "favourites");

        // Kept: after a reload, and first in another view too (one that would put the colleague elsewhere).
        await page.ReloadAsync();
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-tile").First).ToHaveAttributeAsync("data-guid", colleague.Guid);
        await page.GotoAsync(new Uri(app.BaseAddress, $"?q={Uri.EscapeDataString(_host.Pbx.Users[0].Dn!)}").ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-tile").First).ToHaveAttributeAsync("data-guid", colleague.Guid);
        await Expect(favourites.GetByTestId("blf-action-favourite")).ToHaveAttributeAsync("aria-pressed", "true");

        // The star in the section takes it away again.
        await favourites.GetByTestId("blf-action-favourite").ClickAsync();
        await Expect(favourites).ToHaveCountAsync(0);
        await Expect(page.Locator("li[data-favourite]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_saved_view_opens_from_the_menu_and_the_bare_address_brings_back_the_last_view()
    {
        var app = await _host.StartLiveSignInAppAsync();
        var page = await chromium.NewPageAsync();
        await BoardTestHost.SignInAsync(page, app, s_person.Login, returnUrl: "/?sort=number&state=idle");
        var menu = page.GetByTestId("blf-saved-views");

        await menu.Locator("summary").ClickAsync();
        await page.GetByTestId("blf-saved-view-name").FillAsync("Free by number");
        await page.GetByTestId("blf-saved-view-save").ClickAsync();
        await Expect(page.GetByTestId("blf-saved-view")).ToHaveTextAsync("Free by number");

        // Elsewhere, then back through the menu.
        await page.GotoAsync(new Uri(app.BaseAddress, "?sort=state").ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-sort")).ToHaveValueAsync("state");
        await menu.Locator("summary").ClickAsync();
        await page.GetByTestId("blf-saved-view").ClickAsync();
        await Expect(page.GetByTestId("blf-sort")).ToHaveValueAsync("number");
        await Expect(page.GetByTestId("blf-filter-busy")).Not.ToBeCheckedAsync();

        // The bare address: the view shown last, and the address says so.
        await page.GotoAsync(app.BaseAddress.ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-sort")).ToHaveValueAsync("number");
        await Expect(page.GetByTestId("blf-filter-busy")).Not.ToBeCheckedAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=number"));

        await menu.Locator("summary").ClickAsync();
        await page.GetByTestId("blf-saved-view-delete").ClickAsync();
        await Expect(page.GetByTestId("blf-saved-view")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_anonymous_viewer_gets_no_stars()
    {
        var app = await _host.StartLiveSignInAppAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(app.BaseAddress.ToString());

        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-tile")).ToHaveCountAsync(_host.Pbx.Users.Count(user => user.IsPerson));
        await Expect(page.GetByTestId("blf-action-favourite")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("blf-saved-views")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Grp_shows_only_the_users_in_that_PBX_group_now_and_pbxgroup_heads_each_group()
    {
        var app = await _host.StartLiveAppAsync();
        var page = await chromium.NewPageAsync();

        // The generator puts the first three people in reception-agents: two logged in, one logged out.
        var agents = _host.Pbx.Users.Where(user => user.Groups.Any(group => group.Name == UserGenerator.ReceptionAgents && group.Dyn != "out")).Select(user => user.Guid).Order().ToList();
        Assert.Equal(2, agents.Count);

        await page.GotoAsync(new Uri(app.BaseAddress, $"?grp={UserGenerator.ReceptionAgents}").ToString());

        var tiles = page.GetByTestId("blf-tile");
        await Expect(tiles).ToHaveCountAsync(2);
        Assert.Equal(agents, (await tiles.EvaluateAllAsync<string[]>("tiles => tiles.map(t => t.dataset.guid)")).Order());

        await page.GotoAsync(new Uri(app.BaseAddress, "?group=pbxgroup").ToString());
        await Expect(page.GetByTestId("blf-group")).ToHaveTextAsync([new System.Text.RegularExpressions.Regex($"^{UserGenerator.ReceptionAgents} "), new System.Text.RegularExpressions.Regex($"^{UserGenerator.SupportAgents} "), new System.Text.RegularExpressions.Regex("^Other ")]);
    }
}
