using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Scenario;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Simulator;

/// <summary>
/// The demo looks like a real PBX (issue 20): every busy or ringing lamp is a call a board can show, from the
/// start and through the day; the objects sit beside the people; a few people forward their calls, and the
/// forwarding changes and diverts calls as the day goes on; callers wait at the queues Reception and Support and
/// are answered, taken or give up (issue 22).
/// </summary>
[Trait("Category", "Integration")]
public class SimulatorDemoTests
{
    [Fact]
    public async Task The_demo_opens_with_a_call_behind_every_busy_or_ringing_lamp_the_objects_and_four_forwardings()
    {
        using var starting = new CancellationTokenSource(TestTimeouts.StartUp);
        await using var server = await SimulatorServer.StartAsync(
            new SimulatorOptions { Users = 40, EventsPerSecond = 1.5, Seed = 12 }, new FakeTimeProvider(), starting.Token);
        var pbx = server.Pbx;
        var people = pbx.Users.Where(user => user.IsPerson).ToList();

        AssertEveryLampIsACall(pbx);
        Assert.Contains(people, user => user.Channel > 0);
        Assert.Equal(["waiting", "waiting", "trunk", "bool"], pbx.Users.Where(user => !user.IsPerson).Select(user => user.Pseudo));
        var forwardings = people.SelectMany(user => user.Diversions).ToList();
        Assert.Equal(4, people.Count(user => user.Diversions.Count > 0));
        Assert.Contains(forwardings, entry => entry is { Type: DiversionType.Cfu, H323: not null, IsConditional: false });
        Assert.Contains(forwardings, entry => entry is { Type: DiversionType.Cfu, E164: ['0', '0', ..], IsConditional: false });
        Assert.Contains(forwardings, entry => entry is { Type: DiversionType.Cfnr, E164: not null, IsConditional: false });
        Assert.Contains(forwardings, entry => entry is { Type: DiversionType.Cfu, Bool: UserGenerator.NightMode });
    }

    [Fact]
    public void Through_the_day_every_busy_or_ringing_lamp_is_a_call_calls_are_diverted_as_the_forwarding_changes_and_queue_callers_come_and_go()
    {
        var clock = new FakeTimeProvider();
        var pbx = SimulatedPbxFactory.Create(new SimulatorOptions { Users = 40, Seed = 4, Objects = true }, clock, NullLogger<SimulatedPbx>.Instance);
        var diverted = new DivertedLegs();
        using var watching = pbx.Subscribe(diverted);
        var step = TimeSpan.FromSeconds(0.5);
        var script = new CallScript(pbx, new Random(4), stepsPerSecond: 1 / step.TotalSeconds, meanTalkTime: TimeSpan.FromSeconds(40), queueCallersPerMinute: 6);
        var forwardingsSeen = new HashSet<string>(StringComparer.Ordinal);

        script.Open();
        AssertEveryLampIsACall(pbx);
        for (var i = 0; i < 4000; i++)
        {
            clock.Advance(step);
            script.Step();
            AssertEveryLampIsACall(pbx);
            forwardingsSeen.UnionWith(pbx.Users.Where(user => user.Diversions.Count > 0).Select(user => user.Guid + string.Join(",", user.Diversions)));
        }

        Assert.True(forwardingsSeen.Count > 8, $"the forwarding changed only {forwardingsSeen.Count - 4} times");
        Assert.Contains("leg2", diverted.Types);
        Assert.All(pbx.Users.Where(user => !user.IsPerson && !user.IsQueue), user => Assert.False(pbx.Truth.Calls.ContainsKey(user.Guid)));
        Assert.Equal(["Reception", "Support"], pbx.Queues.Select(queue => queue.Cn));
        Assert.All(pbx.Queues, queue =>
        {
            Assert.True(queue.Answered > 0 && queue.Abandoned > 0, $"{queue.Cn}: {queue.Offered} offered, {queue.Answered} answered, {queue.Abandoned} abandoned");
            Assert.Equal(queue.Offered, queue.Answered + queue.Abandoned + queue.Overflowed + queue.Waiting.Count);
        });
        Assert.All(pbx.Users.Where(user => !user.IsPerson), user => Assert.Equal("", pbx.Truth.Presence[user.Guid].Activity));
    }

    /// <summary>Each user whose lamp shows busy or ringing has a call leg, and each ringing lamp a leg that rings at the phone.</summary>
    private static void AssertEveryLampIsACall(SimulatedPbx pbx)
    {
        var calls = pbx.Truth.Calls;
        foreach (var user in pbx.Users.Where(user => user.Channel > 0 || user.Alert > 0))
        {
            Assert.True(calls.TryGetValue(user.Guid, out var legs), $"{user.Cn} shows {user.Channel}/{user.Alert} without a call");
            Assert.Equal(user.Channel, legs.Count);
            Assert.Equal(user.Alert, legs.Count(leg => leg.Phase == CallPhase.Ringing && leg.Direction == "in"));
        }
    }

    /// <summary>The <c>no</c> entry types of every leg that appeared: a diverted call's leg names its diverter (leg2).</summary>
    private sealed class DivertedLegs : IPbxObserver
    {
        public HashSet<string> Types { get; } = new(StringComparer.Ordinal);

        public void UserChanged(SimulatedUser user)
        {
        }

        public void UserRemoved(string guid)
        {
        }

        public void PresenceChanged(SimulatedUser user, UserPresence presence)
        {
        }

        public void LegChanged(LegChange change)
        {
            if (change.Added)
            {
                Types.UnionWith(change.Leg.Related.Select(related => related.Type));
            }
        }
    }
}
