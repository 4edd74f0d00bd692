using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Scenario;

/// <summary>
/// A user's lamp from its record and back, and the mix a generated staff starts with: about 60 % idle,
/// 20 % busy, 5 % ringing and 15 % offline. The lamps only say what a board shows; the demo's scenario
/// puts calls behind the busy and ringing ones, and from then on a lamp follows its user's calls.
/// </summary>
internal static class LampTransitions
{
    public static Lamp LampOf(SimulatedUser user) =>
        user.Alert > 0 ? Lamp.Ringing
        : user.Channel > 0 ? Lamp.Busy
        : user.Registered ? Lamp.Idle
        : Lamp.Offline;

    public static SimulatedUser WithLamp(SimulatedUser user, Lamp lamp) => lamp switch
    {
        Lamp.Offline => user with { Registered = false, Channel = 0, Alert = 0 },
        Lamp.Idle => user with { Registered = true, Channel = 0, Alert = 0 },
        Lamp.Ringing => user with { Registered = true, Channel = 0, Alert = 1 },
        Lamp.Busy => user with { Registered = true, Channel = 1, Alert = 0 },
        _ => throw new ArgumentOutOfRangeException(nameof(lamp), lamp, "Unknown lamp."),
    };

    /// <summary>A start state drawn from the mix.</summary>
    public static Lamp Initial(Random random)
    {
        var draw = random.NextDouble();
        return draw switch
        {
            < 0.60 => Lamp.Idle,
            < 0.80 => Lamp.Busy,
            < 0.85 => Lamp.Ringing,
            _ => Lamp.Offline,
        };
    }
}
