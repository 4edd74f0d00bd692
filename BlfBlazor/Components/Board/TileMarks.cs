using BlfBlazor.Operators;

namespace BlfBlazor.Components.Board;

/// <summary>
/// What one board marks on tiles beyond their shared HTML: the operator's own tile and the state of
/// their actions, and a signed-in person's stars, rendered as attributes of the tiles' <c>&lt;li&gt;</c>
/// (and the star button beside the tile). Immutable: a new value means every block renders again, which
/// happens only on operators' and signed-in persons' boards, when an action starts or ends or a star changes.
/// </summary>
public sealed record TileMarks(string? OwnGuid, string? OwnLabel, IReadOnlyDictionary<string, ActionState> Actions)
{
    // Before None, which reads it.
    private static readonly HashSet<string> s_noFavourites = [];

    /// <summary>A board without an operator marks nothing.</summary>
    public static readonly TileMarks None = new(null, null, new Dictionary<string, ActionState>());

    /// <summary>
    /// The star button's accessible name, <c>{0}</c> the colleague ("Favourite: Anna Berger"): on a signed-in
    /// person's board every tile gets one; null on every other board (no stars).
    /// </summary>
    public string? FavouriteLabel { get; init; }

    /// <summary>The guids the person starred.</summary>
    public IReadOnlySet<string> Favourites { get; init; } = s_noFavourites;

    /// <summary><c>data-favourite</c>: "true" on a starred tile's item, else absent.</summary>
    public string? Favourite(string guid) => Favourites.Contains(guid) ? "true" : null;

    public string? Own(string guid) => guid == OwnGuid ? OwnLabel : null;

    public string? ActionState(string guid) => Actions.TryGetValue(guid, out var state) ? state.ToString().ToLowerInvariant() : null;
}
