using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Scenario;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Simulator;

/// <summary>
/// The waiting queues without a socket (PBXAPIS.md §5): callers in line one at a time, longest first; agents
/// logging in, rejecting; a colleague dialling the queue; the queue truth on the PBX's clock. Cast: users[0..3]
/// Olivia, Alice, Bob, Carol; Alice and Bob are Reception's agents, logged in.
/// </summary>
[Trait("Category", "Unit")]
public class SimulatedQueueModelTests
{
    private const string First = "07031111111";
    private const string Second = "07031222222";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Callers_ring_at_the_agents_one_at_a_time_longest_waiting_first_and_the_next_rings_once_one_is_answered()
    {
        var (pbx, alice, bob) = Create();

        var first = pbx.StartQueueCall(UserGenerator.ReceptionGuid, First);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var second = pbx.StartQueueCall(UserGenerator.ReceptionGuid, Second);

        var reception = Reception(pbx);
        Assert.Equal(
            [(first.CalleeLeg, First, _clock.GetUtcNow().AddSeconds(-5), true), (second.CalleeLeg, Second, _clock.GetUtcNow(), false)],
            reception.Waiting.Select(caller => (caller.Call, caller.Caller, caller.Since, caller.RingingAtAgents)));
        Assert.All([alice, bob], agent => Assert.Equal((1, 1), Lamp(pbx, agent)));
        Assert.Equal((2, 2), Lamp(pbx, UserGenerator.ReceptionGuid));

        var answering = pbx.AnswerQueueCall(first.CalleeLeg, bob);

        Assert.NotNull(answering);
        Assert.Equal([(second.CalleeLeg, true)], Reception(pbx).Waiting.Select(caller => (caller.Call, caller.RingingAtAgents)));
        Assert.Equal((1, 2), Lamp(pbx, bob));
        Assert.Equal((1, 1), Lamp(pbx, alice));
        Assert.Equal((1, 1), Lamp(pbx, UserGenerator.ReceptionGuid));
        Assert.Null(pbx.AnswerQueueCall(first.CalleeLeg));
        Assert.Equal((2, 1, 0), (Reception(pbx).Offered, Reception(pbx).Answered, Reception(pbx).Abandoned));
    }

    [Fact]
    public void Without_an_agent_logged_in_the_caller_waits_and_rings_once_one_logs_in()
    {
        var (pbx, alice, bob) = Create();
        pbx.SetGroups(alice, [new GroupMembership(UserGenerator.ReceptionAgents, Dyn: "out")]);
        pbx.SetGroups(bob, [new GroupMembership(UserGenerator.ReceptionAgents, Mode: "inactive", Dyn: "in")]);

        var call = pbx.StartQueueCall(UserGenerator.ReceptionGuid, First);

        Assert.False(Assert.Single(Reception(pbx).Waiting).RingingAtAgents);
        Assert.Equal((0, 0), Lamp(pbx, alice));

        pbx.SetGroups(alice, [new GroupMembership(UserGenerator.ReceptionAgents)]);

        Assert.True(Assert.Single(Reception(pbx).Waiting).RingingAtAgents);
        Assert.Equal((1, 1), Lamp(pbx, alice));
        Assert.Equal((0, 0), Lamp(pbx, bob));
        Assert.True(pbx.Answer(pbx.Truth.Calls[alice].Single().Call));
        Assert.Empty(Reception(pbx).Waiting);
        Assert.False(pbx.AbandonQueueCall(call.CalleeLeg));
    }

    [Fact]
    public void An_agent_hanging_up_a_ring_rejects_it_alone_and_the_queues_own_leg_cannot_be_answered()
    {
        var (pbx, alice, bob) = Create();
        var call = pbx.StartQueueCall(UserGenerator.ReceptionGuid, First);

        Assert.False(pbx.Answer(call.CalleeLeg));
        Assert.False(pbx.Answer(call.CallerLeg));
        Assert.True(pbx.HangUp(pbx.Truth.Calls[alice].Single().Call));

        Assert.Equal((0, 0), Lamp(pbx, alice));
        Assert.Equal((1, 1), Lamp(pbx, bob));
        Assert.True(Assert.Single(Reception(pbx).Waiting).RingingAtAgents);
        Assert.Equal(0, Reception(pbx).Abandoned);
    }

    [Fact]
    public void A_colleague_dialling_the_queue_waits_like_an_outside_caller_and_a_caller_hanging_up_is_abandoned()
    {
        var (pbx, _, _) = Create();
        var carol = pbx.Users[3];

        var call = pbx.StartInternalCall(carol.Guid, UserGenerator.ReceptionGuid);

        Assert.Equal(UserGenerator.ReceptionGuid, call.CalleeGuid);
        Assert.Equal(carol.Cn, Assert.Single(Reception(pbx).Waiting).Caller);
        Assert.Equal(CallPhase.Ringing, Assert.Single(pbx.Truth.Calls[carol.Guid]).Phase);

        Assert.True(pbx.HangUp(call.CallerLeg));

        Assert.Empty(Reception(pbx).Waiting);
        Assert.Equal((1, 0, 1), (Reception(pbx).Offered, Reception(pbx).Answered, Reception(pbx).Abandoned));
        Assert.False(pbx.Truth.Calls.ContainsKey(UserGenerator.ReceptionGuid));
    }

    [Fact]
    public void Only_a_waiting_queue_takes_queue_calls_and_an_outside_call_to_one_waits_there()
    {
        var (pbx, alice, _) = Create();

        Assert.Throws<ArgumentException>(() => pbx.StartQueueCall(alice, First));
        Assert.Throws<KeyNotFoundException>(() => pbx.StartQueueCall("nobody", First));
        Assert.Equal(["Reception", "Support"], pbx.Queues.Select(queue => queue.Cn));
        Assert.Equal(UserGenerator.ReceptionGuid, pbx.StartIncomingExternalCall(UserGenerator.ReceptionGuid, First).CalleeGuid);
        Assert.Equal(First, Assert.Single(Reception(pbx).Waiting).Caller);
    }

    private static QueueTruth Reception(SimulatedPbx pbx) => pbx.Queues.Single(queue => queue.Guid == UserGenerator.ReceptionGuid);

    private static (int Alert, int Channel) Lamp(SimulatedPbx pbx, string guid) => (pbx.Find(guid)!.Alert, pbx.Find(guid)!.Channel);

    /// <summary>Four registered, idle people and the objects, on the fake clock; Alice and Bob Reception's only agents, logged in.</summary>
    private (SimulatedPbx Pbx, string Alice, string Bob) Create()
    {
        var pbx = SimulatedPbxFactory.Create(new SimulatorOptions { Users = 4, Seed = 7, Objects = true }, _clock, NullLogger<SimulatedPbx>.Instance);
        var people = pbx.Users.Where(user => user.IsPerson).ToList();
        foreach (var (user, index) in people.Select((user, index) => (user, index)))
        {
            pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 0);
            pbx.SetGroups(user.Guid, index is 1 or 2 ? [new GroupMembership(UserGenerator.ReceptionAgents, Dyn: "in")] : []);
        }

        return (pbx, people[1].Guid, people[2].Guid);
    }
}
