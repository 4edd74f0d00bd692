using System.Buffers;
using System.Text.Json;
using BlfBlazor.State;

namespace BlfBlazor.Components.Board;

/// <summary>
/// What a page needs to move its tile list from one arrangement of a view to the next, or to draw the
/// whole list: UTF-8 JSON, built once per view and version and sent as the same bytes to every board
/// that shows the view.
/// </summary>
/// <remarks>
/// Why: each board rendering, diffing and serialising every change for itself made a change cost the
/// app in proportion to the boards. The delta is computed and serialised once; a board only passes the
/// bytes on. It names tiles by key (their user's guid; unique within a section) and lists, per section:
/// tiles removed, tiles whose HTML changed, and tiles placed (inserted with their HTML, or moved), each
/// before the tile that follows it in the new order. Placements come in reverse board order, so every
/// anchor already stands where it belongs when a tile is put before it. Only tiles outside the longest
/// run that kept its order are moved. Staleness travels as one flag: tiles that differ only by it are not
/// sent (the page marks every tile at once, as board-stale.js does when the circuit is lost).
/// <code>
/// full:  {"version":7,"full":true,"stale":false,"counts":[i,b,r,o],"total":120,"shown":80,
///         "countTexts":["3 busy","0 ringing","70 free","47 offline"],"shownText":"80 of 120 shown",
///         "sections":[{"title":null,"count":80,"tiles":[{"key":"g1","html":"..."}, ...]}]}
/// delta: {"version":8,"from":7,"stale":false,"counts":[...],"total":120,"shown":80,"countTexts":[...],"shownText":...,
///         "sections":[{"title":null,"count":80,"removed":["g3"],"changed":[{"key":"g1","html":"..."}],
///                      "placed":[{"key":"g9","before":"g2","html":"..."},{"key":"g4","before":null}]}]}
/// </code>
/// </remarks>
public static class BoardDelta
{
    /// <summary>
    /// The delta from <paramref name="previous"/> to <paramref name="next"/> (the same view), or null where
    /// the sections themselves differ (a heading came or went, or either shows no tile): then boards get the full list.
    /// </summary>
    /// <param name="htmlInNextStaleness">A previous tile's record drawn with the next arrangement's staleness: so a tile that only turned stale or live counts as unchanged.</param>
    public static byte[]? Between(BoardArrangement previous, BoardArrangement next, Func<PbxUser, string> htmlInNextStaleness)
    {
        // An empty list shows no sections at all (the page says why instead): from or to one, the list is drawn whole.
        if (!SameSections(previous, next) || previous.Tiles.Length == 0 || next.Tiles.Length == 0)
        {
            return null;
        }

        var staleFlipped = previous.Stale != next.Stale;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", next.Version);
            json.WriteNumber("from", previous.Version);
            WriteHeader(json, next);
            json.WriteStartArray("sections");
            for (var s = 0; s < next.Sections.Count; s++)
            {
                var before = previous.Sections[s];
                var after = next.Sections[s];
                json.WriteStartObject();
                json.WriteString("title", after.Title);
                json.WriteNumber("count", after.Count);
                WriteSectionChanges(
                    json,
                    previous.Tiles.AsSpan(before.Start, before.Count),
                    next.Tiles.AsSpan(after.Start, after.Count),
                    (was, now) => !ReferenceEquals(was.Html.Value, now.Html.Value)
                        && !string.Equals(staleFlipped ? htmlInNextStaleness(was.User) : was.Html.Value, now.Html.Value, StringComparison.Ordinal));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Every tile of <paramref name="arrangement"/>: what a board that is not exactly one version behind gets.</summary>
    public static byte[] Full(BoardArrangement arrangement)
    {
        var buffer = new ArrayBufferWriter<byte>(arrangement.Tiles.Length * 700 + 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", arrangement.Version);
            json.WriteBoolean("full", true);
            WriteHeader(json, arrangement);
            json.WriteStartArray("sections");
            // No tile, no section: the page says instead that nothing matches (or nobody is there).
            foreach (var section in arrangement.Tiles.Length == 0 ? Array.Empty<ShownSection>() : arrangement.Sections)
            {
                json.WriteStartObject();
                json.WriteString("title", section.Title);
                json.WriteNumber("count", section.Count);
                json.WriteStartArray("tiles");
                foreach (var tile in arrangement.Tiles.AsSpan(section.Start, section.Count))
                {
                    WriteTile(json, tile);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool SameSections(BoardArrangement previous, BoardArrangement next)
    {
        if (previous.Sections.Count != next.Sections.Count)
        {
            return false;
        }

        for (var s = 0; s < next.Sections.Count; s++)
        {
            if (!string.Equals(previous.Sections[s].Title, next.Sections[s].Title, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteHeader(Utf8JsonWriter json, BoardArrangement arrangement)
    {
        json.WriteBoolean("stale", arrangement.Stale);
        json.WriteStartArray("counts");
        foreach (var count in arrangement.Counts)
        {
            json.WriteNumberValue(count);
        }

        json.WriteEndArray();
        json.WriteNumber("total", arrangement.Snapshot.Users.Length);
        json.WriteNumber("shown", arrangement.Tiles.Length);

        // The words too, so that a change only of counts needs no render of the board's header.
        json.WriteStartArray("countTexts");
        foreach (var text in arrangement.CountTexts)
        {
            json.WriteStringValue(text);
        }

        json.WriteEndArray();
        json.WriteString("shownText", arrangement.ShownText);
    }

    private static void WriteTile(Utf8JsonWriter json, ShownTile tile)
    {
        json.WriteStartObject();
        json.WriteString("key", tile.User.Guid);
        json.WriteString("html", tile.Html.Value);
        json.WriteEndObject();
    }

    private static void WriteSectionChanges(Utf8JsonWriter json, ReadOnlySpan<ShownTile> before, ReadOnlySpan<ShownTile> after, Func<ShownTile, ShownTile, bool> changed)
    {
        // The usual change (a lamp, nobody came or went, nothing moved): the same keys in the same places.
        if (before.Length == after.Length && SameKeys(before, after))
        {
            json.WriteStartArray("removed");
            json.WriteEndArray();
            json.WriteStartArray("changed");
            for (var i = 0; i < after.Length; i++)
            {
                if (changed(before[i], after[i]))
                {
                    WriteTile(json, after[i]);
                }
            }

            json.WriteEndArray();
            json.WriteStartArray("placed");
            json.WriteEndArray();
            return;
        }

        var oldAt = new Dictionary<string, int>(before.Length, StringComparer.Ordinal);
        for (var i = 0; i < before.Length; i++)
        {
            oldAt[before[i].User.Guid] = i;
        }

        // Each new tile's old place (-1: inserted); those on the longest increasing run stay where they are.
        var from = new int[after.Length];
        var newKeys = new HashSet<string>(after.Length, StringComparer.Ordinal);
        for (var i = 0; i < after.Length; i++)
        {
            newKeys.Add(after[i].User.Guid);
            from[i] = oldAt.TryGetValue(after[i].User.Guid, out var at) ? at : -1;
        }

        var stays = LongestIncreasingRun(from);

        json.WriteStartArray("removed");
        foreach (var tile in before)
        {
            if (!newKeys.Contains(tile.User.Guid))
            {
                json.WriteStringValue(tile.User.Guid);
            }
        }

        json.WriteEndArray();
        json.WriteStartArray("changed");
        for (var i = 0; i < after.Length; i++)
        {
            if (from[i] >= 0 && changed(before[from[i]], after[i]))
            {
                WriteTile(json, after[i]);
            }
        }

        json.WriteEndArray();
        json.WriteStartArray("placed");
        for (var i = after.Length - 1; i >= 0; i--)
        {
            if (stays[i])
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteString("key", after[i].User.Guid);
            json.WriteString("before", i + 1 < after.Length ? after[i + 1].User.Guid : null);
            if (from[i] < 0)
            {
                json.WriteString("html", after[i].Html.Value);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static bool SameKeys(ReadOnlySpan<ShownTile> before, ReadOnlySpan<ShownTile> after)
    {
        for (var i = 0; i < after.Length; i++)
        {
            if (!ReferenceEquals(before[i].User, after[i].User) && !string.Equals(before[i].User.Guid, after[i].User.Guid, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Which places hold the longest strictly increasing run of old places (ignoring -1, inserted): the tiles that need not move.</summary>
    private static bool[] LongestIncreasingRun(int[] from)
    {
        var stays = new bool[from.Length];
        var tails = new List<int>(); // index into from of the smallest tail of a run of each length
        var link = new int[from.Length];
        for (var i = 0; i < from.Length; i++)
        {
            if (from[i] < 0)
            {
                continue;
            }

            int lo = 0, hi = tails.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (from[tails[mid]] < from[i])
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            link[i] = lo > 0 ? tails[lo - 1] : -1;
            if (lo == tails.Count)
            {
                tails.Add(i);
            }
            else
            {
                tails[lo] = i;
            }
        }

        for (var i = tails.Count > 0 ? tails[^1] : -1; i >= 0; i = link[i])
        {
            stays[i] = true;
        }

        return stays;
    }
}
