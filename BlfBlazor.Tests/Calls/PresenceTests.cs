using BlfBlazor.State;
using static BlfBlazor.Tests.Calls.CallHarness;

namespace BlfBlazor.Tests.Calls;

/// <summary>Presence from PbxApi (CALLS.md §3): subscriptions by src, answers in any order, refusal.</summary>
[Trait("Category", "Unit")]
public sealed class PresenceTests : IDisposable
{
    private const string Away = """{"api":"PbxApi","mt":"PresenceUpdate","src":"p:g-alice","presence":[{"contact":"tel:","status":"open","activity":"away","note":"back at 14:00"},{"contact":"im:","status":"open","activity":"","note":""}]}""";

    private readonly CallHarness _pbx = new(feed: BlfBlazor.Pbx.CallFeed.Off);

    public void Dispose() => _pbx.Dispose();

    [Fact]
    public async Task Every_user_is_subscribed_by_sip_with_a_src_of_its_own()
    {
        await _pbx.FeedAsync(UserInfo("g-alice", "alice", "Alice Adams", "101"), UserInfo("g-bob", "bob", "Bob Baker", "102"), InitializeResult);

        Assert.Equal(
            ["""{"api":"PbxApi","mt":"SubscribePresence","sip":"alice","src":"p:g-alice"}""", """{"api":"PbxApi","mt":"SubscribePresence","sip":"bob","src":"p:g-bob"}"""],
            _pbx.Sent);
    }

    [Theory]
    [InlineData("result,state,update")]
    [InlineData("update,result,state")]
    [InlineData("state,update")]
    [InlineData("update")]
    public async Task Answers_in_any_order_show_the_newest_item_with_its_note(string order)
    {
        await _pbx.FeedAsync(UserInfo("g-alice", "alice", "Alice Adams", "101"), InitializeResult);
        var frames = new Dictionary<string, string>
        {
            ["result"] = """{"api":"PbxApi","mt":"SubscribePresenceResult","src":"p:g-alice"}""",
            ["state"] = """{"api":"PbxApi","mt":"PresenceState","src":"p:g-alice","up":true,"sip":"alice","num":"101","dn":"Alice Adams"}""",
            ["update"] = Away,
        };

        await _pbx.FeedAsync([.. order.Split(',').Select(step => frames[step])]);

        Assert.Equal(new UserPresence("away", "back at 14:00"), _pbx.User("g-alice").Activity!.Presence);
        Assert.Equal(1, _pbx.Presence!.Monitored);
    }

    [Fact]
    public async Task Up_false_makes_presence_unknown_again_never_available()
    {
        await _pbx.FeedAsync(UserInfo("g-alice", "alice", "Alice Adams", "101"), InitializeResult, Away);

        await _pbx.FeedAsync("""{"api":"PbxApi","mt":"PresenceState","src":"p:g-alice","up":false}""");

        Assert.Null(_pbx.User("g-alice").Activity);
    }

    [Fact]
    public async Task An_empty_activity_is_available()
    {
        await _pbx.FeedAsync(UserInfo("g-alice", "alice", "Alice Adams", "101"), InitializeResult,
            """{"api":"PbxApi","mt":"PresenceUpdate","src":"p:g-alice","presence":[{"contact":"tel:","status":"open","activity":"","note":""}]}""");

        Assert.True(_pbx.User("g-alice").Activity!.Presence!.IsAvailable);
    }

    [Fact]
    public async Task An_update_for_a_src_we_do_not_hold_is_dropped()
    {
        await _pbx.FeedAsync(UserInfo("g-alice", "alice", "Alice Adams", "101"), InitializeResult);

        await _pbx.FeedAsync("""{"api":"PbxApi","mt":"PresenceUpdate","src":"p:g-mallory","presence":[{"activity":"away"}]}""");

        Assert.Equal(["PresenceUpdate for a subscription we do not hold"], _pbx.Dropped);
    }

    [Fact]
    public async Task An_error_answer_means_refused_and_the_rest_is_not_asked()
    {
        var users = Enumerable.Range(0, 60).Select(i => UserInfo($"g{i}", $"u{i}", $"User {i}", $"{i}")).ToArray();
        await _pbx.FeedAsync(users);

        await _pbx.FeedAsync("""{"api":"PbxApi","mt":"SubscribePresenceResult","src":"p:g0","error":"not allowed"}""");
        await _pbx.FeedAsync("""{"api":"PbxApi","mt":"SubscribePresenceResult","src":"p:g1"}""");

        Assert.True(_pbx.Presence!.IsRefused);
        Assert.Equal(50, _pbx.Sent.Count);
        Assert.Contains("PbxApi", _pbx.Presence.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silence_until_the_answer_timeout_means_refused()
    {
        var refused = false;
        _pbx.Presence!.Refused += () => refused = true;
        await _pbx.FeedAsync(UserInfo("g-alice", "alice", "Alice Adams", "101"), InitializeResult);

        _pbx.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(_pbx.Presence.IsRefused);
        _pbx.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(refused);
        Assert.True(_pbx.Presence.IsRefused);
    }

    [Fact]
    public async Task Notes_hidden_keeps_the_activity_and_drops_the_note_before_it_is_stored()
    {
        using var pbx = new CallHarness(BlfBlazor.Pbx.CallFeed.Off, presence: PresenceDetails.NotesHidden);
        await pbx.FeedAsync(UserInfo("g-alice", "alice", "Alice Adams", "101"), InitializeResult, Away);

        Assert.Equal(new UserPresence("away", null), pbx.User("g-alice").Activity!.Presence);
    }

    [Fact]
    public async Task Presence_off_subscribes_nothing()
    {
        using var pbx = new CallHarness(BlfBlazor.Pbx.CallFeed.Off, presence: PresenceDetails.Off);
        await pbx.FeedAsync(UserInfo("g-alice", "alice", "Alice Adams", "101"), InitializeResult);

        Assert.Empty(pbx.Sent);
    }

    [Fact]
    public async Task A_deleted_user_is_unsubscribed_by_sip_and_src()
    {
        await _pbx.FeedAsync(UserInfo("g-alice", "alice", "Alice Adams", "101"), InitializeResult, Away);

        await _pbx.FeedAsync("""{"api":"RCC","mt":"UserInfo","update":"del","guid":"g-alice"}""");

        Assert.Equal("""{"api":"PbxApi","mt":"UnsubscribePresence","sip":"alice","src":"p:g-alice"}""", _pbx.Sent[^1]);
    }
}
