using System.Net.WebSockets;
using System.Text;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Simulator;

[Trait("Category", "Integration")]
public class SimulatorFaultTests
{
    private const string App = "rcc";
    private const string Secret = "pwd";

    [Fact]
    public async Task DropConnections_cuts_every_session_and_the_count_follows()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        await using var one = await LoggedInAsync(server, timeout.Token);
        await using var two = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);
        await server.Pbx.WhenOpenConnectionsAsync(open => open == 2, timeout.Token);
        Assert.Equal(2, server.Pbx.TotalConnections);

        server.Pbx.DropConnections();

        await AssertConnectionEndsAsync(one, timeout.Token);
        await AssertConnectionEndsAsync(two, timeout.Token);
        await server.Pbx.WhenOpenConnectionsAsync(open => open == 0, timeout.Token);
        Assert.Equal(0, server.Pbx.OpenConnections);

        // The server lives on: a new connection logs in again.
        await using var again = await LoggedInAsync(server, timeout.Token);
        Assert.Equal(3, server.Pbx.TotalConnections);
        Assert.Equal(2, server.Pbx.SuccessfulLogins);
    }

    [Fact]
    public async Task SendRawAsync_delivers_the_exact_text_to_logged_in_sessions_only()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        await using var anonymous = await RccTestClient.ConnectAsync(server.WebSocketUrl, timeout.Token);
        await using var client = await LoggedInAsync(server, timeout.Token);
        await server.Pbx.WhenOpenConnectionsAsync(open => open == 2, timeout.Token);
        const string Malformed = """{"api":"RCC","mt":"UserInfo","guid": """;

        await server.Pbx.SendRawAsync(Malformed, timeout.Token);

        Assert.Equal(Malformed, await client.ReceiveTextAsync(timeout.Token));
        // SendRawAsync completed, so had the session without login been a target, the raw text
        // would now come before the challenge answer.
        Assert.Matches("^[0-9a-f]{16}$", await anonymous.ChallengeAsync(timeout.Token));
    }

    [Fact]
    public async Task SendBinaryAsync_delivers_a_binary_frame()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        await using var client = await LoggedInAsync(server, timeout.Token);
        byte[] data = [0, 1, 2, 0xff, (byte)'{'];

        await server.Pbx.SendBinaryAsync(data, timeout.Token);
        var (type, payload) = await client.ReceiveFrameAsync(timeout.Token);

        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(data, payload);
    }

    [Fact]
    public async Task Stall_ignores_requests_and_drops_updates_then_resumes()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        await using var client = await LoggedInAsync(server, timeout.Token);
        var users = server.Pbx.Users;

        server.Pbx.Faults.Stall = true;
        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"during-stall"}""", timeout.Token);
        await server.Pbx.Faults.FramesIgnoredWhileStalled.WhenAsync(ignored => ignored == 1, timeout.Token);
        var injected = server.Pbx.SendRawAsync("held", timeout.Token);
        server.Pbx.Faults.Stall = false;

        // The injected frame was held, not dropped; the Initialize sent during the stall was lost.
        await injected;
        Assert.Equal("held", await client.ReceiveTextAsync(timeout.Token));
        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"after"}""", timeout.Token);
        var first = await client.ReceiveJsonAsync(timeout.Token);
        Assert.Equal("after", first.GetProperty("src").GetString());
        while ((await client.ReceiveJsonAsync(timeout.Token)).GetProperty("mt").GetString() != "InitializeResult")
        {
        }

        server.Pbx.Faults.Stall = true;
        server.Pbx.SetLamp(users[0].Guid, registered: false, channel: 0, alert: 0);
        server.Pbx.Faults.Stall = false;
        server.Pbx.SetLamp(users[1].Guid, registered: true, channel: 1, alert: 0);

        // The change made while stalled was dropped: the next frame is the later one.
        var update = await client.ReceiveJsonAsync(timeout.Token);
        Assert.Equal(users[1].Guid, update.GetProperty("guid").GetString());
    }

    [Fact]
    public async Task A_stall_during_the_initial_list_pauses_it_and_the_list_completes_with_current_state()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token, users: 300, initialBatchSize: 5);
        await using var client = await LoggedInAsync(server, timeout.Token);
        var users = server.Pbx.Users;

        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"p"}""", timeout.Token);
        var messages = new List<System.Text.Json.JsonElement> { await client.ReceiveJsonAsync(timeout.Token) };
        server.Pbx.Faults.Stall = true;
        Assert.True(server.Pbx.Remove(users[^1].Guid)); // its "del" is dropped; the list must skip it
        server.Pbx.Faults.Stall = false;

        while (messages[^1].GetProperty("mt").GetString() != "InitializeResult")
        {
            messages.Add(await client.ReceiveJsonAsync(timeout.Token));
        }

        var listed = messages.SkipLast(1).Select(message => message.GetProperty("guid").GetString()).ToList();
        Assert.Equal(users.SkipLast(1).Select(user => user.Guid), listed);
    }

    [Fact]
    public async Task Disposing_the_server_closes_sessions_with_a_close_frame()
    {
        using var timeout = Timeout();
        var server = await StartAsync(timeout.Token);
        await using var client = await LoggedInAsync(server, timeout.Token);

        var stopping = server.DisposeAsync().AsTask();
        var (type, _) = await client.ReceiveFrameAsync(timeout.Token);
        await stopping.WaitAsync(timeout.Token);

        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
    }

    [Fact]
    public async Task A_client_close_is_answered_and_the_session_ends()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        var client = await LoggedInAsync(server, timeout.Token);

        await client.DisposeAsync();

        await server.Pbx.WhenOpenConnectionsAsync(open => open == 0, timeout.Token);
    }

    [Fact]
    public async Task WhenOpenConnectionsAsync_completes_at_once_when_already_true_and_honours_cancellation()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);
        using var cancel = new CancellationTokenSource();

        Assert.True(server.Pbx.WhenOpenConnectionsAsync(open => open == 0, timeout.Token).IsCompletedSuccessfully);
        var never = server.Pbx.WhenOpenConnectionsAsync(open => open == 99, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => never);
    }

    private static async Task AssertConnectionEndsAsync(RccTestClient client, CancellationToken ct)
    {
        try
        {
            var (type, payload) = await client.ReceiveFrameAsync(ct);
            Assert.True(type == WebSocketMessageType.Close, $"expected the connection to end, got {type}: {Encoding.UTF8.GetString(payload)}");
        }
        catch (WebSocketException)
        {
            // A cut connection, as intended.
        }
    }

    private static CancellationTokenSource Timeout() => new(TestTimeouts.StateShown);

    private static Task<SimulatorServer> StartAsync(CancellationToken ct, int users = 5, int initialBatchSize = 50) =>
        SimulatorServer.StartAsync(
            new SimulatorOptions
            {
                App = App,
                Secret = Secret,
                Users = users,
                InitialBatchSize = initialBatchSize,
                EventsPerSecond = 0,
                Seed = 3,
            },
            ct);

    private static Task<RccTestClient> LoggedInAsync(SimulatorServer server, CancellationToken ct) =>
        RccTestClient.ConnectAndLoginAsync(server.WebSocketUrl, App, Secret, ct);
}
