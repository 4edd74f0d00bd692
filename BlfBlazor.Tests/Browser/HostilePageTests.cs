using System.Text.RegularExpressions;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>What one anonymous page can make the server do: a flood of forged actions and searches costs it its own time, never its board, the server's memory or the log.</summary>
[Trait("Category", "Browser")]
public sealed class HostilePageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly BoardTestHost _host = new(users: 20, seed: 19, chromium: chromium);

    public Task InitializeAsync() => _host.StartWithLiveAppAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Thousands_of_forged_actions_and_searches_leave_the_board_live_and_the_log_quiet()
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(_host.App.BaseAddress.ToString());
        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        var logged = _host.App.Logs.Entries.Count;

        var user = _host.Pbx.Users.First(u => Lamps.Expected(u) != "busy");
        await page.EvaluateAsync(
            """
            last => {
                const tiles = [...document.querySelectorAll("[data-testid=blf-tile]")];
                for (let i = 0; i < 3000; i++) {
                    const action = ["call", "pickup", "transfer", "announce"][i % 4];
                    tiles[i % tiles.length].dispatchEvent(new CustomEvent("blfaction", { bubbles: true, detail: { action, guid: i % 2 ? `forged-${i}` : tiles[i % tiles.length].dataset.guid } }));
                }

                const search = document.querySelector("[data-testid=blf-search]");
                for (let i = 0; i < 2000; i++) {
                    search.value = `no-such-name-${i}`;
                    search.dispatchEvent(new Event("input", { bubbles: true }));
                }

                search.value = last;
                search.dispatchEvent(new Event("input", { bubbles: true }));
            }
            """,
            user.Dn);

        // The last search wins, in the view and (after the pause in typing) in the address.
        await Expect(page.GetByTestId("blf-tile")).ToHaveCountAsync(1);
        await Expect(page).ToHaveURLAsync(new Regex($"q={Regex.Escape(Uri.EscapeDataString(user.Dn))}"));

        // The circuit survived it: a lamp change still arrives.
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 1, alert: 0);
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "busy");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");

        // What the flood cost the log: nothing an admin would see (Information and above), at most a few lines.
        var lines = _host.App.Logs.Entries.Skip(logged).Where(e => e.Level >= LogLevel.Information).ToList();
        Assert.DoesNotContain(lines, e => e.Text.Contains("Unhandled exception", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, e => e.Category.Contains("OperatorActions", StringComparison.Ordinal));
        Assert.True(lines.Count <= 5, $"{lines.Count} lines logged:\n{string.Join('\n', lines.Select(l => $"{l.Level} {l.Category}: {l.Text}"))}");
    }
}
