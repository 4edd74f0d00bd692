using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Faults;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using SimDiversion = BlfBlazor.PbxSimulator.Core.Model.Diversion;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// Where calls go, against the simulated PBX's user table over loopback: the board's forwarding equals
/// the PBX's diversions after start, after a change and after a reconnect; a PBX that refuses the table
/// in any of its ways leaves lamps, calls and presence working; what the PBX sends beyond the board's
/// columns (a password among it) is nowhere.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ForwardingAgainstSimulatorTests : IAsyncLifetime
{
    private readonly BoardTestHost _host = new(users: 12, seed: 11);

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private SimulatedUser User(int index) => _host.Pbx.Users[index];

    [Fact]
    public async Task The_board_shows_the_PBXs_diversions_after_start_a_change_and_a_reconnect()
    {
        _host.Pbx.SetDiversions(User(0).Guid, [new SimDiversion(DiversionType.Cfu, H323: User(1).H323.ToUpperInvariant())]);
        _host.Pbx.SetDiversions(User(2).Guid, [new SimDiversion(DiversionType.Cfnr, E164: User(3).E164), new SimDiversion(DiversionType.Cfb, E164: "00171234567")]);
        _host.Pbx.SetDiversions(User(4).Guid, [new SimDiversion(DiversionType.Cfu, E164: User(5).E164, Bool: "nightmode")]);
        var app = await _host.StartLiveAppAsync();

        await WaitForPbxForwardingAsync(app, "the diversions at start");
        Assert.Equal([DiversionKind.Busy, DiversionKind.NoAnswer], Forwarding(app, 2).Select(d => d.Kind));
        Assert.True(Assert.Single(Forwarding(app, 4)).IsConditional);

        _host.Pbx.ClearDiversions(User(0).Guid);
        _host.Pbx.SetDiversions(User(6).Guid, [new SimDiversion(DiversionType.Cfb, H323: User(0).H323)]);
        await WaitForPbxForwardingAsync(app, "a cleared and a new diversion");

        _host.Pbx.DropConnections();
        await app.Directory.WaitForAsync(s => s.Status.State != ConnectionState.Live, "the connection lost");
        _host.Pbx.ClearDiversions(User(2).Guid);
        _host.Pbx.SetDiversions(User(7).Guid, [new SimDiversion(DiversionType.Cfu, E164: "0800123")]);
        await app.Directory.WaitForLiveAsync(users: 12);
        await WaitForPbxForwardingAsync(app, "the diversions after a reconnect");
        Assert.Equal(("on", 12), (app.Directory.Monitoring.Forwarding, app.Directory.Monitoring.ForwardingUsers));
    }

    [Theory]
    [InlineData(TableUsersRefusal.Silence, "refused")]
    [InlineData(TableUsersRefusal.Error, "refused")]
    [InlineData(TableUsersRefusal.Empty, "on")]
    public async Task A_PBX_that_refuses_the_table_still_gives_lamps_calls_and_presence(TableUsersRefusal refusal, string state)
    {
        _host.Pbx.Variants = new ProtocolVariants { TableUsersRefused = refusal };
        _host.Pbx.SetDiversions(User(0).Guid, [new SimDiversion(DiversionType.Cfu, E164: "0800123")]);
        // Silence is a refusal only after the action timeout: kept short there; an answer needs no hurry.
        var app = await _host.StartLiveAppAsync(refusal == TableUsersRefusal.Silence ? new Dictionary<string, string?> { ["Pbx:ActionTimeout"] = "00:00:01" } : null);

        await app.Directory.WaitForAsync(_ => app.Directory.Monitoring.Forwarding == state, $"forwarding {state}");
        _host.Pbx.SetPresence(User(1).Guid, "away", "back at 2");
        var call = _host.Pbx.StartIncomingExternalCall(User(2).Guid, "0711555123");

        var board = await app.Directory.WaitForAsync(
            s => s.Users.Single(u => u.Guid == User(1).Guid).Activity?.Presence?.Activity == "away"
                && s.Users.Single(u => u.Guid == User(2).Guid) is { Lamp: LampState.Ringing, Activity.Calls.Count: 1 },
            "presence and a ringing call beside the refused table");
        Assert.Empty(board.Users.Single(u => u.Guid == User(0).Guid).Forwarding);
        Assert.NotEqual(0, call.CalleeLeg);

        using var http = app.CreateHttpClient();
        using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Equal(state, health.RootElement.GetProperty("forwarding").GetProperty("state").GetString());
        if (state == "refused")
        {
            Assert.Contains("TableUsers", health.RootElement.GetProperty("monitoring").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Columns_the_board_did_not_ask_for_a_password_among_them_are_nowhere()
    {
        _host.Pbx.Variants = new ProtocolVariants { ExtraColumns = true };
        _host.Pbx.SetDiversions(User(0).Guid, [new SimDiversion(DiversionType.Cfu, H323: User(1).H323)]);
        var app = await _host.StartLiveAppAsync();
        await WaitForPbxForwardingAsync(app, "the diversions");

        using var http = app.CreateHttpClient();
        var page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        var health = await http.GetStringAsync(new Uri("/healthz", UriKind.Relative));

        // The simulator's extra columns: pwd ("secret-pwd-…"), devices, e-mails.
        foreach (var where in new[] { page, health, app.Logs.AllText })
        {
            Assert.DoesNotContain("secret-pwd", where, StringComparison.Ordinal);
            Assert.DoesNotContain("@", where.Replace("@media", "", StringComparison.Ordinal).Replace("@keyframes", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        Assert.Contains("data-forward=\"always\"", page, StringComparison.Ordinal);
    }

    private IReadOnlyList<BlfBlazor.State.Diversion> Forwarding(BoardApp app, int index) =>
        app.Directory.Current.Users.Single(u => u.Guid == User(index).Guid).Forwarding;

    /// <summary>Waits until every user's forwarding on the board is what the PBX's diversions say, worked out here on their own.</summary>
    private async Task WaitForPbxForwardingAsync(BoardApp app, string what)
    {
        await app.Directory.WaitForAsync(s => s.Users.All(u => Shown(u).SequenceEqual(Expected(u.Guid))), what);
    }

    private static IEnumerable<(string Kind, string? To, bool Conditional)> Shown(PbxUser user) =>
        user.Forwarding.Select(d => (d.Token, d.Shown, d.IsConditional));

    private IEnumerable<(string Kind, string? To, bool Conditional)> Expected(string guid)
    {
        var users = _host.Pbx.Users;
        var user = users.Single(u => u.Guid == guid);
        return user.Diversions
            .Where(d => d.E164 is not null || d.H323 is not null)
            .OrderBy(d => d.Type switch { DiversionType.Cfu => 0, DiversionType.Cfb => 1, _ => 2 })
            .Select(d =>
            {
                var to = users.FirstOrDefault(u => (d.H323 is not null && string.Equals(u.H323, d.H323, StringComparison.OrdinalIgnoreCase)) || (d.E164 is not null && u.E164 == d.E164));
                var kind = d.Type switch { DiversionType.Cfu => "always", DiversionType.Cfb => "busy", _ => "no-answer" };
                return (kind, to is null ? d.E164 ?? d.H323 : Lamps.ExpectedName(to), d.IsConditional);
            });
    }
}
