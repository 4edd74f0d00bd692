using BlfBlazor.State;
using static BlfBlazor.Tests.MissedCalls.MissedCallHarness;

namespace BlfBlazor.Tests.MissedCalls;

/// <summary>
/// Which calls count as missed, and what became of them, from the CallInfo sequences of CALLS.md §7 and
/// PBXAPIS.md §6: what the tile of the user who missed the call would list.
/// </summary>
[Trait("Category", "Unit")]
public sealed class MissedCallDerivationTests : IDisposable
{
    private static string WentElsewhere => Cause(26, "Non-selected user clearing");

    private readonly MissedCallHarness _pbx = new();

    public void Dispose() => _pbx.Dispose();

    [Fact]
    public async Task An_answered_call_is_not_missed_and_counts_as_the_users_last_call()
    {
        await _pbx.ListCastAsync();
        var earlier = await AbandonedAtBobAsync(call: 300, conf: "C300");

        await AnsweredAtBobAsync(call: 301, conf: "C301");

        var bob = _pbx.Book.Of("g-bob");
        Assert.Equal([earlier], bob.Calls.Select(c => c.CallKey));
        Assert.Equal(0, bob.Unanswered); // he has talked since
    }

    [Fact]
    public async Task A_call_the_caller_gives_up_is_missed_by_nobody_with_caller_and_ringing_time()
    {
        await _pbx.ListCastAsync();
        var start = _pbx.Now;

        await AbandonedAtBobAsync(call: 301, conf: "C301", ringing: TimeSpan.FromSeconds(12));

        var bob = _pbx.Book.Of("g-bob");
        var missed = Assert.Single(bob.Calls);
        Assert.Equal(("C301", start, 12_000L, "007031123456", MissedOutcome.Nobody), (missed.CallKey, missed.AtUnixMs, missed.RangMs, missed.Peer?.Number, missed.Outcome));
        Assert.Equal(1, bob.Unanswered);

        // Bob's record on the board carries it, for the tiles of those who may see it.
        var onTheBoard = _pbx.Directory.Current.Users.Single(u => u.Guid == "g-bob").Missed;
        Assert.Equal(1, onTheBoard.Unanswered);
        Assert.Equal([missed], onTheBoard.Calls);
    }

    [Fact]
    public async Task A_tile_lists_the_newest_ten_missed_calls_and_counts_every_one_since_the_last_call()
    {
        await _pbx.ListCastAsync();
        await AbandonedAtBobAsync(call: 300, conf: "C300");
        await AnsweredAtBobAsync(call: 301, conf: "C301");
        for (var call = 310; call < 322; call++)
        {
            _pbx.Time.Advance(TimeSpan.FromMinutes(1));
            await AbandonedAtBobAsync(call, conf: $"C{call}");
        }

        // Twelve after his last call, one before it: all thirteen kept, the newest ten listed.
        var bob = _pbx.Directory.Current.Users.Single(u => u.Guid == "g-bob").Missed;
        Assert.Equal(12, bob.Unanswered);
        Assert.Equal([.. Enumerable.Range(312, 10).Reverse().Select(call => $"C{call}")], bob.Calls.Select(c => c.CallKey));
    }

    [Fact]
    public async Task A_list_of_missed_calls_read_before_a_miss_and_published_after_it_leaves_the_miss_on_the_tile()
    {
        await _pbx.ListCastAsync();
        var readBefore = _pbx.Book.Of("g-bob");
        await AbandonedAtBobAsync(call: 301, conf: "C301");

        // The store's service (restore, prune) and the PBX loop race to the directory: the later list wins.
        _pbx.Directory.SetMissedCalls("g-bob", readBefore);

        var bob = _pbx.Directory.Current.Users.Single(u => u.Guid == "g-bob").Missed;
        Assert.Equal(["C301"], bob.Calls.Select(c => c.CallKey));
        Assert.Equal(1, bob.Unanswered);
    }

    [Fact]
    public async Task A_call_a_colleague_picks_up_is_missed_with_outcome_colleague()
    {
        await _pbx.ListCastAsync();
        await _pbx.FeedAsync([
            .. Rings(12, 301, "C301"),
            // CALLS.md §7.5: Bob's leg ends (cause 26), Olivia's leg of the same call appears and connects.
            .. Ends(12, 301, WentElsewhere)]);
        await _pbx.FeedAsync([
            .. Rings(10, 502, "C301", $$""","no":[{"type":"picking"},{"type":"ct",{{Bob[1..]}}]"""),
            CallInfo(10, 502, 133, "x-conn")]);

        var missed = Assert.Single(_pbx.Book.Of("g-bob").Calls);
        Assert.Equal(MissedOutcome.Colleague, missed.Outcome);
        Assert.Empty(_pbx.Book.Of("g-olivia").Calls);
    }

    [Fact]
    public async Task A_call_two_users_missed_is_one_missed_call_each_until_one_of_them_takes_it_when_it_rings_again()
    {
        await _pbx.ListCastAsync();

        // A group rings Bob and Carol, then moves on: both missed it, nobody answered yet.
        await _pbx.FeedAsync([
            .. Rings(12, 360, "C360"),
            .. Rings(13, 361, "C360"),
            .. Ends(12, 360, NormalClearing),
            .. Ends(13, 361, NormalClearing)]);
        Assert.Equal(MissedOutcome.Nobody, Assert.Single(_pbx.Book.Of("g-bob").Calls).Outcome);
        Assert.Equal(MissedOutcome.Nobody, Assert.Single(_pbx.Book.Of("g-carol").Calls).Outcome);

        // The group comes back to Bob and he answers: not his missed call any more, and Carol's went to a colleague.
        await _pbx.FeedAsync([
            .. Rings(12, 362, "C360"),
            CallInfo(12, 362, 133, "x-conn")]);

        Assert.Empty(_pbx.Book.Of("g-bob").Calls);
        var carols = Assert.Single(_pbx.Book.Of("g-carol").Calls);
        Assert.Equal(("C360", MissedOutcome.Colleague), (carols.CallKey, carols.Outcome));
        Assert.Empty(_pbx.Directory.Current.Users.Single(u => u.Guid == "g-bob").Missed.Calls);
    }

    [Fact]
    public async Task A_call_forwarded_on_no_answer_and_answered_there_is_missed_with_outcome_forwarded()
    {
        await _pbx.ListCastAsync();
        await _pbx.FeedAsync([
            .. Rings(12, 301, "C301"),
            .. Ends(12, 301, WentElsewhere),
            // Carol's leg names Bob as the diverting user (leg2).
            .. Rings(13, 303, "C301", $$""","no":[{"type":"leg2",{{Bob[1..]}}]""")]);
        // Not answered yet, but gone elsewhere (cause 26); Bob has no no-answer forwarding on the board's table.
        Assert.Equal(MissedOutcome.Colleague, Assert.Single(_pbx.Book.Of("g-bob").Calls).Outcome);

        await _pbx.FeedAsync(CallInfo(13, 303, 133, "x-conn"));

        Assert.Equal(MissedOutcome.Forwarded, Assert.Single(_pbx.Book.Of("g-bob").Calls).Outcome);
        Assert.Empty(_pbx.Book.Of("g-carol").Calls);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(250, 10)] // the answer among the oldest the detector remembers (its ring of answers has wrapped)
    public async Task A_ring_the_PBX_clears_after_the_call_was_answered_elsewhere_takes_its_outcome_from_that_answer(int answersBefore, int answersBetween)
    {
        await _pbx.ListCastAsync();
        await AnsweredByOliviaAsync(calls: answersBefore, firstCall: 1000);

        // Bob's forwarding rings Carol beside him (leg2 names Bob); she answers before the PBX clears his ring.
        await _pbx.FeedAsync([
            .. Rings(12, 370, "C370"),
            .. Rings(13, 371, "C370", $$""","no":[{"type":"leg2",{{Bob[1..]}}]"""),
            CallInfo(13, 371, 133, "x-conn")]);
        await AnsweredByOliviaAsync(calls: answersBetween, firstCall: 2000);
        await _pbx.FeedAsync([
            .. Ends(12, 370, WentElsewhere)]);

        // Cause 26 alone would say a colleague (Bob has no no-answer forwarding on the board's table).
        Assert.Equal(MissedOutcome.Forwarded, Assert.Single(_pbx.Book.Of("g-bob").Calls).Outcome);
        Assert.Empty(_pbx.Book.Of("g-carol").Calls);
    }

    [Theory]
    [InlineData(false, MissedOutcome.Colleague)]
    [InlineData(true, MissedOutcome.Forwarded)]
    public async Task A_call_that_went_elsewhere_out_of_sight_was_taken_by_a_colleague_or_forwarded_on_no_answer(bool forwardsOnNoAnswer, MissedOutcome outcome)
    {
        await _pbx.ListCastAsync();
        if (forwardsOnNoAnswer)
        {
            ((IPbxStateWriter)_pbx.Directory).ApplyTableRow(new UserTableRow("g-bob", string.Empty, [new Diversion(DiversionKind.NoAnswer, null, "0171234567", IsExternal: true, IsConditional: false)]));
        }

        // A group member or a forwarding destination the board does not monitor takes it: all Bob's leg says is cause 26.
        await _pbx.FeedAsync([
            .. Rings(12, 340, "C340"),
            .. Ends(12, 340, WentElsewhere)]);

        Assert.Equal(outcome, Assert.Single(_pbx.Book.Of("g-bob").Calls).Outcome);
    }

    [Fact]
    public async Task A_call_ringing_at_a_reconnect_and_replayed_is_one_missed_call()
    {
        await _pbx.ListCastAsync();
        var start = _pbx.Now;
        await _pbx.FeedAsync([.. Rings(12, 301, "C301")]);

        // The PBX replays the call on the new socket under a new handle, same conf; then the caller gives up.
        _pbx.Time.Advance(TimeSpan.FromSeconds(5));
        await _pbx.ReconnectAsync(CallInfo(22, 901, 132, "x-alert", "C301", Ext));
        _pbx.Time.Advance(TimeSpan.FromSeconds(5));
        await _pbx.FeedAsync([.. Ends(22, 901, NormalClearing)]);

        var missed = Assert.Single(_pbx.Book.Of("g-bob").Calls);
        Assert.Equal(("C301", start, 10_000L), (missed.CallKey, missed.AtUnixMs, missed.RangMs));
    }

    [Fact]
    public async Task A_call_ringing_at_a_reconnect_and_not_replayed_is_missed_once_by_nobody()
    {
        await _pbx.ListCastAsync();
        await _pbx.FeedAsync([.. Rings(12, 301, "C301")]);

        await _pbx.ReconnectAsync();
        await _pbx.ReconnectAsync();

        var missed = Assert.Single(_pbx.Book.Of("g-bob").Calls);
        Assert.Equal(MissedOutcome.Nobody, missed.Outcome);
    }

    [Fact]
    public async Task A_call_replayed_late_after_a_reconnect_and_answered_is_not_missed_after_all()
    {
        await _pbx.ListCastAsync();
        await _pbx.FeedAsync([.. Rings(12, 301, "C301")]);

        // The list completes before the PBX replays the leg: counted as missed for now...
        await _pbx.ReconnectAsync();
        Assert.Single(_pbx.Book.Of("g-bob").Calls);

        // ...until it shows up, still ringing, and Bob answers it.
        await _pbx.FeedAsync(CallInfo(22, 901, 132, "x-alert", "C301", Ext), CallInfo(22, 901, 133, "x-conn"));

        Assert.Empty(_pbx.Book.Of("g-bob").Calls);
    }

    [Fact]
    public async Task A_caller_the_PBX_names_only_while_it_rings_is_the_missed_calls_caller()
    {
        await _pbx.ListCastAsync();
        await _pbx.FeedAsync([
            CallInfo(12, 320, 129, "r-setup", "C320"),
            CallInfo(12, 320, 132, "x-alert", peer: Ext),
            .. Ends(12, 320, NormalClearing)]);

        var missed = Assert.Single(_pbx.Book.Of("g-bob").Calls);
        Assert.Equal("007031123456", missed.Peer?.Number);
    }

    [Fact]
    public async Task A_call_answered_then_held_retrieved_and_ended_is_not_missed()
    {
        await _pbx.ListCastAsync();
        await _pbx.FeedAsync([
            .. Rings(12, 321, "C321"),
            CallInfo(12, 321, 133, "x-conn"),
            CallInfo(12, 321, 389, "update"),
            CallInfo(12, 321, 133, "update"),
            .. Ends(12, 321, NormalClearing)]);

        Assert.Empty(_pbx.Book.Of("g-bob").Calls);
    }

    [Fact]
    public async Task The_first_ring_of_the_boards_own_click_to_call_is_not_missed_the_next_callers_ring_is()
    {
        await _pbx.ListCastAsync();

        // Olivia's phone is not innovaphone's: the PBX rings it first for the call she clicked, and she lets it ring out.
        _pbx.OwnDials.Dialling("g-olivia");
        await AbandonedAsync(user: 10, call: 330, conf: "C330", peer: Bob, TimeSpan.FromSeconds(20), Cause(19, "No answer from user (user alerted)"));
        Assert.Empty(_pbx.Book.Of("g-olivia").Calls);

        // The next caller's ring, a moment later, is hers to miss.
        await AbandonedAsync(user: 10, call: 331, conf: "C331", peer: Ext, TimeSpan.FromSeconds(2), NormalClearing);
        Assert.Equal("C331", Assert.Single(_pbx.Book.Of("g-olivia").Calls).CallKey);
    }

    [Fact]
    public async Task A_call_that_rang_on_while_the_user_took_another_counts_as_unanswered()
    {
        await _pbx.ListCastAsync();

        // Two callers at once: Bob takes the second, the first gives up while he talks.
        await _pbx.FeedAsync([.. Rings(12, 350, "C350")]);
        _pbx.Time.Advance(TimeSpan.FromSeconds(3));
        await _pbx.FeedAsync([.. Rings(12, 351, "C351"), CallInfo(12, 351, 133, "x-conn")]);
        _pbx.Time.Advance(TimeSpan.FromSeconds(10));
        await _pbx.FeedAsync([.. Ends(12, 350, NormalClearing)]);

        var bob = _pbx.Book.Of("g-bob");
        Assert.Equal("C350", Assert.Single(bob.Calls).CallKey);
        Assert.Equal(1, bob.Unanswered); // he never took that caller: it waits for him on his tile
    }

    [Fact]
    public async Task A_call_the_user_made_is_never_missed()
    {
        await _pbx.ListCastAsync();
        await _pbx.FeedAsync(
            CallInfo(11, 310, 1, "x-setup", "C310", Bob),
            CallInfo(11, 310, 4, "r-alert"),
            CallInfo(11, 310, 6, "r-rel", more: Cause(16, "Normal call clearing")),
            CallInfo(11, 310, 6, "del"));

        Assert.Empty(_pbx.Book.Of("g-alice").Calls);
    }

    /// <summary>Other calls answered meanwhile, at Olivia's desk.</summary>
    private async Task AnsweredByOliviaAsync(int calls, int firstCall)
    {
        for (var call = firstCall; call < firstCall + calls; call++)
        {
            await _pbx.FeedAsync(CallInfo(10, call, 129, "r-setup", $"C{call}", Ext), CallInfo(10, call, 133, "x-conn"), CallInfo(10, call, 134, "del"));
        }
    }

    private Task AnsweredAtBobAsync(int call, string conf) =>
        _pbx.FeedAsync(Answered(12, call, conf));

    /// <summary>An outside caller rings Bob and hangs up before he answers (cause 16); returns the call's key.</summary>
    private async Task<string> AbandonedAtBobAsync(int call, string conf, TimeSpan? ringing = null)
    {
        await AbandonedAsync(user: 12, call, conf, Ext, ringing ?? TimeSpan.FromSeconds(8), NormalClearing);
        return conf;
    }

    /// <summary>A call from <paramref name="peer"/> rings at the user's handle, then ends unanswered with <paramref name="cause"/>.</summary>
    private async Task AbandonedAsync(int user, int call, string conf, string peer, TimeSpan ringing, string cause)
    {
        await _pbx.FeedAsync(Rings(user, call, conf, peer: peer));
        _pbx.Time.Advance(ringing);
        await _pbx.FeedAsync(Ends(user, call, cause));
    }
}
