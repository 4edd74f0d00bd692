using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;
using static BlfBlazor.Tests.Simulator.CallFeedSession;

namespace BlfBlazor.Tests.Simulator;

/// <summary>
/// Operator actions over a real WebSocket (CALLS.md §4, §7.3–7.6): Devices, UserCall in both phone
/// modes, UserPickup, UserRedirect/UserReroute, UserHold/UserRetrieve, UserTransfer, UserConnect,
/// UserClear, the forced failure shapes, and the record of what a client sent. Cast: users[0..3] play
/// Olivia (the operator), Alice, Bob and Carol; leg handles count from 1 in the order legs appear
/// (an outside party's leg is the trunk's and is never reported by CallInfo).
/// </summary>
[Trait("Category", "Integration")]
public class SimulatorOperatorActionTests
{
    private const string Outside = "007031123456";

    [Fact]
    public async Task Devices_lists_the_desk_phone_and_softphone_and_UserInitialize_accepts_only_the_users_own_hw()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var bob = feed.Users[2];

        await feed.SendAsync($$"""{"api":"RCC","mt":"Devices","cn":{{JsonSerializer.Serialize(bob.Cn)}},"src":"d:1"}""");
        var devices = await feed.ReceiveAsync();
        await feed.SendAsync("""{"api":"RCC","mt":"Devices","cn":"Nobody Here","src":"d:2"}""");
        var none = await feed.ReceiveAsync();
        var softphone = devices.GetProperty("devices")[1].GetProperty("hw").GetString();
        await feed.SendAsync($$"""{"api":"RCC","mt":"UserInitialize","cn":{{JsonSerializer.Serialize(bob.Cn)}},"hw":"{{softphone}}","src":"u:1"}""");
        var monitored = await feed.ReceiveAsync();
        await feed.SendAsync($$"""{"api":"RCC","mt":"UserInitialize","cn":{{JsonSerializer.Serialize(bob.Cn)}},"hw":"someone-elses","src":"u:2"}""");
        var refused = await feed.ReceiveAsync();

        Assert.Equal(("DevicesResult", "d:1"), (Mt(devices), devices.GetProperty("src").GetString()));
        Assert.Equal(2, devices.GetProperty("devices").GetArrayLength());
        Assert.StartsWith("IP232-", devices.GetProperty("devices")[0].GetProperty("hw").GetString(), StringComparison.Ordinal);
        Assert.All(devices.GetProperty("devices").EnumerateArray(), device => Assert.NotEmpty(device.GetProperty("text").GetString()!));
        Assert.Equal(0, none.GetProperty("devices").GetArrayLength());
        Assert.Equal(1, monitored.GetProperty("user").GetInt32());
        Assert.False(refused.TryGetProperty("user", out _));
    }

    [Fact]
    public async Task Two_handles_for_the_same_user_each_get_every_CallInfo_with_the_same_call_id()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var bob = feed.Users[2];
        var cn = JsonSerializer.Serialize(bob.Cn);
        await feed.SendAsync($$"""{"api":"RCC","mt":"UserInitialize","cn":{{cn}},"src":"monitor"}""");
        await feed.SendAsync($$"""{"api":"RCC","mt":"UserInitialize","cn":{{cn}},"src":"operator"}""");
        await feed.ReadAsync(2);

        var call = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        var frames = await feed.ReadAsync(4);

        Assert.Equal(
            [$"CallInfo {call.CalleeLeg} 129 r-setup", $"CallInfo {call.CalleeLeg} 129 r-setup", $"CallInfo {call.CalleeLeg} 132 x-alert", $"CallInfo {call.CalleeLeg} 132 x-alert"],
            frames.Select(Describe));
        Assert.Equal(
            [(1, "monitor"), (2, "operator"), (1, "monitor"), (2, "operator")],
            frames.Select(frame => (frame.GetProperty("user").GetInt32(), frame.GetProperty("src").GetString())));
    }

    [Theory]
    [InlineData(ClickToCallPhone.Innovaphone)]
    [InlineData(ClickToCallPhone.ThirdParty)]
    public async Task UserCall_rings_the_colleague_as_in_7_6_an_innovaphone_phone_dialling_itself_another_rung_first(ClickToCallPhone phone)
    {
        var (feed, operatorHandle) = await OperatorWatchingBobAsync(new ProtocolVariants { PhoneMode = phone }, userList: true);
        await using var session = feed;
        var (olivia, bob) = (feed.Users[0], feed.Users[2]);
        string[] ringingBob = [$"UserInfo {bob.Cn} 1/1", "CallInfo 2 129 r-setup", "CallInfo 2 132 x-alert"];
        string[] expected = phone == ClickToCallPhone.Innovaphone
            ? ["UserCallResult call 1", $"UserInfo {olivia.Cn} 0/1", "CallInfo 1 1 x-setup", .. ringingBob, "CallInfo 1 4 r-alert"]
            : [
                "UserCallResult call 1", $"UserInfo {olivia.Cn} 1/1", "CallInfo 1 129 r-setup", "CallInfo 1 132 x-alert",
                $"UserInfo {olivia.Cn} 0/1", "CallInfo 1 133 x-conn", .. ringingBob,
            ];

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserCall","user":{{operatorHandle}},"cn":{{JsonSerializer.Serialize(bob.Cn)}},"src":"a:1"}""");
        var dialled = await feed.ReadAsync(expected.Length);
        Assert.True(feed.Pbx.Answer(2));
        var answered = await feed.ReadLinesAsync(3);

        Assert.Equal(expected, dialled.Select(Describe));
        Assert.Equal([$"UserInfo {bob.Cn} 0/1", "CallInfo 2 133 x-conn", $"CallInfo 1 {(phone == ClickToCallPhone.Innovaphone ? 5 : 133)} r-conn"], answered);
        Assert.Equal("a:1", dialled[0].GetProperty("src").GetString());
        var operatorLeg = dialled.First(frame => Mt(frame) == "CallInfo");
        Assert.Equal((operatorHandle, bob.Cn), (operatorLeg.GetProperty("user").GetInt32(), operatorLeg.GetProperty("peer").GetProperty("cn").GetString()));
        Assert.Equal(olivia.Cn, dialled.Last(frame => Describe(frame) == "CallInfo 2 129 r-setup").GetProperty("peer").GetProperty("cn").GetString());
        Assert.Equal(CallPhase.Talking, Assert.Single(feed.Pbx.Truth.Calls[olivia.Guid]).Phase);
    }

    [Theory]
    [InlineData("cn")]
    [InlineData("h323")]
    [InlineData("e164")]
    public async Task UserCall_reaches_a_colleague_by_cn_h323_or_extension(string field)
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (olivia, bob) = (feed.Users[0], feed.Users[2]);
        var operatorHandle = await feed.HandleOfAsync(olivia);
        var value = field switch { "cn" => bob.Cn, "h323" => bob.H323.ToUpperInvariant(), _ => bob.E164 };

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserCall","user":{{operatorHandle}},"{{field}}":{{JsonSerializer.Serialize(value)}},"src":"a:1"}""");
        var frames = await feed.ReadAsync(3);

        Assert.Equal(["UserCallResult call 1", "CallInfo 1 1 x-setup", "CallInfo 1 4 r-alert"], frames.Select(Describe));
        Assert.Equal(bob.H323, frames[1].GetProperty("peer").GetProperty("h323").GetString());
        Assert.Equal(CallPhase.Ringing, Assert.Single(feed.Pbx.Truth.Calls[bob.Guid]).Phase);
    }

    [Theory]
    [InlineData("+497031123456", "+497031123456")]
    [InlineData("07031123456", "07031123456")]
    [InlineData("0711 / 4711", "07114711")]
    public async Task UserCall_to_an_outside_number_rings_it_and_the_far_end_answers(string typed, string dialled)
    {
        await using var feed = await CallFeedSession.StartAsync();
        var operatorHandle = await feed.HandleOfAsync(feed.Users[0]);

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserCall","user":{{operatorHandle}},"e164":"{{typed}}","src":"a:1"}""");
        var frames = await feed.ReadAsync(3);
        Assert.True(feed.Pbx.Answer(1));
        var answered = await feed.ReadLinesAsync(1);

        Assert.Equal(["UserCallResult call 1", "CallInfo 1 1 x-setup", "CallInfo 1 4 r-alert"], frames.Select(Describe));
        Assert.Equal(["CallInfo 1 5 r-conn"], answered);
        Assert.Equal(dialled, frames[1].GetProperty("peer").GetProperty("e164").GetString());
    }

    [Theory]
    [InlineData(ClickToCallPhone.Innovaphone, "999", new[] { "CallInfo 1 1 x-setup", "CallInfo 1 6 r-disc", "CallInfo 1 6 del del" })]
    [InlineData(ClickToCallPhone.Innovaphone, "+49", new[] { "CallInfo 1 1 x-setup", "CallInfo 1 6 r-disc", "CallInfo 1 6 del del" })]
    [InlineData(ClickToCallPhone.ThirdParty, "999", new[] { "CallInfo 1 129 r-setup", "CallInfo 1 132 x-alert", "CallInfo 1 133 x-conn", "CallInfo 1 134 r-disc", "CallInfo 1 134 del del" })]
    public async Task UserCall_to_a_number_nobody_has_ends_the_leg_with_cause_1(ClickToCallPhone phone, string typed, string[] expected)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { PhoneMode = phone });
        var olivia = feed.Users[0];
        var operatorHandle = await feed.HandleOfAsync(olivia);

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserCall","user":{{operatorHandle}},"e164":"{{typed}}","src":"a:1"}""");
        var frames = await feed.ReadAsync(expected.Length + 1);

        Assert.Equal(["UserCallResult call 1", .. expected], frames.Select(Describe));
        Assert.Equal("""[{"type":"cause","vali":1,"vals":"Unallocated (unassigned) number"}]""", frames[^2].GetProperty("info").GetRawText());
        Assert.False(feed.Pbx.Truth.Calls.ContainsKey(olivia.Guid));
        Assert.Equal((0, 0), (feed.Pbx.Find(olivia.Guid)!.Channel, feed.Pbx.Find(olivia.Guid)!.Alert));
    }

    [Fact]
    public async Task UserCall_from_a_handle_this_connection_was_not_given_fails_with_call_0()
    {
        await using var feed = await CallFeedSession.StartAsync();

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserCall","user":7,"cn":{{JsonSerializer.Serialize(feed.Users[2].Cn)}},"src":"a:1"}""");

        Assert.Equal(["UserCallResult call 0"], await feed.ReadLinesAsync(1));
        await feed.AssertNothingPendingAsync();
        Assert.Empty(feed.Pbx.Truth.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UserPickup_takes_the_colleagues_ringing_call_alerting_or_connected_as_in_7_5(bool pickupConnected)
    {
        var (feed, operatorHandle) = await OperatorWatchingBobAsync(new ProtocolVariants { PickupConnected = pickupConnected }, userList: true);
        await using var session = feed;
        var (olivia, bob) = (feed.Users[0], feed.Users[2]);
        var ringing = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside).CalleeLeg;
        await feed.ReadAsync(3);

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserPickup","user":{{operatorHandle}},"cn":{{JsonSerializer.Serialize(bob.Cn)}},"call":{{ringing}},"src":"a:18"}""");
        var frames = await feed.ReadAsync(pickupConnected ? 8 : 7);

        var picked = ringing + 1;
        Assert.Equal(
            [
                $"UserPickupResult call {picked}", $"CallInfo {ringing} 134 r-rel", $"CallInfo {ringing} 134 del del", $"UserInfo {bob.Cn} 0/0",
                $"UserInfo {olivia.Cn} 1/1", $"CallInfo {picked} 129 r-setup",
                .. (pickupConnected ? new[] { $"UserInfo {olivia.Cn} 0/1", $"CallInfo {picked} 133 x-conn" } : new[] { $"CallInfo {picked} 132 x-alert" }),
            ],
            frames.Select(Describe));
        Assert.Equal("a:18", frames[0].GetProperty("src").GetString());
        Assert.Equal(operatorHandle, frames[5].GetProperty("user").GetInt32());
        Assert.Equal(["picking", "ct"], frames[5].GetProperty("no").EnumerateArray().Select(entry => entry.GetProperty("type").GetString()));
        if (!pickupConnected)
        {
            await feed.SendAsync($$"""{"api":"RCC","mt":"UserConnect","call":{{picked}},"src":"a:19"}""");
            Assert.Equal(["UserConnectResult", $"UserInfo {olivia.Cn} 0/1", $"CallInfo {picked} 133 x-conn"], await feed.ReadLinesAsync(3));
        }

        Assert.Equal(CallPhase.Talking, Assert.Single(feed.Pbx.Truth.Calls[olivia.Guid]).Phase);
    }

    [Fact]
    public async Task UserPickup_without_a_call_takes_whatever_rings_at_the_colleague()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (olivia, bob) = (feed.Users[0], feed.Users[2]);
        var operatorHandle = await feed.HandleOfAsync(olivia);
        feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserPickup","user":{{operatorHandle}},"cn":{{JsonSerializer.Serialize(bob.Cn)}},"src":"a:1"}""");

        Assert.Equal(["UserPickupResult call 3", "CallInfo 3 129 r-setup", "CallInfo 3 132 x-alert"], await feed.ReadLinesAsync(3));
        Assert.False(feed.Pbx.Truth.Calls.ContainsKey(bob.Guid));
    }

    [Theory]
    [InlineData("answered")]
    [InlineData("gone")]
    [InlineData("someone else's")]
    public async Task UserPickup_of_a_call_that_no_longer_rings_there_answers_call_0_and_changes_nothing(string why)
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (olivia, alice, bob) = (feed.Users[0], feed.Users[1], feed.Users[2]);
        var operatorHandle = await feed.HandleOfAsync(olivia);
        var call = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside);
        _ = why switch
        {
            "answered" => feed.Pbx.Answer(call.CalleeLeg),
            "gone" => feed.Pbx.HangUp(call.CallerLeg),
            _ => true,
        };
        var before = feed.Pbx.Truth.Calls;
        var named = why == "someone else's" ? alice : bob;

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserPickup","user":{{operatorHandle}},"cn":{{JsonSerializer.Serialize(named.Cn)}},"call":{{call.CalleeLeg}},"src":"a:1"}""");

        Assert.Equal(["UserPickupResult call 0"], await feed.ReadLinesAsync(1));
        await feed.AssertNothingPendingAsync();
        Assert.Equal(before.Keys, feed.Pbx.Truth.Calls.Keys);
        Assert.Equal(before.Values.SelectMany(legs => legs.Select(leg => leg.Phase)), feed.Pbx.Truth.Calls.Values.SelectMany(legs => legs.Select(leg => leg.Phase)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_call_id_never_reported_on_this_connection_is_accepted_only_with_AcceptForeignHandles(bool accept)
    {
        await using var feed = await CallFeedSession.StartAsync(new ProtocolVariants { AcceptForeignHandles = accept });
        var (olivia, bob) = (feed.Users[0], feed.Users[2]);
        var operatorHandle = await feed.HandleOfAsync(olivia);
        var ringing = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside).CalleeLeg;

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserPickup","user":{{operatorHandle}},"cn":{{JsonSerializer.Serialize(bob.Cn)}},"call":{{ringing}},"src":"a:1"}""");

        Assert.Equal([accept ? "UserPickupResult call 3" : "UserPickupResult call 0"], await feed.ReadLinesAsync(1));
        Assert.Equal(accept, feed.Pbx.Truth.Calls.ContainsKey(olivia.Guid));
    }

    [Theory]
    [InlineData("UserRedirect", false)]
    [InlineData("UserRedirect", true)]
    [InlineData("UserReroute", false)]
    public async Task UserRedirect_blind_transfers_a_connected_call_or_deflects_a_ringing_one_as_in_7_4(string mt, bool ringing)
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (alice, carol) = (feed.Users[1], feed.Users[3]);
        await feed.MonitorAsync(alice);
        await feed.MonitorAsync(carol);
        var call = feed.Pbx.StartIncomingExternalCall(alice.Guid, Outside);
        if (!ringing)
        {
            feed.Pbx.Answer(call.CalleeLeg);
        }

        var first = await feed.ReadAsync(ringing ? 2 : 3);

        await feed.SendAsync($$"""{"api":"RCC","mt":"{{mt}}","call":{{call.CalleeLeg}},"cn":{{JsonSerializer.Serialize(carol.Cn)}},"src":"a:1"}""");
        var frames = await feed.ReadAsync(4);
        Assert.True(feed.Pbx.Answer(3));
        var answered = await feed.ReadLinesAsync(1);

        Assert.Equal([$"{mt}Result", $"CallInfo 2 {(ringing ? 132 : 133)} del del", "CallInfo 3 129 r-setup", "CallInfo 3 132 x-alert"], frames.Select(Describe));
        Assert.Equal(["CallInfo 3 133 x-conn"], answered);
        var setup = frames[2];
        Assert.Equal(Outside, setup.GetProperty("peer").GetProperty("e164").GetString());
        Assert.Equal((ringing ? "leg2" : "ct", alice.Cn), (setup.GetProperty("no")[0].GetProperty("type").GetString(), setup.GetProperty("no")[0].GetProperty("cn").GetString()));
        Assert.Equal(first[0].GetProperty("conf").GetString(), setup.GetProperty("conf").GetString());
    }

    [Fact]
    public async Task UserRedirect_to_an_outside_number_ends_the_users_leg_and_to_nobody_fails_with_error()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var alice = feed.Users[1];
        await feed.MonitorAsync(alice);
        var call = feed.Pbx.StartIncomingExternalCall(alice.Guid, Outside);
        feed.Pbx.Answer(call.CalleeLeg);
        await feed.ReadAsync(3);

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserRedirect","call":{{call.CalleeLeg}},"e164":"999","src":"a:1"}""");
        var refused = await feed.ReadLinesAsync(1);
        await feed.AssertNothingPendingAsync();
        await feed.SendAsync($$"""{"api":"RCC","mt":"UserRedirect","call":{{call.CalleeLeg}},"e164":"07114711","src":"a:2"}""");
        var redirected = await feed.ReadLinesAsync(2);

        Assert.Equal(["UserRedirectResult error"], refused);
        Assert.Equal(["UserRedirectResult", "CallInfo 2 133 del del"], redirected);
        Assert.False(feed.Pbx.Truth.Calls.ContainsKey(alice.Guid));
        Assert.Equal(2, feed.Pbx.LegCount);
    }

    [Fact]
    public async Task UserHold_and_UserRetrieve_set_the_hold_bits_as_in_7_3_and_fail_when_there_is_nothing_to_do()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (alice, bob) = (feed.Users[1], feed.Users[2]);
        await feed.MonitorAsync(alice);
        await feed.MonitorAsync(bob);
        var call = feed.Pbx.StartInternalCall(alice.Guid, bob.Guid);
        feed.Pbx.Answer(call.CalleeLeg);
        await feed.ReadAsync(6);

        await feed.SendAsync("""{"api":"RCC","mt":"UserHold","call":1,"src":"a:1"}""");
        var held = await feed.ReadLinesAsync(3);
        await feed.SendAsync("""{"api":"RCC","mt":"UserRetrieve","call":"1","src":"a:2"}""");
        var retrieved = await feed.ReadLinesAsync(3);
        await feed.SendAsync("""{"api":"RCC","mt":"UserRetrieve","call":1,"src":"a:3"}""");
        var again = await feed.ReadLinesAsync(1);

        Assert.Equal(["UserHoldResult", "CallInfo 1 261 update", "CallInfo 2 645 r-held"], held);
        Assert.Equal(["UserRetrieveResult", "CallInfo 1 5 update", "CallInfo 2 133 r-retrieved"], retrieved);
        Assert.Equal(["UserRetrieveResult error"], again);
        await feed.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task An_announced_transfer_holds_the_caller_calls_the_colleague_and_joins_them_as_in_7_4()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (alice, carol) = (feed.Users[1], feed.Users[3]);
        var operatorHandle = await feed.HandleOfAsync(alice);
        await feed.MonitorAsync(carol);
        var caller = feed.Pbx.StartIncomingExternalCall(alice.Guid, Outside).CalleeLeg;
        feed.Pbx.Answer(caller);
        await feed.ReadAsync(3);

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserHold","call":{{caller}},"src":"a:1"}""");
        var held = await feed.ReadLinesAsync(2);
        await feed.SendAsync($$"""{"api":"RCC","mt":"UserCall","user":{{operatorHandle}},"cn":{{JsonSerializer.Serialize(carol.Cn)}},"src":"a:2"}""");
        var consulting = await feed.ReadLinesAsync(5);
        Assert.True(feed.Pbx.Answer(4));
        var answered = await feed.ReadLinesAsync(2);
        await feed.SendAsync($$"""{"api":"RCC","mt":"UserTransfer","a":{{caller}},"b":3,"src":"a:3"}""");
        var transferred = await feed.ReadAsync(4);

        Assert.Equal(["UserHoldResult", $"CallInfo {caller} 389 update"], held);
        Assert.Equal(["UserCallResult call 3", "CallInfo 3 1 x-setup", "CallInfo 4 129 r-setup", "CallInfo 4 132 x-alert", "CallInfo 3 4 r-alert"], consulting);
        Assert.Equal(["CallInfo 4 133 x-conn", "CallInfo 3 5 r-conn"], answered);
        Assert.Equal(["UserTransferResult", $"CallInfo {caller} 389 del del", "CallInfo 3 5 del del", "CallInfo 4 133 r-ct"], transferred.Select(Describe));
        Assert.Equal(Outside, transferred[3].GetProperty("peer").GetProperty("e164").GetString());
        Assert.Equal(alice.Cn, transferred[3].GetProperty("no")[0].GetProperty("cn").GetString());
        Assert.False(feed.Pbx.Truth.Calls.ContainsKey(alice.Guid));
    }

    [Fact]
    public async Task UserConnect_answers_a_call_alerting_at_the_phone_and_fails_for_one_that_does_not()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var bob = feed.Users[2];
        await feed.MonitorAsync(bob);
        var ringing = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside).CalleeLeg;
        await feed.ReadAsync(2);

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserConnect","call":{{ringing}},"src":"a:1"}""");
        var answered = await feed.ReadLinesAsync(2);
        await feed.SendAsync($$"""{"api":"RCC","mt":"UserConnect","call":{{ringing}},"src":"a:2"}""");
        var again = await feed.ReadLinesAsync(1);

        Assert.Equal(["UserConnectResult", $"CallInfo {ringing} 133 x-conn"], answered);
        Assert.Equal(["UserConnectResult error"], again);
    }

    [Theory]
    [InlineData("16", 16, "Normal call clearing")]
    [InlineData("21", 21, "Call rejected")]
    public async Task UserClear_ends_the_leg_and_the_peer_hears_the_cause(string cause, int code, string text)
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (alice, bob) = (feed.Users[1], feed.Users[2]);
        await feed.MonitorAsync(alice);
        await feed.MonitorAsync(bob);
        var call = feed.Pbx.StartInternalCall(alice.Guid, bob.Guid);
        feed.Pbx.Answer(call.CalleeLeg);
        await feed.ReadAsync(6);

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserClear","call":1,"cause":"{{cause}}","src":"a:1"}""");
        var frames = await feed.ReadAsync(5);

        Assert.Equal(["UserClearResult", "CallInfo 1 7 x-rel", "CallInfo 2 134 r-rel", "CallInfo 1 7 del del", "CallInfo 2 134 del del"], frames.Select(Describe));
        Assert.Equal((code, text), (frames[2].GetProperty("info")[0].GetProperty("vali").GetInt32(), frames[2].GetProperty("info")[0].GetProperty("vals").GetString()));
        Assert.Empty(feed.Pbx.Truth.Calls);
    }

    [Theory]
    [InlineData(ActionFailure.CallZero, new[] { "UserPickupResult call 0", "UserHoldResult", "UserCallResult call 0" })]
    [InlineData(ActionFailure.Error, new[] { "UserPickupResult error", "UserHoldResult error", "UserCallResult error" })]
    [InlineData(ActionFailure.Silence, new string[0])]
    public async Task FailAction_answers_every_action_in_its_shape_and_changes_nothing(ActionFailure failure, string[] expected)
    {
        var (feed, operatorHandle) = await OperatorWatchingBobAsync(new ProtocolVariants { FailAction = failure });
        await using var session = feed;
        var (olivia, bob) = (feed.Users[0], feed.Users[2]);
        var ringing = feed.Pbx.StartIncomingExternalCall(bob.Guid, Outside).CalleeLeg;
        await feed.ReadAsync(2);

        await feed.SendAsync($$"""{"api":"RCC","mt":"UserPickup","user":{{operatorHandle}},"cn":{{JsonSerializer.Serialize(bob.Cn)}},"call":{{ringing}},"src":"a:1"}""");
        await feed.SendAsync($$"""{"api":"RCC","mt":"UserHold","call":{{ringing}},"src":"a:2"}""");
        await feed.SendAsync($$"""{"api":"RCC","mt":"UserCall","user":{{operatorHandle}},"e164":"07031123456","src":"a:3"}""");
        var answers = await feed.ReadAsync(expected.Length);
        await feed.AssertNothingPendingAsync();

        Assert.Equal(expected, answers.Select(Describe));
        Assert.Equal(Enumerable.Range(1, expected.Length).Select(n => $"a:{n}"), answers.Select(answer => answer.GetProperty("src").GetString()));
        Assert.Equal(CallPhase.Ringing, Assert.Single(feed.Pbx.Truth.Calls[bob.Guid]).Phase);
        Assert.False(feed.Pbx.Truth.Calls.ContainsKey(olivia.Guid));
    }

    [Fact]
    public async Task Every_request_is_recorded_as_sent_and_the_next_one_of_a_kind_can_be_awaited()
    {
        await using var feed = await CallFeedSession.StartAsync();
        var (olivia, bob) = (feed.Users[0], feed.Users[2]);
        var operatorHandle = await feed.HandleOfAsync(olivia);
        await feed.SubscribeAsync(bob, answers: 3);
        var pickup = $$"""{"api":"RCC","mt":"UserPickup","user":{{operatorHandle}},"cn":{{JsonSerializer.Serialize(bob.Cn)}},"call":"5","src":"a:1"}""";
        await feed.SendAsync(pickup);
        await feed.ReadAsync(1);

        var next = feed.Pbx.NextRequestAsync("UserPickup", feed.Token);
        Assert.False(next.IsCompleted);
        await feed.SendAsync("""{"api":"RCC","mt":"UserHold","call":1,"src":"a:2"}""");
        await feed.SendAsync(pickup.Replace("a:1", "a:3", StringComparison.Ordinal));
        var awaited = await next;

        Assert.Equal("a:3", awaited.Message.GetProperty("src").GetString());
        Assert.Equal(
            ["UserInitialize", "SubscribePresence", "UserPickup", "UserHold", "UserPickup"],
            feed.Pbx.Requests.Select(request => request.Mt));
        var recorded = feed.Pbx.Requests[2];
        Assert.Equal(pickup, recorded.Json);
        Assert.Equal(awaited.Session, recorded.Session);
    }

    /// <summary>A session with Olivia's handle (returned) and Bob monitored after it, and the user list first when asked.</summary>
    private static async Task<(CallFeedSession Feed, int OperatorHandle)> OperatorWatchingBobAsync(ProtocolVariants variants, bool userList = false)
    {
        var feed = await CallFeedSession.StartAsync(variants);
        if (userList)
        {
            await feed.InitializeAsync();
        }

        var operatorHandle = await feed.HandleOfAsync(feed.Users[0]);
        await feed.MonitorAsync(feed.Users[2]);
        return (feed, operatorHandle);
    }
}
