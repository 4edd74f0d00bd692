using System.Text.Json;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// A PbxTableUsers replication a session started (PBXAPIS.md §1): the src every frame carries, the columns
/// it sends, the object types it replicates, the rows still to page, and per user the row the client holds or
/// will be paged, so a live change is sent only when the row changed. Only touched under the PBX lock.
/// </summary>
internal sealed class TableReplication(JsonElement? src, IReadOnlySet<string> columns, IReadOnlySet<string> types, bool live)
{
    public JsonElement? Src { get; } = src;

    public IReadOnlySet<string> Columns { get; } = columns;

    /// <summary>The object types replicated, by their word ("" for plain users).</summary>
    public IReadOnlySet<string> Types { get; } = types;

    /// <summary>False for a PBX that answers with an empty table (TableUsersRefused Empty): no rows, no changes.</summary>
    public bool Live { get; } = live;

    /// <summary>The users not paged yet, in table order.</summary>
    public Queue<string> Unpaged { get; } = new();

    /// <summary>Per user the row last sent, or to be paged: what the client will hold.</summary>
    public Dictionary<string, byte[]> Rows { get; } = new(StringComparer.Ordinal);
}
