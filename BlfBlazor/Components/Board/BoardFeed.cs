using System.Globalization;
using BlfBlazor.State;

namespace BlfBlazor.Components.Board;

/// <summary>
/// What one open board shows, kept current from the directory: the snapshot, the tiles in the
/// board's view, and their counts. Owns the board's subscription loop; the page only says how to
/// run work on its circuit and how to re-render.
/// </summary>
/// <remarks>
/// Every change wakes the loop once (signals coalesce), and the board then moves to the newest
/// snapshot: a storm of changes costs a slow board a few renders, never a queue. The tiles come
/// arranged from the board's <see cref="BoardArrangements.SharedView"/>, shared with every board that
/// shows the same view.
/// </remarks>
public sealed class BoardFeed : IAsyncDisposable
{
    private readonly UserDirectory _directory;
    private readonly BoardArrangements _arrangements;
    private readonly CancellationTokenSource _stop = new();
    private DirectorySubscription? _subscription;
    private Task _loop = Task.CompletedTask;
    private readonly CultureInfo _culture;
    private BoardQuery _query = BoardQuery.Default;
    private bool _withActions;
    private bool _withMissed;
    private BoardArrangements.SharedView? _view;
    private BoardArrangement? _arrangement;
    private int _tilesChanged;

    // A signed-in person's favourites: their tiles in the directory's order, drawn by this board alone
    // (the shared HTML of the view), outside the shared arrangement.
    private IReadOnlySet<string>? _favouriteGuids;
    private ShownTile[] _favourites = [];
    private TileBlock[] _favouriteBlocks = [];
    private bool _favouritesChanged;

    // What the page's own tile list shows (tiles in place): which view at which version; null view: unknown.
    private BoardArrangements.SharedView? _pageView;
    private long _pageVersion;

    /// <param name="culture">The board's language: its tiles and headings are arranged in it.</param>
    public BoardFeed(UserDirectory directory, BoardArrangements arrangements, CultureInfo culture)
    {
        _directory = directory;
        _arrangements = arrangements;
        _culture = culture;
        Snapshot = directory.Current;
    }

    /// <summary>The directory content the board shows.</summary>
    public DirectorySnapshot Snapshot { get; private set; }

    /// <summary>Every tile the board shows, in order; <see cref="Sections"/> are ranges of it. All stale or none.</summary>
    public ShownTile[] Tiles => _arrangement?.Tiles ?? [];

    public IReadOnlyList<ShownSection> Sections => _arrangement?.Sections ?? [];

    /// <summary>Users per lamp state (indexed by <see cref="LampState"/>), over the whole board, not just the view.</summary>
    public IReadOnlyList<int> Counts => _arrangement?.Counts ?? s_noCounts;

    private static readonly int[] s_noCounts = new int[4];

    /// <summary>The person's favourites on the board, in the directory's order, whatever the view filters.</summary>
    public IReadOnlyList<TileBlock> FavouriteBlocks => _favouriteBlocks;

    public int FavouriteCount => _favourites.Length;

    /// <summary>Shows the tiles of <paramref name="guids"/> (a person's stars) in the favourites section; null or empty: none.</summary>
    public void ShowFavourites(IReadOnlySet<string>? guids)
    {
        _favouriteGuids = guids;
        ArrangeFavourites();
    }

    /// <summary>Whether a favourite's tile changed since the last call: the board then renders its favourites section.</summary>
    public bool TakeFavouritesChanged()
    {
        var changed = _favouritesChanged;
        _favouritesChanged = false;
        return changed;
    }

    /// <summary>Shows <paramref name="query"/>'s view of the current snapshot.</summary>
    public void Show(BoardQuery query)
    {
        _query = query;
        TakeView();
    }

    /// <summary>Tiles with the users' missed calls, or without (who may see them depends on the viewer).</summary>
    public void ShowMissedCalls(bool withMissed)
    {
        if (_withMissed != withMissed)
        {
            _withMissed = withMissed;
            TakeView();
        }
    }

    /// <summary>Tiles with an operator's action buttons, or without.</summary>
    public void ShowActions(bool withActions)
    {
        _withActions = withActions;
        TakeView();
    }

    /// <summary>Moves to the directory's newest snapshot; false when the board already shows it.</summary>
    public bool Refresh()
    {
        var next = _directory.Current;
        if (next.Version == Snapshot.Version)
        {
            return false;
        }

        Snapshot = next;
        Arrange();
        return true;
    }

    /// <summary>
    /// What the board's own markup (title, status line, problem, empty notice, "shown" line) says of the
    /// snapshot: while it stays the same, a change is the tile list's and the counts' alone, which the
    /// page applies from the payloads without a render of the board.
    /// </summary>
    public BoardChrome Chrome => new(Snapshot.Status, Snapshot.Users.Length, Tiles.Length == 0, Tiles.Length != Snapshot.Users.Length);

    /// <summary>How many tiles got new HTML since the last call: what the next render sends.</summary>
    public int TakeTilesChanged()
    {
        var changed = _tilesChanged;
        _tilesChanged = 0;
        return changed;
    }

    /// <summary>
    /// The tiles as rendered now, as "version:view": what a prerendered page carries, so that the page
    /// started from it can say which tiles it adopted (<see cref="TakeAdoptionPayload"/>).
    /// </summary>
    public string TilesRendered => _view is null || _arrangement is null ? string.Empty : $"{_arrangement.Version}:{_view.Name}";

    /// <summary>
    /// The page took over the prerendered tiles that said <paramref name="rendered"/> (null: none): the
    /// bytes that bring them to what the board shows (an empty delta when they are current, a delta when
    /// exactly one arrangement behind, else the full list).
    /// </summary>
    public ReadOnlyMemory<byte[]> TakeAdoptionPayload(string? rendered)
    {
        long? shown = null;
        if (_view is not null && rendered?.Split(':', 2) is [var version, var view] && view == _view.Name && long.TryParse(version, out var at))
        {
            shown = at;
        }

        return TakePayload(shown);
    }

    /// <summary>
    /// The payloads that bring the page's tile list to what the board shows, in order; none when it shows
    /// that already. Asked only once the page adopted its tiles: before, or after <see cref="PageLost"/>, the full list.
    /// </summary>
    public ReadOnlyMemory<byte[]> TakePagePayload()
    {
        if (_arrangement is null)
        {
            return default;
        }

        long? shown = _pageView is not null && ReferenceEquals(_pageView, _view) ? _pageVersion : null;
        return shown == _arrangement.Version ? default : TakePayload(shown);
    }

    /// <summary>The page's tile list is unknown (a send failed, or the page drew the list's element anew): the next payload is the full list.</summary>
    public void PageLost() => _pageView = null;

    private ReadOnlyMemory<byte[]> TakePayload(long? shown)
    {
        if (_view is null || _arrangement is null)
        {
            return default;
        }

        _pageView = _view;
        _pageVersion = _arrangement.Version;
        return _arrangement.PayloadSince(shown);
    }

    /// <summary>
    /// Starts following the directory: on every change, <paramref name="dispatch"/> runs the refresh on
    /// the board's own context and <paramref name="changed"/> follows when there is something new to show.
    /// Call once the board is interactive (a prerender has nothing to push to).
    /// </summary>
    /// <param name="dispatch">Runs work where the board may touch its state (the circuit's dispatcher).</param>
    /// <param name="failed">Where an unexpected failure goes: the board's own circuit, never the directory.</param>
    public void Follow(Func<Action, Task> dispatch, Action changed, Func<Exception, Task> failed)
    {
        if (_subscription is not null)
        {
            throw new InvalidOperationException("The board already follows the directory.");
        }

        _subscription = _directory.Subscribe();
        _loop = FollowAsync(_subscription, dispatch, changed, failed, _stop.Token);
    }

    /// <summary>Calls <paramref name="changed"/> on the circuit after each (coalesced) change until cancelled; a failure goes to <paramref name="failed"/>.</summary>
    internal static async Task FollowAsync(DirectorySubscription subscription, Func<Action, Task> dispatch, Action changed, Func<Exception, Task> failed, CancellationToken cancellationToken)
    {
        try
        {
            while (await subscription.WaitForChangeAsync(cancellationToken))
            {
                // Changes that arrive while this one is shown coalesce into the next wake-up.
                await dispatch(changed);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The board is gone.
        }
        catch (Exception ex)
        {
            await failed(ex);
        }
    }

    private void TakeView()
    {
        // Taken before the old one is given back, so a view this board keeps showing is not dropped between.
        var view = _arrangements.Take(_query, _culture, _withActions, _withMissed);
        if (_view is not null)
        {
            _arrangements.Release(_view);
        }

        _view = view;
        Arrange();
    }

    private void Arrange()
    {
        if (_view is null)
        {
            return;
        }

        var next = _view.For(Snapshot);
        _tilesChanged += next.TilesChangedSince(_arrangement);
        _arrangement = next;
        Snapshot = next.Snapshot;
        ArrangeFavourites();
    }

    /// <summary>
    /// The favourites' tiles of the snapshot: one pass over the users with a set lookup each (a board with
    /// no favourites pays nothing), and the blocks kept where their tiles are as before.
    /// </summary>
    private void ArrangeFavourites()
    {
        if (_view is null || _favouriteGuids is not { Count: > 0 } guids)
        {
            _favouritesChanged |= _favourites.Length > 0;
            _favourites = [];
            _favouriteBlocks = [];
            return;
        }

        var stale = Snapshot.IsStale;
        var tiles = new List<ShownTile>(Math.Min(guids.Count, 64));
        foreach (var user in Snapshot.Users)
        {
            if (guids.Contains(user.Guid))
            {
                var at = tiles.Count;
                tiles.Add(at < _favourites.Length && ReferenceEquals(_favourites[at].User, user) && _favouriteStale == stale && ReferenceEquals(_favouriteView, _view)
                    ? _favourites[at]
                    : _view.FavouriteTile(user, stale));
            }
        }

        var next = tiles.ToArray();
        var blocks = BoardArrangement.Blocks(next, 0, next.Length, _favouriteBlocks);
        _favouritesChanged |= next.Length != _favourites.Length || !blocks.AsSpan().SequenceEqual(_favouriteBlocks);
        _favourites = next;
        _favouriteBlocks = blocks;
        _favouriteStale = stale;
        _favouriteView = _view;
    }

    // What the favourites' tiles were drawn for: a tile is reused only for the same record, staleness and view.
    private bool _favouriteStale;
    private BoardArrangements.SharedView? _favouriteView;

    /// <summary>Stops following: cancels the loop and waits for it, then unsubscribes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _subscription?.Dispose();
        if (_view is not null)
        {
            _arrangements.Release(_view);
            _view = null;
        }

        _stop.Dispose();
    }
}

/// <summary>What a board's own markup shows of a snapshot, beside its tiles and counts (see <see cref="BoardFeed.Chrome"/>).</summary>
public readonly record struct BoardChrome(ConnectionStatus Status, int Users, bool NoneShown, bool SomeHidden);
