using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Faults;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Simulator;

/// <summary>
/// The malformed-frame generator, checked with rules written here independently of it: each frame
/// is wrong in its own way, and none is a UserInfo a correct client would apply.
/// </summary>
[Trait("Category", "Unit")]
public class MalformedFramesTests
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly JsonDocumentOptions s_anyDepth = new() { MaxDepth = 10_000 };
    private static readonly string[] s_stringProperties = ["mt", "api", "update", "guid", "cn", "dn", "h323", "e164", "node", "pbx", "pseudo"];

    [Fact]
    public void The_generator_is_deterministic_for_a_seed()
    {
        var users = Users();
        var src = Src("\"m\"");

        var one = MalformedFrames.Generate(1000, 42, users, src);
        var two = MalformedFrames.Generate(1000, 42, users, src);
        var other = MalformedFrames.Generate(1000, 43, users, src);
        var noSrc = MalformedFrames.Generate(1000, 42, users, src: null);

        Assert.Equal(1000, one.Count);
        Assert.Equal(one.Select(Describe), two.Select(Describe));
        Assert.NotEqual(one.Select(Describe), other.Select(Describe));

        // The src changes the text, never the choices: the same kinds, types and shapes.
        Assert.Equal(one.Select(frame => (frame.Kind, frame.Type)), noSrc.Select(frame => (frame.Kind, frame.Type)));
        Assert.Contains(one, frame => Encoding.UTF8.GetString(frame.Payload).Contains("\"src\":\"m\"", StringComparison.Ordinal));
        Assert.DoesNotContain(noSrc, frame => frame.Type == WebSocketMessageType.Text
            && Encoding.UTF8.GetString(frame.Payload).Contains("\"src\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Every_kind_appears_in_1000_frames_and_oversized_ones_are_rare(int seed)
    {
        var plan = MalformedFrames.Plan(1000, seed);
        var counts = MalformedFrames.CountKinds(plan);

        Assert.Equal(1000, plan.Length);
        Assert.Equal(Enum.GetValues<MalformedFrameKind>().Order(), counts.Keys.Order());
        Assert.Equal(2, counts[MalformedFrameKind.Oversized]);
        Assert.All(counts.Where(pair => pair.Key != MalformedFrameKind.Oversized), pair => Assert.InRange(pair.Value, 124, 125));
        Assert.NotEqual(plan.Order(), plan); // shuffled, not grouped
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(8, 0)]
    [InlineData(499, 0)]
    [InlineData(500, 1)]
    [InlineData(999, 1)]
    [InlineData(2500, 5)]
    public void Oversized_frames_are_at_most_1_in_500_and_at_least_1_from_500(int count, int oversized)
    {
        var counts = MalformedFrames.CountKinds(MalformedFrames.Plan(count, seed: 9));

        Assert.Equal(count, counts.Values.Sum());
        Assert.Equal(oversized, counts[MalformedFrameKind.Oversized]);
    }

    [Theory]
    [InlineData(17, "\"m\"")]
    [InlineData(18, null)]
    [InlineData(19, "{\"tag\":[1,2]}")]
    public void Every_frame_is_malformed_in_its_own_way_and_none_would_change_a_lamp(int seed, string? srcJson)
    {
        var users = Users();
        var byGuid = users.ToDictionary(user => user.Guid);
        var frames = MalformedFrames.Generate(1000, seed, users, srcJson is null ? null : Src(srcJson));

        foreach (var frame in frames)
        {
            if (frame.Kind == MalformedFrameKind.Binary)
            {
                Assert.Equal(WebSocketMessageType.Binary, frame.Type);
                continue;
            }

            Assert.Equal(WebSocketMessageType.Text, frame.Type);
            var text = s_strictUtf8.GetString(frame.Payload); // a text frame must be valid UTF-8
            var context = $"{frame.Kind}: {Shorten(text)}";
            if (frame.Kind == MalformedFrameKind.InvalidJson)
            {
                Assert.False(ParsesAtAnyDepth(text), context);
                continue;
            }

            using var document = JsonDocument.Parse(text, s_anyDepth);
            var root = document.RootElement;
            switch (frame.Kind)
            {
                case MalformedFrameKind.NotAnObject:
                    Assert.NotEqual(JsonValueKind.Object, root.ValueKind);
                    break;
                case MalformedFrameKind.WrongPropertyType:
                    Assert.True(WrongTypedProperties(root) == 1, context);
                    AssertNamesAnExistingUserInAnotherLamp(root, byGuid, context);
                    break;
                case MalformedFrameKind.UserInfoWithoutGuid:
                    Assert.Equal("UserInfo", root.GetProperty("mt").GetString());
                    Assert.True(!root.TryGetProperty("guid", out var guid) || guid.GetString() == "", context);
                    break;
                case MalformedFrameKind.UnknownMessageType:
                    Assert.True(!root.TryGetProperty("mt", out var mt) || mt.GetString() is "UserInfoX" or "userinfo" or "CallInfo" or "PresenceUpdate" or "", context);
                    Assert.Equal(0, WrongTypedProperties(root));
                    AssertNamesAnExistingUserInAnotherLamp(root, byGuid, context);
                    break;
                case MalformedFrameKind.DeeplyNested:
                    Assert.InRange(MaxDepth(frame.Payload), 65, 2001);
                    Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text).Dispose()); // System.Text.Json's default limit is 64
                    AssertAValidUserInfoOtherwise(root, byGuid, context);
                    break;
                case MalformedFrameKind.HugeString:
                    var longest = root.EnumerateObject().Where(p => p.Name is "cn" or "dn").Max(p => p.Value.GetString()!.Length);
                    Assert.True(longest is 100_000 or 20_000, context);
                    if (longest == 20_000)
                    {
                        Assert.True(frame.Payload.Length >= 40_000, "20,000 multi-byte characters");
                    }

                    AssertAValidUserInfoOtherwise(root, byGuid, context);
                    break;
                case MalformedFrameKind.Oversized:
                    Assert.True(frame.Payload.Length >= 1.2 * 1024 * 1024, context);
                    AssertAValidUserInfoOtherwise(root, byGuid, context);
                    break;
                default:
                    Assert.Fail($"unexpected kind {context}");
                    break;
            }
        }
    }

    [Fact]
    public void The_variants_of_each_kind_all_occur()
    {
        var users = Users();
        var texts = MalformedFrames.Generate(2000, 5, users, Src("\"v\""))
            .Where(frame => frame.Type == WebSocketMessageType.Text)
            .GroupBy(frame => frame.Kind)
            .ToDictionary(group => group.Key, group => group.Select(frame => Encoding.UTF8.GetString(frame.Payload)).ToList());
        var binary = MalformedFrames.Generate(2000, 5, users, Src("\"v\"")).Where(frame => frame.Type == WebSocketMessageType.Binary).ToList();

        var invalid = texts[MalformedFrameKind.InvalidJson];
        Assert.Contains(invalid, text => text.Contains("NaN", StringComparison.Ordinal) || text.Contains("Infinity", StringComparison.Ordinal));
        Assert.Contains(invalid, text => text.Contains("/*", StringComparison.Ordinal) || text.Contains("//", StringComparison.Ordinal));
        Assert.Contains(invalid, text => text.StartsWith('{') && Regex.IsMatch(text, "[{,]'[a-z0-9]+':")); // single quotes
        Assert.Contains(invalid, text => text.StartsWith('{') && Regex.IsMatch(text, "[{,][a-z0-9]+:")); // unquoted keys
        Assert.Contains(invalid, text => users.Any(user => text == $"{{\"mt\":\"UserInfo\",\"guid\":\"{user.Guid}\","));
        Assert.Contains(invalid, text => !text.StartsWith('{')); // random ASCII

        var notObjects = texts[MalformedFrameKind.NotAnObject];
        Assert.Contains("null", notObjects);
        Assert.Contains("[]", notObjects);
        Assert.Contains(notObjects, text => text is "true" or "false");
        Assert.Contains(notObjects, text => text.StartsWith("[{\"api\":\"RCC\",\"mt\":\"UserInfo\"", StringComparison.Ordinal));
        Assert.Contains(notObjects, text => text.StartsWith("\"{", StringComparison.Ordinal));

        var wrongTypes = texts[MalformedFrameKind.WrongPropertyType].Select(text => JsonDocument.Parse(text).RootElement).ToList();
        foreach (var name in (string[])["regs", "channel", "alert", "guid", "dn", "cn", "e164", "update", "mt"])
        {
            Assert.Contains(wrongTypes, root => WrongTyped(root).Contains(name));
        }

        var withoutGuid = texts[MalformedFrameKind.UserInfoWithoutGuid].Select(text => JsonDocument.Parse(text).RootElement).ToList();
        Assert.Contains(withoutGuid, root => !root.TryGetProperty("guid", out _));
        Assert.Contains(withoutGuid, root => root.TryGetProperty("guid", out var guid) && guid.GetString() == "");

        var unknownTypes = texts[MalformedFrameKind.UnknownMessageType]
            .Select(text => JsonDocument.Parse(text).RootElement.TryGetProperty("mt", out var mt) ? mt.GetString() : null)
            .ToHashSet();
        Assert.True(unknownTypes.SetEquals(["UserInfoX", "userinfo", "CallInfo", "PresenceUpdate", "", null]), string.Join(", ", unknownTypes));

        Assert.Contains(binary, frame => IsUserInfoText(frame.Payload));
        Assert.Contains(binary, frame => !IsUserInfoText(frame.Payload));
        Assert.All(binary.Where(frame => IsUserInfoText(frame.Payload)), frame =>
            AssertAValidUserInfoOtherwise(JsonDocument.Parse(frame.Payload).RootElement, users.ToDictionary(user => user.Guid), "binary"));
    }

    [Fact]
    public void Nesting_spans_64_to_2000_levels_below_the_root_object()
    {
        var plan = Enumerable.Repeat(MalformedFrameKind.DeeplyNested, 2000).ToArray();

        var depths = MalformedFrames.Generate(plan, 3, Users(), src: null).Select(frame => MaxDepth(frame.Payload) - 1).ToList();

        Assert.All(depths, depth => Assert.InRange(depth, 64, 2000));
        Assert.InRange(depths.Min(), 64, 80);
        Assert.InRange(depths.Max(), 1980, 2000);
    }

    [Fact]
    public void Without_users_the_frames_name_made_up_guids()
    {
        var frames = MalformedFrames.Generate(100, 1, [], src: null);

        Assert.Equal(100, frames.Count);
        Assert.Contains(frames, frame => frame.Kind == MalformedFrameKind.WrongPropertyType);
    }

    internal static IReadOnlyList<SimulatedUser> Users()
    {
        var pbx = SimulatedPbxFactory.Create(new SimulatorOptions { Users = 30, Seed = 8, EventsPerSecond = 0 }, new FakeTimeProvider(),
            NullLogger<SimulatedPbx>.Instance);
        var users = pbx.Users;

        // Every lamp is represented, ringing ones included (a wrong alert cannot be used on them).
        pbx.SetLamp(users[0].Guid, registered: true, channel: 0, alert: 1);
        pbx.SetLamp(users[1].Guid, registered: true, channel: 1, alert: 0);
        pbx.SetLamp(users[2].Guid, registered: true, channel: 0, alert: 0);
        pbx.SetLamp(users[3].Guid, registered: false, channel: 0, alert: 0);
        return pbx.Users;
    }

    internal static JsonElement Src(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The lamp rule of innovaphone's tutorial, restated here.</summary>
    internal static string LampOf(bool registered, bool channel, bool alert) =>
        alert ? "ringing" : channel ? "busy" : registered ? "idle" : "offline";

    private static void AssertAValidUserInfoOtherwise(JsonElement root, Dictionary<string, SimulatedUser> byGuid, string context)
    {
        Assert.Equal("UserInfo", root.GetProperty("mt").GetString());
        Assert.Equal(0, WrongTypedProperties(root));
        AssertNamesAnExistingUserInAnotherLamp(root, byGuid, context);
    }

    /// <summary>
    /// The frame names an existing user (by guid; by cn and e164 when the guid itself has the wrong
    /// type) and claims a lamp other than the user's, however a lax client read a wrong-typed regs,
    /// channel or alert (as absent or as set).
    /// </summary>
    private static void AssertNamesAnExistingUserInAnotherLamp(JsonElement root, Dictionary<string, SimulatedUser> byGuid, string context)
    {
        SimulatedUser? user;
        if (root.GetProperty("guid").ValueKind == JsonValueKind.String)
        {
            Assert.True(byGuid.TryGetValue(root.GetProperty("guid").GetString()!, out user), $"unknown guid in {context}");
        }
        else
        {
            user = byGuid.Values.SingleOrDefault(candidate =>
                candidate.Cn == root.GetProperty("cn").GetString() && candidate.E164 == root.GetProperty("e164").GetString());
            Assert.True(user is not null, $"no such user in {context}");
        }

        var current = LampOf(user.Registered, user.Channel > 0, user.Alert > 0);
        var wrong = WrongTyped(root);
        var readings =
            from regs in Readings(root, "regs", wrong, value => value.GetArrayLength() > 0)
            from channel in Readings(root, "channel", wrong, value => value.GetInt32() > 0)
            from alert in Readings(root, "alert", wrong, value => value.GetInt32() > 0)
            select LampOf(regs, channel, alert);
        Assert.DoesNotContain(current, readings);
    }

    private static IEnumerable<bool> Readings(JsonElement root, string name, List<string> wrong, Func<JsonElement, bool> truthy) =>
        !root.TryGetProperty(name, out var value) ? [false]
        : wrong.Contains(name) ? [false, true]
        : [truthy(value)];

    private static int WrongTypedProperties(JsonElement root) => WrongTyped(root).Count;

    /// <summary>The properties whose type breaks the UserInfo schema (unknown ones and src may be anything).</summary>
    private static List<string> WrongTyped(JsonElement root) =>
        [.. root.EnumerateObject().Where(property => !HasRightType(property)).Select(property => property.Name)];

    private static bool HasRightType(JsonProperty property) => property.Name switch
    {
        var name when s_stringProperties.Contains(name) => property.Value.ValueKind == JsonValueKind.String,
        "regs" => property.Value.ValueKind == JsonValueKind.Array
            && property.Value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.Object),
        "channel" or "alert" => property.Value.ValueKind == JsonValueKind.Number
            && property.Value.TryGetInt32(out var count) && count >= 0,
        _ => true,
    };

    private static bool ParsesAtAnyDepth(string text)
    {
        try
        {
            JsonDocument.Parse(text, s_anyDepth).Dispose();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int MaxDepth(byte[] payload)
    {
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 10_000 });
        var max = 0;
        while (reader.Read())
        {
            max = Math.Max(max, reader.CurrentDepth);
        }

        return max;
    }

    private static bool IsUserInfoText(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("mt", out var mt) && mt.ValueEquals("UserInfo");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Describe(MalformedFrame frame) =>
        $"{frame.Kind}/{frame.Type}/{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(frame.Payload))}";

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
