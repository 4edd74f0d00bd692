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
        var pbx = Create(new SimulatorOptions { Users = 200, Seed = 11, Objects = false });
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
        var one = Create(new SimulatorOptions { Users = 50, Seed = 5, Objects = false }).Users;
        var two = Create(new SimulatorOptions { Users = 50, Seed = 5, Objects = false }).Users;
        var other = Create(new SimulatorOptions { Users = 50, Seed = 6, Objects = false }).Users;

        Assert.Equal(one, two);
        Assert.NotEqual(one, other);
    }

    [Fact]
    public void With_objects_the_queues_the_trunk_and_the_Boolean_object_follow_the_people_and_three_people_serve_each_queue()
    {
        var users = Create(new SimulatorOptions { Users = 120, Seed = 3, Objects = true }).Users;

        Assert.Equal(124, users.Count);
        Assert.All(users.Take(120), user => Assert.True(user.IsPerson));
        Assert.Equal(
            [
                (UserGenerator.ReceptionGuid, "Reception", "reception", "300", "waiting"),
                (UserGenerator.SupportGuid, "Support", "support", "301", "waiting"),
                (SimulatedPbx.TrunkGuid, "Trunk", "trunk", "0", "trunk"),
                (UserGenerator.NightModeGuid, "NightMode", UserGenerator.NightMode, "", "bool"),
            ],
            users.Skip(120).Select(user => (user.Guid, user.Cn, user.H323, user.E164, user.Pseudo)));
        Assert.All(users.Skip(120), user => Assert.False(user.IsPerson || user.Registered));
        Assert.Equal(
            [(UserGenerator.ReceptionAgents, "active", "in"), (UserGenerator.ReceptionAgents, "active", "in"), (UserGenerator.ReceptionAgents, "active", "out")],
            users.Take(3).Select(user => Assert.Single(user.Groups)).Select(group => (group.Name, group.Mode, group.Dyn)));
        Assert.Equal(
            [(UserGenerator.SupportAgents, "active", "in"), (UserGenerator.SupportAgents, "active", "in"), (UserGenerator.SupportAgents, "active", "out")],
            users.Skip(4).Take(3).Select(user => Assert.Single(user.Groups)).Select(group => (group.Name, group.Mode, group.Dyn)));
        Assert.Empty(users[3].Groups);
        Assert.All(users.Skip(7), user => Assert.Empty(user.Groups));
        Assert.Equal([UserGenerator.ReceptionAgents, UserGenerator.SupportAgents, null, null], users.Skip(120).Select(user => user.AgentGroup));
    }

    [Theory]
    [InlineData(0, null, 5)]
    [InlineData(2, null, 9)]
    [InlineData(0, true, 9)]
    [InlineData(2, false, 5)]
    public void Objects_come_with_the_scenario_unless_set(double eventsPerSecond, bool? objects, int count)
    {
        var users = Create(new SimulatorOptions { Users = 5, Seed = 3, EventsPerSecond = eventsPerSecond, Objects = objects }).Users;

        Assert.Equal(count, users.Count);
    }

    [Fact]
    public void Upsert_SetLamp_and_Remove_change_the_truth()
    {
        var pbx = Create(new SimulatorOptions { Users = 3, Seed = 1, Objects = false });
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
