using System.Text.Json;
using BlfBlazor.Pbx;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Pbx;

/// <summary>
/// The user table's replication as the board does it (PBXAPIS.md §1): what it asks for, how it pages,
/// how live changes and deletes land, what a tile learns of each diversion at each privacy level, and
/// of each user's PBX groups.
/// Driven through the real dispatcher and reader, frames in as JSON.
/// </summary>
[Trait("Category", "Unit")]
public sealed class UserTableFeedTests : IDisposable
{
    private const string Anna = """{"api":"RCC","mt":"UserInfo","guid":"g-anna","cn":"anna","dn":"Anna Berger","h323":"anna","e164":"101","regs":[{}]}""";
    private const string Bob = """{"api":"RCC","mt":"UserInfo","guid":"g-bob","cn":"bob","dn":"Bob Baker","h323":"bob","e164":"102","regs":[{}]}""";
    private const string Carol = """{"api":"RCC","mt":"UserInfo","guid":"g-carol","cn":"carol","dn":"Carol Clark","h323":"carol","e164":"103","regs":[{}]}""";
    private const string InitializeResult = """{"api":"RCC","mt":"InitializeResult","src":"blf"}""";
    private const string StartResult = """{"api":"PbxTableUsers","mt":"ReplicateStartResult","src":"tu","columns":{"guid":{},"cn":{},"h323":{},"e164":{},"pseudo":{},"cds":{},"grps":{}}}""";
    private const string End = """{"api":"PbxTableUsers","mt":"ReplicateNextResult","src":"tu"}""";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly UserDirectory _directory;
    private PbxConnectionHarness _connection;

    public UserTableFeedTests()
    {
        _directory = new UserDirectory(_time, new PbxDescription("pbx.test", IsDemo: false));
        _connection = Connect(CallDetails.Full);
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task The_board_asks_for_its_seven_columns_only_reads_and_never_a_password()
    {
        await _connection.StartAsync();

        var start = JsonDocument.Parse(Assert.Single(_connection.Sent, s => s.Contains("ReplicateStart", StringComparison.Ordinal))).RootElement;
        Assert.Equal(["guid", "cn", "h323", "e164", "pseudo", "cds", "grps"], start.GetProperty("columns").EnumerateObject().Select(c => c.Name));
        Assert.All(start.GetProperty("columns").EnumerateObject(), c => Assert.Empty(c.Value.EnumerateObject()));
        Assert.True(start.GetProperty("add").GetBoolean());
        Assert.True(start.GetProperty("del").GetBoolean());
        Assert.Equal(["", "executive", "waiting"], start.GetProperty("pseudo").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("tu", start.GetProperty("src").GetString());
        Assert.DoesNotContain(_connection.Sent, s => s.Contains("pwd", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"api":"PbxTableUsers","mt":"ReplicateNextResult","src":"tu"}""")]
    [InlineData("""{"api":"PbxTableUsers","mt":"ReplicateNextResult","src":"tu","columns":{}}""")]
    public async Task Rows_are_paged_one_by_one_until_a_result_without_a_row(string end)
    {
        await ListAsync(Anna, Bob, Carol);
        await _connection.FeedAsync(StartResult);
        Assert.Equal(1, NextRequests());

        await _connection.FeedAsync(Row("g-anna", "anna", "101", """[{"type":"cfu","h323":"CAROL"}]"""));
        Assert.Equal(2, NextRequests());
        await _connection.FeedAsync(Row("g-bob", "bob", "102", """[{"type":"cfnr","e164":"103"}]"""));
        Assert.Equal(3, NextRequests());
        await _connection.FeedAsync(Row("g-carol", "carol", "103", cds: null), end);

        // One ReplicateNext after the start and after each of the three rows; none after the end.
        Assert.Equal(4, NextRequests());
        Assert.Empty(_connection.Dropped);
        var anna = Forwarding("g-anna");
        Assert.Equal(new Diversion(DiversionKind.Always, "g-carol", "Carol Clark", IsExternal: false, IsConditional: false), Assert.Single(anna));
        Assert.Equal(new Diversion(DiversionKind.NoAnswer, "g-carol", "Carol Clark", IsExternal: false, IsConditional: false), Assert.Single(Forwarding("g-bob")));
        Assert.Empty(Forwarding("g-carol"));
        Assert.Equal(("on", 3), (_directory.Monitoring.Forwarding, _directory.Monitoring.ForwardingUsers));
    }

    [Fact]
    public async Task An_update_replaces_the_whole_row_and_a_delete_takes_the_forwarding_away()
    {
        await LiveTableAsync(Row("g-anna", "anna", "101", """[{"type":"cfu","e164":"00171234567"}]"""), Row("g-bob", "bob", "102", """[{"type":"cfb","h323":"anna"}]"""));

        // An update without cds has no diversions: replaced, never merged.
        await _connection.FeedAsync(Row("g-anna", "anna", "101", cds: null, mt: "ReplicateUpdate"));
        Assert.Empty(Forwarding("g-anna"));

        await _connection.FeedAsync(Row("g-carol", "carol", "103", """[{"type":"cfu","h323":"bob"}]""", mt: "ReplicateAdd"));
        Assert.Equal("Bob Baker", Assert.Single(Forwarding("g-carol")).Shown);

        await _connection.FeedAsync("""{"api":"PbxTableUsers","mt":"ReplicateDel","src":"tu","columns":{"guid":"g-bob"}}""");
        Assert.Empty(Forwarding("g-bob"));

        // Bob's row is gone, so Carol's destination is no user of the table any more: external, by its h323.
        Assert.Equal(new Diversion(DiversionKind.Always, null, "bob", IsExternal: true, IsConditional: false), Assert.Single(Forwarding("g-carol")));
        Assert.Empty(_connection.Dropped);
    }

    [Fact]
    public async Task Rows_a_new_connection_does_not_page_again_are_gone()
    {
        await LiveTableAsync(Row("g-anna", "anna", "101", """[{"type":"cfu","e164":"102"}]"""));
        Assert.Single(Forwarding("g-anna"));

        _connection.Dispose();
        _connection = Connect(CallDetails.Full);
        await ListAsync(Anna, Bob, Carol);
        await _connection.FeedAsync(StartResult, Row("g-bob", "bob", "102", """[{"type":"cfb","e164":"103"}]"""), Row("g-carol", "carol", "103", cds: null));
        Assert.Single(Forwarding("g-anna"));

        await _connection.FeedAsync(End);

        Assert.Empty(Forwarding("g-anna"));
        Assert.Equal("Carol Clark", Assert.Single(Forwarding("g-bob")).Shown);
    }

    [Theory]
    [InlineData(CallDetails.Full, null, "00171234567", true)]
    [InlineData(CallDetails.Internal, null, null, true)]
    [InlineData(CallDetails.Off, null, null, false)]
    public async Task An_external_destination_is_shown_as_the_privacy_level_allows(CallDetails details, string? target, string? shown, bool external)
    {
        _connection.Dispose();
        _connection = Connect(details);

        await LiveTableAsync(Row("g-anna", "anna", "101", """[{"type":"cfu","e164":"00171234567"}]"""));

        Assert.Equal(new Diversion(DiversionKind.Always, target, shown, external, IsConditional: false), Assert.Single(Forwarding("g-anna")));
    }

    [Theory]
    [InlineData(CallDetails.Full, "g-bob", "Bob Baker")]
    [InlineData(CallDetails.Internal, "g-bob", "Bob Baker")]
    [InlineData(CallDetails.Off, null, null)]
    public async Task A_colleague_as_destination_is_named_unless_details_are_off(CallDetails details, string? target, string? shown)
    {
        _connection.Dispose();
        _connection = Connect(details);

        await LiveTableAsync(Row("g-anna", "anna", "101", """[{"type":"cfb","e164":"102"}]"""), Row("g-bob", "bob", "102", cds: null));

        Assert.Equal(new Diversion(DiversionKind.Busy, target, shown, IsExternal: false, IsConditional: false), Assert.Single(Forwarding("g-anna")));
    }

    [Fact]
    public async Task Diversions_come_in_the_order_always_busy_no_answer_and_conditions_are_kept()
    {
        await LiveTableAsync(Row("g-anna", "anna", "101", """
            [{"type":"cfnr","e164":"103","bool":"NightMode","bool-not":true},
             {"type":"cfb","h323":"bob","src":"<src type=\"do\"><ep ext=\"true\"/></src>"},
             {"type":"cfu","e164":"0800"},
             {"type":"cfx","e164":"1"},{"type":"cfu"}]
            """), Row("g-bob", "bob", "102", cds: null), Row("g-carol", "carol", "103", cds: null));

        var forwarding = Forwarding("g-anna");
        Assert.Equal([DiversionKind.Always, DiversionKind.Busy, DiversionKind.NoAnswer], forwarding.Select(d => d.Kind));
        Assert.Equal([false, true, true], forwarding.Select(d => d.IsConditional));
        Assert.Equal(["0800", "Bob Baker", "Carol Clark"], forwarding.Select(d => d.Shown));
    }

    [Theory]
    [InlineData("""{"api":"PbxTableUsers","mt":"ReplicateStartResult","src":"tu","error":"no rights"}""")]
    [InlineData("""{"api":"PbxTableUsers","mt":"ReplicateStartResult","src":"tu","columns":{"guid":{},"cn":{}}}""")]
    public async Task A_refused_table_leaves_lamps_working_and_says_so_on_healthz(string refusal)
    {
        await ListAsync(Anna);
        await _connection.FeedAsync(refusal);

        Assert.Equal(("refused", 0), (_directory.Monitoring.Forwarding, _directory.Monitoring.ForwardingUsers));
        Assert.Contains("TableUsers", _directory.Monitoring.Problem, StringComparison.Ordinal);
        Assert.Equal(0, NextRequests());
        Assert.Equal(LampState.Idle, Assert.Single(_directory.Current.Users).Lamp);
    }

    [Fact]
    public async Task Silence_until_the_action_timeout_is_a_refusal_too()
    {
        await ListAsync(Anna);
        Assert.Equal("on", _directory.Monitoring.Forwarding);

        _time.Advance(new PbxOptions().ActionTimeout);

        Assert.Equal("refused", _directory.Monitoring.Forwarding);
    }

    [Theory]
    [InlineData("waiting", false)]
    [InlineData("trunk", false)]
    [InlineData("<pseudo type=\\\"vm\\\"><x/></pseudo>", false)]
    [InlineData("executive", true)]
    [InlineData("", true)]
    public async Task Only_people_get_tiles_whether_RCC_or_the_table_names_the_type(string pseudo, bool shown)
    {
        // The type from RCC's UserInfo…
        await ListAsync(Anna, Bob.Replace("\"regs\"", $"\"pseudo\":\"{pseudo}\",\"regs\"", StringComparison.Ordinal));
        Assert.Equal(shown, _directory.Current.Users.Any(u => u.Guid == "g-bob"));

        // …or, where RCC gives none, from the table's row.
        await _connection.FeedAsync(StartResult, Row("g-anna", "anna", "101", cds: null, pseudo: pseudo), End);
        Assert.Equal(shown, _directory.Current.Users.Any(u => u.Guid == "g-anna"));
    }

    [Fact]
    public async Task Blf_ShowObjects_gives_a_named_type_its_tiles()
    {
        _connection.Dispose();
        var directory = new UserDirectory(_time, new PbxDescription("pbx.test", IsDemo: false), new ShownObjects(["trunk"]));
        using var connection = new PbxConnectionHarness(directory, _time, privacy: new PrivacyOptions { Presence = PresenceDetails.Off, ShowObjects = ["trunk"] });
        await connection.StartAsync();

        await connection.FeedAsync(Anna.Replace("\"regs\"", "\"pseudo\":\"trunk\",\"regs\"", StringComparison.Ordinal), Bob.Replace("\"regs\"", "\"pseudo\":\"executive\",\"regs\"", StringComparison.Ordinal), InitializeResult);

        Assert.Equal(["g-anna"], directory.Current.Users.Select(u => u.Guid));
        Assert.Contains("\"trunk\"", Assert.Single(connection.Sent, s => s.Contains("ReplicateStart", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blf_Forwarding_Off_asks_for_no_table()
    {
        _connection.Dispose();
        _connection = new PbxConnectionHarness(_directory, _time, privacy: new PrivacyOptions { Presence = PresenceDetails.Off, Forwarding = ForwardingDetails.Off });

        await ListAsync(Anna);

        Assert.DoesNotContain(_connection.Sent, s => s.Contains("PbxTableUsers", StringComparison.Ordinal));
        Assert.Equal("off", _directory.Monitoring.Forwarding);
    }

    // PBX groups (grps, PBXAPIS.md §1.6): who is in which group now, bounded, and a malformed column.
    [Fact]
    public async Task Static_and_logged_in_members_are_in_a_group_a_logged_out_one_is_not()
    {
        await LiveTableAsync(
            GroupRow("g-anna", """[{"name":"sales","mode":"active"},{"name":"reception-agents","mode":"active","dyn":"in"}]"""),
            GroupRow("g-bob", """[{"name":"sales"},{"name":"reception-agents","mode":"active","dyn":"out"}]"""));

        Assert.Equal(["sales", "reception-agents"], Groups("g-anna"));
        Assert.Equal(["sales"], Groups("g-bob"));
    }

    [Fact]
    public async Task A_live_update_of_dyn_moves_a_user_in_and_out_and_a_refused_table_leaves_no_groups()
    {
        await LiveTableAsync(GroupRow("g-anna", """[{"name":"reception-agents","mode":"active","dyn":"out"}]"""));
        Assert.Empty(Groups("g-anna"));

        await _connection.FeedAsync(GroupRow("g-anna", """[{"name":"reception-agents","mode":"active","dyn":"in"}]""", mt: "ReplicateUpdate"));
        Assert.Equal(["reception-agents"], Groups("g-anna"));

        // An update without grps: the row is replaced, not merged.
        await _connection.FeedAsync(GroupRow("g-anna", grps: null, mt: "ReplicateUpdate"));
        Assert.Empty(Groups("g-anna"));
        Assert.Empty(_connection.Dropped);
    }

    [Fact]
    public async Task Without_the_table_nobody_is_in_a_group_and_the_lamps_go_on()
    {
        await ListAsync(Anna);
        await _connection.FeedAsync("""{"api":"PbxTableUsers","mt":"ReplicateStartResult","src":"tu","error":"no rights"}""");

        var anna = Assert.Single(_directory.Current.Users);
        Assert.Empty(anna.Groups);
        Assert.Equal(LampState.Idle, anna.Lamp);
        Assert.Contains("PBX groups", _directory.Monitoring.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_are_bounded_in_number_and_name_length_and_kept_once()
    {
        var many = string.Join(',', Enumerable.Range(0, 100).Select(i => $$"""{"name":"g{{i}}"}"""));
        var overlong = new string('x', PbxMessageReader.MaxGroupName + 1);
        await LiveTableAsync(
            GroupRow("g-anna", $"[{many}]"),
            GroupRow("g-bob", $$"""[{"name":"{{overlong}}"},{"name":""},{"name":"  "},{"name":"Sales"},{"name":"sales"},{"mode":"active"},{"name":"x","mode":"standby"}]"""));

        Assert.Equal(PbxMessageReader.MaxGroups, Groups("g-anna").Count);
        Assert.Equal("g0", Groups("g-anna")[0]);
        Assert.Equal(["Sales"], Groups("g-bob"));
    }

    [Theory]
    [InlineData("\"sales\"")]
    [InlineData("[\"sales\"]")]
    [InlineData("[{\"name\":42}]")]
    public async Task A_malformed_grps_drops_the_row_like_a_malformed_cds_and_the_board_goes_on(string grps)
    {
        await LiveTableAsync(GroupRow("g-anna", """[{"name":"sales"}]"""));

        await _connection.FeedAsync(GroupRow("g-anna", grps, mt: "ReplicateUpdate"));

        Assert.Single(_connection.Dropped);
        Assert.Equal(["sales"], Groups("g-anna"));
    }

    [Fact]
    public async Task An_empty_or_null_grps_is_no_group()
    {
        await LiveTableAsync(GroupRow("g-anna", "[]"), GroupRow("g-bob", "null"));

        Assert.Empty(Groups("g-anna"));
        Assert.Empty(Groups("g-bob"));
        Assert.Empty(_connection.Dropped);
    }

    private PbxConnectionHarness Connect(CallDetails details) =>
        new(_directory, _time, privacy: new PrivacyOptions { Presence = PresenceDetails.Off, CallDetails = details });

    private async Task ListAsync(params string[] users)
    {
        await _connection.StartAsync();
        await _connection.FeedAsync([.. users, InitializeResult]);
    }

    private async Task LiveTableAsync(params string[] rows)
    {
        await ListAsync(Anna, Bob, Carol);
        await _connection.FeedAsync([StartResult, .. rows, End]);
        Assert.Empty(_connection.Dropped);
    }

    private int NextRequests() => _connection.Sent.Count(s => s.Contains("\"ReplicateNext\"", StringComparison.Ordinal));

    private IReadOnlyList<Diversion> Forwarding(string guid) => Assert.Single(_directory.Current.Users, u => u.Guid == guid).Forwarding;

    private IReadOnlyList<string> Groups(string guid) => Assert.Single(_directory.Current.Users, u => u.Guid == guid).Groups;

    private static string GroupRow(string guid, string? grps, string mt = "ReplicateNextResult") =>
        Row(guid, guid, "1" + guid.Length, "[]", mt).Replace("\"cds\":[]", grps is null ? "\"cds\":[]" : $"\"cds\":[],\"grps\":{grps}", StringComparison.Ordinal);

    private static string Row(string guid, string h323, string e164, string? cds, string mt = "ReplicateNextResult", string? pseudo = null)
    {
        var extra = (cds is null ? "" : $",\"cds\":{cds}") + (pseudo is null ? "" : $",\"pseudo\":\"{pseudo}\"");
        return $$$"""{"api":"PbxTableUsers","mt":"{{{mt}}}","src":"tu","columns":{"guid":"{{{guid}}}","cn":"{{{h323}}}","h323":"{{{h323}}}","e164":"{{{e164}}}","pwd":"hunter2","devices":[{"hw":"x"}]{{{extra}}}}}""";
    }
}
