using System.Net.WebSockets;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Integration;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_app_closes_the_pbx_websocket_cleanly()
    {
        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { App = "rcc", Secret = "stop-secret", Users = 5, EventsPerSecond = 0 });
        var app = BoardApp.Start(simulator.WebSocketUrl, "rcc", "stop-secret");
        await app.Directory.WaitForLiveAsync(users: 5);

        await app.DisposeAsync();

        await simulator.Pbx.WhenOpenConnectionsAsync(n => n == 0, CancellationToken.None).WaitAsync(TestTimeouts.Wait);
        Assert.Equal(1, simulator.Pbx.ClientCloses);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, simulator.Pbx.LastClientCloseStatus);
    }
}
