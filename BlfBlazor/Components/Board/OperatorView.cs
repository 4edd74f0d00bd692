using System.Security.Claims;
using BlfBlazor.Operators;
using BlfBlazor.State;

namespace BlfBlazor.Components.Board;

/// <summary>
/// The board as a switchboard, for one board: the operator who may act here, their phone, the marks on
/// tiles (their own tile, each action's state) and what the last action did. Every action goes to
/// <see cref="OperatorActions"/>, which decides per request from the circuit's user whether it may
/// happen at all: this only offers.
/// </summary>
/// <param name="changed">Called (on the board's context) when something shown here changed.</param>
/// <param name="origin">Where the board's circuit came from, asked at each action (unknown while prerendering), for the audit.</param>
internal sealed class OperatorView(OperatorActions actions, string ownTileLabel, Func<Action, Task> dispatch, Action changed, Func<ActionOrigin> origin) : IDisposable
{
    private readonly Dictionary<string, ActionState> _actionStates = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private TileMarks _marks = TileMarks.None;
    private bool _actionStatesChanged;
    private IDisposable? _phoneWatch;

    // The own tile as last looked up, and for which snapshot and operator: read at every render, it changes far less often.
    private (DirectorySnapshot? Snapshot, Operator? Operator, string? Guid) _own;

    /// <summary>The operator who may act here; null on every other board.</summary>
    public Operator? Operator { get; private set; }

    /// <summary>What the operator's phone is doing now.</summary>
    public OperatorPhone? Phone { get; private set; }

    /// <summary>The last action's state and sentence.</summary>
    public ActionReport? LastReport { get; private set; }

    /// <summary>The colleague menu open on this board (presence or forwarding); at most one.</summary>
    public ColleagueMenu? Menu { get; private set; }

    /// <summary>The "take a message" dialog open on this board, instead of a colleague menu; at most one.</summary>
    public MessageDraft? Message { get; private set; }

    /// <summary>True while the PBX lets this board's operator set forwarding (the board shows <c>blf-action-forward</c> then).</summary>
    public bool CanSetForwarding => Operator is not null && actions.CanSetForwarding;

    /// <summary>
    /// Shows the board for <paramref name="acting"/> (null: nobody may act). Known already while
    /// prerendering, so an operator's first paint has their buttons. True when that changed.
    /// </summary>
    public bool Show(Operator? acting)
    {
        if (acting == Operator)
        {
            return false;
        }

        Operator = acting;
        Phone = acting is null ? null : actions.Phone(acting);
        Menu = null;
        return true;
    }

    /// <summary>
    /// The board is interactive: from now on the operator's phone has a handle on the PBX and its
    /// changes come in, for as long as this board is open.
    /// </summary>
    public void Follow()
    {
        if (_phoneWatch is not null || Operator is not { } op)
        {
            return;
        }

        _phoneWatch = actions.Watch(op, phone => _ = dispatch(() =>
        {
            Phone = phone;
            changed();
        }));
        Phone = actions.Phone(op);
        changed();
    }

    /// <summary>The marks on this board's tiles; the same value until one of them changes, so unchanged blocks stay unrendered.</summary>
    public TileMarks Marks(DirectorySnapshot snapshot)
    {
        if (Operator is null)
        {
            return TileMarks.None;
        }

        var own = OwnGuid(snapshot, Operator);
        if (own != _marks.OwnGuid || _actionStatesChanged)
        {
            _marks = new TileMarks(own, ownTileLabel, new Dictionary<string, ActionState>(_actionStates));
            _actionStatesChanged = false;
        }

        return _marks;
    }

    /// <summary>At most this many tiles carry an action's state; finished ones give way first.</summary>
    internal const int MaxActionStates = 16;

    /// <summary>How many tiles carry an action's state now (bounded by <see cref="MaxActionStates"/>).</summary>
    internal int ActionStateCount => _actionStates.Count;

    /// <summary>
    /// Runs one action for <paramref name="viewer"/> (asked again for every action: the circuit's user, not
    /// what the page believed at start). Nothing is kept for a board where nobody may act, or for a
    /// target that is no tile of <paramref name="snapshot"/> (or, to take a caller, no queue card): a page cannot make this board hold state.
    /// </summary>
    public async Task RunAsync(OperatorAction action, DirectorySnapshot snapshot, Func<Task<ClaimsPrincipal>> viewer)
    {
        if (Operator is null || (action.TargetGuid is { } target
            && !(action.Kind == ActionKind.TakeFromQueue ? actions.IsQueue(target) : OnBoard(snapshot, target))))
        {
            return;
        }

        if (action.TargetGuid is { } guid)
        {
            MarkAction(guid, ActionState.Pending);
        }

        LastReport = new ActionReport(ActionState.Pending, actions.PendingMessage(action));
        changed();

        ActionReport report;
        try
        {
            report = await actions.RunAsync(await viewer(), action, _stop.Token, origin());
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return; // the board is gone
        }

        if (action.TargetGuid is { } done)
        {
            MarkAction(done, report.State);
        }

        LastReport = report;
    }

    /// <summary>
    /// Opens a colleague's menu from their tile's button. Like an action, only on an operator's board, for a
    /// tile of <paramref name="snapshot"/>, and forwarding only where the PBX lets it be set.
    /// </summary>
    public void Open(ColleagueMenuKind kind, string guid, DirectorySnapshot snapshot)
    {
        if (Operator is null || !OnBoard(snapshot, guid) || (kind == ColleagueMenuKind.Forwarding && !actions.CanSetForwarding))
        {
            return;
        }

        Menu = new ColleagueMenu(kind, guid);
        Message = null;
        changed();
    }

    /// <summary>
    /// Opens "take a message": for a colleague's tile of <paramref name="snapshot"/> (null: chosen in the dialog),
    /// with who called when it was opened from a call. Only on an operator's board.
    /// </summary>
    public void OpenMessage(string? guid, CallPeer? caller, DirectorySnapshot snapshot)
    {
        if (Operator is null || (guid is not null && !OnBoard(snapshot, guid)))
        {
            return;
        }

        Message = new MessageDraft(guid, caller);
        Menu = null;
        changed();
    }

    /// <summary>Closes the menu (Escape, its close button, or a choice made).</summary>
    public void CloseMenu()
    {
        if (Menu is not null || Message is not null)
        {
            Menu = null;
            Message = null;
            changed();
        }
    }

    private static bool OnBoard(DirectorySnapshot snapshot, string guid)
    {
        foreach (var user in snapshot.Users)
        {
            if (user.Guid == guid)
            {
                return true;
            }
        }

        return false;
    }

    private void MarkAction(string guid, ActionState state)
    {
        if (!_actionStates.ContainsKey(guid) && _actionStates.Count >= MaxActionStates)
        {
            // Finished actions have been shown; they make room first, the oldest entries after that.
            var finished = _actionStates.Where(s => s.Value != ActionState.Pending).Select(s => s.Key).ToList();
            foreach (var key in finished.Count > 0 ? finished : [_actionStates.Keys.First()])
            {
                _actionStates.Remove(key);
            }
        }

        _actionStates[guid] = state;
        _actionStatesChanged = true;
    }

    /// <summary>The own tile: the PBX user whose cn is the operator's phone.</summary>
    private string? OwnGuid(DirectorySnapshot snapshot, Operator op)
    {
        if (!ReferenceEquals(_own.Snapshot, snapshot) || _own.Operator != op)
        {
            _own = (snapshot, op, snapshot.WithCn(op.PhoneCn)?.Guid);
        }

        return _own.Guid;
    }

    public void Dispose()
    {
        _phoneWatch?.Dispose();
        _stop.Cancel();
        _stop.Dispose();
    }
}

/// <summary>The menus a tile opens on an operator's board.</summary>
public enum ColleagueMenuKind
{
    /// <summary><c>blf-action-presence</c>: the colleague's presence and note.</summary>
    Presence,

    /// <summary><c>blf-action-forward</c>: the colleague's forwarding, set and cleared.</summary>
    Forwarding,
}

/// <summary>Which menu is open, for which colleague's tile.</summary>
public sealed record ColleagueMenu(ColleagueMenuKind Kind, string Guid);

/// <summary>"Take a message" as opened: for which colleague's tile (null: typed in the dialog), and who called, when known.</summary>
public sealed record MessageDraft(string? Guid, CallPeer? Caller);
