using BlfBlazor.Operators;
using BlfBlazor.Pbx.Rcc;
using BlfBlazor.State;

namespace BlfBlazor.Tests.Operators;

/// <summary>
/// The desk against the reference's sequences (CALLS.md §4, §7.4–7.6): what goes on the wire through
/// the operator's own handle, and that an action is done only when the CallInfo proves it.
/// </summary>
[Trait("Category", "Unit")]
public sealed class OperatorDeskTests : IDisposable
{
    private const string Olivia = "Olivia Operator";
    private const string External = """{"e164":"007031123456","h323":"","cn":"","dn":""}""";
    private readonly DeskHarness _pbx = new();

    [Fact]
    public async Task A_call_goes_out_through_the_operators_own_handle_and_is_done_when_the_new_call_shows()
    {
        await _pbx.ConnectAsync();
        var dial = _pbx.Desk.DialAsync(Olivia, Destination.Dial("+497114711"), CancellationToken.None);
        await _pbx.GiveHandleAsync(Olivia, 10);

        var call = await _pbx.NextSentAsync("UserCall");
        Assert.Equal(10u, call.GetProperty("user").GetUInt32());
        Assert.Equal("+497114711", call.GetProperty("e164").GetString());
        _pbx.Feed($$"""{"api":"RCC","mt":"UserCallResult","src":"{{call.GetProperty("src").GetString()}}","call":501}""");
        Assert.False(dial.IsCompleted);

        Assert.True(_pbx.Feed($$"""{"api":"RCC","mt":"CallInfo","user":10,"call":501,"state":1,"msg":"x-setup","peer":{{External}}}"""));
        Assert.Equal(DeskResult.Done, (await dial).Result);
        Assert.Equal(501u, Assert.Single(_pbx.Desk.Phone(Olivia).Calls).Call);
    }

    [Fact]
    public async Task A_result_alone_is_not_success_without_the_proof_the_action_times_out()
    {
        await _pbx.ConnectAsync();
        var dial = _pbx.Desk.DialAsync(Olivia, Destination.User("Bob Baker"), CancellationToken.None);
        await _pbx.GiveHandleAsync(Olivia, 10);
        var call = await _pbx.NextSentAsync("UserCall");
        Assert.Equal("Bob Baker", call.GetProperty("cn").GetString());
        _pbx.Feed($$"""{"api":"RCC","mt":"UserCallResult","src":"{{call.GetProperty("src").GetString()}}","call":501}""");

        _pbx.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(DeskResult.NotConfirmed, (await dial).Result);
    }

    [Fact]
    public async Task A_number_the_PBX_cannot_reach_is_a_failure_with_its_cause()
    {
        await _pbx.ConnectAsync();
        var dial = _pbx.Desk.DialAsync(Olivia, Destination.Dial("999"), CancellationToken.None);
        await _pbx.GiveHandleAsync(Olivia, 10);
        var call = await _pbx.NextSentAsync("UserCall");
        _pbx.Feed($$"""{"api":"RCC","mt":"CallInfo","user":10,"call":501,"state":6,"msg":"r-disc","info":[{"type":"cause","vali":1,"vals":"Unallocated (unassigned) number"}]}""");
        _pbx.Feed($$"""{"api":"RCC","mt":"UserCallResult","src":"{{call.GetProperty("src").GetString()}}","call":501}""");

        var outcome = await dial;
        Assert.Equal(DeskResult.Refused, outcome.Result);
        Assert.Equal("Unallocated (unassigned) number", outcome.Detail);
    }

    [Fact]
    public async Task A_pickup_names_the_colleague_and_the_ringing_call_and_a_zero_call_means_too_late()
    {
        await _pbx.ConnectAsync();
        var pickup = _pbx.Desk.PickupAsync(Olivia, "Bob Baker", 301, CancellationToken.None);
        await _pbx.GiveHandleAsync(Olivia, 10);
        var request = await _pbx.NextSentAsync("UserPickup");
        Assert.Equal(10u, request.GetProperty("user").GetUInt32());
        Assert.Equal("Bob Baker", request.GetProperty("cn").GetString());
        Assert.Equal(301u, request.GetProperty("call").GetUInt32());
        _pbx.Feed($$"""{"api":"RCC","mt":"UserPickupResult","src":"{{request.GetProperty("src").GetString()}}","call":0}""");

        Assert.Equal(DeskResult.Refused, (await pickup).Result);
    }

    [Fact]
    public async Task A_picked_call_is_done_when_it_rings_or_arrives_at_the_operators_phone()
    {
        await _pbx.ConnectAsync();
        var pickup = _pbx.Desk.PickupAsync(Olivia, "Bob Baker", 0, CancellationToken.None);
        await _pbx.GiveHandleAsync(Olivia, 10);
        var request = await _pbx.NextSentAsync("UserPickup");
        Assert.False(request.TryGetProperty("call", out _));
        _pbx.Feed($$"""{"api":"RCC","mt":"UserPickupResult","src":"{{request.GetProperty("src").GetString()}}","call":502}""");
        _pbx.Feed($$"""{"api":"RCC","mt":"CallInfo","user":10,"call":502,"state":129,"msg":"r-setup","peer":{{External}},"no":[{"type":"picking"},{"type":"ct","cn":"Bob Baker"}]}""");

        Assert.Equal(DeskResult.Done, (await pickup).Result);
        var picked = Assert.Single(_pbx.Desk.Phone(Olivia).Calls);
        Assert.Equal(CallPhase.Ringing, picked.Leg.Phase);
        Assert.Equal("007031123456", picked.Leg.Peer?.Number);
    }

    [Theory]
    [InlineData(false, "UserReroute")]
    [InlineData(true, "UserRedirect")]
    public async Task Putting_through_blind_moves_the_current_call_and_is_done_when_it_left_the_phone(bool pastForwarding, string request)
    {
        // UserReroute follows Carol's forwarding like any call to her; UserRedirect rings her desk phone past it (PBXAPIS §4).
        await ConnectedCallAsync();
        var current = _pbx.Desk.Phone(Olivia).CurrentCall!;
        var transfer = _pbx.Desk.PutThroughAsync(Olivia, current.Call, Destination.User("Carol Clark"), pastForwarding, CancellationToken.None);

        var sent = await _pbx.NextSentAsync(request);
        Assert.Equal(401u, sent.GetProperty("call").GetUInt32());
        Assert.Equal("Carol Clark", sent.GetProperty("cn").GetString());
        Assert.False(sent.TryGetProperty("rc", out _));
        _pbx.Feed($$"""{"api":"RCC","mt":"{{request}}Result","src":"{{sent.GetProperty("src").GetString()}}"}""");
        Assert.False(transfer.IsCompleted);
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":401,"state":133,"msg":"del","del":true}""");

        Assert.Equal(DeskResult.Done, (await transfer).Result);
        Assert.Empty(_pbx.Desk.Phone(Olivia).Calls);
        Assert.True(_pbx.NothingSent);
    }

    [Fact]
    public async Task An_error_answer_fails_the_action_with_the_PBXs_words()
    {
        await ConnectedCallAsync();
        var transfer = _pbx.Desk.PutThroughAsync(Olivia, 401, Destination.User("Carol Clark"), pastForwarding: false, CancellationToken.None);
        var request = await _pbx.NextSentAsync("UserReroute");
        _pbx.Feed($$"""{"api":"RCC","mt":"UserRerouteResult","src":"{{request.GetProperty("src").GetString()}}","error":"no such user"}""");

        Assert.Equal(new DeskOutcome(DeskResult.Refused, "no such user"), await transfer);
    }

    [Fact]
    public async Task An_announced_transfer_holds_the_caller_calls_the_colleague_and_completes_with_UserTransfer()
    {
        await ConnectedCallAsync();
        var announce = _pbx.Desk.AnnounceAsync(Olivia, 401, Destination.User("Carol Clark"), pastForwarding: false, CancellationToken.None);

        var hold = await _pbx.NextSentAsync("UserHold");
        Assert.Equal(401u, hold.GetProperty("call").GetUInt32());
        _pbx.Feed($$"""{"api":"RCC","mt":"UserHoldResult","src":"{{hold.GetProperty("src").GetString()}}"}""");
        _pbx.Feed($$"""{"api":"RCC","mt":"CallInfo","user":10,"call":401,"state":389,"msg":"update"}""");
        var consult = await _pbx.NextSentAsync("UserCall");
        Assert.Equal("Carol Clark", consult.GetProperty("cn").GetString());
        Assert.False(consult.TryGetProperty("ftyNoCF", out _));
        _pbx.Feed($$"""{"api":"RCC","mt":"UserCallResult","src":"{{consult.GetProperty("src").GetString()}}","call":402}""");
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":402,"state":1,"msg":"x-setup","peer":{"cn":"Carol Clark","dn":"Carol Clark"}}""");
        Assert.Equal(DeskResult.Done, (await announce).Result);

        var phone = _pbx.Desk.Phone(Olivia);
        Assert.Equal(new Consultation(401, 402, "Carol Clark"), phone.Consultation);
        Assert.True(phone.Calls.Single(c => c.Call == 401).HeldByOperator);

        var complete = _pbx.Desk.CompleteTransferAsync(Olivia, CancellationToken.None);
        var transfer = await _pbx.NextSentAsync("UserTransfer");
        Assert.Equal(401u, transfer.GetProperty("a").GetUInt32());
        Assert.Equal(402u, transfer.GetProperty("b").GetUInt32());
        _pbx.Feed($$"""{"api":"RCC","mt":"UserTransferResult","src":"{{transfer.GetProperty("src").GetString()}}"}""");
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":401,"msg":"del","del":true}""");
        Assert.False(complete.IsCompleted);
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":402,"msg":"del","del":true}""");

        Assert.Equal(DeskResult.Done, (await complete).Result);
        Assert.Null(_pbx.Desk.Phone(Olivia).Consultation);
    }

    [Fact]
    public async Task Going_back_to_the_caller_clears_the_colleague_and_retrieves_the_caller()
    {
        await ConnectedCallAsync();
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":401,"state":389,"msg":"update"}""");
        var announce = _pbx.Desk.AnnounceAsync(Olivia, 401, Destination.User("Carol Clark"), pastForwarding: false, CancellationToken.None);
        var consult = await _pbx.NextSentAsync("UserCall");
        _pbx.Feed($$"""{"api":"RCC","mt":"UserCallResult","src":"{{consult.GetProperty("src").GetString()}}","call":402}""");
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":402,"state":4,"msg":"r-alert","peer":{"cn":"Carol Clark"}}""");
        await announce;

        var back = _pbx.Desk.ReturnToCallerAsync(Olivia, CancellationToken.None);
        var clear = await _pbx.NextSentAsync("UserClear");
        Assert.Equal(402u, clear.GetProperty("call").GetUInt32());
        Assert.Equal(16, clear.GetProperty("cause").GetInt32());
        _pbx.Feed($$"""{"api":"RCC","mt":"UserClearResult","src":"{{clear.GetProperty("src").GetString()}}"}""");
        var retrieve = await _pbx.NextSentAsync("UserRetrieve");
        Assert.Equal(401u, retrieve.GetProperty("call").GetUInt32());
        _pbx.Feed($$"""{"api":"RCC","mt":"UserRetrieveResult","src":"{{retrieve.GetProperty("src").GetString()}}"}""");
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":402,"msg":"del","del":true}""");
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":401,"state":133,"msg":"update"}""");

        Assert.Equal(DeskResult.Done, (await back).Result);
        Assert.False(_pbx.Desk.Phone(Olivia).Calls.Single().HeldByOperator);
    }

    [Fact]
    public async Task Announcing_at_the_desk_calls_the_colleague_with_ftyNoCF_past_their_forwarding()
    {
        await ConnectedCallAsync();
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":401,"state":389,"msg":"update"}""");
        var announce = _pbx.Desk.AnnounceAsync(Olivia, 401, Destination.User("Carol Clark"), pastForwarding: true, CancellationToken.None);

        // The caller is held already: straight to the call, which overrides Carol's forwarding (PBXAPIS §4).
        var consult = await _pbx.NextSentAsync("UserCall");
        Assert.Equal(10u, consult.GetProperty("user").GetUInt32());
        Assert.Equal("Carol Clark", consult.GetProperty("cn").GetString());
        Assert.True(consult.GetProperty("ftyNoCF").GetBoolean());
        _pbx.Feed($$"""{"api":"RCC","mt":"UserCallResult","src":"{{consult.GetProperty("src").GetString()}}","call":402}""");
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":402,"state":1,"msg":"x-setup","peer":{"cn":"Carol Clark"}}""");

        Assert.Equal(DeskResult.Done, (await announce).Result);
        Assert.Equal(new Consultation(401, 402, "Carol Clark"), _pbx.Desk.Phone(Olivia).Consultation);
    }

    [Fact]
    public async Task Hanging_up_clears_with_normal_clearing_and_is_done_when_the_call_is_gone()
    {
        await ConnectedCallAsync();
        var hangUp = _pbx.Desk.HangUpAsync(Olivia, 401, CancellationToken.None);
        var clear = await _pbx.NextSentAsync("UserClear");
        Assert.Equal(401u, clear.GetProperty("call").GetUInt32());
        _pbx.Feed($$"""{"api":"RCC","mt":"UserClearResult","src":"{{clear.GetProperty("src").GetString()}}"}""");
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":401,"state":135,"msg":"x-rel"}""");
        Assert.False(hangUp.IsCompleted);
        _pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":401,"msg":"del","del":true}""");

        Assert.Equal(DeskResult.Done, (await hangUp).Result);
    }

    [Fact]
    public async Task An_action_on_a_call_the_operator_does_not_have_sends_nothing()
    {
        await ConnectedCallAsync();
        Assert.Equal(DeskResult.NoSuchCall, (await _pbx.Desk.HangUpAsync(Olivia, 999, CancellationToken.None)).Result);
        Assert.Equal(DeskResult.NoSuchCall, (await _pbx.Desk.CompleteTransferAsync(Olivia, CancellationToken.None)).Result);
        Assert.True(_pbx.NothingSent);
    }

    [Fact]
    public async Task Without_a_connection_an_action_says_so_and_a_connection_lost_after_sending_ends_what_waits_as_unknown()
    {
        Assert.Equal(DeskResult.NoConnection, (await _pbx.Desk.DialAsync(Olivia, Destination.Dial("123"), CancellationToken.None)).Result);

        await ConnectedCallAsync();
        var hangUp = _pbx.Desk.HangUpAsync(Olivia, 401, CancellationToken.None);
        await _pbx.NextSentAsync("UserClear");
        _pbx.Disconnect();

        // Sent: the PBX may have cleared the call; "no connection" would invite a blind retry.
        Assert.Equal(DeskResult.ConnectionLost, (await hangUp).Result);
        Assert.Empty(_pbx.Desk.Phone(Olivia).Calls);
        Assert.False(_pbx.Desk.Phone(Olivia).Ready);
    }

    [Fact]
    public async Task A_refused_handle_fails_the_action_as_phone_unavailable()
    {
        await _pbx.ConnectAsync();
        var dial = _pbx.Desk.DialAsync(Olivia, Destination.Dial("123"), CancellationToken.None);
        await _pbx.GiveHandleAsync(Olivia, 0);

        Assert.Equal(DeskResult.PhoneUnavailable, (await dial).Result);
    }

    [Fact]
    public async Task An_open_board_gets_its_phone_a_handle_on_every_connection_and_it_ends_minutes_after_the_last_board()
    {
        using var board = _pbx.Desk.Join(Olivia);
        await _pbx.ConnectAsync();
        await _pbx.GiveHandleAsync(Olivia, 10);
        Assert.True(_pbx.Desk.Phone(Olivia).Ready);

        // A reconnect: the handle died with the old socket; the new connection asks again.
        _pbx.Disconnect();
        await _pbx.ConnectAsync();
        await _pbx.GiveHandleAsync(Olivia, 20);

        board.Dispose();
        _pbx.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.True(_pbx.NothingSent);
        _pbx.Time.Advance(TimeSpan.FromMinutes(1));
        var end = await _pbx.NextSentAsync("UserEnd");
        Assert.Equal(20u, end.GetProperty("user").GetUInt32());
    }

    [Fact]
    public async Task A_board_opened_again_within_the_linger_keeps_the_handle()
    {
        var first = _pbx.Desk.Join(Olivia);
        await _pbx.ConnectAsync();
        await _pbx.GiveHandleAsync(Olivia, 10);
        first.Dispose();
        _pbx.Time.Advance(TimeSpan.FromMinutes(2));
        using var second = _pbx.Desk.Join(Olivia);
        _pbx.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.True(_pbx.NothingSent);
        Assert.True(_pbx.Desk.Phone(Olivia).Ready);
    }

    [Fact]
    public async Task CallInfos_of_other_handles_are_left_to_the_board_feed()
    {
        using var board = _pbx.Desk.Join(Olivia);
        await _pbx.ConnectAsync();
        await _pbx.GiveHandleAsync(Olivia, 10);

        Assert.False(_pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":11,"call":310,"state":1,"msg":"x-setup"}"""));
        Assert.False(_pbx.Feed("""{"api":"RCC","mt":"UserInitializeResult","src":"u:guid-of-alice","user":11}"""));
        Assert.True(_pbx.Feed("""{"api":"RCC","mt":"CallInfo","user":10,"call":401,"state":133,"msg":"x-conn"}"""));
    }

    /// <summary>Olivia's handle 10 with a connected external caller on call 401.</summary>
    private async Task ConnectedCallAsync()
    {
        _ = _pbx.Desk.Join(Olivia);
        await _pbx.ConnectAsync();
        await _pbx.GiveHandleAsync(Olivia, 10);
        _pbx.Feed($$"""{"api":"RCC","mt":"CallInfo","user":10,"call":401,"state":133,"msg":"x-conn","peer":{{External}}}""");
    }

    public void Dispose() => _pbx.Dispose();
}
