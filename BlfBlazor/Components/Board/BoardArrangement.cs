using BlfBlazor.Resources;
using BlfBlazor.State;

namespace BlfBlazor.Components.Board;

/// <summary>
/// One view of one snapshot, ready to render: the tiles in order, their sections and blocks, and the
/// counts. Immutable and shared by every board that shows the view (see <see cref="BoardArrangements"/>).
/// </summary>
public sealed class BoardArrangement
{
    // The deltas that lead here from the last few arrangements of the view, oldest first: _chainFrom[i] is
    // the version _chain[i] starts from, and the rest of the chain follows it to this version.
    private byte[][] _chain = [];
    private long[] _chainFrom = [];
    private byte[]? _full;
    private byte[][]? _unchanged;
    private byte[][]? _whole;

    private BoardArrangement(DirectorySnapshot snapshot, ShownTile[] tiles, IReadOnlyList<ShownSection> sections, IReadOnlyList<int> counts, CultureTexts<BoardText> text)
    {
        Snapshot = snapshot;
        Tiles = tiles;
        Sections = sections;
        Counts = counts;
        CountTexts = Array.ConvertAll(BoardHeadline.CountOrder, state => BoardHeadline.Count(text, state, counts));
        ShownText = BoardHeadline.Shown(text, tiles.Length, snapshot.Users.Length);
    }

    /// <summary>The snapshot arranged.</summary>
    public DirectorySnapshot Snapshot { get; }

    public long Version => Snapshot.Version;

    /// <summary>True when the tiles show last-known lamps.</summary>
    public bool Stale => Snapshot.IsStale;

    /// <summary>Every tile shown, in order; <see cref="Sections"/> are ranges of it. All stale or none.</summary>
    public ShownTile[] Tiles { get; }

    public IReadOnlyList<ShownSection> Sections { get; }

    /// <summary>Users per lamp state (indexed by <see cref="LampState"/>), over the whole board, not just the view.</summary>
    public IReadOnlyList<int> Counts { get; }

    /// <summary>The header's counts as the board says them, in <see cref="BoardHeadline.CountOrder"/>: the page sets them from the payloads.</summary>
    public IReadOnlyList<string> CountTexts { get; }

    /// <summary>"2 of 3 shown", or null when the view shows everybody.</summary>
    public string? ShownText { get; }

    /// <summary>
    /// Arranges <paramref name="snapshot"/> in a view, reusing from <paramref name="previous"/> (the same
    /// view, usually the version before) every tile and block that shows the same.
    /// </summary>
    internal static BoardArrangement Arrange(
        DirectorySnapshot snapshot,
        BoardArrangement? previous,
        BoardQuery query,
        IReadOnlyList<BoardGroup> groups,
        LampTile tileHtml,
        CultureTexts<BoardText> text,
        CultureTexts<ActionText>? actions,
        bool missed = false)
    {
        var counts = new int[4];
        foreach (var user in snapshot.Users)
        {
            counts[(int)user.Lamp]++;
        }

        var sections = BoardView.Arrange(snapshot.Users, query, groups, text["Other"]);
        var stale = snapshot.IsStale;
        var previousTiles = previous?.Tiles ?? [];
        var previousSections = previous?.Sections ?? [];
        var tiles = new ShownTile[sections.Sum(s => s.Users.Count)];
        var shown = new ShownSection[sections.Count];
        var at = 0;
        for (var s = 0; s < sections.Count; s++)
        {
            var start = at;
            foreach (var user in sections[s].Users)
            {
                // The same record in the same place with the same staleness shows the same HTML: no lookup.
                // (Staleness is in every tile's HTML; the view fixes whether tiles have action buttons.)
                var before = at < previousTiles.Length ? previousTiles[at] : default;
                tiles[at++] = ReferenceEquals(before.User, user) && previous!.Stale == stale
                    ? before
                    : new ShownTile(user, tileHtml.Html(user, stale, text, actions, missed));
            }

            var blocksBefore = s < previousSections.Count ? previousSections[s].Blocks : [];
            shown[s] = new ShownSection(sections[s].Title, start, at - start, Blocks(tiles, start, at - start, blocksBefore));
        }

        var arrangement = new BoardArrangement(snapshot, tiles, shown, counts, text);
        if (previous is not null
            && BoardDelta.Between(previous, arrangement, user => tileHtml.Html(user, stale, text, actions, missed).Value) is { } delta)
        {
            // Once per view and version, whatever the number of boards that pass it on.
            arrangement.Chain(previous, delta);
        }

        return arrangement;
    }

    /// <summary>
    /// How many deltas back a page may be and still be sent deltas rather than the whole list: about three
    /// seconds of a busy PBX. A board falls that far behind when the app is loaded, which is exactly when
    /// the whole list (some 700 bytes a tile) would cost the most.
    /// </summary>
    internal const int ChainLength = 64;

    // A chain longer than this many bytes is cut: past it, the whole list of a large board costs about as much.
    private const int ChainBytes = 256 * 1024;

    private void Chain(BoardArrangement previous, byte[] delta)
    {
        var keep = 0;
        var bytes = delta.Length;
        var most = Math.Min(previous._chain.Length, ChainLength - 1);
        while (keep < most && bytes + previous._chain[^(keep + 1)].Length <= ChainBytes)
        {
            bytes += previous._chain[^(keep + 1)].Length;
            keep++;
        }

        _chain = [.. previous._chain.AsSpan(previous._chain.Length - keep), delta];
        _chainFrom = [.. previous._chainFrom.AsSpan(previous._chainFrom.Length - keep), previous.Version];
    }

    /// <summary>
    /// The payloads that bring a page showing this view at <paramref name="shownVersion"/> (null: nothing
    /// yet) to this arrangement, applied in order: the deltas from the version it shows when that is one of
    /// the last few (<see cref="ChainLength"/>), else the full list (a board that fell far behind or
    /// reconnected is never sent a delta it cannot apply); a page that shows this version already gets an
    /// empty delta (the counts and staleness only). The same arrays for every board; never changed.
    /// </summary>
    public ReadOnlyMemory<byte[]> PayloadSince(long? shownVersion)
    {
        if (shownVersion == Version)
        {
            return Unchanged;
        }

        var at = shownVersion is { } shown ? Array.IndexOf(_chainFrom, shown) : -1;
        return at >= 0 ? _chain.AsMemory(at) : Whole;
    }

    // For a page that adopted this very version: its prerendered tiles were marked last known meanwhile.
    private byte[][] Unchanged
    {
        get
        {
            var unchanged = Volatile.Read(ref _unchanged);
            return unchanged ?? Interlocked.CompareExchange(ref _unchanged, [BoardDelta.Between(this, this, static _ => throw new InvalidOperationException("An arrangement has one staleness.")) ?? FullPayload], null) ?? _unchanged!;
        }
    }

    private byte[][] Whole
    {
        get
        {
            var whole = Volatile.Read(ref _whole);
            return whole ?? Interlocked.CompareExchange(ref _whole, [FullPayload], null) ?? _whole!;
        }
    }

    /// <summary>Every tile, serialised on first use and then shared.</summary>
    public byte[] FullPayload
    {
        get
        {
            var full = Volatile.Read(ref _full);
            return full ?? Interlocked.CompareExchange(ref _full, BoardDelta.Full(this), null) ?? _full!;
        }
    }

    /// <summary>
    /// How many tiles a board that showed <paramref name="before"/> gets new HTML for: each place whose
    /// HTML differs. Blocks both share in the same place are skipped unread.
    /// </summary>
    public int TilesChangedSince(BoardArrangement? before)
    {
        if (ReferenceEquals(before, this))
        {
            return 0;
        }

        var beforeTiles = before?.Tiles ?? [];
        var beforeSections = before?.Sections ?? [];
        var changed = 0;
        for (var s = 0; s < Sections.Count; s++)
        {
            var section = Sections[s];
            var sectionBefore = s < beforeSections.Count && beforeSections[s].Start == section.Start ? beforeSections[s] : null;
            for (var b = 0; b < section.Blocks.Count; b++)
            {
                var block = section.Blocks[b];
                if (sectionBefore is not null && b < sectionBefore.Blocks.Count && ReferenceEquals(block, sectionBefore.Blocks[b]))
                {
                    continue;
                }

                var from = section.Start + b * TileBlock.Size;
                for (var i = 0; i < block.Tiles.Count; i++)
                {
                    var at = from + i;
                    if (at >= beforeTiles.Length || !string.Equals(beforeTiles[at].Html.Value, block.Tiles[i].Html.Value, StringComparison.Ordinal))
                    {
                        changed++;
                    }
                }
            }
        }

        return changed;
    }

    /// <summary>
    /// The section's tiles in blocks; a block whose tiles are all as before is the same instance as
    /// before, so its component skips the render.
    /// </summary>
    internal static TileBlock[] Blocks(ShownTile[] tiles, int start, int count, IReadOnlyList<TileBlock> before)
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
}

/// <summary>A heading's tiles: <see cref="Count"/> tiles of <see cref="BoardArrangement.Tiles"/> from <see cref="Start"/>, also as <see cref="Blocks"/>.</summary>
public sealed record ShownSection(string? Title, int Start, int Count, IReadOnlyList<TileBlock> Blocks);
