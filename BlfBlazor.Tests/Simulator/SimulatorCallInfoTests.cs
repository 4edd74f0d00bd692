using BlfBlazor.PbxSimulator.Core.Model;
using Microsoft.Extensions.Time.Testing;
using static BlfBlazor.Tests.Simulator.CallFeedSession;

namespace BlfBlazor.Tests.Simulator;

/// <summary>
/// UserInitialize and CallInfo over a real WebSocket: each sequence of CALLS.md §7.1–7.5 as the
/// simulator emits it, and each variant of what §6 leaves unknown. Cast: users[0..3] play Olivia,
/// Alice, Bob and Carol; leg handles count from 1 in the order the legs appear.
/// </summary>
[Trait("Category", "Integration")]
public class SimulatorCallInfoTests
{
    private const string Outside = "007031123456";

    [Fact]
    public async Task UserInitialize_gives_handles_in_request_order_with_the_src_and_the_dialling_context()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var users = feed.Users;

        var first = await feed.MonitorAsync(users[2]);
        var second = await feed.MonitorAsync(users[1]);

        Assert.Equal(1, first.GetProperty("user").GetInt32());
        Assert.Equal(2, second.GetProperty("user").GetInt32());
        Assert.Equal($"u:{users[2].Guid}", first.GetProperty("src").GetString());
        Assert.Equal("RCC", first.GetProperty("api").GetString());
        Assert.Equal("000", first.GetProperty("prefixIntl").GetString());
        Assert.Equal("49", first.GetProperty("country").GetString());
    }

    [Theory]
    [InlineData(UserInitializeFailure.WithoutUser)]
    [InlineData(UserInitializeFailure.UserZero)]
    public async Task UserInitialize_for_a_cn_the_pbx_does_not_know_fails_in_the_chosen_shape(UserInitializeFailure shape)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { UnknownUser = shape });

        await feed.SendAsync("""{"api":"RCC","mt":"UserInitialize","cn":"Nobody Here","src":"u:x"}""");
        var result = await feed.ReceiveAsync();

        Assert.Equal("UserInitializeResult", Mt(result));
        Assert.Equal("u:x", result.GetProperty("src").GetString());
        if (shape == UserInitializeFailure.UserZero)
        {
            Assert.Equal(0, result.GetProperty("user").GetInt32());
        }
        else
        {
            Assert.False(result.TryGetProperty("user", out _));
        }
    }

    [Fact]
    public async Task An_incoming_outside_call_rings_is_answered_and_ends_as_in_7_1_with_lamps_and_time()
    {
        var clock = new FakeTimeProvider();
        await using var feed = await CallFeedSession.StartAsync(clock: clock);
        var bob = feed.Users[2];
        await feed.InitializeAsync();
        var handle = (await feed.MonitorAsync(bob)).GetProperty("user").GetInt32();

        var call = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        var ringing = await feed.ReadAsync(3);
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(feed.Pbx.Answer(call.CalleeLeg));
        var answered = await feed.ReadLinesAsync(2);
        clock.Advance(TimeSpan.FromSeconds(92));
        Assert.True(feed.Pbx.HangUp(call.CallerLeg));
        var ended = await feed.ReadAsync(3);

        var leg = call.CalleeLeg;
        Assert.Equal([$"UserInfo {bob.Cn} 1/1", $"CallInfo {leg} 129 r-setup", $"CallInfo {leg} 132 x-alert"], ringing.Select(Describe));
        Assert.Equal([$"UserInfo {bob.Cn} 0/1", $"CallInfo {leg} 133 x-conn"], answered);
        Assert.Equal([$"CallInfo {leg} 134 r-rel", $"CallInfo {leg} 134 del del", $"UserInfo {bob.Cn} 0/0"], ended.Select(Describe));

        var setup = ringing[1];
        Assert.Equal($"u:{bob.Guid}", setup.GetProperty("src").GetString());
        Assert.Equal(handle, setup.GetProperty("user").GetInt32());
        Assert.Matches("^[0-9a-f]{32}$", setup.GetProperty("conf").GetString());
        Assert.Equal("""{"cn":"","dn":"","h323":"","e164":"007031123456"}""", setup.GetProperty("peer").GetRawText());
        Assert.Equal(0, setup.GetProperty("time").GetInt32());
        Assert.Equal("init", ringing[0].GetProperty("src").GetString());

        var release = ended[0];
        Assert.Equal(98, release.GetProperty("time").GetInt32());
        Assert.Equal("""[{"type":"cause","vali":16,"vals":"Normal call clearing"}]""", release.GetProperty("info").GetRawText());
        Assert.Equal(setup.GetProperty("conf").GetString(), ended[1].GetProperty("conf").GetString());
    }

    [Fact]
    public async Task An_internal_call_reports_both_legs_as_in_7_2()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (alice, bob) = (feed.Users[1], feed.Users[2]);
        await feed.InitializeAsync();
        await feed.MonitorAsync(alice);
        await feed.MonitorAsync(bob);

        var call = feed.Pbx.StartInternalCall(alice.Guid, bob.Guid);
        var setup = await feed.ReadAsync(6);
        feed.Pbx.Answer(call.CalleeLeg);
        var answered = await feed.ReadLinesAsync(3);
        feed.Pbx.HangUp(call.CalleeLeg);
        var ended = await feed.ReadLinesAsync(6);

        var (a, b) = (call.CallerLeg, call.CalleeLeg);
        Assert.Equal(
            [$"UserInfo {alice.Cn} 0/1", $"CallInfo {a} 1 x-setup", $"UserInfo {bob.Cn} 1/1", $"CallInfo {b} 129 r-setup", $"CallInfo {b} 132 x-alert", $"CallInfo {a} 4 r-alert"],
            setup.Select(Describe));
        Assert.Equal([$"UserInfo {bob.Cn} 0/1", $"CallInfo {b} 133 x-conn", $"CallInfo {a} 5 r-conn"], answered);
        Assert.Equal(
            [$"CallInfo {b} 135 x-rel", $"CallInfo {a} 6 r-rel", $"CallInfo {b} 135 del del", $"CallInfo {a} 6 del del", $"UserInfo {bob.Cn} 0/0", $"UserInfo {alice.Cn} 0/0"],
            ended);

        Assert.Equal(bob.Cn, setup[1].GetProperty("peer").GetProperty("cn").GetString());
        Assert.Equal(alice.H323, setup[3].GetProperty("peer").GetProperty("h323").GetString());
        Assert.Equal(setup[1].GetProperty("conf").GetString(), setup[3].GetProperty("conf").GetString());
        Assert.Equal(1, setup[1].GetProperty("user").GetInt32());
        Assert.Equal(2, setup[3].GetProperty("user").GetInt32());
    }

    [Fact]
    public async Task Hold_and_retrieve_by_either_side_set_the_hold_bits_as_in_7_3()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (alice, bob) = (feed.Users[1], feed.Users[2]);
        await feed.MonitorAsync(alice);
        await feed.MonitorAsync(bob);
        var call = feed.Pbx.StartInternalCall(alice.Guid, bob.Guid);
        feed.Pbx.Answer(call.CalleeLeg);
        await feed.ReadAsync(6);
        var (a, b) = (call.CallerLeg, call.CalleeLeg);

        Assert.True(feed.Pbx.Hold(a));
        var held = await feed.ReadLinesAsync(2);
        var truth = feed.Pbx.Truth.Calls;
        Assert.True(feed.Pbx.Retrieve(a));
        var retrieved = await feed.ReadLinesAsync(2);
        Assert.True(feed.Pbx.Hold(b));
        var heldByBob = await feed.ReadLinesAsync(2);

        Assert.Equal([$"CallInfo {a} 261 update", $"CallInfo {b} 645 r-held"], held);
        Assert.Equal([$"CallInfo {a} 5 update", $"CallInfo {b} 133 r-retrieved"], retrieved);
        Assert.Equal([$"CallInfo {b} 389 update", $"CallInfo {a} 517 r-held"], heldByBob);
        Assert.Equal((CallPhase.Held, true), (truth[alice.Guid][0].Phase, truth[alice.Guid][0].Held));
        Assert.Equal((CallPhase.Held, true), (truth[bob.Guid][0].Phase, truth[bob.Guid][0].Held));
        Assert.False(feed.Pbx.Hold(b));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_attended_transfer_ends_the_transferrers_legs_and_gives_the_target_the_caller_as_in_7_4(bool keepConf)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { KeepConfOnTransfer = keepConf });
        var (alice, carol) = (feed.Users[1], feed.Users[3]);
        await feed.MonitorAsync(alice);
        await feed.MonitorAsync(carol);
        var outside = feed.Pbx.StartIncomingExternalCall(alice.Guid, Outside);
        feed.Pbx.Answer(outside.CalleeLeg);
        var first = await feed.ReadAsync(3);
        feed.Pbx.Hold(outside.CalleeLeg);
        var consult = feed.Pbx.StartInternalCall(alice.Guid, carol.Guid);
        feed.Pbx.Answer(consult.CalleeLeg);
        var consulting = await feed.ReadAsync(7);

        Assert.True(feed.Pbx.TransferAttended(outside.CalleeLeg, consult.CallerLeg));
        var transferred = await feed.ReadAsync(3);
        var truth = feed.Pbx.Truth.Calls;

        var (held, toCarol, atCarol) = (outside.CalleeLeg, consult.CallerLeg, consult.CalleeLeg);
        Assert.Equal($"CallInfo {held} 389 update", Describe(consulting[0]));
        Assert.Equal([$"CallInfo {held} 389 del del", $"CallInfo {toCarol} 5 del del", $"CallInfo {atCarol} 133 r-ct"], transferred.Select(Describe));
        var ct = transferred[2];
        Assert.Equal(Outside, ct.GetProperty("peer").GetProperty("e164").GetString());
        Assert.Equal("ct", ct.GetProperty("no")[0].GetProperty("type").GetString());
        Assert.Equal(alice.Cn, ct.GetProperty("no")[0].GetProperty("cn").GetString());
        var expectedConf = keepConf ? consulting[2].GetProperty("conf").GetString() : first[0].GetProperty("conf").GetString();
        Assert.Equal(expectedConf, ct.GetProperty("conf").GetString());

        Assert.False(truth.ContainsKey(alice.Guid));
        var leg = Assert.Single(truth[carol.Guid]);
        Assert.Equal(new LegTruth(atCarol, "in", CallPhase.Talking, false, Outside, false, alice.Dn.Length > 0 ? alice.Dn : alice.Cn, false, leg.StartedAt), leg);
        Assert.Equal((0, 0), (feed.Pbx.Find(alice.Guid)!.Channel, feed.Pbx.Find(alice.Guid)!.Alert));
    }

    [Fact]
    public async Task A_blind_transfer_rings_the_target_with_the_caller_and_the_transferrer_as_ct()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (alice, carol) = (feed.Users[1], feed.Users[3]);
        await feed.MonitorAsync(alice);
        await feed.MonitorAsync(carol);
        var outside = feed.Pbx.StartIncomingExternalCall(alice.Guid, Outside);
        feed.Pbx.Answer(outside.CalleeLeg);
        var first = await feed.ReadAsync(3);

        var redirected = feed.Pbx.TransferBlind(outside.CalleeLeg, carol.Guid);
        Assert.NotNull(redirected);
        var frames = await feed.ReadAsync(3);
        feed.Pbx.Answer(redirected.Value);
        var answered = await feed.ReadLinesAsync(1);

        Assert.Equal(
            [$"CallInfo {outside.CalleeLeg} 133 del del", $"CallInfo {redirected} 129 r-setup", $"CallInfo {redirected} 132 x-alert"],
            frames.Select(Describe));
        Assert.Equal([$"CallInfo {redirected} 133 x-conn"], answered);
        var setup = frames[1];
        Assert.Equal(2, setup.GetProperty("user").GetInt32());
        Assert.Equal(Outside, setup.GetProperty("peer").GetProperty("e164").GetString());
        Assert.Equal(alice.H323, setup.GetProperty("no")[0].GetProperty("h323").GetString());
        Assert.Equal(first[0].GetProperty("conf").GetString(), setup.GetProperty("conf").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_pickup_ends_the_ringing_leg_and_gives_the_picker_a_leg_with_picking_and_ct_as_in_7_5(bool pickupConnected)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { PickupConnected = pickupConnected });
        var (olivia, bob) = (feed.Users[0], feed.Users[2]);
        await feed.InitializeAsync();
        await feed.MonitorAsync(olivia);
        await feed.MonitorAsync(bob);
        var outside = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        await feed.ReadAsync(3);

        Assert.Null(feed.Pbx.Pickup(olivia.Guid, outside.CallerLeg));
        var picked = feed.Pbx.Pickup(olivia.Guid, outside.CalleeLeg);
        Assert.NotNull(picked);
        var frames = await feed.ReadAsync(pickupConnected ? 7 : 6);

        var ringing = outside.CalleeLeg;
        Assert.Equal(
            [
                $"CallInfo {ringing} 134 r-rel", $"CallInfo {ringing} 134 del del", $"UserInfo {bob.Cn} 0/0",
                $"UserInfo {olivia.Cn} 1/1", $"CallInfo {picked} 129 r-setup",
                .. (pickupConnected ? new[] { $"UserInfo {olivia.Cn} 0/1", $"CallInfo {picked} 133 x-conn" } : new[] { $"CallInfo {picked} 132 x-alert" }),
            ],
            frames.Select(Describe));
        Assert.Equal(26, frames[0].GetProperty("info")[0].GetProperty("vali").GetInt32());
        var no = frames[4].GetProperty("no");
        Assert.Equal(["picking", "ct"], no.EnumerateArray().Select(entry => entry.GetProperty("type").GetString()));
        Assert.Equal(bob.Cn, no[1].GetProperty("cn").GetString());
        Assert.Equal(Outside, frames[4].GetProperty("peer").GetProperty("e164").GetString());
        var leg = Assert.Single(feed.Pbx.Truth.Calls[olivia.Guid]);
        Assert.True(leg.PickedUp);
        Assert.Equal(pickupConnected ? CallPhase.Talking : CallPhase.Ringing, leg.Phase);
    }

    [Theory]
    [InlineData(CallEndForm.Both, "del", true)]
    [InlineData(CallEndForm.Msg, "del", false)]
    [InlineData(CallEndForm.Bool, "r-rel", true)]
    public async Task The_last_CallInfo_of_a_leg_has_the_chosen_end_form(CallEndForm form, string msg, bool delFlag)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { EndForm = form });
        var bob = feed.Users[2];
        await feed.MonitorAsync(bob);
        var call = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        feed.Pbx.HangUp(call.CallerLeg);

        var last = (await feed.ReadAsync(4))[3];

        Assert.Equal(msg, last.GetProperty("msg").GetString());
        Assert.Equal(delFlag, last.TryGetProperty("del", out var del) && del.GetBoolean());
        Assert.Equal(134, last.GetProperty("state").GetInt32());
    }

    [Fact]
    public async Task Without_SendTime_no_CallInfo_carries_time()
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { SendTime = false });
        var bob = feed.Users[2];
        await feed.MonitorAsync(bob);
        var call = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        feed.Pbx.Answer(call.CalleeLeg);
        feed.Pbx.HangUp(call.CalleeLeg);

        var frames = await feed.ReadAsync(5);

        Assert.All(frames, frame => Assert.False(frame.TryGetProperty("time", out _), frame.GetRawText()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Calls_in_progress_are_reported_after_UserInitialize_only_when_replayed(bool replay)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { ReplayCalls = replay }, login: false);
        var bob = feed.Users[2];
        var call = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        feed.Pbx.Answer(call.CalleeLeg);
        await feed.LoginAsync();

        await feed.MonitorAsync(bob);
        if (replay)
        {
            Assert.Equal([$"CallInfo {call.CalleeLeg} 133 x-conn"], await feed.ReadLinesAsync(1));
        }

        feed.Pbx.Hold(call.CalleeLeg);
        if (replay)
        {
            Assert.Equal([$"CallInfo {call.CalleeLeg} 389 update"], await feed.ReadLinesAsync(1));
        }

        await feed.AssertNothingPendingAsync();
        var later = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        Assert.Equal($"CallInfo {later.CalleeLeg} 129 r-setup", Describe(await feed.ReceiveAsync()));
    }

    [Fact]
    public async Task UserEnd_stops_the_handles_CallInfo()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var bob = feed.Users[2];
        var handle = (await feed.MonitorAsync(bob)).GetProperty("user").GetInt32();

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserEnd","user":"{{handle}}","src":"end"}""");
        Assert.Equal("UserEndResult", Mt(await feed.ReceiveAsync()));
        feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);

        await feed.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Handles_die_with_the_connection()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (alice, bob) = (feed.Users[1], feed.Users[2]);
        await feed.MonitorAsync(bob);

        await feed.LoginAsync();
        var handle = (await feed.MonitorAsync(alice)).GetProperty("user").GetInt32();
        feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);

        Assert.Equal(1, handle);
        await feed.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task The_scenario_makes_calls_and_changes_presence_that_a_monitoring_client_sees()
    {
        // The scenario steps on the PBX's clock, which stands still until the test moves it.
        var clock = new FakeTimeProvider();
        var step = TimeSpan.FromSeconds(0.1);
        await using var feed = await CallFeedSession.StartAsync(clock: clock, users: 20, eventsPerSecond: 1 / step.TotalSeconds);

        // What the client was told: each user's legs still up, and each user's presence.
        var guidOf = new Dictionary<int, string>();
        var legs = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        var presence = new Dictionary<string, (string Activity, string Note)>(StringComparer.Ordinal);
        var (callsEnded, presenceChanges) = (0, 0);
        void Apply(IEnumerable<System.Text.Json.JsonElement> frames)
        {
            foreach (var frame in frames)
            {
                if (Mt(frame) == "CallInfo")
                {
                    var guid = guidOf[frame.GetProperty("user").GetInt32()];
                    var call = frame.GetProperty("call").GetInt32();
                    if (!legs.TryGetValue(guid, out var up))
                    {
                        legs.Add(guid, up = []);
                    }

                    if (frame.TryGetProperty("del", out var del) && del.GetBoolean())
                    {
                        Assert.True(up.Remove(call), $"a leg ended that never began: {Describe(frame)}");
                        callsEnded++;
                    }
                    else
                    {
                        up.Add(call);
                    }
                }
                else if (Mt(frame) == "PresenceUpdate")
                {
                    var item = frame.GetProperty("presence")[0];
                    var now = (item.GetProperty("activity").GetString()!, item.GetProperty("note").GetString()!);
                    var guid = frame.GetProperty("src").GetString()!["p:".Length..];
                    presenceChanges += presence.TryGetValue(guid, out var was) && was != now ? 1 : 0;
                    presence[guid] = now;
                }
            }
        }

        // The scenario's opening put calls behind the lamps the staff started with: each comes after its user's handle.
        foreach (var user in feed.Users)
        {
            guidOf.Add(await feed.HandleOfAsync(user), user.Guid);
            Apply(await feed.ReadUntilMarkerAsync());
            Apply(await feed.SubscribeAsync(user, answers: 3));
        }

        // Step by step until calls have come and gone and presence has changed; whatever a step sent
        // arrives before the answer to a request made after it.
        while (callsEnded == 0 || presenceChanges == 0)
        {
            clock.Advance(step);
            Apply(await feed.ReadUntilMarkerAsync());
        }

        feed.Pbx.PauseScenario();
        Apply(await feed.ReadUntilMarkerAsync());

        // The client's picture is the PBX's: every leg that is up, none that ended, every presence as set.
        var truth = feed.Pbx.Truth;
        Assert.Equal(
            truth.Calls.ToDictionary(user => user.Key, user => string.Join(",", user.Value.Select(leg => leg.Call).Order())),
            legs.Where(user => user.Value.Count > 0).ToDictionary(user => user.Key, user => string.Join(",", user.Value)));
        Assert.Equal(truth.Presence.ToDictionary(user => user.Key, user => (user.Value.Activity, user.Value.Note)), presence);
    }
}
