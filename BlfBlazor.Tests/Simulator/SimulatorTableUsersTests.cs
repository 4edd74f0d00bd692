using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Scenario;

namespace BlfBlazor.Tests.Simulator;

/// <summary>
/// The user table over a real WebSocket (PBXAPIS.md §1, §2, §9.1): ReplicateStart, paging one row per
/// ReplicateNext, the end in both forms, live adds, updates (the whole row) and deletes from the start on,
/// the object types asked for and the forms of <c>pseudo</c>, the extra columns, and each form of refusal.
/// Cast: users[0..3] play Olivia, Alice, Bob and Carol; with the objects, Reception, Support, the Trunk and NightMode follow.
/// </summary>
[Trait("Category", "Integration")]
public class SimulatorTableUsersTests
{
    private const string TheSeven = """{"guid":{},"cn":{},"h323":{},"e164":{},"pseudo":{},"cds":{},"grps":{}}""";
    private const string BoardTypes = """["","executive","waiting"]""";

    [Theory]
    [InlineData(TablePageEnd.NoColumns)]
    [InlineData(TablePageEnd.EmptyColumns)]
    public async Task Paging_gives_one_row_per_ReplicateNext_with_the_columns_asked_for_then_the_end_as_in_9_1(TablePageEnd end)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { PageEnd = end }, objects: true);
        var (olivia, alice, bob, carol) = (feed.Users[0], feed.Users[1], feed.Users[2], feed.Users[3]);
        feed.Pbx.SetDiversions(bob.Guid, [new Diversion(DiversionType.Cfnr, E164: carol.E164)]);
        feed.Pbx.SetDiversions(carol.Guid, [new Diversion(DiversionType.Cfu, H323: alice.H323)]);

        var started = await StartAsync(feed, BoardTypes);
        var rows = await PageAllAsync(feed);

        Assert.Equal(("PbxTableUsers", "ReplicateStartResult", "tu"), Header(started));
        Assert.Equal(TheSeven, started.GetProperty("columns").GetRawText());
        Assert.Equal([olivia.Guid, alice.Guid, bob.Guid, carol.Guid, UserGenerator.ReceptionGuid, UserGenerator.SupportGuid], rows.SkipLast(1).Select(row => Column(row, "guid")));
        Assert.All(rows.SkipLast(1), row => Assert.Equal(("PbxTableUsers", "ReplicateNextResult", "tu"), Header(row)));
        Assert.Equal(end == TablePageEnd.EmptyColumns ? "{}" : null, rows[^1].TryGetProperty("columns", out var last) ? last.GetRawText() : null);
        Assert.Equal("ReplicateNextResult", CallFeedSession.Mt(rows[^1]));

        var bobs = rows[2].GetProperty("columns");
        Assert.Equal(["guid", "cn", "h323", "e164", "cds", "grps"], bobs.EnumerateObject().Select(column => column.Name));
        Assert.Equal((bob.Cn, bob.H323, bob.E164), (Column(rows[2], "cn"), Column(rows[2], "h323"), Column(rows[2], "e164")));
        Assert.Equal($$"""[{"type":"cfnr","e164":"{{carol.E164}}"}]""", bobs.GetProperty("cds").GetRawText());
        Assert.Equal("""[{"name":"reception-agents","mode":"active","dyn":"out"}]""", bobs.GetProperty("grps").GetRawText());
        Assert.Equal($$"""[{"type":"cfu","h323":"{{alice.H323}}"}]""", rows[3].GetProperty("columns").GetProperty("cds").GetRawText());
        Assert.False(rows[3].GetProperty("columns").TryGetProperty("grps", out _));
        var reception = rows[4].GetProperty("columns");
        Assert.Equal(("Reception", "reception", "200", "waiting"), (Column(rows[4], "cn"), Column(rows[4], "h323"), Column(rows[4], "e164"), Column(rows[4], "pseudo")));
        Assert.Equal(["guid", "cn", "h323", "e164", "pseudo"], reception.EnumerateObject().Select(column => column.Name));
        await feed.AssertNothingPendingAsync();
    }

    [Theory]
    [InlineData(null, new[] { "Olivia", "Alice", "Bob", "Carol" })]
    [InlineData("""["waiting","trunk","bool"]""", new[] { "Reception", "Support", "Trunk", "NightMode" })]
    [InlineData("""["trunk"]""", new[] { "Trunk" })]
    public async Task Only_the_object_types_asked_for_are_replicated_plain_users_when_none_are_named(string? types, string[] cast)
    {
        await using var feed = await CallFeedSession.StartAsync(objects: true);
        string[] people = ["Olivia", "Alice", "Bob", "Carol"];
        var names = feed.Users.Zip(people).ToDictionary(cast => cast.First.Guid, cast => cast.Second, StringComparer.Ordinal);
        names.Add(UserGenerator.ReceptionGuid, "Reception");
        names.Add(UserGenerator.SupportGuid, "Support");
        names.Add(SimulatedPbx.TrunkGuid, "Trunk");
        names.Add(UserGenerator.NightModeGuid, "NightMode");

        await StartAsync(feed, types);
        var rows = await PageAllAsync(feed);

        Assert.Equal(cast, rows.SkipLast(1).Select(row => names[Column(row, "guid")!]));
    }

    [Theory]
    [InlineData(PseudoForm.Word, "waiting", "waiting")]
    [InlineData(PseudoForm.Xml, """<pseudo type="waiting"/>""", """<pseudo type="waiting"/>""")]
    [InlineData(PseudoForm.Mixed, """<pseudo type="waiting"/>""", "waiting")]
    public async Task Pseudo_is_a_word_or_config_XML_in_the_table_and_in_RCC_UserInfo(PseudoForm form, string inTable, string inUserInfo)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { PseudoForm = form }, objects: true);
        await feed.SendAsync("""{"api":"RCC","mt":"Initialize","src":"init"}""");
        var list = new List<JsonElement>();
        for (var frame = await feed.ReceiveAsync(); CallFeedSession.Mt(frame) != "InitializeResult"; frame = await feed.ReceiveAsync())
        {
            list.Add(frame);
        }

        await StartAsync(feed, """["waiting"]""");
        var rows = await PageAllAsync(feed);

        Assert.Equal(inTable, Column(rows[0], "pseudo"));
        var queue = Assert.Single(list, info => info.GetProperty("guid").GetString() == UserGenerator.ReceptionGuid);
        Assert.Equal(inUserInfo, queue.GetProperty("pseudo").GetString());
        Assert.Equal("", list[0].GetProperty("pseudo").GetString());
    }

    [Fact]
    public async Task Live_changes_come_from_ReplicateStart_on_also_while_paging_as_whole_rows_in_the_order_they_happened()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (olivia, alice, bob, carol) = (feed.Users[0], feed.Users[1], feed.Users[2], feed.Users[3]);
        feed.Pbx.SetDiversions(carol.Guid, [new Diversion(DiversionType.Cfu, H323: alice.H323)]);
        await StartAsync(feed, BoardTypes);
        var first = await NextAsync(feed);

        feed.Pbx.SetLamp(bob.Guid, registered: true, channel: 1, alert: 0);
        feed.Pbx.ClearDiversions(carol.Guid);
        feed.Pbx.Upsert(new SimulatedUser("0123456789abcdef0123456789abcdef", "Nina Neu", "Nina Neu", "150", "nneu", "root", "master", Registered: true, Channel: 0, Alert: 0));
        feed.Pbx.Remove(alice.Guid);
        feed.Pbx.Upsert(bob with { Pseudo = "trunk" });
        var live = await feed.ReadAsync(4);
        var rest = await PageAllAsync(feed);

        Assert.Equal(olivia.Guid, Column(first, "guid"));
        Assert.Equal(
            [("ReplicateUpdate", carol.Guid), ("ReplicateAdd", "0123456789abcdef0123456789abcdef"), ("ReplicateDel", alice.Guid), ("ReplicateDel", bob.Guid)],
            live.Select(frame => (CallFeedSession.Mt(frame), Column(frame, "guid"))));
        Assert.All(live, frame => Assert.Equal("tu", frame.GetProperty("src").GetString()));
        Assert.Equal(["guid", "cn", "h323", "e164"], live[0].GetProperty("columns").EnumerateObject().Select(column => column.Name));
        Assert.Equal($$"""{"guid":"{{alice.Guid}}"}""", live[2].GetProperty("columns").GetRawText());
        Assert.Equal([carol.Guid], rest.SkipLast(1).Select(row => Column(row, "guid")));
        await feed.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Before_ReplicateStart_a_change_sends_no_row_and_ReplicateNext_no_answer()
    {
        await using var feed = await CallFeedSession.StartAsync();

        feed.Pbx.SetDiversions(feed.Users[1].Guid, [new Diversion(DiversionType.Cfu, E164: "00171234567")]);
        await feed.SendAsync("""{"api":"PbxTableUsers","mt":"ReplicateNext","src":"tu"}""");

        await feed.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task ExtraColumns_sends_the_sensitive_columns_too_with_fake_values()
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { ExtraColumns = true });
        var olivia = feed.Users[0];

        var started = await StartAsync(feed, BoardTypes);
        var row = (await NextAsync(feed)).GetProperty("columns");

        Assert.Equal(
            ["guid", "cn", "dn", "h323", "e164", "node", "pseudo", "cds", "grps", "pwd", "devices", "emails"],
            started.GetProperty("columns").EnumerateObject().Select(column => column.Name));
        Assert.StartsWith("secret-pwd-", row.GetProperty("pwd").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, row.GetProperty("devices").GetArrayLength());
        Assert.Equal($"{olivia.H323}@example.com", row.GetProperty("emails")[0].GetProperty("email").GetString());
        Assert.Equal(olivia.Node, row.GetProperty("node").GetString());
    }

    [Fact]
    public async Task Without_TableUsers_in_silence_nothing_is_answered()
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { TableUsersRefused = TableUsersRefusal.Silence });

        await StartRequestAsync(feed, BoardTypes);
        await feed.SendAsync("""{"api":"PbxTableUsers","mt":"ReplicateNext","src":"tu"}""");
        feed.Pbx.ClearDiversions(feed.Users[1].Guid);

        await feed.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Without_TableUsers_with_an_error_ReplicateStartResult_carries_it_and_nothing_follows()
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { TableUsersRefused = TableUsersRefusal.Error });

        var refused = await StartAsync(feed, BoardTypes);
        await feed.SendAsync("""{"api":"PbxTableUsers","mt":"ReplicateNext","src":"tu"}""");
        feed.Pbx.ClearDiversions(feed.Users[1].Guid);

        Assert.Equal(("PbxTableUsers", "ReplicateStartResult", "tu"), Header(refused));
        Assert.False(refused.TryGetProperty("columns", out _));
        Assert.False(string.IsNullOrEmpty(refused.GetProperty("error").GetString()));
        Assert.False(string.IsNullOrEmpty(refused.GetProperty("errorText").GetString()));
        await feed.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Without_TableUsers_as_an_empty_table_the_paging_ends_at_once_and_nothing_changes()
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { TableUsersRefused = TableUsersRefusal.Empty });

        var started = await StartAsync(feed, BoardTypes);
        var rows = await PageAllAsync(feed);
        feed.Pbx.SetDiversions(feed.Users[1].Guid, [new Diversion(DiversionType.Cfu, E164: "00171234567")]);

        Assert.Equal(TheSeven, started.GetProperty("columns").GetRawText());
        Assert.False(Assert.Single(rows).TryGetProperty("columns", out _));
        await feed.AssertNothingPendingAsync();
    }

    private static async Task<JsonElement> StartAsync(CallFeedSession feed, string? types)
    {
        await StartRequestAsync(feed, types);
        return await feed.ReceiveAsync();
    }

    private static Task StartRequestAsync(CallFeedSession feed, string? types) => feed.SendAsync(
        $$"""{"api":"PbxTableUsers","mt":"ReplicateStart","src":"tu","add":true,"del":true,"columns":{{TheSeven}}{{(types is null ? "" : ",\"pseudo\":" + types)}}}""");

    private static async Task<JsonElement> NextAsync(CallFeedSession feed)
    {
        await feed.SendAsync("""{"api":"PbxTableUsers","mt":"ReplicateNext","src":"tu"}""");
        return await feed.ReceiveAsync();
    }

    /// <summary>ReplicateNext until the end (a result without columns, or with none in them); the end is the last frame.</summary>
    private static async Task<List<JsonElement>> PageAllAsync(CallFeedSession feed)
    {
        var rows = new List<JsonElement>();
        while (true)
        {
            var row = await NextAsync(feed);
            rows.Add(row);
            if (!row.TryGetProperty("columns", out var columns) || !columns.EnumerateObject().Any())
            {
                return rows;
            }
        }
    }

    private static (string?, string?, string?) Header(JsonElement frame) =>
        (frame.GetProperty("api").GetString(), frame.GetProperty("mt").GetString(), frame.GetProperty("src").GetString());

    private static string? Column(JsonElement frame, string name) =>
        frame.GetProperty("columns").TryGetProperty(name, out var value) ? value.GetString() : null;
}
