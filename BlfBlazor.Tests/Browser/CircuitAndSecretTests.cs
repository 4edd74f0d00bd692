using System.Diagnostics.Metrics;
using BlfBlazor.Diagnostics;
using System.Text;
using BlfBlazor.Pbx;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>Open boards cost nothing once closed, and the shared secret never reaches a browser.</summary>
public sealed class CircuitAndSecretTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const string App = "rcc";

    // Distinctive, so a hit anywhere is certainly a leak.
    private const string Secret = "Zebra-Secret-91c7f0a2";
    private SimulatorServer _simulator = null!;
    private BoardApp _app = null!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorServer.StartAsync(new SimulatorOptions { App = App, Secret = Secret, Users = 20, EventsPerSecond = 0, Seed = 5 });
        _app = BoardApp.Start(_simulator.WebSocketUrl, App, Secret, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        });
        await _app.Directory.WaitForLiveAsync(users: 20);
    }

    public async Task DisposeAsync()
    {
        await chromium.CloseContextsAsync();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Closing_tabs_releases_their_subscriptions()
    {
        var context = await chromium.NewContextAsync();
        var pages = new List<IPage>();
        for (var i = 0; i < 12; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(_app.BaseAddress.ToString());
            await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");
            pages.Add(page);
        }

        await Until(() => _app.Directory.SubscriberCount == 12, "12 open boards");
        using var openBoards = new MetricCollector<int>(_app.Services.GetRequiredService<IMeterFactory>(), BlfMetrics.MeterName, "blf.boards.open");
        openBoards.RecordObservableInstruments();
        Assert.Equal(12, openBoards.LastMeasurement?.Value);

        foreach (var page in pages)
        {
            await page.CloseAsync();
        }

        await Until(() => _app.Directory.SubscriberCount == 0, "every closed tab to unsubscribe");
        openBoards.RecordObservableInstruments();
        Assert.Equal(0, openBoards.LastMeasurement?.Value);
    }

    [Fact]
    public async Task The_secret_is_in_no_page_script_style_log_or_circuit_message()
    {
        var page = await chromium.NewPageAsync();
        var traffic = new StringBuilder();
        var responses = new List<IResponse>();
        page.Response += (_, response) => responses.Add(response);
        page.WebSocket += (_, socket) =>
        {
            socket.FrameReceived += (_, frame) => Record(traffic, frame);
            socket.FrameSent += (_, frame) => Record(traffic, frame);
        };

        await page.GotoAsync(_app.BaseAddress.ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-interactive", "true");

        // Make the circuit carry updates, then look at everything it carried.
        var user = _simulator.Pbx.Users[0];
        _simulator.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 1);
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "ringing");

        Assert.NotEmpty(responses);
        foreach (var response in responses)
        {
            var body = await response.BodyAsync();
            AssertNoSecret(body, response.Url);
        }

        using var http = _app.CreateHttpClient();
        foreach (var path in new[] { "/", "/healthz" })
        {
            AssertNoSecret(await http.GetByteArrayAsync(new Uri(path, UriKind.Relative)), path);
        }

        Assert.True(traffic.Length > 0, "no circuit traffic was recorded");
        Assert.DoesNotContain(Secret, traffic.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(_app.Logs.Entries);
        Assert.DoesNotContain(Secret, _app.Logs.AllText, StringComparison.Ordinal);
    }

    private static void Record(StringBuilder traffic, IWebSocketFrame frame)
    {
        lock (traffic)
        {
            traffic.Append(frame.Text);
            if (frame.Binary is { } binary)
            {
                traffic.Append(Encoding.UTF8.GetString(binary)).Append(Encoding.Unicode.GetString(binary));
            }
        }
    }

    private static void AssertNoSecret(byte[] body, string where)
    {
        Assert.False(
            Encoding.UTF8.GetString(body).Contains(Secret, StringComparison.Ordinal) || Encoding.Unicode.GetString(body).Contains(Secret, StringComparison.Ordinal),
            $"the secret is in {where}");
    }

    /// <summary>Waits for a condition the app offers no notification for; the timeout only guards against a hang.</summary>
    private static async Task Until(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Wait);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!condition())
        {
            try
            {
                await tick.WaitForNextTickAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting for {what}.");
            }
        }
    }
}
