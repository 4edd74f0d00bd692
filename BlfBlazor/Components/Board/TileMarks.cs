using BlfBlazor.Operators;

namespace BlfBlazor.Components.Board;

/// <summary>
/// What one board marks on tiles beyond their shared HTML: the operator's own tile and the state of
/// their actions, rendered as attributes of the tiles' <c>&lt;li&gt;</c>. Immutable: a new value means
/// every block renders again, which happens only on operators' boards, when an action starts or ends.
/// </summary>
public sealed record TileMarks(string? OwnGuid, string? OwnLabel, IReadOnlyDictionary<string, ActionState> Actions)
{
    /// <summary>A board without an operator marks nothing.</summary>
    public static readonly TileMarks None = new(null, null, new Dictionary<string, ActionState>());

    public string? Own(string guid) => guid == OwnGuid ? OwnLabel : null;

    public string? ActionState(string guid) => Actions.TryGetValue(guid, out var state) ? state.ToString().ToLowerInvariant() : null;
}
