namespace BlfBlazor.Components.Board;

/// <summary>
/// A run of at most <see cref="Size"/> consecutive tiles of one section: the unit a board re-renders.
/// Immutable; a board keeps the same instance while none of its tiles changed, so a block's
/// component knows by reference alone whether it has anything to render.
/// </summary>
/// <remarks>
/// Why blocks: with the section as one component, one lamp change made every board walk and diff
/// every tile of the section, a cost per change that grows with the users on the board. With blocks,
/// a change re-renders one block per board; the section only passes its blocks on (a few dozen).
/// </remarks>
public sealed class TileBlock
{
    /// <summary>Tiles per block: the square root of a large board, so the section's pass over its blocks and a block's diff cost about the same.</summary>
    public const int Size = 32;

    public TileBlock(ShownTile[] tiles) => Tiles = tiles;

    /// <summary>The block's tiles in board order.</summary>
    public IReadOnlyList<ShownTile> Tiles { get; }

    /// <summary>True when <paramref name="tiles"/> from <paramref name="start"/> are exactly this block's tiles: the same records with the same HTML.</summary>
    public bool Holds(ShownTile[] tiles, int start, int count)
    {
        if (count != Tiles.Count)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var mine = Tiles[i];
            var theirs = tiles[start + i];
            if (!ReferenceEquals(mine.User, theirs.User) || !ReferenceEquals(mine.Html.Value, theirs.Html.Value))
            {
                return false;
            }
        }

        return true;
    }
}
