using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using SimDiversion = BlfBlazor.PbxSimulator.Core.Model.Diversion;

namespace BlfBlazor.Tests.Integration;

/// <summary>
/// Every way a call ends at a user, produced by the simulator (its own implementation of the protocol)
/// and read by the real app over loopback, on either call feed: which tiles get a missed call, and what
/// became of it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MissedCallSequencesAgainstSimulatorTests : IAsyncDisposable
{
    private readonly BoardTestHost _host = new(users: 8, seed: 7);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("PerUser")]
    [InlineData("WholePbx")]
    public async Task Answered_calls_are_not_missed_and_the_others_say_what_became_of_them(string feed)
    {
        await _host.StartAsync();
        var pbx = _host.Pbx;
        var u = pbx.Users;
        pbx.NoAnswerTime = TimeSpan.FromMilliseconds(300);
        pbx.SetDiversions(u[4].Guid, [new SimDiversion(DiversionType.Cfnr, E164: u[5].E164)]);
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Pbx:CallFeed"] = feed });

        // Answered where it rang.
        var answered = pbx.StartIncomingExternalCall(u[1].Guid, "0711 1111");
        await RingingAsync(app, u[1].Guid);
        pbx.Answer(answered.CalleeLeg);
        pbx.HangUp(answered.CallerLeg);

        // The caller gives up.
        var abandoned = pbx.StartIncomingExternalCall(u[2].Guid, "0711 2222");
        await RingingAsync(app, u[2].Guid);
        pbx.HangUp(abandoned.CallerLeg);

        // A colleague picks it up.
        var picked = pbx.StartIncomingExternalCall(u[3].Guid, "0711 3333");
        await RingingAsync(app, u[3].Guid);
        pbx.Pickup(u[0].Guid, picked.CalleeLeg);
        await RingingOrTalkingAsync(app, u[0].Guid);
        pbx.Answer(picked.CallerLeg);

        // Unanswered, forwarded on no answer, answered there.
        var forwarded = pbx.StartIncomingExternalCall(u[4].Guid, "0711 4444");
        await RingingAsync(app, u[5].Guid); // after the no-answer time
        pbx.Answer(forwarded.CallerLeg);

        try
        {
            await app.Directory.WaitForAsync(
                s => Outcomes(s, u[2].Guid) == "nobody" && Outcomes(s, u[3].Guid) == "colleague" && Outcomes(s, u[4].Guid) == "forwarded",
                "each missed call with its outcome");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Outcomes per user: {string.Join(", ", u.Take(6).Select(user => $"[{Outcomes(app.Directory.Current, user.Guid)}]"))}");
        }

        var board = app.Directory.Current;
        Assert.Equal("", Outcomes(board, u[1].Guid));
        Assert.Equal("", Outcomes(board, u[0].Guid));
        Assert.Equal("", Outcomes(board, u[5].Guid));
    }

    [Theory]
    [InlineData("Everyone", true)]
    [InlineData("Operators", false)]
    [InlineData("SignedIn", false)]
    [InlineData("Off", false)]
    public async Task An_anonymous_board_shows_missed_calls_only_when_everyone_may_see_them(string visible, bool shown)
    {
        await _host.StartAsync();
        var bob = _host.Pbx.Users[1];
        var app = await _host.StartLiveAppAsync(new Dictionary<string, string?> { ["Blf:MissedCalls:Visible"] = visible });
        var call = _host.Pbx.StartIncomingExternalCall(bob.Guid, "0711 2222");
        await RingingAsync(app, bob.Guid);
        _host.Pbx.HangUp(call.CallerLeg);
        await app.Directory.WaitForAsync(s => Outcomes(s, bob.Guid) == "nobody", "Bob's missed call");

        using var http = app.CreateHttpClient();
        var page = await http.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(shown, page.Contains("data-missed=\"1\"", StringComparison.Ordinal));
        Assert.Equal(shown, page.Contains("blf-missed-call", StringComparison.Ordinal));
        Assert.Equal(shown, page.Contains("0711 2222", StringComparison.Ordinal));
    }

    private static string Outcomes(DirectorySnapshot snapshot, string guid) =>
        string.Join(' ', snapshot.Users.Single(user => user.Guid == guid).Missed.Calls.Select(call => call.OutcomeWord));

    private static Task<DirectorySnapshot> RingingAsync(BoardApp app, string guid) =>
        app.Directory.WaitForAsync(s => s.Users.Single(user => user.Guid == guid).Activity?.Calls is [{ Phase: BlfBlazor.State.CallPhase.Ringing }, ..], "the call ringing on the tile");

    private static Task<DirectorySnapshot> RingingOrTalkingAsync(BoardApp app, string guid) =>
        app.Directory.WaitForAsync(s => s.Users.Single(user => user.Guid == guid).Activity?.Calls.Count > 0, "the picked call on the picker's tile");
}
