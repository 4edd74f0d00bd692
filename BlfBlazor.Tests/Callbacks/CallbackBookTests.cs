using BlfBlazor.Callbacks;
using BlfBlazor.State;

namespace BlfBlazor.Tests.Callbacks;

/// <summary>The callback book: what a tile shows when a message is taken and done, its bounds, and that a hidden number is never kept.</summary>
[Trait("Category", "Unit")]
public sealed class CallbackBookTests
{
    [Fact]
    public void A_message_taken_shows_on_the_colleagues_tile_and_done_clears_it()
    {
        var pbx = new CallbackHarness();
        var message = pbx.Message("g-anna", urgency: CallbackUrgency.Urgent);

        Assert.Equal(CallbackResult.Done, pbx.Book.Take(message));

        var open = Assert.Single(pbx.Shown("g-anna").Callbacks.Open);
        Assert.Equal((message.Id, "About the invoice", CallbackUrgency.Urgent, "olivia"), (open.Id, open.Note, open.Urgency, open.TakenBy));
        Assert.Empty(pbx.Shown("g-bob").Callbacks.Open);

        pbx.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(CallbackResult.Done, pbx.Book.Done(message.Id, "anna-sub"));

        Assert.Empty(pbx.Shown("g-anna").Callbacks.Open);
        var done = pbx.Book.Find(message.Id)!;
        Assert.Equal(("done", "anna-sub", pbx.Time.GetUtcNow().ToUnixTimeMilliseconds()), (done.StateWord, done.DoneBy, done.DoneAtUnixMs));

        // Each step is queued for the store, and for the other instances on it.
        var writes = pbx.Queued();
        Assert.Equal([null, "anna-sub"], writes.Cast<SaveCallback>().Select(w => w.Callback.DoneBy));
        Assert.All(writes, w => Assert.Equal("callbacks", w.SharedPart));
    }

    [Fact]
    public void A_person_closes_only_their_own_callbacks_and_a_callback_done_twice_stays_as_first_done()
    {
        var pbx = new CallbackHarness();
        var message = pbx.Message("g-anna");
        pbx.Book.Take(message);

        Assert.Equal(CallbackResult.Unknown, pbx.Book.Done(message.Id, "bob-sub", forUser: "g-bob"));
        Assert.Equal(CallbackResult.Unknown, pbx.Book.Done("no-such-id", "olivia"));
        Assert.Single(pbx.Shown("g-anna").Callbacks.Open);

        Assert.Equal(CallbackResult.Done, pbx.Book.Done(message.Id, "anna-sub", forUser: "g-anna"));
        pbx.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(CallbackResult.Done, pbx.Book.Done(message.Id, "olivia"));
        Assert.Equal("anna-sub", pbx.Book.Find(message.Id)!.DoneBy);
    }

    [Fact]
    public void A_colleague_with_the_most_open_callbacks_gets_no_more_but_a_done_one_makes_room()
    {
        var pbx = new CallbackHarness();
        var first = pbx.Message("g-anna");
        pbx.Book.Take(first);
        for (var i = 1; i < CallbackBook.MaxPerUser; i++)
        {
            pbx.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(CallbackResult.Done, pbx.Book.Take(pbx.Message("g-anna")));
        }

        Assert.Equal(CallbackResult.Full, pbx.Book.Take(pbx.Message("g-anna")));
        Assert.Equal(CallbackBook.MaxPerUser, pbx.Shown("g-anna").Callbacks.Open.Count);

        pbx.Book.Done(first.Id, "olivia");
        pbx.Queued();
        Assert.Equal(CallbackResult.Done, pbx.Book.Take(pbx.Message("g-anna")));

        // The done one went, from memory and from the store.
        Assert.Null(pbx.Book.Find(first.Id));
        Assert.Contains(pbx.Queued(), w => w is ForgetCallback forget && forget.Id == first.Id);
    }

    [Theory]
    [InlineData(CallDetails.Internal)]
    [InlineData(CallDetails.Off)]
    public void Where_call_details_hide_numbers_the_callers_number_is_neither_kept_nor_queued(CallDetails details)
    {
        var pbx = new CallbackHarness(details);
        var message = pbx.Message("g-anna");

        pbx.Book.Take(message);

        Assert.Equal(("Mr Keller", null), (pbx.Book.Find(message.Id)!.Caller?.Name, pbx.Book.Find(message.Id)!.Caller?.Number));
        var write = Assert.IsType<SaveCallback>(Assert.Single(pbx.Queued()));
        Assert.Null(write.Callback.Caller?.Number);
    }

    [Fact]
    public void A_message_for_a_colleague_the_PBX_lists_later_shows_once_they_are_listed()
    {
        var pbx = new CallbackHarness();
        pbx.Book.Take(pbx.Message("g-carol"));

        IPbxStateWriter state = pbx.Directory;
        state.Apply(UserChange.Upsert(new PbxUserInfo("g-carol", "carol", "Carol Clark", "103", "carol", "root", "master", 1, 0, 0), isLive: true));

        Assert.Single(pbx.Shown("g-carol").Callbacks.Open);
    }
}
