using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Protocol;
using BlfBlazor.PbxSimulator.Core.Scenario;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Simulator;

/// <summary>The call and presence model without a socket: lamps follow legs, the truth a board is compared with, the scenario.</summary>
[Trait("Category", "Unit")]
public class SimulatedCallModelTests
{
    [Fact]
    public void A_user_with_a_held_call_and_a_new_one_ringing_has_two_channels_one_alerting_and_both_legs_in_the_truth()
    {
        var pbx = Create(users: 4);
        var (alice, bob, carol) = (pbx.Users[1], pbx.Users[2], pbx.Users[3]);

        var first = pbx.StartOutgoingExternalCall(bob.Guid, "007114711");
        pbx.Answer(first.CallerLeg);
        pbx.Hold(first.CallerLeg);
        var second = pbx.StartInternalCall(alice.Guid, bob.Guid);
        var truth = pbx.Truth.Calls;

        Assert.Equal((true, 2, 1), (pbx.Find(bob.Guid)!.Registered, pbx.Find(bob.Guid)!.Channel, pbx.Find(bob.Guid)!.Alert));
        Assert.Equal((1, 0), (pbx.Find(alice.Guid)!.Channel, pbx.Find(alice.Guid)!.Alert));
        Assert.Equal(
            [
                new LegTruth(first.CallerLeg, "out", CallPhase.Held, true, "007114711", false, null, false, truth[bob.Guid][0].StartedAt),
                new LegTruth(second.CalleeLeg, "in", CallPhase.Ringing, false, Shown(alice), true, null, false, truth[bob.Guid][1].StartedAt),
            ],
            truth[bob.Guid]);
        Assert.Equal(new LegTruth(second.CallerLeg, "out", CallPhase.Ringing, false, Shown(bob), true, null, false, truth[alice.Guid][0].StartedAt), truth[alice.Guid][0]);
        Assert.False(truth.ContainsKey(carol.Guid));
        Assert.False(truth.ContainsKey(SimulatedPbx.TrunkGuid));
    }

    [Fact]
    public void An_internal_peer_without_a_display_name_is_shown_by_cn()
    {
        var pbx = Create(users: 2);
        var nameless = pbx.Users[0] with { Dn = "" };
        pbx.Upsert(nameless);

        var call = pbx.StartInternalCall(nameless.Guid, pbx.Users[1].Guid);

        Assert.Equal(nameless.Cn, pbx.Truth.Calls[pbx.Users[1].Guid].Single(leg => leg.Call == call.CalleeLeg).Peer);
    }

    [Fact]
    public void Hanging_up_ends_the_call_for_both_sides_and_the_lamps_go_back()
    {
        var pbx = Create(users: 2);
        var (alice, bob) = (pbx.Users[0], pbx.Users[1]);
        var call = pbx.StartInternalCall(alice.Guid, bob.Guid);

        Assert.True(pbx.HangUp(call.CalleeLeg));

        Assert.Empty(pbx.Truth.Calls);
        Assert.Equal(0, pbx.LegCount);
        Assert.All(pbx.Users, user => Assert.Equal((0, 0), (user.Channel, user.Alert)));
        Assert.False(pbx.HangUp(call.CallerLeg));
        Assert.False(pbx.Answer(call.CallerLeg));
    }

    [Fact]
    public void A_removed_user_takes_their_calls_along()
    {
        var pbx = Create(users: 2);
        var (alice, bob) = (pbx.Users[0], pbx.Users[1]);
        pbx.StartInternalCall(alice.Guid, bob.Guid);

        pbx.Remove(bob.Guid);

        Assert.Empty(pbx.Truth.Calls);
        Assert.Equal(0, pbx.Find(alice.Guid)!.Channel);
        Assert.Throws<KeyNotFoundException>(() => pbx.StartInternalCall(alice.Guid, bob.Guid));
    }

    [Fact]
    public void A_lamp_of_a_user_in_a_call_is_not_moved_without_the_call()
    {
        var pbx = Create(users: 2);
        var (alice, bob) = (pbx.Users[0], pbx.Users[1]);
        pbx.StartInternalCall(alice.Guid, bob.Guid);

        Assert.False(pbx.TryChange(bob.Guid, user => user with { Alert = 0, Channel = 0 }, out _));
        Assert.Equal(1, pbx.Find(bob.Guid)!.Alert);
    }

    [Fact]
    public void Variants_with_an_undefined_value_are_refused_at_start_and_at_run_time()
    {
        var pbx = Create(users: 1);
        var options = new SimulatorOptions { Variants = new ProtocolVariants { EndForm = (CallEndForm)9 } };

        var failure = new SimulatorOptionsValidation().Validate(null, options);

        Assert.True(failure.Failed);
        Assert.Contains("Simulator:Variants:EndForm", failure.FailureMessage, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => pbx.Variants = new ProtocolVariants { PbxApiRefused = (PbxApiRefusal)7 });
        pbx.Variants = new ProtocolVariants { PbxApiRefused = PbxApiRefusal.Error };
        Assert.Equal(PbxApiRefusal.Error, pbx.Variants.PbxApiRefused);
    }

    [Fact]
    public void The_scenario_plays_every_kind_of_call_and_presence_keeping_lamps_true_to_the_calls()
    {
        var (pbx, trace) = PlayScenario(seed: 3, steps: 4000);
        var seen = trace.SelectMany(step => step.Calls.Values.SelectMany(legs => legs)).ToList();

        Assert.Contains(seen, leg => leg.Phase == CallPhase.Ringing && leg.Direction == "in" && !leg.PeerInternal);
        Assert.Contains(seen, leg => leg.Direction == "out" && !leg.PeerInternal);
        Assert.Contains(seen, leg => leg.Direction == "in" && leg.PeerInternal);
        Assert.Contains(seen, leg => leg.Phase == CallPhase.Talking);
        Assert.Contains(seen, leg => leg.Phase == CallPhase.Held);
        Assert.Contains(seen, leg => leg.TransferredBy is not null && !leg.PickedUp);
        Assert.Contains(seen, leg => leg.PickedUp);
        Assert.Contains(trace, step => step.Presence.Values.Any(presence => presence is { Activity: "away", Note: "back at 14:00" }));
        Assert.Contains(trace, step => step.Presence.Values.Any(presence => presence.Activity == "dnd"));
        Assert.True(pbx.LegCount < 2 * pbx.Users.Count);
    }

    [Theory]
    [InlineData("007031123456", "+497031123456")]
    [InlineData("00041445556677", "+41445556677")]
    [InlineData("0815566", "+497031815566")]
    [InlineData("+4930123", "+4930123")]
    public void The_whole_pbx_feed_normalises_outside_numbers_in_the_pbxs_dialling_context(string number, string normalised) =>
        Assert.Equal(normalised, CallMessages.Normalized(number));

    [Fact]
    public void Variants_bind_from_the_command_line_keys()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(
            ["--Simulator:Variants:EndForm=Bool", "--Simulator:Variants:DeleteName=CallDelete", "--Simulator:Variants:SendTime=false",
             "--Simulator:Variants:PresenceOrder=Shuffled", "--Simulator:Variants:PickupConnected=true"]).Build();

        var options = configuration.GetSection(SimulatorOptions.SectionName).Get<SimulatorOptions>()!;

        Assert.Equal(
            new ProtocolVariants { EndForm = CallEndForm.Bool, DeleteName = CallDeleteName.CallDelete, SendTime = false, PresenceOrder = PresenceAnswerOrder.Shuffled, PickupConnected = true },
            options.Variants);
    }

    [Fact]
    public void A_paused_scenario_runs_no_step_until_resumed()
    {
        var pbx = Create(users: 1);
        var steps = 0;

        pbx.PauseScenario();
        var whilePaused = pbx.TryRunScenarioStep(() => steps++);
        pbx.ResumeScenario();
        var afterResume = pbx.TryRunScenarioStep(() => steps++);

        Assert.Equal((false, true, 1), (whilePaused, afterResume, steps));
    }

    [Fact]
    public void The_same_seed_plays_the_same_day()
    {
        static string Day(int seed) => string.Join("|", PlayScenario(seed, steps: 600).Trace.Select(step =>
            string.Join(";", step.Calls.OrderBy(pair => pair.Key).Select(pair => pair.Key + ":" + string.Join(",", pair.Value.Select(leg => $"{leg.Call}{leg.Phase}{leg.Peer}"))))
            + "/" + string.Join(";", step.Presence.OrderBy(pair => pair.Key).Select(pair => pair.Value.Activity))));

        Assert.Equal(Day(5), Day(5));
        Assert.NotEqual(Day(5), Day(6));
    }

    /// <summary>Runs the scenario's script on 40 idle users, checking after every step that each lamp counts the user's legs.</summary>
    private static (SimulatedPbx Pbx, List<PbxTruth> Trace) PlayScenario(int seed, int steps)
    {
        var pbx = Create(users: 40, seed);
        var script = new CallScript(pbx, new Random(seed), stepsPerSecond: 1.5, TimeSpan.FromSeconds(40), queueCallersPerMinute: 0);
        var trace = new List<PbxTruth>(steps);
        for (var step = 0; step < steps; step++)
        {
            script.Step();
            var truth = pbx.Truth;
            foreach (var user in pbx.Users)
            {
                var legs = truth.Calls.GetValueOrDefault(user.Guid) ?? [];
                Assert.Equal(legs.Count, user.Channel);
                Assert.Equal(legs.Count(leg => leg.Phase == CallPhase.Ringing && leg.Direction == "in"), user.Alert);
            }

            trace.Add(truth);
        }

        return (pbx, trace);
    }

    private static string Shown(SimulatedUser user) => user.Dn.Length > 0 ? user.Dn : user.Cn;

    /// <summary>A PBX of registered, idle users on a clock that stands still.</summary>
    private static SimulatedPbx Create(int users, int seed = 1)
    {
        var pbx = SimulatedPbxFactory.Create(new SimulatorOptions { Users = users, Seed = seed }, new FakeTimeProvider(), NullLogger<SimulatedPbx>.Instance);
        foreach (var user in pbx.Users)
        {
            pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 0);
        }

        return pbx;
    }
}
