using System.Net.WebSockets;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_app_closes_the_pbx_websocket_cleanly()
    {
        await using var host = new BoardTestHost(users: 5, seed: 1);
        await host.StartAsync();
        var app = await host.StartLiveAppAsync();

        await app.DisposeAsync();

        await host.Pbx.WhenOpenConnectionsAsync(n => n == 0, CancellationToken.None).WaitAsync(TestTimeouts.StateShown);
        Assert.Equal(1, host.Pbx.ClientCloses);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, host.Pbx.LastClientCloseStatus);
    }
}
