using System.Globalization;
using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Simulator;

/// <summary>
/// One call or presence test's world: a small simulated PBX (seed 7, registered idle users, no
/// scenario unless asked; with one, its objects after the people and calls behind its busy lamps) and a client logged in over a real WebSocket, both bounded by TestTimeouts.StateShown.
/// Frames read as one line each ("CallInfo 2 129 r-setup"), so a test states a CALLS.md §7 sequence
/// as it is written there.
/// </summary>
internal sealed class CallFeedSession : IAsyncDisposable
{
    private const string App = "rcc";
    private const string Secret = "pwd";

    private readonly CancellationTokenSource _timeout = new(TestTimeouts.StateShown);

    private CallFeedSession(SimulatorServer server)
    {
        Server = server;
    }

    public SimulatorServer Server { get; }

    public SimulatedPbx Pbx => Server.Pbx;

    /// <summary>The users in creation order; tests cast [0..3] as Olivia, Alice, Bob and Carol.</summary>
    public IReadOnlyList<SimulatedUser> Users => Pbx.Users;

    public CancellationToken Token => _timeout.Token;

    /// <summary>The logged-in connection; null until <see cref="LoginAsync"/> when started without a login.</summary>
    public RccTestClient? Client { get; private set; }

    public static async Task<CallFeedSession> StartAsync(
        ProtocolVariants? variants = null, TimeProvider? clock = null, bool login = true, int users = 4, double eventsPerSecond = 0, bool? objects = null)
    {
        var options = new SimulatorOptions
        {
            App = App,
            Secret = Secret,
            Users = users,
            EventsPerSecond = eventsPerSecond,
            Seed = 7,
            Variants = variants ?? new ProtocolVariants(),
            Objects = objects,
        };
        using var starting = new CancellationTokenSource(TestTimeouts.StartUp);
        var server = clock is null
            ? await SimulatorServer.StartAsync(options, starting.Token)
            : await SimulatorServer.StartAsync(options, clock, starting.Token);
        var session = new CallFeedSession(server);
        // Users in a call (from a scenario's opening) keep the lamp their call gives them.
        foreach (var user in server.Pbx.Users.Where(user => server.Pbx.LegsOf(user.Guid).Count == 0))
        {
            server.Pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 0);
        }

        if (login)
        {
            await session.LoginAsync();
        }

        return session;
    }

    /// <summary>Logs in on a new connection, after closing the current one and waiting until the PBX saw it go.</summary>
    public async Task LoginAsync()
    {
        if (Client is { } previous)
        {
            await previous.DisposeAsync();
            await Pbx.WhenOpenConnectionsAsync(open => open == 0, Token);
        }

        Client = await RccTestClient.ConnectAndLoginAsync(Server.WebSocketUrl, App, Secret, Token);
    }

    public Task SendAsync(string text) => Connected.SendAsync(text, Token);

    public Task<JsonElement> ReceiveAsync() => Connected.ReceiveJsonAsync(Token);

    /// <summary>Sends an RCC Initialize (with <paramref name="calls"/>) and reads the initial list through InitializeResult.</summary>
    public async Task InitializeAsync(bool calls = false)
    {
        await SendAsync(calls ? """{"api":"RCC","mt":"Initialize","src":"init","calls":true}""" : """{"api":"RCC","mt":"Initialize","src":"init"}""");
        string mt;
        do
        {
            mt = Mt(await ReceiveAsync());
        }
        while (mt != "InitializeResult");
    }

    /// <summary>UserInitialize for the user's cn with src "u:&lt;guid&gt;"; returns the UserInitializeResult.</summary>
    public async Task<JsonElement> MonitorAsync(SimulatedUser user)
    {
        await SendAsync($$"""{"api":"RCC","mt":"UserInitialize","cn":{{JsonSerializer.Serialize(user.Cn)}},"src":"u:{{user.Guid}}"}""");
        var result = await ReceiveAsync();
        Assert.Equal("UserInitializeResult", Mt(result));
        return result;
    }

    /// <summary>Like <see cref="MonitorAsync"/>, returning the handle (<c>user</c>) given.</summary>
    public async Task<int> HandleOfAsync(SimulatedUser user) => (await MonitorAsync(user)).GetProperty("user").GetInt32();

    /// <summary>SubscribePresence with sip = h323 and src "p:&lt;guid&gt;"; returns the next <paramref name="answers"/> frames.</summary>
    public async Task<List<JsonElement>> SubscribeAsync(SimulatedUser user, int answers)
    {
        await SendAsync($$"""{"api":"PbxApi","mt":"SubscribePresence","sip":"{{user.H323}}","src":"p:{{user.Guid}}"}""");
        return await ReadAsync(answers);
    }

    public async Task<List<JsonElement>> ReadAsync(int count)
    {
        var frames = new List<JsonElement>(count);
        for (var i = 0; i < count; i++)
        {
            frames.Add(await ReceiveAsync());
        }

        return frames;
    }

    /// <summary>The next <paramref name="count"/> frames, one line each (see <see cref="Describe"/>).</summary>
    public async Task<List<string>> ReadLinesAsync(int count) => [.. (await ReadAsync(count)).Select(Describe)];

    /// <summary>
    /// Every frame the PBX sent before this point: asks for a UserInitialize of a cn no PBX has and
    /// reads up to its answer (the session answers in the order it reads, after what it queued before).
    /// </summary>
    public async Task<List<JsonElement>> ReadUntilMarkerAsync()
    {
        await SendAsync("""{"api":"RCC","mt":"UserInitialize","cn":"(marker)","src":"marker"}""");
        var before = new List<JsonElement>();
        for (var next = await ReceiveAsync(); !IsMarker(next); next = await ReceiveAsync())
        {
            before.Add(next);
        }

        return before;

        static bool IsMarker(JsonElement frame) =>
            frame.TryGetProperty("src", out var src) && src.ValueKind == JsonValueKind.String && src.GetString() == "marker";
    }

    /// <summary>Proves that nothing was sent before this point (see <see cref="ReadUntilMarkerAsync"/>).</summary>
    public async Task AssertNothingPendingAsync() => Assert.Empty((await ReadUntilMarkerAsync()).Select(Describe));

    public static string Mt(JsonElement frame) => frame.GetProperty("mt").GetString()!;

    /// <summary>
    /// One line per frame: "UserInfo &lt;cn&gt; alert/channel", "CallInfo &lt;call&gt; &lt;state&gt; &lt;msg&gt;[ del]",
    /// "CallAdd &lt;cn&gt; &lt;call&gt; &lt;state&gt;", "CallUpdate &lt;call&gt; &lt;msg&gt;", "CallDel &lt;call&gt;",
    /// "&lt;mt&gt;Result error" / "&lt;mt&gt;Result call &lt;call&gt;" for a result with those, else the mt.
    /// </summary>
    public static string Describe(JsonElement frame) => Mt(frame) switch
    {
        "UserInfo" => $"UserInfo {frame.GetProperty("cn").GetString()} {Number(frame, "alert")}/{Number(frame, "channel")}",
        "CallInfo" => $"CallInfo {Number(frame, "call")} {Number(frame, "state")} {frame.GetProperty("msg").GetString()}"
            + (frame.TryGetProperty("del", out var del) && del.GetBoolean() ? " del" : ""),
        "CallAdd" => $"CallAdd {frame.GetProperty("cn").GetString()} {Number(frame, "call")} {Number(frame, "state")}",
        "CallUpdate" => $"CallUpdate {Number(frame, "call")} {frame.GetProperty("msg").GetString()}",
        "CallDel" or "CallDelete" => $"{Mt(frame)} {Number(frame, "call")}",
        var result when result.EndsWith("Result", StringComparison.Ordinal) && frame.TryGetProperty("error", out _) => $"{result} error",
        var result when result.EndsWith("Result", StringComparison.Ordinal) && frame.TryGetProperty("call", out _) => $"{result} call {Number(frame, "call")}",
        var other => other,
    };

    public async ValueTask DisposeAsync()
    {
        if (Client is { } client)
        {
            await client.DisposeAsync();
        }

        await Server.DisposeAsync();
        _timeout.Dispose();
    }

    private RccTestClient Connected => Client ?? throw new InvalidOperationException("Not logged in: call LoginAsync first.");

    private static string Number(JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var value) ? value.GetInt64().ToString(CultureInfo.InvariantCulture) : "0";
}
