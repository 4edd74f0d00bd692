using BlfBlazor.Pbx.Rcc;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using static BlfBlazor.Tests.Calls.CallHarness;

namespace BlfBlazor.Tests.Calls;

/// <summary>
/// <c>Pbx:CallFeed=PerUser</c> against the reference's sequences (CALLS.md §7): what each tile knows
/// about calls after every step.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PerUserCallTests : IDisposable
{
    private const string Ext = """{"e164":"007031123456","h323":"","cn":"","dn":""}""";
    private const string Alice = """{"cn":"alice","dn":"Alice Adams","h323":"alice","e164":"101"}""";
    private const string Bob = """{"cn":"bob","dn":"Bob Baker","h323":"bob","e164":"102"}""";
    private const string Carol = """{"cn":"carol","dn":"Carol Clark","h323":"carol","e164":"103"}""";

    private readonly CallHarness _pbx = new(presence: PresenceDetails.Off);

    public void Dispose() => _pbx.Dispose();

    [Fact]
    public async Task Every_listed_user_is_monitored_once_by_cn_with_a_src_of_its_own()
    {
        await ListCastAsync();

        Assert.Equal(
            ["""{"api":"RCC","mt":"UserInitialize","cn":"olivia","src":"u:g-olivia"}""", """{"api":"RCC","mt":"UserInitialize","cn":"alice","src":"u:g-alice"}""",
             """{"api":"RCC","mt":"UserInitialize","cn":"bob","src":"u:g-bob"}""", """{"api":"RCC","mt":"UserInitialize","cn":"carol","src":"u:g-carol"}"""],
            _pbx.Sent.Where(s => s.Contains("UserInitialize", StringComparison.Ordinal)));
        Assert.Equal(4, _pbx.Calls!.Monitored);

        // An update of a monitored user asks nothing again.
        await _pbx.FeedAsync(UserInfo("g-bob", "bob", "Bob Baker", "102", channel: 1, update: true));
        Assert.Equal(4, _pbx.Sent.Count);
    }

    [Fact]
    public async Task At_most_fifty_requests_are_unanswered_at_a_time()
    {
        var users = Enumerable.Range(0, 120).Select(i => UserInfo($"g{i}", $"user{i}", $"User {i}", $"{200 + i}")).ToArray();
        await _pbx.FeedAsync(users);
        Assert.Equal(PerUserCallFeed.MaxInFlight, _pbx.Sent.Count);

        await _pbx.FeedAsync("""{"api":"RCC","mt":"UserInitializeResult","src":"u:g0","user":1}""", """{"api":"RCC","mt":"UserInitializeResult","src":"u:g1","user":2}""");
        Assert.Equal(PerUserCallFeed.MaxInFlight + 2, _pbx.Sent.Count);
    }

    [Fact]
    public async Task Users_beyond_the_cap_keep_their_lamps_without_call_detail_and_healthz_says_so()
    {
        using var pbx = new CallHarness(presence: PresenceDetails.Off, maxMonitored: 2);
        await pbx.FeedAsync(UserInfo("g1", "a", "A", "1"), UserInfo("g2", "b", "B", "2"), UserInfo("g3", "c", "C", "3"), InitializeResult);

        Assert.Equal(2, pbx.Sent.Count);
        Assert.Contains("Pbx:MaxMonitoredUsers (2)", pbx.Calls!.Problem, StringComparison.Ordinal);
        Assert.Equal(3, pbx.Directory.Current.Users.Length);
    }

    [Fact]
    public async Task An_external_call_rings_is_answered_and_ends_on_the_tile_step_by_step()
    {
        await ListCastAsync();

        await _pbx.FeedAsync(
            UserInfo("g-bob", "bob", "Bob Baker", "102", channel: 1, alert: 1, update: true),
            $$"""{"api":"RCC","mt":"CallInfo","src":"u:g-bob","user":12,"call":301,"conf":"C301","state":129,"msg":"r-setup","peer":{{Ext}},"time":0}""",
            """{"api":"RCC","mt":"CallInfo","src":"u:g-bob","user":12,"call":301,"state":132,"msg":"x-alert","time":0}""");
        var ringing = Assert.Single(_pbx.CallsOf("g-bob"));
        Assert.Equal((CallPhase.Ringing, CallDirection.In, "007031123456", false), (ringing.Phase, ringing.Direction, ringing.Peer!.Shown, ringing.Peer.IsInternal));
        Assert.Equal(_pbx.Time.GetUtcNow().ToUnixTimeMilliseconds(), ringing.SinceUnixMs);

        _pbx.Time.Advance(TimeSpan.FromSeconds(6));
        await _pbx.FeedAsync(
            UserInfo("g-bob", "bob", "Bob Baker", "102", channel: 1, update: true),
            """{"api":"RCC","mt":"CallInfo","src":"u:g-bob","user":12,"call":301,"state":133,"msg":"x-conn","time":6}""");
        var talking = Assert.Single(_pbx.CallsOf("g-bob"));
        Assert.Equal((CallPhase.Talking, "007031123456"), (talking.Phase, talking.Peer!.Shown));

        // The duration is the PBX's own (time), not when the board first saw the call.
        _pbx.Time.Advance(TimeSpan.FromSeconds(92));
        await _pbx.FeedAsync("""{"api":"RCC","mt":"CallInfo","src":"u:g-bob","user":12,"call":301,"state":134,"msg":"r-rel","time":100,"info":[{"type":"cause","vali":16,"vals":"Normal call clearing"}]}""");
        Assert.Equal(CallPhase.Ending, Assert.Single(_pbx.CallsOf("g-bob")).Phase);
        Assert.Equal(_pbx.Time.GetUtcNow().ToUnixTimeMilliseconds() - 100_000, Assert.Single(_pbx.CallsOf("g-bob")).SinceUnixMs);

        await _pbx.FeedAsync("""{"api":"RCC","mt":"CallInfo","src":"u:g-bob","user":12,"call":301,"state":134,"msg":"del","del":true}""");
        Assert.Empty(_pbx.CallsOf("g-bob"));
        Assert.Empty(_pbx.Dropped);
    }

    [Theory]
    [InlineData(""","msg":"del" """)]
    [InlineData(""","msg":"r-rel","del":true """)]
    public async Task Either_end_form_ends_the_leg(string end)
    {
        await ListCastAsync();
        await _pbx.FeedAsync($$"""{"api":"RCC","mt":"CallInfo","user":12,"call":301,"state":133,"msg":"x-conn","peer":{{Ext}}}""");
        Assert.Single(_pbx.CallsOf("g-bob"));

        await _pbx.FeedAsync($$"""{"api":"RCC","mt":"CallInfo","user":12,"call":301,"state":134{{end}}}""");

        Assert.Empty(_pbx.CallsOf("g-bob"));
    }

    [Fact]
    public async Task An_internal_call_shows_each_side_the_other_by_name_and_which_way_it_goes()
    {
        await ListCastAsync();
        await _pbx.FeedAsync(
            $$"""{"api":"RCC","mt":"CallInfo","user":11,"call":310,"conf":"C310","state":1,"msg":"x-setup","peer":{{Bob}}}""",
            $$"""{"api":"RCC","mt":"CallInfo","user":12,"call":311,"conf":"C310","state":129,"msg":"r-setup","peer":{{Alice}}}""",
            """{"api":"RCC","mt":"CallInfo","user":12,"call":311,"state":132,"msg":"x-alert"}""",
            """{"api":"RCC","mt":"CallInfo","user":11,"call":310,"state":4,"msg":"r-alert"}""");

        var alice = Assert.Single(_pbx.CallsOf("g-alice"));
        var bob = Assert.Single(_pbx.CallsOf("g-bob"));
        Assert.Equal((CallDirection.Out, CallPhase.Dialling, "Bob Baker", true), (alice.Direction, alice.Phase, alice.Peer!.Shown, alice.Peer.IsInternal));
        Assert.Equal((CallDirection.In, CallPhase.Ringing, "Alice Adams"), (bob.Direction, bob.Phase, bob.Peer!.Shown));

        await _pbx.FeedAsync(
            """{"api":"RCC","mt":"CallInfo","user":12,"call":311,"state":133,"msg":"x-conn"}""",
            """{"api":"RCC","mt":"CallInfo","user":11,"call":310,"state":5,"msg":"r-conn"}""");
        Assert.Equal(CallPhase.Talking, Assert.Single(_pbx.CallsOf("g-alice")).Phase);
        Assert.Equal(CallPhase.Talking, Assert.Single(_pbx.CallsOf("g-bob")).Phase);
    }

    [Fact]
    public async Task Hold_by_either_side_shows_on_both_tiles_and_retrieve_clears_it()
    {
        await ConnectedInternalCallAsync();

        await _pbx.FeedAsync(
            """{"api":"RCC","mt":"CallInfo","user":11,"call":310,"state":261,"msg":"update"}""",
            """{"api":"RCC","mt":"CallInfo","user":12,"call":311,"state":645,"msg":"r-held"}""");
        Assert.True(Assert.Single(_pbx.CallsOf("g-alice")).IsHeld);
        Assert.True(Assert.Single(_pbx.CallsOf("g-bob")).IsHeld);
        Assert.Equal("Bob Baker", Assert.Single(_pbx.CallsOf("g-alice")).Peer!.Shown);

        await _pbx.FeedAsync(
            """{"api":"RCC","mt":"CallInfo","user":11,"call":310,"state":5,"msg":"update"}""",
            """{"api":"RCC","mt":"CallInfo","user":12,"call":311,"state":133,"msg":"r-retrieved"}""");
        Assert.False(Assert.Single(_pbx.CallsOf("g-alice")).IsHeld);
        Assert.False(Assert.Single(_pbx.CallsOf("g-bob")).IsHeld);
    }

    [Fact]
    public async Task Several_calls_most_urgent_first_a_held_call_and_a_new_one_ringing()
    {
        await ListCastAsync();
        await _pbx.FeedAsync(
            $$"""{"api":"RCC","mt":"CallInfo","user":11,"call":401,"conf":"C401","state":389,"msg":"update","peer":{{Ext}}}""",
            $$"""{"api":"RCC","mt":"CallInfo","user":11,"call":405,"conf":"C405","state":129,"msg":"r-setup","peer":{{Bob}}}""");

        var calls = _pbx.CallsOf("g-alice");
        Assert.Equal([CallPhase.Ringing, CallPhase.Held], calls.Select(c => c.Phase));
        Assert.Equal(["Bob Baker", "007031123456"], calls.Select(c => c.Peer!.Shown));
    }

    [Fact]
    public async Task An_attended_transfer_hands_the_caller_to_the_target_who_sees_who_transferred()
    {
        await ListCastAsync();
        await _pbx.FeedAsync(
            $$"""{"api":"RCC","mt":"CallInfo","user":11,"call":401,"conf":"C401","state":389,"msg":"update","peer":{{Ext}}}""",
            $$"""{"api":"RCC","mt":"CallInfo","user":11,"call":402,"conf":"C402","state":1,"msg":"x-setup","peer":{{Carol}}}""",
            $$"""{"api":"RCC","mt":"CallInfo","user":13,"call":403,"conf":"C402","state":129,"msg":"r-setup","peer":{{Alice}}}""",
            """{"api":"RCC","mt":"CallInfo","user":13,"call":403,"state":133,"msg":"x-conn"}""",
            """{"api":"RCC","mt":"CallInfo","user":11,"call":402,"state":5,"msg":"r-conn"}""");
        Assert.Equal("Alice Adams", Assert.Single(_pbx.CallsOf("g-carol")).Peer!.Shown);

        await _pbx.FeedAsync(
            """{"api":"RCC","mt":"CallInfo","user":11,"call":401,"msg":"del","del":true}""",
            """{"api":"RCC","mt":"CallInfo","user":11,"call":402,"msg":"del","del":true}""",
            $$"""{"api":"RCC","mt":"CallInfo","user":13,"call":403,"conf":"C401","state":133,"msg":"r-ct","peer":{{Ext}},"no":[{"type":"ct","cn":"alice","dn":"Alice Adams","h323":"alice","e164":"101"}]}""");

        Assert.Empty(_pbx.CallsOf("g-alice"));
        var carol = Assert.Single(_pbx.CallsOf("g-carol"));
        Assert.Equal(("007031123456", CallVia.Transferred, "Alice Adams", CallPhase.Talking), (carol.Peer!.Shown, carol.ViaKind, carol.Via, carol.Phase));
    }

    [Fact]
    public async Task A_pickup_moves_the_caller_from_the_ringing_colleague_to_the_operator()
    {
        await ListCastAsync();
        await _pbx.FeedAsync($$"""{"api":"RCC","mt":"CallInfo","user":12,"call":301,"conf":"C301","state":132,"msg":"x-alert","peer":{{Ext}}}""");

        await _pbx.FeedAsync(
            """{"api":"RCC","mt":"CallInfo","user":12,"call":301,"state":134,"msg":"r-rel","info":[{"type":"cause","vali":26}]}""",
            """{"api":"RCC","mt":"CallInfo","user":12,"call":301,"msg":"del"}""",
            $$"""{"api":"RCC","mt":"CallInfo","user":10,"call":502,"conf":"C301","state":129,"msg":"r-setup","peer":{{Ext}},"no":[{"type":"picking"},{"type":"ct","cn":"bob","dn":"Bob Baker","h323":"bob","e164":"102"}]}""");

        Assert.Empty(_pbx.CallsOf("g-bob"));
        var olivia = Assert.Single(_pbx.CallsOf("g-olivia"));
        Assert.Equal((CallVia.PickedUp, "Bob Baker", "007031123456"), (olivia.ViaKind, olivia.Via, olivia.Peer!.Shown));
    }

    [Fact]
    public async Task A_CallInfo_for_an_unknown_handle_is_dropped_and_said_so()
    {
        await ListCastAsync();

        await _pbx.FeedAsync($$"""{"api":"RCC","mt":"CallInfo","user":99,"call":1,"state":133,"msg":"x-conn","peer":{{Ext}}}""");

        Assert.Equal(["CallInfo for an unknown user handle"], _pbx.Dropped);
        Assert.All(_pbx.Directory.Current.Users, u => Assert.Null(u.Activity));
    }

    [Theory]
    [InlineData("""{"api":"RCC","mt":"CallInfo","user":12,"call":"x1","state":133}""", "wrongly typed 'call'")]
    [InlineData("""{"api":"RCC","mt":"CallInfo","user":12,"call":1,"state":133,"peer":"bob"}""", "wrongly typed connector")]
    [InlineData("""{"api":"RCC","mt":"CallInfo","user":12,"call":1,"state":133,"msg":{"x":1}}""", "wrongly typed 'msg'")]
    public async Task A_malformed_CallInfo_is_dropped_with_a_reason_and_changes_nothing(string json, string reason)
    {
        await ListCastAsync();

        await _pbx.FeedAsync(json);

        Assert.Contains(reason, Assert.Single(_pbx.Dropped), StringComparison.Ordinal);
        Assert.Empty(_pbx.CallsOf("g-bob"));
    }

    [Fact]
    public async Task Numbers_sent_as_strings_are_read_as_handles()
    {
        await ListCastAsync();

        await _pbx.FeedAsync($$"""{"api":"RCC","mt":"CallInfo","user":"12","call":"301","state":"133","peer":{{Ext}}}""");

        Assert.Equal(CallPhase.Talking, Assert.Single(_pbx.CallsOf("g-bob")).Phase);
    }

    [Fact]
    public async Task A_lamp_without_channel_drops_legs_the_pbx_never_ended_once_the_grace_is_over()
    {
        await ListCastAsync();
        await _pbx.FeedAsync($$"""{"api":"RCC","mt":"CallInfo","user":12,"call":301,"state":133,"msg":"x-conn","peer":{{Ext}}}""");

        // Within the grace the order of UserInfo and CallInfo is not to be trusted: the leg stays.
        await _pbx.FeedAsync(UserInfo("g-bob", "bob", "Bob Baker", "102", update: true));
        Assert.Single(_pbx.CallsOf("g-bob"));

        _pbx.Time.Advance(TimeSpan.FromSeconds(3));
        await _pbx.FeedAsync(UserInfo("g-bob", "bob", "Bob Baker", "102", update: true));
        Assert.Empty(_pbx.CallsOf("g-bob"));
    }

    [Fact]
    public async Task A_pbx_that_never_ends_its_calls_cannot_grow_a_user_past_the_cap()
    {
        await ListCastAsync();
        for (uint call = 1; call <= 50; call++)
        {
            _pbx.Time.Advance(TimeSpan.FromSeconds(1));
            await _pbx.FeedAsync($$"""{"api":"RCC","mt":"CallInfo","user":12,"call":{{call}},"state":133,"msg":"x-conn","peer":{{Ext}}}""");
        }

        Assert.Equal(UserActivities.MaxCallsPerUser, _pbx.CallsOf("g-bob").Count);
        Assert.Contains(_pbx.CallsOf("g-bob"), c => c.Handle == 50);
    }

    [Fact]
    public async Task A_deleted_user_is_ended_and_forgotten()
    {
        await ListCastAsync();
        await _pbx.FeedAsync($$"""{"api":"RCC","mt":"CallInfo","user":12,"call":301,"state":133,"peer":{{Ext}}}""");

        await _pbx.FeedAsync("""{"api":"RCC","mt":"UserInfo","update":"del","guid":"g-bob"}""");

        Assert.Equal("""{"api":"RCC","mt":"UserEnd","user":12}""", _pbx.Sent[^1]);
        Assert.DoesNotContain(_pbx.Directory.Current.Users, u => u.Guid == "g-bob");
        await _pbx.FeedAsync($$"""{"api":"RCC","mt":"CallInfo","user":12,"call":301,"state":133,"peer":{{Ext}}}""");
        Assert.Equal("CallInfo for an unknown user handle", _pbx.Dropped[^1]);
    }

    [Fact]
    public async Task Calls_from_an_earlier_connection_are_gone_once_the_new_list_completes()
    {
        await ListCastAsync();
        await _pbx.FeedAsync($$"""{"api":"RCC","mt":"CallInfo","user":12,"call":301,"state":133,"peer":{{Ext}}}""");
        IPbxStateWriter state = _pbx.Directory;
        state.ConnectionLost("gone");
        Assert.Single(_pbx.CallsOf("g-bob")); // last known, on a stale board

        // A new connection: its own list, its own monitors (the old handles die with the socket).
        using var next = new NextConnection(_pbx.Directory);
        await next.FeedAsync(UserInfo("g-bob", "bob", "Bob Baker", "102", channel: 1), InitializeResult);

        Assert.Empty(_pbx.CallsOf("g-bob"));
        Assert.Equal(LampState.Busy, _pbx.User("g-bob").Lamp);
    }

    private async Task ListCastAsync()
    {
        await _pbx.FeedAsync(
            UserInfo("g-olivia", "olivia", "Olivia Operator", "100"),
            UserInfo("g-alice", "alice", "Alice Adams", "101"),
            UserInfo("g-bob", "bob", "Bob Baker", "102"),
            UserInfo("g-carol", "carol", "Carol Clark", "103"),
            InitializeResult,
            """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-olivia","user":10}""",
            """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-alice","user":11}""",
            """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-bob","user":12}""",
            """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-carol","user":13}""");
    }

    private async Task ConnectedInternalCallAsync()
    {
        await ListCastAsync();
        await _pbx.FeedAsync(
            $$"""{"api":"RCC","mt":"CallInfo","user":11,"call":310,"conf":"C310","state":5,"msg":"r-conn","peer":{{Bob}}}""",
            $$"""{"api":"RCC","mt":"CallInfo","user":12,"call":311,"conf":"C310","state":133,"msg":"x-conn","peer":{{Alice}}}""");
    }

    /// <summary>A second connection's list over the same directory (no monitors of its own).</summary>
    private sealed class NextConnection : IDisposable
    {
        private readonly PbxConnectionHarness _connection;

        public NextConnection(UserDirectory directory)
        {
            _connection = new PbxConnectionHarness(directory, TimeProvider.System);
            _connection.StartAsync().GetAwaiter().GetResult();
        }

        public async Task FeedAsync(params string[] frames)
        {
            await _connection.FeedAsync(frames);
            Assert.Empty(_connection.Dropped);
        }

        public void Dispose() => _connection.Dispose();
    }
}
