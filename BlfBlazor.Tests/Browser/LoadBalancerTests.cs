using System.Diagnostics;
using System.Text.Json;
using BlfBlazor.Hosting;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Browser;

/// <summary>
/// Two instances behind a real HAProxy running <c>deploy/haproxy.cfg</c>, each with its own PBX
/// connection to the same PBX and one shared key folder: wall screens open through the balancer
/// outlive the instance that served them.
/// </summary>
[Trait("Category", "LoadBalancer")]
public sealed class LoadBalancerTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const int Users = 16;
    private const int Boards = 3;

    /// <summary>The requirement: every board live again on the other instance within this.</summary>
    private static readonly TimeSpan s_failover = TimeSpan.FromSeconds(10);

    // Installed before every document of the page (the kiosk reloads itself): reports what the board
    // shows after every change of its connection or a lamp, so nothing between two checks goes unseen.
    private const string RecordBoard = """
        (() => {
            const report = () => {
                const board = document.querySelector("[data-testid=blf-board]");
                if (!board) return;
                const lamps = {};
                for (const tile of document.querySelectorAll("[data-testid=blf-tile]")) {
                    lamps[tile.dataset.guid] = tile.dataset.stale === "true" ? "stale" : tile.dataset.state;
                }
                window.blfRecord(JSON.stringify({ connection: board.dataset.connection, lamps }));
            };
            new MutationObserver(report).observe(document, {
                subtree: true, childList: true, attributes: true, attributeFilter: ["data-connection", "data-state", "data-stale"],
            });
        })();
        """;

    private readonly BoardTestHost _host = new(Users, seed: 31, chromium: chromium);
    private readonly string _keys = Directory.CreateTempSubdirectory("blf-keys-").FullName;

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    [Fact]
    public async Task When_the_instance_behind_the_boards_stops_every_board_is_live_on_the_other_within_10_s_and_never_shows_a_stale_lamp_as_live()
    {
        var settings = new Dictionary<string, string?> { [KeyRingHostingExtensions.KeysPathKey] = _keys };
        var instances = new[] { await _host.StartLiveAppAsync(settings), await _host.StartLiveAppAsync(settings) };
        await using var balancer = await HaproxyProcess.StartAsync([.. instances.Select(i => i.BaseAddress)]);

        var boards = new List<RecordedBoard>();
        for (var i = 0; i < Boards; i++)
        {
            boards.Add(await OpenAsync(new Uri(balancer.Address, "/?kiosk&lang=en")));
        }

        // One key ring for both, in the configured folder.
        Assert.NotEmpty(Directory.GetFiles(_keys, "key-*.xml"));

        // Sticky by source address: every board (all from 127.0.0.1) is on one instance.
        var serving = instances.Single(i => i.Directory.SubscriberCount > 0);
        Assert.Equal(0, instances.Single(i => i != serving).Directory.SubscriberCount);

        var clock = Stopwatch.StartNew();
        var stopping = serving.DisposeAsync().AsTask();
        foreach (var board in boards)
        {
            await board.Lost.WaitAsync(s_failover);
        }

        // The PBX moves on while the boards have no server; only the other instance hears it.
        var pbx = _host.Pbx;
        pbx.SetLamp(pbx.Users[1].Guid, registered: true, channel: 0, alert: 1);
        pbx.SetLamp(pbx.Users[2].Guid, registered: true, channel: 1, alert: 0);
        pbx.SetLamp(pbx.Users[3].Guid, registered: false, channel: 0, alert: 0);
        var truth = pbx.Users.ToDictionary(u => u.Guid, Lamps.Expected);

        foreach (var board in boards)
        {
            await board.Live(truth).WaitAsync(s_failover - clock.Elapsed);
            await Expect(board.Page.GetByTestId("blf-board")).ToHaveAttributeAsync(
                "data-interactive", "true", new() { Timeout = (float)Math.Max(1, (s_failover - clock.Elapsed).TotalMilliseconds) });
        }

        var elapsed = clock.Elapsed;
        output.WriteLine($"every board live and interactive on the other instance {elapsed.TotalMilliseconds:0} ms after the first began to stop");
        Assert.True(elapsed <= s_failover, $"live again after {elapsed}");
        await stopping;

        // What every page showed from the first moment, in order: the old lamps while live; once the
        // server was gone, nothing live until it was the PBX's state after the changes.
        foreach (var board in boards)
        {
            var shown = board.Shown;
            // The page as sent is not live yet (its circuit makes it so): the loss is the first non-live after live.
            var live = shown.FindIndex(s => s.Connection == "live");
            Assert.True(live >= 0, "the page was never live");
            var lost = shown.FindIndex(live, s => s.Connection != "live");
            Assert.True(lost > live, "the page never showed its loss");
            var afterLoss = shown.Skip(lost).Where(s => s.Connection == "live").ToList();
            Assert.NotEmpty(afterLoss);
            foreach (var view in afterLoss)
            {
                var wrong = view.Lamps.Where(l => l.Value != "stale" && truth.GetValueOrDefault(l.Key) != l.Value).ToList();
                Assert.True(wrong.Count == 0, $"a live board showed {string.Join(", ", wrong)} (the PBX: {string.Join(", ", wrong.Select(w => truth.GetValueOrDefault(w.Key)))})");
            }
        }

        // And the board stays live for real: the next change arrives by itself.
        var ringing = pbx.SetLamp(pbx.Users[4].Guid, registered: true, channel: 0, alert: 1);
        foreach (var board in boards)
        {
            await Expect(board.Page.Locator($"[data-guid='{ringing.Guid}']")).ToHaveAttributeAsync("data-state", "ringing");
        }

        output.WriteLine(balancer.Output);
    }

    [Fact]
    public async Task A_page_one_instance_served_goes_live_on_another_installed_elsewhere_with_the_shared_key_folder()
    {
        // Two installations in different folders (whose path would be the default application
        // name), sharing one key folder given relative to each one's content root.
        var first = Directory.CreateDirectory(Path.Combine(_keys, "first")).FullName;
        var second = Directory.CreateDirectory(Path.Combine(_keys, "second")).FullName;
        var served = await _host.StartLiveAppAsync(InstalledIn(first));
        var other = await _host.StartLiveAppAsync(InstalledIn(second));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_keys, "shared"), "key-*.xml"));

        // The balancer sent the page's request to one instance and the circuit to the other.
        using var http = served.CreateHttpClient();
        var html = await http.GetStringAsync(new Uri("/?kiosk&lang=en", UriKind.Relative));
        var page = await chromium.NewPageAsync();
        var url = new Uri(other.BaseAddress, "/?kiosk&lang=en");
        await page.RouteAsync(url.ToString(), route => route.FulfillAsync(new() { Body = html, ContentType = "text/html; charset=utf-8" }));
        await page.GotoAsync(url.ToString());

        var root = page.GetByTestId("blf-board");
        await Expect(root).ToHaveAttributeAsync("data-interactive", "true");
        var ringing = _host.Pbx.SetLamp(_host.Pbx.Users[2].Guid, registered: true, channel: 0, alert: 1);
        await Expect(page.Locator($"[data-guid='{ringing.Guid}']")).ToHaveAttributeAsync("data-state", "ringing");
        Assert.Equal(1, other.Directory.SubscriberCount);
    }

    private static Dictionary<string, string?> InstalledIn(string folder) => new()
    {
        ["contentRoot"] = folder,
        [KeyRingHostingExtensions.KeysPathKey] = "../shared",
    };

    private async Task<RecordedBoard> OpenAsync(Uri url)
    {
        var page = await chromium.NewPageAsync(width: 1600, height: 900, trustTestCertificates: true);
        var board = new RecordedBoard(page);
        await page.ExposeFunctionAsync<string, bool>("blfRecord", board.Record);
        await page.AddInitScriptAsync(RecordBoard);
        await page.GotoAsync(url.ToString());
        var root = page.GetByTestId("blf-board");
        await Expect(root).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(root).ToHaveAttributeAsync("data-connection", "live");
        await Expect(page.GetByTestId("blf-tile")).ToHaveCountAsync(Users);
        return board;
    }

    private sealed record Shown(string Connection, Dictionary<string, string> Lamps);

    /// <summary>A kiosk page and everything its board showed, across its reloads.</summary>
    private sealed class RecordedBoard(IPage page)
    {
        private readonly List<Shown> _shown = [];
        private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IPage Page => page;

        /// <summary>Completes once the page no longer calls its board live.</summary>
        public Task Lost => _lost.Task;

        public List<Shown> Shown
        {
            get
            {
                lock (_shown)
                {
                    return [.. _shown];
                }
            }
        }

        public bool Record(string json)
        {
            using var document = JsonDocument.Parse(json);
            var shown = new Shown(
                document.RootElement.GetProperty("connection").GetString() ?? "",
                document.RootElement.GetProperty("lamps").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""));
            TaskCompletionSource changed;
            lock (_shown)
            {
                _shown.Add(shown);
                changed = _changed;
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            if (shown.Connection != "live")
            {
                _lost.TrySetResult();
            }

            changed.TrySetResult();
            return true;
        }

        /// <summary>Completes once the page shows the board live with exactly these lamps and nothing stale.</summary>
        public async Task Live(Dictionary<string, string> truth)
        {
            while (true)
            {
                Task changed;
                lock (_shown)
                {
                    changed = _changed.Task;
                    if (_shown.Count > 0 && _shown[^1] is { Connection: "live" } last
                        && last.Lamps.Count == truth.Count && truth.All(t => last.Lamps.GetValueOrDefault(t.Key) == t.Value))
                    {
                        return;
                    }
                }

                await changed;
            }
        }
    }
}
