using System.Globalization;
using BlfBlazor.Components.Board;
using BlfBlazor.Diagnostics;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace BlfBlazor.Components.Pages;

/// <summary>
/// The board: renders the directory's current snapshot (already during prerendering, so the first
/// response is a complete board) in the view its URL asks for, and re-renders when either changes.
/// The page keeps the URL state and the markup; its <see cref="BoardFeed"/> keeps what it shows current.
/// </summary>
public sealed partial class Board : IAsyncDisposable
{
    private static readonly LampState[] s_countOrder = [LampState.Busy, LampState.Ringing, LampState.Idle, LampState.Offline];

    private BoardFeed _feed = default!;
    private BoardQuery _query = BoardQuery.Default;
    private long _serverTimeAtStart;

    // URLs this page wrote itself, oldest first: their echoes must not undo newer typing.
    private readonly List<string> _shownUris = [];

    // What the search box was last told to show: changed only by a URL from outside, never while
    // typing, so a render can never overwrite letters already typed but not yet received.
    private string _searchBox = string.Empty;

    // The PBX frame behind the change this render shows; 0 when the render is not for a change.
    private long _changeFrame;

    [Inject]
    public required UserDirectory Directory { get; init; }

    [Inject]
    public required BoardArrangements Arrangements { get; init; }

    [Inject]
    public required TimeProvider TimeProvider { get; init; }

    [Inject]
    public required BlfMetrics Metrics { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

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

    private DirectorySnapshot Snapshot => _feed.Snapshot;

    private ShownTile[] Tiles => _feed.Tiles;

    private ConnectionStatus Status => Snapshot.Status;

    private string Title => Status.State switch
    {
        ConnectionState.Live => T["Title"],
        ConnectionState.AuthFailed => $"{T["TitleAuthFailed"]} · {T["Title"]}",
        _ => $"{T["TitleNotLive"]} · {T["Title"]}",
    };

    private string StatusText => Status.State switch
    {
        ConnectionState.Live when Status.OnStandby => T["StatusLiveStandby", Snapshot.Users.Length, Status.Pbx],
        ConnectionState.Live => T["StatusLive", Snapshot.Users.Length],
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
        _feed = new BoardFeed(Directory, Arrangements, CultureInfo.CurrentUICulture);

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
        _feed.Show(_query);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        OperatorAfterRender(firstRender, RendererInfo.IsInteractive);
        if (!RendererInfo.IsInteractive)
        {
            return;
        }

        Metrics.BoardRendered();
        Metrics.TilesRendered(_feed.TakeTilesChanged());
        if (_changeFrame != 0)
        {
            Metrics.ChangeRendered(_changeFrame);
            _changeFrame = 0;
        }

        // Follow only once interactive: a prerender has no circuit to push to.
        if (firstRender)
        {
            _feed.Follow(InvokeAsync, () =>
            {
                if (_feed.Refresh())
                {
                    _changeFrame = _feed.Snapshot.ChangedTimestamp;
                    StateHasChanged();
                }
            }, DispatchExceptionAsync);
        }
    }

    private string StateWord(LampState state) => LampTile.Word(state, T);

    private string CountText(LampState state) => T[$"Count{state}", _feed.Counts[(int)state]];

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
        _feed.Show(query);

        var uri = Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["q"] = query.Search.Length == 0 ? null : query.Search,
            ["state"] = query.StatesValue,
            ["sort"] = query.SortValue,
        });
        _shownUris.Add(uri);
        Navigation.NavigateTo(uri, replace: true);
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeOperatorAsync();
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }
    }
}
