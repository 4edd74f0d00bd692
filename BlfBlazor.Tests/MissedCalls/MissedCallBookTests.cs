using BlfBlazor.MissedCalls;
using BlfBlazor.State;

namespace BlfBlazor.Tests.MissedCalls;

/// <summary>
/// The book's bound and order: the newest <see cref="MissedCallBook.MaxPerUser"/> missed calls of a user,
/// in time order whatever order they are recorded in (a restore brings older ones after newer), a better
/// outcome in place, a call found answered after all gone.
/// </summary>
[Trait("Category", "Unit")]
public sealed class MissedCallBookTests : IDisposable
{
    private readonly MissedCallHarness _pbx = new();

    public void Dispose() => _pbx.Dispose();

    [Fact]
    public void A_user_keeps_the_newest_fifty_missed_calls_in_time_order_whatever_order_they_come_in()
    {
        // Sixty calls a minute apart, recorded in a shuffled order.
        var minutes = Enumerable.Range(0, 60).ToArray();
        new Random(23).Shuffle(minutes);
        foreach (var minute in minutes)
        {
            _pbx.Book.Missed(Call(minute));
        }

        var shown = _pbx.Book.Of("g-bob");
        Assert.Equal(MissedCallBook.MaxPerUser, shown.Unanswered);
        Assert.Equal(Enumerable.Range(50, 10).Reverse().Select(Key), shown.Calls.Select(c => c.CallKey));

        // The oldest kept call (the eleventh-oldest recorded), found answered after all, leaves the count.
        _pbx.Book.NotMissed("g-bob", Key(10));
        Assert.Equal(MissedCallBook.MaxPerUser - 1, _pbx.Book.Of("g-bob").Unanswered);

        // One older than every kept call is not kept once the book is full again.
        _pbx.Book.Missed(Call(10));
        _pbx.Book.Missed(Call(5));
        Assert.Equal(MissedCallBook.MaxPerUser, _pbx.Book.Of("g-bob").Unanswered);
        _pbx.Book.NotMissed("g-bob", Key(10));
        Assert.Equal(MissedCallBook.MaxPerUser - 1, _pbx.Book.Of("g-bob").Unanswered);
    }

    [Fact]
    public void A_better_outcome_of_a_kept_call_keeps_its_place()
    {
        foreach (var minute in new[] { 1, 2, 3 })
        {
            _pbx.Book.Missed(Call(minute));
        }

        _pbx.Book.Missed(Call(2) with { Outcome = MissedOutcome.Colleague });

        var shown = _pbx.Book.Of("g-bob");
        Assert.Equal([Key(3), Key(2), Key(1)], shown.Calls.Select(c => c.CallKey));
        Assert.Equal([MissedOutcome.Nobody, MissedOutcome.Colleague, MissedOutcome.Nobody], shown.Calls.Select(c => c.Outcome));
        Assert.Equal(3, shown.Unanswered);
    }

    private static string Key(int minute) => $"C{minute:000}";

    /// <summary>A missed call of Bob's, <paramref name="minute"/> minutes into the last two hours.</summary>
    private MissedCall Call(int minute) =>
        new("g-bob", Key(minute), _pbx.Now - ((120 - minute) * 60_000L), RangMs: 20_000, Peer: null, MissedOutcome.Nobody);
}
