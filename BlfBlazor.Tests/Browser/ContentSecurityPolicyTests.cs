using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>The board under its own Content-Security-Policy in Chromium: everything works and nothing is refused.</summary>
[Trait("Category", "Browser")]
public sealed class ContentSecurityPolicyTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    // Installed before every document: every violation the page (or its frame) reports.
    private const string RecordViolations = """
        window.blfViolations = [];
        document.addEventListener("securitypolicyviolation", e => window.blfViolations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
        """;

    private readonly BoardTestHost _host = new(users: 6, seed: 23, chromium: chromium);
    private PortalPage _portal = null!;

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        _portal = await PortalPage.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _portal.DisposeAsync();
    }

    [Fact]
    public async Task A_board_loads_goes_live_and_updates_with_no_policy_violation()
    {
        var app = await _host.StartLiveAppAsync();
        var page = await chromium.NewPageAsync();
        var console = Record(page);
        await page.AddInitScriptAsync(RecordViolations);

        await page.GotoAsync(new Uri(app.BaseAddress, "?lang=en").ToString());
        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        var user = _host.Pbx.Users[1];
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 1);
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "ringing");

        // A search through the circuit: the page's own events reach the server.
        await page.GetByTestId("blf-search").FillAsync(user.Dn);
        await Expect(page.GetByTestId("blf-tile")).ToHaveCountAsync(1);

        Assert.Empty(await page.EvaluateAsync<string[]>("window.blfViolations"));
        Assert.DoesNotContain(console, text => text.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_inline_script_that_marks_a_framed_board_runs_under_the_policy()
    {
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Blf:FrameAncestors"] = _portal.OriginText });
        var page = await chromium.NewPageAsync();
        var console = Record(page);
        await page.AddInitScriptAsync(RecordViolations);

        await page.GotoAsync(_portal.PageFor(app.BaseAddress).ToString());
        var frame = page.FrameLocator("#blf");
        await Expect(frame.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");

        await Expect(frame.Locator("html")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bframed\b"));
        Assert.DoesNotContain(console, text => text.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    private static List<string> Record(IPage page)
    {
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            lock (console)
            {
                console.Add(message.Text);
            }
        };
        return console;
    }
}
