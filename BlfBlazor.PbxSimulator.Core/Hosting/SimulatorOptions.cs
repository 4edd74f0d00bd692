using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Protocol;
using BlfBlazor.PbxSimulator.Core.Scenario;

namespace BlfBlazor.PbxSimulator.Core.Hosting;

/// <summary>Settings of the simulated PBX, bound from the configuration section "Simulator".</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>Name of the App object; an AppLogin for any other app is refused.</summary>
    public string App { get; set; } = "rcc";

    /// <summary>Password of the App object (the shared secret). Never logged.</summary>
    public string Secret { get; set; } = "pwd";

    /// <summary>Number of users generated at start.</summary>
    public int Users { get; set; } = 50;

    /// <summary>Scenario rate; 0 = no scenario activity at all.</summary>
    public double EventsPerSecond { get; set; } = 2;

    /// <summary>Users per tick of the initial list (the real PBX sends at most 50 per 20 ms).</summary>
    public int InitialBatchSize { get; set; } = 50;

    public TimeSpan InitialBatchInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Makes user names, states and the scenario deterministic when set.</summary>
    public int? Seed { get; set; }

    /// <summary>The simulator's choice for each unknown of the call and presence protocol (CALLS.md §6).</summary>
    public ProtocolVariants Variants { get; set; } = new();

    /// <summary>Mean time a scenario call is talked (drawn exponentially around it); ringing takes a few seconds.</summary>
    public TimeSpan MeanTalkTime { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>
    /// Whether the user list also holds the objects a real PBX lists beside its people: the waiting queues
    /// Reception and Support, the Trunk and the Boolean object NightMode. Null (the default): with the scenario, so the
    /// demo has them and a quiet test PBX (EventsPerSecond 0) has people only.
    /// </summary>
    public bool? Objects { get; set; }

    /// <summary>
    /// How many waiting queues the objects include: Reception and Support first, then "Queue 3" and on (served by
    /// Reception's and Support's agents in turn), for a benchmark's many queues. 0 = none.
    /// </summary>
    public int Queues { get; set; } = 2;

    /// <summary>Callers from outside reaching the waiting queues, per minute, all queues together (with the scenario and the objects); 0 = none.</summary>
    public double QueueCallersPerMinute { get; set; } = 6;

    /// <summary>How long a call rings at a user with a no-answer diversion (cfnr) before it goes on.</summary>
    public TimeSpan NoAnswerTime { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Whether the objects are in the user list: as set, else when the scenario plays.</summary>
    internal bool HasObjects => Objects ?? EventsPerSecond > 0;

    /// <summary>The sessions' part: the login check and the pace of the initial list.</summary>
    internal SessionSettings ForSessions() => new(App, Secret, InitialBatchSize, InitialBatchInterval);

    /// <summary>The scenario's part: its rate, seed and talk time.</summary>
    internal ScenarioSettings ForScenario() => new(EventsPerSecond, Seed, MeanTalkTime, QueueCallersPerMinute);

    internal void CopyTo(SimulatorOptions target)
    {
        target.App = App;
        target.Secret = Secret;
        target.Users = Users;
        target.EventsPerSecond = EventsPerSecond;
        target.InitialBatchSize = InitialBatchSize;
        target.InitialBatchInterval = InitialBatchInterval;
        target.Seed = Seed;
        target.Variants = Variants;
        target.MeanTalkTime = MeanTalkTime;
        target.Objects = Objects;
        target.NoAnswerTime = NoAnswerTime;
        target.QueueCallersPerMinute = QueueCallersPerMinute;
        target.Queues = Queues;
    }
}
