using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using BlfBlazor.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// The app as an admin installs it: published (self-contained) into a folder of its own, started
/// as its own process in Production from another working directory, as systemd starts it.
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class InstalledServiceTests(PublishedBuild build, ChromiumFixture chromium) : IClassFixture<PublishedBuild>, IClassFixture<ChromiumFixture>
{
    private const int Users = 12;
    private const string Secret = "credential-secret-4711";

    [Fact]
    public async Task The_published_build_serves_a_live_board_with_its_scripts_and_styles_in_Production()
    {
        await using var host = new BoardTestHost(Users, seed: 14, Secret, chromium);
        await host.StartAsync();
        await using var app = await StartInstalledAsync(host.Simulator.WebSocketUrl, Settings(("Pbx__Secret", Secret)));

        var page = await chromium.NewPageAsync();
        var failures = new List<string>();
        page.RequestFailed += (_, request) => failures.Add($"{request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                failures.Add($"{response.Url}: {response.Status}");
            }
        };
        await page.GotoAsync(app.BaseAddress.ToString());

        // Interactive means blazor.web.js ran and the circuit is up: the board will follow the PBX.
        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(board).ToHaveAttributeAsync("data-connection", "live");
        await Expect(page.GetByTestId("blf-tile")).ToHaveCountAsync(Users);

        var named = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('script[src], link[rel=stylesheet]')].map(e => e.src || e.href)");
        Assert.Contains(named, url => url.EndsWith("/_framework/blazor.web.js", StringComparison.Ordinal));
        Assert.Contains(named, url => url.EndsWith(".css", StringComparison.Ordinal));
        using var http = new HttpClient();
        foreach (var url in named)
        {
            using var response = await http.GetAsync(url);
            Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode}");
            Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        }

        // Every stylesheet the page names was loaded and parsed, not just served.
        var sheetsWithRules = await page.EvaluateAsync<int>("() => [...document.styleSheets].filter(s => s.href && s.cssRules.length > 0).length");
        Assert.Equal(named.Count(url => url.EndsWith(".css", StringComparison.Ordinal)), sheetsWithRules);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Started_like_the_systemd_unit_it_reads_its_secret_from_the_credential_and_says_READY_once_it_listens()
    {
        await using var host = new BoardTestHost(Users, seed: 15, Secret);
        await host.StartAsync();
        var unit = File.ReadAllLines(Path.Combine(PublishedBuild.RepositoryRoot, "deploy", "blfblazor.service"));
        Assert.Contains("Type=notify", unit);
        Assert.Contains("LoadCredential=Pbx__Secret:/etc/blfblazor/pbx-secret", unit);
        Assert.DoesNotContain(unit, line => line.Contains("Pbx__Secret=", StringComparison.Ordinal));

        // What systemd hands the process: the unit's Environment= lines, the credential folder
        // (the file as `echo secret > /etc/blfblazor/pbx-secret` writes it) and the notify socket.
        var folder = Directory.CreateTempSubdirectory("blfblazor-systemd-").FullName;
        try
        {
            var credentials = Directory.CreateDirectory(Path.Combine(folder, "credentials")).FullName;
            await File.WriteAllTextAsync(Path.Combine(credentials, "Pbx__Secret"), Secret + "\n");
            using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            var notifyPath = Path.Combine(folder, "notify");
            notify.Bind(new UnixDomainSocketEndPoint(notifyPath));

            var environment = unit.Where(line => line.StartsWith("Environment=", StringComparison.Ordinal))
                .Select(line => line["Environment=".Length..].Split('=', 2))
                .ToDictionary(pair => pair[0], pair => pair[1]);
            Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
            environment["CREDENTIALS_DIRECTORY"] = credentials;
            environment["DataProtection__KeysPath"] = environment["DataProtection__KeysPath"].Replace("/var/lib/blfblazor", folder, StringComparison.Ordinal);
            environment["NOTIFY_SOCKET"] = notifyPath;
            var execStart = unit.Single(line => line.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..];
            var executable = execStart.Replace("/opt/blfblazor", build.InstallFolder, StringComparison.Ordinal);

            await using var app = StartInstalled(host.Simulator.WebSocketUrl, environment, executable);
            using var waitForReady = new CancellationTokenSource(TestTimeouts.StartUp);
            var buffer = new byte[1024];
            string message;
            do
            {
                var received = await notify.ReceiveAsync(buffer, SocketFlags.None, waitForReady.Token);
                message = Encoding.UTF8.GetString(buffer, 0, received);
            }
            while (!message.Split('\n').Contains("READY=1"));

            // Asked once, right after READY=1: it was sent after the app began to listen.
            using var http = new HttpClient { BaseAddress = app.BaseAddress };
            using (var live = await http.GetAsync("health/live"))
            {
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }

            // Live means the PBX accepted the login: with the secret from the credential, the only place it was.
            await app.Process.WaitUntilAsync("/healthz 200", async () => await StatusOfAsync(http, "healthz") == HttpStatusCode.OK);

            // Under systemd the journal reads each line's level from its <N> prefix.
            Assert.Matches(@"(?m)^<6>", app.Process.Output);
            Assert.DoesNotContain(Secret, app.Process.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_Prometheus_scrape_returns_the_board_metrics()
    {
        await using var host = new BoardTestHost(Users, seed: 16, Secret, chromium);
        await host.StartAsync();
        await using var app = await StartInstalledAsync(host.Simulator.WebSocketUrl, Settings(("Pbx__Secret", Secret), ("Diagnostics__Prometheus", "true")));
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(app.BaseAddress.ToString());
        var board = page.GetByTestId("blf-board");
        await Expect(board).ToHaveAttributeAsync("data-interactive", "true");
        await Expect(board).ToHaveAttributeAsync("data-connection", "live");

        // The board follows the directory only after its first interactive render (data-interactive is already
        // on the page then): a change before that reaches it as a catch-up, which has no arrival time to measure.
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var scrape = string.Empty;
        await app.Process.WaitUntilAsync("the board following the directory in /metrics", async () =>
            BoardsOpen().IsMatch(await http.GetStringAsync("metrics")));

        // A lamp change travels from a PBX frame to the open board: the delay histogram counts it.
        var user = host.Pbx.Users[3];
        host.Pbx.SetLamp(user.Guid, registered: true, channel: 1, alert: 0);
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-state", "busy");

        await app.Process.WaitUntilAsync("the render delay in /metrics", async () =>
        {
            scrape = await http.GetStringAsync("metrics");
            return RenderDelayCount().Match(scrape) is { Success: true } count && long.Parse(count.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1;
        });

        Assert.Matches(@"(?m)^blf_pbx_connection_state\{[^}]*state=""live""[^}]*\} 1$", scrape);
        Assert.Matches(@"(?m)^blf_pbx_connection_state\{[^}]*state=""reconnecting""[^}]*\} 0$", scrape);
        Assert.Matches($@"(?m)^blf_users\{{[^}}]*\}} {Users}$", scrape);
        Assert.Matches($@"(?m)^blf_calls_monitored_users\{{[^}}]*\}} {Users}$", scrape);
        Assert.Matches($@"(?m)^blf_presence_subscriptions\{{[^}}]*\}} {Users}$", scrape);
        Assert.Matches(BoardsOpen(), scrape);
        Assert.Matches(@"(?m)^blf_pbx_frames_received_total\{[^}]*\} [1-9]", scrape);
        Assert.Matches(@"(?m)^blf_pbx_frame_age_seconds\{[^}]*\} \d", scrape);

        // The platform's meters ride along: Kestrel, Blazor's circuits, the runtime.
        Assert.Matches(@"(?m)^kestrel_", scrape);
        Assert.Matches(@"(?m)^aspnetcore_components_circuit", scrape);
        Assert.Matches(@"(?m)^dotnet_", scrape);
    }

    [Fact]
    public async Task Ready_turns_503_when_the_PBX_stops_and_200_when_it_is_back_while_live_stays_200()
    {
        var pbxPort = OwnProcess.FreePort();
        var pbxUrl = new Uri($"ws://127.0.0.1:{pbxPort}/PBX0/APPS/websocket");
        var pbx = StartStandaloneSimulator(pbxPort);
        try
        {
            await using var app = await StartInstalledAsync(pbxUrl, Settings(("Pbx__Secret", Secret)));
            using var http = new HttpClient { BaseAddress = app.BaseAddress };
            await app.Process.WaitUntilAsync("/health/ready 200", async () => await StatusOfAsync(http, "health/ready") == HttpStatusCode.OK);

            await pbx.DisposeAsync();
            await app.Process.WaitUntilAsync("/health/ready 503 without the PBX", async () => await StatusOfAsync(http, "health/ready") == HttpStatusCode.ServiceUnavailable);
            Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(http, "health/live"));

            pbx = StartStandaloneSimulator(pbxPort);
            await app.Process.WaitUntilAsync("/health/ready 200 with the PBX back", async () => await StatusOfAsync(http, "health/ready") == HttpStatusCode.OK);
        }
        finally
        {
            await pbx.DisposeAsync();
        }
    }

    [Fact]
    public async Task Json_logs_at_debug_level_carry_neither_the_secret_nor_call_details_the_board_hides()
    {
        await using var host = new BoardTestHost(Users, seed: 17, Secret, chromium);
        await host.StartAsync();
        await using var app = await StartInstalledAsync(host.Simulator.WebSocketUrl, Settings(
            ("Pbx__Secret", Secret), ("Blf__CallDetails", "Internal"),
            ("Logging__Console__FormatterName", "json"), ("Logging__LogLevel__Default", "Debug")));
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(app.BaseAddress.ToString());
        await Expect(page.GetByTestId("blf-board")).ToHaveAttributeAsync("data-connection", "live");

        // An outside caller rings: the tile shows the call, never the number.
        var user = host.Pbx.Users[2];
        host.Pbx.StartIncomingExternalCall(user.Guid, "0171 2345678");
        await Expect(page.Locator($"[data-guid='{user.Guid}']")).ToHaveAttributeAsync("data-calls", "1");

        var lines = app.Process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.True(System.Text.Json.JsonDocument.Parse(line).RootElement.TryGetProperty("LogLevel", out _), line));
        Assert.Contains(lines, line => line.Contains("\"LogLevel\":\"Debug\"", StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, app.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("2345678", app.Process.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Settings(params (string Key, string Value)[] settings) =>
        settings.ToDictionary(setting => setting.Key, setting => setting.Value);

    /// <summary>Starts the published app in Production against the PBX and waits until it answers.</summary>
    private async Task<InstalledApp> StartInstalledAsync(Uri pbxUrl, Dictionary<string, string> environment)
    {
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var app = StartInstalled(pbxUrl, environment, build.Executable);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        await app.Process.WaitUntilAsync("/health/live 200", async () => await StatusOfAsync(http, "health/live") == HttpStatusCode.OK);
        return app;
    }

    private static InstalledApp StartInstalled(Uri pbxUrl, Dictionary<string, string> environment, string executable)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{OwnProcess.FreePort()}/");
        environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        environment["Pbx__Url"] = pbxUrl.ToString();
        environment["Pbx__App"] = BoardTestHost.AppName;

        // Systemd starts services in /; the app must find its files in the install folder anyway.
        return new InstalledApp(OwnProcess.Start(executable, [], environment, workingDirectory: "/"), baseAddress);
    }

    private static OwnProcess StartStandaloneSimulator(int port) => OwnProcess.Start(
        "dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "BlfBlazor.PbxSimulator.dll"), "--urls", $"http://127.0.0.1:{port}",
            $"--Simulator:App={BoardTestHost.AppName}", $"--Simulator:Secret={Secret}", $"--Simulator:Users={Users}", "--Simulator:EventsPerSecond=0",
        ],
        new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
        AppContext.BaseDirectory);

    /// <summary>The status code, or 0 while nothing answers.</summary>
    private static async Task<HttpStatusCode> StatusOfAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    [GeneratedRegex(@"(?m)^blf_board_update_duration_seconds_count\{[^}]*\} (\d+)")]
    private static partial Regex RenderDelayCount();

    [GeneratedRegex(@"(?m)^blf_boards_open\{[^}]*\} 1$")]
    private static partial Regex BoardsOpen();

    private sealed record InstalledApp(OwnProcess Process, Uri BaseAddress) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
