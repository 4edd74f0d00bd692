using System.Text.RegularExpressions;
using BlfBlazor.Tests.Infrastructure;

namespace BlfBlazor.Tests;

/// <summary>
/// The app's folders are its rooms (docs/architecture.md), and their dependencies go one way: read
/// from the source (usings and qualified names, outside strings and comments), no room reaches a room
/// that reaches it back, the state is a leaf, and the PBX rooms know nothing of the features built on them.
/// </summary>
[Trait("Category", "Unit")]
public partial class RoomDependencyTests
{
    private static readonly string[] s_pbxRooms = ["Connection", "Rcc", "PbxApi", "TableUsers"];

    [Fact]
    public void No_room_depends_on_a_room_that_depends_on_it()
    {
        var graph = Dependencies();

        foreach (var room in graph.Keys)
        {
            var path = PathBack(graph, room);
            Assert.True(path is null, $"A cycle between rooms: {string.Join(" -> ", path ?? [])}");
        }
    }

    [Fact]
    public void The_state_is_a_leaf_and_the_PBX_rooms_serve_the_features_without_knowing_them()
    {
        var graph = Dependencies();

        Assert.Empty(graph["State"]);
        foreach (var pbx in graph.Keys.Where(room => room.StartsWith("Pbx", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain("Operators", graph[pbx]);
            Assert.DoesNotContain("Components", graph[pbx]);
            Assert.DoesNotContain("Demo", graph[pbx]);
        }

        // The shared PBX vocabulary (messages, reader, options) stands below the API rooms.
        Assert.DoesNotContain(graph["Pbx"], room => room.StartsWith("Pbx.", StringComparison.Ordinal));
        Assert.DoesNotContain("Pbx.Connection", graph["Pbx.Rcc"]);
        Assert.DoesNotContain("Pbx.PbxApi", graph["Pbx.Rcc"]);
    }

    /// <summary>Room → the rooms its files name.</summary>
    private static Dictionary<string, HashSet<string>> Dependencies()
    {
        var app = Path.Combine(PublishedBuild.RepositoryRoot, "BlfBlazor");
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(app, "*.*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(app, file).Split(Path.DirectorySeparatorChar);
            if (relative.Length < 2 || relative[0] is "bin" or "obj" or "wwwroot" or "Properties" || Path.GetExtension(file) is not (".cs" or ".razor"))
            {
                continue;
            }

            var room = RoomOf(relative[0], relative.Length > 2 ? relative[1] : null);
            var uses = graph.TryGetValue(room, out var known) ? known : graph[room] = [];
            foreach (var line in File.ReadLines(file))
            {
                var code = CodeOf(line);
                foreach (Match reference in Reference().Matches(code))
                {
                    var used = RoomOf(reference.Groups[1].Value, reference.Groups[2].Success ? reference.Groups[2].Value : null);
                    if (used != room && IsRoom(app, used))
                    {
                        uses.Add(used);
                    }
                }
            }
        }

        return graph;
    }

    private static string RoomOf(string top, string? sub) =>
        top == "Pbx" && sub is not null && s_pbxRooms.Contains(sub) ? $"Pbx.{sub}" : top;

    private static bool IsRoom(string app, string room) => Directory.Exists(Path.Combine(app, room.Replace('.', Path.DirectorySeparatorChar)));

    /// <summary>The line without its comment and string literals, so a name in a text is not a dependency.</summary>
    private static string CodeOf(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("@*", StringComparison.Ordinal) || trimmed.StartsWith('*'))
        {
            return string.Empty;
        }

        return StringLiteral().Replace(line, "\"\"");
    }

    /// <summary>A path of dependencies from <paramref name="start"/> back to itself, or null.</summary>
    private static List<string>? PathBack(Dictionary<string, HashSet<string>> graph, string start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string> { start };
        return Walk(start);

        List<string>? Walk(string room)
        {
            foreach (var next in graph.GetValueOrDefault(room) ?? [])
            {
                if (next == start)
                {
                    return [.. path, next];
                }

                if (seen.Add(next))
                {
                    path.Add(next);
                    if (Walk(next) is { } found)
                    {
                        return found;
                    }

                    path.RemoveAt(path.Count - 1);
                }
            }

            return null;
        }
    }

    [GeneratedRegex(@"\bBlfBlazor\.(\w+)(?:\.(\w+))?")]
    private static partial Regex Reference();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();
}
