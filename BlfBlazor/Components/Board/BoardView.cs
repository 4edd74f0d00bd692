using System.Globalization;
using BlfBlazor.State;

namespace BlfBlazor.Components.Board;

/// <summary>One heading's worth of tiles; the title is null when the board is not grouped.</summary>
public sealed record BoardSection(string? Title, IReadOnlyList<PbxUser> Users);

/// <summary>
/// Turns the directory's users into what one board shows: searched, filtered, sorted and grouped.
/// Pure, so the view logic is tested without a browser.
/// </summary>
public static class BoardView
{
    private static readonly CompareInfo s_compare = CultureInfo.InvariantCulture.CompareInfo;
    private const CompareOptions SearchOptions = CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace | CompareOptions.IgnoreKanaType | CompareOptions.IgnoreWidth;

    /// <param name="users">In board (name) order, as the directory keeps them.</param>
    /// <param name="otherTitle">Heading for users in none of the configured groups.</param>
    public static IReadOnlyList<BoardSection> Arrange(IReadOnlyList<PbxUser> users, BoardQuery query, IReadOnlyList<BoardGroup> groups, string otherTitle)
    {
        if (query == BoardQuery.Default || query.IsEverybody)
        {
            // The usual view is the directory's own order: nothing to copy or sort.
            return [new BoardSection(null, users)];
        }

        var shown = users.Where(u => query.States.Contains(u.Lamp) && Matches(u, query.Search) && InPbxGroups(u, query.PbxGroups)).ToList();
        Sort(shown, query.Sort);

        return query.Grouping switch
        {
            BoardGrouping.Node => GroupBy(shown, u => u.Node, otherTitle),
            BoardGrouping.Pbx => GroupBy(shown, u => u.Pbx, otherTitle),
            BoardGrouping.Groups => ConfiguredGroups(shown, groups, otherTitle),
            BoardGrouping.PbxGroup => PbxGroupSections(shown, query.PbxGroups, otherTitle),
            _ => [new BoardSection(null, shown)],
        };
    }

    /// <summary>
    /// Search in name and number, and in the peers of the user's calls as the tile may show them:
    /// "jurgen" finds "Jürgen", "101" finds 101 and 1010, "0171" finds whoever talks to 0171….
    /// </summary>
    public static bool Matches(PbxUser user, string search) =>
        search.Length == 0
        || Contains(user.DisplayName, search)
        || Contains(user.Cn, search)
        || Contains(user.E164, search)
        || (user.Activity?.Calls.Any(call => Contains(call.Peer?.Shown, search)) ?? false);

    private static bool Contains(string? text, string search) =>
        text is not null && s_compare.IndexOf(text, search, SearchOptions) >= 0;

    private static void Sort(List<PbxUser> users, BoardSort sort)
    {
        // The directory's order (by name) is the tie-breaker, so List.Sort's instability is hidden
        // by comparing the original positions last.
        var position = new Dictionary<PbxUser, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < users.Count; i++)
        {
            position[users[i]] = i;
        }

        Comparison<PbxUser> primary = sort switch
        {
            BoardSort.Number => (a, b) => CompareNumbers(a.E164, b.E164),
            BoardSort.State => (a, b) => Urgency(a.Lamp).CompareTo(Urgency(b.Lamp)),
            _ => (_, _) => 0,
        };
        users.Sort((a, b) => primary(a, b) is var c and not 0 ? c : position[a].CompareTo(position[b]));
    }

    /// <summary>Ringing first (someone may need to pick up), then busy, free, offline.</summary>
    private static int Urgency(LampState state) => state switch
    {
        LampState.Ringing => 0,
        LampState.Busy => 1,
        LampState.Idle => 2,
        _ => 3,
    };

    /// <summary>Extensions in numeric order (99 before 100); users without one last.</summary>
    private static int CompareNumbers(string? a, string? b)
    {
        if (string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b))
        {
            return string.IsNullOrEmpty(a).CompareTo(string.IsNullOrEmpty(b));
        }

        var aDigits = a.All(char.IsAsciiDigit);
        var bDigits = b.All(char.IsAsciiDigit);
        if (aDigits && bDigits)
        {
            var byLength = a.TrimStart('0').Length.CompareTo(b.TrimStart('0').Length);
            return byLength != 0 ? byLength : string.CompareOrdinal(a.TrimStart('0'), b.TrimStart('0'));
        }

        return string.CompareOrdinal(a, b);
    }

    private static List<BoardSection> GroupBy(List<PbxUser> users, Func<PbxUser, string?> key, string otherTitle) =>
        [.. users
            .GroupBy(u => string.IsNullOrWhiteSpace(key(u)) ? null : key(u))
            .OrderBy(g => g.Key is null)
            .ThenBy(g => g.Key, StringComparer.InvariantCultureIgnoreCase)
            .Select(g => new BoardSection(g.Key ?? otherTitle, [.. g]))];

    private static List<BoardSection> ConfiguredGroups(List<PbxUser> users, IReadOnlyList<BoardGroup> groups, string otherTitle)
    {
        var sections = new List<BoardSection>();
        var placed = new HashSet<PbxUser>(ReferenceEqualityComparer.Instance);
        foreach (var group in groups)
        {
            // A user may belong to several groups and then shows in each, as people expect.
            var members = users.Where(u => IsMember(u, group)).ToList();
            placed.UnionWith(members);
            sections.Add(new BoardSection(group.Name, members));
        }

        var rest = users.Where(u => !placed.Contains(u)).ToList();
        if (rest.Count > 0 || sections.Count == 0)
        {
            sections.Add(new BoardSection(otherTitle, rest));
        }

        return sections;
    }

    /// <summary>With no <c>?grp=</c>, everybody; else users in at least one of the groups (any case).</summary>
    public static bool InPbxGroups(PbxUser user, IReadOnlyList<string> pbxGroups)
    {
        if (pbxGroups.Count == 0)
        {
            return true;
        }

        foreach (var group in user.Groups)
        {
            foreach (var wanted in pbxGroups)
            {
                if (string.Equals(group, wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A section per PBX group (by name, any case; only the <c>?grp=</c> groups when the view names some),
    /// a user in several in each of them, then everybody in none. Without the user table (refused) nobody
    /// is in a group: one section of everybody, under the "other" heading.
    /// </summary>
    private static List<BoardSection> PbxGroupSections(List<PbxUser> users, IReadOnlyList<string> only, string otherTitle)
    {
        var byGroup = new Dictionary<string, List<PbxUser>>(StringComparer.OrdinalIgnoreCase);
        var rest = new List<PbxUser>();
        foreach (var user in users)
        {
            var placed = false;
            foreach (var group in user.Groups)
            {
                if (only.Count > 0 && !only.Contains(group, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!byGroup.TryGetValue(group, out var members))
                {
                    byGroup.Add(group, members = []);
                }

                members.Add(user);
                placed = true;
            }

            if (!placed)
            {
                rest.Add(user);
            }
        }

        var sections = byGroup
            .OrderBy(g => g.Key, StringComparer.InvariantCultureIgnoreCase)
            .Select(g => new BoardSection(g.Key, g.Value))
            .ToList();
        if (rest.Count > 0 || sections.Count == 0)
        {
            sections.Add(new BoardSection(otherTitle, rest));
        }

        return sections;
    }

    private static bool IsMember(PbxUser user, BoardGroup group) =>
        group.Members.Any(m => string.Equals(m, user.DisplayName, StringComparison.OrdinalIgnoreCase)
                            || string.Equals(m, user.Cn, StringComparison.OrdinalIgnoreCase)
                            || string.Equals(m, user.E164, StringComparison.Ordinal))
        || (user.E164 is { Length: > 0 } number && group.Prefixes.Any(p => number.StartsWith(p, StringComparison.Ordinal)));
}
