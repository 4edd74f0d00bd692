using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;
using Microsoft.Extensions.Time.Testing;
using static BlfBlazor.Tests.Simulator.CallFeedSession;

namespace BlfBlazor.Tests.Simulator;

/// <summary>
/// Forwarding that routes calls, over a real WebSocket (PBXAPIS.md §1.5, §4, §9.2, §9.3): cfu, cfb, cfnr
/// after the no-answer time on the PBX's clock, chains and loops, outside destinations, conditions,
/// do-not-disturb, the <c>no</c> entries of a diverted leg, and UserReroute (follows the forwarding) against
/// UserRedirect and UserCall with ftyNoCF (break through it). Cast: users[0..3] play Olivia, Alice, Bob and
/// Carol; leg handles count from 1 in the order legs appear (the trunk's legs too).
/// </summary>
[Trait("Category", "Integration")]
public class SimulatorForwardingTests
{
    private const string Outside = "007031123456";
    private const string Mobile = "00171234567";

    [Theory]
    [InlineData(DivertNoEntries.Leg2AndOrig, new[] { "leg2", "leg2orig" })]
    [InlineData(DivertNoEntries.Leg2, new[] { "leg2" })]
    [InlineData(DivertNoEntries.None, new string[0])]
    public async Task A_call_for_a_user_with_cfu_rings_the_destination_only_naming_the_diverter_as_DivertNo_says(DivertNoEntries entries, string[] types)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { DivertNo = entries });
        var (alice, carol) = (feed.Users[1], feed.Users[3]);
        feed.Pbx.SetDiversions(carol.Guid, [new Diversion(DiversionType.Cfu, H323: alice.H323)]);
        var aliceHandle = await feed.HandleOfAsync(alice);
        await feed.MonitorAsync(carol);

        var call = feed.Pbx.StartIncomingExternalCall(carol.Guid, Outside);
        var frames = await feed.ReadAsync(2);

        Assert.Equal(["CallInfo 2 129 r-setup", "CallInfo 2 132 x-alert"], frames.Select(Describe));
        Assert.Equal(aliceHandle, frames[0].GetProperty("user").GetInt32());
        Assert.Equal(Outside, frames[0].GetProperty("peer").GetProperty("e164").GetString());
        Assert.Equal(types, NoEntries(frames[0]).Select(entry => entry.Type));
        Assert.All(NoEntries(frames[0]), entry => Assert.Equal(carol.Cn, entry.Cn));
        Assert.Equal((2, alice.Guid), (call.CalleeLeg, call.CalleeGuid));
        Assert.False(feed.Pbx.Truth.Calls.ContainsKey(carol.Guid));
        await feed.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task A_cfu_chain_names_the_last_diverter_leg2_and_the_first_leg2orig()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (alice, bob, carol) = (feed.Users[1], feed.Users[2], feed.Users[3]);
        feed.Pbx.SetDiversions(bob.Guid, [new Diversion(DiversionType.Cfu, E164: carol.E164)]);
        feed.Pbx.SetDiversions(carol.Guid, [new Diversion(DiversionType.Cfu, H323: alice.H323)]);
        await feed.MonitorAsync(alice);

        feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        var setup = await feed.ReceiveAsync();

        Assert.Equal("CallInfo 2 129 r-setup", Describe(setup));
        Assert.Equal([("leg2", carol.Cn), ("leg2orig", bob.Cn)], NoEntries(setup));
    }

    [Fact]
    public async Task A_forwarding_loop_rings_where_it_closes()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (olivia, alice, bob) = (feed.Users[0], feed.Users[1], feed.Users[2]);
        feed.Pbx.SetDiversions(alice.Guid, [new Diversion(DiversionType.Cfu, H323: bob.H323)]);
        feed.Pbx.SetDiversions(bob.Guid, [new Diversion(DiversionType.Cfu, H323: alice.H323)]);

        var call = feed.Pbx.StartInternalCall(olivia.Guid, alice.Guid);

        Assert.Equal(bob.Guid, call.CalleeGuid);
        Assert.Equal(bob.Cn, Assert.Single(feed.Pbx.Truth.Calls[olivia.Guid]).Peer);
        Assert.False(feed.Pbx.Truth.Calls.ContainsKey(alice.Guid));
    }

    [Fact]
    public async Task A_cfu_to_an_outside_number_leaves_through_the_trunk_and_rings_no_user()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (olivia, carol) = (feed.Users[0], feed.Users[3]);
        feed.Pbx.SetDiversions(carol.Guid, [new Diversion(DiversionType.Cfu, E164: Mobile)]);
        await feed.InitializeAsync(calls: true);

        var call = feed.Pbx.StartInternalCall(olivia.Guid, carol.Guid);
        var frames = await feed.ReadAsync(7);

        Assert.Equal(
            [$"UserInfo {olivia.Cn} 0/1", $"CallAdd {olivia.Cn} 1 1", "CallUpdate 1 x-setup", "CallAdd Trunk 2 129", "CallUpdate 2 r-setup", "CallUpdate 2 x-alert", "CallUpdate 1 r-alert"],
            frames.Select(Describe));
        Assert.Equal("+49171234567", frames[2].GetProperty("remote").GetProperty("e164").GetString());
        Assert.Null(call.CalleeGuid);
        Assert.Equal([olivia.Guid], feed.Pbx.Truth.Calls.Keys);
        await feed.AssertNothingPendingAsync();
    }

    [Theory]
    [InlineData(ElsewhereCause.Cause26)]
    [InlineData(ElsewhereCause.None)]
    public async Task CfuLegAtDiverter_rings_the_diverter_for_an_instant_first(ElsewhereCause cause)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { CfuLegAtDiverter = true, ElsewhereCause = cause });
        var (alice, carol) = (feed.Users[1], feed.Users[3]);
        feed.Pbx.SetDiversions(carol.Guid, [new Diversion(DiversionType.Cfu, H323: alice.H323)]);
        await feed.MonitorAsync(alice);
        await feed.MonitorAsync(carol);

        feed.Pbx.StartIncomingExternalCall(carol.Guid, Outside);
        var frames = await feed.ReadAsync(5);

        Assert.Equal(["CallInfo 3 129 r-setup", "CallInfo 3 134 r-rel", "CallInfo 3 134 del del", "CallInfo 2 129 r-setup", "CallInfo 2 132 x-alert"], frames.Select(Describe));
        Assert.Equal(cause == ElsewhereCause.Cause26 ? 26 : null, CauseOf(frames[1]));
        Assert.False(feed.Pbx.Truth.Calls.ContainsKey(carol.Guid));
    }

    [Fact]
    public async Task A_conditional_diversion_does_not_route_the_call()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (alice, carol) = (feed.Users[1], feed.Users[3]);
        feed.Pbx.SetDiversions(carol.Guid, [new Diversion(DiversionType.Cfu, H323: alice.H323, Bool: "nightmode", BoolNot: true)]);

        var call = feed.Pbx.StartIncomingExternalCall(carol.Guid, Outside);

        Assert.Equal(carol.Guid, call.CalleeGuid);
        Assert.False(feed.Pbx.Truth.Calls.ContainsKey(alice.Guid));
    }

    [Fact]
    public async Task Cfb_diverts_only_while_the_user_is_busy()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (bob, carol) = (feed.Users[2], feed.Users[3]);
        feed.Pbx.SetDiversions(bob.Guid, [new Diversion(DiversionType.Cfb, H323: carol.H323)]);
        await feed.MonitorAsync(bob);
        await feed.MonitorAsync(carol);

        var first = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        feed.Pbx.Answer(first.CalleeLeg);
        var answered = await feed.ReadLinesAsync(3);
        var second = feed.Pbx.StartIncomingExternalCall(bob.Guid, "0711555123");
        var diverted = await feed.ReadAsync(2);

        Assert.Equal(["CallInfo 2 129 r-setup", "CallInfo 2 132 x-alert", "CallInfo 2 133 x-conn"], answered);
        Assert.Equal(["CallInfo 4 129 r-setup", "CallInfo 4 132 x-alert"], diverted.Select(Describe));
        Assert.Equal([("leg2", bob.Cn), ("leg2orig", bob.Cn)], NoEntries(diverted[0]));
        Assert.Equal(carol.Guid, second.CalleeGuid);
        Assert.Single(feed.Pbx.Truth.Calls[bob.Guid]);
    }

    [Theory]
    [InlineData(ElsewhereCause.Cause26)]
    [InlineData(ElsewhereCause.None)]
    public async Task Cfnr_rings_the_user_for_the_no_answer_time_then_the_destination_as_in_9_3(ElsewhereCause cause)
    {
        var clock = new FakeTimeProvider();
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { ElsewhereCause = cause }, clock);
        var (bob, carol) = (feed.Users[2], feed.Users[3]);
        feed.Pbx.SetDiversions(bob.Guid, [new Diversion(DiversionType.Cfnr, E164: carol.E164)]);
        await feed.MonitorAsync(bob);
        var carolHandle = await feed.HandleOfAsync(carol);

        feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        var ringing = await feed.ReadAsync(2);
        clock.Advance(feed.Pbx.NoAnswerTime - TimeSpan.FromSeconds(1));
        await feed.AssertNothingPendingAsync();
        clock.Advance(TimeSpan.FromSeconds(1));
        var diverted = await feed.ReadAsync(4);
        Assert.True(feed.Pbx.Answer(3));
        var answered = await feed.ReadLinesAsync(1);

        Assert.Equal(["CallInfo 2 129 r-setup", "CallInfo 2 132 x-alert"], ringing.Select(Describe));
        Assert.Equal(["CallInfo 2 134 r-rel", "CallInfo 2 134 del del", "CallInfo 3 129 r-setup", "CallInfo 3 132 x-alert"], diverted.Select(Describe));
        Assert.Equal(cause == ElsewhereCause.Cause26 ? 26 : null, CauseOf(diverted[0]));
        var setup = diverted[2];
        Assert.Equal((carolHandle, Outside), (setup.GetProperty("user").GetInt32(), setup.GetProperty("peer").GetProperty("e164").GetString()));
        Assert.Equal(ringing[0].GetProperty("conf").GetString(), setup.GetProperty("conf").GetString());
        Assert.Equal([("leg2", bob.Cn), ("leg2orig", bob.Cn)], NoEntries(setup));
        Assert.Equal(["CallInfo 3 133 x-conn"], answered);
    }

    [Fact]
    public async Task A_call_answered_within_the_no_answer_time_stays()
    {
        var clock = new FakeTimeProvider();
        await using var feed = await CallFeedSession.StartAsync(clock: clock);
        var (bob, carol) = (feed.Users[2], feed.Users[3]);
        feed.Pbx.SetDiversions(bob.Guid, [new Diversion(DiversionType.Cfnr, E164: carol.E164)]);
        await feed.MonitorAsync(bob);
        var call = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        feed.Pbx.Answer(call.CalleeLeg);
        await feed.ReadAsync(3);

        clock.Advance(feed.Pbx.NoAnswerTime * 2);

        await feed.AssertNothingPendingAsync();
        Assert.Equal(CallPhase.Talking, Assert.Single(feed.Pbx.Truth.Calls[bob.Guid]).Phase);
        Assert.False(feed.Pbx.Truth.Calls.ContainsKey(carol.Guid));
    }

    [Theory]
    [InlineData(DndCallHandling.Reject)]
    [InlineData(DndCallHandling.Cfb)]
    [InlineData(DndCallHandling.Ring)]
    public async Task A_call_for_a_user_on_do_not_disturb_is_refused_goes_to_cfb_or_rings_as_DndCalls_says(DndCallHandling dnd)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { DndCalls = dnd });
        var (olivia, alice, carol) = (feed.Users[0], feed.Users[1], feed.Users[3]);
        feed.Pbx.SetDiversions(alice.Guid, [new Diversion(DiversionType.Cfb, H323: carol.H323)]);
        feed.Pbx.SetPresence(alice.Guid, "dnd", "in a meeting");
        await feed.MonitorAsync(olivia);

        var call = feed.Pbx.StartInternalCall(olivia.Guid, alice.Guid);
        var frames = await feed.ReadAsync(dnd == DndCallHandling.Reject ? 3 : 2);

        Assert.Equal(
            dnd == DndCallHandling.Reject ? ["CallInfo 1 1 x-setup", "CallInfo 1 6 r-disc", "CallInfo 1 6 del del"] : ["CallInfo 1 1 x-setup", "CallInfo 1 4 r-alert"],
            frames.Select(Describe));
        Assert.Equal(
            dnd switch { DndCallHandling.Reject => null, DndCallHandling.Cfb => carol.Guid, _ => alice.Guid },
            call.CalleeGuid);
        if (dnd == DndCallHandling.Reject)
        {
            Assert.Equal((0, 17), (call.CalleeLeg, CauseOf(frames[1])));
            Assert.Empty(feed.Pbx.Truth.Calls);
        }
    }

    [Theory]
    [InlineData("UserReroute")]
    [InlineData("UserRedirect")]
    public async Task UserReroute_follows_the_colleagues_forwarding_and_UserRedirect_rings_the_desk_as_in_9_2(string mt)
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (olivia, alice, carol) = (feed.Users[0], feed.Users[1], feed.Users[3]);
        feed.Pbx.SetDiversions(carol.Guid, [new Diversion(DiversionType.Cfu, H323: alice.H323)]);
        await feed.MonitorAsync(olivia);
        var aliceHandle = await feed.HandleOfAsync(alice);
        var carolHandle = await feed.HandleOfAsync(carol);
        var caller = feed.Pbx.StartIncomingExternalCall(olivia.Guid, Outside).CalleeLeg;
        feed.Pbx.Answer(caller);
        await feed.ReadAsync(3);
        var recorded = feed.Pbx.NextRequestAsync(mt, feed.Token);

        await feed.SendAsync($$"""{"api":"RCC","mt":"{{mt}}","call":{{caller}},"cn":{{JsonSerializer.Serialize(carol.Cn)}},"src":"a:19"}""");
        var frames = await feed.ReadAsync(4);

        var rerouted = mt == "UserReroute";
        Assert.Equal([$"{mt}Result", $"CallInfo {caller} 133 del del", "CallInfo 3 129 r-setup", "CallInfo 3 132 x-alert"], frames.Select(Describe));
        Assert.Equal("a:19", frames[0].GetProperty("src").GetString());
        Assert.Equal(rerouted ? aliceHandle : carolHandle, frames[2].GetProperty("user").GetInt32());
        Assert.Equal(Outside, frames[2].GetProperty("peer").GetProperty("e164").GetString());
        Assert.Equal(rerouted ? [("leg2", carol.Cn), ("leg2orig", carol.Cn)] : [("ct", olivia.Cn)], NoEntries(frames[2]));
        Assert.Equal([rerouted ? alice.Guid : carol.Guid], feed.Pbx.Truth.Calls.Keys);
        Assert.Equal(caller, (await recorded).Message.GetProperty("call").GetInt32());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UserCall_with_ftyNoCF_rings_the_desk_past_the_forwarding_and_without_it_the_destination(bool noForwarding)
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (olivia, alice, carol) = (feed.Users[0], feed.Users[1], feed.Users[3]);
        feed.Pbx.SetDiversions(carol.Guid, [new Diversion(DiversionType.Cfu, H323: alice.H323)]);
        var operatorHandle = await feed.HandleOfAsync(olivia);
        var recorded = feed.Pbx.NextRequestAsync("UserCall", feed.Token);

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserCall","user":{{operatorHandle}},"cn":{{JsonSerializer.Serialize(carol.Cn)}},"ftyNoCF":{{(noForwarding ? "true" : "false")}},"src":"a:1"}""");
        var frames = await feed.ReadAsync(3);

        Assert.Equal(["UserCallResult call 1", "CallInfo 1 1 x-setup", "CallInfo 1 4 r-alert"], frames.Select(Describe));
        var rung = noForwarding ? carol : alice;
        Assert.Equal(rung.Cn, frames[1].GetProperty("peer").GetProperty("cn").GetString());
        Assert.Equal(CallPhase.Ringing, Assert.Single(feed.Pbx.Truth.Calls[rung.Guid]).Phase);
        Assert.Equal(noForwarding, (await recorded).Message.GetProperty("ftyNoCF").GetBoolean());
    }

    [Theory]
    [InlineData("UserRedirect", BreakThroughCfnr.Applies, true)]
    [InlineData("UserRedirect", BreakThroughCfnr.Ignored, false)]
    [InlineData("UserReroute", BreakThroughCfnr.Ignored, true)]
    public async Task A_call_put_through_past_the_forwarding_diverts_on_no_answer_as_NoCfCfnr_says(string mt, BreakThroughCfnr rule, bool diverts)
    {
        var clock = new FakeTimeProvider();
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { NoCfCfnr = rule }, clock);
        var (olivia, alice, carol) = (feed.Users[0], feed.Users[1], feed.Users[3]);
        feed.Pbx.SetDiversions(carol.Guid, [new Diversion(DiversionType.Cfnr, H323: alice.H323)]);
        var caller = feed.Pbx.StartIncomingExternalCall(olivia.Guid, Outside).CalleeLeg;
        feed.Pbx.Answer(caller);

        await feed.SendAsync($$"""{"api":"RCC","mt":"{{mt}}","call":{{caller}},"cn":{{JsonSerializer.Serialize(carol.Cn)}},"src":"a:1"}""");
        await feed.ReadAsync(1);
        clock.Advance(feed.Pbx.NoAnswerTime);
        await feed.AssertNothingPendingAsync();

        Assert.Equal([diverts ? alice.Guid : carol.Guid], feed.Pbx.Truth.Calls.Keys);
    }

    [Fact]
    public async Task UserReroute_to_a_colleague_on_do_not_disturb_fails_and_the_caller_stays()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (olivia, alice) = (feed.Users[0], feed.Users[1]);
        feed.Pbx.SetPresence(alice.Guid, "dnd", "");
        var caller = feed.Pbx.StartIncomingExternalCall(olivia.Guid, Outside).CalleeLeg;
        feed.Pbx.Answer(caller);

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserReroute","call":{{caller}},"h323":"{{alice.H323}}","src":"a:1"}""");

        Assert.Equal(["UserRerouteResult error"], await feed.ReadLinesAsync(1));
        Assert.Equal(CallPhase.Talking, Assert.Single(feed.Pbx.Truth.Calls[olivia.Guid]).Phase);
        Assert.Single(feed.Pbx.Truth.Calls);
    }

    private static List<(string Type, string? Cn)> NoEntries(JsonElement callInfo) =>
        callInfo.TryGetProperty("no", out var no)
            ? [.. no.EnumerateArray().Select(entry => (entry.GetProperty("type").GetString()!, entry.TryGetProperty("cn", out var cn) ? cn.GetString() : null))]
            : [];

    private static int? CauseOf(JsonElement callInfo) =>
        callInfo.TryGetProperty("info", out var info) ? info[0].GetProperty("vali").GetInt32() : null;
}
