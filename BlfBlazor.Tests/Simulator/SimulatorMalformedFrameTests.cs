using System.Net.WebSockets;
using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Simulator;

[Trait("Category", "Integration")]
public class SimulatorMalformedFrameTests
{
    private const string App = "rcc";
    private const string Secret = "pwd";

    [Fact]
    public async Task Logged_in_clients_get_exactly_the_generated_frames_in_order_between_two_updates()
    {
        const int Count = 1000;
        const int Seed = 77;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        await using var server = await StartAsync(ct);
        await using var anonymous = await RccTestClient.ConnectAsync(server.WebSocketUrl, ct);
        await using var subscribed = await LoggedInAsync(server, ct);
        await using var loggedInOnly = await LoggedInAsync(server, ct);
        await subscribed.SendAsync("""{"api":"RCC","mt":"Initialize","src":"m"}""", ct);
        while ((await subscribed.ReceiveJsonAsync(ct)).GetProperty("mt").GetString() != "InitializeResult")
        {
        }

        var users = server.Pbx.Users;
        // Read while the PBX sends: the frames are far larger than the socket buffers.
        var subscribedFrames = ReceiveFramesAsync(subscribed, Count + 2, ct);
        var loggedInOnlyFrames = ReceiveFramesAsync(loggedInOnly, Count, ct);

        var before = server.Pbx.SetLamp(users[0].Guid, registered: true, channel: 1, alert: 0);
        var state = server.Pbx.Users;
        var counts = await server.Pbx.SendMalformedFramesAsync(Count, Seed, ct);
        var after = server.Pbx.SetLamp(users[1].Guid, registered: false, channel: 0, alert: 0);
        var received = await subscribedFrames;
        var receivedWithoutSrc = await loggedInOnlyFrames;

        Assert.Equal(before, SimulatorUserListTests.UserFrom(Json(received[0])));
        Assert.Equal("m", Json(received[0]).GetProperty("src").GetString());
        Assert.Equal(after, SimulatorUserListTests.UserFrom(Json(received[^1])));
        var malformed = received[1..^1];
        AssertSameFrames(MalformedFrames.Generate(Count, Seed, state, MalformedFramesTests.Src("\"m\"")), malformed);
        AssertSameFrames(MalformedFrames.Generate(Count, Seed, state, src: null), receivedWithoutSrc);

        var expectedCounts = MalformedFrames.CountKinds(MalformedFrames.Plan(Count, Seed));
        Assert.Equal(expectedCounts.OrderBy(pair => pair.Key), counts.OrderBy(pair => pair.Key));
        Assert.Equal(Count, counts.Values.Sum());
        Assert.All(counts, pair => Assert.True(pair.Value > 0, $"no {pair.Key} frame"));
        Assert.Equal(counts[MalformedFrameKind.Binary], malformed.Count(frame => frame.Type == WebSocketMessageType.Binary));
        Assert.Equal(Count - counts[MalformedFrameKind.Binary], malformed.Count(frame => frame.Type == WebSocketMessageType.Text));
        Assert.Equal(counts[MalformedFrameKind.Oversized], malformed.Count(frame => frame.Payload.Length > 1024 * 1024));

        // The session without login got nothing: the first frame it sees answers its challenge.
        Assert.Matches("^[0-9a-f]{16}$", await anonymous.ChallengeAsync(ct));
        Assert.Equal(3, server.Pbx.OpenConnections);
    }

    [Fact]
    public async Task Each_call_is_one_block_between_the_updates_made_around_it()
    {
        using var timeout = Timeout();
        var ct = timeout.Token;
        await using var server = await StartAsync(ct);
        await using var client = await LoggedInAsync(server, ct);
        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"b"}""", ct);
        while ((await client.ReceiveJsonAsync(ct)).GetProperty("mt").GetString() != "InitializeResult")
        {
        }

        var users = server.Pbx.Users;
        var frames = ReceiveFramesAsync(client, 20 + 1 + 30 + 1, ct);
        var first = await server.Pbx.SendMalformedFramesAsync(20, 1, ct);
        var between = server.Pbx.SetLamp(users[2].Guid, registered: true, channel: 0, alert: 1);
        var second = await server.Pbx.SendMalformedFramesAsync(30, 2, ct);
        var zero = await server.Pbx.SendMalformedFramesAsync(0, 3, ct);
        var last = server.Pbx.SetLamp(users[3].Guid, registered: true, channel: 0, alert: 0);
        var received = await frames;

        Assert.Equal(20, first.Values.Sum());
        Assert.Equal(30, second.Values.Sum());
        Assert.All(zero.Values, value => Assert.Equal(0, value));
        Assert.Equal(Enum.GetValues<MalformedFrameKind>().Length, zero.Count);
        Assert.Equal(between, SimulatorUserListTests.UserFrom(Json(received[20])));
        Assert.Equal(last, SimulatorUserListTests.UserFrom(Json(received[^1])));
        Assert.Equal(
            MalformedFrames.Plan(20, 1).Concat(MalformedFrames.Plan(30, 2)).Select(IsBinary),
            received[..20].Concat(received[21..^1]).Select(frame => frame.Type == WebSocketMessageType.Binary));
    }

    [Fact]
    public async Task Frames_sent_during_a_stall_are_held_until_the_resume()
    {
        using var timeout = Timeout();
        var ct = timeout.Token;
        await using var server = await StartAsync(ct);
        await using var client = await LoggedInAsync(server, ct);
        var state = server.Pbx.Users;

        server.Pbx.Faults.Stall = true;
        var sending = server.Pbx.SendMalformedFramesAsync(40, 5, ct);
        Assert.False(sending.IsCompleted);
        server.Pbx.Faults.Stall = false;

        var received = await ReceiveFramesAsync(client, 40, ct);
        await sending;
        AssertSameFrames(MalformedFrames.Generate(40, 5, state, src: null), received);
    }

    [Fact]
    public async Task A_negative_count_is_refused()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(timeout.Token);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => server.Pbx.SendMalformedFramesAsync(-1, 0, timeout.Token));
    }

    private static bool IsBinary(MalformedFrameKind kind) => kind == MalformedFrameKind.Binary;

    private static void AssertSameFrames(List<MalformedFrame> expected, List<(WebSocketMessageType Type, byte[] Payload)> received)
    {
        Assert.Equal(expected.Count, received.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Type == received[i].Type, $"frame {i} ({expected[i].Kind}): {received[i].Type}");
            Assert.True(expected[i].Payload.AsSpan().SequenceEqual(received[i].Payload), $"frame {i} ({expected[i].Kind}) differs");
        }
    }

    private static async Task<List<(WebSocketMessageType Type, byte[] Payload)>> ReceiveFramesAsync(RccTestClient client, int count, CancellationToken ct)
    {
        var frames = new List<(WebSocketMessageType Type, byte[] Payload)>(count);
        while (frames.Count < count)
        {
            var frame = await client.ReceiveFrameAsync(ct);
            Assert.NotEqual(WebSocketMessageType.Close, frame.Type);
            frames.Add(frame);
        }

        return frames;
    }

    private static JsonElement Json((WebSocketMessageType Type, byte[] Payload) frame)
    {
        Assert.Equal(WebSocketMessageType.Text, frame.Type);
        using var document = JsonDocument.Parse(frame.Payload);
        return document.RootElement.Clone();
    }

    private static CancellationTokenSource Timeout() => new(TestTimeouts.StateShown);

    private static Task<SimulatorServer> StartAsync(CancellationToken ct) =>
        SimulatorServer.StartAsync(new SimulatorOptions { App = App, Secret = Secret, Users = 20, EventsPerSecond = 0, Seed = 12 }, ct);

    private static Task<RccTestClient> LoggedInAsync(SimulatorServer server, CancellationToken ct) =>
        RccTestClient.ConnectAndLoginAsync(server.WebSocketUrl, App, Secret, ct);
}
