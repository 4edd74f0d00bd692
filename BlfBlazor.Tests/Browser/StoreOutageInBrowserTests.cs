using BlfBlazor.Store;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>
/// A real PostgreSQL stopped under an open board in a real browser: the board says its remembered
/// things cannot be saved, goes on showing lamps and the missed call it kept in memory, and says nothing
/// once the store is back and the call is saved.
/// </summary>
[Trait("Category", "Browser")]
[Collection(PostgreSqlCollection.Name)]
public sealed class StoreOutageInBrowserTests(PostgreSqlCluster postgres, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncDisposable
{
    private readonly BoardTestHost _host = new(users: 4, seed: 41, chromium: chromium);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_store_gone_under_an_open_board_is_said_there_and_the_missed_call_is_kept_and_saved_when_it_is_back()
    {
        var database = await postgres.CreateDatabaseAsync();
        await _host.StartAsync();
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?>
        {
            ["Blf:Store:Provider"] = "PostgreSql",
            ["ConnectionStrings:Blf"] = database,
            ["Blf:MissedCalls:Visible"] = "Everyone",
        });
        var status = app.Services.GetRequiredService<StoreStatus>();
        await status.WaitForAsync(s => s.IsAvailable, "the store migrated");
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(app.BaseAddress.ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(page.GetByTestId("blf-store-unavailable")).ToHaveCountAsync(0);
        var bob = _host.Pbx.Users[1];
        var tile = page.Locator($"[data-testid=blf-tile][data-guid='{bob.Guid}']");

        await postgres.StopAsync();
        try
        {
            var call = _host.Pbx.StartIncomingExternalCall(bob.Guid, "007031123456");
            _host.Pbx.HangUp(call.CallerLeg);
            await Expect(page.GetByTestId("blf-store-unavailable")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("blf-store-unavailable")).ToContainTextAsync("cannot be reached");
            await Expect(tile).ToHaveAttributeAsync("data-missed", "1");
            await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-connection", "live");
            await Screenshots.SaveAsync(page, "store-unavailable");
        }
        finally
        {
            await postgres.StartAsync();
        }

        await status.WaitForAsync(s => s.IsAvailable && s.Pending == 0, "the store back and the missed call saved");
        await Expect(page.GetByTestId("blf-store-unavailable")).ToHaveCountAsync(0);
        await Expect(tile).ToHaveAttributeAsync("data-missed", "1");
    }
}
