using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// The real app against the real simulator over loopback: after a burst of calls, holds, transfers,
/// pickups and presence changes, every tile's calls and presence equal the simulator's truth.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CallsAgainstSimulatorTests : IAsyncDisposable
{
    // Replaced by a test that needs another size; one that has not started holds nothing.
    private BoardTestHost _host = new(users: 24, seed: 41);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("PerUser", 24)]
    [InlineData("WholePbx", 24)]
    [InlineData("PerUser", 1000)]
    public async Task Every_tile_matches_the_simulators_calls_and_presence(string feed, int users)
    {
        _host = new BoardTestHost(users, seed: 41);
        await _host.StartAsync();
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Pbx:CallFeed"] = feed });
        await app.Directory.WaitForAsync(_ => app.Directory.Monitoring.Subscribed == users, "every user's presence subscribed");

        MakeActivity(_host.Pbx);
        var truth = _host.Pbx.Truth; // the host's PBX runs no scenario: nothing changes it from here

        try
        {
            await app.Directory.WaitForAsync(s => Differences(s, truth, feed).Count == 0, "the board to match the simulator");
        }
        catch (TimeoutException)
        {
            Assert.Fail(string.Join('\n', Differences(app.Directory.Current, truth, feed)));
        }

        Assert.Equal(feed, app.Directory.Monitoring.CallFeed);
        Assert.Equal(users, app.Directory.Monitoring.Monitored);
    }

    /// <summary>Refusal by an error answer; refusal by silence needs the answer timeout to pass and is proven on a fake clock in PresenceTests.</summary>
    [Fact]
    public async Task A_pbx_that_refuses_presence_leaves_lamps_and_calls_working_and_healthz_says_how_to_grant_it()
    {
        await _host.StartAsync();
        _host.Pbx.Variants = _host.Pbx.Variants with { PbxApiRefused = PbxApiRefusal.Error };
        var app = await _host.StartLiveAppAsync();

        await app.Directory.WaitForAsync(_ => app.Directory.Monitoring.Presence == "refused", "presence refused");
        var user = _host.Pbx.Users[2];
        _host.Pbx.StartIncomingExternalCall(user.Guid, "0171 2345678");
        await app.Directory.WaitForAsync(s => s.Users.Single(u => u.Guid == user.Guid).Activity?.Calls.Count == 1, "the call on the tile");

        using var http = app.CreateHttpClient();
        var health = await http.GetStringAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Contains("\"state\":\"refused\"", health, StringComparison.Ordinal);
        Assert.Contains("PbxApi", health, StringComparison.Ordinal);
    }

    /// <summary>Calls in every phase and every way they come about, and presence of every kind.</summary>
    private static void MakeActivity(SimulatedPbx pbx)
    {
        var u = pbx.Users;
        _ = pbx.StartIncomingExternalCall(u[0].Guid, "0171 2345678"); // left ringing
        var talking = pbx.StartInternalCall(u[1].Guid, u[2].Guid);
        pbx.Answer(talking.CalleeLeg);
        var held = pbx.StartOutgoingExternalCall(u[3].Guid, "0711 4711");
        pbx.Answer(held.CalleeLeg);
        pbx.Hold(held.CallerLeg);
        var blind = pbx.StartIncomingExternalCall(u[4].Guid, "030 123456");
        pbx.Answer(blind.CalleeLeg);
        pbx.TransferBlind(blind.CalleeLeg, u[5].Guid);
        var picked = pbx.StartIncomingExternalCall(u[6].Guid, "089 999");
        pbx.Pickup(u[7].Guid, picked.CalleeLeg);
        var ended = pbx.StartInternalCall(u[8].Guid, u[9].Guid);
        pbx.Answer(ended.CalleeLeg);
        pbx.HangUp(ended.CallerLeg);
        pbx.SetPresence(u[10].Guid, "away", "back at 14:00");
        pbx.SetPresence(u[11].Guid, "dnd", "");
        pbx.SetPresence(u[12].Guid, "lunch", "");
    }

    /// <summary>Where the board and the truth differ, in words (empty when they agree).</summary>
    private static List<string> Differences(DirectorySnapshot board, PbxTruth truth, string feed)
    {
        var differences = new List<string>();
        foreach (var user in board.Users)
        {
            var expected = truth.Calls.TryGetValue(user.Guid, out var legs) ? legs.Where(l => l.Phase != BlfBlazor.PbxSimulator.Core.Model.CallPhase.Ending).ToList() : [];
            var shown = (user.Activity?.Calls ?? []).Where(c => c.Phase != BlfBlazor.State.CallPhase.Ending).ToList();
            // The whole-PBX feed cannot see a hold made by the user themself (CALLS.md §2.7): only the other side's.
            var holdVisible = feed != "WholePbx";
            var want = expected.Select(l => Describe(l.Direction, l.Held && holdVisible, Peer(l, feed))).Order().ToList();
            var have = shown.Select(c => Describe(c.Direction == CallDirection.In ? "in" : "out", c.IsHeld && holdVisible, PeerShown(c, feed))).Order().ToList();
            if (!want.SequenceEqual(have))
            {
                differences.Add($"{user.DisplayName}: calls [{string.Join(", ", have)}], expected [{string.Join(", ", want)}]");
            }

            var presence = truth.Presence.TryGetValue(user.Guid, out var p) && p.Up ? new BlfBlazor.State.UserPresence(p.Activity, p.Note.Length == 0 ? null : p.Note) : null;
            var shownPresence = user.Activity?.Presence;
            if (presence is { IsAvailable: true } ? shownPresence is not { IsAvailable: true } : presence != shownPresence)
            {
                differences.Add($"{user.DisplayName}: presence {shownPresence}, expected {presence}");
            }
        }

        return differences;
    }

    // The whole-PBX feed sees external numbers only normalised (remote), so there it compares whether a peer is shown.
    private static string Peer(LegTruth leg, string feed) => feed == "WholePbx" && !leg.PeerInternal ? "external" : leg.Peer;

    private static string PeerShown(BlfBlazor.State.CallLeg call, string feed) => feed == "WholePbx" && call.Peer is { IsInternal: false } ? "external" : call.Peer?.Shown ?? "";

    private static string Describe(string direction, bool held, string peer) => $"{direction} {peer}{(held ? " held" : "")}";
}
