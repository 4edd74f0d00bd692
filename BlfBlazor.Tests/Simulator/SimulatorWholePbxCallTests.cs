using BlfBlazor.PbxSimulator.Core.Model;
using static BlfBlazor.Tests.Simulator.CallFeedSession;

namespace BlfBlazor.Tests.Simulator;

/// <summary>Initialize calls:true over a real WebSocket: CallAdd/CallUpdate/CallDel for every leg, the trunk's too (CALLS.md §2.7, §7.1).</summary>
[Trait("Category", "Integration")]
public class SimulatorWholePbxCallTests
{
    private const string Outside = "007031123456";

    [Theory]
    [InlineData(CallDeleteName.CallDel)]
    [InlineData(CallDeleteName.CallDelete)]
    public async Task An_incoming_outside_call_is_two_legs_the_trunks_and_the_users_as_in_7_1(CallDeleteName deleteName)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { DeleteName = deleteName });
        var bob = feed.Users[2];
        await feed.InitializeAsync(calls: true);

        var call = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        var ringing = await feed.ReadAsync(7);
        feed.Pbx.Answer(call.CalleeLeg);
        var answered = await feed.ReadLinesAsync(3);
        feed.Pbx.HangUp(call.CallerLeg);
        var ended = await feed.ReadLinesAsync(5);

        var (trunk, leg) = (call.CallerLeg, call.CalleeLeg);
        var delete = deleteName.ToString();
        Assert.Equal(
            [
                $"UserInfo {bob.Cn} 1/1", $"CallAdd Trunk {trunk} 1", $"CallUpdate {trunk} x-setup", $"CallAdd {bob.Cn} {leg} 129",
                $"CallUpdate {leg} r-setup", $"CallUpdate {leg} x-alert", $"CallUpdate {trunk} r-alert",
            ],
            ringing.Select(Describe));
        Assert.Equal([$"UserInfo {bob.Cn} 0/1", $"CallUpdate {leg} x-conn", $"CallUpdate {trunk} r-conn"], answered);
        Assert.Equal([$"CallUpdate {trunk} x-rel", $"CallUpdate {leg} r-rel", $"{delete} {trunk}", $"{delete} {leg}", $"UserInfo {bob.Cn} 0/0"], ended);

        var (trunkAdd, userAdd, userSetup) = (ringing[1], ringing[3], ringing[4]);
        Assert.Equal(SimulatedPbx.TrunkGuid, trunkAdd.GetProperty("guid").GetString());
        Assert.DoesNotContain(feed.Users, user => user.Guid == SimulatedPbx.TrunkGuid);
        Assert.Equal(bob.Guid, userAdd.GetProperty("guid").GetString());
        Assert.Equal(trunkAdd.GetProperty("conf-id").GetString(), userAdd.GetProperty("conf-id").GetString());
        Assert.Equal(trunkAdd.GetProperty("call-id").GetString(), userAdd.GetProperty("call-id").GetString());
        Assert.Equal("init", userAdd.GetProperty("src").GetString());
        Assert.Equal($$"""{"h323":"{{bob.H323}}","e164":"{{bob.E164}}"}""", userSetup.GetProperty("local").GetRawText());
        Assert.Equal("""{"h323":"","e164":"+497031123456"}""", userSetup.GetProperty("remote").GetRawText());
    }

    [Fact]
    public async Task An_internal_call_pairs_its_legs_on_the_conf_id_and_names_the_peer_by_numbers()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (alice, bob) = (feed.Users[1], feed.Users[2]);
        await feed.InitializeAsync(calls: true);

        var call = feed.Pbx.StartInternalCall(alice.Guid, bob.Guid);
        var frames = await feed.ReadAsync(8);

        var adds = frames.Where(frame => Mt(frame) == "CallAdd").ToList();
        Assert.Equal([$"CallAdd {alice.Cn} {call.CallerLeg} 1", $"CallAdd {bob.Cn} {call.CalleeLeg} 129"], adds.Select(Describe));
        Assert.Equal(adds[0].GetProperty("conf-id").GetString(), adds[1].GetProperty("conf-id").GetString());
        var bobSetup = frames.First(frame => Describe(frame) == $"CallUpdate {call.CalleeLeg} r-setup");
        Assert.Equal(alice.E164, bobSetup.GetProperty("remote").GetProperty("e164").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Calls_in_progress_come_as_CallAdd_after_the_list_only_when_replayed(bool replay)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { ReplayCalls = replay }, login: false);
        var bob = feed.Users[2];
        var call = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        feed.Pbx.Answer(call.CalleeLeg);
        await feed.LoginAsync();

        await feed.InitializeAsync(calls: true);
        if (replay)
        {
            Assert.Equal(
                [$"CallAdd Trunk {call.CallerLeg} 5", $"CallUpdate {call.CallerLeg} r-conn", $"CallAdd {bob.Cn} {call.CalleeLeg} 133", $"CallUpdate {call.CalleeLeg} x-conn"],
                await feed.ReadLinesAsync(4));
        }

        feed.Pbx.Hold(call.CalleeLeg);
        if (replay)
        {
            Assert.Equal([$"CallUpdate {call.CalleeLeg} update", $"CallUpdate {call.CallerLeg} r-held"], await feed.ReadLinesAsync(2));
        }

        await feed.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Without_calls_true_Initialize_gets_no_call_frames()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var bob = feed.Users[2];
        await feed.InitializeAsync();

        feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);

        Assert.Equal([$"UserInfo {bob.Cn} 1/1"], await feed.ReadLinesAsync(1));
        await feed.AssertNothingPendingAsync();
    }
}
