using BlfBlazor.State;

namespace BlfBlazor.Components.Board;

public enum BoardSort
{
    Name,
    Number,
    State,
}

public enum BoardGrouping
{
    None,
    Node,
    Pbx,
    Groups,
}

/// <summary>
/// What a board shows, as chosen by its URL (<c>?q=&amp;state=&amp;sort=&amp;group=</c>), so a
/// portal can embed exactly the view it wants and people can bookmark theirs.
/// </summary>
public sealed record BoardQuery(string Search, IReadOnlySet<LampState> States, BoardSort Sort, BoardGrouping Grouping)
{
    public static readonly IReadOnlySet<LampState> AllStates = new HashSet<LampState>(Enum.GetValues<LampState>());

    public static BoardQuery Default { get; } = new(string.Empty, AllStates, BoardSort.Name, BoardGrouping.None);

    /// <summary>Reads the URL values; unknown words are ignored rather than failing the page.</summary>
    public static BoardQuery Parse(string? search, string? states, string? sort, string? group) => new(
        search?.Trim() ?? string.Empty,
        ParseStates(states),
        sort?.Trim().ToLowerInvariant() switch
        {
            "number" => BoardSort.Number,
            "state" => BoardSort.State,
            _ => BoardSort.Name,
        },
        group?.Trim().ToLowerInvariant() switch
        {
            "node" => BoardGrouping.Node,
            "pbx" => BoardGrouping.Pbx,
            "groups" => BoardGrouping.Groups,
            _ => BoardGrouping.None,
        });

    /// <summary>The URL value for <see cref="States"/>: null when every state is shown.</summary>
    public string? StatesValue => States.Count == AllStates.Count ? null
        : States.Count == 0 ? NoStates
        : string.Join(',', Enum.GetValues<LampState>().Where(States.Contains).Select(s => s.ToToken()));

    /// <summary>The URL value for "every state switched off".</summary>
    public const string NoStates = "none";

    public string? SortValue => Sort == BoardSort.Name ? null : Sort.ToString().ToLowerInvariant();

    public string? GroupValue => Grouping == BoardGrouping.None ? null : Grouping.ToString().ToLowerInvariant();

    private static IReadOnlySet<LampState> ParseStates(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return AllStates;
        }

        if (string.Equals(value.Trim(), NoStates, StringComparison.OrdinalIgnoreCase))
        {
            return new HashSet<LampState>();
        }

        var states = new HashSet<LampState>();
        foreach (var token in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var state in Enum.GetValues<LampState>())
            {
                if (string.Equals(state.ToToken(), token, StringComparison.OrdinalIgnoreCase))
                {
                    states.Add(state);
                }
            }
        }

        return states.Count == 0 ? AllStates : states;
    }
}
