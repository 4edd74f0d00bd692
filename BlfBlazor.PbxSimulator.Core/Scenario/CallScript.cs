using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Scenario;

/// <summary>
/// The demo's office day, one event per step: calls from outside, between colleagues and to outside
/// ring for a few seconds, are answered (or given up, or picked up by a colleague), talked for a
/// drawn holding time, sometimes held, sometimes transferred (blind or attended), and hung up; people
/// set and clear presence; phones register and unregister. Time is counted in steps (a step is
/// 1/EventsPerSecond), so a seeded script repeats exactly.
/// </summary>
internal sealed class CallScript(SimulatedPbx pbx, Random random, double stepsPerSecond, TimeSpan meanTalkTime)
{
    // At most this share of users in calls; beyond it the script changes presence or lamps instead.
    private const double BusiestShare = 0.3;

    // As the PBX reports them: the trunk digit 0 first (mobiles, other towns, abroad, the own town).
    private static readonly string[] s_outsideNumbers =
    [
        "001712345678", "007031123456", "007114711", "008912345678", "003055512345", "00041445556677", "001601234567", "0815566",
    ];

    private static readonly (string Activity, string Note)[] s_presences =
    [
        ("away", "back at 14:00"), ("dnd", "in a meeting"), ("busy", ""), ("lunch", "back at 13:30"),
        ("away", ""), ("vacation", "until Monday"), ("", ""), ("", ""), ("", ""),
    ];

    private readonly PriorityQueue<Action, (long Due, long Order)> _agenda = new();
    private long _step;
    private long _scheduled;

    /// <summary>One event: the earliest due step of a running call, else a new call, a presence change or a lamp change.</summary>
    public void Step()
    {
        _step++;
        if (_agenda.TryPeek(out _, out var next) && next.Due <= _step)
        {
            _agenda.Dequeue()();
            return;
        }

        var draw = random.NextDouble();
        if (draw < 0.6 && StartCall())
        {
            return;
        }

        if (draw < 0.85)
        {
            ChangePresence();
            return;
        }

        ChangeLamp();
    }

    private bool StartCall()
    {
        var users = pbx.Users;
        var free = users.Where(user => LampTransitions.LampOf(user) == Lamp.Idle).ToList();
        if (free.Count < 2 || users.Count(user => user.Channel > 0 || user.Alert > 0) > users.Count * BusiestShare)
        {
            return false;
        }

        var callee = free[random.Next(free.Count)];
        var kind = random.NextDouble();
        if (kind < 0.45)
        {
            var started = pbx.StartIncomingExternalCall(callee.Guid, OutsideNumber());
            Ringing(new ScriptedCall(started.CallerLeg, started.CalleeLeg, callee.Guid), pickable: true);
        }
        else if (kind < 0.8)
        {
            var caller = free.Where(user => user.Guid != callee.Guid).ElementAt(random.Next(free.Count - 1));
            var started = pbx.StartInternalCall(caller.Guid, callee.Guid);
            Ringing(new ScriptedCall(started.CallerLeg, started.CalleeLeg, callee.Guid), pickable: true);
        }
        else
        {
            var started = pbx.StartOutgoingExternalCall(callee.Guid, OutsideNumber());
            Ringing(new ScriptedCall(started.CalleeLeg, started.CallerLeg, callee.Guid), pickable: false);
        }

        return true;
    }

    private void Ringing(ScriptedCall call, bool pickable)
    {
        After(Seconds(3, 12), () =>
        {
            var fate = random.NextDouble();
            if (fate < 0.1)
            {
                pbx.HangUp(call.Survivor);
            }
            else if (fate < 0.2 && pickable && FreeUser(except: call.UserGuid) is { } picker
                && pbx.Pickup(picker.Guid, call.UserLeg) is { } picked)
            {
                call.UserLeg = picked;
                call.UserGuid = picker.Guid;
                After(Seconds(1, 3), () => Talk(call));
            }
            else
            {
                Talk(call);
            }
        });
    }

    /// <summary>Answers, then plays the conversation: maybe a hold, maybe a transfer, then a hang-up by either side.</summary>
    private void Talk(ScriptedCall call)
    {
        // Already connected when a pickup arrives connected (PickupConnected).
        pbx.Answer(call.UserLeg);
        var talk = -Math.Log(1 - random.NextDouble()) * meanTalkTime.TotalSeconds + 5;
        var twist = random.NextDouble();
        if (twist < 0.2)
        {
            After(talk * 0.3, () => pbx.Hold(call.UserLeg));
            After(talk * 0.6, () => pbx.Retrieve(call.UserLeg));
        }
        else if (twist < 0.32)
        {
            After(talk * 0.4, () => TransferBlind(call));
        }
        else if (twist < 0.42)
        {
            After(talk * 0.4, () => TransferAttended(call));
        }

        After(talk, () =>
        {
            if (!(random.NextDouble() < 0.5 && pbx.HangUp(call.UserLeg)))
            {
                pbx.HangUp(call.Survivor);
            }
        });
    }

    private void TransferBlind(ScriptedCall call)
    {
        if (FreeUser(except: call.UserGuid) is not { } target || pbx.TransferBlind(call.UserLeg, target.Guid) is not { } redirected)
        {
            return;
        }

        call.UserLeg = redirected;
        call.UserGuid = target.Guid;
        After(Seconds(2, 6), () => pbx.Answer(redirected));
    }

    private void TransferAttended(ScriptedCall call)
    {
        if (FreeUser(except: call.UserGuid) is not { } target || !pbx.Hold(call.UserLeg))
        {
            return;
        }

        var consult = pbx.StartInternalCall(call.UserGuid, target.Guid);
        After(Seconds(2, 5), () => pbx.Answer(consult.CalleeLeg));
        After(Seconds(8, 15), () =>
        {
            if (pbx.TransferAttended(call.UserLeg, consult.CallerLeg))
            {
                call.UserLeg = consult.CalleeLeg;
                call.UserGuid = target.Guid;
            }
            else
            {
                pbx.HangUp(consult.CallerLeg);
                pbx.Retrieve(call.UserLeg);
            }
        });
    }

    private void ChangePresence()
    {
        var users = pbx.Users;
        if (users.Count == 0)
        {
            return;
        }

        var (activity, note) = s_presences[random.Next(s_presences.Length)];
        pbx.SetPresence(users[random.Next(users.Count)].Guid, activity, note);
    }

    /// <summary>A phone registers or unregisters, or a lamp without call detail (from the start) clears.</summary>
    private void ChangeLamp()
    {
        var users = pbx.Users;
        if (users.Count == 0)
        {
            return;
        }

        var draw = random.NextDouble();
        pbx.TryChange(users[random.Next(users.Count)].Guid, user => LampTransitions.LampOf(user) switch
        {
            Lamp.Offline => LampTransitions.WithLamp(user, Lamp.Idle),
            Lamp.Busy or Lamp.Ringing => LampTransitions.WithLamp(user, Lamp.Idle),
            Lamp.Idle when draw < 0.2 => LampTransitions.WithLamp(user, Lamp.Offline),
            _ => null,
        }, out _);
    }

    private SimulatedUser? FreeUser(string except)
    {
        var free = pbx.Users.Where(user => LampTransitions.LampOf(user) == Lamp.Idle && user.Guid != except).ToList();
        return free.Count == 0 ? null : free[random.Next(free.Count)];
    }

    private string OutsideNumber() => s_outsideNumbers[random.Next(s_outsideNumbers.Length)];

    private double Seconds(int least, int most) => least + (random.NextDouble() * (most - least));

    private void After(double seconds, Action action) =>
        _agenda.Enqueue(action, (_step + Math.Max(1, (long)Math.Round(seconds * stepsPerSecond)), _scheduled++));

    /// <summary>A call the script plays: the leg that stays to the end (the outside party or the caller) and the user's leg, which transfers and pickups move.</summary>
    private sealed class ScriptedCall(int survivor, int userLeg, string userGuid)
    {
        public int Survivor { get; } = survivor;

        public int UserLeg { get; set; } = userLeg;

        public string UserGuid { get; set; } = userGuid;
    }
}
