using BlfBlazor.State;
using Microsoft.AspNetCore.WebUtilities;

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

    /// <summary><c>?group=pbxgroup</c>: by the PBX's own groups (the user table's <c>grps</c>).</summary>
    PbxGroup,
}

/// <summary>
/// What a board shows, as chosen by its URL (<c>?q=&amp;state=&amp;sort=&amp;group=&amp;grp=</c>), so a
/// portal can embed exactly the view it wants and people can bookmark theirs.
/// </summary>
public sealed record BoardQuery(string Search, IReadOnlySet<LampState> States, BoardSort Sort, BoardGrouping Grouping)
{
    /// <summary>At most this many <c>?grp=</c> values are read: a URL cannot make every arrangement compare thousands.</summary>
    public const int MaxPbxGroups = 20;

    /// <summary>The longest <c>?grp=</c> value read; a PBX group name is no longer (see the user table's reader).</summary>
    public const int MaxPbxGroupName = 64;

    /// <summary>
    /// <c>?grp=</c>: only users in one of these PBX groups; empty: everybody. Distinct (any case), in
    /// ordinal order, so equal filters make equal views however the URL listed them.
    /// </summary>
    public IReadOnlyList<string> PbxGroups { get; init; } = [];

    public static readonly IReadOnlySet<LampState> AllStates = new HashSet<LampState>(Enum.GetValues<LampState>());

    public static BoardQuery Default { get; } = new(string.Empty, AllStates, BoardSort.Name, BoardGrouping.None);

    /// <summary>Reads the URL values; unknown words are ignored rather than failing the page.</summary>
    /// <param name="pbxGroups">The <c>?grp=</c> values: blank and overlong ones are ignored, and past <see cref="MaxPbxGroups"/>.</param>
    public static BoardQuery Parse(string? search, string? states, string? sort, string? group, IEnumerable<string?>? pbxGroups = null) => new(
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
            "pbxgroup" => BoardGrouping.PbxGroup,
            _ => BoardGrouping.None,
        })
    {
        PbxGroups = ParsePbxGroups(pbxGroups),
    };

    /// <summary>True when the query shows every user in the directory's order, ungrouped.</summary>
    public bool IsEverybody => Search.Length == 0 && States.Count == AllStates.Count && Sort == BoardSort.Name && Grouping == BoardGrouping.None && PbxGroups.Count == 0;

    private static string[] ParsePbxGroups(IEnumerable<string?>? values) =>
        values is null ? [] : [.. values
            .Select(value => value?.Trim())
            .OfType<string>()
            .Where(value => value.Length is > 0 and <= MaxPbxGroupName)
            .Take(MaxPbxGroups)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>The URL value for <see cref="States"/>: null when every state is shown.</summary>
    public string? StatesValue => States.Count == AllStates.Count ? null
        : States.Count == 0 ? NoStates
        : string.Join(',', Enum.GetValues<LampState>().Where(States.Contains).Select(s => s.ToToken()));

    /// <summary>The URL value for "every state switched off".</summary>
    public const string NoStates = "none";

    public string? SortValue => Sort == BoardSort.Name ? null : Sort.ToString().ToLowerInvariant();

    public string? GroupValue => Grouping == BoardGrouping.None ? null : Grouping.ToString().ToLowerInvariant();

    /// <summary>
    /// The view as a URL query without the <c>?</c> (<c>state=busy&amp;sort=number&amp;grp=sales</c>), in one
    /// order and spelling: what a saved or last view keeps, written from a parsed view, never as typed.
    /// </summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        Add("q", Search.Length == 0 ? null : Search);
        Add("state", StatesValue);
        Add("sort", SortValue);
        Add("group", GroupValue);
        foreach (var group in PbxGroups)
        {
            Add("grp", group);
        }

        return string.Join('&', parts);

        void Add(string key, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{key}={Uri.EscapeDataString(value)}");
            }
        }
    }

    /// <summary>Reads a view from a URL query (with or without the <c>?</c>) as the board reads its address.</summary>
    public static BoardQuery FromQueryString(string query)
    {
        var values = QueryHelpers.ParseQuery(query);
        string? One(string key) => values.TryGetValue(key, out var value) ? value.FirstOrDefault() : null;
        return Parse(One("q"), One("state"), One("sort"), One("group"), values.TryGetValue("grp", out var groups) ? [.. groups] : null);
    }

    /// <summary>The URL values for <see cref="PbxGroups"/> (<c>?grp=</c>, repeated); null when none.</summary>
    public string[]? PbxGroupValues => PbxGroups.Count == 0 ? null : [.. PbxGroups];

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
