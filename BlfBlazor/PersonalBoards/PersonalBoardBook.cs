using System.Security.Claims;
using BlfBlazor.State;
using BlfBlazor.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlfBlazor.PersonalBoards;

/// <summary>
/// Every signed-in person's board (favourites, saved views, last view), in memory for the boards and
/// queued for the store: a click changes memory at once and never waits for the database. Keyed by the
/// person's <c>sub</c> claim, never a name. Bounded per person and in persons.
/// </summary>
internal sealed partial class PersonalBoardBook(
    StoreWrites writes,
    IOptions<PersonalBoardOptions> options,
    TimeProvider timeProvider,
    ILogger<PersonalBoardBook> logger) : ISharedInStore
{
    public const string PartName = "personal";

    /// <summary>The claim that names a person: the provider's fixed id, never a name that may change or repeat.</summary>
    public const string PersonClaim = "sub";

    public const int MaxFavourites = 200;
    public const int MaxSavedViews = 50;
    public const int MaxViewName = BlfStore.ViewNameLength;
    public const int MaxViewQuery = BlfStore.ViewQueryLength;

    /// <summary>
    /// Changes one person may make a minute: far above what a hand clicks, low enough that a scripted
    /// page cannot fill the store's queue (which missed calls share) with stars.
    /// </summary>
    public const int MaxChangesPerMinute = 120;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, PersonalBoard> _persons = new(StringComparer.Ordinal);
    private readonly ChangeSubscribers _subscribers = new();

    // Each person's changes in the current minute: (the minute's start, changes), for MaxChangesPerMinute.
    private readonly Dictionary<string, (long Start, int Count)> _rates = new(StringComparer.Ordinal);
    private readonly int _maxPersons = options.Value.MaxPersons;
    private bool _saidFull;

    public string Part => PartName;

    /// <summary>The person a signed-in viewer is (their <c>sub</c>); null when not signed in or without a usable one.</summary>
    public static string? PersonOf(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true && user.FindFirst(PersonClaim)?.Value is { Length: > 0 and <= BlfStore.PersonKeyLength } sub ? sub : null;

    /// <summary>Persons with something kept.</summary>
    public int Persons
    {
        get
        {
            lock (_lock)
            {
                return _persons.Count;
            }
        }
    }

    public PersonalBoard Of(string person)
    {
        lock (_lock)
        {
            return _persons.GetValueOrDefault(person, PersonalBoard.Empty);
        }
    }

    /// <summary>Signalled after every change of anyone's board (a board compares its own person's value).</summary>
    public DirectorySubscription Subscribe() => _subscribers.Subscribe();

    /// <summary>Stars or unstars a user; false when refused (too many, or the store's queue is full): memory is then as before.</summary>
    public bool SetFavourite(string person, string userGuid, bool favourite)
    {
        if (userGuid.Length is 0 or > BlfStore.GuidLength)
        {
            return false;
        }

        return Change(person, board =>
        {
            if (board.Favourites.Contains(userGuid) == favourite)
            {
                return board;
            }

            if (favourite && board.Favourites.Count >= MaxFavourites)
            {
                return null;
            }

            var favourites = new HashSet<string>(board.Favourites, StringComparer.Ordinal);
            if (favourite)
            {
                favourites.Add(userGuid);
            }
            else
            {
                favourites.Remove(userGuid);
            }

            return board with { Favourites = favourites };
        }, favourite ? new SaveFavourite(person, userGuid, Now) : new ForgetFavourite(person, userGuid));
    }

    /// <summary>
    /// Saves <paramref name="query"/> (the board's own writing of a parsed view) under <paramref name="name"/>,
    /// replacing a view of that name; false when the name is blank or too long, or past <see cref="MaxSavedViews"/>.
    /// </summary>
    public bool SaveView(string person, string name, string query)
    {
        name = name.Trim();
        if (name.Length is 0 or > MaxViewName || query.Length > MaxViewQuery)
        {
            return false;
        }

        return Change(person, board =>
        {
            var at = board.Views.ToList().FindIndex(view => view.Name == name);
            if (at < 0 && board.Views.Count >= MaxSavedViews)
            {
                return null;
            }

            List<SavedView> views = [.. board.Views];
            if (at >= 0)
            {
                views[at] = new SavedView(name, query);
            }
            else
            {
                views.Add(new SavedView(name, query));
            }

            return board with { Views = views };
        }, new SaveSavedView(person, name, query, Now));
    }

    public bool DeleteView(string person, string name) =>
        Change(person, board => board.Views.Any(view => view.Name == name) ? board with { Views = [.. board.Views.Where(view => view.Name != name)] } : board, new ForgetSavedView(person, name));

    /// <summary>Remembers the view the person shows now, to restore it when they open the board without one.</summary>
    public bool SetLastView(string person, string query) =>
        query.Length <= MaxViewQuery
        && Change(person, board => board.LastView == query ? board : board with { LastView = query }, new SaveLastView(person, query, Now));

    public async Task RestoreAsync(BlfStore store, CancellationToken cancellationToken) => await LoadAsync(store, replace: false, cancellationToken);

    public async Task ReloadAsync(BlfStore store, CancellationToken cancellationToken) => await LoadAsync(store, replace: true, cancellationToken);

    /// <summary>Nothing expires: a person's board is kept until they change it.</summary>
    public Task PruneAsync(BlfStore store, CancellationToken cancellationToken) => Task.CompletedTask;

    private long Now => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Applies a change to memory and queues its write. <paramref name="change"/> gives the board itself when
    /// there is nothing to change (true, no write), null when a bound refuses it (false).
    /// </summary>
    private bool Change(string person, Func<PersonalBoard, PersonalBoard?> change, StoreWrite write)
    {
        if (person.Length is 0 or > BlfStore.PersonKeyLength)
        {
            return false;
        }

        lock (_lock)
        {
            var known = _persons.TryGetValue(person, out var before);
            if (!known && _persons.Count >= _maxPersons)
            {
                if (!_saidFull)
                {
                    Log.TooManyPersons(logger, _maxPersons);
                    _saidFull = true;
                }

                return false;
            }

            var current = before ?? PersonalBoard.Empty;
            if (change(current) is not { } after)
            {
                return false;
            }

            if (ReferenceEquals(after, current))
            {
                return true;
            }

            if (!WithinRate(person))
            {
                return false;
            }

            // Queued under the lock, so the store sees a person's changes in the order memory did.
            if (!writes.Enqueue(write))
            {
                return false;
            }

            if (after.IsEmpty)
            {
                _persons.Remove(person);
            }
            else
            {
                _persons[person] = after;
            }
        }

        _subscribers.Notify();
        return true;
    }

    /// <summary>Counts a change of <paramref name="person"/> against their minute (under the lock); false past the rate.</summary>
    private bool WithinRate(string person)
    {
        var now = timeProvider.GetTimestamp();
        var minute = (long)timeProvider.TimestampFrequency * 60;
        if (_rates.Count > _maxPersons)
        {
            // Old minutes only: a person who changes nothing for a minute starts afresh anyway.
            foreach (var stale in _rates.Where(rate => now - rate.Value.Start >= minute).Select(rate => rate.Key).ToList())
            {
                _rates.Remove(stale);
            }
        }

        var (start, count) = _rates.GetValueOrDefault(person);
        if (count == 0 || now - start >= minute)
        {
            (start, count) = (now, 0);
        }

        if (count >= MaxChangesPerMinute)
        {
            return false;
        }

        _rates[person] = (start, count + 1);
        return true;
    }

    /// <summary>
    /// Reads every person's board. A restore (at start, or once a store that was away is back) keeps what
    /// this run changed meanwhile on top; a reload (another instance saved) replaces, so deletions arrive too.
    /// </summary>
    private async Task LoadAsync(BlfStore store, bool replace, CancellationToken cancellationToken)
    {
        var favourites = await store.Favourites.AsNoTracking().OrderBy(row => row.AtUnixMs).ToListAsync(cancellationToken);
        var views = await store.SavedViews.AsNoTracking().OrderBy(row => row.AtUnixMs).ToListAsync(cancellationToken);
        var lastViews = await store.LastViews.AsNoTracking().ToListAsync(cancellationToken);

        var loaded = new Dictionary<string, (HashSet<string> Favourites, List<SavedView> Views, string? Last)>(StringComparer.Ordinal);
        (HashSet<string> Favourites, List<SavedView> Views, string? Last) Person(string key)
        {
            if (!loaded.TryGetValue(key, out var person) && loaded.Count < _maxPersons)
            {
                loaded[key] = person = (new HashSet<string>(StringComparer.Ordinal), [], null);
            }

            return person;
        }

        foreach (var row in favourites)
        {
            if (Person(row.PersonKey) is { Favourites: { } set } && set.Count < MaxFavourites)
            {
                set.Add(row.UserGuid);
            }
        }

        foreach (var row in views)
        {
            if (Person(row.PersonKey) is { Views: { } list } && list.Count < MaxSavedViews)
            {
                list.Add(new SavedView(row.Name, row.Query));
            }
        }

        foreach (var row in lastViews)
        {
            if (Person(row.PersonKey) is { Favourites: not null } person)
            {
                loaded[row.PersonKey] = person with { Last = row.Query };
            }
        }

        lock (_lock)
        {
            var mine = replace ? [] : _persons.ToDictionary(StringComparer.Ordinal);
            _persons.Clear();
            foreach (var (key, person) in loaded)
            {
                _persons[key] = new PersonalBoard(person.Favourites, person.Views, person.Last);
            }

            foreach (var (key, board) in mine)
            {
                // What this run changed before the store answered is queued for it already: it wins.
                _persons[key] = _persons.TryGetValue(key, out var kept)
                    ? new PersonalBoard(
                        new HashSet<string>(kept.Favourites.Concat(board.Favourites).Take(MaxFavourites), StringComparer.Ordinal),
                        [.. kept.Views.Where(view => board.Views.All(own => own.Name != view.Name)).Concat(board.Views).TakeLast(MaxSavedViews)],
                        board.LastView ?? kept.LastView)
                    : board;
            }
        }

        _subscribers.Notify();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Personal boards are kept for {MaxPersons} people already; a new person's change was refused (raise Blf:PersonalBoards:MaxPersons)")]
        public static partial void TooManyPersons(ILogger logger, int maxPersons);
    }
}
