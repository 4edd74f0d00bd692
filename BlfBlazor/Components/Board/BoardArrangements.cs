using System.Globalization;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Components.Board;

/// <summary>
/// The arrangement of every view some open board shows, shared by all boards that show it: one
/// <see cref="SharedView"/> per query, language and tile variant, arranged once per snapshot version.
/// One instance per app (a singleton service).
/// </summary>
/// <remarks>
/// Why: arranging (filter, sort, sections, tiles, blocks) costs in proportion to the users. Done by
/// every board on every change, it grew with users × boards and was most of the app's CPU with
/// hundreds of boards open, although most of them show the same view. Shared, a change costs one
/// arrangement per view shown, and every board of that view gets the same <see cref="TileBlock"/>
/// instances, so their block components still skip by reference.
/// </remarks>
public sealed class BoardArrangements
{
    private readonly LampTile _tileHtml;
    private readonly IReadOnlyList<BoardGroup> _groups;
    private readonly Lock _lock = new();
    private readonly Dictionary<ViewKey, SharedView> _views = [];
    private long _arranged;

    public BoardArrangements(LampTile tileHtml, IOptions<BoardOptions> options)
    {
        _tileHtml = tileHtml;
        _groups = options.Value.Groups;
    }

    /// <summary>Views that at least one board shows now.</summary>
    public int ViewCount
    {
        get
        {
            lock (_lock)
            {
                return _views.Count;
            }
        }
    }

    /// <summary>How many arrangements were built so far: one per view and snapshot version some board asked for.</summary>
    public long Arranged => Interlocked.Read(ref _arranged);

    /// <summary>
    /// The view <paramref name="query"/> in <paramref name="culture"/>, with or without operators' action
    /// buttons, shared with every board that shows the same. Give it back with <see cref="Release"/>.
    /// </summary>
    /// <param name="withMissed">Tiles with missed calls: for the viewers <c>Blf:MissedCalls:Visible</c> names.</param>
    public SharedView Take(BoardQuery query, CultureInfo culture, bool withActions, bool withMissed = false)
    {
        var key = new ViewKey(query.Search, StatesMask(query.States), query.Sort, query.Grouping, string.Join('\n', query.PbxGroups), culture.Name, withActions, withMissed);
        lock (_lock)
        {
            if (!_views.TryGetValue(key, out var view))
            {
                view = new SharedView(this, key, query, CultureTexts<BoardText>.In(culture), withActions ? CultureTexts<ActionText>.In(culture) : null);
                _views.Add(key, view);
            }

            view.Boards++;
            return view;
        }
    }

    /// <summary>One board no longer shows <paramref name="view"/>; the last one's release drops it.</summary>
    public void Release(SharedView view)
    {
        lock (_lock)
        {
            if (--view.Boards == 0)
            {
                _views.Remove(view.Key);
            }
        }
    }

    // The query's set of states compares by reference; the key needs its content.
    private static int StatesMask(IReadOnlySet<LampState> states)
    {
        var mask = 0;
        foreach (var state in states)
        {
            mask |= 1 << (int)state;
        }

        return mask;
    }

    /// <param name="PbxGroups">The query's <c>?grp=</c> values joined (the list compares by reference; the key needs its content).</param>
    internal readonly record struct ViewKey(string Search, int States, BoardSort Sort, BoardGrouping Grouping, string PbxGroups, string Culture, bool WithActions, bool WithMissed);

    /// <summary>One view as every board that shows it sees it; arranged once per snapshot version.</summary>
    public sealed class SharedView
    {
        private readonly BoardArrangements _owner;
        private readonly BoardQuery _query;
        private readonly CultureTexts<BoardText> _text;
        private readonly CultureTexts<ActionText>? _actions;
        private readonly Lock _lock = new();
        private BoardArrangement? _latest;

        internal SharedView(BoardArrangements owner, ViewKey key, BoardQuery query, CultureTexts<BoardText> text, CultureTexts<ActionText>? actions)
        {
            _owner = owner;
            Key = key;
            _query = query;
            _text = text;
            _actions = actions;
        }

        internal ViewKey Key { get; }

        /// <summary>
        /// The view as a page may carry it (prerendered tiles say which view and version they are): equal
        /// for equal views, whichever instance arranges them.
        /// </summary>
        public string Name => string.Join('|', Key.States, (int)Key.Sort, (int)Key.Grouping, Key.Culture, Key.WithActions ? 1 : 0, Key.WithMissed ? 1 : 0, Key.PbxGroups, Key.Search);

        /// <summary>Boards that show this view; changed under the owner's lock.</summary>
        internal int Boards { get; set; }

        /// <summary>
        /// <paramref name="snapshot"/> in this view, or a newer snapshot another board of the view
        /// already moved to: built by the first board that asks for a version, from the arrangement
        /// before it; every other board gets the same instance.
        /// </summary>
        public BoardArrangement For(DirectorySnapshot snapshot)
        {
            lock (_lock)
            {
                // A board that read the directory just before a change is given the newer state rather
                // than an arrangement of its own: it would have shown that at its next wake-up anyway.
                if (_latest is { } latest && latest.Version >= snapshot.Version)
                {
                    return latest;
                }

                _latest = Arrange(snapshot, _latest);
                Interlocked.Increment(ref _owner._arranged);
                return _latest;
            }
        }

        /// <summary>A favourite's tile as this view draws it, for the favourites section (shared HTML, its detail's id apart).</summary>
        internal ShownTile FavouriteTile(PbxUser user, bool stale) => new(user, _owner._tileHtml.AsFavourite(_owner._tileHtml.Html(user, stale, _text, _actions, Key.WithMissed)));

        // Built once for boards of one language: the words in tiles and headings are that language's
        // (passed, not read from the thread), whichever board's thread happens to ask first.
        private BoardArrangement Arrange(DirectorySnapshot snapshot, BoardArrangement? previous) =>
            BoardArrangement.Arrange(snapshot, previous, _query, _owner._groups, _owner._tileHtml, _text, _actions, Key.WithMissed);
    }
}
