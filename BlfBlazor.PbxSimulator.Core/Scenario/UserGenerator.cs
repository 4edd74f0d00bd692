using System.Text;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Scenario;

/// <summary>
/// Makes a believable staff list: "Anna Berger" with login "aberger", extensions from 100 upward,
/// some users without a display name (so a client must fall back to cn) and a few non-ASCII names.
/// </summary>
internal static class UserGenerator
{
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

    /// <summary>The PBX's staff: <paramref name="count"/> users, the same ones for the same <paramref name="seed"/>.</summary>
    public static List<SimulatedUser> Create(int count, int? seed)
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

        return users;
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
