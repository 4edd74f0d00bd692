using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Scenario;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Simulator;

[Trait("Category", "Unit")]
public class SimulatedPbxTests
{
    [Fact]
    public void Generates_a_believable_staff_list()
    {
        var pbx = Create(new SimulatorOptions { Users = 200, Seed = 11 });
        var users = pbx.Users;

        Assert.Equal(200, users.Count);
        Assert.All(users, user => Assert.Matches("^[0-9a-f]{32}$", user.Guid));
        Assert.Equal(Enumerable.Range(100, 200).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), users.Select(user => user.E164));
        Assert.Equal(200, users.Select(user => user.Guid).Distinct().Count());
        Assert.Equal(200, users.Select(user => user.Cn).Distinct().Count());
        Assert.Equal(200, users.Select(user => user.H323).Distinct().Count());
        Assert.All(users, user => Assert.Matches("^[a-z0-9]+$", user.H323));
        Assert.All(users, user => Assert.True(user.Dn.Length == 0 || user.Dn == user.Cn));
        Assert.Contains(users, user => user.Dn.Length == 0);
        Assert.All(users, user => Assert.Equal(("root", "master"), (user.Node, user.Pbx)));
        Assert.Contains(users, user => !user.Registered);
        Assert.Contains(users, user => user.Channel > 0);
        Assert.Contains(users, user => user.Alert > 0);
        Assert.Contains(users, user => user.Registered && user.Channel == 0 && user.Alert == 0);
    }

    [Fact]
    public void The_same_seed_gives_the_same_users()
    {
        var one = Create(new SimulatorOptions { Users = 50, Seed = 5 }).Users;
        var two = Create(new SimulatorOptions { Users = 50, Seed = 5 }).Users;
        var other = Create(new SimulatorOptions { Users = 50, Seed = 6 }).Users;

        Assert.Equal(one, two);
        Assert.NotEqual(one, other);
    }

    [Fact]
    public void The_scenario_settles_at_the_intended_mix()
    {
        var random = new Random(42);
        var lamps = Enumerable.Range(0, 50).Select(_ => LampTransitions.Initial(random)).ToArray();
        var totals = new Dictionary<Lamp, long>();

        for (var step = 0; step < 400_000; step++)
        {
            var pick = random.Next(lamps.Length);
            lamps[pick] = LampTransitions.Next(lamps[pick], random) ?? lamps[pick];
            if (step % 20 != 0)
            {
                continue;
            }

            foreach (var lamp in lamps)
            {
                totals[lamp] = totals.GetValueOrDefault(lamp) + 1;
            }
        }

        var all = (double)totals.Values.Sum();
        Assert.InRange(totals[Lamp.Idle] / all, 0.55, 0.65);
        Assert.InRange(totals[Lamp.Busy] / all, 0.16, 0.24);
        Assert.InRange(totals[Lamp.Ringing] / all, 0.03, 0.07);
        Assert.InRange(totals[Lamp.Offline] / all, 0.11, 0.19);
    }

    [Theory]
    [InlineData("Offline", "Idle")]
    [InlineData("Idle", "Ringing,Busy,Offline")]
    [InlineData("Ringing", "Busy,Idle")]
    [InlineData("Busy", "Idle")]
    public void The_scenario_only_makes_plausible_moves(string fromLamp, string allowedLamps)
    {
        var from = Enum.Parse<Lamp>(fromLamp);
        var allowed = allowedLamps.Split(',').Select(Enum.Parse<Lamp>);
        var random = new Random(1);
        var seen = new HashSet<Lamp>();
        for (var i = 0; i < 10_000; i++)
        {
            if (LampTransitions.Next(from, random) is { } next)
            {
                seen.Add(next);
            }
        }

        Assert.Equal(allowed.Order(), seen.Order());
    }

    [Fact]
    public void Upsert_SetLamp_and_Remove_change_the_truth()
    {
        var pbx = Create(new SimulatorOptions { Users = 3, Seed = 1 });
        var first = pbx.Users[0];
        var added = first with { Guid = "ffffffffffffffffffffffffffffffff", E164 = "900" };

        pbx.Upsert(added);
        var ringing = pbx.SetLamp(first.Guid, registered: true, channel: 0, alert: 2);

        Assert.Equal(added, pbx.Users[^1]);
        Assert.Equal(ringing, pbx.Users[0]);
        Assert.Equal(2, pbx.Find(first.Guid)!.Alert);
        Assert.True(pbx.Remove(first.Guid));
        Assert.False(pbx.Remove(first.Guid));
        Assert.Null(pbx.Find(first.Guid));
        Assert.Throws<KeyNotFoundException>(() => pbx.SetLamp(first.Guid, registered: true, channel: 0, alert: 0));
        Assert.Equal(3, pbx.Users.Count);
    }

    private static SimulatedPbx Create(SimulatorOptions options) =>
        SimulatedPbxFactory.Create(options, new FakeTimeProvider(), NullLogger<SimulatedPbx>.Instance);
}
