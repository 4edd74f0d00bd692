using System.Buffers;
using BlfBlazor.Pbx;
using BlfBlazor.Pbx.Rcc;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Pbx;

/// <summary>
/// The connection's dispatcher without a socket: each message reaches the client of its API, and
/// within RCC the requester its <c>src</c> names (CALLS.md §1.1): the user list, the call monitor or a
/// call control. What nobody asked for is dropped with a reason; other APIs' messages are ignored.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PbxDispatcherTests : IDisposable
{
    private const string Anna = """{"api":"RCC","mt":"UserInfo","src":"blf","guid":"g-anna","cn":"anna","dn":"Anna Berger","e164":"101","h323":"anna","regs":[{"hw":"x"}]}""";
    private const string InitializeResult = """{"api":"RCC","mt":"InitializeResult","src":"blf"}""";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly UserDirectory _directory;
    private readonly RecordingCallControl _control = new();
    private readonly PbxConnectionHarness _connection;

    public PbxDispatcherTests()
    {
        _directory = new UserDirectory(_time, new PbxDescription("pbx.test", IsDemo: false));
        _connection = new PbxConnectionHarness(
            _directory,
            _time,
            new PbxOptions { CallFeed = CallFeed.PerUser },
            new PrivacyOptions { Presence = PresenceDetails.On },
            [_control]);
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task Start_asks_for_the_user_list_then_the_call_controls_ask_for_their_handles_then_the_user_table()
    {
        await _connection.StartAsync();

        Assert.Equal(3, _connection.Sent.Count);
        Assert.Equal(["""{"api":"RCC","mt":"Initialize","src":"blf"}""", """{"control":"started"}"""], _connection.Sent[..2]);
        Assert.StartsWith("""{"api":"PbxTableUsers","mt":"ReplicateStart",""", _connection.Sent[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_object_without_a_tile_gets_no_call_monitor_and_no_presence_subscription()
    {
        await _connection.StartAsync();
        _connection.Sent.Clear();

        await _connection.FeedAsync(
            """{"api":"RCC","mt":"UserInfo","src":"blf","guid":"g-trunk","cn":"trunk","h323":"trunk","pseudo":"trunk","regs":[{}]}""",
            """{"api":"RCC","mt":"UserInfo","src":"blf","guid":"g-boss","cn":"boss","dn":"Bea Boss","h323":"boss","pseudo":"executive","regs":[{}]}""",
            InitializeResult);

        Assert.Empty(_connection.Dropped);
        Assert.Equal(["g-boss"], _directory.Current.Users.Select(u => u.Guid));
        Assert.DoesNotContain(_connection.Sent, s => s.Contains("trunk", StringComparison.Ordinal));
        Assert.Contains(_connection.Sent, s => s.Contains("UserInitialize", StringComparison.Ordinal) && s.Contains("boss", StringComparison.Ordinal));
        Assert.Contains(_connection.Sent, s => s.Contains("SubscribePresence", StringComparison.Ordinal) && s.Contains("boss", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_listed_user_reaches_the_board_then_the_call_monitor_then_presence()
    {
        await _connection.StartAsync();
        _connection.Sent.Clear();

        await _connection.FeedAsync(Anna, InitializeResult);

        Assert.Empty(_connection.Dropped);
        Assert.Equal("Anna Berger", Assert.Single(_directory.Current.Users).DisplayName);
        Assert.Equal(
            ["""{"api":"RCC","mt":"UserInitialize","cn":"anna","src":"u:g-anna"}""", """{"api":"PbxApi","mt":"SubscribePresence","sip":"anna","src":"p:g-anna"}"""],
            _connection.Sent);
    }

    [Fact]
    public async Task A_CallInfo_goes_to_whom_its_src_names_and_without_src_to_the_owner_of_its_handle()
    {
        await ListAnnaMonitoredAsync(handle: 7);

        // The control's src: the control, even on a handle the monitor knows.
        await _connection.FeedAsync("""{"api":"RCC","mt":"CallInfo","src":"o:olivia","user":7,"call":1,"state":5}""");
        Assert.Single(_control.Taken);
        Assert.Empty(Calls("g-anna"));

        // The monitor's src: the monitor, onto Anna's tile.
        await _connection.FeedAsync("""{"api":"RCC","mt":"CallInfo","src":"u:g-anna","user":7,"call":2,"state":5}""");
        Assert.Single(_control.Taken);
        Assert.Equal(2u, Assert.Single(Calls("g-anna")).Handle);

        // No src: the control's handle goes to the control, any other to the monitor.
        _control.Handles.Add(9);
        await _connection.FeedAsync(
            """{"api":"RCC","mt":"CallInfo","user":9,"call":3,"state":5}""",
            """{"api":"RCC","mt":"CallInfo","user":7,"call":4,"state":5}""");
        Assert.Equal(2, _control.Taken.Count);
        Assert.Equal([2u, 4u], Calls("g-anna").Select(c => c.Handle).Order());
        Assert.Empty(_connection.Dropped);
    }

    [Fact]
    public async Task Answers_nobody_asked_for_are_dropped_with_a_reason()
    {
        await ListAnnaMonitoredAsync(handle: 7);

        await _connection.FeedAsync(
            """{"api":"RCC","mt":"UserCallResult","src":"a:99","call":5}""",
            """{"api":"RCC","mt":"UserPickupResult","src":"x:1"}""",
            """{"api":"RCC","mt":"CallInfo","src":"u:g-nobody","user":99,"call":1,"state":5}""");

        Assert.Equal(
            ["ActionResult nobody waits for", "ActionResult nobody waits for", "CallInfo for an unknown user handle"],
            _connection.Dropped);
    }

    [Fact]
    public async Task Presence_reaches_the_board_only_through_the_presence_client()
    {
        await ListAnnaMonitoredAsync(handle: 7);

        await _connection.FeedAsync("""{"api":"PbxApi","mt":"PresenceUpdate","src":"p:g-anna","presence":[{"activity":"away","note":"lunch"}]}""");

        Assert.Equal("away", Assert.Single(_directory.Current.Users).Activity!.Presence!.Activity);
        Assert.Empty(_connection.Dropped);
    }

    [Fact]
    public async Task Without_presence_a_presence_message_is_dropped_and_the_user_is_not_subscribed()
    {
        using var connection = new PbxConnectionHarness(_directory, _time, new PbxOptions { CallFeed = CallFeed.Off });
        await connection.StartAsync();
        await connection.FeedAsync(Anna, InitializeResult, """{"api":"PbxApi","mt":"PresenceUpdate","src":"p:g-anna","presence":[{"activity":"away"}]}""");

        Assert.Equal(["""{"api":"RCC","mt":"Initialize","src":"blf"}"""], connection.Sent);
        Assert.Equal(["PresenceUpdate nobody waits for"], connection.Dropped);
        Assert.Null(Assert.Single(_directory.Current.Users).Activity);
    }

    [Fact]
    public async Task Messages_of_other_APIs_and_unknown_types_are_ignored_not_applied_and_not_dropped()
    {
        await ListAnnaMonitoredAsync(handle: 7);
        var before = _directory.Current;

        await _connection.FeedAsync(
            """{"api":"PbxAdminApi","mt":"GetObjectResult","src":"t","guid":"g-anna","cn":"anna","dn":"Someone Else"}""",
            """{"api":"PbxApi","mt":"UserInfo","guid":"g-eve","cn":"eve","dn":"Eve","regs":[{}]}""",
            """{"api":"RCC","mt":"DevicesInfo","user":7}""");

        Assert.Empty(_connection.Dropped);
        Assert.Same(before, _directory.Current);
        Assert.Empty(_control.Taken);
    }

    [Fact]
    public async Task A_message_without_api_belongs_to_the_API_of_its_type()
    {
        await _connection.StartAsync();

        await _connection.FeedAsync(
            """{"mt":"UserInfo","guid":"g-anna","cn":"anna","dn":"Anna Berger","h323":"anna","regs":[{}]}""",
            """{"mt":"InitializeResult"}""",
            """{"mt":"PresenceUpdate","src":"p:g-anna","presence":[{"activity":"dnd"}]}""");

        Assert.Empty(_connection.Dropped);
        Assert.Equal("dnd", Assert.Single(_directory.Current.Users).Activity!.Presence!.Activity);
    }

    [Fact]
    public async Task The_end_of_the_connection_reaches_the_call_controls_and_health_stops_claiming_handles()
    {
        await ListAnnaMonitoredAsync(handle: 7);
        Assert.Equal(1, _directory.Monitoring.Monitored);

        _connection.Dispose();

        Assert.True(_control.Detached);
        Assert.Equal(0, _directory.Monitoring.Monitored);
    }

    private async Task ListAnnaMonitoredAsync(uint handle)
    {
        await _connection.StartAsync();
        await _connection.FeedAsync(Anna, InitializeResult, $$"""{"api":"RCC","mt":"UserInitializeResult","src":"u:g-anna","user":{{handle}}}""");
        Assert.Empty(_connection.Dropped);
    }

    private IReadOnlyList<CallLeg> Calls(string guid) => _directory.Current.Users.Single(u => u.Guid == guid).Activity?.Calls ?? [];

    /// <summary>A call control that owns <c>o:</c> and <c>a:1</c>, and the handles it is given; it keeps what it took.</summary>
    private sealed class RecordingCallControl : IRccCallControl, IRccCallControlLink
    {
        private PbxSend? _send;

        public List<PbxMessage> Taken { get; } = [];

        public HashSet<uint> Handles { get; } = [];

        public bool Detached { get; private set; }

        public IRccCallControlLink Attach(PbxSend send)
        {
            _send = send;
            return this;
        }

        public bool Owns(string src) => src.StartsWith("o:", StringComparison.Ordinal) || src == "a:1";

        public ValueTask StartAsync(CancellationToken cancellationToken) =>
            _send!(output => output.Write("""{"control":"started"}"""u8), cancellationToken);

        public bool TryHandle(in PbxMessage message)
        {
            if (message.Src is null && !Handles.Contains(message.UserHandle))
            {
                return false;
            }

            Taken.Add(message);
            return true;
        }

        public void Dispose() => Detached = true;
    }
}
