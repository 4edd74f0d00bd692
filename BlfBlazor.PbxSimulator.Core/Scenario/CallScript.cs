using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Scenario;

/// <summary>
/// The demo's office day, one event per step: calls from outside, between colleagues and to outside
/// ring for a few seconds (where the callee's forwarding sends them), are answered (or given up, picked
/// up by a colleague, or left to ring on to the no-answer destination), talked for a drawn holding time,
/// sometimes held, sometimes transferred (blind or attended), and hung up; people set and clear presence
/// and forwarding; queue agents log in and out; phones register and unregister. Callers from outside reach
/// the waiting queues at <c>queueCallersPerMinute</c>, wait, ring at the agents and are answered, taken by a
/// colleague or give up. Every busy or ringing lamp is a call: the opening puts calls behind the lamps the
/// staff started with. Time is counted in steps (a step is 1/EventsPerSecond), so a seeded script repeats
/// exactly. The other objects (trunk, Boolean) are left alone.
/// </summary>
internal sealed class CallScript(SimulatedPbx pbx, Random random, double stepsPerSecond, TimeSpan meanTalkTime, double queueCallersPerMinute)
{
    // At most this many callers wait at a queue; one drawn beyond it stays away, so a card without agents stays readable.
    private const int MostWaiting = 6;

    // At most this share of people in calls; beyond it the script changes presence or forwarding instead.
    private const double BusiestShare = 0.3;

    // At most this share of people with a forwarding; beyond it the script clears one instead.
    private const double MostForwardedShare = 0.15;

    // Mobile numbers people forward to, as dialled from the office (trunk digit 0).
    private static readonly string[] s_mobileNumbers = ["001711234567", "001529876543", "001605551234"];

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

    /// <summary>
    /// The start of the day: the people whose lamps show busy or ringing get the calls behind them, and a few
    /// have a forwarding: always to a colleague, always to a mobile, on no answer to a colleague, and one
    /// that applies only while the Boolean object NightMode is on.
    /// </summary>
    public void Open()
    {
        var people = People();
        var inCall = people.Where(user => LampTransitions.LampOf(user) is Lamp.Busy or Lamp.Ringing).ToList();
        foreach (var user in inCall)
        {
            pbx.TryChange(user.Guid, idle => LampTransitions.WithLamp(idle, Lamp.Idle), out _);
        }

        var forwarders = people.Except(inCall).OrderBy(_ => random.Next()).Take(4).ToList();
        var opening = new Func<SimulatedUser, Diversion>[]
        {
            user => new Diversion(DiversionType.Cfu, H323: Colleague(people, user).H323),
            _ => new Diversion(DiversionType.Cfu, E164: s_mobileNumbers[random.Next(s_mobileNumbers.Length)]),
            user => new Diversion(DiversionType.Cfnr, E164: Colleague(people, user).E164),
            user => new Diversion(DiversionType.Cfu, H323: Colleague(people, user).H323, Bool: UserGenerator.NightMode),
        };
        foreach (var (user, diversion) in forwarders.Zip(opening))
        {
            pbx.SetDiversions(user.Guid, [diversion(user)]);
        }

        ScheduleQueueCaller();
        foreach (var user in inCall)
        {
            if (user.Alert > 0)
            {
                var ringing = pbx.StartIncomingExternalCall(user.Guid, OutsideNumber());
                Ringing(new ScriptedCall(ringing.CallerLeg, ringing.CalleeLeg, ringing.CalleeGuid), pickable: true);
            }
            else
            {
                var talking = pbx.StartOutgoingExternalCall(user.Guid, OutsideNumber());
                Talk(new ScriptedCall(talking.CalleeLeg, talking.CallerLeg, user.Guid));
            }
        }
    }

    /// <summary>One event: the earliest due step of a running call, else a new call, a presence, forwarding, queue login or registration change.</summary>
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

        if (draw < 0.8)
        {
            ChangePresence();
        }
        else if (draw < 0.88)
        {
            ChangeForwarding();
        }
        else if (draw < 0.9)
        {
            ChangeQueueLogin();
        }
        else
        {
            ChangeRegistration();
        }
    }

    private bool StartCall()
    {
        var people = People();
        var free = people.Where(user => LampTransitions.LampOf(user) == Lamp.Idle).ToList();
        if (free.Count < 2 || people.Count(user => user.Channel > 0 || user.Alert > 0) > people.Count * BusiestShare)
        {
            return false;
        }

        var callee = free[random.Next(free.Count)];
        var kind = random.NextDouble();
        if (kind < 0.45)
        {
            var started = pbx.StartIncomingExternalCall(callee.Guid, OutsideNumber());
            Ringing(new ScriptedCall(started.CallerLeg, started.CalleeLeg, started.CalleeGuid), pickable: true);
        }
        else if (kind < 0.8)
        {
            var caller = free.Where(user => user.Guid != callee.Guid).ElementAt(random.Next(free.Count - 1));
            var started = pbx.StartInternalCall(caller.Guid, callee.Guid);
            Ringing(new ScriptedCall(started.CallerLeg, started.CalleeLeg, started.CalleeGuid), pickable: true);
        }
        else
        {
            var started = pbx.StartOutgoingExternalCall(callee.Guid, OutsideNumber());
            Ringing(new ScriptedCall(started.CalleeLeg, started.CallerLeg, callee.Guid), pickable: false);
        }

        return true;
    }

    /// <summary>
    /// The call rings a few seconds, then is given up, picked up or answered; at someone with a no-answer
    /// forwarding it mostly rings on until the PBX sends it to the destination, which answers. A call the
    /// PBX refused (do-not-disturb) is over already.
    /// </summary>
    private void Ringing(ScriptedCall call, bool pickable)
    {
        if (call.UserLeg == 0)
        {
            return;
        }

        if (call.UserGuid is { } guid && pbx.Find(guid) is { } callee && SimulatedPbx.ActiveDiversion(callee, DiversionType.Cfnr) is not null
            && random.NextDouble() < 0.7)
        {
            // The leg that will ring is not known yet: answer through the caller's side, and play no twists.
            call.UserGuid = null;
            After(pbx.NoAnswerTime.TotalSeconds + Seconds(3, 8), () => Talk(call));
            return;
        }

        After(Seconds(3, 12), () =>
        {
            var fate = random.NextDouble();
            if (fate < 0.1)
            {
                pbx.HangUp(call.Survivor);
            }
            else if (fate < 0.2 && pickable && call.UserGuid is { } ringingAt && FreeUser(except: ringingAt) is { } picker
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
        // Through the caller's side, which every leg of the call answers (already connected when a pickup arrives connected).
        pbx.Answer(call.Survivor);
        var talk = -Math.Log(1 - random.NextDouble()) * meanTalkTime.TotalSeconds + 5;
        var twist = call.UserGuid is null ? 1 : random.NextDouble();
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
        if (FreeUser(except: call.UserGuid!) is not { } target || pbx.TransferBlind(call.UserLeg, target.Guid) is not { } redirected)
        {
            return;
        }

        call.UserLeg = redirected;
        call.UserGuid = target.Guid;
        After(Seconds(2, 6), () => pbx.Answer(redirected));
    }

    /// <summary>Holds the caller, calls a colleague (whose forwarding may send it elsewhere) and joins them when answered.</summary>
    private void TransferAttended(ScriptedCall call)
    {
        if (FreeUser(except: call.UserGuid!) is not { } target || !pbx.Hold(call.UserLeg))
        {
            return;
        }

        var consult = pbx.StartInternalCall(call.UserGuid!, target.Guid);
        After(Seconds(2, 5), () => pbx.Answer(consult.CallerLeg));
        After(Seconds(8, 15), () =>
        {
            if (pbx.TransferAttended(call.UserLeg, consult.CallerLeg))
            {
                call.UserLeg = consult.CalleeLeg;
                call.UserGuid = consult.CalleeGuid;
            }
            else
            {
                pbx.HangUp(consult.CallerLeg);
                pbx.Retrieve(call.UserLeg);
            }
        });
    }

    /// <summary>The next caller reaches a queue after a drawn interval (callers arrive at random, at the rate set).</summary>
    private void ScheduleQueueCaller()
    {
        if (queueCallersPerMinute > 0)
        {
            After(-Math.Log(1 - random.NextDouble()) * 60 / queueCallersPerMinute, QueueCallerArrives);
        }
    }

    /// <summary>A caller from outside calls one of the queues (unless its line is full) and gives up if nobody answers in time.</summary>
    private void QueueCallerArrives()
    {
        ScheduleQueueCaller();
        var queues = pbx.Queues.Where(queue => queue.Waiting.Count < MostWaiting).ToList();
        if (queues.Count == 0)
        {
            return;
        }

        var started = pbx.StartQueueCall(queues[random.Next(queues.Count)].Guid, OutsideNumber());
        After(Seconds(40, 150), () => pbx.AbandonQueueCall(started.CalleeLeg));
        After(Seconds(3, 10), () => AnswerWhenRinging(started));
    }

    /// <summary>
    /// Once the caller rings at agents, the first agent answers or (now and then) a free colleague takes the caller
    /// from the queue, and they talk; while the caller still waits in line, look again a little later.
    /// </summary>
    private void AnswerWhenRinging(StartedCall started)
    {
        var waiting = pbx.Queues.SelectMany(queue => queue.Waiting).FirstOrDefault(caller => caller.Call == started.CalleeLeg);
        if (waiting is null)
        {
            return;
        }

        if (!waiting.RingingAtAgents)
        {
            After(Seconds(2, 6), () => AnswerWhenRinging(started));
            return;
        }

        var taken = random.NextDouble() < 0.15 && FreeUser(except: "") is { } picker ? pbx.Pickup(picker.Guid, started.CalleeLeg) : pbx.AnswerQueueCall(started.CalleeLeg);
        if (taken is { } leg)
        {
            // The user now on the call: the agent who answered, or the colleague who took it.
            var user = pbx.Truth.Calls.FirstOrDefault(owner => owner.Value.Any(each => each.Call == leg)).Key;
            Talk(new ScriptedCall(started.CallerLeg, leg, user));
        }
    }

    private void ChangePresence()
    {
        var people = People();
        if (people.Count == 0)
        {
            return;
        }

        var (activity, note) = s_presences[random.Next(s_presences.Length)];
        pbx.SetPresence(people[random.Next(people.Count)].Guid, activity, note);
    }

    /// <summary>Someone clears a forwarding, or sets one: always or when busy to a colleague, always to a mobile, on no answer to a colleague.</summary>
    private void ChangeForwarding()
    {
        var people = People();
        if (people.Count < 2)
        {
            return;
        }

        var forwarded = people.Where(user => user.Diversions.Count > 0).ToList();
        if (forwarded.Count > 0 && (random.NextDouble() < 0.5 || forwarded.Count >= people.Count * MostForwardedShare))
        {
            pbx.ClearDiversions(forwarded[random.Next(forwarded.Count)].Guid);
            return;
        }

        var user = people[random.Next(people.Count)];
        var colleague = Colleague(people, user);
        Diversion diversion = random.Next(4) switch
        {
            0 => new(DiversionType.Cfu, H323: colleague.H323),
            1 => new(DiversionType.Cfu, E164: s_mobileNumbers[random.Next(s_mobileNumbers.Length)]),
            2 => new(DiversionType.Cfnr, E164: colleague.E164),
            _ => new(DiversionType.Cfb, H323: colleague.H323),
        };
        pbx.SetDiversions(user.Guid, [diversion]);
    }

    /// <summary>A member of the queue's group logs in or out of it (its dynamic membership flips).</summary>
    private void ChangeQueueLogin()
    {
        var agents = People().Where(user => user.Groups.Any(group => group.Dyn is not null)).ToList();
        if (agents.Count == 0)
        {
            return;
        }

        var agent = agents[random.Next(agents.Count)];
        pbx.SetGroups(agent.Guid, [.. agent.Groups.Select(group => group.Dyn is null ? group : group with { Dyn = group.Dyn == "in" ? "out" : "in" })]);
    }

    /// <summary>A phone registers or unregisters (a user in a call keeps its phone: its lamp follows the call).</summary>
    private void ChangeRegistration()
    {
        var people = People();
        if (people.Count == 0)
        {
            return;
        }

        var draw = random.NextDouble();
        pbx.TryChange(people[random.Next(people.Count)].Guid, user => LampTransitions.LampOf(user) switch
        {
            Lamp.Offline => LampTransitions.WithLamp(user, Lamp.Idle),
            Lamp.Idle when draw < 0.2 => LampTransitions.WithLamp(user, Lamp.Offline),
            _ => null,
        }, out _);
    }

    private List<SimulatedUser> People() => [.. pbx.Users.Where(user => user.IsPerson)];

    /// <summary>Someone else from the staff.</summary>
    private SimulatedUser Colleague(List<SimulatedUser> people, SimulatedUser user)
    {
        var others = people.Where(other => other.Guid != user.Guid).ToList();
        return others.Count == 0 ? user : others[random.Next(others.Count)];
    }

    private SimulatedUser? FreeUser(string except)
    {
        var free = People().Where(user => LampTransitions.LampOf(user) == Lamp.Idle && user.Guid != except).ToList();
        return free.Count == 0 ? null : free[random.Next(free.Count)];
    }

    private string OutsideNumber() => s_outsideNumbers[random.Next(s_outsideNumbers.Length)];

    private double Seconds(int least, int most) => least + (random.NextDouble() * (most - least));

    private void After(double seconds, Action action) =>
        _agenda.Enqueue(action, (_step + Math.Max(1, (long)Math.Round(seconds * stepsPerSecond)), _scheduled++));

    /// <summary>
    /// A call the script plays: the leg that stays to the end (the outside party or the caller) and the user's
    /// leg, which transfers and pickups move. UserGuid null: the call rings outside, or at a leg the script does not know.
    /// </summary>
    private sealed class ScriptedCall(int survivor, int userLeg, string? userGuid)
    {
        public int Survivor { get; } = survivor;

        public int UserLeg { get; set; } = userLeg;

        public string? UserGuid { get; set; } = userGuid;
    }
}
