using BlfBlazor.Components.Board;
using BlfBlazor.Operators;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace BlfBlazor.Components.Pages;

/// <summary>
/// The board as a switchboard: for a signed-in operator, the action buttons on tiles, their own calls at
/// the top, and what each action did. Every action goes to <see cref="OperatorActions"/>, which decides
/// per request from the circuit's user whether it may happen at all: this page only offers.
/// </summary>
public sealed partial class Board
{
    private readonly Dictionary<string, ActionState> _actionStates = new(StringComparer.Ordinal);
    private TileMarks _marks = TileMarks.None;
    private bool _actionStatesChanged;
    private readonly CancellationTokenSource _actionsStop = new();
    private Operator? _operator;
    private bool _joined;
    private OperatorPhone? _phone;
    private ActionReport? _lastReport;
    private IDisposable? _phoneWatch;

    [Inject]
    public required AuthenticationStateProvider Authentication { get; init; }

    [Inject]
    internal OperatorActions Actions { get; init; } = default!;

    [Inject]
    public required IStringLocalizer<ActionText> ActionT { get; init; }

    // The own tile as last looked up, and for which snapshot and operator: read at every render, it changes far less often.
    private (DirectorySnapshot? Snapshot, Operator? Operator, string? Guid) _own;

    /// <summary>The own tile: the PBX user whose cn is the operator's phone.</summary>
    private string? OwnGuid
    {
        get
        {
            if (_operator is null)
            {
                return null;
            }

            if (!ReferenceEquals(_own.Snapshot, Snapshot) || _own.Operator != _operator)
            {
                var phoneCn = _operator.PhoneCn;
                _own = (Snapshot, _operator, Snapshot.Users.FirstOrDefault(u => string.Equals(u.Cn, phoneCn, StringComparison.OrdinalIgnoreCase))?.Guid);
            }

            return _own.Guid;
        }
    }

    /// <summary>The marks on this board's tiles; the same value until one of them changes, so unchanged blocks stay unrendered.</summary>
    private TileMarks Marks
    {
        get
        {
            if (_operator is null)
            {
                return TileMarks.None;
            }

            var own = OwnGuid;
            if (own != _marks.OwnGuid || _actionStatesChanged)
            {
                _marks = new TileMarks(own, ActionT["OwnTile"], new Dictionary<string, ActionState>(_actionStates));
                _actionStatesChanged = false;
            }

            return _marks;
        }
    }

    /// <summary>
    /// The operator who may act here: the <see cref="Viewer"/>, except on a wall screen. Known already
    /// while prerendering, so an operator's first paint has their buttons.
    /// </summary>
    private void ShowOperatorView()
    {
        var acting = Kiosk ? null : Viewer;
        if (acting == _operator)
        {
            return;
        }

        _operator = acting;
        _feed.ShowActions(acting is not null);
        _phone = acting is null ? null : Actions.Phone(acting);
    }

    private void OperatorAfterRender(bool firstRender, bool interactive)
    {
        // The handle for the operator's phone is kept while a board of theirs is open, from the first interactive render.
        if (interactive && !_joined && _operator is { } op)
        {
            _joined = true;
            _phoneWatch = Actions.Watch(op, phone => _ = InvokeAsync(() =>
            {
                _phone = phone;
                StateHasChanged();
            }));
            _phone = Actions.Phone(op);
            StateHasChanged();
        }
    }

    /// <summary>A tile's button or Enter on a tile. Raised on every board; who may act is decided per request.</summary>
    private Task OnTileAction(BlfActionEventArgs e)
    {
        ActionKind? kind = e.Action switch
        {
            "call" => ActionKind.Call,
            "pickup" => ActionKind.Pickup,
            "transfer" => ActionKind.Transfer,
            "announce" => ActionKind.Announce,
            _ => null,
        };
        return kind is null || e.Guid is null ? Task.CompletedTask : RunActionAsync(new OperatorAction(kind.Value, TargetGuid: e.Guid));
    }

    private async Task RunActionAsync(OperatorAction action)
    {
        if (action.TargetGuid is { } guid)
        {
            _actionStates[guid] = ActionState.Pending;
            _actionStatesChanged = true;
        }

        _lastReport = new ActionReport(ActionState.Pending, Actions.PendingMessage(action));
        StateHasChanged();

        // Asked again for every action: the circuit's user, not what this page believed at start.
        var viewer = (await Authentication.GetAuthenticationStateAsync()).User;
        ActionReport report;
        try
        {
            report = await Actions.RunAsync(viewer, action, _actionsStop.Token);
        }
        catch (OperationCanceledException) when (_actionsStop.IsCancellationRequested)
        {
            return; // the board is gone
        }

        if (action.TargetGuid is { } target)
        {
            _actionStates[target] = report.State;
            _actionStatesChanged = true;
        }

        _lastReport = report;
    }

    private async ValueTask DisposeOperatorAsync()
    {
        _phoneWatch?.Dispose();
        await _actionsStop.CancelAsync();
        _actionsStop.Dispose();
    }
}
