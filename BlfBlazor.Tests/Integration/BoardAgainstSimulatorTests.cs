using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Integration;

/// <summary>The real app host against the real simulator, over loopback WebSockets.</summary>
[Trait("Category", "Integration")]
public sealed class BoardAgainstSimulatorTests : IAsyncLifetime
{
    private readonly BoardTestHost _host = new(users: 30, seed: 7);

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Logs_in_once_and_shows_a_tile_per_simulated_user_in_its_state()
    {
        var app = await _host.StartLiveAppAsync();
        using var http = app.CreateHttpClient();

        var page = await BoardHtml.FetchAsync(http);

        Assert.Equal("connecting", page.Connection); // live only once its circuit has rendered
        var expected = _host.Pbx.Users.ToDictionary(u => u.Guid, u => Lamps.Expected(u));
        Assert.Equal(expected, page.Tiles.ToDictionary(t => t.Key, t => t.Value.State));
        foreach (var user in _host.Pbx.Users)
        {
            Assert.Contains(Lamps.ExpectedName(user), page.Tiles[user.Guid].Text, StringComparison.Ordinal);
            Assert.Contains(user.E164, page.Tiles[user.Guid].Text, StringComparison.Ordinal);
        }

        Assert.Equal(1, _host.Pbx.SuccessfulLogins);
        Assert.Equal(1, _host.Pbx.OpenConnections);
    }

    [Fact]
    public async Task The_board_page_travels_compressed_to_a_browser_that_accepts_it()
    {
        var app = await _host.StartLiveAppAsync();
        using var plain = app.CreateHttpClient();
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None };
        using var browser = new HttpClient(handler) { BaseAddress = app.BaseAddress };
        browser.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip, deflate, br, zstd");

        var expected = await BoardHtml.FetchAsync(plain);
        using var response = await browser.GetAsync(new Uri("/", UriKind.Relative));
        var compressed = await response.Content.ReadAsByteArrayAsync();
        await using var brotli = new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var reader = new StreamReader(brotli);
        var html = await reader.ReadToEndAsync();

        Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.True(compressed.Length * 3 < Encoding.UTF8.GetByteCount(html), $"{compressed.Length} bytes for {Encoding.UTF8.GetByteCount(html)}");
        var page = BoardHtml.Parse(html);
        Assert.Equal("connecting", page.Connection); // live only once its circuit has rendered
        Assert.Equal(expected.Tiles.ToDictionary(t => t.Key, t => t.Value.State), page.Tiles.ToDictionary(t => t.Key, t => t.Value.State));
    }

    [Fact]
    public async Task Healthz_says_live_with_200()
    {
        var app = await _host.StartLiveAppAsync();
        using var http = app.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("live", body.RootElement.GetProperty("connection").GetString());
        Assert.True(body.RootElement.TryGetProperty("since", out _));
    }

    [Fact]
    public async Task A_wrong_secret_shows_auth_failed_on_the_board_and_in_healthz()
    {
        var app = _host.StartApp(secretOverride: "not-the-secret");
        using var http = app.CreateHttpClient();

        await app.Directory.WaitForAsync(s => s.Status.State == ConnectionState.AuthFailed, "auth-failed");

        var page = await BoardHtml.FetchAsync(http);
        Assert.Equal("auth-failed", page.Connection);
        Assert.Contains("The PBX refused the login of app 'rcc': check Pbx:App and Pbx:Secret", page.Text, StringComparison.Ordinal);
        Assert.Empty(page.Tiles);

        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var healthText = await health.Content.ReadAsStringAsync();
        Assert.Contains("auth-failed", healthText, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", healthText, StringComparison.Ordinal);
        Assert.Equal(0, _host.Pbx.SuccessfulLogins);
    }

    [Fact]
    public async Task An_update_changes_exactly_one_tile()
    {
        var app = await _host.StartLiveAppAsync();
        using var http = app.CreateHttpClient();
        var before = await BoardHtml.FetchAsync(http);
        var target = _host.Pbx.Users.First(u => u.Registered && u.Channel == 0 && u.Alert == 0);

        _host.Pbx.SetLamp(target.Guid, registered: true, channel: 0, alert: 1);
        await app.Directory.WaitForAsync(s => s.Users.Single(u => u.Guid == target.Guid).Lamp == LampState.Ringing, "the ringing lamp");

        var after = await BoardHtml.FetchAsync(http);
        var changed = after.Tiles.Where(t => before.Tiles[t.Key].State != t.Value.State).ToList();
        var tile = Assert.Single(changed);
        Assert.Equal(target.Guid, tile.Key);
        Assert.Equal(("idle", "ringing"), (before.Tiles[target.Guid].State, tile.Value.State));
        Assert.Equal(before.Tiles.Keys.Order(), after.Tiles.Keys.Order());
    }

    [Fact]
    public async Task Users_added_and_removed_at_the_pbx_appear_and_disappear()
    {
        var app = await _host.StartLiveAppAsync();
        var gone = _host.Pbx.Users[3];

        _host.Pbx.Remove(gone.Guid);
        _host.Pbx.Upsert(new SimulatedUser("0123456789abcdef0123456789abcdef", "newcomer", "Nina Neu", "199", "nneu", "root", "master", Registered: true, Channel: 0, Alert: 0));

        var board = await app.Directory.WaitForAsync(
            s => s.Users.Length == 30 && s.Users.All(u => u.Guid != gone.Guid) && s.Users.Any(u => u.DisplayName == "Nina Neu"),
            "Nina in, the removed user out");
        Assert.Equal(_host.Pbx.Users.Select(u => u.Guid).Order(), board.Users.Select(u => u.Guid).Order());
    }

    [Fact]
    public async Task Counters_are_served_only_when_asked_for()
    {
        var hidden = _host.StartApp();
        var shown = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Diagnostics:ExposeCounters"] = "true" });
        using var hiddenHttp = hidden.CreateHttpClient();
        using var shownHttp = shown.CreateHttpClient();

        using var notFound = await hiddenHttp.GetAsync(new Uri("/diagnostics/counters", UriKind.Relative));
        using var counters = JsonDocument.Parse(await shownHttp.GetStringAsync(new Uri("/diagnostics/counters", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.True(counters.RootElement.GetProperty("blf.pbx.frames.received").GetInt64() >= 31);
        Assert.Equal(0, counters.RootElement.GetProperty("blf.boards.open").GetInt64());
    }

    [Theory]
    [InlineData("http://pbx.example.com", "rcc", "pwd", "Pbx:Url")]
    [InlineData("pbx.example.com", "", "pwd", "Pbx:App")]
    [InlineData("pbx.example.com", "rcc", "", "Pbx:Secret")]
    [InlineData("pbx.example.com", "rcc", "pwd", "Pbx:CertificateThumbprint", "12:34:56")]
    public async Task Bad_configuration_stops_startup_naming_the_key(string url, string app, string secret, string key, string thumbprint = "")
    {
        var outcome = await AppStartup.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Pbx__Url"] = url,
            ["Pbx__App"] = app,
            ["Pbx__Secret"] = secret,
            ["Pbx__CertificateThumbprint"] = thumbprint,
        });

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("OptionsValidationException", outcome.Output, StringComparison.Ordinal);
        Assert.Contains(key, outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_without_a_PBX_does_not_start_unless_the_demo_is_asked_for()
    {
        var outcome = await AppStartup.RunUntilExitAsync(new Dictionary<string, string> { ["Blf__Demo"] = "false" });

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("Pbx:Url is required in Production", outcome.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Blf__CallDetails", "Everything", "Blf:CallDetails")]
    [InlineData("Blf__Presence", "Sometimes", "Blf:Presence")]
    [InlineData("Pbx__CallFeed", "All", "Pbx:CallFeed")]
    [InlineData("Blf__Queues__AlertSeconds", "0", "Blf:Queues:AlertSeconds")]
    [InlineData("Blf__Queues__AlertSeconds", "soon", "Blf:Queues:AlertSeconds")]
    public async Task A_word_a_setting_does_not_know_stops_startup_naming_the_key(string variable, string value, string key)
    {
        var outcome = await AppStartup.RunUntilExitAsync(new Dictionary<string, string> { [variable] = value });

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains(key, outcome.Output, StringComparison.Ordinal);
        Assert.Contains(value, outcome.Output, StringComparison.Ordinal);
    }
}
