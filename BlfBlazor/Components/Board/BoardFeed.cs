using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.Extensions.Localization;

namespace BlfBlazor.Components.Board;

/// <summary>
/// What one open board shows, kept current from the directory: the snapshot, the tiles in the
/// board's view, and their counts. Owns the board's subscription loop; the page only says how to
/// run work on its circuit and how to re-render.
/// </summary>
/// <remarks>
/// Every change wakes the loop once (signals coalesce), and the board then moves to the newest
/// snapshot: a storm of changes costs a slow board a few renders, never a queue.
/// </remarks>
public sealed class BoardFeed : IAsyncDisposable
{
    private readonly UserDirectory _directory;
    private readonly LampTile _tileHtml;
    private readonly IStringLocalizer<BoardText> _text;
    private readonly IReadOnlyList<BoardGroup> _groups;
    private readonly CancellationTokenSource _stop = new();
    private DirectorySubscription? _subscription;
    private Task _loop = Task.CompletedTask;
    private BoardQuery _query = BoardQuery.Default;
    private bool _tilesStale;
    private IStringLocalizer<ActionText>? _actions;
    private bool _tilesWithActions;
    private int _tilesChanged;

    public BoardFeed(UserDirectory directory, LampTile tileHtml, IStringLocalizer<BoardText> text, IReadOnlyList<BoardGroup> groups)
    {
        _directory = directory;
        _tileHtml = tileHtml;
        _text = text;
        _groups = groups;
        Snapshot = directory.Current;
    }

    /// <summary>The directory content the board shows.</summary>
    public DirectorySnapshot Snapshot { get; private set; }

    /// <summary>Every tile the board shows, in order; <see cref="Sections"/> are ranges of it. All stale or none.</summary>
    public ShownTile[] Tiles { get; private set; } = [];

    public IReadOnlyList<ShownSection> Sections { get; private set; } = [];

    /// <summary>Users per lamp state (indexed by <see cref="LampState"/>), over the whole board, not just the view.</summary>
    public IReadOnlyList<int> Counts { get; private set; } = new int[4];

    /// <summary>Shows <paramref name="query"/>'s view of the current snapshot.</summary>
    public void Show(BoardQuery query)
    {
        _query = query;
        Arrange();
    }

    /// <summary>Tiles with an operator's action buttons (<paramref name="actions"/>), or without (null).</summary>
    public void ShowActions(IStringLocalizer<ActionText>? actions)
    {
        _actions = actions;
        Arrange();
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

    /// <summary>How many tiles got new HTML since the last call: what the next render sends.</summary>
    public int TakeTilesChanged()
    {
        var changed = _tilesChanged;
        _tilesChanged = 0;
        return changed;
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

    private static async Task FollowAsync(DirectorySubscription subscription, Func<Action, Task> dispatch, Action changed, Func<Exception, Task> failed, CancellationToken cancellationToken)
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

    private void Arrange()
    {
        var counts = new int[4];
        foreach (var user in Snapshot.Users)
        {
            counts[(int)user.Lamp]++;
        }

        Counts = counts;
        var sections = BoardView.Arrange(Snapshot.Users, _query, _groups, _text["Other"]);
        var stale = Snapshot.IsStale;

        // Staleness and the action buttons are in every tile's HTML: when either changes, no tile can be kept.
        var withActions = _actions is not null;
        var previous = stale == _tilesStale && withActions == _tilesWithActions ? Tiles : [];
        var tiles = new ShownTile[sections.Sum(s => s.Users.Count)];
        var shown = new ShownSection[sections.Count];
        var at = 0;
        for (var s = 0; s < sections.Count; s++)
        {
            var start = at;
            foreach (var user in sections[s].Users)
            {
                // The same record in the same place shows the same HTML: no lookup, nothing to send.
                var before = at < previous.Length ? previous[at] : default;
                if (ReferenceEquals(before.User, user))
                {
                    tiles[at++] = before;
                    continue;
                }

                var html = _tileHtml.Html(user, stale, _text, _actions);
                if (!string.Equals(before.Html.Value, html.Value, StringComparison.Ordinal))
                {
                    _tilesChanged++;
                }

                tiles[at++] = new ShownTile(user, html);
            }

            var blocksBefore = s < Sections.Count ? Sections[s].Blocks : [];
            shown[s] = new ShownSection(sections[s].Title, start, at - start, Blocks(tiles, start, at - start, blocksBefore));
        }

        Sections = shown;
        Tiles = tiles;
        _tilesStale = stale;
        _tilesWithActions = withActions;
    }

    /// <summary>
    /// The section's tiles in blocks; a block whose tiles are all as before is the same instance as
    /// before, so its component skips the render.
    /// </summary>
    private static TileBlock[] Blocks(ShownTile[] tiles, int start, int count, IReadOnlyList<TileBlock> before)
    {
        var blocks = new TileBlock[(count + TileBlock.Size - 1) / TileBlock.Size];
        for (var b = 0; b < blocks.Length; b++)
        {
            var from = start + b * TileBlock.Size;
            var length = Math.Min(TileBlock.Size, start + count - from);
            blocks[b] = b < before.Count && before[b].Holds(tiles, from, length)
                ? before[b]
                : new TileBlock(tiles.AsSpan(from, length).ToArray());
        }

        return blocks;
    }

    /// <summary>Stops following: cancels the loop and waits for it, then unsubscribes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _subscription?.Dispose();
        _stop.Dispose();
    }
}

/// <summary>A heading's tiles: <see cref="Count"/> tiles of <see cref="BoardFeed.Tiles"/> from <see cref="Start"/>, also as <see cref="Blocks"/>.</summary>
public sealed record ShownSection(string? Title, int Start, int Count, IReadOnlyList<TileBlock> Blocks);
