namespace BlfBlazor.PersonalBoards;

/// <summary>A view a person saved under a name: the board's URL query, as the board wrote it (parsed and written anew, never as typed).</summary>
public sealed record SavedView(string Name, string Query);

/// <summary>
/// What one signed-in person keeps of their boards: the users they starred (by guid), their saved views
/// in the order saved, and the view they showed last. Immutable: a change makes a new value, so a board
/// knows by reference alone whether its person's board changed.
/// </summary>
public sealed record PersonalBoard(IReadOnlySet<string> Favourites, IReadOnlyList<SavedView> Views, string? LastView)
{
    public static readonly PersonalBoard Empty = new(new HashSet<string>(StringComparer.Ordinal), [], null);

    public bool IsEmpty => Favourites.Count == 0 && Views.Count == 0 && LastView is null;
}
