using System.Net.WebSockets;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Simulator;

[Trait("Category", "Integration")]
public class SimulatorCountTests
{
    private const string App = "rcc";
    private const string Secret = "pwd";

    [Fact]
    public async Task Successful_and_failed_logins_can_be_awaited()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        var twoGood = server.Pbx.WhenSuccessfulLoginsAsync(logins => logins == 2, timeout.Token);
        var oneBad = server.Pbx.WhenFailedLoginsAsync(logins => logins == 1, timeout.Token);
        Assert.True(server.Pbx.WhenSuccessfulLoginsAsync(logins => logins == 0, timeout.Token).IsCompletedSuccessfully);
        Assert.True(server.Pbx.WhenFailedLoginsAsync(logins => logins == 0, timeout.Token).IsCompletedSuccessfully);

        await using var client = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);
        Assert.False((await client.LoginAsync(App, "wrong", timeout.Token)).GetProperty("ok").GetBoolean());
        await oneBad;
        Assert.False(twoGood.IsCompleted);
        Assert.True((await client.LoginAsync(App, Secret, timeout.Token)).GetProperty("ok").GetBoolean());
        await using var other = await LoggedInAsync(server, timeout.Token);

        await twoGood;
        Assert.Equal((2, 1), (server.Pbx.SuccessfulLogins, server.Pbx.FailedLogins));
    }

    [Fact]
    public async Task Waiting_on_login_and_close_counts_honours_cancellation()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        using var cancel = new CancellationTokenSource();

        var logins = server.Pbx.WhenSuccessfulLoginsAsync(count => count == 99, cancel.Token);
        var failures = server.Pbx.WhenFailedLoginsAsync(count => count == 99, cancel.Token);
        var closes = server.Pbx.WhenClientClosesAsync(count => count == 99, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => logins);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => failures);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => closes);
    }

    [Fact]
    public async Task A_close_frame_from_the_client_is_counted_with_its_status()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        Assert.Equal(0, server.Pbx.ClientCloses);
        Assert.Null(server.Pbx.LastClientCloseStatus);
        await using var first = await LoggedInAsync(server, timeout.Token);
        await using var second = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);

        await first.SendCloseAsync(WebSocketCloseStatus.PolicyViolation, "bye", timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, (await first.ReceiveFrameAsync(timeout.Token)).Type);
        await server.Pbx.WhenClientClosesAsync(closes => closes == 1, timeout.Token);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, server.Pbx.LastClientCloseStatus);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, first.CloseStatus);

        // A client that never logged in counts too, and any status is kept as sent.
        await second.SendCloseAsync((WebSocketCloseStatus)4001, "", timeout.Token);
        await server.Pbx.WhenClientClosesAsync(closes => closes == 2, timeout.Token);
        Assert.Equal((WebSocketCloseStatus)4001, server.Pbx.LastClientCloseStatus);
        await server.Pbx.WhenOpenConnectionsAsync(open => open == 0, timeout.Token);
    }

    [Fact]
    public async Task Closes_the_PBX_starts_and_cut_connections_are_not_client_closes()
    {
        using var timeout = Timeout();
        var server = await StartAsync(timeout.Token);
        try
        {
            // The PBX closes (login fault); the client only answers.
            server.Pbx.Faults.Login = LoginFault.CloseSocket;
            await using (var refused = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token))
            {
                await refused.SendLoginAsync(App, Secret, await refused.ChallengeAsync(timeout.Token), timeout.Token);
                Assert.Equal(WebSocketMessageType.Close, (await refused.ReceiveFrameAsync(timeout.Token)).Type);
                await server.Pbx.WhenOpenConnectionsAsync(open => open == 0, timeout.Token);
            }

            // The client cuts the connection.
            server.Pbx.Faults.Login = LoginFault.None;
            await using (var cut = await LoggedInAsync(server, timeout.Token))
            {
                cut.Abort();
                await server.Pbx.WhenOpenConnectionsAsync(open => open == 0, timeout.Token);
            }

            // The PBX drops the connection.
            await using (var dropped = await LoggedInAsync(server, timeout.Token))
            {
                server.Pbx.DropConnections();
                await server.Pbx.WhenOpenConnectionsAsync(open => open == 0, timeout.Token);
            }

            // The PBX shuts down; the client answers its close frame.
            await using var last = await LoggedInAsync(server, timeout.Token);
            var stopping = server.DisposeAsync().AsTask();
            Assert.Equal(WebSocketMessageType.Close, (await last.ReceiveFrameAsync(timeout.Token)).Type);
            await stopping.WaitAsync(timeout.Token);
            await server.Pbx.WhenOpenConnectionsAsync(open => open == 0, timeout.Token);

            Assert.Equal(0, server.Pbx.ClientCloses);
            Assert.Null(server.Pbx.LastClientCloseStatus);
            Assert.Equal(4, server.Pbx.TotalConnections);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static CancellationTokenSource Timeout() => new(TestTimeouts.StateShown);

    private static Task<SimulatorServer> StartAsync(CancellationToken ct) =>
        SimulatorServer.StartAsync(new SimulatorOptions { App = App, Secret = Secret, Users = 5, EventsPerSecond = 0, Seed = 2 }, ct);

    private static Task<RccTestClient> LoggedInAsync(SimulatorServer server, CancellationToken ct) =>
        RccTestClient.ConnectAndLoginAsync(server.WebSocketUrl, App, Secret, ct);
}
