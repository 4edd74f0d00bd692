using System.Globalization;
using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Scenario;
using Microsoft.Extensions.Time.Testing;
using static BlfBlazor.Tests.Simulator.CallFeedSession;

namespace BlfBlazor.Tests.Simulator;

/// <summary>
/// A waiting queue over a real WebSocket (PBXAPIS.md §5, §9.5): a caller waits on the queue's handle, rings
/// at the agents, and is answered, given up or taken by UserPickup; a late pickup gets <c>call:0</c>; each
/// queue switch in its forms. Cast: users[0..3] play Olivia (the operator), Alice and Bob (agents of
/// reception-agents, logged in) and Carol; the queue is Reception. Frames read as "&lt;who&gt; &lt;state&gt; &lt;msg&gt;".
/// </summary>
[Trait("Category", "Integration")]
public class SimulatorQueueTests
{
    private const string Caller = "07031999888";

    [Fact]
    public async Task Answered_the_caller_waits_at_the_queue_rings_at_both_agents_and_Alice_answers_as_in_9_5()
    {
        await using var queue = await QueueSession.StartAsync(new ProtocolVariants());
        await queue.Feed.InitializeAsync();
        await queue.MonitorAsync("Reception", "Alice", "Bob");

        var started = queue.Feed.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);
        var waiting = await queue.ReadAsync();

        Assert.Equal(
            ["UserInfo Reception 1/1", "Reception 129 r-setup", "Reception 132 x-alert", "UserInfo Alice 1/1", "UserInfo Bob 1/1",
             "Alice 129 r-setup", "Alice 132 x-alert", "Bob 129 r-setup", "Bob 132 x-alert"],
            waiting.Select(queue.Line));
        var queueLeg = waiting[1];
        Assert.Equal(started.CalleeLeg, queueLeg.GetProperty("call").GetInt32());
        Assert.Equal(Caller, queueLeg.GetProperty("peer").GetProperty("e164").GetString());
        Assert.All(waiting.Where(frame => Mt(frame) == "CallInfo"), frame => Assert.Equal(queueLeg.GetProperty("conf").GetString(), frame.GetProperty("conf").GetString()));
        var aliceLeg = waiting[5];
        Assert.Equal(Caller, aliceLeg.GetProperty("peer").GetProperty("e164").GetString());
        Assert.Equal("""[{"type":"leg2","cn":"Reception","dn":"Reception","h323":"reception","e164":"200"}]""", aliceLeg.GetProperty("no").GetRawText());
        var ringing = Assert.Single(Assert.Single(queue.Feed.Pbx.Queues, truth => truth.Cn == "Reception").Waiting);
        Assert.Equal((started.CalleeLeg, Caller, true), (ringing.Call, ringing.Caller, ringing.RingingAtAgents));

        Assert.True(queue.Feed.Pbx.Answer(aliceLeg.GetProperty("call").GetInt32()));
        var answered = await queue.ReadAsync();

        Assert.Equal(
            ["UserInfo Alice 0/1", "Alice 133 x-conn", "Bob 134 r-rel", "Bob 134 del del", "UserInfo Bob 0/0", "Reception 132 del del", "UserInfo Reception 0/0"],
            answered.Select(queue.Line));
        Assert.Equal(26, Cause(answered[2]));
        var truth = Assert.Single(queue.Feed.Pbx.Queues, truth => truth.Cn == "Reception");
        Assert.Equal((1, 1, 0, 0), (truth.Offered, truth.Answered, truth.Abandoned, truth.Waiting.Count));
        Assert.Single(queue.Feed.Pbx.Truth.Calls[queue.Guid("Alice")], leg => leg.Phase == CallPhase.Talking && leg.Peer == Caller);
    }

    [Fact]
    public async Task Abandoned_the_caller_hangs_up_and_every_leg_ends_with_cause_16()
    {
        await using var queue = await QueueSession.StartAsync(new ProtocolVariants());
        await queue.Feed.InitializeAsync();
        await queue.MonitorAsync("Reception", "Alice", "Bob");
        var started = queue.Feed.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);
        await queue.ReadAsync();

        Assert.True(queue.Feed.Pbx.AbandonQueueCall(started.CalleeLeg));
        var abandoned = await queue.ReadAsync();

        Assert.Equal(
            ["Reception 134 r-rel", "Alice 134 r-rel", "Bob 134 r-rel", "Reception 134 del del", "Alice 134 del del", "Bob 134 del del",
             "UserInfo Reception 0/0", "UserInfo Alice 0/0", "UserInfo Bob 0/0"],
            abandoned.Select(queue.Line));
        Assert.All(abandoned.Take(3), frame => Assert.Equal(16, Cause(frame)));
        var truth = Assert.Single(queue.Feed.Pbx.Queues, truth => truth.Cn == "Reception");
        Assert.Equal((1, 0, 1, 0), (truth.Offered, truth.Answered, truth.Abandoned, truth.Waiting.Count));
        Assert.False(queue.Feed.Pbx.AbandonQueueCall(started.CalleeLeg));
    }

    [Fact]
    public async Task Taken_by_UserPickup_the_queue_leg_ends_with_cause_26_the_operator_gets_the_caller_and_a_late_pickup_gets_call_0()
    {
        await using var queue = await QueueSession.StartAsync(new ProtocolVariants());
        await queue.Feed.InitializeAsync();
        var handles = await queue.MonitorAsync("Reception", "Alice", "Bob", "Olivia");
        var started = queue.Feed.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);
        var waiting = await queue.ReadAsync();
        var pickup = $$"""{"api":"RCC","mt":"UserPickup","user":{{handles["Olivia"]}},"cn":"Reception","call":{{started.CalleeLeg}},"src":"a:31"}""";

        await queue.Feed.SendAsync(pickup);
        var taken = await queue.ReadAsync();

        var picked = taken[0].GetProperty("call").GetInt32();
        Assert.Equal(
            [$"UserPickupResult call {picked}", "Reception 134 r-rel", "Reception 134 del del", "Alice 134 r-rel", "Alice 134 del del", "UserInfo Alice 0/0",
             "Bob 134 r-rel", "Bob 134 del del", "UserInfo Bob 0/0", "UserInfo Reception 0/0", "UserInfo Olivia 1/1", "Olivia 129 r-setup", "Olivia 132 x-alert"],
            taken.Select(queue.Line));
        Assert.Equal(26, Cause(taken[1]));
        var olivias = taken[^2];
        Assert.Equal((picked, Caller), (olivias.GetProperty("call").GetInt32(), olivias.GetProperty("peer").GetProperty("e164").GetString()));
        Assert.Equal(waiting[1].GetProperty("conf").GetString(), olivias.GetProperty("conf").GetString());
        Assert.Equal("""[{"type":"picking"},{"type":"ct","cn":"Reception","dn":"Reception","h323":"reception","e164":"200"}]""", olivias.GetProperty("no").GetRawText());

        await queue.Feed.SendAsync(pickup);
        Assert.Equal(["UserPickupResult call 0"], (await queue.ReadAsync()).Select(queue.Line));
        var truth = Assert.Single(queue.Feed.Pbx.Queues, truth => truth.Cn == "Reception");
        Assert.Equal((1, 1, 0, 0), (truth.Offered, truth.Answered, truth.Abandoned, truth.Waiting.Count));
    }

    [Theory]
    [InlineData(QueueWaitForm.Alerting, false, "UserInfo Reception 1/1|Reception 129 r-setup|Reception 132 x-alert")]
    [InlineData(QueueWaitForm.Alerting, true, "UserInfo Reception 1/1|Reception 1153 r-setup|Reception 1156 x-alert")]
    [InlineData(QueueWaitForm.Announcement, false, "UserInfo Reception 1/1|Reception 129 r-setup|UserInfo Reception 0/1|Reception 133 x-conn")]
    [InlineData(QueueWaitForm.Announcement, true, "UserInfo Reception 1/1|Reception 1153 r-setup|UserInfo Reception 0/1|Reception 1157 x-conn")]
    public async Task A_waiting_caller_alerts_or_hears_the_announcement_with_or_without_the_waiting_bit(QueueWaitForm form, bool bit, string expected)
    {
        await using var queue = await QueueSession.StartAsync(new ProtocolVariants { QueueWaitForm = form, QueueWaitingBit = bit }, agents: false);
        await queue.Feed.InitializeAsync();
        await queue.MonitorAsync("Reception");

        queue.Feed.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);

        Assert.Equal(expected, string.Join("|", (await queue.ReadAsync()).Select(queue.Line)));
    }

    [Fact]
    public async Task With_QueueAgentLegs_Shown_the_queues_handle_also_reports_a_leg_toward_each_agent()
    {
        await using var queue = await QueueSession.StartAsync(new ProtocolVariants { QueueAgentLegs = QueueAgentLegs.Shown });
        await queue.MonitorAsync("Reception");
        var started = queue.Feed.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);

        var waiting = await queue.ReadAsync();
        queue.Feed.Pbx.AnswerQueueCall(started.CalleeLeg, queue.Guid("Alice"));
        var answered = await queue.ReadAsync();

        Assert.Equal(
            ["Reception 129 r-setup", "Reception 132 x-alert", "Reception 1 x-setup", "Reception 4 r-alert", "Reception 1 x-setup", "Reception 4 r-alert"],
            waiting.Select(queue.Line));
        Assert.Equal(["Alice", "Bob"], waiting.Where(frame => frame.GetProperty("msg").GetString() == "r-alert").Select(frame => queue.Name(frame.GetProperty("peer").GetProperty("cn").GetString()!)));
        Assert.Equal(["Reception 4 del del", "Reception 4 del del", "Reception 132 del del"], answered.Select(queue.Line));
    }

    [Theory]
    [InlineData(QueueAnswerEnd.Del, "Reception 132 del del", null)]
    [InlineData(QueueAnswerEnd.Cause26, "Reception 134 r-rel|Reception 134 del del", "Reception")]
    [InlineData(QueueAnswerEnd.PeerAgent, "Reception 133 r-conn|Reception 133 del del", "Alice")]
    public async Task On_answer_the_queues_leg_ends_plainly_with_cause_26_or_after_naming_the_agent(QueueAnswerEnd end, string expected, string? lastPeer)
    {
        await using var queue = await QueueSession.StartAsync(new ProtocolVariants { QueueAnswerEnd = end });
        await queue.MonitorAsync("Reception");
        var started = queue.Feed.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);
        await queue.ReadAsync();

        Assert.NotNull(queue.Feed.Pbx.AnswerQueueCall(started.CalleeLeg, queue.Guid("Alice")));
        var ended = await queue.ReadAsync();

        Assert.Equal(expected, string.Join("|", ended.Select(queue.Line)));
        Assert.Equal(end == QueueAnswerEnd.Cause26 ? 26 : null, Cause(ended[0]));
        if (end == QueueAnswerEnd.PeerAgent)
        {
            Assert.Equal(lastPeer, queue.Name(ended[0].GetProperty("peer").GetProperty("cn").GetString()!));
        }
    }

    [Theory]
    [InlineData(false, "UserInfo Olivia 1/1|Olivia 129 r-setup|Olivia 132 x-alert")]
    [InlineData(true, "UserInfo Olivia 1/1|Olivia 129 r-setup|UserInfo Olivia 0/1|Olivia 133 x-conn")]
    public async Task A_caller_taken_while_hearing_the_announcement_alerts_at_the_operator_or_arrives_connected(bool connected, string expected)
    {
        await using var queue = await QueueSession.StartAsync(
            new ProtocolVariants { QueueWaitForm = QueueWaitForm.Announcement, QueuePickupConnected = connected }, agents: false);
        await queue.Feed.InitializeAsync();
        var handles = await queue.MonitorAsync("Olivia");
        queue.Feed.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);
        await queue.ReadAsync();

        // call 0: the longest-waiting caller, although a caller hearing the announcement does not alert.
        await queue.Feed.SendAsync($$"""{"api":"RCC","mt":"UserPickup","user":{{handles["Olivia"]}},"cn":"Reception","call":0,"src":"a:1"}""");
        var taken = await queue.ReadAsync();

        Assert.EndsWith(expected, string.Join("|", taken.Select(queue.Line)), StringComparison.Ordinal);
        Assert.StartsWith("UserPickupResult call ", queue.Line(taken[0]), StringComparison.Ordinal);
        Assert.Empty(Assert.Single(queue.Feed.Pbx.Queues, truth => truth.Cn == "Reception").Waiting);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RCC_lists_the_queue_in_UserInfo_or_not_and_UserInitialize_on_its_cn_works_either_way(bool listed)
    {
        await using var queue = await QueueSession.StartAsync(new ProtocolVariants { QueueInUserInfo = listed }, agents: false);
        await queue.Feed.SendAsync("""{"api":"RCC","mt":"Initialize","src":"init"}""");
        var list = new List<JsonElement>();
        for (var frame = await queue.Feed.ReceiveAsync(); Mt(frame) != "InitializeResult"; frame = await queue.Feed.ReceiveAsync())
        {
            list.Add(frame);
        }

        await queue.MonitorAsync("Reception");
        queue.Feed.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);
        var lines = (await queue.ReadAsync()).Select(queue.Line).ToList();

        Assert.Equal(listed, list.Any(info => info.GetProperty("guid").GetString() == UserGenerator.ReceptionGuid));
        Assert.Equal(listed, list.Any(info => info.GetProperty("guid").GetString() == UserGenerator.SupportGuid));
        Assert.Contains(list, info => info.GetProperty("guid").GetString() == SimulatedPbx.TrunkGuid);
        Assert.Equal(listed, lines.Contains("UserInfo Reception 1/1"));
        Assert.Contains("Reception 132 x-alert", lines);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UserInitialize_on_a_queue_replays_its_waiting_callers_as_for_a_user(bool replay)
    {
        await using var queue = await QueueSession.StartAsync(new ProtocolVariants { ReplayCalls = replay }, agents: false);
        var started = queue.Feed.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);

        await queue.MonitorAsync("Reception");
        var replayed = await queue.ReadAsync();

        Assert.Equal(replay ? ["Reception 132 x-alert"] : [], replayed.Select(queue.Line));
        Assert.All(replayed, frame => Assert.Equal(started.CalleeLeg, frame.GetProperty("call").GetInt32()));
    }

    [Theory]
    [InlineData(QueueOverflow.Diverted, "Reception 134 r-rel|Reception 134 del del|Carol 129 r-setup|Carol 132 x-alert", """[{"type":"leg2","cn":"Reception","dn":"Reception","h323":"reception","e164":"200"},{"type":"leg2orig","cn":"Reception","dn":"Reception","h323":"reception","e164":"200"}]""")]
    [InlineData(QueueOverflow.Unmarked, "Reception 132 del del|Carol 129 r-setup|Carol 132 x-alert", null)]
    public async Task The_queues_cfnr_sends_a_caller_still_waiting_after_the_no_answer_time_to_its_destination(QueueOverflow overflow, string expected, string? carolsNo)
    {
        var clock = new FakeTimeProvider();
        await using var queue = await QueueSession.StartAsync(new ProtocolVariants { QueueOverflow = overflow }, agents: false, clock);
        var carol = queue.Feed.Users.Single(user => queue.Name(user.Cn) == "Carol");
        queue.Feed.Pbx.SetDiversions(UserGenerator.ReceptionGuid, [new Diversion(DiversionType.Cfnr, E164: carol.E164)]);
        await queue.MonitorAsync("Reception", "Carol");
        queue.Feed.Pbx.StartQueueCall(UserGenerator.ReceptionGuid, Caller);
        await queue.ReadAsync();

        clock.Advance(queue.Feed.Pbx.NoAnswerTime - TimeSpan.FromSeconds(1));
        Assert.Empty(await queue.ReadAsync());
        clock.Advance(TimeSpan.FromSeconds(1));
        var overflowed = await queue.ReadAsync();

        Assert.Equal(expected, string.Join("|", overflowed.Select(queue.Line)));
        Assert.Equal(carolsNo, overflowed[^1].TryGetProperty("no", out var no) ? no.GetRawText() : null);
        Assert.Equal(Caller, overflowed[^1].GetProperty("peer").GetProperty("e164").GetString());
        var truth = Assert.Single(queue.Feed.Pbx.Queues, truth => truth.Cn == "Reception");
        Assert.Equal((1, 0, 0, 1, 0), (truth.Offered, truth.Answered, truth.Abandoned, truth.Overflowed, truth.Waiting.Count));
    }

    private static int? Cause(JsonElement frame) =>
        frame.TryGetProperty("info", out var info) ? info.EnumerateArray().Single(entry => entry.GetProperty("type").GetString() == "cause").GetProperty("vali").GetInt32() : null;

    /// <summary>
    /// The feed with the objects, the cast's names, and Reception's agents: Alice and Bob logged in (or, with
    /// <c>agents: false</c>, nobody, so a caller only waits); Olivia takes calls as the operator.
    /// </summary>
    private sealed class QueueSession(CallFeedSession feed) : IAsyncDisposable
    {
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
        private readonly Dictionary<int, string> _handles = [];

        public CallFeedSession Feed { get; } = feed;

        public static async Task<QueueSession> StartAsync(ProtocolVariants variants, bool agents = true, TimeProvider? clock = null)
        {
            var session = new QueueSession(await CallFeedSession.StartAsync(variants, clock, objects: true));
            var pbx = session.Feed.Pbx;
            var users = session.Feed.Users;
            string[] cast = ["Olivia", "Alice", "Bob", "Carol"];
            foreach (var (user, name) in users.Zip(cast))
            {
                session._names.Add(user.Cn, name);
                var member = agents && name is "Alice" or "Bob";
                pbx.SetGroups(user.Guid, member ? [new GroupMembership(UserGenerator.ReceptionAgents, Dyn: "in")] : []);
            }

            session._names.Add("Reception", "Reception");
            return session;
        }

        public string Guid(string name) => Feed.Users.Single(user => Name(user.Cn) == name).Guid;

        public string Name(string cn) => _names.GetValueOrDefault(cn, cn);

        /// <summary>UserInitialize for each, by cast name; returns the handles.</summary>
        public async Task<Dictionary<string, int>> MonitorAsync(params string[] names)
        {
            var handles = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                var user = Feed.Users.Single(user => Name(user.Cn) == name);
                var handle = await Feed.HandleOfAsync(user);
                _handles[handle] = name;
                handles.Add(name, handle);
            }

            return handles;
        }

        /// <summary>Every frame the PBX sent up to now.</summary>
        public Task<List<JsonElement>> ReadAsync() => Feed.ReadUntilMarkerAsync();

        /// <summary>"UserInfo &lt;who&gt; alert/channel", "&lt;who&gt; &lt;state&gt; &lt;msg&gt;[ del]" for a CallInfo, else as <see cref="Describe"/>.</summary>
        public string Line(JsonElement frame) => Mt(frame) switch
        {
            "UserInfo" => $"UserInfo {Name(frame.GetProperty("cn").GetString()!)} {Number(frame, "alert")}/{Number(frame, "channel")}",
            "CallInfo" => $"{_handles[frame.GetProperty("user").GetInt32()]} {Number(frame, "state")} {frame.GetProperty("msg").GetString()}"
                + (frame.TryGetProperty("del", out var del) && del.GetBoolean() ? " del" : ""),
            _ => Describe(frame),
        };

        public ValueTask DisposeAsync() => Feed.DisposeAsync();

        private static string Number(JsonElement frame, string name) =>
            frame.TryGetProperty(name, out var value) ? value.GetInt64().ToString(CultureInfo.InvariantCulture) : "0";
    }
}
