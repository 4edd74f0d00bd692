using System.Security.Claims;
using BlfBlazor.PersonalBoards;
using BlfBlazor.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.PersonalBoards;

/// <summary>
/// The book of personal boards in memory: who a person is (their sub, nothing else), what a star or a
/// saved view changes at once and queues for the store, and every bound a page could push against.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PersonalBoardBookTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_person_is_their_sub_and_never_their_name()
    {
        Assert.Equal("s-123", PersonalBoardBook.PersonOf(Signed(("sub", "s-123"), ("name", "Dora Desk"))));
        Assert.Null(PersonalBoardBook.PersonOf(Signed(("name", "Dora Desk"), ("preferred_username", "dora"))));
        Assert.Null(PersonalBoardBook.PersonOf(Signed(("sub", new string('x', BlfStore.PersonKeyLength + 1)))));
        Assert.Null(PersonalBoardBook.PersonOf(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "s-123")]))));
        Assert.Null(PersonalBoardBook.PersonOf(null));
    }

    [Fact]
    public void A_star_shows_at_once_is_queued_once_and_a_second_star_changes_nothing()
    {
        var (book, writes) = Book();
        using var subscription = book.Subscribe();

        Assert.True(book.SetFavourite("dora", "g-anna", favourite: true));
        Assert.True(book.SetFavourite("dora", "g-anna", favourite: true));

        Assert.Equal(["g-anna"], book.Of("dora").Favourites);
        Assert.Empty(book.Of("someone-else").Favourites);
        Assert.IsType<SaveFavourite>(Assert.Single(Drain(writes)));

        Assert.True(book.SetFavourite("dora", "g-anna", favourite: false));
        Assert.Empty(book.Of("dora").Favourites);
        Assert.Equal(0, book.Persons);
        Assert.IsType<ForgetFavourite>(Assert.Single(Drain(writes)));
    }

    [Fact]
    public void Favourites_views_and_persons_are_bounded()
    {
        var (book, writes) = Book(maxPersons: 2);
        for (var i = 0; i < PersonalBoardBook.MaxFavourites; i++)
        {
            Assert.True(book.SetFavourite("dora", $"g-{i}", favourite: true));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.False(book.SetFavourite("dora", "g-one-more", favourite: true));
        Assert.Equal(PersonalBoardBook.MaxFavourites, book.Of("dora").Favourites.Count);
        Assert.False(book.SetFavourite("dora", new string('g', BlfStore.GuidLength + 1), favourite: true));

        for (var i = 0; i < PersonalBoardBook.MaxSavedViews; i++)
        {
            Assert.True(book.SaveView("dora", $"view {i}", "sort=state"));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.False(book.SaveView("dora", "one more", "sort=state"));
        Assert.True(book.SaveView("dora", "view 3", "sort=number"));
        Assert.Equal(new SavedView("view 3", "sort=number"), book.Of("dora").Views[3]);
        Assert.False(book.SaveView("dora", new string('n', PersonalBoardBook.MaxViewName + 1), "sort=state"));
        Assert.False(book.SaveView("dora", "   ", "sort=state"));

        Assert.True(book.SetFavourite("emil", "g-1", favourite: true));
        Assert.False(book.SetFavourite("fritz", "g-1", favourite: true));
        Assert.Equal(2, book.Persons);
        Assert.Equal(PersonalBoardBook.MaxFavourites + PersonalBoardBook.MaxSavedViews + 1 + 1, Drain(writes).Count);
    }

    [Fact]
    public void A_person_changes_at_most_so_often_a_minute_and_may_again_after_it()
    {
        var (book, _) = Book();
        for (var i = 0; i < PersonalBoardBook.MaxChangesPerMinute; i++)
        {
            Assert.True(book.SetFavourite("dora", "g-anna", favourite: i % 2 == 0));
        }

        Assert.False(book.SetFavourite("dora", "g-bob", favourite: true));
        Assert.True(book.SetFavourite("emil", "g-bob", favourite: true));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(book.SetFavourite("dora", "g-bob", favourite: true));
    }

    [Fact]
    public void A_change_the_store_queue_refuses_leaves_memory_as_it_was()
    {
        var (book, writes) = Book(maxPendingWrites: 1);
        Assert.True(book.SetFavourite("dora", "g-anna", favourite: true));

        Assert.False(book.SetFavourite("dora", "g-bob", favourite: true));

        Assert.Equal(["g-anna"], book.Of("dora").Favourites);
        Assert.Single(Drain(writes));
    }

    [Fact]
    public void Saved_views_keep_their_order_and_a_deleted_one_is_gone()
    {
        var (book, _) = Book();
        book.SaveView("dora", "Reception", "grp=reception");
        book.SaveView("dora", "Busy", "state=busy");
        book.SetLastView("dora", "sort=state");

        Assert.True(book.DeleteView("dora", "Reception"));

        Assert.Equal([new SavedView("Busy", "state=busy")], book.Of("dora").Views);
        Assert.Equal("sort=state", book.Of("dora").LastView);
    }

    private (PersonalBoardBook Book, StoreWrites Writes) Book(int maxPersons = 10_000, int maxPendingWrites = 10_000)
    {
        var writes = new StoreWrites(Options.Create(new StoreOptions { MaxPendingWrites = maxPendingWrites }), new StoreStatus(), _time, NullLogger<StoreWrites>.Instance);
        return (new PersonalBoardBook(writes, Options.Create(new PersonalBoardOptions { MaxPersons = maxPersons }), _time, NullLogger<PersonalBoardBook>.Instance), writes);
    }

    private static List<StoreWrite> Drain(StoreWrites writes)
    {
        var drained = new List<StoreWrite>();
        while (writes.Reader.TryRead(out var write))
        {
            Assert.Equal(PersonalBoardBook.PartName, write.SharedPart);
            drained.Add(write);
        }

        return drained;
    }

    private static ClaimsPrincipal Signed(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));
}
