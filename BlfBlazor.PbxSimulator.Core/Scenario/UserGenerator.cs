using System.Globalization;
using System.Text;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Scenario;

/// <summary>
/// Makes a believable staff list: "Anna Berger" with login "aberger", extensions from 100 upward,
/// some users without a display name (so a client must fall back to cn) and a few non-ASCII names. On
/// request the objects a real PBX lists beside its people follow them (PBXAPIS.md §2, §9): the waiting
/// queues Reception and Support, served by the groups reception-agents and support-agents, the Trunk and
/// the Boolean object NightMode.
/// </summary>
/// <remarks>
/// The lamps people start with (some busy or ringing without a call) stand for calls up before a board
/// connected that the PBX does not replay; the demo's scenario turns them into real calls at its start.
/// </remarks>
internal static class UserGenerator
{
    /// <summary>The waiting queue's guid.</summary>
    public const string ReceptionGuid = "4ece4ece4ece4ece4ece4ece4ece4ece";

    /// <summary>The second waiting queue's guid.</summary>
    public const string SupportGuid = "5a9e5a9e5a9e5a9e5a9e5a9e5a9e5a9e";

    /// <summary>The group of the people who take the Support queue's calls.</summary>
    public const string SupportAgents = "support-agents";

    /// <summary>The Boolean object's guid.</summary>
    public const string NightModeGuid = "b001b001b001b001b001b001b001b001";

    /// <summary>The Boolean object's name, as a conditional diversion names it.</summary>
    public const string NightMode = "nightmode";

    /// <summary>The group of the people who take the Reception queue's calls.</summary>
    public const string ReceptionAgents = "reception-agents";

    /// <summary>The most waiting queues a PBX of the simulator has (a benchmark asks for 20).</summary>
    public const int MostQueues = 100;

    private const double ShareWithoutDisplayName = 0.1;

    private static readonly string[] s_firstNames =
    [
        "Anna", "Lukas", "Sophie", "Maximilian", "Marie", "Jonas", "Laura", "Felix", "Lena", "Paul",
        "Julia", "Tobias", "Sarah", "Florian", "Katharina", "Stefan", "Johanna", "Michael", "Elena", "Jürgen",
        "Zoë", "Thomas", "Nina", "Andreas", "Clara", "Markus", "Hannah", "Daniel", "Lea", "Sebastian",
        "Amelie", "Niklas", "Miriam", "Oliver", "Sabine", "Matthias", "Ines", "Patrick", "Carla", "Emre",
        "Aylin", "Luca", "Chiara", "Mateo", "Sofia", "Raphael", "Greta", "Jakob", "Helena", "David",
    ];

    private static readonly string[] s_lastNames =
    [
        "Berger", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
        "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
        "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Huber",
        "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Vogel",
        "Yılmaz", "Rossi", "García", "Novak", "Kowalski", "Jansen", "Dubois", "Larsen", "Costa", "Öztürk",
    ];

    /// <summary>
    /// The PBX's staff: <paramref name="count"/> users, the same ones for the same <paramref name="seed"/>; with
    /// <paramref name="objects"/> the queues, the trunk and the Boolean object after them, the first three
    /// people in Reception's group and the fifth to seventh in Support's (in each two logged in, one out).
    /// <paramref name="queues"/> beyond the two are "Queue 3" and on, served by Reception's and Support's agents in turn.
    /// </summary>
    public static List<SimulatedUser> Create(int count, int? seed, bool objects = false, int queues = 2)
    {
        var random = seed is { } fixedSeed ? new Random(fixedSeed) : new Random();
        var users = new List<SimulatedUser>(count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var logins = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < count; i++)
        {
            var (first, last) = PickName(random, names);
            var name = $"{first} {last}";
            var login = Unique(Login(first, last), logins);
            var displayName = random.NextDouble() < ShareWithoutDisplayName ? "" : name;
            var user = new SimulatedUser(
                Guid: SimulatedPbx.NewGuid(random),
                Cn: name,
                Dn: displayName,
                E164: (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                H323: login,
                Node: "root",
                Pbx: "master",
                Registered: false,
                Channel: 0,
                Alert: 0);
            users.Add(LampTransitions.WithLamp(user, LampTransitions.Initial(random)));
        }

        if (objects)
        {
            AddObjects(users, Math.Clamp(queues, 0, MostQueues));
        }

        return users;
    }

    private static void AddObjects(List<SimulatedUser> users, int queues)
    {
        // Support's agents leave out the fourth person, so a four-person test cast (Olivia, Alice, Bob, Carol) keeps one group.
        JoinGroup(users, ReceptionAgents, first: 0);
        JoinGroup(users, SupportAgents, first: 4);

        // The queues' extensions follow the people's: the next free hundred, 200 at least, and the one after.
        var queueNumber = Math.Max(200, ((100 + users.Count + 99) / 100) * 100);
        for (var i = 0; i < queues; i++)
        {
            var (guid, name, agents) = i switch
            {
                0 => (ReceptionGuid, "Reception", ReceptionAgents),
                1 => (SupportGuid, "Support", SupportAgents),
                _ => (QueueGuid(i), string.Create(CultureInfo.InvariantCulture, $"Queue {i + 1}"), i % 2 == 0 ? ReceptionAgents : SupportAgents),
            };
            users.Add(Object(guid, name, name.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant(), Number(queueNumber + i), "waiting") with { AgentGroup = agents });
        }

        users.Add(Object(SimulatedPbx.TrunkGuid, SimulatedPbx.TrunkCn, "trunk", "0", "trunk"));
        users.Add(Object(NightModeGuid, "NightMode", NightMode, "", "bool"));

        static string Number(int number) => number.ToString(CultureInfo.InvariantCulture);

        // Fixed per index, like Reception's and Support's, so a seeded run names the same queues.
        static string QueueGuid(int index) => string.Create(CultureInfo.InvariantCulture, $"9e0e{index:x4}9e0e9e0e9e0e9e0e9e0e9e0e");

        static SimulatedUser Object(string guid, string cn, string h323, string e164, string pseudo) =>
            new(guid, cn, cn, e164, h323, "root", "master", Registered: false, Channel: 0, Alert: 0) { Pseudo = pseudo };
    }

    /// <summary>Three people from <paramref name="first"/> on (as many as there are) join the group: two logged in, one out.</summary>
    private static void JoinGroup(List<SimulatedUser> users, string group, int first)
    {
        for (var i = first; i < Math.Min(first + 3, users.Count); i++)
        {
            users[i] = users[i] with { Groups = [new GroupMembership(group, Dyn: i < first + 2 ? "in" : "out")] };
        }
    }

    private static (string First, string Last) PickName(Random random, HashSet<string> taken)
    {
        // Random pairs until a free one; past the 2 500 combinations a number keeps names distinct.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = s_firstNames[random.Next(s_firstNames.Length)];
            var last = s_lastNames[random.Next(s_lastNames.Length)];
            if (taken.Add($"{first} {last}"))
            {
                return (first, last);
            }
        }

        var baseFirst = s_firstNames[random.Next(s_firstNames.Length)];
        var baseLast = s_lastNames[random.Next(s_lastNames.Length)];
        for (var n = 2; ; n++)
        {
            var numbered = $"{baseLast} {n}";
            if (taken.Add($"{baseFirst} {numbered}"))
            {
                return (baseFirst, numbered);
            }
        }
    }

    private static string Unique(string login, HashSet<string> taken)
    {
        if (taken.Add(login))
        {
            return login;
        }

        for (var n = 2; ; n++)
        {
            if (taken.Add($"{login}{n}"))
            {
                return $"{login}{n}";
            }
        }
    }

    /// <summary>"Jürgen Müller" → "jmueller": ASCII only, as H.323 / SIP user names usually are.</summary>
    private static string Login(string first, string last)
    {
        var login = new StringBuilder();
        AppendAscii(login, first[..1]);
        AppendAscii(login, last);
        return login.ToString();
    }

    private static void AppendAscii(StringBuilder target, string text)
    {
        foreach (var c in text)
        {
            var folded = char.ToLowerInvariant(c) switch
            {
                'ä' => "ae",
                'ö' => "oe",
                'ü' => "ue",
                'ß' => "ss",
                'ë' or 'é' or 'è' => "e",
                'ı' => "i",
                'á' => "a",
                'í' => "i",
                'ç' => "c",
                var lower when lower is >= 'a' and <= 'z' or >= '0' and <= '9' => lower.ToString(),
                _ => "",
            };
            target.Append(folded);
        }
    }
}
