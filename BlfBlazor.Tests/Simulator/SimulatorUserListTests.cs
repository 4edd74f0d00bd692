using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Simulator;

[Trait("Category", "Integration")]
public class SimulatorUserListTests
{
    private const string App = "rcc";
    private const string Secret = "pwd";

    [Fact]
    public async Task Initialize_sends_every_user_once_then_InitializeResult_with_the_same_src()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(users: 120, timeout.Token);
        await using var client = await LoggedInAsync(server, timeout.Token);

        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"board-1"}""", timeout.Token);
        var (list, result) = await ReadInitialListAsync(client, timeout.Token);

        Assert.Equal(server.Pbx.Users.Select(user => user.Guid), list.Select(info => info.GetProperty("guid").GetString()));
        Assert.All(list, info =>
        {
            Assert.Equal("RCC", info.GetProperty("api").GetString());
            Assert.Equal("board-1", info.GetProperty("src").GetString());
            Assert.False(info.TryGetProperty("update", out _));
            Assert.Matches("^[0-9a-f]{32}$", info.GetProperty("guid").GetString());
        });
        Assert.Equal("""{"api":"RCC","mt":"InitializeResult","src":"board-1"}""", result.GetRawText());
    }

    [Fact]
    public async Task Initialize_without_src_gets_answers_without_src()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(users: 3, timeout.Token);
        await using var client = await LoggedInAsync(server, timeout.Token);

        await client.SendAsync("""{"api":"RCC","mt":"Initialize","limit":1}""", timeout.Token);
        var (list, result) = await ReadInitialListAsync(client, timeout.Token);

        Assert.Equal(3, list.Count);
        Assert.All(list, info => Assert.False(info.TryGetProperty("src", out _)));
        Assert.Equal("""{"api":"RCC","mt":"InitializeResult"}""", result.GetRawText());
    }

    [Fact]
    public async Task An_empty_pbx_answers_Initialize_with_InitializeResult_only()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(users: 0, timeout.Token);
        await using var client = await LoggedInAsync(server, timeout.Token);

        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"x"}""", timeout.Token);

        Assert.Equal("InitializeResult", (await client.ReceiveJsonAsync(timeout.Token)).GetProperty("mt").GetString());
    }

    [Fact]
    public async Task UserInfo_carries_regs_channel_and_alert_only_when_they_say_something()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(users: 4, timeout.Token);
        var users = server.Pbx.Users;
        var offline = server.Pbx.SetLamp(users[0].Guid, registered: false, channel: 0, alert: 0);
        var idle = server.Pbx.SetLamp(users[1].Guid, registered: true, channel: 0, alert: 0);
        var busy = server.Pbx.SetLamp(users[2].Guid, registered: true, channel: 1, alert: 0);
        var ringing = server.Pbx.SetLamp(users[3].Guid, registered: true, channel: 0, alert: 1);
        await using var client = await LoggedInAsync(server, timeout.Token);

        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"s"}""", timeout.Token);
        var (list, _) = await ReadInitialListAsync(client, timeout.Token);
        var byGuid = list.ToDictionary(info => info.GetProperty("guid").GetString()!);

        var offlineInfo = byGuid[offline.Guid];
        Assert.False(offlineInfo.TryGetProperty("regs", out _));
        Assert.False(offlineInfo.TryGetProperty("channel", out _));
        Assert.False(offlineInfo.TryGetProperty("alert", out _));

        var idleInfo = byGuid[idle.Guid];
        var regs = idleInfo.GetProperty("regs");
        Assert.Equal(1, regs.GetArrayLength());
        Assert.False(string.IsNullOrEmpty(regs[0].GetProperty("hw").GetString()));
        Assert.False(idleInfo.TryGetProperty("channel", out _));
        Assert.False(idleInfo.TryGetProperty("alert", out _));

        Assert.Equal(1, byGuid[busy.Guid].GetProperty("channel").GetInt32());
        Assert.False(byGuid[busy.Guid].TryGetProperty("alert", out _));
        Assert.Equal(1, byGuid[ringing.Guid].GetProperty("alert").GetInt32());
        Assert.False(byGuid[ringing.Guid].TryGetProperty("channel", out _));

        Assert.Equal(idle, UserFrom(idleInfo));
        Assert.Equal(offline, UserFrom(offlineInfo));
    }

    [Fact]
    public async Task Changes_during_the_initial_list_arrive_as_updates_and_the_end_state_matches_the_pbx()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(users: 300, timeout.Token, initialBatchSize: 10);
        await using var client = await LoggedInAsync(server, timeout.Token);
        var users = server.Pbx.Users;

        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"live"}""", timeout.Token);
        var messages = new List<JsonElement> { await client.ReceiveJsonAsync(timeout.Token) };

        // The list needs ~30 ticks; these changes happen after its first batch.
        var last = users[^1];
        var changed = server.Pbx.SetLamp(last.Guid, registered: true, channel: 0, alert: last.Alert + 1);
        var removed = users[^2].Guid;
        Assert.True(server.Pbx.Remove(removed));
        var added = new SimulatedUser("0123456789abcdef0123456789abcdef", "New Person", "New Person", "999", "nperson",
            "root", "master", Registered: true, Channel: 1, Alert: 0);
        server.Pbx.Upsert(added);

        while (messages[^1].GetProperty("mt").GetString() != "InitializeResult")
        {
            messages.Add(await client.ReceiveJsonAsync(timeout.Token));
        }

        var updates = messages.Where(message => message.TryGetProperty("update", out _)).ToList();
        Assert.Equal(3, updates.Count);
        Assert.All(updates, update => Assert.Equal("live", update.GetProperty("src").GetString()));
        Assert.Equal(changed, UserFrom(updates[0]));
        Assert.Equal("upd", updates[0].GetProperty("update").GetString());
        Assert.Equal("del", updates[1].GetProperty("update").GetString());
        Assert.Equal(removed, updates[1].GetProperty("guid").GetString());
        Assert.Equal(added, UserFrom(updates[2]));
        Assert.Equal(Reconstruct(messages), server.Pbx.Users.ToDictionary(user => user.Guid));
    }

    [Fact]
    public async Task Live_updates_follow_the_list_upd_for_changes_and_del_for_removals()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(users: 5, timeout.Token);
        await using var client = await LoggedInAsync(server, timeout.Token);
        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"u"}""", timeout.Token);
        var (list, _) = await ReadInitialListAsync(client, timeout.Token);
        var target = server.Pbx.Users[2];

        var busy = server.Pbx.SetLamp(target.Guid, registered: true, channel: 1, alert: 0);
        var upd = await client.ReceiveJsonAsync(timeout.Token);
        server.Pbx.Remove(target.Guid);
        var del = await client.ReceiveJsonAsync(timeout.Token);

        Assert.Equal("upd", upd.GetProperty("update").GetString());
        Assert.Equal("u", upd.GetProperty("src").GetString());
        Assert.Equal(busy, UserFrom(upd));
        Assert.Equal("UserInfo", del.GetProperty("mt").GetString());
        Assert.Equal("RCC", del.GetProperty("api").GetString());
        Assert.Equal("del", del.GetProperty("update").GetString());
        Assert.Equal(target.Guid, del.GetProperty("guid").GetString());
        Assert.Null(server.Pbx.Find(target.Guid));
        Assert.Equal(5, list.Count);
    }

    [Fact]
    public async Task Unknown_messages_and_KeepAlive_after_login_are_ignored()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(users: 2, timeout.Token);
        await using var client = await LoggedInAsync(server, timeout.Token);

        await client.SendAsync("""{"mt":"KeepAlive"}""", timeout.Token);
        await client.SendAsync("""{"api":"RCC","mt":"NoSuchRequest","src":"n"}""", timeout.Token);
        await client.SendAsync("""{"mt":"Initialize"}""", timeout.Token); // not for the RCC api
        await client.SendAsync("{broken", timeout.Token);
        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"i"}""", timeout.Token);

        var first = await client.ReceiveJsonAsync(timeout.Token);
        Assert.Equal("UserInfo", first.GetProperty("mt").GetString());
        Assert.Equal("i", first.GetProperty("src").GetString());
    }

    [Fact]
    public async Task Every_connection_gets_its_own_updates_with_its_own_src()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(users: 3, timeout.Token);
        await using var one = await LoggedInAsync(server, timeout.Token);
        await using var two = await LoggedInAsync(server, timeout.Token);
        await one.SendAsync("""{"api":"RCC","mt":"Initialize","src":"one"}""", timeout.Token);
        await two.SendAsync("""{"api":"RCC","mt":"Initialize","src":"two"}""", timeout.Token);
        await ReadInitialListAsync(one, timeout.Token);
        await ReadInitialListAsync(two, timeout.Token);

        server.Pbx.SetLamp(server.Pbx.Users[0].Guid, registered: false, channel: 0, alert: 0);

        Assert.Equal("one", (await one.ReceiveJsonAsync(timeout.Token)).GetProperty("src").GetString());
        Assert.Equal("two", (await two.ReceiveJsonAsync(timeout.Token)).GetProperty("src").GetString());
    }

    [Fact]
    public async Task The_scenario_moves_lamps_when_it_has_a_rate()
    {
        using var timeout = Timeout();
        await using var server = await StartAsync(users: 20, timeout.Token, eventsPerSecond: 200);
        await using var client = await LoggedInAsync(server, timeout.Token);
        await client.SendAsync("""{"api":"RCC","mt":"Initialize","src":"s"}""", timeout.Token);

        var updates = 0;
        while (updates < 10)
        {
            var message = await client.ReceiveJsonAsync(timeout.Token);
            if (message.TryGetProperty("update", out var update))
            {
                Assert.Equal("upd", update.GetString());
                updates++;
            }
        }
    }

    internal static SimulatedUser UserFrom(JsonElement info) => new(
        info.GetProperty("guid").GetString()!,
        info.GetProperty("cn").GetString()!,
        info.GetProperty("dn").GetString()!,
        info.GetProperty("e164").GetString()!,
        info.GetProperty("h323").GetString()!,
        info.GetProperty("node").GetString()!,
        info.GetProperty("pbx").GetString()!,
        Registered: info.TryGetProperty("regs", out var regs) && regs.GetArrayLength() > 0,
        Channel: info.TryGetProperty("channel", out var channel) ? channel.GetInt32() : 0,
        Alert: info.TryGetProperty("alert", out var alert) ? alert.GetInt32() : 0);

    /// <summary>What a client holds after applying the frames in order: full records replace, del removes.</summary>
    private static Dictionary<string, SimulatedUser> Reconstruct(IEnumerable<JsonElement> messages)
    {
        var users = new Dictionary<string, SimulatedUser>();
        foreach (var message in messages.Where(message => message.GetProperty("mt").GetString() == "UserInfo"))
        {
            var guid = message.GetProperty("guid").GetString()!;
            if (message.TryGetProperty("update", out var update) && update.GetString() == "del")
            {
                users.Remove(guid);
            }
            else
            {
                users[guid] = UserFrom(message);
            }
        }

        return users;
    }

    private static async Task<(List<JsonElement> List, JsonElement Result)> ReadInitialListAsync(RccTestClient client, CancellationToken ct)
    {
        var list = new List<JsonElement>();
        while (true)
        {
            var message = await client.ReceiveJsonAsync(ct);
            if (message.GetProperty("mt").GetString() == "InitializeResult")
            {
                return (list, message);
            }

            Assert.Equal("UserInfo", message.GetProperty("mt").GetString());
            if (!message.TryGetProperty("update", out _))
            {
                list.Add(message);
            }
        }
    }

    private static CancellationTokenSource Timeout() => new(TestTimeouts.StateShown);

    private static Task<SimulatorServer> StartAsync(int users, CancellationToken ct, int initialBatchSize = 50, double eventsPerSecond = 0) =>
        SimulatorServer.StartAsync(
            new SimulatorOptions
            {
                App = App,
                Secret = Secret,
                Users = users,
                InitialBatchSize = initialBatchSize,
                EventsPerSecond = eventsPerSecond,
                Seed = 7,
            },
            ct);

    private static Task<RccTestClient> LoggedInAsync(SimulatorServer server, CancellationToken ct) =>
        RccTestClient.ConnectAndLoginAsync(server.WebSocketUrl, App, Secret, ct);
}
