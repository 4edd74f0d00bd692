using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// PbxTableUsers (PBXAPIS.md §1): ReplicateStart, paging with ReplicateNext one row at a time, then
/// ReplicateAdd/ReplicateUpdate (the whole row)/ReplicateDel for the users of the replicated types, from the
/// start on, also while paging. What the App object lacks the right for is answered as <see cref="ProtocolVariants.TableUsersRefused"/> says.
/// </summary>
internal sealed partial class AppWebsocketSession
{
    /// <summary>The replication this connection started; null before ReplicateStart (touched under the PBX lock).</summary>
    private TableReplication? _table;

    /// <summary>
    /// Answers ReplicateStart {columns, pseudo}: the columns the replication sends (those asked for that the
    /// table has, or all with ExtraColumns), and from now on the rows of the types asked for ("" = plain users when none).
    /// </summary>
    private void StartReplication(JsonElement message, JsonElement? src) => _pbx.Atomically(() =>
    {
        var variants = _pbx.Variants;
        switch (variants.TableUsersRefused)
        {
            case TableUsersRefusal.Silence:
                return;
            case TableUsersRefusal.Error:
                Post(TableMessages.Refused(src));
                return;
        }

        var asked = message.TryGetProperty("columns", out var columns) && columns.ValueKind == JsonValueKind.Object
            ? columns.EnumerateObject().Select(column => column.Name).ToHashSet(StringComparer.Ordinal)
            : [];
        var sent = TableMessages.AllColumns.Where(column => variants.ExtraColumns || asked.Contains(column)).ToHashSet(StringComparer.Ordinal);
        var types = message.TryGetProperty("pseudo", out var pseudo) && pseudo.ValueKind == JsonValueKind.Array
            ? pseudo.EnumerateArray().Where(type => type.ValueKind == JsonValueKind.String).Select(type => type.GetString()!).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal) { "" };
        var table = new TableReplication(src, sent, types, live: variants.TableUsersRefused != TableUsersRefusal.Empty);
        if (table.Live)
        {
            foreach (var user in _pbx.Users.Where(user => table.Types.Contains(user.Pseudo)))
            {
                table.Unpaged.Enqueue(user.Guid);
                table.Rows[user.Guid] = TableMessages.Row(user, table.Columns, variants.PseudoForm);
            }
        }

        _table = table;
        Post(TableMessages.StartResult(src, TableMessages.AllColumns.Where(sent.Contains)));
    });

    /// <summary>Answers ReplicateNext: the next row not paged yet (as it is now), or the end. Nothing before a ReplicateStart.</summary>
    private void PageReplication() => _pbx.Atomically(() =>
    {
        if (_table is not { } table)
        {
            return;
        }

        var variants = _pbx.Variants;
        while (table.Unpaged.TryDequeue(out var guid))
        {
            // A user deleted or out of the types meanwhile was sent as ReplicateDel and is not paged.
            if (table.Rows.ContainsKey(guid) && _pbx.Find(guid) is { } user)
            {
                var row = TableMessages.Row(user, table.Columns, variants.PseudoForm);
                table.Rows[guid] = row;
                Post(TableMessages.Row("ReplicateNextResult", table.Src, row));
                return;
            }
        }

        Post(TableMessages.PageEnd(table.Src, variants.PageEnd));
    });

    /// <summary>A user added or changed: its whole row when it differs from what the client holds; ReplicateDel when it left the types.</summary>
    private void ReplicateChange(SimulatedUser user)
    {
        if (_table is not { Live: true } table)
        {
            return;
        }

        if (!table.Types.Contains(user.Pseudo))
        {
            ReplicateRemoval(user.Guid);
            return;
        }

        var row = TableMessages.Row(user, table.Columns, _pbx.Variants.PseudoForm);
        var known = table.Rows.TryGetValue(user.Guid, out var before);
        if (known && before!.AsSpan().SequenceEqual(row))
        {
            return;
        }

        table.Rows[user.Guid] = row;
        Post(TableMessages.Row(known ? "ReplicateUpdate" : "ReplicateAdd", table.Src, row));
    }

    private void ReplicateRemoval(string guid)
    {
        if (_table is { Live: true } table && table.Rows.Remove(guid))
        {
            Post(TableMessages.Deleted(table.Src, guid));
        }
    }
}
