using System.Diagnostics.Metrics;
using BlfBlazor.Diagnostics;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>Open boards cost nothing once closed, and the shared secret never reaches a browser.</summary>
[Trait("Category", "Browser")]
public sealed class CircuitAndSecretTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    // Distinctive, so a hit anywhere is certainly a leak.
    private const string Secret = "Zebra-Secret-91c7f0a2";
    private readonly BoardTestHost _host = new(users: 20, seed: 5, Secret, chromium);

    public Task InitializeAsync() => _host.StartWithLiveAppAsync(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static readonly Func<CapturedLogs.Entry, bool> s_circuitDisposed =
        e => e.Category == "Microsoft.AspNetCore.Components.Server.Circuits.CircuitHost" && e.EventName == "DisposeSucceeded";

    private BoardApp App => _host.App;

    [Fact]
    public async Task Closing_tabs_releases_their_subscriptions()
    {
        var context = await chromium.NewContextAsync();
        var pages = new List<IPage>();
        for (var i = 0; i < 12; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(App.BaseAddress.ToString());
            await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
            pages.Add(page);
        }

        // A change reaches an open page only through its subscription: once all twelve show it,
        // all twelve are subscribed.
        var user = _host.Pbx.Users.First(u => Lamps.Expected(u) != "ringing");
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 1);
        foreach (var page in pages)
        {
            await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "ringing");
        }

        Assert.Equal(12, App.Directory.SubscriberCount);
        using var openBoards = new MetricCollector<int>(App.Services.GetRequiredService<IMeterFactory>(), BlfMetrics.MeterName, "blf.boards.open");
        openBoards.RecordObservableInstruments();
        Assert.Equal(12, openBoards.LastMeasurement?.Value);

        foreach (var page in pages)
        {
            await page.CloseAsync();
        }

        // Blazor logs a circuit's disposal after its components (the boards) are disposed.
        await App.Logs.WaitForAsync(s_circuitDisposed, count: 12, "every closed tab's circuit to be disposed");
        Assert.Equal(0, App.Directory.SubscriberCount);
        openBoards.RecordObservableInstruments();
        Assert.Equal(0, openBoards.LastMeasurement?.Value);
    }

    [Fact]
    public async Task The_secret_is_in_no_page_script_style_log_or_circuit_message()
    {
        var page = await chromium.NewPageAsync();
        var traffic = PageTraffic.Record(page);

        await page.GotoAsync(App.BaseAddress.ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");

        // Make the circuit carry updates, then look at everything it carried.
        var user = _host.Pbx.Users[0];
        _host.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 1);
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "ringing");

        await traffic.AssertNowhereAsync(Secret);

        using var http = App.CreateHttpClient();
        foreach (var path in new[] { "/", "/healthz" })
        {
            PageTraffic.AssertNotIn(await http.GetByteArrayAsync(new Uri(path, UriKind.Relative)), Secret, path);
        }

        Assert.NotEmpty(App.Logs.Entries);
        Assert.DoesNotContain(Secret, App.Logs.AllText, StringComparison.Ordinal);
    }
}
