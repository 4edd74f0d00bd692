using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;
using static BlfBlazor.Tests.Simulator.CallFeedSession;

namespace BlfBlazor.Tests.Simulator;

/// <summary>PbxApi presence over a real WebSocket (CALLS.md §3, §7.7): subscribe, updates keyed by src only, unsubscribe, and each unknown.</summary>
[Trait("Category", "Integration")]
public class SimulatorPresenceTests
{
    private const string Result = "SubscribePresenceResult";
    private const string State = "PresenceState";
    private const string Update = "PresenceUpdate";

    [Theory]
    [InlineData(PresenceAnswerOrder.ResultStateUpdate, new[] { Result, State, Update })]
    [InlineData(PresenceAnswerOrder.ResultUpdateState, new[] { Result, Update, State })]
    [InlineData(PresenceAnswerOrder.StateResultUpdate, new[] { State, Result, Update })]
    [InlineData(PresenceAnswerOrder.StateUpdateResult, new[] { State, Update, Result })]
    [InlineData(PresenceAnswerOrder.UpdateResultState, new[] { Update, Result, State })]
    [InlineData(PresenceAnswerOrder.UpdateStateResult, new[] { Update, State, Result })]
    [InlineData(PresenceAnswerOrder.ResultUpdateWithoutState, new[] { Result, Update })]
    public async Task SubscribePresence_is_answered_in_the_chosen_order_all_with_the_subscriptions_src(PresenceAnswerOrder order, string[] expected)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { PresenceOrder = order });
        var alice = feed.Users[1];

        var frames = await feed.SubscribeAsync(alice, expected.Length);

        Assert.Equal(expected, frames.Select(Mt));
        Assert.All(frames, frame => Assert.Equal(("PbxApi", $"p:{alice.Guid}"), (frame.GetProperty("api").GetString(), frame.GetProperty("src").GetString())));
        if (frames.FirstOrDefault(frame => Mt(frame) == State) is { ValueKind: JsonValueKind.Object } state)
        {
            Assert.True(state.GetProperty("up").GetBoolean());
            Assert.Equal((alice.H323, alice.E164), (state.GetProperty("sip").GetString(), state.GetProperty("num").GetString()));
        }

        var update = frames.Single(frame => Mt(frame) == Update);
        Assert.Equal(
            """[{"contact":"tel:","status":"open","activity":"","note":""},{"contact":"im:","status":"open","activity":"","note":""}]""",
            update.GetProperty("presence").GetRawText());
        await feed.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Shuffled_answers_are_the_three_answers_in_some_order()
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { PresenceOrder = PresenceAnswerOrder.Shuffled });

        var frames = await feed.SubscribeAsync(feed.Users[1], 3);

        Assert.Equal(new[] { Result, State, Update }.Order(StringComparer.Ordinal), frames.Select(Mt).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_presence_change_sends_the_full_list_newest_first_to_that_users_subscription_only_until_unsubscribed()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (alice, bob) = (feed.Users[1], feed.Users[2]);
        await feed.SubscribeAsync(alice, 3);
        await feed.SubscribeAsync(bob, 3);

        feed.Pbx.SetPresence(bob.Guid, "dnd", "in a meeting");
        var dnd = await feed.ReceiveAsync();
        feed.Pbx.ClearPresence(bob.Guid);
        var available = await feed.ReceiveAsync();
        await feed.SendAsync($$"""{"api":"PbxApi","mt":"UnsubscribePresence","sip":"{{bob.H323}}","src":"p:{{bob.Guid}}"}""");
        var unsubscribed = await feed.ReceiveAsync();
        feed.Pbx.SetPresence(bob.Guid, "away", "back at 14:00");

        Assert.Equal((Update, $"p:{bob.Guid}"), (Mt(dnd), dnd.GetProperty("src").GetString()));
        Assert.False(dnd.TryGetProperty("sip", out _));
        Assert.Equal("""{"contact":"tel:","status":"open","activity":"dnd","note":"in a meeting"}""", dnd.GetProperty("presence")[0].GetRawText());
        Assert.Equal("im:", dnd.GetProperty("presence")[1].GetProperty("contact").GetString());
        Assert.Equal("", available.GetProperty("presence")[0].GetProperty("activity").GetString());
        Assert.Equal(("UnsubscribePresenceResult", $"p:{bob.Guid}"), (Mt(unsubscribed), unsubscribed.GetProperty("src").GetString()));
        await feed.AssertNothingPendingAsync();
        Assert.Equal(new PresenceTruth("away", "back at 14:00", true), feed.Pbx.Truth.Presence[bob.Guid]);
        Assert.Equal(new PresenceTruth("", "", true), feed.Pbx.Truth.Presence[alice.Guid]);
    }

    [Theory]
    [InlineData(PresenceDownShare.All, false, false)]
    [InlineData(PresenceDownShare.Some, false, true)]
    [InlineData(PresenceDownShare.None, true, true)]
    public async Task A_monitor_the_pbx_reports_down_gets_up_false_and_no_updates(PresenceDownShare share, bool firstUp, bool secondUp)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { PresenceDown = share });
        var (first, second) = (feed.Users[0], feed.Users[1]);

        var firstFrames = await feed.SubscribeAsync(first, firstUp ? 3 : 2);
        var secondFrames = await feed.SubscribeAsync(second, secondUp ? 3 : 2);
        feed.Pbx.SetPresence(first.Guid, "away", "");
        if (firstUp)
        {
            Assert.Equal(Update, Mt(await feed.ReceiveAsync()));
        }

        await feed.AssertNothingPendingAsync();
        Assert.Equal(firstUp, firstFrames[1].GetProperty("up").GetBoolean());
        Assert.Equal(secondUp, secondFrames[1].GetProperty("up").GetBoolean());
        Assert.Equal((firstUp, secondUp), (feed.Pbx.Truth.Presence[first.Guid].Up, feed.Pbx.Truth.Presence[second.Guid].Up));
    }

    [Fact]
    public async Task A_sip_the_pbx_does_not_know_is_answered_with_up_false()
    {
        await using var feed = await CallFeedSession.StartAsync();

        await feed.SendAsync("""{"api":"PbxApi","mt":"SubscribePresence","sip":"nobody","src":"p:nobody"}""");
        var frames = await feed.ReadAsync(2);

        Assert.Equal([Result, State], frames.Select(Mt));
        Assert.Equal(("nobody", false), (frames[1].GetProperty("sip").GetString(), frames[1].GetProperty("up").GetBoolean()));
        await feed.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task A_pbx_refusing_PbxApi_in_silence_never_answers()
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { PbxApiRefused = PbxApiRefusal.Silence });
        var alice = feed.Users[1];

        await feed.SendAsync($$"""{"api":"PbxApi","mt":"SubscribePresence","sip":"{{alice.H323}}","src":"p:a"}""");
        feed.Pbx.SetPresence(alice.Guid, "dnd", "");

        await feed.AssertNothingPendingAsync();
        Assert.Equal(0, feed.Pbx.PresenceSubscriptions);
    }

    [Fact]
    public async Task A_pbx_refusing_PbxApi_with_an_error_answers_each_request_with_error_and_nothing_else()
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { PbxApiRefused = PbxApiRefusal.Error });
        var alice = feed.Users[1];

        await feed.SendAsync($$"""{"api":"PbxApi","mt":"SubscribePresence","sip":"{{alice.H323}}","src":"p:a"}""");
        var answer = await feed.ReceiveAsync();
        feed.Pbx.SetPresence(alice.Guid, "dnd", "");

        Assert.Equal((Result, "p:a"), (Mt(answer), answer.GetProperty("src").GetString()));
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("error").GetString()));
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("errorText").GetString()));
        await feed.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Subscriptions_die_with_the_connection()
    {
        await using var feed = await CallFeedSession.StartAsync();
        await feed.SubscribeAsync(feed.Users[1], 3);
        var before = feed.Pbx.PresenceSubscriptions;

        await feed.LoginAsync();

        Assert.Equal((1, 0), (before, feed.Pbx.PresenceSubscriptions));
    }
}
