using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Protocol;
using BlfBlazor.PbxSimulator.Core.Scenario;

namespace BlfBlazor.PbxSimulator.Faults;

/// <summary>One generated malformed frame.</summary>
internal sealed record MalformedFrame(MalformedFrameKind Kind, WebSocketMessageType Type, byte[] Payload);

/// <summary>
/// Generates frames a correct client must reject or ignore (see <see cref="MalformedFrameKind"/>),
/// deterministically for a seed, the users' current state and the src they are addressed with.
/// Frames naming a user use an existing one (a made-up guid only when there are no users) and
/// claim a lamp other than that user's current one under every reading of a wrong-typed property,
/// so a client that wrongly applies a frame shows a lamp the PBX never had.
/// </summary>
internal static class MalformedFrames
{
    /// <summary>Every 500th frame is <see cref="MalformedFrameKind.Oversized"/> (count / 500 of them, at random places).</summary>
    public const int OversizedEvery = 500;

    /// <summary>1.2 MiB, rounded up to whole bytes: over the client's default 1 MiB frame cap.</summary>
    public const int OversizedBytes = 1_258_292;

    public const int HugeAsciiLength = 100_000;
    public const int HugeMultiByteLength = 20_000;
    public const int MinNesting = 64;
    public const int MaxNesting = 2000;

    /// <summary>The kinds that share the frames equally (all but Oversized).</summary>
    private static readonly MalformedFrameKind[] s_sharedKinds =
        [.. Enum.GetValues<MalformedFrameKind>().Where(kind => kind != MalformedFrameKind.Oversized)];

    /// <summary>The order of kinds for <paramref name="count"/> frames: equal shares (±1) of the shared kinds, count / 500 Oversized, shuffled.</summary>
    public static MalformedFrameKind[] Plan(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var oversized = count / OversizedEvery;
        var shared = count - oversized;

        var plan = new List<MalformedFrameKind>(count);
        foreach (var kind in s_sharedKinds)
        {
            plan.AddRange(Enumerable.Repeat(kind, shared / s_sharedKinds.Length));
        }

        var extra = s_sharedKinds.ToArray();
        Shuffle(extra, random);
        plan.AddRange(extra.Take(shared % s_sharedKinds.Length));
        plan.AddRange(Enumerable.Repeat(MalformedFrameKind.Oversized, oversized));

        var result = plan.ToArray();
        Shuffle(result, random);
        return result;
    }

    /// <summary>How many frames of each kind a plan holds; every kind is listed, 0 included.</summary>
    public static Dictionary<MalformedFrameKind, int> CountKinds(IEnumerable<MalformedFrameKind> plan)
    {
        var counts = Enum.GetValues<MalformedFrameKind>().ToDictionary(kind => kind, _ => 0);
        foreach (var kind in plan)
        {
            counts[kind]++;
        }

        return counts;
    }

    public static List<MalformedFrame> Generate(int count, int seed, IReadOnlyList<SimulatedUser> users, JsonElement? src) =>
        Generate(Plan(count, seed), seed, users, src);

    /// <summary>
    /// The frames of <paramref name="plan"/>, in order. <paramref name="src"/> (the session's RCC
    /// src, if any) is echoed where a real UserInfo would carry it; it never changes which random
    /// choices are made, so sessions with different srcs get the same frames apart from it.
    /// </summary>
    public static List<MalformedFrame> Generate(IReadOnlyList<MalformedFrameKind> plan, int seed, IReadOnlyList<SimulatedUser> users, JsonElement? src)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(users);

        // Offset from the plan's seed so the contents do not replay the shuffle's numbers.
        var generator = new Generator(new Random(unchecked((seed * 31) + 7)), users, src?.GetRawText());
        var frames = new List<MalformedFrame>(plan.Count);
        foreach (var kind in plan)
        {
            frames.Add(generator.Next(kind));
        }

        return frames;
    }

    /// <summary>True when <paramref name="text"/> is one JSON value by System.Text.Json's strict rules (any depth).</summary>
    public static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxNesting * 2 });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void Shuffle<T>(T[] items, Random random)
    {
        // Fisher-Yates, written out so the order stays the same across runtime versions.
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private sealed class Generator(Random random, IReadOnlyList<SimulatedUser> users, string? srcRaw)
    {
        private static readonly Lamp[] s_lamps = [Lamp.Offline, Lamp.Idle, Lamp.Ringing, Lamp.Busy];
        private static readonly string[] s_lampProperties = ["regs", "channel", "alert"];
        private static readonly string[] s_wrongTypeProperties = ["regs", "channel", "alert", "guid", "dn", "cn", "e164", "update", "mt"];
        private static readonly string[] s_unknownTypes = ["UserInfoX", "userinfo", "CallInfo", "PresenceUpdate", ""];
        private static readonly string[] s_garbage = ["}", "]", "x", ",", "{}", """{"mt":"UserInfo"}""", "\"", "0", "null", ";", "}}"];
        private static readonly string[] s_notNumbers = ["NaN", "Infinity", "-Infinity"];
        private const string MultiByteChars = "äöüßéÄÖÜ€漢字カナ한글Ωжñç";

        public MalformedFrame Next(MalformedFrameKind kind) => kind switch
        {
            MalformedFrameKind.InvalidJson => Text(kind, InvalidJson()),
            MalformedFrameKind.NotAnObject => Text(kind, NotAnObject()),
            MalformedFrameKind.WrongPropertyType => Text(kind, WrongPropertyType()),
            MalformedFrameKind.UserInfoWithoutGuid => Text(kind, UserInfoWithoutGuid()),
            MalformedFrameKind.UnknownMessageType => Text(kind, UnknownMessageType()),
            MalformedFrameKind.DeeplyNested => Text(kind, DeeplyNested()),
            MalformedFrameKind.HugeString => Text(kind, HugeString()),
            MalformedFrameKind.Binary => new MalformedFrame(kind, WebSocketMessageType.Binary, Binary()),
            MalformedFrameKind.Oversized => Oversized(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind of malformed frame."),
        };

        private static MalformedFrame Text(MalformedFrameKind kind, string text) =>
            new(kind, WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text));

        private string InvalidJson()
        {
            switch (random.Next(8))
            {
                case 0:
                    {
                        // A valid UserInfo cut short: a proper prefix of an object is never JSON.
                        var text = ValidUserInfo();
                        var cut = random.Next(1, text.Length);
                        return char.IsHighSurrogate(text[cut - 1]) ? text[..(cut - 1)] : text[..cut];
                    }

                case 1:
                    return ValidUserInfo() + Pick(s_garbage);
                case 2:
                    {
                        var info = UserInfoFor(PickUser(), corrupted: null);
                        var all = random.Next(4) == 0;
                        var target = random.Next(info.Count);
                        return info.Render((i, key, raw) => all || i == target ? $"{key}:{raw}" : JsonObjectText.Member(key, raw));
                    }

                case 3:
                    {
                        var info = UserInfoFor(PickUser(), corrupted: null);
                        var all = random.Next(4) == 0;
                        var target = random.Next(info.Count);
                        return info.Render((i, key, raw) => all || i == target ? $"'{key}':{raw}" : JsonObjectText.Member(key, raw));
                    }

                case 4:
                    return $$"""{"mt":"UserInfo","guid":{{Quote(PickUser().User.Guid)}},""";
                case 5:
                    {
                        var property = random.Next(2) == 0 ? "channel" : "alert";
                        var (user, current) = PickUserFor(property);
                        var info = UserInfoFor((user, current), PickClaim(current, property) ?? throw new InvalidOperationException("No claim."));
                        return info.Set(property, Pick(s_notNumbers)).Render();
                    }

                case 6:
                    {
                        var info = UserInfoFor(PickUser(), corrupted: null);
                        var target = random.Next(1, info.Count);
                        var comment = random.Next(2) == 0 ? "/* set by the PBX */" : "// set by the PBX\n";
                        return info.Render((i, key, raw) => (i == target ? comment : "") + JsonObjectText.Member(key, raw));
                    }

                default:
                    return RandomAscii();
            }
        }

        private string RandomAscii()
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var chars = new char[random.Next(1, 201)];
                for (var i = 0; i < chars.Length; i++)
                {
                    chars[i] = (char)random.Next(0x20, 0x7f);
                }

                var text = new string(chars);
                if (!IsJson(text))
                {
                    return text;
                }
            }

            return "{";
        }

        private string NotAnObject()
        {
            switch (random.Next(9))
            {
                case 0:
                    return "[]";
                case 1:
                    return string.Create(CultureInfo.InvariantCulture, $"[{random.Next(1000)},{random.Next(1000)},\"UserInfo\"]");
                case 2:
                    return "\"UserInfo\"";
                case 3:
                    return Quote(ValidUserInfo()); // a UserInfo wrapped in a JSON string
                case 4:
                    return random.Next(3) switch
                    {
                        0 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
                        1 => "-1.5e3",
                        _ => "0",
                    };
                case 5:
                    return random.Next(2) == 0 ? "true" : "false";
                case 6:
                    return "null";
                case 7:
                    return $"[{ValidUserInfo()}]";
                default:
                    return $"[{ValidUserInfo()},{ValidUserInfo()}]";
            }
        }

        private string WrongPropertyType()
        {
            var property = Pick(s_wrongTypeProperties);
            var (user, current) = PickUserFor(property);
            if (property == "alert" && current == Lamp.Ringing)
            {
                // A ringing user stays ringing under any reading of a wrong alert; corrupt channel instead.
                property = "channel";
            }

            var claim = PickClaim(current, s_lampProperties.Contains(property) ? property : null)
                ?? throw new InvalidOperationException("No claim.");
            var update = property == "update" || random.Next(4) != 0 ? "upd" : null;
            var info = UserInfoFor((user, current), claim, update);
            var hw = Quote(SimulatedPbx.HardwareId(user));
            var wrong = property switch
            {
                "regs" => Pick([hw, "1", $$"""{"hw":{{hw}}}""", $"[{hw}]", "[1]", "[null]", $$"""[{"hw":{{hw}}},{{hw}}]""", "[[]]"]),
                "channel" or "alert" => Pick(["\"1\"", "true", "[1]", "1.5", "-1"]),
                "guid" => random.Next(2) == 0
                    ? random.Next(1, int.MaxValue).ToString(CultureInfo.InvariantCulture)
                    : $$"""{"guid":{{Quote(user.Guid)}}}""",
                "dn" => WrongText(user.Dn),
                "cn" => WrongText(user.Cn),
                "e164" => WrongText(user.E164),
                "update" => Pick(["1", "true"]),
                _ => Pick(["1", "0"]), // mt
            };
            return info.Set(property, wrong).Render();
        }

        /// <summary>A number, array or object in place of a string property.</summary>
        private string WrongText(string value) => random.Next(3) switch
        {
            0 => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number.ToString(CultureInfo.InvariantCulture)
                : random.Next(100, 1000).ToString(CultureInfo.InvariantCulture),
            1 => $"[{Quote(value)}]",
            _ => $$"""{"text":{{Quote(value)}}}""",
        };

        private string UserInfoWithoutGuid()
        {
            var variant = random.Next(4);
            var info = UserInfoFor(PickUser(), corrupted: null, update: variant % 2 == 0 ? "upd" : null);
            return (variant < 2 ? info.Remove("guid") : info.Set("guid", "\"\"")).Render();
        }

        private string UnknownMessageType()
        {
            var info = UserInfoFor(PickUser(), corrupted: null);
            var type = random.Next(s_unknownTypes.Length + 1);
            return (type == s_unknownTypes.Length ? info.Remove("mt") : info.Set("mt", Quote(s_unknownTypes[type]))).Render();
        }

        private string DeeplyNested()
        {
            var info = UserInfoFor(PickUser(), corrupted: null);
            var depth = random.Next(MinNesting, MaxNesting + 1);
            var opening = new StringBuilder(depth * 6);
            var closing = new char[depth];
            for (var level = 0; level < depth; level++)
            {
                var array = random.Next(2) == 0;
                opening.Append(array ? "[" : """{"n":""");
                closing[depth - 1 - level] = array ? ']' : '}';
            }

            var nested = opening.Append('1').Append(closing).ToString();
            var name = Pick(["x", "ext", "data"]);
            return info.Insert(random.Next(2, info.Count + 1), name, nested).Render();
        }

        private string HugeString()
        {
            var (user, current) = PickUser();
            var info = UserInfoFor((user, current), corrupted: null);
            string huge;
            if (random.Next(2) == 0)
            {
                var unit = user.H323 + " ";
                huge = new StringBuilder(HugeAsciiLength + unit.Length).Insert(0, unit, (HugeAsciiLength / unit.Length) + 1)
                    .ToString(0, HugeAsciiLength);
            }
            else
            {
                var chars = new char[HugeMultiByteLength];
                for (var i = 0; i < chars.Length; i++)
                {
                    chars[i] = MultiByteChars[random.Next(MultiByteChars.Length)];
                }

                huge = new string(chars);
            }

            return info.Set(random.Next(2) == 0 ? "dn" : "cn", Quote(huge)).Render();
        }

        private byte[] Binary()
        {
            if (random.Next(2) == 0)
            {
                return Encoding.UTF8.GetBytes(ValidUserInfo());
            }

            var bytes = new byte[random.Next(1, 1025)];
            random.NextBytes(bytes);
            return bytes;
        }

        private MalformedFrame Oversized()
        {
            var info = UserInfoFor(PickUser(), corrupted: null);
            var padding = OversizedBytes - Encoding.UTF8.GetByteCount(info.Render()) - ",\"padding\":\"\"".Length;
            var text = info.Set("padding", $"\"{new string('x', padding)}\"").Render();
            return Text(MalformedFrameKind.Oversized, text);
        }

        /// <summary>A complete, valid UserInfo (upd) for an existing user, claiming another lamp: only its packaging is wrong.</summary>
        private string ValidUserInfo() => UserInfoFor(PickUser(), corrupted: null).Render();

        private JsonObjectText UserInfoFor((SimulatedUser User, Lamp Current) pick, string? corrupted, string? update = "upd") =>
            UserInfoFor(pick, PickClaim(pick.Current, corrupted) ?? throw new InvalidOperationException("No claim."), update);

        /// <summary>The UserInfo the PBX would send for the user in the claimed lamp.</summary>
        private JsonObjectText UserInfoFor((SimulatedUser User, Lamp Current) pick, Lamp claim, string? update = "upd")
        {
            var user = LampTransitions.WithLamp(pick.User, claim);
            var info = new JsonObjectText().Set("api", "\"RCC\"").Set("mt", "\"UserInfo\"");
            if (srcRaw is not null)
            {
                info.Set("src", srcRaw);
            }

            if (update is not null)
            {
                info.Set("update", Quote(update));
            }

            info.Set("guid", Quote(user.Guid)).Set("cn", Quote(user.Cn)).Set("dn", Quote(user.Dn))
                .Set("h323", Quote(user.H323)).Set("e164", Quote(user.E164)).Set("node", Quote(user.Node))
                .Set("pbx", Quote(user.Pbx)).Set("pseudo", "\"\"");
            if (user.Registered)
            {
                info.Set("regs", $$"""[{"hw":{{Quote(SimulatedPbx.HardwareId(user))}}}]""");
            }

            if (user.Channel > 0)
            {
                info.Set("channel", user.Channel.ToString(CultureInfo.InvariantCulture));
            }

            if (user.Alert > 0)
            {
                info.Set("alert", user.Alert.ToString(CultureInfo.InvariantCulture));
            }

            return info;
        }

        /// <summary>
        /// A lamp other than <paramref name="current"/> that stays other whether a client reads the
        /// <paramref name="corrupted"/> lamp property (regs, channel or alert) as absent or as set;
        /// null when there is none (only a wrong alert on a ringing user).
        /// </summary>
        private Lamp? PickClaim(Lamp current, string? corrupted)
        {
            var candidates = s_lamps.Where(claim => Readings(claim, corrupted).All(reading => reading != current)).ToArray();
            return candidates.Length == 0 ? null : candidates[random.Next(candidates.Length)];
        }

        private static IEnumerable<Lamp> Readings(Lamp claim, string? corrupted)
        {
            var (regs, channel, alert) = claim switch
            {
                Lamp.Offline => (false, false, false),
                Lamp.Idle => (true, false, false),
                Lamp.Ringing => (true, false, true),
                _ => (true, true, false),
            };

            if (corrupted is null)
            {
                yield return LampOf(regs, channel, alert);
                yield break;
            }

            foreach (var set in (bool[])[false, true])
            {
                yield return LampOf(
                    corrupted == "regs" ? set : regs,
                    corrupted == "channel" ? set : channel,
                    corrupted == "alert" ? set : alert);
            }
        }

        private static Lamp LampOf(bool regs, bool channel, bool alert) =>
            alert ? Lamp.Ringing : channel ? Lamp.Busy : regs ? Lamp.Idle : Lamp.Offline;

        /// <summary>A user to name, preferring one that is not ringing when a wrong alert is to be written.</summary>
        private (SimulatedUser User, Lamp Current) PickUserFor(string property)
        {
            var pick = PickUser();
            for (var attempt = 0; attempt < 8 && property == "alert" && pick.Current == Lamp.Ringing; attempt++)
            {
                pick = PickUser();
            }

            return pick;
        }

        private (SimulatedUser User, Lamp Current) PickUser()
        {
            var user = users.Count > 0
                ? users[random.Next(users.Count)]
                : new SimulatedUser(SimulatedPbx.NewGuid(random), "Nobody", "Nobody", "100", "nobody", "root", "master",
                    Registered: false, Channel: 0, Alert: 0);
            return (user, LampTransitions.LampOf(user));
        }

        private T Pick<T>(T[] items) => items[random.Next(items.Length)];

        private static string Quote(string text)
        {
            var quoted = new StringBuilder(text.Length + 2);
            CompactJson.AppendString(quoted, text);
            return quoted.ToString();
        }
    }

    /// <summary>An object's members as raw JSON text, in order, rendered with a choice of how each member is written.</summary>
    private sealed class JsonObjectText
    {
        private readonly List<(string Key, string Raw)> _members = [];

        public int Count => _members.Count;

        public static string Member(string key, string raw) => $"\"{key}\":{raw}";

        /// <summary>Replaces the member in place, or appends it.</summary>
        public JsonObjectText Set(string key, string raw)
        {
            var index = _members.FindIndex(member => member.Key == key);
            if (index >= 0)
            {
                _members[index] = (key, raw);
            }
            else
            {
                _members.Add((key, raw));
            }

            return this;
        }

        public JsonObjectText Insert(int index, string key, string raw)
        {
            _members.Insert(index, (key, raw));
            return this;
        }

        public JsonObjectText Remove(string key)
        {
            _members.RemoveAll(member => member.Key == key);
            return this;
        }

        /// <summary><paramref name="member"/>(index, key, raw) writes one member; by default "key":raw.</summary>
        public string Render(Func<int, string, string, string>? member = null)
        {
            member ??= (_, key, raw) => Member(key, raw);
            var text = new StringBuilder("{");
            for (var i = 0; i < _members.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                text.Append(member(i, _members[i].Key, _members[i].Raw));
            }

            return text.Append('}').ToString();
        }
    }
}
