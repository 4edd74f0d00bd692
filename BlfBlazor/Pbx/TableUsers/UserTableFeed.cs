using BlfBlazor.State;

namespace BlfBlazor.Pbx.TableUsers;

/// <summary>
/// The user table (PbxTableUsers), replicated for the board's forwarding: <c>ReplicateStart</c> with the
/// board's columns, <c>ReplicateNext</c> row by row until a result without a row, then live adds,
/// updates (the whole row: replaced, never merged) and deletes, in arrival order. Each row becomes a
/// <see cref="UserTableRow"/> whose diversions name their destination as the privacy level allows.
/// When the App object lacks the TableUsers right (an error, no <c>cds</c> column, or silence until the
/// action timeout) the board carries on without forwarding.
/// </summary>
internal sealed class UserTableFeed : IDisposable
{
    private readonly IPbxStateWriter _state;
    private readonly CallDetails _details;
    private readonly IReadOnlyList<string> _types;
    private readonly PbxSend _send;
    private readonly ITimer _refusalTimer;
    private readonly TimeSpan _answerTimeout;
    private readonly Lock _lock = new();

    // The rows' names and numbers: how a diversion's destination is known to be a user, and which.
    private readonly Dictionary<string, TableColumns> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _guidByH323 = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _guidByE164 = new(StringComparer.Ordinal);
    private readonly HashSet<string> _diverting = new(StringComparer.Ordinal);
    private TableState _stateNow = TableState.Asked;

    private enum TableState
    {
        Asked,
        Paging,
        Live,
        Refused,
    }

    /// <param name="types">The object types to replicate beside plain users.</param>
    public UserTableFeed(IPbxStateWriter state, CallDetails details, IEnumerable<string> types, TimeSpan answerTimeout, TimeProvider timeProvider, PbxSend send)
    {
        _state = state;
        _details = details;
        _types = [string.Empty, .. types.Append("executive").Append("waiting").Distinct(StringComparer.OrdinalIgnoreCase)];
        _send = send;
        _answerTimeout = answerTimeout;

        // Silence is one way a PBX says no: no answer by then means TableUsers is not granted.
        _refusalTimer = timeProvider.CreateTimer(_ => RefuseIfUnanswered(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Raised when the PBX refused the table (on the receive loop, or a timer thread for silence).</summary>
    public event Action? Refused;

    /// <summary><c>on</c> or <c>refused</c>, for <c>/healthz</c>.</summary>
    public string State
    {
        get
        {
            lock (_lock)
            {
                return _stateNow == TableState.Refused ? "refused" : "on";
            }
        }
    }

    /// <summary>Rows replicated now: users whose forwarding the board knows.</summary>
    public int Users
    {
        get
        {
            lock (_lock)
            {
                return _stateNow == TableState.Refused ? 0 : _rows.Count;
            }
        }
    }

    public string? Problem => State == "refused"
        ? "The PBX refused the user table (PbxTableUsers): grant the App object the TableUsers right to show forwarding and PBX groups."
        : null;

    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        _refusalTimer.Change(_answerTimeout, Timeout.InfiniteTimeSpan);
        await _send(output => TableUsersRequests.WriteReplicateStart(output, _types), cancellationToken);
    }

    /// <summary>Applies one PbxTableUsers message; returns why it was dropped, or null.</summary>
    public async ValueTask<string?> HandleAsync(PbxMessage message, CancellationToken cancellationToken)
    {
        if (message.Src is not TableUsersRequests.Src)
        {
            return $"{message.Type} without our src";
        }

        if (State == "refused")
        {
            return $"{message.Type} after the table was refused";
        }

        switch (message.Type)
        {
            case PbxMessageType.ReplicateStartResult:
                _refusalTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

                // The publisher lists its columns; one without cds cannot tell forwarding (an older or restricted PBX).
                if (message.Error is not null || message.Columns is { HasDiversions: false })
                {
                    Refuse();
                    return null;
                }

                lock (_lock)
                {
                    if (_stateNow != TableState.Asked)
                    {
                        return $"{message.Type} answered twice";
                    }

                    _stateNow = TableState.Paging;
                }

                _state.BeginTableResync();
                await _send(TableUsersRequests.WriteReplicateNext, cancellationToken);
                return null;

            case PbxMessageType.ReplicateNextResult:
                if (message.Columns is not { Guid: not null } row)
                {
                    // The end of the table: no row (no columns, empty columns, or no guid).
                    Resolve(_diverting.ToList());
                    lock (_lock)
                    {
                        _stateNow = TableState.Live;
                    }

                    _state.CompleteTableResync();
                    return null;
                }

                Upsert(row);
                await _send(TableUsersRequests.WriteReplicateNext, cancellationToken);
                return null;

            case PbxMessageType.ReplicateUpsert when message.Columns is { Guid: not null } changed:
                Upsert(changed);
                return null;

            case PbxMessageType.ReplicateDel when message.Columns is { Guid: { } gone }:
                Forget(gone);
                _diverting.Remove(gone);
                _state.RemoveTableRow(gone);
                Resolve(_diverting.ToList());
                return null;

            default:
                return $"{message.Type} without a row";
        }
    }

    public void Dispose() => _refusalTimer.Dispose();

    private void Upsert(TableColumns row)
    {
        var guid = row.Guid!;

        // Other rows' destinations read differently only when this row's name or number came, went or changed.
        var renamed = !_rows.TryGetValue(guid, out var before) || before.Cn != row.Cn || before.H323 != row.H323 || before.E164 != row.E164;
        Forget(guid);
        lock (_lock)
        {
            _rows[guid] = row;
        }

        if (row.H323 is { } h323)
        {
            _guidByH323[h323] = guid;
        }

        if (row.E164 is { } e164)
        {
            _guidByE164[e164] = guid;
        }

        if (row.Diversions.Count > 0)
        {
            _diverting.Add(guid);
        }
        else
        {
            _diverting.Remove(guid);
        }

        _state.ApplyTableRow(RowOf(row));

        // A user's name or number changed, or a user came: diversions to them may read differently now.
        // Only users with a diversion are looked at again, and live (while paging the end does it once);
        // a diversion change alone (the common update) costs nothing beyond its own row.
        if (renamed && IsLive)
        {
            Resolve(_diverting.Where(other => other != guid).ToList());
        }
    }

    /// <summary>Applies the rows of <paramref name="guids"/> again, with their destinations as the table now knows them.</summary>
    private void Resolve(List<string> guids)
    {
        foreach (var guid in guids)
        {
            if (_rows.TryGetValue(guid, out var row))
            {
                _state.ApplyTableRow(RowOf(row));
            }
        }
    }

    private UserTableRow RowOf(TableColumns row) =>
        new(row.Guid!, row.Pseudo, [.. row.Diversions.Select(ToDiversion)]) { Groups = row.Groups };

    /// <summary>
    /// A <c>cds</c> entry as the board may show it. A destination equal to a row's <c>h323</c> (any case)
    /// or <c>e164</c> is that user, named; else it is external: its number with <c>Full</c>, "an external
    /// number" with <c>Internal</c>. With <c>Off</c> no destination at all.
    /// </summary>
    private Diversion ToDiversion(TableDiversion entry)
    {
        var kind = entry.Type switch
        {
            "cfu" => DiversionKind.Always,
            "cfb" => DiversionKind.Busy,
            _ => DiversionKind.NoAnswer,
        };
        if (_details == CallDetails.Off)
        {
            return new Diversion(kind, null, null, IsExternal: false, entry.IsConditional);
        }

        var user = FindUser(entry);
        if (user is not null)
        {
            return new Diversion(kind, user.Guid, user.Cn ?? user.E164, IsExternal: false, entry.IsConditional);
        }

        var shown = _details == CallDetails.Full ? entry.E164 ?? entry.H323 : null;
        return new Diversion(kind, null, shown, IsExternal: true, entry.IsConditional);
    }

    private TableColumns? FindUser(TableDiversion entry) =>
        (entry.H323 is not null && _guidByH323.TryGetValue(entry.H323, out var byName)) || (entry.E164 is not null && _guidByE164.TryGetValue(entry.E164, out byName))
            ? _rows.GetValueOrDefault(byName)
            : null;

    /// <summary>Drops a row and its names from the indexes (only where they still point at it).</summary>
    private void Forget(string guid)
    {
        TableColumns? old;
        lock (_lock)
        {
            _rows.Remove(guid, out old);
        }

        if (old?.H323 is { } h323 && _guidByH323.GetValueOrDefault(h323) == guid)
        {
            _guidByH323.Remove(h323);
        }

        if (old?.E164 is { } e164 && _guidByE164.GetValueOrDefault(e164) == guid)
        {
            _guidByE164.Remove(e164);
        }
    }

    private bool IsLive
    {
        get
        {
            lock (_lock)
            {
                return _stateNow == TableState.Live;
            }
        }
    }

    private void RefuseIfUnanswered() => Refuse(onlyIfUnanswered: true);

    private void Refuse(bool onlyIfUnanswered = false)
    {
        lock (_lock)
        {
            // The timer and the receive loop may meet here: an answer that came first wins.
            if (_stateNow == TableState.Refused || (onlyIfUnanswered && _stateNow != TableState.Asked))
            {
                return;
            }

            _stateNow = TableState.Refused;
        }

        _state.ForgetTable();
        Refused?.Invoke();
    }
}
