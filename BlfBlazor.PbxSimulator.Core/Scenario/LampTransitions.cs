using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Scenario;

/// <summary>
/// The plausible moves of one user's lamp. The per-pick probabilities are chosen so that a board
/// settles at about 60 % idle, 20 % busy, 5 % ringing and 15 % offline (the stationary mix of
/// this chain), which is also the mix users start with.
/// </summary>
internal static class LampTransitions
{
    // Balance: idle * 1/12 = ringing * 1; idle * 13/120 + ringing * 0.7 = busy * 0.5;
    // idle * 0.05 = offline * 0.2  =>  (idle, busy, ringing, offline) = (0.60, 0.20, 0.05, 0.15).
    private const double OfflineToIdle = 0.2;
    private const double IdleToRinging = 1.0 / 12;
    private const double IdleToBusy = 13.0 / 120;
    private const double IdleToOffline = 0.05;
    private const double RingingAnswered = 0.7;
    private const double BusyToIdle = 0.5;

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

    /// <summary>A start state drawn from the target mix.</summary>
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

    /// <summary>The lamp after one pick, or null when the user stays as it is.</summary>
    public static Lamp? Next(Lamp current, Random random)
    {
        var draw = random.NextDouble();
        return current switch
        {
            Lamp.Offline => draw < OfflineToIdle ? Lamp.Idle : null,                 // registers
            Lamp.Idle => draw switch
            {
                < IdleToRinging => Lamp.Ringing,                                       // a call comes in
                < IdleToRinging + IdleToBusy => Lamp.Busy,                             // dials out
                < IdleToRinging + IdleToBusy + IdleToOffline => Lamp.Offline,          // unregisters (rare)
                _ => null,
            },
            Lamp.Ringing => draw < RingingAnswered ? Lamp.Busy : Lamp.Idle,            // answered, or the caller gave up
            Lamp.Busy => draw < BusyToIdle ? Lamp.Idle : null,                         // hangs up
            _ => null,
        };
    }

    /// <summary>The user after one pick, or null when it stays as it is.</summary>
    public static SimulatedUser? Next(SimulatedUser user, Random random) =>
        Next(LampOf(user), random) is { } next ? WithLamp(user, next) : null;
}
