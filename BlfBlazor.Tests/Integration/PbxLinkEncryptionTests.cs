using System.Text.Json;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// A board installed against <c>ws://</c> sends names, numbers and the login over the network in clear:
/// the admin hears of it in the log and a monitor sees it on <c>/healthz</c>. The wss:// side is in <see cref="TlsTests"/>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PbxLinkEncryptionTests : IAsyncLifetime
{
    private readonly BoardTestHost _host = new(users: 3, seed: 5);

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_installed_board_on_ws_warns_once_and_healthz_says_unencrypted()
    {
        Assert.Equal("ws", _host.Simulator.WebSocketUrl.Scheme);
        var app = _host.StartApp(environment: "Production");
        await app.Directory.WaitForLiveAsync(users: 3);

        var warnings = app.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.EventName == "Unencrypted").ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("ws://", warning.Text, StringComparison.Ordinal);
        Assert.Contains("Pbx:Url", warning.Text, StringComparison.Ordinal);
        Assert.False(await EncryptedOnHealthzAsync(app));
    }

    [Fact]
    public async Task In_Development_the_same_link_is_not_warned_about_but_healthz_still_tells_the_truth()
    {
        var app = _host.StartApp();
        await app.Directory.WaitForLiveAsync(users: 3);

        Assert.DoesNotContain(app.Logs.Entries, e => e.EventName == "Unencrypted");
        Assert.False(await EncryptedOnHealthzAsync(app));
    }

    /// <summary>The <c>encrypted</c> field of <c>/healthz</c>.</summary>
    internal static async Task<bool> EncryptedOnHealthzAsync(BoardApp app)
    {
        using var http = app.CreateHttpClient();
        using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        return health.RootElement.GetProperty("encrypted").GetBoolean();
    }
}
