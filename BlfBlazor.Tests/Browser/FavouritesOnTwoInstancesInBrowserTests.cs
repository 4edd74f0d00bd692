using BlfBlazor.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>
/// Two instances of the real app on one real PostgreSQL, as behind a load balancer, each signed in to in
/// its own real browser context through the real test OpenID provider: a star given on one is first on
/// the other's board; taken away there it is gone from the first's board however the reload and the news
/// cross, and given again there it shows on the first's open board, live.
/// </summary>
[Trait("Category", "Browser")]
[Collection(PostgreSqlCollection.Name)]
public sealed class FavouritesOnTwoInstancesInBrowserTests(PostgreSqlCluster postgres, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncDisposable
{
    private static readonly TestPerson s_person = new("dora.desk", "Dora Desk");

    private readonly BoardTestHost _host = new(users: 6, seed: 33, chromium: chromium);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_star_given_on_one_instance_puts_the_colleague_first_on_the_other()
    {
        var database = await postgres.CreateDatabaseAsync();
        await _host.StartAsync();
        await _host.StartIdentityProviderAsync([s_person]);
        var a = await StartInstanceAsync(database);
        var b = await StartInstanceAsync(database);

        // The last colleague in the board's order, so "first" can only come from the star.
        var colleague = _host.Pbx.Users.Where(user => user.IsPerson).OrderBy(user => user.Dn, StringComparer.CurrentCulture).Last();
        var onA = await chromium.NewPageAsync();
        await BoardTestHost.SignInAsync(onA, a, s_person.Login);
        await Expect(onA.GetByTestId("blf-tile").First).Not.ToHaveAttributeAsync("data-guid", colleague.Guid);
        await StarOf(onA, colleague.Guid).ClickAsync();
        await Expect(StarOf(onA, colleague.Guid)).ToHaveAttributeAsync("aria-pressed", "true");

        // The same person on the other instance, in a browser of their own.
        var onB = await chromium.NewPageAsync();
        await BoardTestHost.SignInAsync(onB, b, s_person.Login);
        await Expect(onB.GetByTestId("blf-tile").First).ToHaveAttributeAsync("data-guid", colleague.Guid);
        await Expect(onB.Locator("[data-section=favourites]").GetByTestId("blf-tile")).ToHaveCountAsync(1);

        // Taken away there, and the first instance's board loaded again at once: whether the news comes
        // before, while or after the board reads the person's stars, it shows none.
        await onB.Locator("[data-section=favourites]").GetByTestId("blf-action-favourite").ClickAsync();
        await Expect(onB.Locator("[data-section=favourites]")).ToHaveCountAsync(0);
        await onA.ReloadAsync();
        await Expect(onA.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(StarOf(onA, colleague.Guid)).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(onA.Locator("[data-section=favourites]")).ToHaveCountAsync(0);

        // Given again there: the first instance's open board puts the colleague first without a reload.
        await StarOf(onB, colleague.Guid).ClickAsync();
        await Expect(onA.GetByTestId("blf-tile").First).ToHaveAttributeAsync("data-guid", colleague.Guid);
        await Expect(StarOf(onA, colleague.Guid)).ToHaveAttributeAsync("aria-pressed", "true");
    }

    private static Microsoft.Playwright.ILocator StarOf(Microsoft.Playwright.IPage page, string guid) =>
        page.GetByTestId("blf-tiles").Locator($"li:has(> [data-guid=\"{guid}\"]) > [data-testid=blf-action-favourite]").First;

    /// <summary>An app on the database that signs in through the test provider, its store migrated and listening to the other.</summary>
    private async Task<BoardApp> StartInstanceAsync(string database)
    {
        var app = await _host.StartLiveSignInAppAsync(TestStores.OnPostgreSql(database));
        await TestStores.WaitForSharedStoreAsync(app);
        return app;
    }
}
