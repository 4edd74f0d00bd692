using System.Globalization;
using BlfBlazor.Components.Board;
using BlfBlazor.Diagnostics;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Components.Pages;

/// <summary>
/// The board: renders the directory's current snapshot (already during prerendering, so the first
/// response is a complete board) in the view its URL asks for, and re-renders when either changes.
/// </summary>
public sealed partial class Board : IDisposable
{
    private static readonly LampState[] s_countOrder = [LampState.Busy, LampState.Ringing, LampState.Idle, LampState.Offline];

    private readonly CancellationTokenSource _disposed = new();
    private DirectorySnapshot _snapshot = default!;
    private DirectorySubscription? _subscription;
    private BoardQuery _query = BoardQuery.Default;
    private ShownSection[] _sections = [];

    // Every tile the board shows, in order; sections are ranges of it. All shown stale or none.
    private ShownTile[] _tiles = [];
    private bool _tilesStale;
    private int _tilesChangedSinceRender;
    private int[] _counts = new int[4];
    private long _serverTimeAtStart;

    // URLs this page wrote itself, oldest first: their echoes must not undo newer typing.
    private readonly List<string> _shownUris = [];

    // What the search box was last told to show: changed only by a URL from outside, never while
    // typing, so a render can never overwrite letters already typed but not yet received.
    private string _searchBox = string.Empty;

    [Inject]
    public required UserDirectory Directory { get; init; }

    [Inject]
    public required TimeProvider TimeProvider { get; init; }

    [Inject]
    public required BlfMetrics Metrics { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IOptions<BoardOptions> Options { get; init; }

    [Inject]
    public required PbxDescription Pbx { get; init; }

    [Inject]
    public required IStringLocalizer<BoardText> T { get; init; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? Search { get; set; }

    [SupplyParameterFromQuery(Name = "state")]
    public string? States { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "group")]
    public string? Group { get; set; }

    [SupplyParameterFromQuery(Name = "kiosk")]
    public string? KioskFlag { get; set; }

    [SupplyParameterFromQuery(Name = "compact")]
    public string? CompactFlag { get; set; }

    /// <summary>Wall-screen mode: no controls, large tiles, never waits for a click.</summary>
    private bool Kiosk => KioskFlag is not null;

    private bool Compact => CompactFlag is not null;

    private ConnectionStatus Status => _snapshot.Status;

    private string Title => Status.State switch
    {
        ConnectionState.Live => T["Title"],
        ConnectionState.AuthFailed => $"{T["TitleAuthFailed"]} · {T["Title"]}",
        _ => $"{T["TitleNotLive"]} · {T["Title"]}",
    };

    private string StatusText => Status.State switch
    {
        ConnectionState.Live => T["StatusLive", _snapshot.Users.Length],
        ConnectionState.Connecting => T["StatusConnecting", SinceText],
        ConnectionState.Reconnecting => T["StatusReconnecting", SinceText],
        ConnectionState.AuthFailed => T["StatusAuthFailed", SinceText],
        _ => Status.Token,
    };

    private string? ProblemText => Status.State == ConnectionState.AuthFailed
        ? T["ProblemAuthFailed", Pbx.App].Value
        : Status.Problem is { } problem ? T["ProblemOther", problem].Value : null;

    private string SinceText => TimeZoneInfo.ConvertTime(Status.Since, TimeProvider.LocalTimeZone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    protected override void OnInitialized()
    {
        _snapshot = Directory.Current;

        // The page measures its clock against this once, for the time-in-state timers; a value
        // that changed with every render would cost a DOM update per render for nothing.
        _serverTimeAtStart = TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
    }

    protected override void OnParametersSet()
    {
        var index = _shownUris.IndexOf(Navigation.Uri);
        if (index >= 0)
        {
            // The echo of a URL this page wrote: the view already shows it, or something newer
            // the person typed since. Re-reading it could only undo their typing.
            _shownUris.RemoveRange(0, index + 1);
            return;
        }

        _shownUris.Clear();
        _query = BoardQuery.Parse(Search, States, Sort, Group);
        _searchBox = _query.Search;
        Arrange();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!RendererInfo.IsInteractive)
        {
            return;
        }

        Metrics.BoardRendered();
        Metrics.TilesRendered(_tilesChangedSinceRender);
        _tilesChangedSinceRender = 0;

        // Subscribe only once interactive: a prerender has no circuit to push to.
        if (firstRender)
        {
            _subscription = Directory.Subscribe();
            _ = FollowDirectoryAsync(_subscription, _disposed.Token);
        }
    }

    private string StateWord(LampState state) => LampTile.Word(state, T);

    private string CountText(LampState state) => T[$"Count{state}", _counts[(int)state]];

    private async Task FollowDirectoryAsync(DirectorySubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            while (await subscription.WaitForChangeAsync(cancellationToken))
            {
                // Changes that arrive while this render is under way coalesce into the next one.
                await InvokeAsync(() =>
                {
                    var next = Directory.Current;
                    if (next.Version != _snapshot.Version)
                    {
                        _snapshot = next;
                        Arrange();
                        StateHasChanged();
                    }
                });
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The circuit is gone.
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    private void Arrange()
    {
        var counts = new int[4];
        foreach (var user in _snapshot.Users)
        {
            counts[(int)user.Lamp]++;
        }

        _counts = counts;
        var sections = BoardView.Arrange(_snapshot.Users, _query, Options.Value.Groups, T["Other"]);
        var stale = _snapshot.IsStale;

        // Staleness is in every tile's HTML: when it changes, no tile can be kept.
        var previous = stale == _tilesStale ? _tiles : [];
        var tiles = new ShownTile[sections.Sum(s => s.Users.Count)];
        var shown = new ShownSection[sections.Count];
        var at = 0;
        for (var s = 0; s < sections.Count; s++)
        {
            shown[s] = new ShownSection(sections[s].Title, at, sections[s].Users.Count);
            foreach (var user in sections[s].Users)
            {
                // The same record in the same place shows the same HTML: no lookup, nothing to send.
                var before = at < previous.Length ? previous[at] : default;
                if (ReferenceEquals(before.User, user))
                {
                    tiles[at++] = before;
                    continue;
                }

                var html = LampTile.Html(user, stale, T);
                if (!string.Equals(before.Html.Value, html.Value, StringComparison.Ordinal))
                {
                    _tilesChangedSinceRender++;
                }

                tiles[at++] = new ShownTile(user, html);
            }
        }

        _sections = shown;
        _tiles = tiles;
        _tilesStale = stale;
    }

    private void OnSearchInput(ChangeEventArgs e) => Show(_query with { Search = e.Value?.ToString() ?? string.Empty });

    private void OnStateToggled(LampState state, bool shown)
    {
        var states = new HashSet<LampState>(_query.States);
        if (shown)
        {
            states.Add(state);
        }
        else
        {
            states.Remove(state);
        }

        Show(_query with { States = states });
    }

    private void OnSortChanged(ChangeEventArgs e) => Show(_query with { Sort = BoardQuery.Parse(null, null, e.Value?.ToString(), null).Sort });

    /// <summary>Shows the new view at once and writes it into the URL, so it can be bookmarked or embedded.</summary>
    private void Show(BoardQuery query)
    {
        _query = query;
        Arrange();

        var uri = Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["q"] = query.Search.Length == 0 ? null : query.Search,
            ["state"] = query.StatesValue,
            ["sort"] = query.SortValue,
        });
        _shownUris.Add(uri);
        Navigation.NavigateTo(uri, replace: true);
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _subscription?.Dispose();
        _disposed.Dispose();
    }

    /// <summary>A heading's tiles: <see cref="Count"/> tiles of <see cref="_tiles"/> from <see cref="Start"/>.</summary>
    private sealed record ShownSection(string? Title, int Start, int Count);
}
