using BlfBlazor.State;
using BlfBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.State;

/// <summary>
/// The directory fed the way the PBX connection feeds it: frames parsed by the client's reader and
/// applied by one connection's dispatcher (<see cref="PbxConnectionHarness"/>).
/// </summary>
[Trait("Category", "Unit")]
public class UserDirectoryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private readonly UserDirectory _directory;

    public UserDirectoryTests() => _directory = new UserDirectory(_time, new PbxDescription("pbx.test", IsDemo: false));

    private const string Anna = """{"api":"RCC","mt":"UserInfo","src":"blf","guid":"a1","cn":"anna","dn":"Anna Berger","e164":"101","regs":[{"hw":"ip232"}]}""";
    private const string Bernd = """{"api":"RCC","mt":"UserInfo","src":"blf","guid":"b2","cn":"bernd","dn":"Bernd Adler","e164":"102","regs":[{"hw":"ip112"}],"channel":1}""";
    private const string Carla = """{"api":"RCC","mt":"UserInfo","src":"blf","guid":"c3","cn":"carla","e164":"103"}""";
    private const string InitializeResult = """{"api":"RCC","mt":"InitializeResult","src":"blf"}""";

    [Fact]
    public void Initial_list_fills_the_board_in_name_order_and_goes_live_at_InitializeResult()
    {
        var list = Begin();
        Feed(list, Anna, Bernd, Carla);

        Assert.Equal(ConnectionState.Connecting, _directory.Current.Status.State);
        Assert.True(_directory.Current.IsStale);

        Feed(list, InitializeResult);

        var board = _directory.Current;
        Assert.Equal(ConnectionState.Live, board.Status.State);
        Assert.False(board.IsStale);
        Assert.Equal(["Anna Berger", "Bernd Adler", "carla"], board.Users.Select(u => u.DisplayName));
        Assert.Equal([LampState.Idle, LampState.Busy, LampState.Offline], board.Users.Select(u => u.Lamp));
    }

    [Fact]
    public void An_upsert_replaces_one_user_and_adds_new_ones()
    {
        var list = Live(Anna, Bernd);

        Feed(list, """{"api":"RCC","mt":"UserInfo","update":"upd","guid":"a1","cn":"anna","dn":"Anna Berger","e164":"101","regs":[{"hw":"ip232"}],"alert":1}""");
        Feed(list, """{"api":"RCC","mt":"UserInfo","update":"add","guid":"d4","dn":"Dora","e164":"104"}""");

        var users = _directory.Current.Users.ToDictionary(u => u.Guid);
        Assert.Equal(LampState.Ringing, users["a1"].Lamp);
        Assert.Equal(LampState.Busy, users["b2"].Lamp);
        Assert.Equal(LampState.Offline, users["d4"].Lamp);
        Assert.Equal(3, users.Count);
    }

    [Fact]
    public void Del_removes_the_user()
    {
        var list = Live(Anna, Bernd);

        Feed(list, """{"api":"RCC","mt":"UserInfo","update":"del","guid":"a1"}""");

        Assert.Equal(["b2"], _directory.Current.Users.Select(u => u.Guid));
    }

    [Fact]
    public void Updates_interleaved_with_the_initial_list_are_applied_in_order()
    {
        var list = Begin();
        Feed(list, Anna, Bernd);

        // While the rate-limited list is still coming: Anna starts ringing, Bernd is deleted,
        // and Eva (not yet listed) appears through an update before her list entry.
        Feed(list, """{"api":"RCC","mt":"UserInfo","update":"upd","guid":"a1","dn":"Anna Berger","e164":"101","regs":[{"hw":"x"}],"alert":1}""");
        Feed(list, """{"api":"RCC","mt":"UserInfo","update":"del","guid":"b2"}""");
        Feed(list, """{"api":"RCC","mt":"UserInfo","update":"upd","guid":"e5","dn":"Eva Zander","e164":"105","regs":[{"hw":"x"}],"channel":1}""");
        Feed(list, Carla);
        Feed(list, """{"api":"RCC","mt":"UserInfo","guid":"e5","dn":"Eva Zander","e164":"105","regs":[{"hw":"x"}],"channel":1}""");
        Feed(list, InitializeResult);

        var users = _directory.Current.Users.ToDictionary(u => u.Guid, u => u.Lamp);
        Assert.Equal(
            new Dictionary<string, LampState> { ["a1"] = LampState.Ringing, ["c3"] = LampState.Offline, ["e5"] = LampState.Busy },
            users);
    }

    [Fact]
    public void Unknown_properties_are_ignored()
    {
        var list = Live("""
            {"api":"RCC","mt":"UserInfo","src":"blf","guid":"a1","dn":"Anna Berger","e164":"101",
             "pseudo":"","h323":"anna","node":"root","pbx":"master","future":{"nested":[1,{"x":true}]},
             "presence":[{"status":"open"}],"regs":[{"hw":"ip232","future":"x"}],"noise":null}
            """);

        var anna = Assert.Single(_directory.Current.Users);
        Assert.Equal("Anna Berger", anna.DisplayName);
        Assert.Equal("101", anna.E164);
        Assert.Equal(LampState.Idle, anna.Lamp);
        Assert.Equal("root", anna.Node);
        Assert.Equal("master", anna.Pbx);
    }

    [Fact]
    public void Every_UserInfo_replaces_the_whole_record()
    {
        var list = Live(Bernd);

        // The phone unregistered and the call ended: the PBX omits regs and channel.
        Feed(list, """{"api":"RCC","mt":"UserInfo","update":"upd","guid":"b2","cn":"bernd","e164":"102"}""");

        var bernd = Assert.Single(_directory.Current.Users);
        Assert.Equal(LampState.Offline, bernd.Lamp);
        Assert.Null(bernd.Dn);
        Assert.Equal("bernd", bernd.DisplayName);
    }

    [Fact]
    public void An_empty_regs_array_means_no_phone()
    {
        Live("""{"mt":"UserInfo","guid":"a1","dn":"Anna","regs":[]}""");
        Assert.Equal(LampState.Offline, Assert.Single(_directory.Current.Users).Lamp);
    }

    [Fact]
    public void A_reconnect_keeps_last_known_users_until_the_new_list_completes_then_drops_the_vanished()
    {
        Live(Anna, Bernd, Carla);
        State.ConnectionLost("The PBX closed the connection.");
        Assert.Equal(ConnectionState.Reconnecting, _directory.Current.Status.State);

        _time.Advance(TimeSpan.FromSeconds(5));
        var second = Begin();
        Feed(second, """{"mt":"UserInfo","guid":"a1","dn":"Anna Berger","e164":"101","regs":[{"hw":"x"}],"channel":1}""");

        // Before InitializeResult: still three users, stale, Anna already fresh.
        var during = _directory.Current;
        Assert.True(during.IsStale);
        Assert.Equal(3, during.Users.Length);

        Feed(second, Carla, InitializeResult);

        var after = _directory.Current;
        Assert.Equal(ConnectionState.Live, after.Status.State);
        Assert.Equal(["a1", "c3"], after.Users.Select(u => u.Guid).Order());
        Assert.Equal(LampState.Busy, after.Users.Single(u => u.Guid == "a1").Lamp);
    }

    [Fact]
    public void Status_records_since_when()
    {
        Live(Anna);
        _time.Advance(TimeSpan.FromMinutes(3));
        State.ConnectionLost("gone");

        Assert.Equal(_time.GetUtcNow(), _directory.Status.Since);
        Assert.Equal("reconnecting", _directory.Status.Token);
    }

    [Fact]
    public void A_refused_login_is_not_hidden_by_a_later_network_error()
    {
        State.LoginRefused("The PBX refused the login of app 'rcc': check Pbx:App and Pbx:Secret");
        State.ConnectionLost("No connection to the PBX: refused");

        Assert.Equal(ConnectionState.AuthFailed, _directory.Status.State);
        Assert.Contains("Pbx:Secret", _directory.Status.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribers_are_told_about_changes_and_a_storm_wakes_them_once()
    {
        using var subscription = _directory.Subscribe();
        using var timeout = new CancellationTokenSource(TestTimeouts.StateShown);

        // A fresh subscription is signalled, so nothing between snapshot and subscribe is missed.
        Assert.True(await subscription.WaitForChangeAsync(timeout.Token));

        var list = Begin();
        Feed(list, Anna, Bernd, Carla, InitializeResult);

        Assert.True(await subscription.WaitForChangeAsync(timeout.Token));
        var pending = subscription.WaitForChangeAsync(timeout.Token);
        Assert.False(pending.IsCompleted);

        Feed(list, """{"mt":"UserInfo","update":"del","guid":"c3"}""");
        Assert.True(await pending);
        Assert.Equal(1, _directory.SubscriberCount);
    }

    [Fact]
    public void Disposing_a_subscription_unsubscribes()
    {
        var subscriptions = Enumerable.Range(0, 5).Select(_ => _directory.Subscribe()).ToList();
        Assert.Equal(5, _directory.SubscriberCount);

        subscriptions.ForEach(s => s.Dispose());

        Assert.Equal(0, _directory.SubscriberCount);
    }

    [Fact]
    public void A_live_lamp_change_starts_the_lamp_timer_and_an_unchanged_lamp_keeps_its_start()
    {
        var list = Live(Anna);
        Assert.Equal(0, Single("a1").LampSinceUnixMs);

        _time.Advance(TimeSpan.FromSeconds(10));
        var ringingAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Feed(list, """{"mt":"UserInfo","update":"upd","guid":"a1","dn":"Anna Berger","e164":"101","regs":[{}],"alert":1}""");
        Assert.Equal(ringingAt, Single("a1").LampSinceUnixMs);

        // A rename while ringing is a new record with the same lamp: the timer runs on.
        _time.Advance(TimeSpan.FromSeconds(10));
        Feed(list, """{"mt":"UserInfo","update":"upd","guid":"a1","dn":"Anna Berger-Lang","e164":"101","regs":[{}],"alert":1}""");
        Assert.Equal(ringingAt, Single("a1").LampSinceUnixMs);
    }

    [Fact]
    public void A_resync_keeps_the_start_of_an_unchanged_lamp_and_clears_it_where_the_lamp_changed_unseen()
    {
        var list = Live(Anna, Bernd);
        var changedAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Feed(list, """{"mt":"UserInfo","update":"upd","guid":"a1","dn":"Anna Berger","e164":"101","regs":[{}],"channel":1}""");
        Feed(list, """{"mt":"UserInfo","update":"upd","guid":"b2","dn":"Bernd Adler","e164":"102","regs":[{}],"alert":1}""");
        State.ConnectionLost("gone");
        _time.Advance(TimeSpan.FromMinutes(1));

        // The new list: Anna still busy; Bernd's call was answered while the board was not watching.
        Live(
            """{"mt":"UserInfo","guid":"a1","dn":"Anna Berger","e164":"101","regs":[{}],"channel":1}""",
            """{"mt":"UserInfo","guid":"b2","dn":"Bernd Adler","e164":"102","regs":[{}],"channel":1}""");

        Assert.Equal(changedAt, Single("a1").LampSinceUnixMs);
        Assert.Equal(0, Single("b2").LampSinceUnixMs);
    }

    [Fact]
    public async Task A_waiting_queues_own_call_legs_wake_no_board_and_a_persons_do()
    {
        Live(Anna, """{"api":"RCC","mt":"UserInfo","src":"blf","guid":"q9","cn":"reception","dn":"Reception","e164":"200","pseudo":"waiting"}""");
        using var board = _directory.Subscribe();
        Assert.True(await board.WaitForChangeAsync(CancellationToken.None)); // the signal every subscription starts with
        var version = _directory.Current.Version;
        var caller = new CallLeg(7, CallDirection.In, CallPhase.Ringing, null, CallVia.None, null, _time.GetUtcNow().ToUnixTimeMilliseconds());

        // A caller reaches the queue: the queue's card follows it (WaitingQueues), the tile lists have nothing new.
        Assert.True(State.ApplyCall(new CallChange("q9", 7, caller)));
        Assert.Equal(version, _directory.Current.Version);
        var woken = board.WaitForChangeAsync(CancellationToken.None).AsTask();
        Assert.False(woken.IsCompleted);

        // The same call ringing at Anna is news for every board.
        Assert.True(State.ApplyCall(new CallChange("a1", 8, caller with { Handle = 8 })));
        Assert.NotEqual(version, _directory.Current.Version);
        Assert.True(await woken);
        Assert.Equal(["a1"], _directory.Current.Users.Select(u => u.Guid));
    }

    private PbxUser Single(string guid) => _directory.Current.Users.Single(u => u.Guid == guid);

    /// <summary>The directory as the PBX connection writes it.</summary>
    private IPbxStateWriter State => _directory;

    /// <summary>A new connection, started as the session starts it after the login.</summary>
    private PbxConnectionHarness Begin()
    {
        var connection = new PbxConnectionHarness(_directory, _time);
        connection.StartAsync().GetAwaiter().GetResult();
        return connection;
    }

    private PbxConnectionHarness Live(params string[] frames)
    {
        var connection = Begin();
        Feed(connection, frames);
        Feed(connection, InitializeResult);
        return connection;
    }

    private static void Feed(PbxConnectionHarness connection, params string[] frames)
    {
        foreach (var json in frames)
        {
            // No monitors on this connection: every frame is taken at once.
            var dropped = connection.FeedOneAsync(json);
            Assert.True(dropped.IsCompletedSuccessfully);
            Assert.Null(dropped.Result);
        }
    }
}
