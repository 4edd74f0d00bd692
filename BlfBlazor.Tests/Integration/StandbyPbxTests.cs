using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// <c>Pbx:StandbyUrl</c> against two real simulated PBXs: the master dies, the board resyncs from the
/// standby; the master comes back and takes over only when the standby drops.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StandbyPbxTests
{
    private const string Secret = "standby-secret-1618";
    private const int Users = 30;

    [Fact]
    public async Task The_standby_takes_over_when_the_master_dies_and_keeps_the_board_until_it_drops()
    {
        var master = await SimulatorServer.StartAsync(SameUsers());
        await using var standby = await SimulatorServer.StartAsync(SameUsers());

        // The master keeps its address while its process is replaced; the standby has a name of its own.
        await using var masterAddress = new LoopbackTcpProxy(master.WebSocketUrl);
        var standbyUrl = new UriBuilder(standby.WebSocketUrl) { Host = "localhost" }.Uri;
        await using var app = BoardApp.Start(
            masterAddress.Via(master.WebSocketUrl), BoardTestHost.AppName, Secret,
            new Dictionary<string, string?> { ["Pbx:StandbyUrl"] = standbyUrl.ToString() });
        using var http = app.CreateHttpClient();

        var board = await app.Directory.WaitForLiveAsync(Users);
        Assert.Equal(("127.0.0.1", false), (board.Status.Pbx, board.Status.OnStandby));

        // While the board watches the master, users change on the standby: the board must not keep the master's view of them.
        var users = standby.Pbx.Users;
        standby.Pbx.SetLamp(users[0].Guid, registered: true, channel: 1, alert: 0);
        standby.Pbx.SetLamp(users[1].Guid, registered: true, channel: 0, alert: 1);
        standby.Pbx.SetLamp(users[2].Guid, registered: false, channel: 0, alert: 0);
        standby.Pbx.Remove(users[3].Guid);

        await master.DisposeAsync();
        board = await app.Directory.WaitForAsync(
            s => s.Status is { State: ConnectionState.Live, OnStandby: true } && s.Users.Length == Users - 1, "live on the standby");
        Assert.Equal(Truth(standby), Lamps(board));
        Assert.Equal("localhost", board.Status.Pbx);

        using (var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/healthz", UriKind.Relative))))
        {
            Assert.Equal("localhost", health.RootElement.GetProperty("pbx").GetString());
            Assert.True(health.RootElement.GetProperty("standby").GetBoolean());
            Assert.Equal("live", health.RootElement.GetProperty("connection").GetString());
        }

        // The page as sent is never live (its circuit says so: BoardHeadlineTests has the standby's words);
        // it already names the PBX it shows.
        var page = (await BoardHtml.FetchAsync(http)).Text;
        Assert.Contains("Connecting to the board server", page, StringComparison.Ordinal);
        Assert.Contains("localhost", page, StringComparison.Ordinal);

        // The master is back under its address, with a lamp of its own changed.
        await using var restarted = await SimulatorServer.StartAsync(SameUsers());
        masterAddress.Retarget(restarted.WebSocketUrl);
        restarted.Pbx.SetLamp(users[5].Guid, registered: true, channel: 0, alert: 1);

        // The board stays with the standby, whose news still arrives, and leaves the master alone.
        standby.Pbx.SetLamp(users[6].Guid, registered: true, channel: 1, alert: 0);
        await app.Directory.WaitForAsync(s => s.Users.Any(u => u.Guid == users[6].Guid && u.Lamp == LampState.Busy), "the standby's change on the board");
        Assert.Equal(0, restarted.Pbx.TotalConnections);
        Assert.True(app.Directory.Status.OnStandby);

        // Only when the standby drops does the master take over again, with its own truth.
        standby.Pbx.DropConnections();
        board = await app.Directory.WaitForAsync(
            s => s.Status is { State: ConnectionState.Live, OnStandby: false } && s.Users.Length == Users, "live on the master again");
        Assert.Equal(Truth(restarted), Lamps(board));
        Assert.Equal("127.0.0.1", board.Status.Pbx);
    }

    /// <summary>An innovaphone standby replicates the master's users: the same seed makes the same PBX.</summary>
    private static SimulatorOptions SameUsers() =>
        new() { App = BoardTestHost.AppName, Secret = Secret, Users = Users, EventsPerSecond = 0, Seed = 23 };

    private static Dictionary<string, string> Truth(SimulatorServer pbx) =>
        pbx.Pbx.Users.ToDictionary(u => u.Guid, Infrastructure.Lamps.Expected);

    private static Dictionary<string, string> Lamps(DirectorySnapshot board) =>
        board.Users.ToDictionary(u => u.Guid, u => u.Lamp.ToToken());
}
