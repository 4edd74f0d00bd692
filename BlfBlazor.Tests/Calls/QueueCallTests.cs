using BlfBlazor.Pbx;
using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using static BlfBlazor.Tests.Calls.CallHarness;

namespace BlfBlazor.Tests.Calls;

/// <summary>
/// Waiting queues against the reference's sequences (PBXAPIS.md §5): what a queue card knows after every
/// step, in each form a real PBX may report it (the simulator's queue switches).
/// </summary>
[Trait("Category", "Unit")]
public sealed class QueueCallTests : IDisposable
{
    private const string Ext = """{"e164":"007031123456","h323":"","cn":"","dn":""}""";
    private const string Alice = """{"cn":"alice","dn":"Alice Adams","h323":"alice","e164":"101"}""";
    private const string QueueInfo = """{"api":"RCC","mt":"UserInfo","src":"blf","guid":"g-rec","cn":"Reception","dn":"Reception","e164":"200","h323":"reception","pseudo":"waiting"}""";

    private readonly CallHarness _pbx = new(presence: PresenceDetails.Off);

    public void Dispose() => _pbx.Dispose();

    private WaitingQueue Queue => Assert.Single(_pbx.Directory.Queues.Current.Queues);

    [Fact]
    public async Task A_waiting_queue_is_monitored_by_its_cn_and_gets_a_card_not_a_tile()
    {
        await ListCastAsync();

        Assert.Contains("""{"api":"RCC","mt":"UserInitialize","cn":"Reception","src":"q:g-rec"}""", _pbx.Sent);
        Assert.DoesNotContain(_pbx.Directory.Current.Users, u => u.Guid == "g-rec");
        Assert.Equal(("Reception", "200", 0), (Queue.Name, Queue.Number, Queue.Callers.Length));
        Assert.Equal(1, _pbx.Directory.Monitoring.Queues);
    }

    [Fact]
    public async Task A_queue_only_the_user_table_lists_gets_a_card_too()
    {
        await _pbx.FeedAsync(UserInfo("g-alice", "alice", "Alice Adams", "101"), InitializeResult);
        await _pbx.FeedAsync(
            """{"api":"PbxTableUsers","mt":"ReplicateStartResult","src":"tu","columns":{"guid":{},"cn":{},"h323":{},"e164":{},"pseudo":{},"cds":{}}}""",
            """{"api":"PbxTableUsers","mt":"ReplicateNextResult","src":"tu","columns":{"guid":"g-rec","cn":"Reception","h323":"reception","e164":"200","pseudo":"<pseudo type=\"waiting\"/>"}}""");

        Assert.Contains("""{"api":"RCC","mt":"UserInitialize","cn":"Reception","src":"q:g-rec"}""", _pbx.Sent);
        Assert.Equal("Reception", Queue.Name);
    }

    [Theory]
    [InlineData(132, "x-alert")] // QueueWaitForm=Alerting
    [InlineData(133, "x-conn")] // Announcement: connected to the announcement is no answer
    [InlineData(1156, "x-alert")] // QueueWaitingBit
    [InlineData(1157, "x-conn")]
    public async Task A_caller_arrives_and_waits_with_the_wait_counted_from_first_sight(int waitState, string msg)
    {
        await ListCastAsync();
        var arrived = _pbx.Time.GetUtcNow().ToUnixTimeMilliseconds();
        await ArriveAsync(705, "C7");
        _pbx.Time.Advance(TimeSpan.FromSeconds(3));
        await _pbx.FeedAsync($$"""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"conf":"C7","state":{{waitState}},"msg":"{{msg}}","peer":{{Ext}}}""");

        var caller = Assert.Single(Queue.Callers);
        Assert.Equal((705u, "007031123456", arrived, false), (caller.Call, caller.Caller!.Shown, caller.SinceUnixMs, caller.RingingAtAgents));
        Assert.Equal(arrived, Queue.LongestSinceUnixMs);
        Assert.Equal(1, Queue.LastHour.Offered);
        Assert.Empty(_pbx.Dropped);
    }

    [Fact]
    public async Task A_caller_rings_at_agents_and_an_agent_answers_and_the_card_names_who()
    {
        await ListCastAsync();
        await ArriveAsync(705, "C7");
        await RingAtAliceAsync(301, "C7");
        Assert.True(Assert.Single(Queue.Callers).RingingAtAgents);

        _pbx.Time.Advance(TimeSpan.FromSeconds(20));
        await _pbx.FeedAsync(
            """{"api":"RCC","mt":"CallInfo","src":"u:g-alice","user":11,"call":301,"conf":"C7","state":133,"msg":"x-conn"}""",
            """{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"conf":"C7","state":132,"msg":"del","del":true}""");

        Assert.Empty(Queue.Callers);
        Assert.Null(Queue.LongestSinceUnixMs);
        Assert.Equal(new QueueDeparture(QueueOutcome.Answered, "Alice Adams", _pbx.Time.GetUtcNow().ToUnixTimeMilliseconds()), Queue.LastDeparture);
        Assert.Equal(new QueueHour(1, 1, 0, 20_000), Queue.LastHour);
    }

    [Fact]
    public async Task An_agent_leg_reported_before_its_caller_makes_the_caller_ring_at_agents()
    {
        // After a reconnect the agents' monitors may replay their legs before the queue's monitor reports the caller.
        await ListCastAsync();
        await RingAtAliceAsync(301, "C7");
        await ArriveAsync(705, "C7");

        Assert.True(Assert.Single(Queue.Callers).RingingAtAgents);
    }

    [Fact]
    public async Task An_agent_leg_that_ends_unanswered_stops_the_ringing()
    {
        await ListCastAsync();
        await ArriveAsync(705, "C7");
        await RingAtAliceAsync(301, "C7");
        await _pbx.FeedAsync("""{"api":"RCC","mt":"CallInfo","src":"u:g-alice","user":11,"call":301,"state":135,"msg":"del","del":true}""");

        Assert.False(Assert.Single(Queue.Callers).RingingAtAgents);
    }

    [Fact]
    public async Task Legs_toward_agents_on_the_queues_own_handle_show_the_ringing()
    {
        await ListCastAsync();
        await ArriveAsync(705, "C7");
        await _pbx.FeedAsync(
            $$"""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":706,"conf":"C7","state":1,"msg":"x-setup","peer":{{Alice}}}""",
            $$"""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":706,"conf":"C7","state":4,"msg":"r-alert","peer":{{Alice}}}""");
        Assert.True(Assert.Single(Queue.Callers).RingingAtAgents);

        await _pbx.FeedAsync("""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":706,"conf":"C7","state":4,"msg":"del","del":true}""");
        var caller = Assert.Single(Queue.Callers);
        Assert.Equal((705u, false), (caller.Call, caller.RingingAtAgents));
    }

    [Theory]
    [InlineData("""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"state":134,"msg":"r-rel","info":[{"type":"cause","vali":26,"vals":"Non-selected user clearing"}]}""", null)]
    [InlineData("""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"state":133,"msg":"r-conn","peer":{"cn":"alice","dn":"Alice Adams","h323":"alice","e164":"101"}}""", "Alice Adams")]
    public async Task The_queue_leg_itself_may_say_that_an_agent_answered(string answer, string? by)
    {
        await ListCastAsync();
        await ArriveAsync(705, "C7");
        await _pbx.FeedAsync(answer, """{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"msg":"del"}""");

        Assert.Equal((QueueOutcome.Answered, by), (Queue.LastDeparture!.Outcome, Queue.LastDeparture.By));
        Assert.Equal(new QueueHour(1, 1, 0, 0), Queue.LastHour);
    }

    [Fact]
    public async Task A_caller_who_hangs_up_while_waiting_is_abandoned()
    {
        await ListCastAsync();
        await ArriveAsync(705, "C7");
        await RingAtAliceAsync(301, "C7");
        _pbx.Time.Advance(TimeSpan.FromSeconds(40));
        await _pbx.FeedAsync(
            """{"api":"RCC","mt":"CallInfo","src":"u:g-alice","user":11,"call":301,"state":134,"msg":"r-rel","info":[{"type":"cause","vali":16,"vals":"Normal call clearing"}]}""",
            """{"api":"RCC","mt":"CallInfo","src":"u:g-alice","user":11,"call":301,"msg":"del","del":true}""",
            """{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"state":134,"msg":"r-rel","info":[{"type":"cause","vali":16,"vals":"Normal call clearing"}]}""",
            """{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"msg":"del","del":true}""");

        Assert.Empty(Queue.Callers);
        Assert.Equal(QueueOutcome.Abandoned, Queue.LastDeparture!.Outcome);
        Assert.Equal(new QueueHour(1, 0, 1, 40_000), Queue.LastHour);
    }

    [Theory]
    [InlineData("")] // ElsewhereCause=None: the picked leg, coming after, says it was taken
    [InlineData(""","info":[{"type":"cause","vali":26,"vals":"Non-selected user clearing"}]""")]
    public async Task A_caller_taken_by_an_operator_counts_as_answered_and_says_by_whom(string cause)
    {
        await ListCastAsync();
        await ArriveAsync(705, "C7");
        await _pbx.FeedAsync(
            $$"""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"state":134,"msg":"r-rel"{{cause}}}""",
            """{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"msg":"del","del":true}""",
            $$"""{"api":"RCC","mt":"CallInfo","src":"u:g-olivia","user":10,"call":506,"conf":"C7","state":129,"msg":"r-setup","peer":{{Ext}},"no":[{"type":"picking"},{"type":"ct","cn":"Reception"}]}""");

        Assert.Equal((QueueOutcome.Taken, "Olivia Operator"), (Queue.LastDeparture!.Outcome, Queue.LastDeparture.By));
        Assert.Equal(new QueueHour(1, 1, 0, 0), Queue.LastHour);
    }

    [Fact]
    public async Task A_caller_the_queues_forwarding_sends_on_is_neither_answered_nor_abandoned()
    {
        await ListCastAsync();
        await ArriveAsync(705, "C7");
        await _pbx.FeedAsync(
            """{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"state":134,"msg":"r-rel"}""",
            """{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"msg":"del","del":true}""",
            $$"""{"api":"RCC","mt":"CallInfo","src":"u:g-bob","user":12,"call":801,"conf":"C7","state":129,"msg":"r-setup","peer":{{Ext}},"no":[{"type":"leg2","cn":"Reception"}]}""",
            """{"api":"RCC","mt":"CallInfo","src":"u:g-bob","user":12,"call":801,"conf":"C7","state":133,"msg":"x-conn"}""");

        Assert.Equal(QueueOutcome.Overflowed, Queue.LastDeparture!.Outcome);
        Assert.Equal(new QueueHour(1, 0, 0, null), Queue.LastHour);
    }

    [Fact]
    public async Task A_reconnect_in_the_middle_shows_who_waits_now_and_restarts_the_figures()
    {
        await ListCastAsync();
        var arrived = _pbx.Time.GetUtcNow().ToUnixTimeMilliseconds();
        await ArriveAsync(705, "C7");
        await ArriveAsync(707, "C9");
        await _pbx.FeedAsync("""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":707,"msg":"del","del":true}""");
        Assert.False(_pbx.Directory.Queues.Current.FiguresRestarted);
        IPbxStateWriter state = _pbx.Directory;
        state.ConnectionLost("gone");
        Assert.Single(Queue.Callers); // last known

        // The new connection lists and monitors the queue anew; the PBX reports who still waits (new handles).
        var restarted = _pbx.Time.GetUtcNow().ToUnixTimeMilliseconds();
        using var next = new PbxConnectionHarness(_pbx.Directory, _pbx.Time, new PbxOptions { CallFeed = CallFeed.PerUser }, new PrivacyOptions { Presence = PresenceDetails.Off, Forwarding = ForwardingDetails.Off });
        await next.StartAsync();
        await next.FeedAsync(QueueInfo, InitializeResult, """{"api":"RCC","mt":"UserInitializeResult","src":"q:g-rec","user":40}""");
        Assert.Empty(Queue.Callers);
        _pbx.Time.Advance(TimeSpan.FromSeconds(30));
        await next.FeedAsync($$"""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":40,"call":905,"conf":"C7","state":132,"msg":"x-alert","peer":{{Ext}},"time":30}""");

        var snapshot = _pbx.Directory.Queues.Current;
        Assert.True(snapshot.FiguresRestarted);
        Assert.Equal(restarted, snapshot.FiguresSinceUnixMs);
        var caller = Assert.Single(Queue.Callers);
        Assert.Equal((905u, arrived), (caller.Call, caller.SinceUnixMs)); // the same call (conf) keeps its wait
        Assert.Equal(new QueueHour(1, 0, 0, null), Queue.LastHour);
        Assert.Empty(next.Dropped);
    }

    [Fact]
    public async Task A_queue_gone_from_the_list_loses_its_card_and_its_monitor()
    {
        await ListCastAsync();
        await _pbx.FeedAsync("""{"api":"RCC","mt":"UserInfo","src":"blf","update":"del","guid":"g-rec"}""");

        Assert.Empty(_pbx.Directory.Queues.Current.Queues);
        Assert.Equal("""{"api":"RCC","mt":"UserEnd","user":20}""", _pbx.Sent[^1]);
    }

    [Fact]
    public async Task The_hour_counts_only_calls_of_the_last_hour()
    {
        await ListCastAsync();
        await ArriveAsync(705, "C7");
        await _pbx.FeedAsync("""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"msg":"del","del":true}""");
        _pbx.Time.Advance(TimeSpan.FromMinutes(30));
        await ArriveAsync(706, "C8");
        Assert.Equal(2, Queue.LastHour.Offered);

        var version = _pbx.Directory.Queues.Current.Version;
        _pbx.Time.Advance(TimeSpan.FromMinutes(31));

        // No PBX news: the clock alone moved the first call out of the hour, and the card changed with it.
        Assert.True(_pbx.Directory.Queues.Current.Version > version);
        Assert.Equal(new QueueHour(1, 0, 0, null), Queue.LastHour);
    }

    [Fact]
    public async Task The_alert_comes_when_the_longest_wait_passes_the_alert_time()
    {
        await ListCastAsync();
        using var changes = _pbx.Directory.Queues.Subscribe();
        await ArriveAsync(705, "C7");
        _pbx.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(Queue.Alert);

        await changes.WaitForChangeAsync(CancellationToken.None); // drains the arrival's signal
        _pbx.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(changes.WaitForChangeAsync(CancellationToken.None).AsTask().IsCompleted); // woken by the clock alone
        Assert.True(Queue.Alert);

        await _pbx.FeedAsync("""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":705,"msg":"del","del":true}""");
        Assert.False(Queue.Alert);
    }

    [Fact]
    public void The_alert_time_is_checked_at_start_up_naming_the_key()
    {
        var validator = new QueueOptionsValidator();
        Assert.True(validator.Validate(null, new QueueOptions()).Succeeded);
        var failed = validator.Validate(null, new QueueOptions { AlertSeconds = 0 });
        Assert.True(failed.Failed);
        Assert.Contains("Blf:Queues:AlertSeconds", failed.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Waiting_queues_never_get_a_person_tile_even_when_named_in_ShowObjects()
    {
        var shown = new PrivacyOptions { ShowObjects = ["waiting", "trunk"] }.Shown();
        Assert.False(shown.IsShown("waiting"));
        Assert.True(shown.IsShown("trunk"));
    }

    private async Task ListCastAsync()
    {
        await _pbx.FeedAsync(
            UserInfo("g-olivia", "olivia", "Olivia Operator", "100"),
            UserInfo("g-alice", "alice", "Alice Adams", "101"),
            UserInfo("g-bob", "bob", "Bob Baker", "102"),
            QueueInfo,
            InitializeResult,
            """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-olivia","user":10}""",
            """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-alice","user":11}""",
            """{"api":"RCC","mt":"UserInitializeResult","src":"u:g-bob","user":12}""",
            """{"api":"RCC","mt":"UserInitializeResult","src":"q:g-rec","user":20}""");
        Assert.Empty(_pbx.Dropped);
    }

    private Task ArriveAsync(uint call, string conf) => _pbx.FeedAsync(
        $$"""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":{{call}},"conf":"{{conf}}","state":129,"msg":"r-setup","peer":{{Ext}},"time":0}""",
        $$"""{"api":"RCC","mt":"CallInfo","src":"q:g-rec","user":20,"call":{{call}},"conf":"{{conf}}","state":132,"msg":"x-alert","peer":{{Ext}},"time":0}""");

    private Task RingAtAliceAsync(uint call, string conf) => _pbx.FeedAsync(
        $$"""{"api":"RCC","mt":"CallInfo","src":"u:g-alice","user":11,"call":{{call}},"conf":"{{conf}}","state":129,"msg":"r-setup","peer":{{Ext}},"no":[{"type":"leg2","cn":"Reception","e164":"200"}]}""",
        $$"""{"api":"RCC","mt":"CallInfo","src":"u:g-alice","user":11,"call":{{call}},"conf":"{{conf}}","state":132,"msg":"x-alert","peer":{{Ext}}}""");
}
